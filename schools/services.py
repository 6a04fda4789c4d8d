"""Every write to the reference data of organisations: schools, branches, their closing."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User

from .models import Branch, Municipality, School

MSG_ONLY_METHODISTS = "Регистрировать и закрывать организации могут только методисты РЦРО."
MSG_ALREADY_CLOSED = "Организация «{school}» уже закрыта ({date})."
MSG_MERGED_INTO_REQUIRED = "Укажите организацию, к которой присоединена «{school}»."
MSG_MERGED_INTO_SELF = "Организация не может быть присоединена сама к себе."
MSG_MERGED_INTO_CLOSED = "Организация «{target}», к которой присоединяют, сама закрыта."
MSG_NOT_CLOSED = "Организация «{school}» не закрыта."


class SchoolError(Exception):
    """A refusal with a message for the user."""


def _require_regional(user: User) -> None:
    if not user.is_regional:
        raise SchoolError(MSG_ONLY_METHODISTS)


def _save(obj, user: User, update_fields=None) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise SchoolError("; ".join(exc.messages)) from exc
    obj._history_user = user
    obj.save(update_fields=update_fields)


@transaction.atomic
def school_create(
    *, municipality: Municipality, short_name: str, address: str = "", full_name: str = "", user: User
) -> School:
    """Register an organisation (from a table or by a methodist)."""
    _require_regional(user)
    school = School(
        municipality=municipality, short_name=short_name.strip(), address=address.strip(), full_name=full_name
    )
    _save(school, user)
    return school


@transaction.atomic
def branch_create(*, school: School, name: str, address: str = "", user: User) -> Branch:
    _require_regional(user)
    branch = Branch(school=school, name=name.strip(), address=address.strip())
    _save(branch, user)
    return branch


UPDATABLE = ("short_name", "full_name", "address", "external_code")


@transaction.atomic
def school_update(*, school_id: int, user: User, **fields) -> School:
    _require_regional(user)
    school = School.objects.select_for_update().get(pk=school_id)
    unknown = set(fields) - set(UPDATABLE)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(school, name) != value]
    for name in changed:
        setattr(school, name, fields[name])
    if changed:
        _save(school, user, update_fields=changed)
    return school


@transaction.atomic
def school_close(
    *,
    school_id: int,
    closed_on: datetime.date,
    reason: str,
    merged_into_id: int | None = None,
    user: User,
) -> School:
    """An organisation stops working: closed, or merged into another. It is no longer offered
    for new campaigns; its past reports stay."""
    _require_regional(user)
    school = School.objects.select_for_update().get(pk=school_id)
    if school.closed_on is not None:
        raise SchoolError(MSG_ALREADY_CLOSED.format(school=school, date=f"{school.closed_on:%d.%m.%Y}"))
    if reason == School.CloseReason.MERGED:
        if merged_into_id is None:
            raise SchoolError(MSG_MERGED_INTO_REQUIRED.format(school=school))
        if merged_into_id == school.pk:
            raise SchoolError(MSG_MERGED_INTO_SELF)
        target = School.objects.get(pk=merged_into_id)
        if target.closed_on is not None:
            raise SchoolError(MSG_MERGED_INTO_CLOSED.format(target=target))
    else:
        merged_into_id = None
    school.closed_on, school.close_reason, school.merged_into_id = closed_on, reason, merged_into_id
    school.is_active = False
    _save(school, user, update_fields=["closed_on", "close_reason", "merged_into", "is_active"])
    return school


@transaction.atomic
def school_reopen(*, school_id: int, user: User) -> School:
    """Undo a closing entered by mistake."""
    _require_regional(user)
    school = School.objects.select_for_update().get(pk=school_id)
    if school.closed_on is None:
        raise SchoolError(MSG_NOT_CLOSED.format(school=school))
    school.closed_on, school.close_reason, school.merged_into_id, school.is_active = None, "", None, True
    _save(school, user, update_fields=["closed_on", "close_reason", "merged_into", "is_active"])
    return school
