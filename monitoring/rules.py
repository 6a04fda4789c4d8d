"""Checks of a school report: errors (block submission) and warnings (need an explanation).

The same checks serve the browser form, the Excel import and the submission service. They take
plain values (a dict of field → value, as the model holds them), so any source can be checked.
"""

import functools
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.forms import MSG_NOT_A_NUMBER  # noqa: F401 - tests and pages import it from here too
from core.meta import field_label

from .columns import COLUMN_OF_FIELD
from .models import COUNT_FIELDS, PART_OF_WHOLE, SchoolReport

# --- Thresholds, in one place --------------------------------------------------------------
COUNT_CHANGE_WARNING_PCT = 30  # a count that moved by more than this against last year
PARENTS_PER_STUDENT_WARNING = 2  # parents registered > this × students

ERROR = "error"
WARNING = "warning"

# --- Messages (tests import them) ------------------------------------------------------------
MSG_NEGATIVE = "Число не может быть отрицательным."
MSG_PART_GT_WHOLE = "Значение графы {part_col} ({part}) больше значения графы {whole_col} ({whole})."
MSG_PHONE = (
    "Телефон указан неверно: используйте цифры, пробелы, скобки, «+» и «-» (например, +7 (3822) 51-59-12)."
)
MSG_EMAIL = "Адрес электронной почты указан неверно."
MSG_REQUIRED = "Заполните это поле перед отправкой."
MSG_SYSTEM_CHANGED = (
    "Система изменилась с «{old}» на «{new}» по сравнению с прошлым мониторингом: "
    "укажите в примечании (графа 25) причину смены системы."
)
MSG_SYSTEM_STOPPED = (
    "Организация перестала использовать систему «{old}» (в прошлом мониторинге она использовалась): "
    "поясните причину."
)
MSG_UNCONFIRMED = "Значение перенесено из прошлого года: подтвердите его или исправьте."
MSG_CHANGE = "Значение изменилось более чем на {pct}% по сравнению с прошлым годом ({old} → {new})."
MSG_PARENTS = (
    "Родителей, пользующихся СЭД ({parents}), больше, чем {k} × количество обучающихся ({students})."
)
MSG_NO_WORKSTATIONS = "Рабочих мест учителя 0, хотя {teachers} педагогов работают в СЭД."
MSG_NOT_USED_WITH_USERS = "Указано «не используется», но есть пользователи СЭД: {what}."
MSG_PILOT_REGISTRY = (
    "По реестру ПВП организация {registry} проектно-внедренческой площадкой регионального проекта, "
    "а в графе 21 указано «{value}»."
)
MSG_MODULES_UNNAMED = (
    "Графа 14: классов, использующих другие модули, — {count}; укажите, какие это модули "
    "(турникет, библиотека, столовая или другие) и чьей разработки."
)
MSG_VENDOR_DIFF = (
    "По данным разработчика ({vendor}, на {date}) — {theirs}, в отчёте — {ours}: расхождение больше {pct}%."
)
MSG_WARNING_UNEXPLAINED = "Подтвердите предупреждение: напишите короткое пояснение для проверяющего."

PHONE_RE = re.compile(r"^[0-9+()\-\s.,;доб]+$")

# Fields that must be filled before submission.
REQUIRED_ALWAYS = (
    "system",
    "responsible_name",
    "responsible_position",
    "responsible_phone",
    "classes_total",
    "students_total",
    "teachers_total",
    "paper_journal",
    "pilot_site",
    "coordinator_name",
    "coordinator_phone",
)
# Required only when the school uses an EDMS.
REQUIRED_WHEN_USED = (
    "classes_edms",
    "parents_edms",
    "teacher_workstations",
    "student_workstations",
    "classes_ejournal",
    "students_edms",
    "teachers_edms",
    "entry_frequency",
)
PHONE_FIELDS = ("responsible_phone", "coordinator_phone")
EMAIL_FIELDS = ("responsible_email", "coordinator_email")
USER_COUNT_FIELDS = ("classes_edms", "students_edms", "teachers_edms", "parents_edms")


@dataclass(frozen=True)
class Finding:
    level: str
    code: str
    field: str
    message: str
    branch_id: int | None = None

    @property
    def column(self) -> int | None:
        return COLUMN_OF_FIELD.get(self.field)

    @property
    def anchor(self) -> str:
        if self.branch_id:
            return f"branch-{self.branch_id}-{self.field}"
        return f"id_{self.field}"


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == WARNING]

    def errors_for(self, name: str) -> list[str]:
        return [f.message for f in self.errors if f.field == name and f.branch_id is None]

    def warning_for(self, name: str) -> list[Finding]:
        return [f for f in self.warnings if f.field == name]


def required_fields(values: dict) -> list[str]:
    """The school's own fields that must be filled before submission (branch systems aside)."""
    system = values.get("system")
    required = list(REQUIRED_ALWAYS)
    if system is None or system.is_used:
        required += REQUIRED_WHEN_USED
    return required


def _label(name: str) -> str:
    return field_label(SchoolReport, name)


def phone_ok(value: str) -> bool:
    value = value.strip()
    return bool(PHONE_RE.match(value)) and sum(ch.isdigit() for ch in value) >= 5


@functools.lru_cache(maxsize=4096)
def email_ok(value: str) -> bool:
    """Whether the address is valid (cached: a loaded table repeats the same addresses)."""
    try:
        validate_email(value.strip())
    except ValidationError:
        return False
    return True


def _contacts(v: dict, findings: list, branch_id=None, prefix="") -> None:
    for name in PHONE_FIELDS:
        value = v.get(name) or ""
        if value and not phone_ok(value):
            findings.append(Finding(ERROR, "phone", name, MSG_PHONE, branch_id))
    for name in EMAIL_FIELDS:
        value = v.get(name) or ""
        if value and not email_ok(value):
            findings.append(Finding(ERROR, "email", name, MSG_EMAIL, branch_id))


NAMED_MODULE_FIELDS = ("module_turnstile", "module_library", "module_canteen")


def check_other_modules_named(values: dict) -> list[Finding]:
    """Column 14: a count of classes using other modules needs the modules named."""
    count = values.get("classes_other_modules")
    named = any(values.get(name) for name in NAMED_MODULE_FIELDS) or bool(
        (values.get("other_modules_text") or "").strip()
    )
    if count is None or count <= 0 or named:
        return []
    return [Finding(ERROR, "modules_unnamed", "other_modules_text", MSG_MODULES_UNNAMED.format(count=count))]


# --- The checks, one group of rules each ------------------------------------------------------
# Each takes the report's values (and what else it needs) and returns its findings.


def check_unreadable(raw_input: dict) -> list[Finding]:
    """What a draft keeps of input that could not be read as a number (field → text)."""
    return [Finding(ERROR, "not_a_number", name, MSG_NOT_A_NUMBER) for name in raw_input]


def check_arithmetic(values: dict) -> list[Finding]:
    """Counts are not negative; a part (e.g. classes in the EDMS) is not greater than its whole."""
    findings = []
    for name in COUNT_FIELDS:
        value = values.get(name)
        if value is not None and value < 0:
            findings.append(Finding(ERROR, "negative", name, MSG_NEGATIVE))
    for part, whole in PART_OF_WHOLE:
        p, w = values.get(part), values.get(whole)
        if p is not None and w is not None and p > w:
            message = MSG_PART_GT_WHOLE.format(
                part_col=COLUMN_OF_FIELD[part], part=p, whole_col=COLUMN_OF_FIELD[whole], whole=w
            )
            findings.append(Finding(ERROR, "part_gt_whole", part, message))
    return findings


def check_contacts(values: dict, branches: list[dict]) -> list[Finding]:
    """Phones and e-mail addresses of the school and of its branches' responsible persons."""
    findings: list[Finding] = []
    _contacts(values, findings)
    for row in branches:
        _contacts(
            {
                "responsible_phone": row.get("responsible_phone"),
                "responsible_email": row.get("responsible_email"),
            },
            findings,
            branch_id=row.get("branch_id"),
        )
    return findings


def system_change_findings(system, prev_system, notes) -> list[Finding]:
    """Column 5 against last year. Switching from one system in use to another needs a note
    (column 25); starting to use one (last year «не используется» or no report) is adoption and
    needs nothing; stopping is a warning that needs an explanation."""
    if system is None or prev_system is None or system.pk == prev_system.pk:
        return []
    if system.is_used and prev_system.is_used:
        if (notes or "").strip():
            return []
        return [
            Finding(ERROR, "system_changed", "notes", MSG_SYSTEM_CHANGED.format(old=prev_system, new=system))
        ]
    if prev_system.is_used:
        return [Finding(WARNING, "system_stopped", "system", MSG_SYSTEM_STOPPED.format(old=prev_system))]
    return []


def check_system_change(values: dict, previous: dict | None) -> list[Finding]:
    """Column 25 against last year's system: see :func:`system_change_findings`."""
    return system_change_findings(values.get("system"), (previous or {}).get("system"), values.get("notes"))


def check_change_since_last_year(values: dict, previous: dict | None) -> list[Finding]:
    """Warnings: counts that moved by more than :data:`COUNT_CHANGE_WARNING_PCT` against last year."""
    if not previous:
        return []
    findings = []
    for name in COUNT_FIELDS:
        new, old = values.get(name), previous.get(name)
        if new is None or not old or new < 0:
            continue
        change = abs(new - old) * 100 / old
        if change > COUNT_CHANGE_WARNING_PCT:
            message = MSG_CHANGE.format(pct=COUNT_CHANGE_WARNING_PCT, old=old, new=new)
            findings.append(Finding(WARNING, f"change:{name}", name, message))
    return findings


def check_plausibility(values: dict) -> list[Finding]:
    """Warnings: values that are possible but unlikely (parents, workstations, unused system)."""
    get = values.get
    findings = []
    parents, students = get("parents_edms"), get("students_total")
    if parents is not None and students is not None and parents > PARENTS_PER_STUDENT_WARNING * students:
        message = MSG_PARENTS.format(parents=parents, k=PARENTS_PER_STUDENT_WARNING, students=students)
        findings.append(Finding(WARNING, "parents_per_student", "parents_edms", message))
    if get("teacher_workstations") == 0 and (get("teachers_edms") or 0) > 0:
        message = MSG_NO_WORKSTATIONS.format(teachers=get("teachers_edms"))
        findings.append(Finding(WARNING, "no_teacher_workstations", "teacher_workstations", message))
    system = get("system")
    if system is not None and not system.is_used:
        used = [f"{_label(n)} — {get(n)}" for n in USER_COUNT_FIELDS if (get(n) or 0) > 0]
        if used:
            message = MSG_NOT_USED_WITH_USERS.format(what="; ".join(used))
            findings.append(Finding(WARNING, "not_used_with_users", "system", message))
    return findings


def check_registry(values: dict, registry_pilot_site: bool | None) -> list[Finding]:
    """Warning: column 21 (pilot site) contradicts the pilot-site registry, when one is kept."""
    pilot = values.get("pilot_site")
    if registry_pilot_site is None or pilot is None or (pilot == 1) == registry_pilot_site:
        return []
    message = MSG_PILOT_REGISTRY.format(
        registry="является" if registry_pilot_site else "не является",
        value="да" if pilot == 1 else "нет",
    )
    return [Finding(WARNING, "pilot_registry", "pilot_site", message)]


def vendor_difference_pct(ours: int, theirs: int) -> float:
    """How far the school's value is from the vendor's, in percent of the vendor's figure."""
    if theirs == 0:
        return 0.0 if ours == 0 else 100.0
    return abs(ours - theirs) * 100 / theirs


def check_vendor_figures(values: dict, vendor: dict | None) -> list[Finding]:
    """Warnings: columns 10, 15–18 differ from the vendor's figure for the nearest date by more than
    ``VENDOR_DIFF_WARNING_PCT`` percent (``vendor`` as :func:`vendors.selectors.vendor_figures` gives it)."""
    if not vendor:
        return []
    threshold = settings.VENDOR_DIFF_WARNING_PCT
    findings = []
    for name, theirs in vendor["values"].items():
        ours = values.get(name)
        if ours is None or theirs is None or ours < 0:
            continue
        if vendor_difference_pct(ours, theirs) > threshold:
            message = MSG_VENDOR_DIFF.format(
                vendor=vendor["vendor"],
                date=vendor["as_of"].strftime("%d.%m.%Y"),
                theirs=theirs,
                ours=ours,
                pct=threshold,
            )
            findings.append(Finding(WARNING, f"vendor:{name}", name, message))
    return findings


def check_required(values: dict, branches: list[dict]) -> list[Finding]:
    """Before submission: required fields (more when the school uses a system) and branch systems."""
    findings = []
    for name in required_fields(values):
        value = values.get(name)
        if value is None or value == "":
            findings.append(Finding(ERROR, "required", name, MSG_REQUIRED))
    for row in branches:
        if row.get("system") is None:
            findings.append(Finding(ERROR, "required", "system", MSG_REQUIRED, row.get("branch_id")))
    return findings


def check_unconfirmed(unconfirmed: list[str]) -> list[Finding]:
    """Before submission: values carried over from last year must be confirmed or corrected."""
    return [Finding(ERROR, "unconfirmed", name, MSG_UNCONFIRMED) for name in unconfirmed]


def check_explained(warnings: list[Finding], explanations: dict) -> list[Finding]:
    """Before submission: every warning needs an explanation for the reviewer."""
    return [
        Finding(ERROR, "unexplained", warning.field, MSG_WARNING_UNEXPLAINED)
        for warning in warnings
        if not (explanations.get(warning.code) or {}).get("text", "").strip()
    ]


def check_report(
    values: dict,
    *,
    previous: dict | None = None,
    branches: list[dict] | None = None,
    for_submission: bool = False,
    unconfirmed: list[str] | None = None,
    explanations: dict | None = None,
    registry_pilot_site: bool | None = None,
    raw_input: dict | None = None,
    vendor_figures: dict | None = None,
) -> CheckResult:
    """Check one report.

    ``values`` maps model field names to values (``system`` is an EdmsSystem or None);
    ``previous`` is last campaign's report in the same form, or None; ``branches`` are dicts with
    ``branch_id``, ``system`` and the contact fields; ``registry_pilot_site`` is whether the pilot-site
    registry lists the school (None when the registry is not kept). With ``for_submission`` the missing fields,
    unconfirmed carried-over counts and unexplained warnings are errors too. ``raw_input`` is
    what a draft keeps of input that could not be read (field → text): each is an error.

    Callers outside this module go through :mod:`monitoring.checks`, which gathers these inputs.
    """
    branches = branches or []
    findings = [
        *check_unreadable(raw_input or {}),
        *check_arithmetic(values),
        *check_other_modules_named(values),
        *check_contacts(values, branches),
        *check_system_change(values, previous),
        *check_change_since_last_year(values, previous),
        *check_plausibility(values),
        *check_registry(values, registry_pilot_site),
        *check_vendor_figures(values, vendor_figures),
    ]
    if for_submission:
        warnings = [f for f in findings if f.level == WARNING]
        findings += check_required(values, branches)
        findings += check_unconfirmed(unconfirmed or [])
        findings += check_explained(warnings, explanations or {})
    return CheckResult(findings)
