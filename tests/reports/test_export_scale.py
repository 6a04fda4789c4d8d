"""The Appendix 1 export at scale: a constant number of queries however many schools (the rows are
streamed by one query, several fetches), row heights computed without ``textwrap`` agreeing with
it, and an exported table importing back to the same schools and values, names with an address
in them included."""

import random

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.models import SchoolReport
from reports.excel import export, fit
from reports.excel.export import FIRST_DATA_ROW, write_appendix1
from reports.excel.importer import import_appendix1
from tests.factories import BranchFactory, SchoolFactory, campaign, report


def _queries(tmp_path, user, current) -> int:
    with CaptureQueriesContext(connection) as ctx:
        write_appendix1(tmp_path / "q.xlsx", user=user, campaign=current, basis="accepted")
    return len(ctx)


def _add_schools(world, current, n):
    for i in range(n):
        school = SchoolFactory(municipality=world.mun_x if i % 2 else world.mun_y)
        BranchFactory(school=school)
        counted = report(current, school, status="approved")
        counted.events.create(title=f"Семинар {i}", students=i, teachers=1)


def test_query_count_does_not_grow_with_schools(world, tmp_path, monkeypatch):
    """Two fetches of two rows at 3 schools, eight at 15: the same queries (nothing per chunk)."""
    monkeypatch.setattr(export, "CHUNK", 2)
    current = campaign("2017")
    _add_schools(world, current, 3)
    _queries(tmp_path, world.methodist, current)  # what is read once per user and cached
    small = _queries(tmp_path, world.methodist, current)
    _add_schools(world, current, 12)
    assert _queries(tmp_path, world.methodist, current) == small <= 3
    ws = openpyxl.load_workbook(tmp_path / "q.xlsx", read_only=True).worksheets[0]
    numbers = [r[0] for r in ws.iter_rows(min_row=FIRST_DATA_ROW + 1, values_only=True) if r[2]]
    assert len(numbers) == 15  # every school once, each followed by its branch row


def test_row_heights_agree_with_textwrap():
    rng = random.Random(18)
    alphabet = "абвгд ежз-ий a-b -- 12-3 ,.@( )«»— "
    texts = ["", " ", "  a  ", "+7 (3822) 55-01-23, mail-box@school-1.example, скайп: a-b"]
    texts += ["Иванова Анна Петровна, педагог-организатор", "инженер-программист, учитель-логопед"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 90))) for _ in range(3000)]
    texts += [" ".join("ж" * rng.randint(1, 30) for _ in range(rng.randint(1, 9))) for _ in range(1000)]
    # Words that end exactly at a line's end, or one character past it.
    texts += [" ".join("ё" * n for n in (per, 1, per - 1, per + 1, 2)) for per in range(2, 24)]
    for width in (4.5, 7, 15.5, 21):
        fitter = fit.ColumnFit({0: width}, export.DATA_PT)
        for text in texts * 2:  # the second time from what the fitter has kept
            expected = fit.row_height([(text, width, export.DATA_PT, False)])
            assert fitter.height([(0, text)]) == expected, text
            assert fitter.row_height([text]) == expected, text


def test_row_height_of_a_row_of_cells_counts_its_tallest_text():
    widths = {0: 4.5, 1: 15.5, 2: 7, 3: 21}
    fitter = fit.ColumnFit(widths, export.DATA_PT)
    rng = random.Random(7)
    words = ["Томск", "ул.", "Ленина,", "д.", "1", "МАОУ", "СОШ", "№", "5", "mail@school.example", "—"]
    for _ in range(500):
        cells = [
            rng.choice([None, "", 7, True, " ".join(rng.choices(words, k=rng.randint(1, 9)))]) for _ in widths
        ]
        texts = [
            (text, widths[col], export.DATA_PT, False)
            for col, text in enumerate(cells)
            if isinstance(text, str)
        ]
        assert fitter.row_height(cells) == fit.row_height(texts), cells


def test_row_height_keeps_a_bounded_number_of_texts(monkeypatch):
    monkeypatch.setattr(fit.ColumnFit, "KNOWN", 10)
    fitter = fit.ColumnFit({0: 7}, export.DATA_PT)
    long_texts = [f"слово {i} и ещё одно слово" for i in range(25)]
    heights = [fitter.height([(0, text)]) for text in long_texts]
    assert 0 < len(fitter._known) <= 10
    assert heights == [fit.row_height([(text, 7, export.DATA_PT, False)]) for text in long_texts]


ADDRESS_NAMES = [
    # (short name, address)
    ("МАОУ СОШ № 5 г. Томска, ул. Ленина, 1", "634050, г. Томск, ул. Ленина, д. 1"),
    ("МАОУ СОШ № 6 г. Томска, ул. Мира, 2", ""),
    ("МБОУ «СОШ № 7», г. Томск", "634000, г. Томск, ул. Советская, д. 7"),
    ("МАОУ гимназия № 8", "ул. Учебная, д. 8"),
]


def test_round_trip_finds_schools_whose_names_carry_an_address(world, tmp_path):
    source = campaign("2017")
    originals = []
    for name, address in ADDRESS_NAMES:
        school = SchoolFactory(municipality=world.mun_x, short_name=name, address=address)
        BranchFactory(school=school, name=f"Филиал {name[-3:]}", address="с. Тестовое, ул. Школьная, д. 1")
        originals.append(report(source, school, status="approved", notes=f"Примечание: {name}"))
    path = tmp_path / "a1.xlsx"
    write_appendix1(path, user=world.methodist, campaign=source, basis="accepted")

    target = campaign("2018", participants=[])
    with open(path, "rb") as fh:
        result = import_appendix1(
            fh, user=world.methodist, campaign=target, file_name=path.name, dry_run=False
        )
    assert result.errors == []
    assert result.new_organisations == []
    for original in originals:
        copy = SchoolReport.objects.get(campaign=target, school=original.school)
        assert copy.notes == original.notes == f"Примечание: {original.school.short_name}"
        assert copy.classes_total == original.classes_total
        assert copy.responsible_name == original.responsible_name
        assert copy.branch_rows.count() == 1


def test_cell_texts_leave_out_empty_parts_and_strip_the_rest():
    from reports.excel import layout

    assert layout.join_nonempty(" a ", "  ", None, "b", "") == "a, b"
    assert layout.join_nonempty(None, "", " ") == ""
    assert layout.contacts(" +7 (3822) 55-01-23 ", "", "login") == "+7 (3822) 55-01-23, скайп: login"
