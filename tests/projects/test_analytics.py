"""The network's figures on dates and the analysis of the reports, on data counted by hand."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.analytics import network_as_of, network_changes, pilot_network_summary
from schools.models import Municipality
from tests.factories import SchoolFactory
from tests.projects.conftest import D, make_report, make_site

START, END = D(2015, 9, 1), D(2017, 1, 1)
TO_DNEVNIK = "Перешла на систему «Дневник.ру»"
REORGANISED = "Реорганизация: присоединена к другой ОО"


def _school(municipality_code="tomsk"):
    return SchoolFactory(municipality=Municipality.objects.get(code=municipality_code))


@pytest.fixture
def network(project):
    """A made-up network (counted by hand below).

    At the start of 2015-2016: 5 ТЭШ for good, 3 ТЭШ that leave for Дневник.ру in November 2016,
    1 ТЭШ reorganised in December 2015, 2 Дневник.ру and 1 ИРТех (217) — 12. One ИРТех
    (tomsk-7) site joins in February 2016. Not counted anywhere: a site that left before the
    start and one that joins after the end.
    """
    for _ in range(4):
        make_site(project, _school(), "tesh", D(2013, 3, 20))
    make_site(project, _school("seversk"), "tesh", D(2013, 3, 20))
    for day in (3, 14, 30):
        make_site(project, _school(), "tesh", D(2014, 9, 1), left_on=D(2016, 11, day), reason=TO_DNEVNIK)
    make_site(project, _school(), "tesh", D(2015, 5, 22), left_on=D(2015, 12, 1), reason=REORGANISED)
    make_site(project, _school("seversk"), "dnevnik", D(2015, 5, 22))
    make_site(project, _school("pervomaysky"), "dnevnik", D(2015, 5, 22))
    make_site(project, _school("seversk"), "netgorod-217", D(2015, 5, 22))
    make_site(project, _school("seversk"), "netgorod-tomsk7", D(2016, 2, 1))
    make_site(project, _school(), "tesh", D(2012, 9, 1), left_on=D(2015, 6, 1), reason=REORGANISED)
    make_site(project, _school(), "tesh", D(2017, 3, 1))


def _counts(rows, key):
    return {row[key]: row["count"] for row in rows}


def test_network_changes_over_a_year(project, network):
    changes = network_changes(project, START, END)
    assert changes["size_start"] == 12
    assert changes["joined"] == 1
    assert _counts(changes["joined_by_system"], "code") == {"netgorod-tomsk7": 1}
    assert changes["left"] == 4
    assert _counts(changes["left_by_system"], "code") == {"tesh": 4}
    assert changes["left_by_reason"] == [
        {"reason": TO_DNEVNIK, "count": 3},
        {"reason": REORGANISED, "count": 1},
    ]
    assert changes["size_end"] == 9 == changes["size_start"] + changes["joined"] - changes["left"]
    assert _counts(changes["end_by_vendor"], "vendor") == {"ТЭШ": 5, "Дневник.ру": 2, "ИРТех": 2}
    assert _counts(changes["end_by_system"], "code") == {
        "tesh": 5,
        "dnevnik": 2,
        "netgorod-tomsk7": 1,
        "netgorod-217": 1,
    }
    # Vendors and systems come in reference order (ТЭШ, Дневник.ру, ИРТех).
    assert [row["vendor"] for row in changes["end_by_vendor"]] == ["ТЭШ", "Дневник.ру", "ИРТех"]


def test_network_as_of_dates(project, network):
    before = network_as_of(project, D(2016, 11, 2))
    # 12 at the start, less the reorganised one, plus the February joiner.
    assert before["size"] == 12
    assert _counts(before["by_system"], "code")["tesh"] == 8
    on_leaving_day = network_as_of(project, D(2016, 11, 14))
    assert on_leaving_day["size"] == 10  # left on 03.11 and on 14.11 (left_on is not a member day)
    assert _counts(on_leaving_day["by_system"], "code")["tesh"] == 6
    at_end = network_as_of(project, END)
    assert at_end["size"] == 9
    assert _counts(at_end["by_municipality"], "municipality") == {
        "Город Томск": 4,
        "ЗАТО Северск": 4,
        "Первомайский район": 1,
    }
    assert [row["municipality"] for row in at_end["by_municipality"]][0] == "Город Томск"
    assert network_as_of(project, D(2012, 1, 1)) == {
        "as_of": D(2012, 1, 1),
        "size": 0,
        "by_system": [],
        "by_vendor": [],
        "by_municipality": [],
    }


def _queries(func):
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def test_network_queries_do_not_grow(project, network):
    small = (
        _queries(lambda: network_as_of(project, END)),
        _queries(lambda: network_changes(project, START, END)),
    )
    for code in ("tomsk", "seversk", "asinovsky", "tomsky"):
        for system in ("tesh", "dnevnik", "netgorod-217"):
            make_site(project, _school(code), system, D(2014, 9, 1))
            make_site(
                project, _school(code), system, D(2014, 9, 1), left_on=D(2016, 5, 5), reason=REORGANISED
            )
    large = (
        _queries(lambda: network_as_of(project, END)),
        _queries(lambda: network_changes(project, START, END)),
    )
    assert network_as_of(project, END)["size"] == 21
    assert small == large
    assert large[0] <= 2 and large[1] <= 6


# --- The analysis of the reports ------------------------------------------------------------------


@pytest.fixture
def reported(project):
    """10 active sites on 01.01.2017 (8 ТЭШ, 1 Дневник.ру, 1 ИРТех) and their 2016-2017 reports:
    four count (3 approved, 1 submitted), a draft, a returned one and another year's do not."""
    tesh = [make_site(project, _school(), "tesh", D(2013, 3, 20)) for _ in range(8)]
    dnevnik = make_site(project, _school("seversk"), "dnevnik", D(2015, 5, 22))
    make_site(project, _school("seversk"), "netgorod-217", D(2015, 5, 22))
    make_report(
        tesh[0],
        status="approved",
        pd_measures_done=True,
        pd_documents_published=True,
        ext_events_count=3,
        ext_events_participants=40,
        organised_contests=2,
        organised_contests_participants=30,
        organised_seminars=1,
        organised_seminars_participants=10,
        resources_count=2,
        methodical_library=True,
        best_practices_published=True,
        best_practices_links="https://school.edu.example/opyt",
        expert_teachers=2,
        consultations_teachers=10,
        consultations_students=20,
        consultations_parents=5,
        publications_count=1,
        public_report_chapter=True,
        monitor_journal_fill=True,
        internet_projects_teachers=4,
    )
    make_report(
        tesh[1],
        status="approved",
        pd_measures_done=True,
        organised_round_tables=1,
        organised_round_tables_participants=8,
        public_report_chapter=True,
    )
    make_report(
        tesh[2],
        status="submitted",
        pd_measures_done=True,
        pd_documents_published=True,
        ext_events_count=2,
        ext_events_participants=15,
        organised_conferences=1,
        organised_conferences_participants=50,
        resources_count=1,
        consultations_teachers=3,
        monitor_progress=True,
    )
    make_report(
        dnevnik,
        status="approved",
        pd_measures_done=True,
        pd_documents_published=True,
        monitor_quality=True,
    )
    big = dict(pd_measures_done=True, ext_events_count=50, ext_events_participants=900, expert_teachers=40)
    make_report(tesh[3], status="draft", **big)
    make_report(tesh[4], status="returned", **big)
    make_report(tesh[5], academic_year="2015-2016", status="approved", **big)


def _indicator(summary, number):
    return next(i for i in summary["indicators"] if i["number"] == number)


def test_pilot_network_summary_by_hand(project, reported):
    s = pilot_network_summary(project, "2016-2017", END)
    assert json.loads(json.dumps(s)) == s  # goes into the analytic report's JSON as it is
    assert s["as_of"] == "2017-01-01"
    assert s["network_size"] == 10
    assert s["assignment_reports"] == 4
    assert s["assignment_reports_pct"] == 40.0
    assert [(r["code"], r["count"], r["pct"]) for r in s["by_system"]] == [
        ("tesh", 3, 75.0),
        ("dnevnik", 1, 25.0),
    ]
    assert [(r["vendor"], r["pct"]) for r in s["by_vendor"]] == [("ТЭШ", 75.0), ("Дневник.ру", 25.0)]
    assert len(s["indicators"]) == 8

    one = _indicator(s, 1)
    assert (one["sites"], one["pct"]) == (3, 75.0)
    assert one["totals"] == {"measures_done": 4, "documents_published": 3}
    two = _indicator(s, 2)
    assert (two["sites"], two["pct"]) == (2, 50.0)  # «2 ПВП (50%) took part in 5 events, 55 participants»
    assert two["totals"] == {
        "events": 5,
        "participants": 55,
        "contests_sites": 1,
        "contests": 2,
        "contests_participants": 30,
        "seminars_sites": 2,
        "seminars": 1,
        "round_tables": 1,
        "seminars_participants": 18,
        "conferences_sites": 1,
        "conferences": 1,
        "conferences_participants": 50,
        "internet_projects_teachers": 4,
    }
    three = _indicator(s, 3)
    assert (three["sites"], three["totals"]) == (2, {"resources": 3, "library_sites": 1})
    assert next(line for line in three["lines"] if line["key"] == "library_sites")["pct"] == 25.0
    assert next(line for line in three["lines"] if line["key"] == "resources")["pct"] is None
    assert (_indicator(s, 4)["sites"], _indicator(s, 4)["pct"]) == (1, 25.0)
    assert (_indicator(s, 5)["sites"], _indicator(s, 5)["totals"]) == (1, {"teachers": 2})
    six = _indicator(s, 6)
    assert (six["sites"], six["totals"]) == (2, {"teachers": 13, "students": 20, "parents": 5})
    seven = _indicator(s, 7)
    assert (seven["sites"], seven["totals"]) == (2, {"publications": 1, "report_chapter_sites": 2})
    eight = _indicator(s, 8)
    assert (eight["sites"], eight["pct"]) == (3, 75.0)
    assert eight["totals"] == {
        "journal_fill_sites": 1,
        "diary_fill_sites": 0,
        "materials_sites": 0,
        "progress_sites": 1,
        "quality_sites": 1,
    }


def test_summary_of_an_empty_year(project, reported):
    s = pilot_network_summary(project, "2017-2018", END)
    assert (s["network_size"], s["assignment_reports"], s["assignment_reports_pct"]) == (10, 0, 0.0)
    assert s["by_system"] == []
    assert all(i["sites"] == 0 and i["pct"] == 0.0 for i in s["indicators"])
    assert _indicator(s, 2)["totals"]["events"] == 0


def test_summary_queries_do_not_grow(project, reported):
    small = _queries(lambda: pilot_network_summary(project, "2016-2017", END))
    for system in ("tesh", "dnevnik", "netgorod-217", "netgorod-tomsk7"):
        for status in ("approved", "submitted", "draft"):
            site = make_site(project, _school("tomsky"), system, D(2014, 9, 1))
            make_report(site, status=status, ext_events_count=1, ext_events_participants=3)
    large = _queries(lambda: pilot_network_summary(project, "2016-2017", END))
    assert pilot_network_summary(project, "2016-2017", END)["assignment_reports"] == 12
    assert small == large <= 4
