"""One entry point to the report checks: every door sees the same errors and warnings."""

import datetime

import pytest
from django.urls import reverse

from monitoring import checks, dashboard, workflow
from monitoring.rules import MSG_CHANGE, MSG_PILOT_REGISTRY, MSG_REQUIRED, MSG_UNCONFIRMED
from monitoring.services import ReportInvalid
from projects.models import AgreementType, Project
from projects.services import pilot_site_add
from reports.excel.export import Appendix1Writer
from reports.excel.importer import import_appendix1
from schools.models import EdmsSystem
from tests.factories import campaign, report


@pytest.fixture
def disputed(world):
    """A1's draft: a system change without a note and classes in the EDMS over the total (errors),
    students moved by 60% against last year and column 21 against the pilot-site registry (warnings)."""
    pilot_site_add(
        project=Project.objects.get(),
        school=world.school_a1,
        agreement_type=AgreementType.TRILATERAL,
        system=EdmsSystem.objects.get(code="tesh"),
        joined_on=datetime.date(2015, 5, 22),
        basis_order="Распоряжение № 360-р от 22.05.2015",
    )
    previous = campaign("2016", status="closed")
    current = campaign("2017", previous=previous)
    report(previous, world.school_a1, status="approved")
    draft = report(
        current,
        world.school_a1,
        system_code="dnevnik",
        classes_edms=25,
        students_total=800,
        pilot_site=2,
    )
    return current, draft


def _codes(findings):
    return sorted((f.code, f.field, f.message) for f in findings)


def _messages(findings):
    return sorted(f.message for f in findings)


def test_page_dashboard_submission_and_import_agree(world, disputed, client_for, tmp_path):
    current, draft = disputed
    stored = checks.check_saved_report(draft)
    assert {f.code for f in stored.errors} == {"system_changed", "part_gt_whole"}
    assert {f.code for f in stored.warnings} == {"change:students_total", "pilot_registry"}
    assert MSG_CHANGE.format(pct=30, old=500, new=800) in _messages(stored.warnings)
    assert any(m.startswith(MSG_PILOT_REGISTRY[:20]) for m in _messages(stored.warnings))

    # The report page and the edit form.
    client = client_for(world.coordinator_a)
    page = client.get(reverse("monitoring:report", args=[current.slug, world.school_a1.pk]))
    assert _codes(page.context["result"].findings) == _codes(stored.findings)
    form = client.get(reverse("monitoring:report_edit", args=[current.slug, world.school_a1.pk]))
    assert _codes(form.context["result"].findings) == _codes(stored.findings)

    # The municipality's dashboard counts the same warnings.
    rows = dashboard.by_school(
        user=world.specialist_x, campaign=current, municipality=world.school_a1.municipality
    )
    assert next(r for r in rows if r.school.pk == world.school_a1.pk).warnings == len(stored.warnings)

    # The submission is refused with the same findings, plus what only a submission asks for.
    with pytest.raises(ReportInvalid) as refused:
        workflow.report_submit(report_id=draft.pk, user=world.coordinator_a)
    submitted = refused.value.result
    assert _codes(submitted.warnings) == _codes(stored.warnings)
    extra = [f for f in submitted.errors if f not in stored.errors]
    assert all(f.code in ("required", "unconfirmed", "unexplained") for f in extra)
    assert _codes([f for f in submitted.errors if f in stored.errors]) == _codes(stored.errors)
    assert {f.field for f in extra if f.code == "unexplained"} == {"students_total", "pilot_site"}

    # The same data in a table (written row by row: the official export leaves drafts out): the
    # import reports the same errors and warnings.
    path = tmp_path / "a1.xlsx"
    writer = Appendix1Writer(path, current, total_schools=1)
    writer.start()
    writer.start_group(world.school_a1.municipality)
    writer.add_school(world.school_a1, draft)
    writer.end_group()
    writer.finish()
    with open(path, "rb") as fh:
        imported = import_appendix1(
            fh, user=world.methodist, campaign=current, file_name=path.name, dry_run=True
        )
    assert sorted(i.message for i in imported.errors) == _messages(stored.errors)
    [planned] = [p for p in imported.planned if p.school_name == world.school_a1.short_name]
    assert sorted(planned.warnings) == _messages(stored.warnings)


def test_input_counts_unconfirmed_and_explanations_as_they_will_be_stored(world, disputed):
    current, draft = disputed
    draft.unconfirmed_fields = ["teachers_total", "classes_total"]
    draft.save()
    values = {**{f.name: getattr(draft, f.name) for f in draft._meta.concrete_fields}, "classes_total": 24}
    result = checks.check_input(
        campaign=current,
        school_id=draft.school_id,
        values=values,
        report=draft,
        explanations={"change:students_total": "Открыт новый корпус."},
        for_submission=True,
    )
    # classes_total was changed by the input, teachers_total was not: only it stays unconfirmed.
    assert [f.field for f in result.errors if f.code == "unconfirmed"] == ["teachers_total"]
    assert all(f.message == MSG_UNCONFIRMED for f in result.errors if f.code == "unconfirmed")
    assert {f.field for f in result.errors if f.code == "unexplained"} == {"pilot_site"}
    assert MSG_REQUIRED not in _messages(result.errors)
