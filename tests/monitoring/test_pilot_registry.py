"""Column 21 (pilot site) and the pilot-site registry."""

import datetime

import pytest
from django.urls import reverse

from monitoring.models import SchoolReport
from monitoring.rules import check_report
from monitoring.services import report_start, report_values
from projects.models import AgreementType, Project
from projects.services import pilot_site_add
from schools.models import EdmsSystem
from tests.factories import campaign, report


@pytest.fixture
def registry(world):
    project = Project.objects.get()
    pilot_site_add(
        project=project,
        school=world.school_a1,
        agreement_type=AgreementType.TRILATERAL,
        system=EdmsSystem.objects.get(code="tesh"),
        joined_on=datetime.date(2015, 5, 22),
        basis_order="Распоряжение № 360-р от 22.05.2015",
    )
    return project


def test_new_report_takes_column_21_from_registry(world, registry):
    previous = campaign("2016", status="closed")
    current = campaign("2017", previous=previous)
    report(previous, world.school_a1, status="approved", pilot_site=2)
    report(previous, world.school_a2, status="approved", pilot_site=1)
    a1 = report_start(campaign=current, school=world.school_a1)
    a2 = report_start(campaign=current, school=world.school_a2)
    assert a1.pilot_site == SchoolReport.PilotSite.YES and "pilot_site" not in a1.unconfirmed_fields
    assert a2.pilot_site == SchoolReport.PilotSite.NO


def test_contradiction_with_registry_is_a_warning(world, registry, client_for):
    current = campaign("2017")
    r = report(current, world.school_a2, pilot_site=1)
    values = report_values(r)
    result = check_report(values, registry_pilot_site=False)
    assert [(w.code, w.field) for w in result.warnings] == [("pilot_registry", "pilot_site")]
    assert "не является" in result.warnings[0].message
    assert check_report(values, registry_pilot_site=True).warnings == []
    assert check_report(values, registry_pilot_site=None).warnings == []
    html = (
        client_for(world.specialist_x)
        .get(reverse("monitoring:report", args=[current.slug, world.school_a2.pk]))
        .content.decode()
    )
    assert "По реестру ПВП организация не является" in html


def test_without_registry_column_21_is_carried_over(world):
    from projects.models import PilotSite

    assert not PilotSite.objects.exists()
    previous = campaign("2016", status="closed")
    current = campaign("2017", previous=previous)
    report(previous, world.school_a1, status="approved", pilot_site=2)
    a1 = report_start(campaign=current, school=world.school_a1)
    assert a1.pilot_site == 2 and "pilot_site" in a1.unconfirmed_fields


def test_column_24_rows_link_to_project_events(world, client_for):
    from monitoring.models import ReportEvent
    from projects.models import Event
    from tests.monitoring.test_views import form_data

    project = Project.objects.get()
    seminar = Event.objects.create(
        project=project,
        title="Семинар «Новые возможности электронной школы»",
        kind="seminar",
        level="regional",
        starts_on=datetime.date(2016, 3, 1),
    )
    current = campaign("2017")
    client = client_for(world.coordinator_a)
    url = reverse("monitoring:report_edit", args=[current.slug, world.school_a1.pk])
    html = client.get(url).content.decode()
    assert '<option value="Семинар «Новые возможности электронной школы»">' in html
    r = report_start(campaign=current, school=world.school_a1)
    data = form_data(r, action="draft")
    data.update(
        {
            "event-TOTAL_FORMS": 2,
            "event-INITIAL_FORMS": 0,
            "event-0-title": "семинар  «Новые возможности электронной школы»",
            "event-0-students": "0",
            "event-0-teachers": "3",
            "event-1-title": "Школьный конкурс",
            "event-1-students": "5",
            "event-1-teachers": "1",
        }
    )
    assert client.post(url, data).status_code == 302
    rows = {e.title: e.event_id for e in ReportEvent.objects.filter(report=r)}
    assert rows == {"семинар  «Новые возможности электронной школы»": seminar.pk, "Школьный конкурс": None}
