"""Writes of vendor data: counts pushed in batches, and the requests register."""

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.errors import ServiceError
from schools.models import EdmsSystem, EdmsVendor, School

from .models import REGISTERED_ACTIVE, VENDOR_COUNT_FIELDS, VendorCount, VendorRequest

# --- Messages (tests import them) -------------------------------------------------------------
MSG_BATCH_INVALID = "Пакет не принят: исправьте ошибки; ни одна запись пакета не сохранена."
MSG_BATCH_NOT_LIST = "Ожидается непустой список записей в поле items."
MSG_BATCH_TOO_LARGE = "В пакете {count} записей, допускается не более {limit}."
MSG_ITEM_NOT_OBJECT = "Запись должна быть объектом JSON."
MSG_REQUIRED = "Поле обязательно."
MSG_UNKNOWN_FIELD = "Неизвестное поле."
MSG_NOT_INTEGER = "Ожидается целое неотрицательное число."
MSG_BAD_DATE = "Ожидается дата в формате ГГГГ-ММ-ДД."
MSG_FUTURE_DATE = "Дата не может быть позже сегодняшней."
MSG_UNKNOWN_SCHOOL = "Организация с кодом «{code}» не найдена среди организаций разработчика."
MSG_ACTIVE_GT_REGISTERED = "Активных ({active}) больше, чем зарегистрированных ({registered})."
MSG_DUPLICATE_ITEM = "Повтор: организация и дата уже есть в записи № {index}."
MSG_REQUEST_ONLY_OWN_SCHOOL = "Обращение от имени организации может записать только её координатор."
MSG_REQUEST_SYSTEM = "Выберите систему, которой пользуется организация."
MSG_REQUEST_TEXT = "Опишите проблему или предложение."
MSG_ONLY_METHODISTS = "Это действие доступно только методистам РЦРО."
MSG_PLANNED_DATE = "Для состояния «запланировано» укажите дату."
MSG_BAD_STATE = "Недопустимое состояние: {state}."
MSG_DUPLICATE_SELF = "Обращение не может повторять само себя."
MSG_DUPLICATE_CHAIN = "Укажите исходное обращение, а не его повтор."

# "inn" is accepted for the vendor's convenience; the portal identifies schools by their code.
ITEM_FIELDS = ("school_code", "inn", "as_of", *VENDOR_COUNT_FIELDS)


def batch_limit() -> int:
    return getattr(settings, "VENDOR_BATCH_MAX", 5000)


class VendorBatchInvalid(ServiceError):
    """A batch with errors: nothing is written. ``errors``: [{index, field, message}]."""

    def __init__(self, errors: list[dict], message: str = MSG_BATCH_INVALID):
        super().__init__(message)
        self.errors = errors


@dataclass(frozen=True)
class UpsertResult:
    created: int
    updated: int
    unchanged: int


def _int(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= 0 else None


def _date(value) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _validate(items, schools_by_code: dict[str, School]) -> tuple[list[dict], list[dict]]:
    errors: list[dict] = []
    rows: list[dict] = []
    seen: dict[tuple, int] = {}
    today = timezone.localdate()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors.append({"index": index, "field": None, "message": MSG_ITEM_NOT_OBJECT})
            continue
        before = len(errors)

        def err(name, message, index=index):
            errors.append({"index": index, "field": name, "message": message})

        for name in item:
            if name not in ITEM_FIELDS:
                err(name, MSG_UNKNOWN_FIELD)
        code = item.get("school_code")
        school = schools_by_code.get(code) if isinstance(code, str) else None
        if code in (None, ""):
            err("school_code", MSG_REQUIRED)
        elif school is None:
            err("school_code", MSG_UNKNOWN_SCHOOL.format(code=code))
        as_of = _date(item.get("as_of"))
        if "as_of" not in item:
            err("as_of", MSG_REQUIRED)
        elif as_of is None:
            err("as_of", MSG_BAD_DATE)
        elif as_of > today:
            err("as_of", MSG_FUTURE_DATE)
        values: dict[str, int | None] = {}
        for name in VENDOR_COUNT_FIELDS:
            if name not in item:
                err(name, MSG_REQUIRED)
                continue
            values[name] = _int(item[name])
            if values[name] is None:
                err(name, MSG_NOT_INTEGER)
        for registered, active in REGISTERED_ACTIVE:
            got, whole = values.get(active), values.get(registered)
            if got is not None and whole is not None and got > whole:
                err(active, MSG_ACTIVE_GT_REGISTERED.format(active=got, registered=whole))
        if len(errors) > before or school is None:
            continue
        key = (school.pk, as_of)
        if key in seen:
            err("as_of", MSG_DUPLICATE_ITEM.format(index=seen[key]))
            continue
        seen[key] = index
        rows.append({"school": school, "as_of": as_of, **values})
    return rows, errors


@transaction.atomic
def vendor_counts_upsert(
    *,
    vendor: EdmsVendor,
    items,
    school_ids: Collection[int] | None = None,
    source: str = "",
) -> UpsertResult:
    """Store a batch of a vendor's counts, all or nothing.

    ``school_ids``: the schools the vendor may report on (None: any). Rows equal to the stored ones
    are left untouched, so the same batch sent twice changes nothing. New and changed rows are
    written with one upsert (``INSERT … ON CONFLICT … DO UPDATE``).
    """
    if not isinstance(items, list) or not items:
        raise VendorBatchInvalid(
            [{"index": None, "field": "items", "message": MSG_BATCH_NOT_LIST}], MSG_BATCH_NOT_LIST
        )
    if len(items) > batch_limit():
        message = MSG_BATCH_TOO_LARGE.format(count=len(items), limit=batch_limit())
        raise VendorBatchInvalid([{"index": None, "field": "items", "message": message}], message)
    codes = [item.get("school_code") for item in items if isinstance(item, dict)]
    schools = School.objects.filter(external_code__in=[c for c in codes if isinstance(c, str) and c])
    if school_ids is not None:
        schools = schools.filter(pk__in=list(school_ids))
    rows, errors = _validate(items, {s.external_code: s for s in schools})
    if errors:
        raise VendorBatchInvalid(errors)

    existing = {
        (c.school_id, c.as_of): c
        for c in VendorCount.objects.filter(
            vendor=vendor,
            school_id__in={r["school"].pk for r in rows},
            as_of__in={r["as_of"] for r in rows},
        )
    }
    now = timezone.now()
    to_write: list[VendorCount] = []
    created = updated = 0
    for row in rows:
        current = existing.get((row["school"].pk, row["as_of"]))
        if current is not None and all(getattr(current, n) == row[n] for n in VENDOR_COUNT_FIELDS):
            continue
        if current is None:
            created += 1
        else:
            updated += 1
        to_write.append(
            VendorCount(
                vendor=vendor,
                school=row["school"],
                as_of=row["as_of"],
                source=source,
                updated_at=now,
                **{n: row[n] for n in VENDOR_COUNT_FIELDS},
            )
        )
    if to_write:
        VendorCount.objects.bulk_create(
            to_write,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["vendor", "school", "as_of"],
            update_fields=[*VENDOR_COUNT_FIELDS, "source", "updated_at"],
        )
    return UpsertResult(created=created, updated=updated, unchanged=len(rows) - created - updated)


# --- Requests register ----------------------------------------------------------------------------


@transaction.atomic
def vendor_request_create(
    *, school: School, system: EdmsSystem | None, module: str, kind: str, text: str, user: User
) -> VendorRequest:
    """A coordinator records a request of their school (a pilot site is a school too); methodists
    may record one for any school, e.g. from a seminar."""
    if not (user.is_regional or (user.is_coordinator and user.school_id == school.pk)):
        raise ServiceError(MSG_REQUEST_ONLY_OWN_SCHOOL)
    if system is None or not system.is_used:
        raise ServiceError(MSG_REQUEST_SYSTEM)
    if not text.strip():
        raise ServiceError(MSG_REQUEST_TEXT)
    request = VendorRequest(
        school=school,
        system=system,
        module=module.strip(),
        kind=VendorRequest.Kind(kind),
        text=text.strip(),
        created_by=user,
        created_at=timezone.now(),
    )
    request._history_user = user  # type: ignore[attr-defined]
    request.save()
    return request


@transaction.atomic
def vendor_request_answer(
    *,
    request_id: int,
    state: str,
    answer: str = "",
    planned_on: datetime.date | None = None,
    user: User | None = None,
    via: str = "",
) -> VendorRequest:
    """Record the vendor's answer and state: by a methodist (``user``) or by the vendor's key (``via``)."""
    if user is not None and not user.is_regional:
        raise ServiceError(MSG_ONLY_METHODISTS)
    if state not in VendorRequest.State.values or state == VendorRequest.State.NEW:
        raise ServiceError(MSG_BAD_STATE.format(state=state))
    if state == VendorRequest.State.PLANNED and planned_on is None:
        raise ServiceError(MSG_PLANNED_DATE)
    request = VendorRequest.objects.select_for_update().get(pk=request_id)
    request.state = state
    request.planned_on = planned_on if state == VendorRequest.State.PLANNED else None
    request.answer = answer.strip()
    request.answered_at = timezone.now()
    request.answered_via = via or (user.get_full_name() or user.username if user else "")
    request._history_user = user  # type: ignore[attr-defined]
    request.save(update_fields=["state", "planned_on", "answer", "answered_at", "answered_via"])
    return request


@transaction.atomic
def vendor_request_group(*, request_id: int, duplicate_of_id: int | None, user: User) -> VendorRequest:
    """A methodist marks a request as a duplicate of another (or clears the mark)."""
    if not user.is_regional:
        raise ServiceError(MSG_ONLY_METHODISTS)
    request = VendorRequest.objects.select_for_update().get(pk=request_id)
    original = None
    if duplicate_of_id is not None:
        if duplicate_of_id == request.pk:
            raise ServiceError(MSG_DUPLICATE_SELF)
        original = VendorRequest.objects.get(pk=duplicate_of_id)
        if original.duplicate_of_id is not None:
            raise ServiceError(MSG_DUPLICATE_CHAIN)
    request.duplicate_of = original
    request._history_user = user  # type: ignore[attr-defined]
    request.save(update_fields=["duplicate_of"])
    return request
