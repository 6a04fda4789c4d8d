"""Turns a report, its form and its check result into rows the templates show, section by section:
label with the column number, the input or the value, last year's value and the change, the
errors and the warnings with their explanations."""

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.text import capfirst

from core.meta import field_label
from core.meta import model_field as report_field

from .columns import COLUMN_BY_NUMBER, COLUMN_OF_FIELD, SECTIONS
from .models import COUNT_FIELDS, ReportStatus, SchoolReport, WorkflowEvent
from .rules import COUNT_CHANGE_WARNING_PCT, CheckResult, required_fields, vendor_difference_pct
from .selectors import VALUE_FIELDS, report_snapshot, workflow_log


def display(report_or_values, name):
    """A field's value as text: choices by label, booleans as да/нет, numbers with spaces."""
    if report_or_values is None:
        return None
    if isinstance(report_or_values, dict):
        value = report_or_values.get(name)
    else:
        value = getattr(report_or_values, name)
    if value is None or value == "":
        return None
    model_field = report_field(SchoolReport, name)
    if model_field.choices:
        return f"{value} — {dict(model_field.choices).get(value, value)}"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return str(value)


@dataclass
class FieldRow:
    name: str
    label: str
    column: int
    bound: object = None
    value: str | None = None
    previous: str | None = None
    delta: str | None = None
    delta_sign: int = 0
    delta_large: bool = False  # moved by more than the warning threshold: «проверьте», not a good sign
    errors: list[str] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)  # code, message, explanation
    unconfirmed: bool = False
    confirm_bound: object = None
    is_count: bool = False

    @property
    def explanation_name(self) -> str:
        """One input answers every warning on this value: its name lists their codes."""
        return "explain__" + "|".join(w["code"] for w in self.warnings)

    @property
    def explanation(self) -> str:
        return next((w["explanation"] for w in self.warnings if w["explanation"]), "")


@dataclass
class Section:
    anchor: str
    title: str
    columns: tuple
    rows: list[FieldRow]
    error_count: int = 0


def _delta(new, old):
    if not isinstance(new, int) or not isinstance(old, int) or isinstance(new, bool):
        return None, 0, False
    diff = new - old
    if diff == 0:
        return "без изменений", 0, False
    sign = "+" if diff > 0 else "−"
    text = f"{sign}{number_format(abs(diff), force_grouping=True)}"
    if old:
        text += f" ({sign}{number_format(round(abs(diff) * 100 / old, 1), 1)}%)"
    large = bool(old) and abs(diff) * 100 / old > COUNT_CHANGE_WARNING_PCT
    return text, (1 if diff > 0 else -1), large


def build_sections(
    *,
    report: SchoolReport | None,
    previous: SchoolReport | None,
    result: CheckResult,
    form=None,
    values=None,
    typed_explanations: dict | None = None,
) -> list[Section]:
    """Rows of the school's own fields grouped into the form's sections.

    ``values`` overrides the report's stored values (a form that was not saved);
    ``typed_explanations`` are explanations typed into such a form.
    """
    explanations = dict((report.warning_notes if report else {}) or {})
    for code, text in (typed_explanations or {}).items():
        explanations[code] = {**explanations.get(code, {}), "text": text}
    unconfirmed = set(report.unconfirmed_fields) if report else set()
    current = values if values is not None else report
    # A draft keeps text that is not a number; everyone sees that text, not the last number.
    raw = dict((report.raw_input if report is not None and values is None else None) or {})
    sections = []
    for anchor, title, numbers in SECTIONS:
        rows = []
        for number in numbers:
            for name in COLUMN_BY_NUMBER[number].fields:
                if name not in VALUE_FIELDS:
                    continue
                model_field = report_field(SchoolReport, name)
                new = (
                    (current.get(name) if isinstance(current, dict) else getattr(current, name, None))
                    if current is not None
                    else None
                )
                old = getattr(previous, name) if previous is not None else None
                delta, sign, large = _delta(new, old)
                errors = result.errors_for(name)
                if form is not None:
                    errors += [e for e in form.errors.get(name, []) if e not in errors]
                row = FieldRow(
                    name=name,
                    label=str(capfirst(model_field.verbose_name)),
                    column=COLUMN_OF_FIELD[name],
                    bound=form[name] if form is not None else None,
                    value=raw[name]
                    if name in raw
                    else display(current, name)
                    if current is not None
                    else None,
                    previous=display(previous, name),
                    delta=delta if previous is not None else None,
                    delta_sign=sign,
                    delta_large=large,
                    errors=errors,
                    warnings=[
                        {
                            "code": w.code,
                            "message": w.message,
                            "explanation": (explanations.get(w.code) or {}).get("text", ""),
                            "source": (explanations.get(w.code) or {}).get("source", ""),
                        }
                        for w in result.warning_for(name)
                    ],
                    unconfirmed=name in unconfirmed,
                    is_count=name in COUNT_FIELDS,
                )
                if form is not None and f"confirm__{name}" in form.fields:
                    row.confirm_bound = form[f"confirm__{name}"]
                rows.append(row)
        count = sum(len(r.errors) for r in rows)
        if anchor == "branches":
            count += sum(1 for f in result.errors if f.branch_id)
        sections.append(Section(anchor, title, numbers, rows, error_count=count))
    return sections


def required_progress(values: dict | None, branch_systems: list) -> tuple[int, int]:
    """(filled, total) of the fields required to submit, for «заполнено 18 из 22 обязательных».

    ``branch_systems`` are the systems of the branch rows (each branch's system is required).
    """
    values = values or {}
    names = required_fields(values)
    filled = sum(1 for name in names if values.get(name) not in (None, ""))
    filled += sum(1 for system in branch_systems if system is not None)
    return filled, len(names) + len(branch_systems)


# --- What changed since the last submission or return ---------------------------------------------


@dataclass
class DiffLine:
    label: str
    old: str
    new: str


def _show(name, value):
    if name == "system":
        return value or "—"
    shown = display({name: value}, name)
    return shown if shown is not None else "—"


def snapshot_diff(old: dict, new: dict) -> list[DiffLine]:
    """Differences between two report snapshots, labelled in Russian."""
    lines = []
    for name in VALUE_FIELDS:
        if old.get(name) != new.get(name):
            label = "Система" if name == "system" else capfirst(field_label(SchoolReport, name))
            lines.append(DiffLine(label, _show(name, old.get(name)), _show(name, new.get(name))))
    old_branches, new_branches = old.get("branches", {}), new.get("branches", {})
    for key in sorted(set(old_branches) | set(new_branches)):
        before, after = old_branches.get(key, {}), new_branches.get(key, {})
        name = after.get("name") or before.get("name")
        for field_name, label in (
            ("system", "система"),
            ("responsible_name", "ответственный"),
            ("responsible_position", "должность"),
            ("responsible_phone", "телефон"),
            ("responsible_email", "e-mail"),
        ):
            if before.get(field_name) != after.get(field_name):
                lines.append(
                    DiffLine(
                        f"Филиал «{name}»: {label}",
                        before.get(field_name) or "—",
                        after.get(field_name) or "—",
                    )
                )
    if old.get("events", []) != new.get("events", []):
        lines.append(
            DiffLine(
                "Мероприятия",
                "; ".join(old.get("events", [])) or "—",
                "; ".join(new.get("events", [])) or "—",
            )
        )
    return lines


def changes_since_last_review(report: SchoolReport, log=None) -> tuple[WorkflowEvent | None, list[DiffLine]]:
    """What changed since the reviewer last saw the report: since the previous return or submission.

    For a submitted report the current submission is compared with the one before it (or with
    the report as it was returned); for a report being edited, the current values are compared with
    the last submission or return. Returns (the event compared against, lines) or (None, []).
    """
    if log is None:  # the report's journal, newest first, unless the page has read it
        log = workflow_log(report=report)
    reviewed = (WorkflowEvent.Action.SUBMIT, WorkflowEvent.Action.RETURN)
    events = [event for event in log if event.action in reviewed][:2]
    if report.status == ReportStatus.SUBMITTED and events and events[0].action == WorkflowEvent.Action.SUBMIT:
        if len(events) < 2:
            return None, []
        current, base = events[0].snapshot, events[1]
    else:
        if not events:
            return None, []
        current, base = report_snapshot(report), events[0]
    return base, snapshot_diff(base.snapshot, current)


def vendor_rows(report: SchoolReport | None, figures: dict | None) -> dict | None:
    """Columns 10, 15–18 next to the vendor's figures for the nearest date, with the difference.
    ``figures`` as :func:`vendors.selectors.vendor_figures` gives them."""
    if report is None or not figures:
        return None
    rows = []
    for name, theirs in figures["values"].items():
        ours = getattr(report, name)
        rows.append(
            {
                "column": COLUMN_OF_FIELD[name],
                "label": COLUMN_BY_NUMBER[COLUMN_OF_FIELD[name]].short
                or COLUMN_BY_NUMBER[COLUMN_OF_FIELD[name]].label,
                "ours": ours,
                "theirs": theirs,
                "difference": None if ours is None else ours - theirs,
                "pct": None if ours is None else round(vendor_difference_pct(ours, theirs)),
            }
        )
    rows.sort(key=lambda r: r["column"])
    return {"vendor": figures["vendor"], "as_of": figures["as_of"], "rows": rows}
