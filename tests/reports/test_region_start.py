"""A new region starts: a fresh database with one administrator, two campaigns created with
``create_campaign`` (last year, and this year with ``--previous``), two independent filled Appendix 1
workbooks of consecutive years loaded with ``import_appendix1 --create-missing``. The exported tables
list every organisation, and the analytic report states exactly the figures computed here from the
workbooks themselves, year over year included."""

import datetime
import random

import openpyxl
import pytest
from django.core.management import call_command

from accounts.models import Role, User
from monitoring.models import Campaign, SchoolReport
from reports.analytics import compute_figures
from reports.excel import layout
from reports.excel.export import write_appendix1
from reports.narrative import sections
from schools import services as school_services
from schools.models import School

NOT_USED = "не используется"
SHORT = {"ТЭШ": "ТЭШ", "Дневник.ру": "Дневник.ру", "Сетевой город": "Сетевой город", NOT_USED: NOT_USED}

# (key, municipality as written in 2016, name, system 2016, municipality as written in 2017, system 2017)
# None for a year: the organisation is not in that year's workbook.
ORGANISATIONS = [
    ("tomsk1", "Город Томск", "МАОУ СОШ № 1 г. Томска", "ТЭШ", "город Томск", "ТЭШ"),
    ("tomsk2", "г. Томск", "МАОУ гимназия № 2 г. Томска", "Дневник.ру", "г.Томск", "ТЭШ"),  # switch
    ("seversk", "ЗАТО Северск", "МБОУ «СОШ № 76»", "Дневник.ру", "ЗАТО г. Северск", "Дневник.ру"),
    ("naumovka", "Томский р-н", "МБОУ «Наумовская СОШ»", NOT_USED, "Томский район", "ТЭШ"),  # adoption
    ("asino", "Асиновский район", "МБОУ СОШ № 1 г. Асино", "ТЭШ", None, None),  # closed in 2017
    (
        "ftl",
        "ОГОО",
        "ОГБОУ «Томский физико-технический лицей»",
        "ТЭШ",
        "Областные государственные общеобразовательные организации",
        "ТЭШ",
    ),
    (
        "beloyar",
        "Верхнекетский р-н",
        "МАОУ «Белоярская СОШ»",
        "Сетевой город",
        "Верхнекетский",
        "Сетевой город",
    ),
    ("vertikos", "Каргасокский район", "МКОУ Вертикосская СОШ", "ТЭШ", "Каргасокский р-н", NOT_USED),  # stops
    ("shegarka", None, "МБОУ «Шегарская СОШ № 2»", None, "Шегарский р-н", "ТЭШ"),  # new, adoption
    ("kedrovy", None, "МАОУ «Кедровская СОШ»", None, "г. Кедровый", NOT_USED),  # new, not using
]
SWITCH_NOTE = "Перешли на ТЭШ по решению управляющего совета."


def _counts(rng: random.Random, used: bool) -> dict[int, int]:
    classes, students, teachers = rng.randint(5, 30), rng.randint(60, 900), rng.randint(8, 70)
    edms = (lambda whole: rng.randint(whole // 2, whole)) if used else (lambda whole: 0)
    classes_edms = edms(classes)
    return {
        8: classes,
        9: classes_edms,
        10: edms(students),
        11: rng.randint(1, teachers) if used else 0,
        12: rng.randint(0, 20) if used else 0,
        13: classes_edms,
        14: 0,
        15: students,
        16: edms(students),
        17: teachers,
        18: edms(teachers),
        19: rng.randint(1, 4) if used else None,
        20: rng.randint(1, 3),
        21: rng.choice([1, 2]),
    }


def _year_rows(year: int) -> list[dict]:
    """The data of one year's workbook, as plain values (what the figures are computed from)."""
    rng = random.Random(year)
    rows = []
    for key, mun16, name, sys16, mun17, sys17 in ORGANISATIONS:
        municipality, system = (mun16, sys16) if year == 2016 else (mun17, sys17)
        if municipality is None:
            continue
        switched = year == 2017 and sys16 not in (None, NOT_USED) and system not in (NOT_USED, sys16)
        rows.append(
            {
                "key": key,
                "municipality": municipality,
                "name": name,
                "system": system,
                "counts": _counts(rng, system != NOT_USED),
                "notes": SWITCH_NOTE if switched else "",
            }
        )
    return rows


def _workbook(path, year: int, rows: list[dict]) -> None:
    """The official layout: title, column headers, the row of column numbers, then the schools."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"Сведения по использованию СЭД в ОУ по состоянию на 15.05.{year} г."])
    ws.append([layout.HEADER_LABELS.get(c, "") for c in range(1, 26)])
    ws.append(list(range(1, 26)))
    for number, row in enumerate(rows, start=1):
        cells = [None] * 25
        cells[0], cells[1], cells[2], cells[4] = number, row["municipality"], row["name"], row["system"]
        cells[5] = "Петрова Анна Сергеевна, заместитель директора"
        cells[6] = "8 (3822) 51-59-12, edms@school.example"
        for col, value in row["counts"].items():
            cells[col - 1] = value
        cells[21] = "Иванов Пётр Ильич"
        cells[22] = "8 (3822) 51-59-13, coordinator@school.example"
        cells[24] = row["notes"] or None
        ws.append(cells)
    wb.save(path)


def _expected(rows: list[dict], previous_rows: list[dict] | None) -> dict:
    used = [r for r in rows if r["system"] != NOT_USED]
    total = lambda col: sum(r["counts"][col] for r in rows)  # noqa: E731
    by_system: dict[str, int] = {}
    for r in rows:
        by_system[SHORT[r["system"]]] = by_system.get(SHORT[r["system"]], 0) + 1
    expected = {
        "orgs_total": len(rows),
        "participants_expected": len(rows),
        "orgs_using_edms": len(used),
        "orgs_using_edms_pct": 100 * len(used) / len(rows),
        "classes_total": total(8),
        "classes_using_edms": total(9),
        "parents_using_edms": total(10),
        "teacher_workstations": total(11),
        "student_workstations": total(12),
        "students_total": total(15),
        "students_using_edms": total(16),
        "teachers_total": total(17),
        "teachers_using_edms": total(18),
        "paper_journal": {
            k: sum(1 for r in rows if r["counts"][20] == code)
            for k, code in (("yes", 1), ("no", 2), ("planned", 3))
        },
        "pilot_sites": sum(1 for r in rows if r["counts"][21] == 1),
        "by_system": by_system,
        "switched": [],
        "adopted": [],
    }
    if previous_rows is not None:
        before = {r["key"]: r["system"] for r in previous_rows}
        for r in rows:
            old = before.get(r["key"])
            if r["system"] == NOT_USED:
                continue
            if old is None or old == NOT_USED:
                expected["adopted"].append(r["name"])
            elif old != r["system"]:
                expected["switched"].append(r["name"])
        prev_used = sum(1 for r in previous_rows if r["system"] != NOT_USED)
        expected["previous"] = (len(previous_rows), prev_used)
    return expected


def _exported_names(tmp_path, admin, campaign) -> set[str]:
    path = tmp_path / f"export-{campaign.slug}.xlsx"
    write_appendix1(path, user=admin, campaign=campaign)
    ws = openpyxl.load_workbook(path).worksheets[0]
    names, after_numbers = set(), False
    for values in ws.iter_rows(values_only=True):
        if not after_numbers:
            after_numbers = list(values[:25]) == list(range(1, 26))
            continue
        name = " ".join(str(values[2] or "").split())
        if (
            name
            and not name.startswith(layout.TOTAL_PREFIX)
            and not str(values[1] or "").startswith(layout.TOTAL_PREFIX)
        ):
            names.add(layout.split_name_address(name)[0])
    return names


def _check_figures(f: dict, expected: dict) -> None:
    for key in (
        "orgs_total",
        "participants_expected",
        "orgs_using_edms",
        "classes_total",
        "classes_using_edms",
        "parents_using_edms",
        "teacher_workstations",
        "student_workstations",
        "students_total",
        "students_using_edms",
        "teachers_total",
        "teachers_using_edms",
        "paper_journal",
        "pilot_sites",
    ):
        assert f[key] == expected[key], key
    assert f["orgs_using_edms_pct"] == pytest.approx(expected["orgs_using_edms_pct"])
    assert {s["short_name"]: s["orgs"] for s in f["by_system"]} == expected["by_system"]
    assert sorted(s["school"] for s in f["switched"]) == sorted(expected["switched"])
    assert sorted(a["school"] for a in f["adopted"]) == sorted(expected["adopted"])
    assert f["reports_missing"] == 0 and f["reports_not_counted"] == 0


@pytest.mark.django_db
def test_two_years_of_workbooks_load_faithfully_on_a_fresh_database(tmp_path, capsys):
    admin = User.objects.create_superuser("admin", "admin@rcro.example", "secret-pass-123", role=Role.ADMIN)
    assert not School.objects.exists() and User.objects.count() == 1

    call_command(
        "create_campaign",
        "--slug",
        "2016",
        "--title",
        "Мониторинг 2016",
        "--as-of",
        "2016-05-15",
        "--deadline",
        "2016-05-31",
    )
    call_command(
        "create_campaign",
        "--slug",
        "2017",
        "--title",
        "Мониторинг 2017",
        "--as-of",
        "2017-05-15",
        "--deadline",
        "2017-05-31",
        "--previous",
        "2016",
    )
    last, this = Campaign.objects.get(slug="2016"), Campaign.objects.get(slug="2017")
    assert last.participants.count() == this.participants.count() == 0

    rows16, rows17 = _year_rows(2016), _year_rows(2017)
    _workbook(tmp_path / "2016.xlsx", 2016, rows16)
    _workbook(tmp_path / "2017.xlsx", 2017, rows17)

    call_command("import_appendix1", str(tmp_path / "2016.xlsx"), "--campaign", "2016", "--create-missing")
    assert "Загрузка завершена" in capsys.readouterr().out

    # The organisation that closed during the year is recorded as such; the dry run of the next
    # workbook names it among those missing compared with last year, and writes nothing.
    asino = School.objects.get(short_name="МБОУ СОШ № 1 г. Асино")
    school_services.school_close(
        school_id=asino.pk, closed_on=datetime.date(2017, 1, 1), reason="closed", user=admin
    )
    call_command(
        "import_appendix1", str(tmp_path / "2017.xlsx"), "--campaign", "2017", "--create-missing", "--dry-run"
    )
    out = capsys.readouterr().out
    assert "Асиновский район: МБОУ СОШ № 1 г. Асино (закрыта 01.01.2017)" in out
    assert (
        "Будут зарегистрированы (2):" in out
        and "«Областные государственные общеобразовательные организации» → «Областные государственные ОО»"
        in out
    )
    assert not SchoolReport.objects.filter(campaign=this).exists()

    call_command("import_appendix1", str(tmp_path / "2017.xlsx"), "--campaign", "2017", "--create-missing")
    assert "Загрузка завершена" in capsys.readouterr().out

    # Every organisation with a report is a participant; the exports list them all.
    assert {s.short_name for s in last.participants.all()} == {r["name"] for r in rows16}
    assert {s.short_name for s in this.participants.all()} == {r["name"] for r in rows17}
    assert _exported_names(tmp_path, admin, last) == {r["name"] for r in rows16}
    assert _exported_names(tmp_path, admin, this) == {r["name"] for r in rows17}
    assert School.objects.count() == len(ORGANISATIONS)

    # The analytic report states the figures computed from the workbooks, year over year included.
    expected16, expected17 = _expected(rows16, None), _expected(rows17, rows16)
    _check_figures(compute_figures(last), expected16)
    f = compute_figures(this)
    _check_figures(f, expected17)
    assert (f["previous"]["orgs_total"], f["previous"]["orgs_using_edms"]) == expected17["previous"]
    assert {s["short_name"]: s["previous_orgs"] for s in f["by_system"]} == {
        name: expected16["by_system"].get(name, 0) for name in expected17["by_system"]
    }
    assert expected17["switched"] == ["МАОУ гимназия № 2 г. Томска"]
    assert sorted(expected17["adopted"]) == ["МБОУ «Наумовская СОШ»", "МБОУ «Шегарская СОШ № 2»"]
    switched = next(s for s in f["switched"])
    assert switched["notes"] == SWITCH_NOTE
    text = " ".join(p.text for section in sections(f) for p in section.paragraphs)
    assert "Начали использовать систему" in text

    # The school that stopped using its system carries the explained warning from the import.
    stopped = SchoolReport.objects.get(campaign=this, school__short_name="МКОУ Вертикосская СОШ")
    assert "system_stopped" in stopped.warning_notes
