"""Transitions of the review workflow, per role, with locks, audit entries and e-mails."""

import pytest
from django.urls import reverse

from monitoring import presenters, services, workflow
from monitoring.models import MunicipalityReview, ReportStatus, SchoolReport, WorkflowEvent
from monitoring.services import ReportInput, report_save, report_values
from tests.factories import campaign, report


@pytest.fixture
def setup(world):
    previous = campaign("2016", status="closed")
    current = campaign("2017", previous=previous)
    for school in (world.school_a1, world.school_a2, world.school_b1):
        report(previous, school, status="approved")
    r_a1 = report(current, world.school_a1)
    r_a2 = report(current, world.school_a2)
    return current, r_a1, r_a2


def submit(r, user):
    return workflow.report_submit(report_id=r.pk, user=user)


def test_full_cycle_with_audit_and_emails(world, setup, mailoutbox, django_capture_on_commit_callbacks):
    current, r_a1, _ = setup
    submit(r_a1, world.coordinator_a)
    r_a1.refresh_from_db()
    assert r_a1.status == ReportStatus.SUBMITTED and r_a1.submitted_at
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_return(report_id=r_a1.pk, user=world.specialist_x, comment="Проверьте графу 17")
    assert SchoolReport.objects.get(pk=r_a1.pk).status == ReportStatus.RETURNED
    assert len(mailoutbox) == 1
    assert "Проверьте графу 17" in mailoutbox[0].body
    assert mailoutbox[0].to == [world.coordinator_a.email]
    assert "возвращён на доработку" in mailoutbox[0].subject
    submit(r_a1, world.coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_approve(report_id=r_a1.pk, user=world.specialist_x)
    assert SchoolReport.objects.get(pk=r_a1.pk).status == ReportStatus.APPROVED
    assert "принят" in mailoutbox[1].subject
    actions = list(
        WorkflowEvent.objects.filter(report=r_a1)
        .order_by("pk")
        .values_list("action", "from_state", "to_state")
    )
    assert actions == [
        ("submit", "draft", "submitted"),
        ("return", "submitted", "returned"),
        ("submit", "returned", "submitted"),
        ("approve", "submitted", "approved"),
    ]


@pytest.mark.parametrize("persona", ["coordinator_b", "specialist_x", "specialist_y", "methodist", "nobody"])
def test_only_own_coordinator_submits(world, setup, persona):
    _, r_a1, _ = setup
    with pytest.raises(workflow.TransitionRefused):
        submit(r_a1, getattr(world, persona))
    assert SchoolReport.objects.get(pk=r_a1.pk).status == ReportStatus.DRAFT


@pytest.mark.parametrize("persona", ["coordinator_a", "specialist_y", "methodist", "nobody"])
def test_only_own_specialist_approves_or_returns(world, setup, persona):
    _, r_a1, _ = setup
    submit(r_a1, world.coordinator_a)
    with pytest.raises(workflow.TransitionRefused):
        workflow.report_approve(report_id=r_a1.pk, user=getattr(world, persona))
    with pytest.raises(workflow.TransitionRefused):
        workflow.report_return(report_id=r_a1.pk, user=getattr(world, persona), comment="нет")
    assert SchoolReport.objects.get(pk=r_a1.pk).status == ReportStatus.SUBMITTED


def test_methodist_reviews_regional_schools(world):
    from schools.models import Municipality
    from tests.factories import SchoolFactory, UserFactory

    regional = Municipality.objects.get(kind="regional")
    school = SchoolFactory(municipality=regional, short_name="ОГБОУ «Школа-интернат № 1»")
    coord = UserFactory(role="coordinator", school=school)
    current = campaign("2017")
    r = report(current, school)
    submit(r, coord)
    with pytest.raises(workflow.TransitionRefused):
        workflow.report_approve(report_id=r.pk, user=world.specialist_x)
    workflow.report_approve(report_id=r.pk, user=world.methodist)
    assert SchoolReport.objects.get(pk=r.pk).status == ReportStatus.APPROVED
    workflow.municipality_accept(campaign=current, municipality=regional, user=world.methodist)
    assert MunicipalityReview.objects.get(campaign=current, municipality=regional).state == "accepted"


def test_return_requires_comment(world, setup):
    _, r_a1, _ = setup
    submit(r_a1, world.coordinator_a)
    with pytest.raises(workflow.TransitionRefused, match="комментарий обязателен"):
        workflow.report_return(report_id=r_a1.pk, user=world.specialist_x, comment="   ")
    assert not WorkflowEvent.objects.filter(action="return").exists()


def test_invalid_report_cannot_be_submitted(world, setup):
    _, r_a1, _ = setup
    SchoolReport.objects.filter(pk=r_a1.pk).update(classes_edms=21, coordinator_name="")
    with pytest.raises(services.ReportInvalid) as exc:
        submit(r_a1, world.coordinator_a)
    assert {f.code for f in exc.value.result.errors} == {"part_gt_whole", "required"}
    assert SchoolReport.objects.get(pk=r_a1.pk).status == ReportStatus.DRAFT


def test_double_click_gives_one_transition(world, setup):
    _, r_a1, _ = setup
    submit(r_a1, world.coordinator_a)
    with pytest.raises(workflow.TransitionRefused):
        submit(r_a1, world.coordinator_a)
    workflow.report_approve(report_id=r_a1.pk, user=world.specialist_x)
    with pytest.raises(workflow.TransitionRefused):
        workflow.report_approve(report_id=r_a1.pk, user=world.specialist_x)
    assert WorkflowEvent.objects.filter(report=r_a1, action="approve").count() == 1
    assert WorkflowEvent.objects.filter(report=r_a1, action="submit").count() == 1


def _edit(r, user):
    fresh = SchoolReport.objects.get(pk=r.pk)
    return report_save(
        report_id=r.pk,
        user=user,
        data=ReportInput(values=report_values(fresh)),
        expected_version=fresh.version,
        draft=True,
    )


def test_locks(world, setup):
    current, r_a1, r_a2 = setup
    submit(r_a1, world.coordinator_a)
    with pytest.raises(services.ReportLocked, match="на проверке"):
        _edit(r_a1, world.coordinator_a)
    workflow.report_approve(report_id=r_a1.pk, user=world.specialist_x)
    with pytest.raises(services.ReportLocked, match="принят"):
        _edit(r_a1, world.coordinator_a)
    # A returned report is editable again.
    workflow.report_return(report_id=r_a1.pk, user=world.specialist_x, comment="Уточните")
    _edit(r_a1, world.coordinator_a)
    # The municipality handed over (with the reason for the missing ones): everything is locked.
    submit(r_a1, world.coordinator_a)
    workflow.report_approve(report_id=r_a1.pk, user=world.specialist_x)
    workflow.municipality_submit(
        campaign=current,
        municipality=world.mun_x,
        user=world.specialist_x,
        missing_ids=[world.school_a2.pk],
        reason="Реорганизация школы",
    )
    with pytest.raises(services.ReportLocked, match="передан в РЦРО"):
        _edit(r_a2, world.coordinator_a)
    with pytest.raises(workflow.TransitionRefused):
        workflow.report_return(report_id=r_a1.pk, user=world.specialist_x, comment="ещё")
    workflow.municipality_accept(campaign=current, municipality=world.mun_x, user=world.methodist)
    with pytest.raises(services.ReportLocked, match="принят РЦРО"):
        _edit(r_a2, world.coordinator_a)
    # Closing the campaign locks everything.
    services.campaign_close(campaign=current, user=world.methodist)
    with pytest.raises(services.ReportLocked, match="не открыт"):
        _edit(r_a2, world.coordinator_a)


def test_municipality_submit_rules(world, setup):
    current, r_a1, r_a2 = setup
    with pytest.raises(workflow.TransitionRefused, match="Не все отчёты приняты"):
        workflow.municipality_submit(campaign=current, municipality=world.mun_x, user=world.specialist_x)
    with pytest.raises(workflow.TransitionRefused, match="не совпадает"):
        workflow.municipality_submit(
            campaign=current,
            municipality=world.mun_x,
            user=world.specialist_x,
            missing_ids=[world.school_a1.pk],
            reason="нет данных",
        )
    with pytest.raises(workflow.TransitionRefused):
        workflow.municipality_submit(
            campaign=current,
            municipality=world.mun_x,
            user=world.specialist_y,
            missing_ids=[world.school_a1.pk, world.school_a2.pk],
            reason="x",
        )
    submit(r_a1, world.coordinator_a)
    workflow.report_approve(report_id=r_a1.pk, user=world.specialist_x)
    review = workflow.municipality_submit(
        campaign=current,
        municipality=world.mun_x,
        user=world.specialist_x,
        missing_ids=[world.school_a2.pk],
        reason="Школа закрыта на ремонт",
    )
    assert review.state == "submitted"
    assert list(review.missing_schools.all()) == [world.school_a2]
    with pytest.raises(workflow.TransitionRefused):
        workflow.municipality_submit(
            campaign=current,
            municipality=world.mun_x,
            user=world.specialist_x,
            missing_ids=[world.school_a2.pk],
            reason="again",
        )


def test_municipality_return_reopens_chosen_schools(
    world, setup, mailoutbox, django_capture_on_commit_callbacks
):
    current, r_a1, r_a2 = setup
    submit(r_a1, world.coordinator_a)
    workflow.report_approve(report_id=r_a1.pk, user=world.specialist_x)
    workflow.municipality_submit(
        campaign=current,
        municipality=world.mun_x,
        user=world.specialist_x,
        missing_ids=[world.school_a2.pk],
        reason="Нет координатора",
    )
    with pytest.raises(workflow.TransitionRefused):
        workflow.municipality_return(
            campaign=current, municipality=world.mun_x, user=world.methodist, comment=""
        )
    with pytest.raises(workflow.TransitionRefused):
        workflow.municipality_return(
            campaign=current, municipality=world.mun_x, user=world.specialist_x, comment="x"
        )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.municipality_return(
            campaign=current,
            municipality=world.mun_x,
            user=world.methodist,
            comment="Нужен отчёт школы № 2",
            reopen_school_ids=[world.school_a1.pk],
        )
    assert MunicipalityReview.objects.get(campaign=current, municipality=world.mun_x).state == "returned"
    assert SchoolReport.objects.get(pk=r_a1.pk).status == ReportStatus.RETURNED
    subjects = sorted(m.subject for m in mailoutbox)
    assert any("возвращены РЦРО" in s for s in subjects)
    assert any("Отчёт возвращён" in s for s in subjects)
    _edit(r_a1, world.coordinator_a)  # editable again


def test_bulk_approve_validates_each(world, setup, client_for):
    current, r_a1, r_a2 = setup
    submit(r_a1, world.coordinator_a)
    SchoolReport.objects.filter(pk=r_a2.pk).update(status="submitted")
    SchoolReport.objects.filter(pk=r_a2.pk).update(warning_notes={}, teacher_workstations=0)
    client = client_for(world.specialist_x)
    response = client.post(
        reverse("monitoring:bulk_approve", args=[current.slug]),
        {"report": [r_a1.pk, r_a2.pk], "confirm": "1"},
        follow=True,
    )
    assert SchoolReport.objects.get(pk=r_a1.pk).status == ReportStatus.APPROVED
    assert SchoolReport.objects.get(pk=r_a2.pk).status == ReportStatus.SUBMITTED
    html = response.content.decode()
    assert "Принято отчётов: 1" in html
    assert world.school_a2.short_name in html


def test_bulk_approve_ignores_foreign_reports(world, setup, client_for):
    current, r_a1, _ = setup
    submit(r_a1, world.coordinator_a)
    client_for(world.specialist_y).post(
        reverse("monitoring:bulk_approve", args=[current.slug]), {"report": [r_a1.pk]}
    )
    assert SchoolReport.objects.get(pk=r_a1.pk).status == ReportStatus.SUBMITTED


def test_diff_since_return(world, setup, client_for):
    current, r_a1, _ = setup
    submit(r_a1, world.coordinator_a)
    workflow.report_return(report_id=r_a1.pk, user=world.specialist_x, comment="Уточните число педагогов")
    fresh = SchoolReport.objects.get(pk=r_a1.pk)
    report_save(
        report_id=r_a1.pk,
        user=world.coordinator_a,
        data=ReportInput(values=report_values(fresh) | {"teachers_total": 41}),
        expected_version=fresh.version,
        draft=True,
    )
    base, lines = presenters.changes_since_last_review(SchoolReport.objects.get(pk=r_a1.pk))
    assert base.action == "return"
    assert [(ln.label, ln.old, ln.new) for ln in lines] == [("Общее количество педагогов", "40", "41")]
    submit(r_a1, world.coordinator_a)
    base, lines = presenters.changes_since_last_review(SchoolReport.objects.get(pk=r_a1.pk))
    assert base.action == "return"
    assert [(ln.old, ln.new) for ln in lines] == [("40", "41")]
    html = (
        client_for(world.specialist_x)
        .get(reverse("monitoring:report", args=[current.slug, world.school_a1.pk]))
        .content.decode()
    )
    assert "Изменения с" in html and "Общее количество педагогов" in html
    assert "Принять отчёт" in html and "Вернуть на доработку" in html


def test_coordinator_sees_return_comment_and_submit_button(world, setup, client_for):
    current, r_a1, _ = setup
    client = client_for(world.coordinator_a)
    url = reverse("monitoring:report", args=[current.slug, world.school_a1.pk])
    assert "Отправить на проверку" in client.get(url).content.decode()
    response = client.post(
        reverse("monitoring:report_submit", args=[current.slug, world.school_a1.pk]), {"confirm": "1"}
    )
    assert response.status_code == 302
    workflow.report_return(report_id=r_a1.pk, user=world.specialist_x, comment="Заполните графу 24")
    html = client.get(url).content.decode()
    assert "Заполните графу 24" in html


@pytest.mark.parametrize(
    "persona,expected",
    [("coordinator_a", 403), ("coordinator_b", 404), ("specialist_y", 404), ("methodist", 403)],
)
def test_review_urls_refuse_others(world, setup, client_for, persona, expected):
    current, r_a1, _ = setup
    submit(r_a1, world.coordinator_a)
    client = client_for(getattr(world, persona))
    for action in ("approve", "return"):
        url = reverse("monitoring:report_review", args=[current.slug, world.school_a1.pk, action])
        assert client.post(url, {"comment": "x"}).status_code == expected
    assert SchoolReport.objects.get(pk=r_a1.pk).status == ReportStatus.SUBMITTED


def test_submit_url_refuses_others(world, setup, client_for):
    current, r_a1, _ = setup
    url = reverse("monitoring:report_submit", args=[current.slug, world.school_a1.pk])
    assert client_for(world.specialist_x).post(url).status_code == 403
    assert client_for(world.coordinator_b).post(url).status_code == 404
    assert SchoolReport.objects.get(pk=r_a1.pk).status == ReportStatus.DRAFT


def test_admin_cannot_change_reports(world, setup, client_for):
    _, r_a1, _ = setup
    client = client_for(world.admin)
    url = reverse("admin:monitoring_schoolreport_change", args=[r_a1.pk])
    response = client.post(url, {"classes_total": 1})
    assert SchoolReport.objects.get(pk=r_a1.pk).classes_total == 20
    assert response.status_code in (200, 403)


def test_form_refuses_locked_report(world, setup, client_for):
    current, r_a1, _ = setup
    submit(r_a1, world.coordinator_a)
    client = client_for(world.coordinator_a)
    url = reverse("monitoring:report_edit", args=[current.slug, world.school_a1.pk])
    response = client.get(url, follow=True)
    assert "нельзя изменить" in response.content.decode()
    from tests.monitoring.test_views import form_data

    fresh = SchoolReport.objects.get(pk=r_a1.pk)
    response = client.post(url, form_data(fresh, classes_total="5", action="draft"), follow=True)
    assert "нельзя изменить" in response.content.decode()
    assert SchoolReport.objects.get(pk=r_a1.pk).classes_total == 20


def test_stale_form_after_submission_gets_conflict(world, setup, client_for):
    """A form opened before submission cannot overwrite the submitted report."""
    current, r_a1, _ = setup
    stale = SchoolReport.objects.get(pk=r_a1.pk)
    submit(r_a1, world.coordinator_a)
    workflow.report_return(report_id=r_a1.pk, user=world.specialist_x, comment="Исправьте")
    from tests.monitoring.test_views import form_data

    response = client_for(world.coordinator_a).post(
        reverse("monitoring:report_edit", args=[current.slug, world.school_a1.pk]),
        form_data(stale, classes_total="5", action="draft"),
    )
    assert response.status_code == 409
    assert SchoolReport.objects.get(pk=r_a1.pk).classes_total == 20


def test_municipality_actions_through_pages(world, setup, client_for):
    current, r_a1, r_a2 = setup
    submit(r_a1, world.coordinator_a)
    workflow.report_approve(report_id=r_a1.pk, user=world.specialist_x)
    url = reverse("monitoring:municipality_action", args=[current.slug, world.mun_x.pk, "submit"])
    page = reverse("monitoring:municipality_dashboard", args=[current.slug, world.mun_x.pk])
    specialist = client_for(world.specialist_x)
    response = specialist.post(url, {"reason": "", "confirm": "1"}, follow=True)
    assert "Не все отчёты приняты" in response.content.decode()
    specialist.post(url, {"missing": [world.school_a2.pk], "reason": "Школа на капремонте", "confirm": "1"})
    assert MunicipalityReview.objects.get(campaign=current, municipality=world.mun_x).state == "submitted"
    # Other roles cannot act on the municipality.
    other = reverse("monitoring:municipality_action", args=[current.slug, world.mun_x.pk, "accept"])
    assert client_for(world.specialist_y).post(other).status_code == 404
    assert client_for(world.coordinator_a).post(other).status_code == 404
    methodist = client_for(world.methodist)
    html = methodist.get(page).content.decode()
    assert "Школа на капремонте" in html and "Принять данные МОУО" in html
    methodist.post(other, {"confirm": "1"})
    assert MunicipalityReview.objects.get(campaign=current, municipality=world.mun_x).state == "accepted"
    assert client_for(world.specialist_x).get(page).status_code == 200


def test_large_ids_survive_the_pages(world, client_for):
    """Ids above 999 are written into forms without a thousands separator."""
    from schools.models import School

    current = campaign("2017", participants=[])
    big = School.objects.create(pk=12345, municipality=world.mun_x, short_name="МАОУ СОШ № 99 г. Томска")
    current.participants.set([world.school_a1, big])
    report(current, world.school_a1, status="approved")
    page = reverse("monitoring:municipality_dashboard", args=[current.slug, world.mun_x.pk])
    html = client_for(world.specialist_x).get(page).content.decode()
    assert 'value="12345"' in html
    client_for(world.specialist_x).post(
        reverse("monitoring:municipality_action", args=[current.slug, world.mun_x.pk, "submit"]),
        {"missing": ["12345"], "reason": "Новая школа, отчёт будет позже", "confirm": "1"},
    )
    assert MunicipalityReview.objects.get(campaign=current, municipality=world.mun_x).state == "submitted"
