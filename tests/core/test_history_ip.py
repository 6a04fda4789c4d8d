"""Change history keeps who changed a record, and from which address."""

from django.test import RequestFactory
from django.urls import reverse
from simple_history.models import HistoricalRecords

from accounts.models import User
from monitoring.models import SchoolReport
from tests.factories import campaign, report


def test_user_changes_have_history_with_ip(world, client_for):
    client = client_for(world.admin)
    user = world.specialist_x
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "username": user.username,
            "last_name": "Новикова",
            "first_name": user.first_name,
            "middle_name": "",
            "email": "spec@example.org",
            "position": "",
            "phone": "",
            "role": "specialist",
            "municipality": world.mun_x.pk,
            "school": "",
            "is_active": "on",
            "date_joined_0": "01.09.2017",
            "date_joined_1": "10:00:00",
        },
        REMOTE_ADDR="198.51.100.23",
    )
    assert response.status_code == 302
    last = User.history.filter(id=user.pk).latest("history_date")
    assert last.last_name == "Новикова"
    assert last.ip_address == "198.51.100.23"
    assert not hasattr(last, "password")


def test_report_history_records_the_ip(world):
    current = campaign("2017")
    r = report(current, world.school_a1)
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.77")
    request.user = world.coordinator_a
    HistoricalRecords.context.request = request
    try:
        r.responsible_phone = "+7 (3822) 11-11-11"
        r.save()
    finally:
        del HistoricalRecords.context.request
    last = SchoolReport.history.filter(id=r.pk).latest("history_date")
    assert last.ip_address == "203.0.113.77"
    assert last.history_user == world.coordinator_a


def test_history_without_a_request_has_no_ip(world):
    r = report(campaign("2017"), world.school_a1)
    assert SchoolReport.history.filter(id=r.pk).latest("history_date").ip_address is None


def test_pilot_site_history_has_ip_field():
    from projects.models import PilotSite

    assert "ip_address" in {f.name for f in PilotSite.history.model._meta.get_fields()}
