"""The official Appendix 1 table: only checked data, the participants left out, exactly the 25
columns of the letter with column 14 naming the modules, totals of what is shown, print setup."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring import dashboard, workflow
from monitoring.basis import Basis
from monitoring.models import SchoolReport
from monitoring.rules import MSG_MODULES_UNNAMED, check_report
from reports.excel import layout
from reports.excel.export import (
    FIRST_DATA_ROW,
    FOOTER,
    LEFT_OUT_SHEET,
    MAIN_SHEET,
    basis_line,
    write_appendix1,
)
from reports.excel.importer import import_appendix1
from tests.factories import SchoolFactory, campaign, report
from tests.monitoring.test_views import edit_url, form_data, open_form

MODULES = dict(
    classes_other_modules=5,
    module_turnstile=True,
    module_canteen=True,
    other_modules_text="ООО «ТЭШ»",
)


@pytest.fixture
def states(world):
    """One report in every state: A1 accepted (with modules), A2 under review, B1 draft, a new
    school returned; B2 has not started."""
    current = campaign("2017", letter_number="814")
    returned_school = SchoolFactory(municipality=world.mun_y, short_name="МБОУ «СОШ № 78»")
    current.participants.add(returned_school)
    reports = {
        "approved": report(current, world.school_a1, status="approved", **MODULES),
        "submitted": report(current, world.school_a2, status="submitted", classes_total=30),
        "draft": report(current, world.school_b1),
        "returned": report(current, returned_school, status="returned"),
    }
    return current, reports, returned_school


def _export(tmp_path, user, current, **kwargs):
    path = tmp_path / "official.xlsx"
    write_appendix1(path, user=user, campaign=current, **kwargs)
    return openpyxl.load_workbook(path, data_only=True), path


def _school_rows(ws):
    """Data rows of schools (column 3 filled, not «Итого»)."""
    return [
        list(r)
        for r in ws.iter_rows(min_row=FIRST_DATA_ROW + 1, values_only=True)
        if r[2] and not str(r[1] or "").startswith(layout.TOTAL_PREFIX)
    ]


def _names(ws) -> set[str]:
    return {layout.split_name_address(r[2])[0] for r in _school_rows(ws)}


def _left_out(wb) -> dict[str, tuple[str, str]]:
    ws = wb[LEFT_OUT_SHEET]
    return {
        layout.split_name_address(r[2])[0]: (r[1], r[3])
        for r in ws.iter_rows(min_row=3, values_only=True)
        if r[2]
    }


def _count(value):
    if isinstance(value, str):
        value = int(layout.split_modules_cell(value)[0])
    return value or 0


# --- which reports -------------------------------------------------------------------------------


def test_default_is_accepted_reports_only(world, states, tmp_path):
    current, reports, returned_school = states
    wb, _ = _export(tmp_path, world.methodist, current)
    assert wb.sheetnames[:2] == [MAIN_SHEET, LEFT_OUT_SHEET]
    assert _names(wb[MAIN_SHEET]) == {world.school_a1.short_name}
    assert _left_out(wb) == {
        world.school_a2.short_name: ("Город Томск", "на проверке"),
        world.school_b1.short_name: ("ЗАТО Северск", "черновик"),
        world.school_b2.short_name: ("ЗАТО Северск", "не начат"),
        returned_school.short_name: ("ЗАТО Северск", "возвращён на доработку"),
    }
    subtitle = wb[MAIN_SHEET]["A2"].value
    assert "по принятым отчётам; не представили или не приняты: 4 организации — см. лист «Не включены»" in (
        subtitle
    )


def test_with_reports_under_review(world, states, tmp_path):
    current, reports, returned_school = states
    wb, _ = _export(tmp_path, world.methodist, current, basis=Basis.SUBMITTED)
    assert _names(wb[MAIN_SHEET]) == {world.school_a1.short_name, world.school_a2.short_name}
    left = _left_out(wb)
    # Drafts and returned reports are never in the official sheet.
    assert set(left) == {world.school_b1.short_name, world.school_b2.short_name, returned_school.short_name}
    assert (
        "по принятым отчётам и отчётам на проверке; не представили или возвращены на доработку: 3 организации"
        in (wb[MAIN_SHEET]["A2"].value)
    )


def test_every_participant_is_either_shown_or_left_out(world, states, tmp_path):
    current, *_ = states
    for basis in Basis.values:
        wb, _ = _export(tmp_path, world.methodist, current, basis=basis)
        shown, left = _names(wb[MAIN_SHEET]), set(_left_out(wb))
        assert not shown & left
        assert shown | left == set(current.participants.values_list("short_name", flat=True))


def test_specialist_left_out_sheet_is_own_municipality(world, states, tmp_path):
    current, *_ = states
    wb, _ = _export(tmp_path, world.specialist_x, current)
    assert set(_left_out(wb)) == {world.school_a2.short_name}


@pytest.mark.parametrize(
    "n,expected",
    [
        (1, "1 организация"),
        (2, "2 организации"),
        (5, "5 организаций"),
        (11, "11 организаций"),
        (12, "12 организаций"),
        (21, "21 организация"),
        (24, "24 организации"),
        (111, "111 организаций"),
    ],
)
def test_subtitle_agrees_with_the_number(n, expected):
    assert basis_line(Basis.ACCEPTED, n) == (
        f"по принятым отчётам; не представили или не приняты: {expected} — см. лист «Не включены»"
    )


def test_subtitle_when_nobody_is_left_out():
    assert basis_line(Basis.ACCEPTED, 0) == "по принятым отчётам; в таблице все организации мониторинга"


# --- 25 columns, column 14, totals ------------------------------------------------------------------


@pytest.mark.parametrize("basis", Basis.values)
def test_exactly_25_columns(world, states, tmp_path, basis):
    current, *_ = states
    wb, _ = _export(tmp_path, world.methodist, current, basis=basis)
    ws = wb[MAIN_SHEET]
    assert ws.max_column == 25
    assert [ws.cell(FIRST_DATA_ROW, c).value for c in range(1, 26)] == list(range(1, 26))
    assert all(ws.cell(3, c).value for c in range(1, 26))
    assert all(ws.cell(r, 26).value is None for r in range(1, ws.max_row + 1))


def test_column_14_holds_count_and_modules(world, states, tmp_path):
    current, reports, _ = states
    wb, _ = _export(tmp_path, world.methodist, current, basis=Basis.SUBMITTED)
    rows = {layout.split_name_address(r[2])[0]: r for r in _school_rows(wb[MAIN_SHEET])}
    assert rows[world.school_a1.short_name][13] == "5 (турникет, столовая — ООО «ТЭШ»)"
    assert rows[world.school_a2.short_name][13] == 0  # nothing named: a number


@pytest.mark.parametrize(
    "values,cell",
    [
        ({"classes_other_modules": 0}, 0),
        ({"classes_other_modules": None}, None),
        ({"classes_other_modules": 5, "module_library": True}, "5 (библиотека)"),
        (
            {
                "classes_other_modules": 7,
                "module_turnstile": True,
                "module_other": True,
                "other_modules_text": "СКУД — ИРТех",
            },
            "7 (турникет, другие — СКУД — ИРТех)",
        ),
        ({"classes_other_modules": 3, "other_modules_text": "ТЭШ"}, "3 (— ТЭШ)"),
        ({"classes_other_modules": None, "module_canteen": True}, "(столовая)"),
    ],
)
def test_column_14_pair_round_trips(values, cell):
    full = dict.fromkeys(layout.MODULE_FIELDS, False) | {"other_modules_text": ""} | values
    assert layout.modules_cell(full) == cell
    count, modules = layout.split_modules_cell(cell)
    assert modules == {name: full[name] for name in layout.MODULE_FIELDS}
    if isinstance(count, str):
        count = int(count)
    assert count == full["classes_other_modules"]


@pytest.mark.parametrize(
    "cell,expected",
    [
        (
            "5 (турникет, электронная библиотека)",
            {"module_turnstile": True, "module_other": True, "other_modules_text": "электронная библиотека"},
        ),
        ("5 (Столовая - ТЭШ)", {"module_canteen": True, "other_modules_text": "ТЭШ"}),
        ("12", {}),
    ],
)
def test_column_14_hand_written(cell, expected):
    count, modules = layout.split_modules_cell(cell)
    assert count in ("5", "12")
    assert {k: v for k, v in modules.items() if v} == expected


def test_totals_add_up_only_what_is_shown(world, states, tmp_path):
    current, *_ = states
    for basis in Basis.values:
        wb, _ = _export(tmp_path, world.methodist, current, basis=basis)
        ws = wb[MAIN_SHEET]
        shown = _school_rows(ws)
        region = next(r for r in ws.iter_rows(values_only=True) if r[1] == "Итого по области")
        for col in range(7, 18):
            assert region[col] == sum(_count(r[col]) for r in shown), (basis, col + 1)
        totals = {r[0]: r for r in wb["Итоги по МО"].iter_rows(values_only=True)}
        assert totals["Итого по области"][1] == len(shown)


def test_round_trip_keeps_column_14(world, states, tmp_path):
    current, reports, _ = states
    _, path = _export(tmp_path, world.methodist, current)
    target = campaign("empty", participants=[])
    with open(path, "rb") as fh:
        result = import_appendix1(
            fh, user=world.methodist, campaign=target, file_name=path.name, dry_run=False
        )
    assert result.errors == [] and result.written
    copy = SchoolReport.objects.get(campaign=target, school=world.school_a1)
    for name, value in MODULES.items():
        assert getattr(copy, name) == value
    assert copy.module_library is False and copy.module_other is False


# --- the column-14 rule ------------------------------------------------------------------------------


def test_rule_requires_modules_named():
    base = {"classes_total": 20, "classes_other_modules": 5}
    errors = check_report(base).errors
    assert [(e.field, e.column) for e in errors] == [("other_modules_text", 14)]
    assert errors[0].message == MSG_MODULES_UNNAMED.format(count=5)
    assert errors[0].message.startswith("Графа 14:")
    assert check_report({**base, "module_library": True}).errors == []
    assert check_report({**base, "other_modules_text": "СКУД ООО «ТЭШ»"}).errors == []
    assert check_report({**base, "classes_other_modules": 0}).errors == []


@pytest.fixture
def campaigns(world):
    previous = campaign("2016", status="closed")
    current = campaign("2017", previous=previous)
    report(previous, world.school_a1, status="approved")
    return previous, current


def test_form_refuses_unnamed_modules_with_the_column_number(world, campaigns, client_for):
    _, current = campaigns
    client, draft = open_form(client_for, world, current)
    response = client.post(
        edit_url(current, world.school_a1),
        form_data(draft, classes_other_modules=5, confirm_all="on", action="save"),
    )
    assert response.status_code == 422
    assert "Графа 14: классов, использующих другие модули, — 5" in response.content.decode()
    # Saved as a draft, submission is refused with the same message.
    client.post(
        edit_url(current, world.school_a1), form_data(draft, classes_other_modules=5, confirm_all="on")
    )
    draft.refresh_from_db()
    assert draft.classes_other_modules == 5
    response = client.post(
        reverse("monitoring:report_submit", args=[current.slug, world.school_a1.pk]), follow=True
    )
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert "Графа 14" in response.content.decode()
    with pytest.raises(workflow.ReportInvalid):
        workflow.report_submit(report_id=draft.pk, user=world.coordinator_a)
    # Named: accepted.
    draft.refresh_from_db()
    response = client.post(
        edit_url(current, world.school_a1),
        form_data(draft, classes_other_modules=5, module_library="on", confirm_all="on", action="save"),
    )
    assert response.status_code == 302


def _hand_table(tmp_path, col14):
    from tests.reports.test_excel_import import _row, _workbook_with

    return _workbook_with(tmp_path, [_row("Город Томск", "МАОУ СОШ № 2 г. Томска", cols={14: col14})])


def test_import_refuses_unnamed_modules(world, tmp_path):
    target = campaign("2015", participants=[])
    path = _hand_table(tmp_path, 5)
    with open(path, "rb") as fh:
        result = import_appendix1(
            fh, user=world.methodist, campaign=target, file_name="t.xlsx", dry_run=False
        )
    assert [(e.column, e.message) for e in result.errors] == [(14, MSG_MODULES_UNNAMED.format(count=5))]
    assert not SchoolReport.objects.filter(campaign=target).exists()


def test_import_reads_named_modules(world, tmp_path):
    target = campaign("2015", participants=[])
    path = _hand_table(tmp_path, "5 (турникет, столовая — ООО «ТЭШ»)")
    with open(path, "rb") as fh:
        result = import_appendix1(
            fh, user=world.methodist, campaign=target, file_name="t.xlsx", dry_run=False
        )
    assert result.errors == []
    loaded = SchoolReport.objects.get(campaign=target, school=world.school_a2)
    assert (loaded.classes_other_modules, loaded.module_turnstile, loaded.module_canteen) == (5, True, True)
    assert loaded.other_modules_text == "ООО «ТЭШ»"


def test_import_bad_count_in_column_14(world, tmp_path):
    target = campaign("2015", participants=[])
    path = _hand_table(tmp_path, "пять (турникет)")
    with open(path, "rb") as fh:
        result = import_appendix1(fh, user=world.methodist, campaign=target, file_name="t.xlsx", dry_run=True)
    assert [e.column for e in result.errors] == [14]
    assert "Ожидается целое число" in result.errors[0].message


# --- printing -------------------------------------------------------------------------------------------


def test_print_setup(world, states, tmp_path):
    current, *_ = states
    wb, _ = _export(tmp_path, world.methodist, current, basis=Basis.SUBMITTED)
    ws = wb[MAIN_SHEET]
    assert ws.page_setup.paperSize == 8  # A3
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$4"
    assert ws.oddFooter.center.text == "Страница &P из &N" == FOOTER.removeprefix("&C")
    # Widths set for every column; the header and wrapped rows are tall enough for their text.
    assert all(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, 26))
    assert ws.row_dimensions[3].height > 100
    a1_row = next(
        i
        for i, r in enumerate(ws.iter_rows(values_only=True), start=1)
        if str(r[2] or "").startswith("МАОУ СОШ № 1")
    )
    assert ws.row_dimensions[a1_row].height >= 3 * 12.5  # name + address wraps to 3+ lines
    left = wb[LEFT_OUT_SHEET]
    assert left.page_setup.paperSize == 9 and left.print_title_rows == "$2:$2"
    assert left.oddFooter.center.text == "Страница &P из &N"


# --- queries and agreement with the dashboards ---------------------------------------------------------


@pytest.mark.parametrize("basis", Basis.values)
def test_query_count_constant_with_schools(world, states, tmp_path, basis):
    current, *_ = states

    def count():
        with CaptureQueriesContext(connection) as ctx:
            write_appendix1(tmp_path / "q.xlsx", user=world.methodist, campaign=current, basis=basis)
        return len(ctx)

    before = count()
    for i, status in enumerate(["approved", "submitted", "draft", "returned", None] * 3):
        school = SchoolFactory(municipality=world.mun_x if i % 2 else world.mun_y)
        current.participants.add(school)
        if status:
            report(current, school, status=status)
    assert count() == before


@pytest.mark.parametrize("basis", Basis.values)
def test_dashboard_counts_agree_with_export(world, states, tmp_path, basis):
    current, *_ = states
    for i, status in enumerate(["approved", "approved", "submitted", "draft"]):
        school = SchoolFactory(municipality=world.mun_x if i % 2 else world.mun_y)
        current.participants.add(school)
        report(current, school, status=status)
    wb, _ = _export(tmp_path, world.methodist, current, basis=basis)
    total = dashboard.by_municipality(user=world.methodist, campaign=current).total
    counted = total.approved + (total.submitted if basis == Basis.SUBMITTED else 0)
    assert counted == len(_school_rows(wb[MAIN_SHEET]))
    assert total.expected - counted == len(_left_out(wb))
    by_mun = {r.name: r for r in dashboard.by_municipality(user=world.methodist, campaign=current).rows}
    for name, row in by_mun.items():
        shown = [r for r in _school_rows(wb[MAIN_SHEET]) if r[1] == name]
        assert row.approved + (row.submitted if basis == Basis.SUBMITTED else 0) == len(shown)


# --- page, background job and command ---------------------------------------------------------------------


def test_page_offers_the_choice_and_exports_on_it(world, states, client_for):
    current, *_ = states
    client = client_for(world.specialist_x)
    page = client.get(reverse("reports:export", args=[current.slug])).content.decode()
    assert "Только принятые отчёты" in page and 'value="accepted" id="id_basis_0" checked' in page
    for basis, expected in ((Basis.ACCEPTED, 1), (Basis.SUBMITTED, 2)):
        response = client.post(reverse("reports:export", args=[current.slug]), {"basis": basis})
        wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert len(_school_rows(wb[MAIN_SHEET])) == expected


def test_background_job_keeps_the_choice(
    world, states, client_for, django_capture_on_commit_callbacks, settings, tmp_path
):
    from reports.models import ExportJob

    settings.MEDIA_ROOT = tmp_path
    current, *_ = states
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.methodist).post(
            reverse("reports:export", args=[current.slug]), {"municipality": "", "basis": Basis.SUBMITTED}
        )
    job = ExportJob.objects.get()
    assert job.basis == Basis.SUBMITTED and job.state == "done"
    assert job.file.name.endswith("-submitted.xlsx")
    wb = openpyxl.load_workbook(job.file.path)
    assert len(_school_rows(wb[MAIN_SHEET])) == 2


def test_command_basis_option(world, states, tmp_path):
    current, *_ = states
    out = tmp_path / "cmd.xlsx"
    call_command("export_appendix1", "--campaign", current.slug, "--out", str(out))
    assert _names(openpyxl.load_workbook(out)[MAIN_SHEET]) == {world.school_a1.short_name}
    call_command("export_appendix1", "--campaign", current.slug, "--basis", "submitted", "--out", str(out))
    assert len(_names(openpyxl.load_workbook(out)[MAIN_SHEET])) == 2
