"""E-mail of workflow events: a transient failure of the mail server is retried."""

import smtplib
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from monitoring.models import WorkflowEvent
from monitoring.notifications import Message
from monitoring.tasks import send_workflow_notification
from rcro_portal.celery import app
from tests.factories import campaign, report


@pytest.fixture
def retries_run_eagerly():
    """Retries of a task run in place (apply() follows them) instead of raising ``Retry``."""
    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


@pytest.fixture
def message(world):
    world.specialist_x.email = "spec_x@example.org"
    world.specialist_x.save(update_fields=["email"])
    return Message("Тема", "Текст", "/", [world.specialist_x])


@pytest.fixture
def event(world, retries_run_eagerly):
    r = report(campaign("2017"), world.school_a1, status="submitted")
    return WorkflowEvent.objects.create(
        campaign=r.campaign,
        report=r,
        municipality=world.school_a1.municipality,
        action=WorkflowEvent.Action.SUBMIT,
        from_state="draft",
        to_state="submitted",
        actor=world.coordinator_a,
    )


def test_notification_is_sent_again_after_a_transient_error(event, message):
    real_send = EmailBackend.send_messages
    calls = []

    def flaky(backend, messages):
        calls.append(len(messages))
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(backend, messages)

    with (
        mock.patch("monitoring.tasks.workflow_messages", return_value=[message]),
        mock.patch.object(EmailBackend, "send_messages", flaky),
        mock.patch.object(
            send_workflow_notification, "retry", wraps=send_workflow_notification.retry
        ) as retry,
    ):
        result = send_workflow_notification.apply(args=[event.pk])
    assert result.get() == 1
    assert calls == [1, 1]
    assert retry.call_count == 1
    assert isinstance(retry.call_args.kwargs["exc"], smtplib.SMTPServerDisconnected)
    assert retry.call_args.kwargs["countdown"] > 0  # waits before the next try
    assert [m.subject for m in mail.outbox] == ["Тема"]


def test_notification_gives_up_after_max_retries(event, message):
    with (
        mock.patch("monitoring.tasks.workflow_messages", return_value=[message]),
        mock.patch.object(EmailBackend, "send_messages", side_effect=ConnectionRefusedError()) as send,
        pytest.raises(ConnectionRefusedError),
    ):
        send_workflow_notification.apply(args=[event.pk]).get()
    assert send.call_count == settings.MAIL_MAX_RETRIES + 1
    assert mail.outbox == []


def test_a_permanent_error_is_not_retried(event, message):
    with (
        mock.patch("monitoring.tasks.workflow_messages", return_value=[message]),
        mock.patch.object(EmailBackend, "send_messages", side_effect=ValueError("bad address")) as send,
        pytest.raises(ValueError),
    ):
        send_workflow_notification.apply(args=[event.pk]).get()
    assert send.call_count == 1
