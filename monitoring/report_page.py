"""The Appendix 1 edit page: its three forms (the school's row, branch rows, events), what they
hand to the saving service, and what the template shows."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.forms import BaseFormSet

from . import selectors, services
from .checks import check_input, check_saved_report, comparison_for
from .forms import MSG_NOT_A_NUMBER, BranchFormSet, EventFormSet, ReportForm, event_rows, system_choice_list
from .models import SchoolReport
from .presenters import build_sections
from .rules import CheckResult


def _initial(report: SchoolReport) -> dict:
    initial = {name: getattr(report, name) for name in selectors.VALUE_FIELDS}
    initial["system"] = report.system_id
    initial.update(report.raw_input or {})
    initial["version"] = report.version
    return initial


@dataclass
class ReportEditPage:
    report: SchoolReport
    # Last year's report, or a function reading it: read only when the page is shown (a save that
    # redirects does not need it).
    previous_of: "SchoolReport | None | Callable[[], SchoolReport | None]"
    data: object = None  # request.POST, or None for a fresh page
    new_branch_rows: list = field(default_factory=list)  # unsaved rows, created on the first save
    form: ReportForm = field(init=False)
    branches: BaseFormSet = field(init=False)
    events: BaseFormSet = field(init=False)

    def __post_init__(self):
        report = self.report
        choices = system_choice_list()
        saved_rows = list(report.branch_rows.all()) if report.pk else []
        self.branch_rows = sorted([*saved_rows, *self.new_branch_rows], key=lambda r: r.branch.name)
        branch_initial = []
        for row in self.branch_rows:
            item = {"branch_id": row.branch_id, **{n: getattr(row, n) for n in selectors.BRANCH_FIELDS}}
            item["system"] = row.system_id
            branch_initial.append(item)
        event_initial = [
            {"id": e.pk, "title": e.title, "students": e.students, "teachers": e.teachers}
            for e in (report.events.all() if report.pk else ())
        ]
        bound = (self.data,) if self.data is not None else ()
        self.form = ReportForm(
            *bound,
            initial=None if bound else _initial(report),
            unconfirmed=report.unconfirmed_fields,
            system_choices=choices,
        )
        self.branches = BranchFormSet(
            *bound, prefix="branch", initial=branch_initial, form_kwargs={"system_choices": choices}
        )
        self.events = EventFormSet(*bound, prefix="event", initial=event_initial)
        self.typed: services.ReportInput | None = None
        if not bound:
            for name in report.raw_input or {}:
                self.form.errors.setdefault(name, self.form.error_class([MSG_NOT_A_NUMBER]))

    @cached_property
    def previous(self) -> SchoolReport | None:
        if callable(self.previous_of):
            return self.previous_of()
        return self.previous_of

    # --- a posted page ---------------------------------------------------------------------------
    @property
    def is_well_formed(self) -> bool:
        """The hidden parts of the form are there (a forged or truncated POST is not)."""
        self.form.is_valid()
        return self.form.cleaned_data.get("version") is not None and self.branches.management_form.is_valid()

    @property
    def version(self) -> int:
        return self.form.cleaned_data["version"]

    @property
    def events_valid(self) -> bool:
        return self.events.is_valid()

    def typed_input(self) -> services.ReportInput:
        """What the user typed, converted, for :func:`services.report_save`."""
        self.branches.is_valid()
        own = {row.branch_id for row in self.branch_rows}
        self.typed = services.ReportInput(
            values=self.form.values(),
            branches={
                f.cleaned_data["branch_id"]: f.values()
                for f in self.branches.forms
                if f.is_valid() and f.cleaned_data.get("branch_id") in own
            },
            events=event_rows(self.events) if self.events_valid else None,
            confirmed=self.form.confirmed(),
            explanations=self.form.explanations(),
            raw_input=self.form.raw_invalid(),
        )
        return self.typed

    def saved_as(self, report: SchoolReport) -> None:
        """The draft was saved but the page is shown again: later saves build on the new version."""
        data = self.form.data.copy()  # type: ignore[attr-defined]  # the posted QueryDict
        data["version"] = report.version
        self.form.data = data

    def check_typed(self) -> CheckResult:
        typed = self.typed
        if typed is None:
            raise RuntimeError("check_typed() needs typed_input() first")
        return check_input(
            campaign=self.report.campaign,
            school_id=self.report.school_id,
            values=typed.values,
            branches=typed.branches,
            report=self.report,
            confirmed=typed.confirmed,
            explanations=typed.explanations,
            raw_input=typed.raw_input,
        )

    @property
    def event_errors(self) -> list[tuple[str, str]]:
        """(anchor, message) of each error in the event rows (column 24)."""
        if not self.events.is_bound:
            return []
        return [
            (f"id_{f.prefix}-{name}", error)
            for f in self.events.forms
            for name, errors in f.errors.items()
            for error in errors
        ]

    def saved_event_ids(self, report: SchoolReport) -> dict[str, int]:
        """Ids of the saved events by the name of their hidden input, so the next save of the same
        page updates these rows rather than adding them again."""
        if not self.events_valid:
            return {}
        kept = [
            f.prefix
            for f in self.events.forms
            if not f.cleaned_data.get("DELETE") and f.cleaned_data.get("title")
        ]
        events = report.saved_events if report.saved_events is not None else report.events.all()
        return {f"{prefix}-id": event.pk for prefix, event in zip(kept, events, strict=False)}

    # --- what the template shows ------------------------------------------------------------------
    def check_stored(self) -> CheckResult:
        """The checks of what was last saved: the same the reviewer sees (nothing saved yet: the
        prefill shown)."""
        if self.report.pk:
            comparison = comparison_for(
                self.report.campaign, self.report.school_id, previous_report=self.previous
            )
            return check_saved_report(self.report, comparison=comparison)
        return check_input(
            campaign=self.report.campaign,
            school_id=self.report.school_id,
            values=selectors.report_values(self.report) or {},
            branches={
                row.branch_id: {n: getattr(row, n) for n in selectors.BRANCH_FIELDS}
                for row in self.branch_rows
            },
            raw_input=self.report.raw_input,
        )

    def context(self, result: CheckResult) -> dict:
        if self.typed is not None:
            sections = build_sections(
                report=self.report,
                previous=self.previous,
                result=result,
                form=self.form,
                values={**(selectors.report_values(self.report) or {}), **self.typed.values},
                typed_explanations=self.typed.explanations,
            )
        else:
            sections = build_sections(
                report=self.report, previous=self.previous, result=result, form=self.form
            )
        previous_rows = (
            {row.branch_id: row for row in self.previous.branch_rows.all()} if self.previous else {}
        )
        branch_table = [
            {
                "form": f,
                "row": row,
                "previous": previous_rows.get(row.branch_id),
                "errors": [x for x in result.errors if x.branch_id == row.branch_id],
            }
            for f, row in zip(self.branches.forms, self.branch_rows, strict=False)
        ]
        event_errors = self.event_errors
        if event_errors:
            project = next(s for s in sections if s.anchor == "project")
            project.error_count += len(event_errors)
        explained = {
            code: (note or {}).get("text", "") for code, note in (self.report.warning_notes or {}).items()
        }
        if self.typed is not None:
            explained.update(self.typed.explanations)
        return {
            "form": self.form,
            "sections": sections,
            "error_count": len(result.errors) + len(event_errors),
            "event_errors": event_errors,
            "unexplained_count": sum(1 for w in result.warnings if not (explained.get(w.code) or "").strip()),
            "branch_table": branch_table,
            "branches": self.branches,
            "events": self.events,
            "project_events": selectors.project_event_titles(),
        }
