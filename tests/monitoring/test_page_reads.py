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
