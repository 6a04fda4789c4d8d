import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.models import SchoolReport
from reports.excel.export import FIRST_DATA_ROW, write_appendix1
from reports.excel.layout import split_modules_cell
from tests.factories import SchoolFactory, report


def _export(tmp_path, user, campaign, municipality=None, basis="submitted"):
    path = tmp_path / "out.xlsx"
    write_appendix1(path, user=user, campaign=campaign, municipality=municipality, basis=basis)
    return openpyxl.load_workbook(path, data_only=True), openpyxl.load_workbook(path, data_only=False)


def _count(value):
    """A number cell, or column 14's «5 (турникет …)»: the count."""
    if isinstance(value, str):
        value = int(split_modules_cell(value)[0])
    return value or 0


def _rows(ws):
    return [list(r) for r in ws.iter_rows(min_row=FIRST_DATA_ROW + 1, max_col=26, values_only=True)]


def test_layout(world, filled, tmp_path):
    current, a1, a2, b1 = filled
    wb, _ = _export(tmp_path, world.methodist, current)
    ws = wb.worksheets[0]
    assert ws.title == "Приложение 1"
    assert ws["A1"].value.startswith("Сведения по использованию систем электронного документооборота")
    assert ws["A1"].value.endswith("по состоянию на 01.09.2017 г.")
    assert "A1:Y1" in [str(r) for r in ws.merged_cells.ranges]
    assert ws["C3"].value.startswith("Наименование общеобразовательной организации")
    assert ws["C3"].alignment.wrap_text
    assert [ws.cell(4, c).value for c in range(1, 26)] == list(range(1, 26))
    assert ws.freeze_panes == "D5"
    assert ws.auto_filter.ref.startswith("A4:Y")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 8
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the default and may be omitted
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$4"
    assert "&P" in ws.oddFooter.center.text

    rows = _rows(ws)
    labels = [(r[1], r[2], r[3]) for r in rows]
    # Tomsk group: A1 with its branch row, A2, the group total; then Seversk; then the region total.
    assert labels[0][1].startswith("МАОУ СОШ № 1 г. Томска, ")
    assert labels[1] == (None, None, "Филиал в п. Светлый, 634000, с. Тестовое, ул. Школьная, д. 1")
    assert labels[2][1].startswith("МАОУ СОШ № 2 г. Томска")
    assert labels[3][0] == "Итого по МО «Город Томск»"
    assert labels[-1][0] == "Итого по области"
    branch = rows[1]
    assert branch[0] == 2 and branch[4] == "«Электронная школа» (ТЭШ)"
    assert branch[5] == "Сидорова Вера Павловна, учитель"
    assert branch[6] == "+7 (3822) 55-03-45, branch@school.example"
    assert all(v is None for v in branch[7:25])
    school = rows[0]
    assert school[0] == 1 and school[1] == "Город Томск"
    assert isinstance(school[7], int) and school[7] == 20
    assert school[18:21] == [1, 1, 1]
    assert school[23] == (
        "Семинар «Новые возможности электронной школы» — обучающихся 0, педагогов 3; "
        "Конкурс «Электронная школа — это здорово!» — обучающихся 12, педагогов 2"
    )
    assert ws.cell(FIRST_DATA_ROW + 1, 8).number_format == "#,##0"


def test_totals_equal_sums_of_rows(world, filled, tmp_path):
    current, *_ = filled
    wb, formulas = _export(tmp_path, world.methodist, current)
    rows = _rows(wb.worksheets[0])
    formula_rows = _rows(formulas.worksheets[0])
    school_rows = [r for r in rows if r[2] and not str(r[1] or "").startswith("Итого")]
    tomsk = [r for r in school_rows if r[1] == "Город Томск"]
    total_tomsk = next(r for r in rows if r[1] == "Итого по МО «Город Томск»")
    total_region = next(r for r in rows if r[1] == "Итого по области")
    for col in range(7, 18):
        assert total_tomsk[col] == sum(_count(r[col]) for r in tomsk)
        assert total_region[col] == sum(_count(r[col]) for r in school_rows)
    region_formula = next(r for r in formula_rows if r[1] == "Итого по области")
    assert region_formula[7].startswith("=SUBTOTAL(9,H5:H")
    # Sheet 3 carries the same totals as plain values.
    totals = list(wb["Итоги по МО"].iter_rows(values_only=True))
    tomsk_row = next(r for r in totals if r[0] == "Город Томск")
    assert tomsk_row[1] == 2 and tomsk_row[2] == total_tomsk[7]


def test_formula_like_text_stays_text(world, filled, tmp_path):
    current, a1, a2, b1 = filled
    SchoolReport.objects.filter(pk=b1.pk).update(status="approved")
    _, formulas = _export(tmp_path, world.methodist, current)
    ws = formulas.worksheets[0]
    texts = {}
    for row in ws.iter_rows(min_row=FIRST_DATA_ROW + 1):
        for cell in row:
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                texts[cell.value] = cell.data_type
    assert texts['=HYPERLINK("http://evil.example")'] == "s"
    assert [t for v, t in texts.items() if v.startswith("+SUM(A1)")] == ["s"]
    flat = formulas["Таблица"]
    assert all(c.data_type != "f" for row in flat.iter_rows() for c in row)


def test_flat_sheet(world, filled, tmp_path):
    current, a1, a2, b1 = filled
    wb, _ = _export(tmp_path, world.methodist, current)
    ws = wb["Таблица"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["МОУО", "Организация", "Адрес", "Состояние отчёта"]
    rows = {r[1]: dict(zip(header, r, strict=False)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["МАОУ СОШ № 2 г. Томска"]["Состояние отчёта"] == "на проверке"
    assert rows["МАОУ СОШ № 2 г. Томска"]["Библиотека"] == "да"
    # Only the rows of the official sheet: a school that has not started is on «Не включены».
    assert "МБОУ «СОШ № 77»" not in rows


@pytest.mark.parametrize("persona", ["specialist_x", "methodist"])
def test_export_query_count_constant(world, filled, tmp_path, persona):
    current, *_ = filled
    user = getattr(world, persona)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            write_appendix1(tmp_path / "q.xlsx", user=user, campaign=current)
        return len(ctx)

    before = count()
    for i in range(12):
        school = SchoolFactory(municipality=world.mun_x)
        current.participants.add(school)
        report(current, school, status="approved" if i % 2 else "draft")
    assert count() == before


def test_specialist_exports_own_municipality_only(world, filled, client_for):
    current, *_ = filled
    response = client_for(world.specialist_x).post(
        reverse("reports:export", args=[current.slug]), {"municipality": world.mun_y.pk}
    )
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    names = {r[2] for r in _rows(wb.worksheets[0]) if r[2]}
    assert any("№ 1 г. Томска" in n for n in names)
    assert not any(n.startswith(world.school_b1.short_name) for n in names)


def test_methodist_exports_one_municipality_directly(world, filled, client_for):
    current, a1, a2, b1 = filled
    SchoolReport.objects.filter(pk=b1.pk).update(status="approved")
    response = client_for(world.methodist).post(
        reverse("reports:export", args=[current.slug]), {"municipality": world.mun_y.pk}
    )
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    names = [r[2] for r in _rows(wb.worksheets[0]) if r[2]]
    assert names and all("Томска" not in n for n in names)


def test_region_export_runs_as_job(
    world, filled, client_for, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    current, *_ = filled
    client = client_for(world.methodist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export", args=[current.slug]), {"municipality": ""})
    assert response.status_code == 302
    job_url = response["Location"]
    page = client.get(job_url).content.decode()
    assert "готово" in page and "Скачать файл" in page
    from reports.models import ExportJob

    job = ExportJob.objects.get()
    assert job.progress == 100 and job.state == "done"
    download = client.get(reverse("reports:export_job_download", args=[job.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert wb.sheetnames == ["Приложение 1", "Не включены", "Таблица", "Итоги по МО"]
    # Another user's job is not found.
    assert client_for(world.specialist_x).get(job_url).status_code == 404


def test_export_job_failure_recorded(world, filled, monkeypatch):
    from reports import services
    from reports.models import ExportJob

    current, *_ = filled
    job = ExportJob.objects.create(requested_by=world.methodist, campaign=current)

    def boom(*args, **kwargs):
        raise OSError("диск переполнен")

    monkeypatch.setattr(services, "write_appendix1", boom)
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and "диск переполнен" in job.error


@pytest.mark.parametrize("persona,expected", [("coordinator_a", 403), ("nobody", 403)])
def test_export_refused_for_schools(world, filled, client_for, persona, expected):
    current, *_ = filled
    assert client_for(getattr(world, persona)).get(
        reverse("reports:export", args=[current.slug])
    ).status_code in (expected, 404)


def test_export_command(world, filled, tmp_path):
    from django.core.management import call_command

    SchoolReport.objects.filter(pk=filled[3].pk).update(status="approved")
    out = tmp_path / "cmd.xlsx"
    call_command(
        "export_appendix1", "--campaign", "2017", "--municipality", "ЗАТО Северск", "--out", str(out)
    )
    wb = openpyxl.load_workbook(out)
    names = [r[2] for r in _rows(wb.worksheets[0]) if r[2]]
    assert any(n.startswith(world.school_b1.short_name) for n in names) and all(
        "Томска" not in n for n in names
    )
