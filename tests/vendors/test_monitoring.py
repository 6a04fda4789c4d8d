"""The vendors' figures next to the report: warning above the threshold, explained like the others."""

import datetime

import pytest

from monitoring.checks import check_saved_report
from monitoring.rules import MSG_VENDOR_DIFF
from schools.models import EdmsVendor
from tests.factories import campaign, report
from vendors.models import VendorCount


def count(school, as_of=datetime.date(2017, 9, 5), **over):
    values = dict(
        classes=20,
        students_registered=500,
        students_active=480,
        teachers_registered=40,
        teachers_active=38,
        parents_registered=400,
        parents_active=200,
    )
    values.update(over)
    return VendorCount.objects.create(
        vendor=EdmsVendor.objects.get(short_name="ТЭШ"),
        school=school,
        as_of=as_of,
        updated_at=datetime.datetime(2017, 9, 5, tzinfo=datetime.UTC),
        **values,
    )


@pytest.fixture
def setup(world):
    c = campaign("2017")
    r = report(c, world.school_a1, status="submitted")  # parents 400, students 500/480, teachers 40/38
    return c, r


def test_no_warning_when_figures_agree(setup, world):
    c, r = setup
    count(world.school_a1)
    assert not [f for f in check_saved_report(r).warnings if f.code.startswith("vendor:")]


def test_difference_above_threshold_is_a_warning_for_the_nearest_date(setup, world, settings):
    c, r = setup
    settings.VENDOR_DIFF_WARNING_PCT = 20
    count(
        world.school_a1, as_of=datetime.date(2017, 3, 1), parents_registered=100, parents_active=50
    )  # further away
    count(world.school_a1, parents_registered=300)  # 400 vs 300: 33 %
    warnings = [f for f in check_saved_report(r).warnings if f.code.startswith("vendor:")]
    assert [(f.code, f.field) for f in warnings] == [("vendor:parents_edms", "parents_edms")]
    assert warnings[0].message == MSG_VENDOR_DIFF.format(
        vendor="ТЭШ", date="05.09.2017", theirs=300, ours=400, pct=20
    )
    settings.VENDOR_DIFF_WARNING_PCT = 40
    assert not [f for f in check_saved_report(r).warnings if f.code.startswith("vendor:")]


def test_unexplained_vendor_warning_blocks_submission_until_explained(setup, world):
    c, r = setup
    count(world.school_a1, parents_registered=300)
    codes = [f.code for f in check_saved_report(r, for_submission=True).errors]
    assert "unexplained" in codes
    r.warning_notes = {"vendor:parents_edms": {"text": "Родители двух классов ещё не вошли"}}
    r.save()
    assert "unexplained" not in [f.code for f in check_saved_report(r, for_submission=True).errors]


def test_review_page_shows_vendor_figures_and_difference(setup, world, client_for):
    c, r = setup
    count(world.school_a1, parents_registered=300)
    page = (
        client_for(world.specialist_x).get(f"/campaigns/{c.slug}/oo/{world.school_a1.pk}/").content.decode()
    )
    assert "По данным разработчика (ТЭШ, на 05.09.2017)" in page
    assert MSG_VENDOR_DIFF.format(vendor="ТЭШ", date="05.09.2017", theirs=300, ours=400, pct=20) in page
