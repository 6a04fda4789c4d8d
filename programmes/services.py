"""Every write of the introduction programmes: programmes, their stages, targets and reporting
dates (the municipality's specialist or a methodist), readiness and the register of parents'
applications (the school's coordinator), and the progress reports on the transition engine."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count

from accounts.models import Role, User
from core import russian as ru
from core.errors import ServiceError
from core.models import ReportStatus
from core.transitions import (
    MSG_NOT_ALLOWED,
    Actions,
    Transition,
    TransitionRefused,
    Workflow,
    perform,
    review_cycle,
    workflow_actions,
)
from schools.models import EdmsSystem, Municipality, School

from .models import (
    Indicator,
    ParentApplication,
    Programme,
    ProgrammeSchool,
    ProgressProblem,
    ProgressReport,
    ProgressReportLog,
    ReadinessMark,
    ReportingDate,
    Stage,
    Target,
)
from .reference import CONDITION_CODES, STAGES

# --- Messages (tests import them) -------------------------------------------------------------
MSG_ONLY_MANAGERS = "Программу ведут специалист МОУО своего МО и методисты РЦРО."
MSG_ONLY_COORDINATOR = "Это делает координатор организации — участника программы."
MSG_SCHOOL_OUTSIDE = "Организация «{school}» не относится к МО «{municipality}»."
MSG_NO_SCHOOLS = "Выберите хотя бы одну организацию — участника программы."
MSG_ORDER_REQUIRED = "Укажите номер и дату приказа."
MSG_FILE_TYPE = "Файл приказа: допустимы PDF, DOC, DOCX, ODT, JPG, PNG."
MSG_FILE_SIZE = "Файл приказа больше 10 МБ."
MSG_TARGET_RANGE = "Целевое значение: «от» и «до» — проценты от 0 до 100, «от» не больше «до»."
MSG_TARGET_DUPLICATE = "Целевое значение по этому показателю на {date} уже задано."
MSG_DATE_DUPLICATE = "Дата отчёта {date} уже есть в программе."
MSG_SCHOOL_HAS_DATA = (
    "Организацию «{school}» нельзя исключить из программы: по ней уже есть {recorded}. "
    "Изменения не сохранены."
)
MSG_DATE_HAS_REPORTS = (
    "Дату {date} нельзя удалить: на неё уже есть {reports} организаций "
    "(отправлены, приняты или возвращены на доработку)."
)
MSG_DATE_HAS_DRAFTS = "Дату {date} нельзя удалить: организации уже заполняют отчёты на неё ({drafts})."

MSG_APPLICATION_DUPLICATE = "Заявление с регистрационным номером «{number}» уже зарегистрировано."
MSG_APPLICATION_NUMBER = "Укажите регистрационный номер, дату регистрации и класс."
MSG_REPORT_LOCKED = "Отчёт в состоянии «{state}»: изменения невозможны."
MSG_REPORT_CONFLICT = (
    "Отчёт был изменён другим пользователем. Ваши изменения не сохранены — обновите страницу."
)
MSG_PERCENT = "Проценты — целые числа от 0 до 100."
MSG_PROBLEM_EMPTY = "Проблемы, строка {n}: укажите проблему (или очистите строку)."
MSG_REPORT_EMPTY = "Перед отправкой укажите ответственное лицо (пункт 1) и систему (пункт 2)."

ORDER_FILE_TYPES = (".pdf", ".doc", ".docx", ".odt", ".jpg", ".jpeg", ".png")
ORDER_FILE_MAX_BYTES = 10 * 1024 * 1024

# The progress report's values: what a coordinator types, and what a new report takes over from the
# school's previous one («с учётом предыдущей информации»).
REPORT_FIELDS = (
    "responsible_person",
    "system",
    "plan_approval",
    "local_acts",
    "local_act_changes",
    "informed_teachers_pct",
    "informed_parents_pct",
    "informed_students_pct",
    "informing_forms",
    "applications_registered",
    "applications_pct",
    "applications_classes",
    "databases_filled_pct",
    "trained_teachers_pct",
    "trained_parents_pct",
    "trained_students_pct",
    "site_link",
    "logins_parents_pct",
    "logins_teachers_pct",
    "logins_students_pct",
    "logins_classes",
    "teachers_working_pct",
    "parents_activated_pct",
    "parents_activated_classes",
    "additional_info",
)
PERCENT_FIELDS = tuple(name for name in REPORT_FIELDS if name.endswith("_pct"))


class ProgressReportConflict(ServiceError):
    pass


class ProgressReportInvalid(ServiceError):
    pass


# --- Who may do what ----------------------------------------------------------------------------


def manages(user: User, municipality_id: int) -> bool:
    """The municipality's specialist or a methodist runs its programmes."""
    if not (user and user.is_active):
        return False
    if user.is_regional:
        return True
    return user.effective_role == Role.SPECIALIST and user.municipality_id == municipality_id


def is_own_coordinator(user: User, participant: ProgrammeSchool) -> bool:
    return bool(user and user.is_active and user.is_coordinator and user.school_id == participant.school_id)


def _require_manager(user: User, municipality_id: int) -> None:
    if not manages(user, municipality_id):
        raise TransitionRefused(MSG_ONLY_MANAGERS)


def _require_coordinator(user: User, participant: ProgrammeSchool) -> None:
    if not is_own_coordinator(user, participant):
        raise TransitionRefused(MSG_ONLY_COORDINATOR)


def _by(obj, user) -> None:
    """Name who changes the row in its history (django-simple-history)."""
    obj._history_user = user


def _clean(obj, **kwargs) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages)) from exc


def validate_order_file(upload) -> None:
    """The order's file: a document or a scan, at most 10 МБ."""
    if upload is None:
        return
    if not upload.name.lower().endswith(ORDER_FILE_TYPES):
        raise ServiceError(MSG_FILE_TYPE)
    if upload.size > ORDER_FILE_MAX_BYTES:
        raise ServiceError(MSG_FILE_SIZE)


def _check_target(min_percent, max_percent) -> None:
    if min_percent is None or max_percent is None or not (0 <= min_percent <= max_percent <= 100):
        raise ServiceError(MSG_TARGET_RANGE)


# --- Programmes ---------------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    municipality: Municipality,
    title: str,
    order_number: str,
    order_date: datetime.date | None,
    school_ids: Iterable[int],
    user: User,
    order_file=None,
    reporting_dates: Iterable[datetime.date] = (),
    targets: Iterable[tuple[str, datetime.date, int, int]] = (),
    prefill_stages: bool = True,
) -> Programme:
    """A programme with its schools, the stages of the order (Appendix 1) and the dated targets.

    Refused as a whole (nothing written) when anything is wrong."""
    _require_manager(user, municipality.pk)
    if not (order_number or "").strip() or order_date is None:
        raise ServiceError(MSG_ORDER_REQUIRED)
    validate_order_file(order_file)
    ids = sorted(set(school_ids))
    if not ids:
        raise ServiceError(MSG_NO_SCHOOLS)
    schools = list(School.objects.filter(pk__in=ids).select_related("municipality"))
    for school in schools:
        if school.municipality_id != municipality.pk:
            raise ServiceError(MSG_SCHOOL_OUTSIDE.format(school=school, municipality=municipality))
    programme = Programme(
        municipality=municipality,
        title=(title or "").strip() or "Введение электронных дневников и электронного журнала успеваемости",
        order_number=order_number.strip(),
        order_date=order_date,
        created_by=user,
    )
    if order_file is not None:
        programme.order_file = order_file
    _clean(programme, exclude=["order_file"])
    _by(programme, user)
    programme.save()
    for school in schools:
        entry = ProgrammeSchool(programme=programme, school=school)
        _by(entry, user)
        entry.save()
    if prefill_stages:
        for position, (phase, stage_title, content) in enumerate(STAGES, start=1):
            stage = Stage(
                programme=programme, phase=phase, position=position, title=stage_title, content=content
            )
            _by(stage, user)
            stage.save()
    for on_date in sorted(set(reporting_dates)):
        reporting_date_add(programme_id=programme.pk, on_date=on_date, user=user)
    for indicator, due_on, low, high in targets:
        target_add(
            programme_id=programme.pk,
            indicator=indicator,
            due_on=due_on,
            min_percent=low,
            max_percent=high,
            user=user,
        )
    return programme


def _programme_for_manager(programme_id: int, user: User) -> Programme:
    programme = Programme.objects.select_for_update().get(pk=programme_id)
    _require_manager(user, programme.municipality_id)
    return programme


@transaction.atomic
def programme_update(
    *,
    programme_id: int,
    user: User,
    title: str,
    order_number: str,
    order_date,
    order_file=None,
    clear_order_file: bool = False,
    school_ids: Iterable[int] | None = None,
) -> Programme:
    """The order (number, date, file) and, when ``school_ids`` is given, the participating schools.

    A school is excluded only while nothing is recorded for it (reports, applications, readiness);
    otherwise the whole change is refused and nothing is written."""
    programme = _programme_for_manager(programme_id, user)
    if not (order_number or "").strip() or order_date is None:
        raise ServiceError(MSG_ORDER_REQUIRED)
    validate_order_file(order_file)
    programme.title = (title or "").strip() or programme.title
    programme.order_number = order_number.strip()
    programme.order_date = order_date
    if order_file is not None:
        programme.order_file = order_file
    elif clear_order_file:
        programme.order_file = ""
    _clean(programme, exclude=["order_file"])
    _by(programme, user)
    programme.save()
    if school_ids is not None:
        _set_participants(programme, set(school_ids), user)
    return programme


def _set_participants(programme: Programme, wanted: set[int], user: User) -> None:
    if not wanted:
        raise ServiceError(MSG_NO_SCHOOLS)
    current = {e.school_id: e for e in programme.participants.select_related("school")}
    removed = [entry for school_id, entry in current.items() if school_id not in wanted]
    for entry in removed:
        recorded = _recorded_for(entry)
        if recorded:
            raise ServiceError(MSG_SCHOOL_HAS_DATA.format(school=entry.school, recorded=", ".join(recorded)))
    added = sorted(wanted - set(current))
    schools = list(School.objects.filter(pk__in=added).select_related("municipality"))
    if len(schools) != len(added):
        raise ServiceError(MSG_NOT_ALLOWED)
    for school in schools:
        if school.municipality_id != programme.municipality_id:
            raise ServiceError(MSG_SCHOOL_OUTSIDE.format(school=school, municipality=programme.municipality))
    for entry in removed:
        _by(entry, user)
        entry.delete()
    for school in schools:
        entry = ProgrammeSchool(programme=programme, school=school)
        _by(entry, user)
        entry.save()


def _recorded_for(entry: ProgrammeSchool) -> list[str]:
    """What is recorded for a participating school («2 отчёта о ходе введения», …)."""
    counts = (
        (entry.reports.count(), "отчёт о ходе введения"),
        (entry.applications.count(), "заявление родителей"),
        (entry.readiness.count(), "отметка готовности"),
    )
    return [ru.agree(n, phrase) for n, phrase in counts if n]


@transaction.atomic
def stage_add(
    *, programme_id: int, phase: str, title: str, content: str = "", due_on=None, user: User
) -> Stage:
    programme = _programme_for_manager(programme_id, user)
    last = programme.stages.order_by("-position").values_list("position", flat=True).first() or 0
    stage = Stage(
        programme=programme,
        phase=phase,
        position=last + 1,
        title=title.strip(),
        content=content,
        due_on=due_on,
    )
    _clean(stage, exclude=["programme"])
    _by(stage, user)
    stage.save()
    return stage


@transaction.atomic
def stage_update(*, stage_id: int, user: User, title: str, content: str, due_on) -> Stage:
    stage = Stage.objects.select_for_update().select_related("programme").get(pk=stage_id)
    _require_manager(user, stage.programme.municipality_id)
    stage.title, stage.content, stage.due_on = title.strip(), content, due_on
    _clean(stage, exclude=["programme"])
    _by(stage, user)
    stage.save()
    return stage


@transaction.atomic
def target_add(
    *,
    programme_id: int,
    indicator: str,
    due_on: datetime.date,
    min_percent: int,
    max_percent: int,
    user: User,
) -> Target:
    programme = _programme_for_manager(programme_id, user)
    _check_target(min_percent, max_percent)
    if indicator not in Indicator.values:
        raise ServiceError(MSG_NOT_ALLOWED)
    if Target.objects.filter(programme=programme, indicator=indicator, due_on=due_on).exists():
        raise ServiceError(MSG_TARGET_DUPLICATE.format(date=f"{due_on:%d.%m.%Y}"))
    target = Target(
        programme=programme,
        indicator=indicator,
        due_on=due_on,
        min_percent=min_percent,
        max_percent=max_percent,
    )
    _by(target, user)
    target.save()
    return target


@transaction.atomic
def reporting_date_add(*, programme_id: int, on_date: datetime.date, user: User) -> ReportingDate:
    programme = _programme_for_manager(programme_id, user)
    if ReportingDate.objects.filter(programme=programme, on_date=on_date).exists():
        raise ServiceError(MSG_DATE_DUPLICATE.format(date=f"{on_date:%d.%m.%Y}"))
    item = ReportingDate(programme=programme, on_date=on_date)
    _by(item, user)
    item.save()
    return item


@transaction.atomic
def stage_delete(*, stage_id: int, user: User) -> None:
    stage = Stage.objects.select_for_update().select_related("programme").get(pk=stage_id)
    _require_manager(user, stage.programme.municipality_id)
    _by(stage, user)
    stage.delete()


@transaction.atomic
def target_delete(*, target_id: int, user: User) -> None:
    target = Target.objects.select_for_update().select_related("programme").get(pk=target_id)
    _require_manager(user, target.programme.municipality_id)
    _by(target, user)
    target.delete()


@transaction.atomic
def reporting_date_delete(*, reporting_date_id: int, user: User) -> None:
    """A reporting date goes only while no school has a report on it (not even a draft: the
    school's typing would be lost with it)."""
    item = ReportingDate.objects.select_for_update().select_related("programme").get(pk=reporting_date_id)
    _require_manager(user, item.programme.municipality_id)
    states = {
        row["status"]: row["n"] for row in item.reports.values("status").annotate(n=Count("pk")).order_by()
    }
    if states:
        sent = sum(n for state, n in states.items() if state != ReportStatus.DRAFT)
        if sent:
            message = MSG_DATE_HAS_REPORTS.format(
                date=f"{item.on_date:%d.%m.%Y}", reports=ru.agree(sent, "отчёт")
            )
        else:
            drafts = ru.agree(states[ReportStatus.DRAFT], "черновик")
            message = MSG_DATE_HAS_DRAFTS.format(date=f"{item.on_date:%d.%m.%Y}", drafts=drafts)
        raise ServiceError(message)
    _by(item, user)
    item.delete()


@transaction.atomic
def participant_update(
    *, participant_id: int, user: User, director_name: str, system: EdmsSystem | None
) -> ProgrammeSchool:
    """What the school's application form names: its director and system (the school or a manager)."""
    entry = (
        ProgrammeSchool.objects.select_for_update()
        .select_related("programme", "school")
        .get(pk=participant_id)
    )
    if not (is_own_coordinator(user, entry) or manages(user, entry.programme.municipality_id)):
        raise TransitionRefused(MSG_NOT_ALLOWED)
    entry.director_name = (director_name or "").strip()
    entry.system = system
    _by(entry, user)
    entry.save()
    return entry


# --- Readiness (Appendix 2) ------------------------------------------------------------------------


@transaction.atomic
def readiness_save(
    *, participant_id: int, marks: dict[str, tuple[bool, str]], user: User
) -> list[ReadinessMark]:
    """The school's coordinator marks each condition met or not, with a note."""
    entry = ProgrammeSchool.objects.select_for_update().get(pk=participant_id)
    _require_coordinator(user, entry)
    existing = {m.condition: m for m in ReadinessMark.objects.filter(participant=entry)}
    saved = []
    for code in CONDITION_CODES:
        if code not in marks:
            continue
        met, note = marks[code]
        mark = existing.get(code) or ReadinessMark(participant=entry, condition=code)
        note = (note or "").strip()[:500]
        if mark.pk and mark.met == bool(met) and mark.note == note:
            saved.append(mark)
            continue
        mark.met, mark.note, mark.updated_by = bool(met), note, user
        _by(mark, user)
        mark.save()
        saved.append(mark)
    return saved


# --- Parents' applications (Appendix 4) ------------------------------------------------------------


@transaction.atomic
def application_register(
    *,
    participant_id: int,
    user: User,
    reg_number: str,
    reg_date: datetime.date | None,
    class_name: str,
    delivery: str,
    consent: bool,
    applicant_name: str = "",
) -> ParentApplication:
    entry = ProgrammeSchool.objects.select_for_update().get(pk=participant_id)
    _require_coordinator(user, entry)
    reg_number, class_name = (reg_number or "").strip(), (class_name or "").strip()
    if not reg_number or reg_date is None or not class_name:
        raise ServiceError(MSG_APPLICATION_NUMBER)
    if ParentApplication.objects.filter(participant=entry, reg_number=reg_number).exists():
        raise ServiceError(MSG_APPLICATION_DUPLICATE.format(number=reg_number))
    item = ParentApplication(
        participant=entry,
        reg_number=reg_number,
        reg_date=reg_date,
        class_name=class_name,
        delivery=delivery,
        consent=bool(consent),
        applicant_name=(applicant_name or "").strip(),
        created_by=user,
    )
    _clean(item, exclude=["participant", "created_by"])
    _by(item, user)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:
        raise ServiceError(MSG_APPLICATION_DUPLICATE.format(number=reg_number)) from exc
    return item


def register_counts(participant_id: int, on_date: datetime.date) -> tuple[int, str]:
    """Applications registered by the date, and their classes («1а, 2б»): what point 8 starts from."""
    rows = ParentApplication.objects.filter(participant_id=participant_id, reg_date__lte=on_date)
    classes = sorted(set(rows.values_list("class_name", flat=True)), key=_class_key)
    return rows.count(), ", ".join(classes)


def _class_key(name: str):
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits) if digits else 99, name)


# --- Progress reports (Appendix 3) ----------------------------------------------------------------


def _log(report: ProgressReport, action: str, from_state: str, user: User | None, comment: str = ""):
    return ProgressReportLog.objects.create(
        report=report,
        action=action,
        from_state=from_state,
        to_state=report.status,
        actor=user,
        comment=comment,
    )


def previous_report(participant_id: int, on_date: datetime.date) -> ProgressReport | None:
    """The school's latest report on an earlier date of the programme."""
    return (
        ProgressReport.objects.filter(participant_id=participant_id, reporting_date__on_date__lt=on_date)
        .select_related("reporting_date")
        .order_by("-reporting_date__on_date")
        .first()
    )


@transaction.atomic
def progress_report_start(*, participant_id: int, reporting_date_id: int, user: User) -> ProgressReport:
    """The school's report on the date, created if needed from its previous report, with point 8
    (applications registered and their classes) taken from the register."""
    entry = ProgrammeSchool.objects.select_for_update().select_related("programme").get(pk=participant_id)
    _require_coordinator(user, entry)
    date = ReportingDate.objects.get(pk=reporting_date_id, programme_id=entry.programme_id)
    existing = ProgressReport.objects.filter(participant=entry, reporting_date=date).first()
    if existing is not None:
        return existing
    report = ProgressReport(participant=entry, reporting_date=date, updated_by=user)
    previous = previous_report(entry.pk, date.on_date)
    if previous is not None:
        for name in REPORT_FIELDS:
            setattr(report, name, getattr(previous, name))
    elif entry.system_id:
        report.system_id = entry.system_id
    report.applications_registered, classes = register_counts(entry.pk, date.on_date)
    if classes:
        report.applications_classes = classes
    _by(report, user)
    report.save()
    if previous is not None:
        _write_problems(report, _problem_pairs(previous), user)
    _log(report, ProgressReportLog.Action.START, "", user)
    return report


def _locked(report_id: int) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("participant__programme", "participant__school", "reporting_date")
        .get(pk=report_id)
    )


@transaction.atomic
def progress_report_save(
    *,
    report_id: int,
    user: User,
    values: dict,
    expected_version: int | None = None,
    problems: list[tuple[str, str]] | None = None,
) -> ProgressReport:
    """The coordinator's values of the report and, when ``problems`` is given, the rows of point 15
    (problem, how solved) in their order; rows with both cells empty are left out."""
    report = _locked(report_id)
    _require_coordinator(user, report.participant)
    if expected_version is not None and report.version != expected_version:
        raise ProgressReportConflict(MSG_REPORT_CONFLICT)
    if not report.is_editable_state:
        raise TransitionRefused(MSG_REPORT_LOCKED.format(state=report.get_status_display()))
    changed = []
    for name, value in values.items():
        if name not in REPORT_FIELDS:
            raise TypeError(f"Unknown field of the progress report: {name}")
        if name in PERCENT_FIELDS and value is not None and not (0 <= value <= 100):
            raise ServiceError(MSG_PERCENT)
        current = report.system if name == "system" else getattr(report, name)
        if current != value:
            setattr(report, name, value)
            changed.append(name)
    pairs = None if problems is None else _clean_problems(problems)
    report.version += 1
    report.updated_by = user
    _clean(report, exclude=["participant", "reporting_date", "updated_by"], validate_unique=False)
    _by(report, user)
    report.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
    if pairs is not None and pairs != _problem_pairs(report):
        _delete_rows(report, user)
        _write_problems(report, pairs, user)
    return report


def _clean_problems(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    pairs = []
    for n, (problem, solution) in enumerate(rows, start=1):
        problem, solution = (problem or "").strip(), (solution or "").strip()
        if not problem and not solution:
            continue
        if not problem:
            raise ServiceError(MSG_PROBLEM_EMPTY.format(n=n))
        pairs.append((problem, solution))
    return pairs


def _problem_pairs(report: ProgressReport) -> list[tuple[str, str]]:
    return [(row.problem, row.solution) for row in report.problem_rows.order_by("position", "pk")]


def _delete_rows(report: ProgressReport, user: User) -> None:
    for row in report.problem_rows.all():
        _by(row, user)
        row.delete()


def _write_problems(report: ProgressReport, pairs: list[tuple[str, str]], user: User) -> None:
    for position, (problem, solution) in enumerate(pairs, start=1):
        row = ProgressProblem(report=report, position=position, problem=problem, solution=solution)
        _by(row, user)
        row.save()


# --- The progress report's workflow on the engine ---------------------------------------------------


def _journal(report: ProgressReport, transition: Transition, from_state, user: User, comment, _snapshot):
    return _log(report, transition.action, from_state, user, comment)


def _send_notification(log_id: int) -> None:
    from .tasks import send_progress_notification

    send_progress_notification.delay(log_id)


def _own_coordinator(user: User, report: ProgressReport) -> str | None:
    return None if is_own_coordinator(user, report.participant) else MSG_NOT_ALLOWED


def _reviewer(user: User, report: ProgressReport) -> str | None:
    return None if manages(user, report.participant.programme.municipality_id) else MSG_NOT_ALLOWED


def _filled(report: ProgressReport, **_) -> None:
    if not report.responsible_person.strip() or not report.system_id:
        raise ProgressReportInvalid(MSG_REPORT_EMPTY)


PROGRESS_WORKFLOW = Workflow(
    name="progress_report",
    model=ProgressReport,
    lock=_locked,
    journal=_journal,
    notify=_send_notification,
    transitions=review_cycle(
        submitter=_own_coordinator, reviewer=_reviewer, validate=_filled, actions=ProgressReportLog.Action
    ),
)


def progress_report_actions(*, user: User, report: ProgressReport) -> Actions:
    """What the user may do with the report: ``submit``, ``approve``, ``return`` (from the workflow
    declaration) and ``edit`` (the school's coordinator, while a draft or returned)."""
    own = None if is_own_coordinator(user, report.participant) else MSG_NOT_ALLOWED
    locked = None if report.is_editable_state else MSG_REPORT_LOCKED.format(state=report.get_status_display())
    return workflow_actions(PROGRESS_WORKFLOW, user=user, obj=report, extra={"edit": (own, locked)})


def progress_report_submit(*, report_id: int, user: User) -> ProgressReport:
    return perform(PROGRESS_WORKFLOW, "submit", lookup={"report_id": report_id}, user=user)


def progress_report_approve(*, report_id: int, user: User) -> ProgressReport:
    return perform(PROGRESS_WORKFLOW, "approve", lookup={"report_id": report_id}, user=user)


def progress_report_return(*, report_id: int, user: User, comment: str) -> ProgressReport:
    """Send the report back to the school with a comment (required)."""
    return perform(PROGRESS_WORKFLOW, "return", lookup={"report_id": report_id}, user=user, comment=comment)
