import datetime

import pytest

from core.errors import ServiceError
from schools.models import EdmsSystem, EdmsVendor
from vendors import services
from vendors.models import VendorCount, VendorRequest


def item(code="A1", **over):
    data = {
        "school_code": code,
        "as_of": "2017-09-01",
        "classes": 20,
        "students_registered": 500,
        "students_active": 450,
        "teachers_registered": 40,
        "teachers_active": 38,
        "parents_registered": 600,
        "parents_active": 300,
    }
    data.update(over)
    return data


@pytest.fixture
def tesh(world):
    world.school_a1.external_code = "A1"
    world.school_a1.save()
    world.school_b1.external_code = "B1"
    world.school_b1.save()
    return EdmsVendor.objects.get(short_name="ТЭШ")


def test_upsert_creates_then_same_batch_changes_nothing(tesh, world):
    first = services.vendor_counts_upsert(vendor=tesh, items=[item(), item("B1")], source="k")
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    stamp = VendorCount.objects.get(school=world.school_a1).updated_at
    second = services.vendor_counts_upsert(vendor=tesh, items=[item(), item("B1")], source="k")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert VendorCount.objects.get(school=world.school_a1).updated_at == stamp
    third = services.vendor_counts_upsert(vendor=tesh, items=[item(parents_registered=700)], source="k")
    assert (third.created, third.updated) == (0, 1)
    assert VendorCount.objects.get(school=world.school_a1).parents_registered == 700
    assert VendorCount.objects.count() == 2


def test_batch_with_one_bad_item_writes_nothing_and_names_item_and_field(tesh):
    with pytest.raises(services.VendorBatchInvalid) as exc:
        services.vendor_counts_upsert(
            vendor=tesh, items=[item(), item("B1", students_active=501, students_registered=500), item("ZZ")]
        )
    assert VendorCount.objects.count() == 0
    errors = exc.value.errors
    assert {
        "index": 1,
        "field": "students_active",
        "message": services.MSG_ACTIVE_GT_REGISTERED.format(active=501, registered=500),
    } in errors
    assert {
        "index": 2,
        "field": "school_code",
        "message": services.MSG_UNKNOWN_SCHOOL.format(code="ZZ"),
    } in errors


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"classes": -1}, "classes", services.MSG_NOT_INTEGER),
        ({"classes": "много"}, "classes", services.MSG_NOT_INTEGER),
        ({"as_of": "01.09.2017"}, "as_of", services.MSG_BAD_DATE),
        ({"as_of": "2999-01-01"}, "as_of", services.MSG_FUTURE_DATE),
        ({"colour": "red"}, "colour", services.MSG_UNKNOWN_FIELD),
    ],
)
def test_bad_values_are_named(tesh, over, field, message):
    with pytest.raises(services.VendorBatchInvalid) as exc:
        services.vendor_counts_upsert(vendor=tesh, items=[item(**over)])
    assert {"index": 0, "field": field, "message": message} in exc.value.errors


def test_school_outside_vendor_scope_is_unknown(tesh, world):
    with pytest.raises(services.VendorBatchInvalid):
        services.vendor_counts_upsert(vendor=tesh, items=[item("B1")], school_ids={world.school_a1.pk})


def test_duplicate_items_and_batch_limit(tesh, settings):
    with pytest.raises(services.VendorBatchInvalid) as exc:
        services.vendor_counts_upsert(vendor=tesh, items=[item(), item()])
    assert exc.value.errors[0]["index"] == 1
    settings.VENDOR_BATCH_MAX = 1
    with pytest.raises(services.VendorBatchInvalid) as exc:
        services.vendor_counts_upsert(vendor=tesh, items=[item(), item("B1")])
    assert str(exc.value) == services.MSG_BATCH_TOO_LARGE.format(count=2, limit=1)


def test_request_create_answer_group(world):
    system = EdmsSystem.objects.get(code="tesh")
    with pytest.raises(ServiceError, match="координатор"):
        services.vendor_request_create(
            school=world.school_b1,
            system=system,
            module="",
            kind="problem",
            text="x",
            user=world.coordinator_a,
        )
    first = services.vendor_request_create(
        school=world.school_a1,
        system=system,
        module="Журнал",
        kind="problem",
        text="Подгруппы",
        user=world.coordinator_a,
    )
    second = services.vendor_request_create(
        school=world.school_b1,
        system=system,
        module="Журнал",
        kind="problem",
        text="Подгруппы!",
        user=world.coordinator_b,
    )
    with pytest.raises(ServiceError, match=services.MSG_ONLY_METHODISTS):
        services.vendor_request_group(
            request_id=second.pk, duplicate_of_id=first.pk, user=world.coordinator_b
        )
    services.vendor_request_group(request_id=second.pk, duplicate_of_id=first.pk, user=world.methodist)
    with pytest.raises(ServiceError, match=services.MSG_PLANNED_DATE[:20]):
        services.vendor_request_answer(request_id=first.pk, state="planned", user=world.methodist)
    services.vendor_request_answer(
        request_id=first.pk,
        state="planned",
        planned_on=datetime.date(2018, 1, 1),
        answer="Сделаем",
        user=world.methodist,
    )
    first.refresh_from_db()
    assert first.state == VendorRequest.State.PLANNED and first.history.count() == 2
    assert VendorRequest.objects.get(pk=second.pk).duplicate_of_id == first.pk


def test_school_code_of_wrong_type_is_an_error_not_a_crash(tesh):
    with pytest.raises(services.VendorBatchInvalid) as exc:
        services.vendor_counts_upsert(vendor=tesh, items=[item(code={}), item(code=5)])
    assert [e["index"] for e in exc.value.errors if e["field"] == "school_code"] == [0, 1]
