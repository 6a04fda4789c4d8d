"""Participants of a campaign: every organisation with a report in it takes part, whichever way the
report was created; methodists review and change the list; closed organisations are not offered."""

import datetime

import pytest
from django.urls import reverse

from monitoring import services
from monitoring.models import Campaign, ParticipantChange, SchoolReport
from schools import services as school_services
from schools.models import School
from tests.factories import FULL_VALUES, SchoolFactory, campaign, report


def _participant_ids(c: Campaign) -> set[int]:
    return set(Campaign.participants.through.objects.filter(campaign=c).values_list("school_id", flat=True))


def _every_report_is_a_participant():
    for r in SchoolReport.objects.all():
        assert r.school_id in _participant_ids(r.campaign), f"{r.school} is not a participant of {r.campaign}"


def _create_with_report_start(world, c):
    services.report_start(campaign=c, school=world.school_a1, user=world.coordinator_a)


def _create_with_load_accepted(world, c):
    c.status = Campaign.Status.CLOSED
    c.save()
    data = services.ReportInput(values={**FULL_VALUES})
    services.report_load_accepted(campaign=c, school=world.school_a1, data=data, user=world.methodist)


def _create_with_import(world, c, tmp_path):
    from tests.reports.test_excel_import import _row, _run, _workbook_with

    path = _workbook_with(tmp_path, [_row("г. Томск", world.school_a1.short_name)])
    result = _run(path, world.methodist, c, dry_run=False)
    assert result.errors == []


def _create_with_past_import(world, c, tmp_path):
    c.status = Campaign.Status.PREPARING
    c.save()
    _create_with_import(world, c, tmp_path)


@pytest.mark.parametrize(
    "create",
    [_create_with_report_start, _create_with_load_accepted, _create_with_import, _create_with_past_import],
)
def test_every_way_of_creating_a_report_keeps_the_school_a_participant(world, tmp_path, create):
    c = campaign("2017", participants=[])
    if create in (_create_with_import, _create_with_past_import):
        create(world, c, tmp_path)
    else:
        create(world, c)
    assert SchoolReport.objects.filter(campaign=c, school=world.school_a1).exists()
    _every_report_is_a_participant()
    change = ParticipantChange.objects.get(campaign=c, school=world.school_a1)
    assert change.action == "added" and change.reason == services.REASON_REPORT_LOADED


def test_campaign_create_offers_only_organisations_working_on_the_as_of_date(world):
    school_services.school_close(
        school_id=world.school_a2.pk,
        closed_on=datetime.date(2017, 6, 30),
        reason="closed",
        user=world.methodist,
    )
    before = services.campaign_create(
        slug="2016",
        title="2016",
        academic_year="2016-2017",
        as_of=datetime.date(2016, 9, 1),
        deadline=datetime.date(2016, 9, 20),
    )
    after = services.campaign_create(
        slug="2017",
        title="2017",
        academic_year="2017-2018",
        as_of=datetime.date(2017, 9, 1),
        deadline=datetime.date(2017, 9, 20),
        previous=before,
    )
    assert world.school_a2.pk in _participant_ids(before)
    assert world.school_a2.pk not in _participant_ids(after)
    assert world.school_a1.pk in _participant_ids(after)


def test_participants_change_with_journal(world):
    c = campaign("2017", participants=[world.school_a1, world.school_a2])
    opened = SchoolFactory(municipality=world.mun_x, short_name="МАОУ СОШ № 90 г. Томска")
    services.campaign_participants_change(
        campaign_id=c.pk,
        user=world.methodist,
        add_ids=[opened.pk],
        remove_ids=[world.school_a2.pk],
        reason="приказ № 5",
    )
    assert _participant_ids(c) == {world.school_a1.pk, opened.pk}
    journal = {
        (ch.school_id, ch.action, ch.reason, ch.actor_id)
        for ch in ParticipantChange.objects.filter(campaign=c)
    }
    assert journal == {
        (opened.pk, "added", "приказ № 5", world.methodist.pk),
        (world.school_a2.pk, "removed", "приказ № 5", world.methodist.pk),
    }


def test_a_school_with_a_report_cannot_be_removed(world):
    c = campaign("2017", participants=[world.school_a1, world.school_a2])
    report(c, world.school_a1)
    with pytest.raises(services.ServiceError) as exc:
        services.campaign_participants_change(
            campaign_id=c.pk, user=world.methodist, remove_ids=[world.school_a1.pk, world.school_a2.pk]
        )
    assert str(exc.value) == services.MSG_PARTICIPANT_HAS_REPORT.format(school=world.school_a1)
    assert _participant_ids(c) == {world.school_a1.pk, world.school_a2.pk}  # nothing half-done
    assert not ParticipantChange.objects.exists()
    with pytest.raises(services.ServiceError):
        services.campaign_update(campaign=c, user=world.methodist, participants=School.objects.none())
    assert world.school_a1.pk in _participant_ids(c)


def test_only_methodists_change_participants(world):
    c = campaign("2017", participants=[world.school_a1])
    with pytest.raises(services.ServiceError, match="только методисты"):
        services.campaign_participants_change(
            campaign_id=c.pk, user=world.specialist_x, remove_ids=[world.school_a1.pk]
        )


def test_participants_page(world, client_for):
    c = campaign("2017", participants=[world.school_a1, world.school_a2, world.school_b1])
    school_services.school_close(
        school_id=world.school_a2.pk,
        closed_on=datetime.date(2017, 6, 30),
        reason="merged",
        merged_into_id=world.school_a1.pk,
        user=world.methodist,
    )
    report(c, world.school_a1)
    url = reverse("monitoring:participants", args=[c.slug])
    client = client_for(world.methodist)
    page = client.get(url).content.decode()
    closed_part, not_included_part = page.split("Действующие организации, не включённые")[:2]
    assert world.school_a2.short_name in closed_part and "присоединена" in closed_part
    assert world.school_b2.short_name in not_included_part.split("Все участники")[0]
    response = client.post(
        url,
        {"add": [world.school_b2.pk], "remove": [world.school_a2.pk], "reason": "реорганизация"},
        follow=True,
    )
    assert "включено 1, исключено 1" in response.content.decode()
    assert _participant_ids(c) == {world.school_a1.pk, world.school_b1.pk, world.school_b2.pk}
    assert "реорганизация" in client.get(url).content.decode()
    # A school with a report stays: a clear message, nothing changed.
    response = client.post(url, {"remove": [world.school_a1.pk]}, follow=True)
    assert "у неё есть отчёт" in response.content.decode()
    assert world.school_a1.pk in _participant_ids(c)


@pytest.mark.parametrize("persona", ["specialist_x", "coordinator_a", "nobody"])
def test_participants_page_only_for_methodists(world, client_for, persona):
    c = campaign("2017")
    client = client_for(getattr(world, persona))
    url = reverse("monitoring:participants", args=[c.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"remove": [world.school_a1.pk]}).status_code == 403
    assert world.school_a1.pk in _participant_ids(c)


def test_campaign_edit_cannot_drop_a_school_with_a_report(world, client_for):
    c = campaign("2017", participants=[world.school_a1, world.school_b1])
    report(c, world.school_b1)
    response = client_for(world.methodist).post(
        reverse("monitoring:campaign_edit", args=[c.slug]),
        {
            "title": c.title,
            "slug": c.slug,
            "academic_year": c.academic_year,
            "as_of": "2017-09-01",
            "deadline": "2017-09-20",
            "participant_municipalities": [world.mun_x.pk],
        },
    )
    assert response.status_code == 200
    assert "у неё есть отчёт" in response.content.decode()
    assert _participant_ids(c) == {world.school_a1.pk, world.school_b1.pk}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_refuses_a_report_of_a_non_participant():
    """On PostgreSQL the rule holds even for a write that skips the services."""
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("нужен PostgreSQL: ограничение задаётся только там")
    school = SchoolFactory()
    other = SchoolFactory()
    c = campaign("2017", participants=[school])
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolReport.objects.create(campaign=c, school=other)
    assert not SchoolReport.objects.filter(school=other).exists()
    with transaction.atomic():  # a participant's report commits
        SchoolReport.objects.create(campaign=c, school=school)
    with pytest.raises(IntegrityError), transaction.atomic():
        c.participants.remove(school)
    assert c.participants.filter(pk=school.pk).exists()
