"""Fixtures of the projects tests: the project from the data migration, the systems, and helpers
that build registry rows and reports directly (the services are tested on their own)."""

import datetime

import pytest

from projects.models import AgreementType, AssignmentReport, PilotSite, Project
from projects.passport import PROJECT_NAME
from schools.models import EdmsSystem

D = datetime.date


@pytest.fixture
def project(db):
    return Project.objects.get(name=PROJECT_NAME)


@pytest.fixture
def systems(db):
    return {s.code: s for s in EdmsSystem.objects.all()}


def make_site(project, school, system, joined_on, left_on=None, reason="", agreement_type=None, **extra):
    if isinstance(system, str):
        system = EdmsSystem.objects.get(code=system)
    if agreement_type is None:
        agreement_type = AgreementType.TRILATERAL if system.code == "tesh" else AgreementType.BILATERAL
    if left_on is not None and not reason:
        reason = "Перешла на систему «Дневник.ру»"
    return PilotSite.objects.create(
        project=project,
        school=school,
        system=system,
        joined_on=joined_on,
        left_on=left_on,
        leave_reason=reason,
        agreement_type=agreement_type,
        **extra,
    )


def make_report(site, academic_year="2016-2017", status="draft", **values):
    return AssignmentReport.objects.create(
        pilot_site=site, academic_year=academic_year, status=status, **values
    )


@pytest.fixture
def sites(world, project):
    """Active pilot sites for school A1 (ТЭШ) and school B1 (Дневник.ру, bilateral)."""
    a1 = make_site(project, world.school_a1, "tesh", D(2013, 3, 20))
    b1 = make_site(project, world.school_b1, "dnevnik", D(2015, 5, 22))
    return a1, b1
