"""The change log of a report, from django-simple-history: who, when, old → new."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.text import capfirst

from schools.models import EdmsSystem

from .comments import comment_label, report_comments
from .models import ReportBranch, ReportEvent, SchoolReport
from .presenters import display

HIDDEN_FIELDS = {"unconfirmed_fields", "raw_input", "updated_by", "submitted_at"}
TYPE_LABELS = {"+": "создано", "~": "изменено", "-": "удалено"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: str
    what: str
    changes: list[Change] = field(default_factory=list)


def _fmt(model, name, value, systems):
    if value is None or value == "":
        return "—"
    if name == "system":
        return str(systems.get(value, value))
    choices = model._meta.get_field(name).choices if name != "warning_notes" else None
    if choices and isinstance(value, str):
        return str(dict(choices).get(value, value))  # a state: its Russian label, never the code
    if name == "warning_notes":
        return "; ".join(f"{v.get('text', '')}" for v in value.values()) or "—"
    if model is SchoolReport:
        shown = display({name: value}, name)
        return shown if shown is not None else "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    return str(value)


def _label(model, name):
    if name == "system":
        return "Система"
    if name == "warning_notes":
        return "Пояснения к предупреждениям"
    return capfirst(model._meta.get_field(name).verbose_name)


def _entries(records, model, title, systems, hidden):
    """Entries of one history table; ``records`` newest first, grouped by object."""
    entries = []
    by_object: dict[int, list] = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    for history in by_object.values():
        history.sort(key=lambda r: (r.history_date, r.history_id))
        for older, newer in zip([None, *history[:-1]], history, strict=True):
            changes = []
            if older is not None and newer.history_type == "~":
                delta = newer.diff_against(older, excluded_fields=hidden)
                for change in delta.changes:
                    name = change.field
                    changes.append(
                        Change(
                            _label(model, name),
                            _fmt(model, name, change.old, systems),
                            _fmt(model, name, change.new, systems),
                        )
                    )
                if not changes:
                    continue
            user = newer.history_user
            entries.append(
                Entry(
                    when=newer.history_date,
                    who=(user.get_full_name() or user.username) if user else "система",
                    what=f"{title(newer)}: {TYPE_LABELS.get(newer.history_type, '')}",
                    changes=changes,
                )
            )
    return entries


def report_history(report: SchoolReport, limit: int = 200, comments=None) -> list[Entry]:
    """Every recorded change of the report, its branch rows and events, newest first.
    ``comments``: the report's remarks with their authors and branches, when read already."""
    systems = {s.pk: s.name for s in EdmsSystem.objects.all()}
    hidden = list(HIDDEN_FIELDS) + ["id", "campaign", "school"]
    report_records = report.history.select_related("history_user").order_by("-history_date")[:limit]
    entries = _entries(list(report_records), SchoolReport, lambda r: "Отчёт", systems, hidden)
    branch_names = {row.branch_id: row.branch.name for row in report.branch_rows.all()}
    branch_records = ReportBranch.history.filter(report_id=report.pk).select_related("history_user")
    entries += _entries(
        list(branch_records[:limit]),
        ReportBranch,
        lambda r: f"Филиал «{branch_names.get(r.branch_id, r.branch_id)}»",
        systems,
        ["id", "report", "branch"],
    )
    event_records = ReportEvent.history.filter(report_id=report.pk).select_related("history_user")
    entries += _entries(
        list(event_records[:limit]),
        ReportEvent,
        lambda r: f"Мероприятие «{r.title}»",
        systems,
        ["id", "report", "position"],
    )
    entries += _comment_entries(report, comments)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _who(user) -> str:
    return (user.get_full_name() or user.username) if user else "система"


def _comment_entries(report: SchoolReport, comments=None) -> list[Entry]:
    """Reviewers' remarks on fields: when each was made and when it was resolved."""
    entries = []
    if comments is None:
        comments = report_comments(report)["all_comments"]
    for comment in comments:
        what = f"Замечание к полю «{comment_label(comment)}»"
        entries.append(
            Entry(comment.created_at, _who(comment.author), what, [Change("Замечание", "—", comment.text)])
        )
        if comment.resolved_at:
            entries.append(
                Entry(
                    comment.resolved_at,
                    _who(comment.resolved_by),
                    what,
                    [Change("Состояние замечания", "не учтено", "учтено: отчёт отправлен снова")],
                )
            )
    return entries
