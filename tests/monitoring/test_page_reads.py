"""The report pages read each thing once: last year's report, the remarks, the journal, the
municipality's state — whatever the number of checks and panels that use them."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import report


def _reads(sql_list, table: str, campaign_id: int | None = None) -> int:
    pattern = re.compile(rf'FROM "{table}"')
    hits = [sql for sql in sql_list if pattern.search(sql)]
    if campaign_id is not None:
        hits = [sql for sql in hits if f'"{table}"."campaign_id" = {campaign_id}' in sql]
    return len(hits)


def _page_sql(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_review_page_reads_last_year_remarks_and_journal_once(world, campaigns, client_for):
    previous, current, _ = campaigns
    report(current, world.school_a1, status="submitted")
    sql = _page_sql(
        client_for(world.specialist_x), reverse("monitoring:report", args=[current.slug, world.school_a1.pk])
    )
    assert _reads(sql, "monitoring_schoolreport", previous.pk) == 1
    assert _reads(sql, "monitoring_reportcomment") == 1
    assert _reads(sql, "monitoring_workflowevent") == 1
    assert _reads(sql, "monitoring_municipalityreview") == 1
    assert _reads(sql, "vendors_vendorcount") <= 1


def test_form_page_reads_last_year_and_the_state_once(world, campaigns, client_for):
    from monitoring.models import ReportBranch

    previous, current, _ = campaigns
    item = report(current, world.school_a1, status="draft")
    ReportBranch.objects.create(report=item, branch=world.branch_a1, system=item.system)
    sql = _page_sql(
        client_for(world.coordinator_a),
        reverse("monitoring:report_edit", args=[current.slug, world.school_a1.pk]),
    )
    assert _reads(sql, "monitoring_schoolreport", previous.pk) == 1
    assert _reads(sql, "monitoring_municipalityreview") == 1


def test_form_save_reads_the_report_its_rows_and_the_state_once(world, campaigns, client_for):
    """The save reads the report with its lock, and the municipality's state in the same
    statement; the branch rows and events that read brought are not read again."""
    from monitoring.models import ReportBranch
    from tests.monitoring.test_views import form_data

    previous, current, _ = campaigns
    item = report(current, world.school_a1, status="draft")
    ReportBranch.objects.create(report=item, branch=world.branch_a1, system=item.system)
    item.events.create(title="Семинар", students=3, teachers=1)
    url = reverse("monitoring:report_edit", args=[current.slug, world.school_a1.pk])
    client = client_for(world.coordinator_a)
    data = form_data(item, notes="Сохранено", action="draft")
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data)
    assert response.status_code == 302
    sql = [q["sql"] for q in ctx.captured_queries]
    assert _reads(sql, "monitoring_schoolreport", current.pk) == 1
    assert _reads(sql, "monitoring_reportbranch") == 1
    assert _reads(sql, "monitoring_reportevent") == 1
    assert sum('"monitoring_municipalityreview"' in s for s in sql) == 1
    item.refresh_from_db()
    assert item.notes == "Сохранено"


def test_a_save_of_a_report_read_without_its_lock_is_refused(world, campaigns):
    import pytest

    from monitoring import selectors, services
    from monitoring.services import ReportInput, report_values

    _, current, _ = campaigns
    item = report(current, world.school_a1, status="draft")
    unlocked = selectors.report_for(campaign=current, school=world.school_a1)
    with pytest.raises(RuntimeError):
        services.report_save_locked(
            report=unlocked,
            user=world.coordinator_a,
            data=ReportInput(values=report_values(item)),
            expected_version=item.version,
            draft=True,
        )
