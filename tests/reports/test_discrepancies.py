import datetime
import io

import openpyxl
import pytest

from reports.analytics import compute_figures
from reports.discrepancies import EXPORT_HEADER
from reports.narrative import sections
from schools.models import EdmsVendor
from tests.factories import campaign, report
from vendors.models import VendorCount


def count(school, **over):
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
        as_of=datetime.date(2017, 9, 5),
        updated_at=datetime.datetime(2017, 9, 5, tzinfo=datetime.UTC),
        **values,
    )


@pytest.fixture
def data(world):
    c = campaign("2017")
    report(c, world.school_a1, status="approved")
    report(c, world.school_b1, status="submitted")
    report(c, world.school_a2, status="draft")
    count(world.school_a1, parents_registered=200)  # 400 vs 200: 100 %
    count(world.school_b1)  # agrees
    count(world.school_a2, parents_registered=10, parents_active=5)  # draft: not compared
    return c


def test_region_table_sorted_by_largest_difference(data, world, client_for):
    page = client_for(world.methodist).get(f"/tables/{data.slug}/vendors/").content.decode()
    assert page.index(world.school_a1.short_name) < page.index("СОШ № 76")
    assert world.school_a2.short_name not in page


def test_municipality_scope_and_coordinators_refused(data, world, client_for):
    page = client_for(world.specialist_y).get(f"/tables/{data.slug}/vendors/").content.decode()
    assert "СОШ № 76" in page and world.school_a1.short_name not in page
    assert client_for(world.coordinator_a).get(f"/tables/{data.slug}/vendors/").status_code == 403


def test_export(data, world, client_for, django_assert_max_num_queries):
    client = client_for(world.methodist)
    with django_assert_max_num_queries(8):
        response = client.get(f"/tables/{data.slug}/vendors/?export=xlsx&sort=school")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == EXPORT_HEADER
    assert sheet.max_row == 3


def test_analytic_report_section(data):
    figures = compute_figures(data)  # accepted reports only: school A1
    assert figures["vendors"]["schools_compared"] == 1
    assert figures["vendors"]["schools_over_threshold"] == 1
    titles = [s.title for s in sections(figures)]
    assert "По данным разработчиков СЭД" in titles
    assert (
        titles.index("По данным разработчиков СЭД")
        == titles.index("Результаты мониторинга использования СЭД") + 1
    )
