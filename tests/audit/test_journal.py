"""The access journal: who saw or downloaded personal data, refused accesses, logins."""

import datetime
import io

import openpyxl
import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AccessEvent, AppendOnlyError
from audit.services import SCOPE_REGION, record
from tests.factories import campaign, report

Kind = AccessEvent.Kind


@pytest.fixture
def current(world):
    c = campaign("2017")
    report(c, world.school_a1)
    return c


def _kinds(**filters):
    """Entries apart from the sign-in of the test client."""
    return list(
        AccessEvent.objects.filter(**filters)
        .exclude(kind=Kind.LOGIN)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def test_report_page_with_contacts_is_journalled(world, client_for, current):
    client_for(world.specialist_x).get(
        reverse("monitoring:report", args=[current.slug, world.school_a1.pk]), REMOTE_ADDR="198.51.100.4"
    )
    event = AccessEvent.objects.get(kind=Kind.VIEW_CONTACTS)
    assert event.user == world.specialist_x
    assert event.username == "spec_x"
    assert event.ip_address == "198.51.100.4"
    assert event.object_kind == "school_report"
    assert event.object_id == str(world.school_a1.pk)
    assert event.municipality_id == world.mun_x.pk
    assert event.path.endswith(f"/oo/{world.school_a1.pk}/")


def test_people_pages_are_journalled(world, client_for):
    client = client_for(world.methodist)
    client.get(reverse("schools:school", args=[world.school_a1.pk]))
    client.get(reverse("schools:municipality", args=[world.mun_x.pk]))
    assert _kinds() == [Kind.VIEW_CONTACTS, Kind.VIEW_CONTACTS]
    assert set(AccessEvent.objects.values_list("scope", flat=True)) == {SCOPE_REGION}


def test_pages_without_personal_data_are_not_journalled(world, client_for, current):
    client_for(world.methodist).get(reverse("monitoring:campaigns"))
    assert _kinds() == []


def test_refused_access_is_journalled(world, client_for, current):
    response = client_for(world.coordinator_b).get(
        reverse("monitoring:report", args=[current.slug, world.school_a1.pk])
    )
    assert response.status_code == 404
    event = AccessEvent.objects.get(kind=Kind.REFUSED)
    assert event.kind == Kind.REFUSED
    assert event.user == world.coordinator_b
    assert "ответ 404" in event.detail
    assert f"school_pk={world.school_a1.pk}" in event.object_id


def test_forbidden_is_journalled(world, client_for):
    response = client_for(world.coordinator_a).get(reverse("audit:journal"))
    assert response.status_code == 403
    assert _kinds() == [Kind.REFUSED]


def test_export_of_a_municipality_is_journalled(world, client_for, current):
    response = client_for(world.specialist_x).post(
        reverse("reports:export", args=[current.slug]), {"basis": "accepted"}
    )
    assert response.status_code == 200
    event = AccessEvent.objects.get(kind=Kind.EXPORT)
    assert event.object_id == current.slug
    assert event.municipality_id == world.mun_x.pk


def test_login_logout_and_failure_are_journalled(client, world):
    client.post(reverse("login"), {"username": "coord_a", "password": "wrong"}, REMOTE_ADDR="198.51.100.9")
    client.post(reverse("login"), {"username": "coord_a", "password": "secret-pass-123"})
    client.post(reverse("logout"))
    events = list(AccessEvent.objects.order_by("pk"))
    assert [e.kind for e in events] == [Kind.LOGIN_FAILED, Kind.LOGIN, Kind.LOGOUT]
    assert events[0].username == "coord_a"
    assert events[0].user is None
    assert events[0].ip_address == "198.51.100.9"
    assert events[1].user == world.coordinator_a


def test_lockout_is_journalled(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(reverse("login"), {"username": "coord_a", "password": "wrong"})
    assert AccessEvent.objects.filter(kind=Kind.LOGIN_FAILED, detail__contains="заблокирована").exists()


# --- Append-only ------------------------------------------------------------------------------


def test_entries_cannot_be_changed_or_deleted(world):
    event = record(kind=Kind.DOWNLOAD, user=world.methodist, detail="справка")
    event.detail = "другое"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(detail="x")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()
    assert AccessEvent.objects.get().detail == "справка"


def test_admin_cannot_add_change_or_delete(world):
    model_admin = admin.site._registry[AccessEvent]
    request = RequestFactory().get("/")
    request.user = world.admin
    event = record(kind=Kind.LOGIN, user=world.admin)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)


def test_admin_change_post_does_not_alter_entry(world, client_for):
    event = record(kind=Kind.LOGIN, user=world.admin, detail="исходное")
    client = client_for(world.admin)
    client.post(reverse("admin:audit_accessevent_change", args=[event.pk]), {"detail": "изменено"})
    client.post(reverse("admin:audit_accessevent_delete", args=[event.pk]), {"post": "yes"})
    assert AccessEvent.objects.get(pk=event.pk).detail == "исходное"


@pytest.mark.postgres
def test_database_refuses_updates_on_postgresql(world):
    from django.db import connection, transaction
    from django.db.utils import InternalError

    if connection.vendor != "postgresql":
        pytest.skip("нужен PostgreSQL")
    event = record(kind=Kind.LOGIN, user=world.admin)
    with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accessevent SET detail = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accessevent WHERE id = %s", [event.pk])


# --- Reading it ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator_a", "specialist_x"])
def test_only_methodists_and_admins_read_the_journal(world, client_for, persona):
    client = client_for(getattr(world, persona))
    assert client.get(reverse("audit:journal")).status_code == 403
    assert client.get(reverse("audit:journal_export")).status_code == 403


@pytest.mark.parametrize("persona", ["methodist", "admin"])
def test_methodist_and_admin_read_the_journal(world, client_for, persona):
    record(kind=Kind.LOGIN, user=world.coordinator_a)
    response = client_for(getattr(world, persona)).get(reverse("audit:journal"))
    assert response.status_code == 200
    assert "coord_a" in response.content.decode()


def test_journal_filters(world, client_for):
    record(kind=Kind.LOGIN, user=world.coordinator_a)
    record(kind=Kind.VIEW_CONTACTS, user=world.specialist_x)
    record(kind=Kind.VIEW_CONTACTS, user=world.specialist_y)
    client = client_for(world.methodist)
    page = client.get(reverse("audit:journal"), {"kind": "view_contacts"}).context["page"]
    assert {e.username for e in page} == {"spec_x", "spec_y"}
    page = client.get(reverse("audit:journal"), {"person": "spec_y"}).context["page"]
    assert [e.username for e in page] == ["spec_y"]
    page = client.get(reverse("audit:journal"), {"municipality": world.mun_x.pk}).context["page"]
    assert [e.username for e in page] == ["spec_x"]
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    page = client.get(reverse("audit:journal"), {"date_from": tomorrow}).context["page"]
    assert list(page) == []


def test_journal_export_to_excel(world, client_for):
    record(kind=Kind.LOGIN, user=world.coordinator_a)
    record(kind=Kind.LOGIN, user=world.specialist_x)
    response = client_for(world.methodist).get(reverse("audit:journal_export"), {"person": "coord"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][1] == "Пользователь"
    assert [r[1] for r in rows[1:]] == ["coord_a"]
    # The export itself is journalled.
    assert AccessEvent.objects.filter(kind=Kind.EXPORT, object_kind="access_journal").exists()


def test_unknown_address_is_not_a_refused_access(world, client_for):
    client_for(world.coordinator_a).get("/no-such-page/")
    assert _kinds() == []


def test_export_journal_names_the_municipality(world, client_for, current):
    client_for(world.methodist).post(
        reverse("reports:export", args=[current.slug]), {"basis": "accepted", "municipality": world.mun_x.pk}
    )
    event = AccessEvent.objects.get(kind=Kind.EXPORT)
    assert f"municipality={world.mun_x.pk}" in event.detail
