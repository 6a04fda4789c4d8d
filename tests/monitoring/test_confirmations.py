"""Irreversible steps ask first: the texts in numbers, and the server refuses an unconfirmed step."""

import pytest
from django.urls import reverse

from core.russian import verb_for
from monitoring import confirmations, workflow
from monitoring.confirmations import MSG_CONFIRM_REQUIRED
from monitoring.models import MunicipalityReview, ReportStatus, SchoolReport
from tests.factories import SchoolFactory, UserFactory, campaign, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def current(world):
    return campaign("2017")


@pytest.mark.parametrize(
    "n,word", [(1, "передан"), (2, "переданы"), (11, "переданы"), (21, "передан"), (46, "переданы")]
)
def test_agreement(n, word):
    assert verb_for(n, "передан", "переданы") == word


def test_handover_text_counts_reports_under_review(world, current):
    extra = [SchoolFactory(municipality=world.mun_x) for _ in range(44)]
    current.participants.add(*extra)
    schools = [world.school_a1, world.school_a2, *extra]
    for i, school in enumerate(schools):
        report(current, school, status="submitted" if i < 19 else "approved")
    text = confirmations.municipality_submit_text(current, world.mun_x)
    assert text.startswith(
        "Будут переданы в РЦРО 46 отчётов; 19 из них ещё на проверке и будут заблокированы"
    )
    assert "без принятого отчёта — 19 организаций" in text


def test_handover_text_singular(world, current):
    current.participants.set([world.school_a1])
    report(current, world.school_a1, status="submitted")
    text = confirmations.municipality_submit_text(current, world.mun_x)
    assert text.startswith("Будет передан в РЦРО 1 отчёт; 1 из них ещё на проверке и будет заблокирован")
    accept = confirmations.municipality_accept_text(current, world.mun_x)
    assert accept.startswith(
        "Будет принят 1 отчёт МОУО «Город Томск» (принято специалистом: 0 из 1 организации)"
    )


@pytest.mark.parametrize(
    "n,start", [(1, "Будет принят 1 отчёт"), (3, "Будут приняты 3 отчёта"), (5, "Будут приняты 5 отчётов")]
)
def test_bulk_text(n, start):
    assert confirmations.bulk_approve_text(n, 7).startswith(start + " из 7 на проверке")


def test_submit_without_confirmation_changes_nothing(world, current, client_for):
    r = report(current, world.school_a1)
    client = client_for(world.coordinator_a)
    page = reverse("monitoring:report", args=[current.slug, world.school_a1.pk])
    html = client.get(page).content.decode()
    assert 'data-confirm="Отчёт «МАОУ СОШ № 1 г. Томска» будет отправлен на проверку' in html
    assert 'name="confirm" value="1"' in html and "required" in html
    url = reverse("monitoring:report_submit", args=[current.slug, world.school_a1.pk])
    response = client.post(url, follow=True)
    assert MSG_CONFIRM_REQUIRED in response.content.decode()
    assert SchoolReport.objects.get(pk=r.pk).status == ReportStatus.DRAFT
    client.post(url, {"confirm": "1"})
    assert SchoolReport.objects.get(pk=r.pk).status == ReportStatus.SUBMITTED


def test_approve_bulk_and_municipality_steps_need_confirmation(world, current, client_for):
    r1 = report(current, world.school_a1)
    r2 = report(current, world.school_a2)
    workflow.report_submit(report_id=r1.pk, user=world.coordinator_a)
    coordinator_a2 = UserFactory(role="coordinator", school=world.school_a2)
    workflow.report_submit(report_id=r2.pk, user=coordinator_a2)
    specialist = client_for(world.specialist_x)
    approve = reverse("monitoring:report_review", args=[current.slug, world.school_a1.pk, "approve"])
    assert MSG_CONFIRM_REQUIRED in specialist.post(approve, follow=True).content.decode()
    bulk = reverse("monitoring:bulk_approve", args=[current.slug])
    specialist.post(bulk, {"report": [r2.pk]})
    assert SchoolReport.objects.filter(status=ReportStatus.SUBMITTED).count() == 2
    dashboard = reverse("monitoring:municipality_dashboard", args=[current.slug, world.mun_x.pk])
    html = specialist.get(dashboard).content.decode()
    assert 'data-confirm-many="Будут приняты {n} отчётов из 2 на проверке' in html
    assert "Будут переданы в РЦРО 2 отчёта; 2 из них ещё на проверке и будут заблокированы" in html
    specialist.post(approve, {"confirm": "1"})
    specialist.post(bulk, {"report": [r2.pk], "confirm": "1"})
    assert SchoolReport.objects.filter(status=ReportStatus.APPROVED).count() == 2
    handover = reverse("monitoring:municipality_action", args=[current.slug, world.mun_x.pk, "submit"])
    specialist.post(handover)
    assert not MunicipalityReview.objects.filter(state="submitted").exists()
    specialist.post(handover, {"confirm": "1"})
    assert MunicipalityReview.objects.get(municipality=world.mun_x).state == "submitted"
    accept = reverse("monitoring:municipality_action", args=[current.slug, world.mun_x.pk, "accept"])
    methodist = client_for(world.methodist)
    methodist.post(accept)
    assert MunicipalityReview.objects.get(municipality=world.mun_x).state == "submitted"
    methodist.post(accept, {"confirm": "1"})
    assert MunicipalityReview.objects.get(municipality=world.mun_x).state == "accepted"
