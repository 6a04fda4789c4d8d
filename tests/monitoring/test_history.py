"""The change history speaks Russian: states and field names by their labels, never codes."""

import re

import pytest
from django.urls import reverse

from monitoring import workflow
from monitoring.comments import FieldComment
from monitoring.history import report_history
from monitoring.models import SchoolReport
from monitoring.services import ReportInput, report_save, report_values
from tests.factories import campaign, report

pytestmark = pytest.mark.django_db

CODES = re.compile(r"\b(draft|submitted|approved|returned|collecting|accepted)\b")


def test_history_has_no_state_codes_or_english_labels(world, client_for):
    current = campaign("2017")
    r = report(current, world.school_a1)
    fresh = SchoolReport.objects.get(pk=r.pk)
    report_save(
        report_id=r.pk,
        user=world.coordinator_a,
        data=ReportInput(values=report_values(fresh) | {"teachers_total": 41}),
        expected_version=fresh.version,
        draft=True,
    )
    workflow.report_submit(report_id=r.pk, user=world.coordinator_a)
    workflow.report_return(
        report_id=r.pk,
        user=world.specialist_x,
        comment="Уточните",
        field_comments=[FieldComment("teachers_total", None, "Сколько педагогов?")],
    )
    workflow.report_submit(report_id=r.pk, user=world.coordinator_a)
    entries = report_history(SchoolReport.objects.get(pk=r.pk))
    texts = [e.what for e in entries] + [f"{c.label} {c.old} {c.new}" for e in entries for c in e.changes]
    assert any("на проверке" in t for t in texts) and any("возвращён на доработку" in t for t in texts)
    assert any("Сколько педагогов?" in t for t in texts) and any("учтено" in t for t in texts)
    for text in texts:
        assert not CODES.search(text), text
        assert not re.search(r"[A-Za-z]", text.replace("e-mail", "")), text
    html = client_for(world.specialist_x).get(
        reverse("monitoring:report", args=[current.slug, world.school_a1.pk])
    )
    section = html.content.decode().split('id="h-history"')[1]
    assert not CODES.search(section)
