"""invite_coordinators: counts, schools without an address, dry run, running it twice."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Invitation, Role, User
from monitoring.models import SchoolReport


def run(*args, capture=None):
    from io import StringIO

    out = StringIO()
    call_command("invite_coordinators", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def no_email_b2(world, current):
    SchoolReport.objects.filter(school=world.school_b2).update(
        responsible_email="нет адреса", coordinator_email=""
    )


def test_dry_run_writes_nothing(world, current, no_email_b2, mailoutbox):
    users = User.objects.count()
    out = run("--campaign", current.slug, "--dry-run")
    assert "Будет отправлено: 1 приглашение" in out
    assert "koord.a2@school.example" in out
    assert "Нет пригодного e-mail в отчёте (графы 23 и 7): 1 организация" in out
    assert world.school_b2.short_name in out
    assert User.objects.count() == users and not Invitation.objects.exists() and not mailoutbox


def test_sends_and_is_idempotent(world, current, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = run("--campaign", current.slug)
    assert "Отправлено: 2 приглашения" in out
    assert sorted(m.to[0] for m in mailoutbox) == ["edms.b2@school.example", "koord.a2@school.example"]
    assert all(inv.created_by is None for inv in Invitation.objects.all())
    # Accept one; run again: no new accounts, nobody invited twice.
    invitation = Invitation.objects.get(school=world.school_a2)
    invitation.user.set_password("Zelen0e-Yabloko-17")
    invitation.user.save()
    from django.utils import timezone

    invitation.accepted_at = timezone.now()
    invitation.save()
    users = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        out = run("--campaign", current.slug)
    assert "Отправлено: 0 приглашений" in out
    assert "Уже есть координатор или отправленное приглашение: 4 организации" in out
    assert User.objects.count() == users and Invitation.objects.count() == 2 and len(mailoutbox) == 2


def test_municipality_filter(world, current, mailoutbox):
    out = run("--campaign", current.slug, "--municipality", "город томск")
    assert "Отправлено: 1 приглашение" in out
    assert list(Invitation.objects.values_list("school", flat=True)) == [world.school_a2.pk]
    assert User.objects.get(email="koord.a2@school.example").role == Role.COORDINATOR


def test_address_already_used_is_reported(world, current):
    from tests.factories import UserFactory

    UserFactory(username="someone", email="koord.a2@school.example")
    out = run("--campaign", current.slug)
    assert "Пропущено: 1 организация" in out
    assert "адрес уже указан у другой учётной записи" in out
    assert not Invitation.objects.filter(school=world.school_a2).exists()


def test_unknown_campaign_and_municipality(world, current):
    with pytest.raises(CommandError, match="Мониторинг «nope» не найден"):
        run("--campaign", "nope")
    with pytest.raises(CommandError, match="не найдено"):
        run("--campaign", current.slug, "--municipality", "Атлантида")
