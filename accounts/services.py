"""Writes concerning users and roles."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from .access import PersonAction, can_invite, person_actions
from .models import Invitation, Role, User
from .tasks import send_invitation
from .tokens import invitation_token_valid

METHODISTS_GROUP = "Методисты РЦРО"
# Reference lists methodists maintain in the admin.
METHODIST_MODELS = {
    "schools": ["municipality", "school", "branch", "edmsvendor", "edmssystem"],
}


def methodists_group() -> Group:
    group, _ = Group.objects.get_or_create(name=METHODISTS_GROUP)
    perms = Permission.objects.none()
    for app_label, models in METHODIST_MODELS.items():
        perms = perms | Permission.objects.filter(
            content_type__app_label=app_label, content_type__model__in=models
        )
    group.permissions.set(perms)
    return group


@transaction.atomic
def user_apply_role(*, user: User) -> User:
    """Give a user the admin access their role implies: methodists edit the reference lists."""
    group = methodists_group()
    if user.role in (Role.METHODIST, Role.ADMIN):
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(group)
    else:
        user.groups.remove(group)
        if user.is_staff and not user.is_superuser:
            user.is_staff = False
            user.save(update_fields=["is_staff"])
    return user


# --- Invitations and account management ---------------------------------------------------

INVITATION_EMAIL_INVALID = "Неверный адрес электронной почты: «{email}»."
INVITATION_EMAIL_TAKEN = (
    "Адрес {email} уже указан у пользователя «{user}»: второй учётной записи с ним не будет."
)
INVITATION_ALREADY_OPEN = (
    "На адрес {email} уже отправлено приглашение. Его можно отправить повторно на странице «Люди»."
)
INVITATION_FORBIDDEN = (
    "Вы можете приглашать только координаторов организаций своего МОУО; методистов и "
    "администраторов создаёт администратор."
)
INVITATION_NOT_OPEN = "Приглашение уже принято или отозвано."
LINK_INVALID = "Ссылка недействительна. Проверьте, что она скопирована из последнего письма полностью."
LINK_USED = "Эта ссылка уже использована: пароль задан. Войдите, указав адрес электронной почты и пароль."
LINK_EXPIRED = (
    "Срок действия ссылки истёк. Попросите специалиста МОУО или методиста РЦРО отправить приглашение ещё раз."
)
LINK_REVOKED = "Приглашение отозвано. Если это ошибка, обратитесь к специалисту МОУО или методисту РЦРО."
ACCOUNT_DISABLED = "Учётная запись отключена. Обратитесь к специалисту МОУО или методисту РЦРО."
PERSON_FORBIDDEN = "Это действие с этой учётной записью вам недоступно."
SCHOOL_CHANGE_SAME = "Координатор уже привязан к этой организации."


class InvitationError(Exception):
    """A refused invitation action; ``str(error)`` is the Russian message for the person."""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise InvitationError(message)


def normalize_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise InvitationError(INVITATION_EMAIL_INVALID.format(email=email)) from None
    return email.lower()


def _unique_username(email: str) -> str:
    base = email[:140]
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _split_name(full_name: str) -> dict:
    parts = (full_name or "").split()
    return {
        "last_name": parts[0][:150] if parts else "",
        "first_name": parts[1][:150] if len(parts) > 1 else "",
        "middle_name": " ".join(parts[2:])[:150],
    }


def invitation_valid_until():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


def _send_on_commit(invitation: Invitation) -> None:
    invitation_id = invitation.pk
    transaction.on_commit(lambda: send_invitation.delay(invitation_id))


def email_refusal(email: str) -> str | None:
    """Why this (already normalised) address cannot get a new account, or None."""
    open_invitation = Invitation.objects.filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if open_invitation is not None:
        return INVITATION_ALREADY_OPEN.format(email=email)
    holder = User.objects.filter(email__iexact=email).first()
    if holder is not None:
        return INVITATION_EMAIL_TAKEN.format(email=email, user=holder)
    return None


@transaction.atomic
def invitation_create(
    *, email: str, role: str, school=None, municipality=None, full_name: str = "", user: User | None
) -> Invitation:
    """Create the account of a coordinator (for a school) or a specialist (for a municipality)
    and e-mail them a one-time link to set their password. ``user=None`` is the command line."""
    email = normalize_email(email)
    if user is None:
        _check(
            (role == Role.COORDINATOR and school is not None and municipality is None)
            or (role == Role.SPECIALIST and municipality is not None and school is None),
            INVITATION_FORBIDDEN,
        )
    else:
        _check(can_invite(user, role=role, school=school, municipality=municipality), INVITATION_FORBIDDEN)
    refusal = email_refusal(email)
    _check(refusal is None, refusal or "")
    try:
        # Two invitations of one address at once: the database lets only one through.
        with transaction.atomic():
            person = User(
                username=_unique_username(email),
                email=email,
                role=role,
                school=school if role == Role.COORDINATOR else None,
                municipality=municipality if role == Role.SPECIALIST else None,
                **_split_name(full_name),
            )
            person.set_unusable_password()
            person.save()
            invitation = Invitation.objects.create(
                user=person,
                email=email,
                role=role,
                school=person.school,
                municipality=person.municipality,
                created_by=user,
                expires_at=invitation_valid_until(),
                sent_count=1,
                last_sent_at=timezone.now(),
            )
    except IntegrityError:
        raise InvitationError(INVITATION_ALREADY_OPEN.format(email=email)) from None
    _send_on_commit(invitation)
    return invitation


def _open_invitations(person: User):
    return Invitation.objects.select_for_update().filter(
        user=person, accepted_at__isnull=True, revoked_at__isnull=True
    )


def _lock_open_invitation(invitation_id: int) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation_id)
    _check(invitation.is_open, INVITATION_NOT_OPEN)
    return invitation


def _check_may_manage(user: User, person: User, action: str, open_invitation=None) -> None:
    _check(
        action in person_actions(user=user, person=person, open_invitation=open_invitation), PERSON_FORBIDDEN
    )


@transaction.atomic
def invitation_resend(*, invitation: Invitation, user: User) -> Invitation:
    """Send the link again (valid anew for INVITATION_VALID_DAYS); links sent before stop working."""
    invitation = _lock_open_invitation(invitation.pk)
    _check_may_manage(user, invitation.user, PersonAction.RESEND, invitation)
    invitation.sent_count += 1
    invitation.last_sent_at = timezone.now()
    invitation.expires_at = invitation_valid_until()
    invitation.save(update_fields=["sent_count", "last_sent_at", "expires_at"])
    _send_on_commit(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, user: User) -> Invitation:
    """Make the link unusable; an account that never got a password is switched off as well."""
    invitation = _lock_open_invitation(invitation.pk)
    person = invitation.user
    _check_may_manage(user, person, PersonAction.REVOKE, invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    if not person.has_usable_password() and person.is_active:
        person.is_active = False
        person.save(update_fields=["is_active"])
    return invitation


def invitation_link_refusal(invitation: Invitation | None, token: str) -> str | None:
    """Why a link cannot be used now (a Russian message), or None if it can."""
    if invitation is None or not invitation_token_valid(invitation, token):
        return LINK_INVALID
    if invitation.accepted_at is not None:
        return LINK_USED
    if invitation.revoked_at is not None:
        return LINK_REVOKED
    if not invitation.user.is_active:
        return ACCOUNT_DISABLED
    if invitation.expires_at <= timezone.now():
        return LINK_EXPIRED
    return None


def invitation_accept(*, invitation_id: int, token: str, data) -> SetPasswordForm:
    """Set the password through a one-time link. Returns the form (with errors if the password is
    refused); raises InvitationError if the link cannot be used. Nothing changes on refusal."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("user").filter(pk=invitation_id).first()
        )
        refusal = invitation_link_refusal(invitation, token)
        _check(refusal is None and invitation is not None, refusal or "")
        assert invitation is not None
        person = invitation.user
        form = SetPasswordForm(person, data)
        if not form.is_valid():
            return form
        form.save()
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return form


@transaction.atomic
def user_deactivate(*, person: User, user: User) -> User:
    """Switch an account off: it cannot log in, its open invitation is revoked."""
    person = User.objects.select_for_update().get(pk=person.pk)
    _check_may_manage(user, person, PersonAction.DEACTIVATE)
    person.is_active = False
    person.save(update_fields=["is_active"])
    for invitation in _open_invitations(person):
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return person


@transaction.atomic
def user_activate(*, person: User, user: User) -> User:
    """Switch an account on again; one that never got a password receives a new invitation."""
    person = User.objects.select_for_update().get(pk=person.pk)
    _check_may_manage(user, person, PersonAction.ACTIVATE)
    person.is_active = True
    person.save(update_fields=["is_active"])
    if not person.has_usable_password() and person.email:
        now = timezone.now()
        invitation = Invitation.objects.create(
            user=person,
            email=person.email,
            role=person.role,
            school=person.school,
            municipality=person.municipality,
            created_by=user,
            expires_at=invitation_valid_until(),
            sent_count=1,
            last_sent_at=now,
        )
        _send_on_commit(invitation)
    return person


@transaction.atomic
def coordinator_change_school(*, person: User, school, user: User) -> User:
    """Attach a coordinator's account to another school (when the responsible person moves)."""
    person = User.objects.select_for_update().get(pk=person.pk)
    _check_may_manage(user, person, PersonAction.CHANGE_SCHOOL)
    _check(can_invite(user, role=Role.COORDINATOR, school=school), INVITATION_FORBIDDEN)
    _check(person.school_id != school.pk, SCHOOL_CHANGE_SAME)
    person.school = school
    person.save(update_fields=["school"])
    for invitation in _open_invitations(person):
        invitation.school = school
        invitation.save(update_fields=["school"])
    return person
