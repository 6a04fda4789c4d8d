"""The number of queries of a load does not grow with the number of organisations in the table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.models import SchoolReport, WorkflowEvent
from tests.factories import BranchFactory, SchoolFactory, campaign, report
from tests.reports.test_excel_import import _row, _run, _workbook_with


def _table(tmp_path, schools, name):
    rows = []
    for school in schools:
        rows.append(_row(school.municipality.name, school.short_name))
        for branch in school.branches.all():
            rows.append([None, None, None, branch.name, "ТЭШ", "Сидорова В. П., учитель", "55-01-01"])
    return _workbook_with(tmp_path, rows, name=name)


@pytest.mark.parametrize("status", ["open", "closed"])
@pytest.mark.parametrize("dry_run", [True, False])
def test_queries_do_not_grow_with_the_table(world, tmp_path, status, dry_run):
    schools = [
        SchoolFactory(municipality=world.mun_x, short_name=f"МАОУ СОШ № {100 + i} г. Томска")
        for i in range(12)
    ]
    for school in schools[::3]:
        BranchFactory(school=school, name=f"Филиал № {school.pk}")
    previous = campaign("2014", status="closed")
    for school in schools:
        report(previous, school, status="approved")
    counts = []
    for size in (3, 12):
        target = campaign(f"2015-{size}", previous=previous, status=status, participants=[])
        if status == "open":
            for school in schools[:size:2]:  # some reports already started: updated, not created
                report(target, school, status="draft", classes_total=None)
        path = _table(tmp_path, schools[:size], f"table{size}.xlsx")
        with CaptureQueriesContext(connection) as queries:
            result = _run(path, world.methodist, target, dry_run=dry_run)
        assert result.errors == [], result.errors
        assert result.written == (not dry_run)
        counts.append(len(queries))
        if not dry_run:
            assert SchoolReport.objects.filter(campaign=target).count() == size
            assert WorkflowEvent.objects.filter(campaign=target, action="import").count() == size
    assert counts[0] == counts[1], counts
