"""E-mails and in-portal notifications: digest, hand-over, reminders after the deadline."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Notification
from monitoring import workflow
from monitoring.models import SchoolReport
from monitoring.tasks import send_deadline_reminders, send_review_digest
from tests.factories import UserFactory, campaign, report

pytestmark = pytest.mark.django_db

TOMSK_TZ = datetime.timezone(datetime.timedelta(hours=7))


def at(day, hour=9, minute=0):
    return datetime.datetime(2017, 9, day, hour, minute, tzinfo=TOMSK_TZ)


@pytest.fixture
def current(world):
    return campaign("2017")


def test_daily_digest_lists_submitted_and_resubmitted_reports(
    world, current, mailoutbox, django_capture_on_commit_callbacks
):
    r_a1 = report(current, world.school_a1)
    r_a2 = report(current, world.school_a2)
    with time_machine.travel(at(10, 10), tick=False):
        workflow.report_submit(
            report_id=r_a2.pk, user=UserFactory(role="coordinator", school=world.school_a2)
        )
    with time_machine.travel(at(12, 11), tick=False):
        workflow.report_submit(report_id=r_a1.pk, user=world.coordinator_a)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.report_return(report_id=r_a1.pk, user=world.specialist_x, comment="Проверьте графу 8.")
    with time_machine.travel(at(12, 15), tick=False):
        workflow.report_submit(report_id=r_a1.pk, user=world.coordinator_a)
    mailoutbox.clear()
    Notification.objects.all().delete()
    with time_machine.travel(at(13, 8), tick=False):
        assert send_review_digest.delay().get() == 1
    (mail,) = mailoutbox
    assert mail.to == [world.specialist_x.email]
    assert "1 отчёт" in mail.subject and "Город Томск" in mail.subject
    assert "МАОУ СОШ № 1 г. Томска (повторно, после возврата)" in mail.body
    assert "СОШ № 2" not in mail.body  # submitted three days ago
    (note,) = Notification.objects.filter(user=world.specialist_x)
    assert "МАОУ СОШ № 1 г. Томска (повторно" in note.text
    assert note.link.startswith(
        reverse("monitoring:municipality_dashboard", args=[current.slug, world.mun_x.pk])
    )
    assert not Notification.objects.exclude(user=world.specialist_x).exists()
    # Nothing new the next day: no digest.
    mailoutbox.clear()
    with time_machine.travel(at(14, 8), tick=False):
        assert send_review_digest.delay().get() == 0
    assert mailoutbox == []


def test_methodist_is_told_when_a_municipality_hands_over(
    world, current, mailoutbox, django_capture_on_commit_callbacks
):
    report(current, world.school_a1, status="approved")
    with time_machine.travel(at(19, 15), tick=False), django_capture_on_commit_callbacks(execute=True):
        workflow.municipality_submit(
            campaign=current,
            municipality=world.mun_x,
            user=world.specialist_x,
            missing_ids=[world.school_a2.pk],
            reason="Школа закрыта на карантин.",
        )
    (mail,) = mailoutbox
    assert mail.to == [world.methodist.email]
    assert "Город Томск" in mail.subject and "Школа закрыта на карантин." in mail.body
    (note,) = Notification.objects.all()
    assert note.user == world.methodist and "передал данные" in note.text


@pytest.mark.parametrize(
    "day,due", [(21, False), (22, False), (23, True), (24, False), (26, True), (29, True)]
)
def test_reminders_continue_after_the_deadline_every_n_days(world, current, mailoutbox, settings, day, due):
    settings.REMINDER_AFTER_DEADLINE_EVERY_DAYS = 3
    report(current, world.school_a1, status="submitted")
    report(current, world.school_a2, status="draft")
    coord_a2 = UserFactory(role="coordinator", school=world.school_a2)
    with time_machine.travel(at(day), tick=False):
        sent = send_deadline_reminders.delay().get()
    if not due:
        assert sent == 0 and mailoutbox == []
        return
    by_address = {m.to[0]: m for m in mailoutbox}
    # a2 (draft) and b1 (no report) are late; a1 was submitted.
    assert set(by_address) == {
        coord_a2.email,
        world.coordinator_b.email,
        world.specialist_x.email,
        world.specialist_y.email,
    }
    assert "истёк 20.09.2017" in by_address[coord_a2.email].subject
    to_specialist = by_address[world.specialist_x.email].body
    assert "Не отправили отчёт (1 организация)" in to_specialist
    assert "МАОУ СОШ № 2 г. Томска" in to_specialist and "СОШ № 1 г." not in to_specialist
    assert "СОШ № 76" in by_address[world.specialist_y.email].body
    assert Notification.objects.filter(user=world.specialist_x, text__contains="СОШ № 2").count() == 1


def test_reminder_interval_is_a_setting(world, current, mailoutbox, settings):
    settings.REMINDER_AFTER_DEADLINE_EVERY_DAYS = 2
    with time_machine.travel(at(22), tick=False):
        assert send_deadline_reminders.delay().get() > 0


def test_workflow_mail_and_portal_carry_the_same_message(
    world, current, mailoutbox, django_capture_on_commit_callbacks
):
    r = report(current, world.school_a1, status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_return(report_id=r.pk, user=world.specialist_x, comment="Уточните графу 10.")
    (mail,) = mailoutbox
    (note,) = Notification.objects.filter(user=world.coordinator_a)
    assert mail.subject in note.text and "Уточните графу 10." in note.text
    assert note.link == reverse("monitoring:report", args=[current.slug, world.school_a1.pk])
    assert SchoolReport.objects.get(pk=r.pk).status == "returned"
