"""«Сверка базы ПВП»: the registry on the campaign's date against columns 5 and 21 of the reports."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.reconciliation import Discrepancy, reconciliation, reconciliation_counts
from tests.factories import SchoolFactory, campaign, report
from tests.projects.conftest import D, make_site

YES, NO = 1, 2


@pytest.fixture
def setup(world, project):
    """Campaign as of 01.09.2017; one school per case, and a consistent one (A1)."""
    current = campaign("2017")
    make_site(project, world.school_a1, "tesh", D(2013, 3, 20))
    report(current, world.school_a1, system_code="tesh", pilot_site=YES)  # consistent: no row
    report(current, world.school_a2, system_code="dnevnik", pilot_site=YES)  # claims, no agreement
    make_site(project, world.school_b1, "dnevnik", D(2015, 5, 22), agreement_number="Д-7")
    report(current, world.school_b1, system_code="dnevnik", pilot_site=NO)  # registered, denies
    report(current, world.school_b2, system_code="tesh", pilot_site=NO)  # ТЭШ user, not registered
    switched = SchoolFactory(municipality=world.mun_x, short_name="МАОУ СОШ № 3 г. Томска")
    make_site(project, switched, "tesh", D(2013, 3, 20))
    report(current, switched, system_code="dnevnik", pilot_site=YES)  # system changed
    ended = SchoolFactory(municipality=world.mun_x, short_name="МАОУ СОШ № 4 г. Томска")
    make_site(project, ended, "tesh", D(2013, 3, 20), left_on=D(2016, 11, 14))
    report(current, ended, system_code="dnevnik", pilot_site=NO)  # left properly: no row
    return current, switched, ended


def _kinds(rows):
    return {(row.school.short_name, row.kind) for row in rows}


def test_each_case_is_found(world, project, setup):
    current, switched, _ = setup
    rows = reconciliation(project, current)
    assert _kinds(rows) == {
        (world.school_a2.short_name, Discrepancy.CLAIMED_WITHOUT_AGREEMENT),
        (world.school_b1.short_name, Discrepancy.DENIED_BY_REPORT),
        (world.school_b2.short_name, Discrepancy.TESH_NOT_REGISTERED),
        (switched.short_name, Discrepancy.SYSTEM_CHANGED),
    }
    by_kind = {row.kind: row for row in rows}
    assert by_kind[Discrepancy.DENIED_BY_REPORT].municipality == world.mun_y
    assert "№ Д-7" in by_kind[Discrepancy.DENIED_BY_REPORT].message
    assert "01.09.2017" in by_kind[Discrepancy.CLAIMED_WITHOUT_AGREEMENT].message
    changed = by_kind[Discrepancy.SYSTEM_CHANGED]
    assert "«Электронная школа» (ТЭШ)" in changed.message and "«Дневник.ру»" in changed.message
    assert changed.site is not None and changed.kind_label == "сменилась система"
    # Rows come in reporting order: Tomsk first, then Seversk.
    assert [row.municipality for row in rows] == sorted(
        (row.municipality for row in rows), key=lambda m: m.sort_order
    )
    assert [c["count"] for c in reconciliation_counts(rows)] == [1, 1, 1, 1]


def test_registry_is_taken_on_the_campaigns_date(world, project, setup):
    """A school that joins after the «as of» date is not yet a pilot site for that campaign."""
    current, _, _ = setup
    late = SchoolFactory(municipality=world.mun_x, short_name="МАОУ СОШ № 5 г. Томска")
    make_site(project, late, "tesh", D(2017, 10, 1))
    report(current, late, system_code="tesh", pilot_site=YES)
    kinds = {row.kind for row in reconciliation(project, current) if row.school == late}
    assert kinds == {Discrepancy.CLAIMED_WITHOUT_AGREEMENT, Discrepancy.TESH_NOT_REGISTERED}


def test_reports_without_values_are_not_flagged(world, project):
    current = campaign("2017")
    report(current, world.school_a2, system_code=None, pilot_site=None)
    assert reconciliation(project, current) == []


def test_query_count_does_not_grow(world, project, setup):
    current, _, _ = setup

    def count():
        with CaptureQueriesContext(connection) as ctx:
            reconciliation(project, current)
        return len(ctx.captured_queries)

    small = count()
    for i in range(15):
        school = SchoolFactory(municipality=world.mun_y)
        if i % 2:
            make_site(project, school, "tesh", D(2014, 9, 1))
        report(current, school, system_code="dnevnik" if i % 3 else "tesh", pilot_site=YES if i % 4 else NO)
    assert count() == small == 2


def test_management_command(world, project, setup, capsys):
    call_command("reconcile_pilot_sites", "--campaign", "2017")
    out = capsys.readouterr().out
    assert world.school_b2.short_name in out
    assert Discrepancy.TESH_NOT_REGISTERED in out
    assert "Расхождений: 4." in out
    with pytest.raises(CommandError, match="не найден"):
        call_command("reconcile_pilot_sites", "--campaign", "1999")
