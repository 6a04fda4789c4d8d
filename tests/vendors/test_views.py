import io

import openpyxl
import pytest

from schools.models import EdmsSystem
from vendors import services, views
from vendors.models import VendorRequest


@pytest.fixture
def requests_ab(world):
    system = EdmsSystem.objects.get(code="tesh")
    a = services.vendor_request_create(
        school=world.school_a1,
        system=system,
        module="",
        kind="problem",
        text="Звонки",
        user=world.coordinator_a,
    )
    b = services.vendor_request_create(
        school=world.school_b1,
        system=system,
        module="",
        kind="suggestion",
        text="Подгруппы",
        user=world.coordinator_b,
    )
    return a, b


def test_school_records_a_request(world, client_for):
    system = EdmsSystem.objects.get(code="tesh")
    response = client_for(world.coordinator_a).post(
        "/vendors/requests/",
        {"system": system.pk, "module": "Сайт", "kind": "suggestion", "text": "Расписание звонков"},
    )
    assert response.status_code == 302
    assert VendorRequest.objects.get().school == world.school_a1


def test_scopes(world, client_for, requests_ab):
    a, b = requests_ab
    page = client_for(world.coordinator_a).get("/vendors/requests/").content.decode()
    assert "Звонки" in page and "Подгруппы" not in page
    page = client_for(world.specialist_y).get("/vendors/requests/").content.decode()
    assert "Подгруппы" in page and "Звонки" not in page
    # An outsider's request is not found
    assert (
        client_for(world.coordinator_a)
        .post(f"/vendors/requests/{b.pk}/answer/", {"state": "done"})
        .status_code
        == 404
    )


def test_methodist_answers_groups_and_exports(world, client_for, requests_ab, django_assert_max_num_queries):
    a, b = requests_ab
    client = client_for(world.methodist)
    client.post(f"/vendors/requests/{a.pk}/answer/", {"state": "done", "answer": "Готово"})
    client.post(f"/vendors/requests/{b.pk}/group/", {"duplicate_of": a.pk})
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.state == "done" and b.duplicate_of_id == a.pk
    with django_assert_max_num_queries(7):  # 6 for the file, 1 for its entry in the access journal
        response = client.get("/vendors/requests/export/?state=done")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == views.EXPORT_HEADER
    assert sheet.max_row == 2 and sheet["M2"].value == "Готово"
