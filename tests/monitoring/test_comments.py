"""Per-field remarks of a returned report: kept with the return, shown beside the fields,
resolved when the report is submitted again, and kept in the history."""

import pytest
from django.urls import reverse

from monitoring import comments, workflow
from monitoring.models import ReportBranch, ReportComment, ReportStatus
from tests.factories import campaign, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(world):
    current = campaign("2017")
    r = report(current, world.school_a1)
    ReportBranch.objects.create(
        report=r, branch=world.branch_a1, system=r.system, responsible_name="Сидорова"
    )
    workflow.report_submit(report_id=r.pk, user=world.coordinator_a)
    return current, r


def return_url(current, school, action="return"):
    return reverse("monitoring:report_review", args=[current.slug, school.pk, action])


def test_comments_from_post_ignore_unknown_fields_and_foreign_branches(world):
    post = {
        "fc__teachers_total": "  Проверьте число педагогов ",
        "fc__version": "нельзя",
        "fc__no_such_field": "нельзя",
        "fc__classes_total": "   ",
        f"fcb__{world.branch_a1.pk}": "Укажите систему филиала",
        f"fcb__{world.branch_b1.pk}": "чужой филиал",
    }
    items = comments.comments_from_post(post, [world.branch_a1.pk])
    assert sorted(items, key=lambda i: i.field) == [
        comments.FieldComment("", world.branch_a1.pk, "Укажите систему филиала"),
        comments.FieldComment("teachers_total", None, "Проверьте число педагогов"),
    ]


def test_return_with_field_comments_then_resubmit_resolves_them(
    world, submitted, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    current, r = submitted
    reviewer = client_for(world.specialist_x)
    page = reverse("monitoring:report", args=[current.slug, world.school_a1.pk])
    html = reviewer.get(page).content.decode()
    assert 'name="fc__teachers_total"' in html and 'form="return-form"' in html
    assert f'name="fcb__{world.branch_a1.pk}"' in html
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(
            return_url(current, world.school_a1),
            {
                "comment": "",
                "fc__teachers_total": "Педагогов больше, чем в штатном расписании?",
                f"fcb__{world.branch_a1.pk}": "Укажите телефон ответственного",
            },
        )
    r.refresh_from_db()
    assert r.status == ReportStatus.RETURNED
    assert r.workflow_events.get(action="return").comment == comments.MSG_SEE_FIELD_COMMENTS.format(count=2)
    assert (
        ReportComment.objects.filter(report=r, resolved_at__isnull=True, author=world.specialist_x).count()
        == 2
    )
    assert "Графа 17: Общее количество педагогов: Педагогов больше" in mailoutbox[0].body

    coordinator = client_for(world.coordinator_a)
    edit = coordinator.get(reverse("monitoring:report_edit", args=[current.slug, world.school_a1.pk]))
    html = edit.content.decode()
    assert "Замечания проверяющего к полям (2)" in html
    row = html.split('id="row-teachers_total"')[1].split('class="row g-2 py-2')[0]
    assert "Педагогов больше, чем в штатном расписании?" in row
    branch = html.split(f'id="branch-{world.branch_a1.pk}-system"')[1].split("</fieldset>")[0]
    assert "Укажите телефон ответственного" in branch

    workflow.report_submit(report_id=r.pk, user=world.coordinator_a)
    assert not ReportComment.objects.filter(report=r, resolved_at__isnull=True).exists()
    assert ReportComment.objects.filter(report=r, resolved_by=world.coordinator_a).count() == 2
    html = reviewer.get(page).content.decode()
    assert "Замечания проверяющего к полям" not in html
    assert "Замечания к полям" in html and "учтено при отправке" in html
    assert ReportComment.history.filter(report_id=r.pk).count() == 4  # created, then resolved


def test_outsider_cannot_return_with_comments(world, submitted, client_for):
    current, r = submitted
    response = client_for(world.specialist_y).post(
        return_url(current, world.school_a1), {"comment": "x", "fc__classes_total": "x"}
    )
    assert response.status_code == 404
    assert not ReportComment.objects.exists()


def test_return_without_any_comment_is_refused(world, submitted, client_for):
    current, r = submitted
    client_for(world.specialist_x).post(return_url(current, world.school_a1), {"comment": " "})
    r.refresh_from_db()
    assert r.status == ReportStatus.SUBMITTED
