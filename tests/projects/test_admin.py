"""Import and export of the registry in the admin: regional users only, with a preview first."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.admin import PilotSiteResource
from projects.models import PilotSite
from tests.factories import UserFactory
from tests.projects.conftest import D, make_site

IMPORT_URL = reverse("admin:projects_pilotsite_import")
EXPORT_URL = reverse("admin:projects_pilotsite_export")
PROCESS_URL = reverse("admin:projects_pilotsite_process_import")


@pytest.fixture
def staff_specialist(world):
    """A staff account whose role is not regional: it may use the admin but not import/export."""
    return UserFactory(role="specialist", municipality=world.mun_x, is_staff=True, is_superuser=True)


def test_regional_admin_sees_import_and_export(world, client_for):
    client = client_for(world.admin)
    assert client.get(IMPORT_URL).status_code == 200
    assert client.get(EXPORT_URL).status_code == 200
    changelist = client.get(reverse("admin:projects_pilotsite_changelist")).content.decode()
    assert IMPORT_URL in changelist and EXPORT_URL in changelist


def test_non_regional_staff_cannot_import_or_export(staff_specialist, client_for):
    client = client_for(staff_specialist)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403
    changelist = client.get(reverse("admin:projects_pilotsite_changelist")).content.decode()
    assert IMPORT_URL not in changelist


def test_export_reads_like_the_registry(world, project, sites):
    make_site(project, world.school_a2, "tesh", D(2013, 3, 20), left_on=D(2016, 11, 14))
    dataset = PilotSiteResource().export()
    rows = {row["school_name"]: row for row in dataset.dict}
    assert rows[world.school_a1.short_name]["system"] == "tesh"
    assert rows[world.school_b1.short_name]["municipality"] == world.mun_y.name
    assert rows[world.school_a2.short_name]["leave_reason"] == "Перешла на систему «Дневник.ру»"


def _csv(project, school, joined_on="2015-05-22", left_on="", reason="", system="tesh"):
    header = "id,project,school,agreement_type,agreement_number,agreement_date,basis_order,system,joined_on,left_on,leave_reason"
    row = f",{project.pk},{school.pk},trilateral,Т-1/2015,2015-05-22,Распоряжение № 360-р от 22.05.2015,{system},{joined_on},{left_on},{reason}"
    return SimpleUploadedFile("registry.csv", f"{header}\n{row}\n".encode(), content_type="text/csv")


def test_import_shows_a_preview_before_writing(world, project, client_for):
    client = client_for(world.admin)
    response = client.post(
        IMPORT_URL, {"resource": "0", "format": "0", "import_file": _csv(project, world.school_a2)}
    )
    assert response.status_code == 200
    assert "confirm_form" in response.context and response.context["result"].totals["new"] == 1
    assert not PilotSite.objects.exists()
    confirm = response.context["confirm_form"]
    response = client.post(PROCESS_URL, {name: confirm[name].value() for name in confirm.fields})
    assert response.status_code == 302
    site = PilotSite.objects.get()
    assert (site.school, site.system.code, site.joined_on) == (world.school_a2, "tesh", D(2015, 5, 22))
    assert site.history.get().history_user == world.admin


def test_import_is_validated_against_the_constraints(world, project, sites, client_for):
    client = client_for(world.admin)
    # School A1 is already an active site; a row that ends before it starts is wrong as well.
    response = client.post(
        IMPORT_URL, {"resource": "0", "format": "0", "import_file": _csv(project, world.school_a1)}
    )
    assert response.context["result"].has_validation_errors()
    bad_dates = _csv(project, world.school_a2, joined_on="2016-01-01", left_on="2015-01-01", reason="ошибка")
    response = client.post(IMPORT_URL, {"resource": "0", "format": "0", "import_file": bad_dates})
    assert response.context["result"].has_validation_errors()
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert PilotSite.objects.count() == 2
