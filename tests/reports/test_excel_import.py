import io
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from monitoring import workflow
from monitoring.models import ReportBranch, ReportEvent, SchoolReport, WorkflowEvent
from monitoring.services import VALUE_FIELDS
from reports.excel.export import FIRST_DATA_ROW, write_appendix1
from reports.excel.importer import Issue, import_appendix1
from schools.models import Branch, School
from tests.factories import campaign


def _state():
    """Everything an import could write."""
    reports = sorted(
        (r.campaign_id, r.school_id, r.status, r.version, *(getattr(r, f) for f in VALUE_FIELDS))
        for r in SchoolReport.objects.all()
    )
    return (
        reports,
        ReportBranch.objects.count(),
        ReportEvent.objects.count(),
        School.objects.count(),
        Branch.objects.count(),
        WorkflowEvent.objects.count(),
    )


def _export(tmp_path, world, source):
    """The whole campaign as an official table: every report accepted first (only checked data
    goes into the table)."""
    SchoolReport.objects.filter(campaign=source).update(status="approved")
    path = tmp_path / "src.xlsx"
    write_appendix1(path, user=world.methodist, campaign=source)
    return path


def _run(path, user, target, **kwargs):
    with open(path, "rb") as fh:
        return import_appendix1(fh, user=user, campaign=target, file_name=path.name, **kwargs)


def _report_data(r):
    values = {f: getattr(r, f) for f in VALUE_FIELDS}
    branches = sorted(
        (
            b.branch_id,
            b.system_id,
            b.responsible_name,
            b.responsible_position,
            b.responsible_phone,
            b.responsible_email,
        )
        for b in r.branch_rows.all()
        if b.system_id or b.responsible_name or b.responsible_phone  # an untouched row carries no value
    )
    events = [(e.title, e.students, e.teachers) for e in r.events.all()]
    return values, branches, events


def test_round_trip_reproduces_every_value(world, filled, tmp_path):
    source, a1, a2, b1 = filled
    path = _export(tmp_path, world, source)
    target = campaign("empty", participants=[])
    preview = _run(path, world.methodist, target, dry_run=True)
    assert preview.errors == []
    assert preview.counts == {"create": 3, "update": 0, "unchanged": 0}
    assert not SchoolReport.objects.filter(campaign=target).exists()
    result = _run(path, world.methodist, target, dry_run=False)
    assert result.written and result.errors == []
    for original in (a1, a2, b1):
        copy = SchoolReport.objects.get(campaign=target, school=original.school)
        assert _report_data(copy) == _report_data(original)
    # Importing the same file again changes nothing.
    again = _run(path, world.methodist, target, dry_run=False)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3}


def test_past_campaign_loaded_as_accepted(world, filled, tmp_path):
    source, *_ = filled
    path = _export(tmp_path, world, source)
    past = campaign("2015", status="closed", participants=[])
    result = _run(path, world.methodist, past, dry_run=False)
    assert result.written
    assert set(SchoolReport.objects.filter(campaign=past).values_list("status", flat=True)) == {"approved"}
    from monitoring.models import MunicipalityReview

    assert set(MunicipalityReview.objects.filter(campaign=past).values_list("state", flat=True)) == {
        "accepted"
    }
    # A specialist may not load a closed campaign.
    other = campaign("2014", status="closed", participants=[])
    before = _state()
    refused = _run(path, world.specialist_x, other, dry_run=False)
    assert refused.errors and _state() == before


def _workbook_with(tmp_path, rows, name="hand.xlsx", number_row=True):
    """A hand-made table in the Appendix 1 layout: a title, the number row, then ``rows``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Сведения по использованию СЭД по состоянию на 01.09.2015 г."])
    if number_row:
        ws.append(list(range(1, 26)))
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def _row(municipality, school, system="ТЭШ", cols=None):
    values = [None] * 25
    values[1], values[2], values[4] = municipality, school, system
    values[5] = "Петрова Анна Сергеевна, заместитель директора"
    values[6] = "8 (3822) 51-59-12, petrova@school.example"
    counts = {
        8: 10,
        9: 10,
        10: 150,
        11: 12,
        12: 5,
        13: 10,
        14: 0,
        15: 200,
        16: 190,
        17: 20,
        18: 19,
        19: 1,
        20: 1,
        21: 1,
    }
    for col, value in {**counts, **(cols or {})}.items():
        values[col - 1] = value
    values[21] = "Иванов Пётр Ильич"
    values[22] = "8 (3822) 51-59-13, ivanov@school.example"
    return values


def test_hand_made_table_with_aliases_quotes_and_totals(world, tmp_path):
    target = campaign("2015", participants=[])
    rows = [
        _row(
            "Город Томск",
            "маоу  сош № 1 г. томска, 634050, г. Томск, ул. Ленина, д. 1",
            system="Томская электронная школа",
        ),
        [
            None,
            None,
            None,
            "Филиал в п. Светлый, 634000, с. Тестовое",
            "Электронная школа",
            "Сидорова В. П., учитель",
            "55-01-01",
        ],
        _row("ЗАТО Северск", 'МБОУ "СОШ № 76"', system="Дневник.ру", cols={16: "1 90", 15: 200}),
        [None, "Итого по МО", None, None, None, None, None, 20],
        [None, None, None, None, None],
    ]
    path = _workbook_with(tmp_path, rows)
    result = _run(path, world.methodist, target, dry_run=False)
    assert result.errors == [], result.errors
    a1 = SchoolReport.objects.get(campaign=target, school=world.school_a1)
    assert a1.system.code == "tesh" and a1.responsible_position == "заместитель директора"
    assert a1.branch_rows.get().responsible_name == "Сидорова В. П."
    b1 = SchoolReport.objects.get(campaign=target, school=world.school_b1)
    assert b1.system.code == "dnevnik" and b1.students_edms == 190


@pytest.mark.parametrize(
    "case,expected",
    [
        ("unknown_school", "не найдена"),
        ("unknown_system", "Неизвестная система «Электронный дневник 2.0». Допустимые значения"),
        ("rule_violation", "Значение графы 9 (25) больше значения графы 8 (10)."),
        ("not_integer", "Ожидается целое число"),
        ("bad_code", "Допустимые значения: 1–4"),
        ("foreign_municipality", "загружать можно только организации МО «Город Томск»"),
        ("formula_without_value", "формула без сохранённого значения"),
        ("no_number_row", "Не найдена строка с номерами граф"),
    ],
)
def test_import_errors_write_nothing(world, tmp_path, case, expected):
    target = campaign("2015", participants=[])
    good = _row("Город Томск", "МАОУ СОШ № 1 г. Томска")
    bad = {
        "unknown_school": _row("Город Томск", "МАОУ СОШ № 999 г. Томска"),
        "unknown_system": _row("Город Томск", "МАОУ СОШ № 2 г. Томска", system="Электронный дневник 2.0"),
        "rule_violation": _row("Город Томск", "МАОУ СОШ № 2 г. Томска", cols={9: 25}),
        "not_integer": _row("Город Томск", "МАОУ СОШ № 2 г. Томска", cols={15: "двести"}),
        "bad_code": _row("Город Томск", "МАОУ СОШ № 2 г. Томска", cols={19: 7}),
        "foreign_municipality": _row("ЗАТО Северск", "МБОУ «СОШ № 76»"),
        "formula_without_value": _row("Город Томск", "МАОУ СОШ № 2 г. Томска", cols={8: "=5+5"}),
        "no_number_row": _row("Город Томск", "МАОУ СОШ № 2 г. Томска"),
    }[case]
    path = _workbook_with(tmp_path, [good, bad], number_row=case != "no_number_row")
    before = _state()
    user = world.specialist_x
    result = _run(path, user, target, dry_run=False)
    assert not result.written
    assert any(expected in e.message for e in result.errors), result.errors
    assert all(e.row in (0, 4) for e in result.errors)  # the bad row (title, numbers, good row, bad row)
    assert _state() == before


def test_error_location_is_row_and_column(world, tmp_path):
    target = campaign("2015", participants=[])
    path = _workbook_with(tmp_path, [_row("Город Томск", "МАОУ СОШ № 1 г. Томска", cols={9: 25})])
    result = _run(path, world.methodist, target, dry_run=True)
    assert [(e.row, e.column) for e in result.errors] == [(3, 9)]


def test_unknown_school_created_only_when_asked(world, tmp_path):
    target = campaign("2015", participants=[])
    rows = [
        _row("Город Томск", "МАОУ СОШ № 999 г. Томска, 634000, г. Томск, ул. Новая, д. 9"),
        [None, None, None, "Филиал в д. Новая", "ТЭШ"],
    ]
    path = _workbook_with(tmp_path, rows)
    assert _run(path, world.methodist, target, dry_run=False).errors
    assert not School.objects.filter(short_name="МАОУ СОШ № 999 г. Томска").exists()
    refused = _run(path, world.specialist_x, target, dry_run=False, create_missing=True)
    assert refused.errors and not School.objects.filter(short_name="МАОУ СОШ № 999 г. Томска").exists()
    result = _run(path, world.methodist, target, dry_run=False, create_missing=True)
    assert result.errors == []
    school = School.objects.get(short_name="МАОУ СОШ № 999 г. Томска")
    assert school.address == "634000, г. Томск, ул. Новая, д. 9"
    assert school.branches.get().name == "Филиал в д. Новая"
    assert result.planned[0].new_school


def test_locked_report_is_an_error(world, tmp_path):
    from tests.factories import report

    target = campaign("2015", participants=[world.school_a1])
    r = report(target, world.school_a1)
    workflow.report_submit(report_id=r.pk, user=world.coordinator_a)
    path = _workbook_with(tmp_path, [_row("Город Томск", "МАОУ СОШ № 1 г. Томска", cols={8: 11})])
    before = _state()
    result = _run(path, world.specialist_x, target, dry_run=False)
    assert any("нельзя изменить" in e.message for e in result.errors)
    assert _state() == before


def test_warnings_listed_and_kept_from_import(world, tmp_path):
    target = campaign("2015", participants=[])
    path = _workbook_with(tmp_path, [_row("Город Томск", "МАОУ СОШ № 1 г. Томска", cols={11: 0})])
    result = _run(path, world.methodist, target, dry_run=False)
    assert result.errors == []
    assert [w.column for w in result.warnings if "Рабочих мест учителя 0" in w.message] == [11]
    report = SchoolReport.objects.get(campaign=target, school=world.school_a1)
    note = report.warning_notes["no_teacher_workstations"]
    assert note["source"] == "import" and "hand.xlsx" in note["text"]


def _zip_bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "0" * (60 * 1024 * 1024))


@pytest.mark.parametrize("kind", ["broken", "bomb", "csv"])
def test_unsafe_files_rejected(world, tmp_path, kind):
    target = campaign("2015", participants=[])
    if kind == "broken":
        path = tmp_path / "broken.xlsx"
        path.write_bytes(b"PK\x03\x04 not really a zip")
    elif kind == "bomb":
        path = tmp_path / "bomb.xlsx"
        _zip_bomb(path)
    else:
        path = tmp_path / "table.csv"
        path.write_text("1;2;3", encoding="utf-8")
    before = _state()
    result = _run(path, world.methodist, target, dry_run=False)
    assert result.errors and not result.written
    assert _state() == before


def test_browser_flow_preview_then_confirm(world, filled, tmp_path, client_for, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    source, *_ = filled
    path = _export(tmp_path, world, source)
    target = campaign("empty", participants=[])
    client = client_for(world.methodist)
    with open(path, "rb") as fh:
        response = client.post(reverse("reports:import", args=[target.slug]), {"file": fh})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "будет создан" in preview and "Загрузить данные" in preview
    assert not SchoolReport.objects.filter(campaign=target).exists()
    batch_id = int(response["Location"].rstrip("/").split("/")[-1])
    client.post(reverse("reports:import_apply", args=[batch_id]))
    assert SchoolReport.objects.filter(campaign=target).count() == 3
    # Another specialist cannot see the batch.
    assert client_for(world.specialist_y).get(response["Location"]).status_code == 404


def test_browser_rejects_non_xlsx_with_message(world, filled, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    current, *_ = filled
    upload = io.BytesIO(b"a;b;c")
    upload.name = "table.csv"
    response = client_for(world.specialist_x).post(
        reverse("reports:import", args=[current.slug]), {"file": upload}
    )
    assert response.status_code == 422
    assert "формате .xlsx" in response.content.decode()


def test_import_command(world, filled, tmp_path):
    source, *_ = filled
    path = _export(tmp_path, world, source)
    target = campaign("empty", participants=[])
    call_command(
        "import_appendix1", str(path), "--campaign", "empty", "--dry-run", "--user", world.methodist.username
    )
    assert not SchoolReport.objects.filter(campaign=target).exists()
    call_command("import_appendix1", str(path), "--campaign", "empty", "--user", world.methodist.username)
    assert SchoolReport.objects.filter(campaign=target).count() == 3
    bad = _workbook_with(tmp_path, [_row("Город Томск", "МАОУ СОШ № 999 г. Томска")])
    with pytest.raises(CommandError, match="Ничего не записано"):
        call_command("import_appendix1", str(bad), "--campaign", "empty", "--user", world.methodist.username)


def test_export_rows_after_number_row(world, filled, tmp_path):
    """The importer finds data after the number row, whatever comes above it."""
    source, *_ = filled
    path = _export(tmp_path, world, source)
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert [c.value for c in ws[FIRST_DATA_ROW]][:25] == list(range(1, 26))


def test_imported_reports_are_handed_in(world, tmp_path):
    """A table is the schools' data as handed in: complete reports are submitted and, when the
    person loading them reviews them, approved; incomplete ones stay drafts with a warning."""
    target = campaign("2015", participants=[])
    rows = [
        _row("Город Томск", "МАОУ СОШ № 2 г. Томска"),
        _row("Город Томск", "МАОУ СОШ № 1 г. Томска"),  # has a branch, but the table has no branch row
    ]
    path = _workbook_with(tmp_path, rows)
    result = _run(path, world.specialist_x, target, dry_run=False)
    assert result.errors == []
    a2 = SchoolReport.objects.get(campaign=target, school=world.school_a2)
    a1 = SchoolReport.objects.get(campaign=target, school=world.school_a1)
    assert (a2.status, a1.status) == ("approved", "draft")
    assert [p.outcome for p in result.planned] == ["принят", "черновик"]
    assert any("филиал «Филиал в п. Светлый», графа 5" in w.message for w in result.warnings)
    assert list(a2.workflow_events.order_by("pk").values_list("action", flat=True)) == [
        "submit",
        "approve",
        "import",
    ]


def test_table_of_a_campaign_in_preparation_loads_as_accepted(world, tmp_path):
    target = campaign("2015", status="preparing", participants=[])
    path = _workbook_with(tmp_path, [_row("Город Томск", "МАОУ СОШ № 2 г. Томска")])
    assert _run(path, world.specialist_x, target, dry_run=False).errors  # only methodists load past data
    result = _run(path, world.methodist, target, dry_run=False)
    assert result.errors == []
    assert SchoolReport.objects.get(campaign=target, school=world.school_a2).status == "approved"


def test_tables_loaded_by_the_region_are_approved(world, tmp_path):
    target = campaign("2015", participants=[])
    path = _workbook_with(tmp_path, [_row("ЗАТО Северск", "МБОУ «СОШ № 77»")])
    assert _run(path, world.methodist, target, dry_run=False).errors == []
    assert SchoolReport.objects.get(campaign=target, school=world.school_b2).status == "approved"


def test_dry_run_of_a_region_lists_new_respelled_missing_and_error_rows(
    world, tmp_path, client_for, settings
):
    """Before anything is written: who is new, who was found under another spelling (both shown),
    who took part last year but is not in the table, and which rows have errors."""
    from reports.excel.plan import MSG_UNKNOWN_SCHOOL

    settings.MEDIA_ROOT = str(tmp_path / "media")
    previous = campaign("2014", status="closed")
    target = campaign("2015", previous=previous, participants=[])
    rows = [
        _row("г. Томск", "маоу сош № 1 г. томска"),
        _row("ЗАТО г. Северск", "МАОУ СОШ № 300 г. Северска"),
        _row("Томский р-н", "МБОУ Новая СОШ"),
    ]
    path = _workbook_with(tmp_path, rows)
    before = _state()
    result = _run(path, world.methodist, target, dry_run=True, create_missing=True)
    assert result.errors == [] and not result.written and _state() == before
    assert [(n.row, n.municipality, n.name) for n in result.new_organisations] == [
        (4, "ЗАТО Северск", "МАОУ СОШ № 300 г. Северска"),
        (5, "Томский район", "МБОУ Новая СОШ"),
    ]
    assert {(r.row, r.column, r.written, r.known) for r in result.respelled} == {
        (3, 2, "г. Томск", "Город Томск"),
        (3, 3, "маоу сош № 1 г. томска", "МАОУ СОШ № 1 г. Томска"),
        (4, 2, "ЗАТО г. Северск", "ЗАТО Северск"),
        (5, 2, "Томский р-н", "Томский район"),
    }
    assert {m.name for m in result.missing} == {
        world.school_a2.short_name,
        world.school_b1.short_name,
        world.school_b2.short_name,
    }

    # With an error the preview names the row and column, and the page shows all the lists.
    rows.append(_row("Город Томск", "МАОУ СОШ № 999 г. Томска"))
    path = _workbook_with(tmp_path, rows, name="region.xlsx")
    result = _run(path, world.methodist, target, dry_run=False)
    assert result.error_rows == [4, 5, 6] and not result.written and _state() == before
    assert result.errors[0] == Issue(
        4, 3, MSG_UNKNOWN_SCHOOL.format(name="МАОУ СОШ № 300 г. Северска", municipality="ЗАТО Северск")
    )
    client = client_for(world.methodist)
    url = reverse("reports:import", args=[target.slug])
    with open(path, "rb") as fh:
        page = client.post(url, {"file": fh}, follow=True).content.decode()
    assert "Строки с ошибками: 4, 5, 6." in page and "Загрузить данные" not in page
    assert "Найдены под другим написанием (4)" in page and "ЗАТО г. Северск" in page
    assert "Нет в таблице, хотя участвовали в прошлом мониторинге (3)" in page
    with open(path, "rb") as fh:
        page = client.post(url, {"file": fh, "create_missing": "on"}, follow=True).content.decode()
    assert "Будут зарегистрированы (3)" in page and "Загрузить данные" in page
    assert "<td>Томский р-н</td><td>Томский район</td>" in page
    assert _state() == before


def test_command_lists_the_dry_run(world, tmp_path, capsys):
    target = campaign("2015", participants=[])
    path = _workbook_with(tmp_path, [_row("г. Томск", "МАОУ СОШ № 500 г. Томска")])
    call_command("import_appendix1", str(path), "--campaign", target.slug, "--dry-run", "--create-missing")
    out = capsys.readouterr().out
    assert "Будут зарегистрированы (1):" in out and "строка 3: Город Томск: МАОУ СОШ № 500 г. Томска" in out
    assert "строка 3, графа 2: «г. Томск» → «Город Томск»" in out
    assert not School.objects.filter(short_name="МАОУ СОШ № 500 г. Томска").exists()
    bad = _workbook_with(tmp_path, [_row("Нижний Тагил", "МАОУ СОШ № 500 г. Томска")], name="bad.xlsx")
    with pytest.raises(CommandError, match="Ничего не записано"):
        call_command("import_appendix1", str(bad), "--campaign", target.slug, "--create-missing")
    err = capsys.readouterr().err
    assert "строка 3, графа 2: МО «Нижний Тагил» не найдено. Допустимые значения: Город Томск" in err
    assert "Строки с ошибками: 3." in err


def test_closed_school_cannot_get_a_report(world, tmp_path):
    import datetime

    from schools import services as school_services

    school_services.school_close(
        school_id=world.school_a1.pk,
        closed_on=datetime.date(2015, 6, 1),
        reason="closed",
        user=world.methodist,
    )
    target = campaign("2015", participants=[])
    path = _workbook_with(tmp_path, [_row("Город Томск", "МАОУ СОШ № 1 г. Томска")])
    result = _run(path, world.methodist, target, dry_run=False)
    assert [(e.row, e.column) for e in result.errors] == [(3, 3)]
    assert "закрыта 01.06.2015" in result.errors[0].message
    assert not SchoolReport.objects.filter(campaign=target).exists()


def test_new_organisations_registered_through_services_with_history(world, tmp_path):
    target = campaign("2015", participants=[])
    rows = [
        _row("Город Томск", "МАОУ СОШ № 777 г. Томска"),
        [None, None, None, "Филиал в д. Дальней", "ТЭШ", "Сидорова В. П., учитель", "55-01-01"],
    ]
    path = _workbook_with(tmp_path, rows)
    result = _run(path, world.methodist, target, dry_run=False, create_missing=True)
    assert result.errors == []
    school = School.objects.get(short_name="МАОУ СОШ № 777 г. Томска")
    assert school.history.get().history_user == world.methodist
    branch = school.branches.get()
    assert branch.history.get().history_user == world.methodist
    row = ReportBranch.objects.get(branch=branch)
    assert row.history.first().history_user == world.methodist
    assert target.participants.filter(pk=school.pk).exists()
    assert WorkflowEvent.objects.filter(report__school=school, action="import").count() == 1


def test_round_trip_of_names_that_carry_commas_and_addresses(world, tmp_path):
    """Names written with an address inside them («…, ул. Ленина, д. 1») and then the address
    itself come back to the same organisations and branches, not as new ones."""
    from tests.factories import report

    school = School.objects.create(
        municipality=world.mun_x,
        short_name="МАОУ СОШ № 5 г. Томска, ул. Ленина, д. 1",
        address="634050, г. Томск, ул. Ленина, д. 1",
    )
    branch = Branch.objects.create(school=school, name="Филиал, с. Кафтанчиково", address="д. Берёзкино")
    bare = School.objects.create(municipality=world.mun_x, short_name="МБОУ «СОШ № 6», п. Светлый")
    source = campaign("2017")
    for each in (school, bare):
        r = report(source, each, status="approved")
    ReportBranch.objects.create(
        report=SchoolReport.objects.get(campaign=source, school=school),
        branch=branch,
        system=r.system,
        responsible_name="Сидорова Вера Павловна",
        responsible_phone="55-01-01",
    )
    path = tmp_path / "src.xlsx"
    write_appendix1(path, user=world.methodist, campaign=source)
    target = campaign("empty", participants=[])
    result = _run(path, world.methodist, target, dry_run=False, create_missing=True)
    assert result.errors == [] and result.new_organisations == []
    assert set(SchoolReport.objects.filter(campaign=target).values_list("school_id", flat=True)) == {
        school.pk,
        bare.pk,
    }
    copy = SchoolReport.objects.get(campaign=target, school=school)
    assert copy.branch_rows.get().responsible_name == "Сидорова Вера Павловна"
    assert School.objects.count() == 6 and Branch.objects.count() == 3
