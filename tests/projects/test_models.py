"""Invariants the database holds, and the passport loaded by the data migration."""

import re

import pytest
from django.db import IntegrityError, transaction

from projects.models import Event, PilotSite, Project
from projects.passport import PROJECT_NAME
from tests.projects.conftest import D, make_report, make_site


def _refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_passport_is_loaded_without_personal_data(project):
    assert project.name == PROJECT_NAME
    assert (project.period_start, project.period_end) == (2012, 2018)
    assert project.responsible_org.endswith("«Региональный центр развития образования»")
    assert "от 25.04.2011 N 729-р" in project.basis_documents
    assert "Постановление Администрации Томской области от 14.07.2011 №207а" in project.basis_documents
    assert project.goal.startswith("Внедрение систем электронного документооборота")
    assert project.tasks.count("\n") == 5  # six tasks
    assert "5. Мониторинговая деятельность." in project.directions
    assert "ЗАО «ИРТех»" in project.executors
    assert "Удовлетворенность родителей" in project.expected_results
    assert project.head == "Директор ОГБУ «РЦРО»"
    assert project.coordinators == "Старший методист ОГБУ «РЦРО»"
    text = " ".join(str(getattr(project, f.attname)) for f in Project._meta.concrete_fields)
    for personal in ("Лыжина", "Антипьева", "Надежда", "Наталья", "515", "513-255", "@"):
        assert personal not in text
    assert not re.search(r"\b\d{3}-\d{3}\b|8 \(38 ?22\)", text)  # no phone numbers


def test_left_on_not_before_joined_on(world, project):
    _refused(lambda: make_site(project, world.school_a1, "tesh", D(2015, 5, 22), left_on=D(2015, 5, 21)))
    make_site(project, world.school_a1, "tesh", D(2015, 5, 22), left_on=D(2015, 5, 22))


def test_one_active_membership_per_school(world, project):
    make_site(project, world.school_a1, "tesh", D(2013, 3, 20), left_on=D(2014, 1, 1))
    make_site(project, world.school_a1, "tesh", D(2015, 5, 22))
    _refused(lambda: make_site(project, world.school_a1, "dnevnik", D(2016, 1, 1)))
    assert PilotSite.objects.filter(school=world.school_a1).count() == 2


def test_leaving_needs_a_reason(world, project, systems):
    _refused(
        lambda: PilotSite.objects.create(
            project=project,
            school=world.school_a1,
            system=systems["tesh"],
            agreement_type="trilateral",
            joined_on=D(2013, 3, 20),
            left_on=D(2016, 11, 1),
        )
    )


def test_assignment_report_constraints(world, project):
    site = make_site(project, world.school_a1, "tesh", D(2013, 3, 20))
    make_report(site, "2016-2017")
    _refused(lambda: make_report(site, "2016-2017"))
    _refused(lambda: make_report(site, "2016/17"))
    _refused(lambda: make_report(site, "2017-2018", ext_events_count=-1))
    _refused(lambda: make_report(site, "2017-2018", consultations_parents=-5))
    _refused(lambda: make_report(site, "2017-2018", status="lost"))


def test_event_constraints(project):
    def event(**kw):
        values = dict(project=project, title="Семинар", kind="seminar", starts_on=D(2016, 3, 1)) | kw
        return Event.objects.create(**values)

    _refused(lambda: event(teachers=-1))
    _refused(lambda: event(ends_on=D(2016, 2, 1)))
    _refused(lambda: event(title=""))
    assert event(ends_on=D(2016, 3, 2)).organiser == "ОГБУ «РЦРО»"
