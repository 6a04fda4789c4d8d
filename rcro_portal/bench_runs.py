"""One measurement of the benchmark, run in a fresh process by ``manage.py bench_one``.

Each function does the real work once (after whatever set-up it needs, which is not timed) and
returns ``{"seconds": …, "queries": …}`` (plus a few extras). The parent process reads the peak
RSS of the child from ``os.wait4``.
"""

import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import xlsxwriter
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from xlsxwriter.utility import xl_rowcol_to_cell

from core.startup import freeze_startup_objects
from monitoring.basis import Basis
from monitoring.columns import COLUMNS
from monitoring.models import ReportStatus, SchoolReport
from reports.excel.export import (
    FLAT_SOURCES,
    REPORT_FIELDS,
    Appendix1Writer,
    export_rows,
    export_schools,
    left_out_schools,
    write_appendix1,
)
from reports.excel.importer import import_appendix1
from reports.models import AnalyticReport
from reports.services import analytic_report_run

from .bench_data import BenchSet

MEASUREMENTS = (
    "export",
    "export_floor",
    "export_import_export",
    "report",
    "dashboard_region",
    "dashboard_municipality_small",
    "dashboard_municipality",
    "import_dry",
    "import_real",
    "save",
)
IMPORT_SCHOOLS = 2000
SAVES = 50


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def measured(result: dict):
    counter = _Counter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        yield
        result["seconds"] = time.perf_counter() - started
    result["queries"] = counter.count


def export(bench: BenchSet) -> dict:
    result: dict = {}
    campaign = bench.campaign("previous")
    user = bench.user("methodist")
    with tempfile.TemporaryDirectory() as tmp, measured(result):
        result["rows"] = write_appendix1(Path(tmp) / "export.xlsx", user=user, campaign=campaign)
    return result


FLOOR_FIELDS = (
    "school__municipality__name",
    "school__short_name",
    "system__name",
    "responsible_name",
    "responsible_phone",
    "classes_total",
    "classes_edms",
    "parents_edms",
    "teacher_workstations",
    "student_workstations",
    "classes_ejournal",
    "classes_other_modules",
    "students_total",
    "students_edms",
    "teachers_total",
    "teachers_edms",
    "entry_frequency",
    "paper_journal",
    "pilot_site",
    "coordinator_name",
    "coordinator_phone",
    "notes",
)


def export_floor(bench: BenchSet) -> dict:
    """The floor: the cells the export writes, from lists fetched by the export's own queries (the
    rows, one query; the participants left out, one query), written with XlsxWriter in
    constant-memory mode with ``write_row``, one format a sheet, a fixed row height, no text built:
    sheet 1 with its title, header and number rows, a row per school and per shown branch, a total
    row per municipality (formulas) and for the region; the «Не включены» sheet; the flat table
    (the same columns; empty cells skipped, as the export does); the totals per municipality."""
    result: dict = {}
    campaign = bench.campaign("previous")
    user = bench.user("methodist")
    basis = Basis.ACCEPTED
    with tempfile.TemporaryDirectory() as tmp, measured(result):
        rows = list(export_rows(user=user, campaign=campaign, basis=basis))
        left_out = left_out_schools(user=user, campaign=campaign, basis=basis)
        book = xlsxwriter.Workbook(
            str(Path(tmp) / "floor.xlsx"), {"constant_memory": True, "remove_timezone": True}
        )
        sheet, left, flat, totals = (book.add_worksheet(name) for name in ("1", "2", "3", "4"))
        fmt = book.add_format({"font_name": "Times New Roman", "font_size": 10, "border": 1})
        field = {name: i for i, name in enumerate(REPORT_FIELDS)}
        official = [field[name] for name in FLOOR_FIELDS]
        flat_columns = [field.get(FLAT_SOURCES.get(key, key)) for _, key in Appendix1Writer.FLAT_COLUMNS]
        municipality, branches_at, events_at = (
            field["school__municipality_id"],
            field["branches_json"],
            field["events_json"],
        )
        branch_rows_at = field["branch_rows_json"]
        flat_keys = [key for _, key in Appendix1Writer.FLAT_COLUMNS]
        flat_events, flat_branches = flat_keys.index("events"), flat_keys.index("branches")
        sums = slice(7, 18)  # columns 8…18 of a school's row
        sheet.merge_range(0, 0, 0, 24, "title", fmt)
        sheet.merge_range(1, 0, 1, 24, "subtitle", fmt)
        sheet.write_row(2, 0, [c.label for c in COLUMNS], fmt)
        sheet.write_row(3, 0, range(1, 26), fmt)
        flat.write_row(0, 0, [label for label, _ in Appendix1Writer.FLAT_COLUMNS], fmt)
        r, group_first, number, groups = 4, 4, 0, []
        for i, row in enumerate(rows):
            number += 1
            cells = [number, *(row[j] for j in official[:2]), None, *(row[j] for j in official[2:])]
            cells[23:23] = [row[events_at][0]["title"] if row[events_at] else None]
            sheet.set_row(r, 15)
            sheet.write_row(r, 0, cells, fmt)
            r += 1
            shown = {b["branch"] for b in row[branch_rows_at] or ()}
            for branch in row[branches_at] or ():
                if not branch["active"] and branch["id"] not in shown:
                    continue
                number += 1
                sheet.set_row(r, 15)
                sheet.write_row(r, 0, [number, None, None, branch["name"], *[None] * 21], fmt)
                r += 1
            values = [None if j is None else row[j] for j in flat_columns]
            values[flat_events], values[flat_branches] = cells[23], len(row[branches_at] or ())
            flat.write_row(i + 1, 0, values)
            if i + 1 == len(rows) or rows[i + 1][municipality] != row[municipality]:
                total = [
                    f"=SUBTOTAL(9,{xl_rowcol_to_cell(group_first, c)}:{xl_rowcol_to_cell(r - 1, c)})"
                    for c in range(7, 18)
                ]
                sheet.set_row(r, 15)
                sheet.write_row(
                    r,
                    0,
                    [None, row[field["school__municipality__name"]], *[None] * 5, *total, *[None] * 7],
                    fmt,
                )
                groups.append((row[field["school__municipality__name"]], cells[sums]))
                r += 1
                group_first = r
        sheet.write_row(r, 0, [None, "Итого по области", *[None] * 5, *[0] * 11, *[None] * 7], fmt)
        left.write_row(0, 0, ["heading"], fmt)
        left.write_row(1, 0, ["№", "МОУО", "Организация", "Состояние"], fmt)
        for i, school in enumerate(left_out, start=1):
            left.set_row(i + 1, 15)
            left.write_row(i + 1, 0, (i, school.municipality, school.name, school.report_status), fmt)
        totals.write_row(0, 0, ["МОУО", "Организаций", *range(8, 19)], fmt)
        for i, (name, values) in enumerate(groups, start=1):
            totals.write_row(i, 0, [name, i, *values], fmt)
        book.close()
        result["rows"] = len(rows)
    return result


def export_import_export(bench: BenchSet) -> dict:
    """A django-import-export ``ModelResource`` export of the same report rows to xlsx."""
    from import_export import fields, resources

    class ReportResource(resources.ModelResource):
        municipality = fields.Field(attribute="school__municipality__name")
        school = fields.Field(attribute="school__short_name")
        system = fields.Field(attribute="system__name")

        class Meta:
            model = SchoolReport
            fields = ("municipality", "school", "system", *FLOOR_FIELDS[3:])

    result: dict = {}
    campaign = bench.campaign("previous")
    queryset = (
        SchoolReport.objects.filter(campaign=campaign, status=ReportStatus.APPROVED)
        .select_related("school__municipality", "system")
        .order_by("school__municipality__sort_order", "school__short_name")
    )
    with tempfile.TemporaryDirectory() as tmp, measured(result):
        dataset = ReportResource().export(queryset=queryset)
        (Path(tmp) / "ie.xlsx").write_bytes(dataset.export("xlsx"))
        result["rows"] = len(dataset)
    return result


def report(bench: BenchSet) -> dict:
    """The analytic report task's body end to end: figures, DOCX, XLSX, charts, stored files."""
    result: dict = {}
    item = AnalyticReport.objects.create(
        requested_by=bench.user("methodist"), campaign=bench.campaign(), include_unapproved=True
    )
    try:
        with measured(result):
            done = analytic_report_run(report_id=item.pk)
        result["state"] = done.state
    finally:
        for name in ("docx", "xlsx", "json"):
            field = getattr(item.__class__.objects.get(pk=item.pk), name)
            if field:
                field.delete(save=False)
        AnalyticReport.objects.filter(pk=item.pk).delete()
    return result


def _client() -> Client:
    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    return Client()


def _page(user, url, result: dict) -> dict:
    client = _client()
    client.force_login(user)
    client.get(url)  # warm: URL resolving, templates, the session
    freeze_startup_objects()  # as a server process does once the application is loaded (wsgi.py)
    with measured(result):
        response = client.get(url)
    result["status"] = response.status_code
    return result


def dashboard_region(bench: BenchSet) -> dict:
    campaign = bench.campaign()
    return _page(bench.user("methodist"), reverse("monitoring:dashboard", args=[campaign.slug]), {})


def _municipality_page(bench: BenchSet, index: int) -> dict:
    campaign = bench.campaign()
    municipality = bench.municipality(index)
    url = reverse("monitoring:municipality_dashboard", args=[campaign.slug, municipality.pk])
    result = _page(bench.user("methodist"), url, {})
    result["schools"] = municipality.schools.count()
    return result


def dashboard_municipality(bench: BenchSet) -> dict:
    return _municipality_page(bench, 0)


def dashboard_municipality_small(bench: BenchSet) -> dict:
    return _municipality_page(bench, 1)


def _import_workbook(bench: BenchSet, path: Path) -> int:
    """An official table of the first 2 000 schools of last year (the exporter's own layout)."""
    campaign = bench.campaign("previous")
    user = bench.user("methodist")
    schools = export_schools(user=user, campaign=campaign, basis=Basis.ACCEPTED)
    ids = list(schools.values_list("pk", flat=True)[:IMPORT_SCHOOLS])
    chosen = schools.filter(pk__in=ids)
    writer = Appendix1Writer(path, campaign, total_schools=len(ids), basis=Basis.ACCEPTED, left_out=[])
    writer.start()
    current = None
    for school in chosen:
        if current is None or school.municipality_id != current.pk:
            if current is not None:
                writer.end_group()
            current = school.municipality
            writer.start_group(current)
        writer.add_school(school, school.export_reports[0])
    if current is not None:
        writer.end_group()
    writer.finish()
    return len(ids)


def _import(bench: BenchSet, dry_run: bool) -> dict:
    result: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "import.xlsx"
        result["schools"] = _import_workbook(bench, path)
        campaign = bench.campaign("import")
        user = bench.user("methodist")
        with transaction.atomic():
            with path.open("rb") as fh, measured(result):
                outcome = import_appendix1(
                    fh, user=user, campaign=campaign, file_name="import.xlsx", dry_run=dry_run
                )
            transaction.set_rollback(True)  # the same data set for the next run
    result["errors"] = len(outcome.errors)
    if outcome.errors:
        result["first_error"] = str(outcome.errors[0])
    return result


def import_dry(bench: BenchSet) -> dict:
    return _import(bench, dry_run=True)


def import_real(bench: BenchSet) -> dict:
    return _import(bench, dry_run=False)


def _form_data(report: SchoolReport) -> dict:
    from monitoring.selectors import VALUE_FIELDS

    data: dict = {"version": report.version, "action": "draft"}
    for name in VALUE_FIELDS:
        value = report.system_id if name == "system" else getattr(report, name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    rows = list(report.branch_rows.all())
    data.update({"branch-TOTAL_FORMS": len(rows), "branch-INITIAL_FORMS": len(rows)})
    for i, row in enumerate(rows):
        data[f"branch-{i}-branch_id"] = row.branch_id
        data[f"branch-{i}-system"] = row.system_id or ""
        for name in ("responsible_name", "responsible_position", "responsible_phone", "responsible_email"):
            data[f"branch-{i}-{name}"] = getattr(row, name)
    data.update({"event-TOTAL_FORMS": 0, "event-INITIAL_FORMS": 0})
    return data


def save(bench: BenchSet) -> dict:
    """The coordinator saves the edit form (a draft, «Сохранить черновик») ``SAVES`` times; p95 of
    the round trips."""
    user = bench.user("coordinator")
    school_id = user.school_id
    assert school_id is not None
    campaign = bench.campaign()
    url = reverse("monitoring:report_edit", args=[campaign.slug, school_id])
    client = _client()
    client.force_login(user)
    client.get(url)
    report = SchoolReport.objects.filter(campaign=campaign, school_id=school_id).first()
    if report is None or report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        SchoolReport.objects.filter(campaign=campaign, school_id=school_id).update(status=ReportStatus.DRAFT)
        report = SchoolReport.objects.get(campaign=campaign, school_id=school_id)
    freeze_startup_objects()  # as a server process does once the application is loaded (wsgi.py)
    times, queries, statuses = [], [], set()
    for i in range(SAVES):
        report.refresh_from_db()
        data = _form_data(report)
        data["notes"] = f"Сохранение {i}"
        one: dict = {}
        body = urlencode(data)  # as the browser sends the form (no file fields: not multipart)
        with measured(one):
            response = client.post(url, body, content_type="application/x-www-form-urlencoded")
        times.append(one["seconds"])
        queries.append(one["queries"])
        statuses.add(response.status_code)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    return {
        "seconds": p95,
        "median_s": statistics.median(times),
        "queries": max(queries),
        "statuses": sorted(statuses),
    }
