"""Every write to the reference data of organisations: schools, branches, their closing."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.history import bulk_history_attrs
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


MSG_NAME_TAKEN = "Организация «{name}» уже есть в МО «{municipality}»."
MSG_BRANCH_NAME_TAKEN = "Филиал «{name}» у организации «{school}» уже есть."


class SchoolsRefused(SchoolError):
    """Some of the organisations or branches registered together cannot be: ``problems`` lists
    (position in the given list, message) for each of them; nothing is written."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


def _validate_many(objs) -> list[tuple[int, str]]:
    """Field checks of unsaved objects, without a query per object (uniqueness is checked by the
    callers for the whole batch at once)."""
    problems = []
    for index, obj in enumerate(objs):
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problems.append((index, "; ".join(exc.messages)))
    return problems


@transaction.atomic
def schools_create_many(*, entries, user: User) -> list[School]:
    """Register many organisations at once (a loaded table names them): ``entries`` are
    (municipality, short name, address). A few queries whatever their number; each gets its
    history record. Raises :class:`SchoolsRefused` and writes nothing when any cannot be."""
    schools = [
        School(municipality=municipality, short_name=name.strip(), address=address.strip())
        for municipality, name, address in entries
    ]
    if not schools:
        return []
    _require_regional(user)
    problems = _validate_many(schools)
    taken = set(
        School.objects.filter(
            municipality_id__in={s.municipality_id for s in schools},
            short_name__in={s.short_name for s in schools},
        ).values_list("municipality_id", "short_name")
    )
    seen = set()
    for index, school in enumerate(schools):
        key = (school.municipality_id, school.short_name)
        if key in taken or key in seen:
            problems.append(
                (index, MSG_NAME_TAKEN.format(name=school.short_name, municipality=school.municipality))
            )
        seen.add(key)
    if problems:
        raise SchoolsRefused(sorted(problems))
    return bulk_create_with_history(
        schools, School, default_user=user, custom_historical_attrs=bulk_history_attrs(School) or None
    )


@transaction.atomic
def branches_create_many(*, entries, user: User) -> list[Branch]:
    """Register many branches at once: ``entries`` are (school, name, address). Like
    :func:`schools_create_many`."""
    branches = [
        Branch(school=school, name=name.strip(), address=address.strip()) for school, name, address in entries
    ]
    if not branches:
        return []
    _require_regional(user)
    problems = _validate_many(branches)
    taken = set(
        Branch.objects.filter(
            school_id__in={b.school_id for b in branches}, name__in={b.name for b in branches}
        ).values_list("school_id", "name")
    )
    seen = set()
    for index, branch in enumerate(branches):
        key = (branch.school_id, branch.name)
        if key in taken or key in seen:
            problems.append((index, MSG_BRANCH_NAME_TAKEN.format(name=branch.name, school=branch.school)))
        seen.add(key)
    if problems:
        raise SchoolsRefused(sorted(problems))
    return bulk_create_with_history(
        branches, Branch, default_user=user, custom_historical_attrs=bulk_history_attrs(Branch) or None
    )


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
