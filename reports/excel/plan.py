"""Building the plan of a load: which organisations, branches and reports would be created or
updated, what is matched with another spelling, who is missing compared with last year, and every
error with its row and column. Nothing is written here.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from monitoring.checks import Comparison, Comparisons, check_input
from monitoring.models import Campaign, ReportBranch, SchoolReport
from monitoring.rules import CheckResult, Finding
from schools.models import Branch, Municipality, School

from . import layout
from .matching import OrganisationIndex, Respelling, respelling
from .reading import MSG_FORMULA_NO_VALUE, FormulaWithoutValue, RawRow, integer, multiline_text, text

MSG_BAD_CODE = "Допустимые значения: {allowed}; указано «{value}»."
MSG_UNKNOWN_SCHOOL = (
    "Организация «{name}» не найдена в МО «{municipality}». Проверьте наименование (по Уставу) или "
    "включите регистрацию новых организаций."
)
MSG_UNKNOWN_BRANCH = "Филиал «{name}» организации «{school}» не найден."
MSG_BRANCH_WITHOUT_SCHOOL = "Строка филиала стоит не под строкой организации."
MSG_NO_MUNICIPALITY = "Не указано МО (графа 2)."
MSG_FOREIGN_MUNICIPALITY = (
    "Организация другого МО («{value}»): загружать можно только организации МО «{own}»."
)
MSG_DUPLICATE_SCHOOL = "Организация уже встречалась в строке {row}."
MSG_EMPTY = "В таблице нет строк с данными организаций."
MSG_CLOSED_SCHOOL = (
    "Организация «{name}» закрыта {date}: её отчёт нельзя загрузить в мониторинг по состоянию на {as_of}."
)
MISSING_CLOSED = "закрыта {date}"

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
ACTION_LABELS = {CREATE: "будет создан", UPDATE: "будет обновлён", UNCHANGED: "без изменений"}


@dataclass
class Issue:
    row: int
    column: int | None
    message: str


@dataclass
class PlannedReport:
    row: int
    school_name: str
    municipality: str
    action: str
    new_school: bool = False
    warnings: list[str] = field(default_factory=list)
    outcome: str = ""  # the report's state after the load

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class NewOrganisation:
    row: int
    municipality: str
    name: str
    branch: str = ""  # a new branch of ``name``


@dataclass
class MissingOrganisation:
    municipality: str
    name: str
    note: str = ""


@dataclass
class ImportResult:
    file_name: str
    dry_run: bool
    planned: list[PlannedReport] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    new_organisations: list[NewOrganisation] = field(default_factory=list)
    respelled: list[Respelling] = field(default_factory=list)
    missing: list[MissingOrganisation] = field(default_factory=list)
    written: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        for item in self.planned:
            counts[item.action] += 1
        return counts

    @property
    def error_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.row})

    def summary(self) -> str:
        c = self.counts
        return (
            f"Организаций: {len(self.planned)}; отчётов будет создано: {c[CREATE]}, обновлено: {c[UPDATE]}, "
            f"без изменений: {c[UNCHANGED]}; новых организаций: "
            f"{sum(1 for n in self.new_organisations if not n.branch)}; ошибок: {len(self.errors)}; "
            f"предупреждений: {len(self.warnings)}."
        )


@dataclass
class PlannedBranch:
    row: int
    name: str
    address: str
    branch: Branch | None  # None: registered by the load
    values: dict

    @property
    def key(self) -> int:
        """The branch's id, or a negative stand-in until a new branch is registered."""
        return self.branch.pk if self.branch is not None else -self.row


@dataclass
class PlannedSchool:
    """One organisation's rows of the workbook and what the load does with them."""

    row: int
    municipality: Municipality
    name: str
    address: str
    school: School | None  # None: registered by the load
    branches: list[PlannedBranch]
    values: dict | None = None  # None: listed without data, no report is loaded
    events: list[dict] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    previous: dict | None = None
    comparison: Comparison | None = None
    checked: CheckResult | None = None
    existing: SchoolReport | None = None
    report: PlannedReport | None = None


class PlanBuilder:
    """Rows → planned organisations, with every error located by row and column."""

    def __init__(self, *, campaign: Campaign, municipality: Municipality | None, create_missing: bool):
        self.campaign = campaign
        self.municipality = municipality
        self.create_missing = create_missing
        self.result: ImportResult | None = None

    def _error(self, row, column, message):
        self.result.errors.append(Issue(row, column, message))

    def build(self, rows: list[RawRow], result: ImportResult) -> list[PlannedSchool]:
        self.result = result
        self.index = OrganisationIndex()
        self._respelled: dict[tuple, Respelling] = {}
        groups = self._groups(rows)
        self.index.load_organisations(self._named_municipality_ids(groups))
        # Last year's values, the registry and the vendors' figures of the schools the table names,
        # and their reports in the campaign: read once, by batches of schools.
        ids = self._known_school_ids(groups)
        self.comparisons = Comparisons(self.campaign, school_ids=ids)
        self.existing = {}
        for start in range(0, len(ids), 1000):
            self.existing.update(
                (r.school_id, r)
                for r in SchoolReport.objects.filter(
                    campaign=self.campaign, school_id__in=ids[start : start + 1000]
                )
                .select_related("system", "campaign", "school")
                .prefetch_related(
                    Prefetch("branch_rows", queryset=ReportBranch.objects.select_related("system")), "events"
                )
            )
        if not groups and not result.errors:
            self._error(0, None, MSG_EMPTY)
        seen: dict[tuple, int] = {}
        planned = []
        for raw, branch_rows in groups:
            item = self._school(raw, branch_rows, seen)
            if item is not None:
                planned.append(item)
        result.respelled = list(self._respelled.values())
        result.missing = self._missing(planned)
        return planned

    # --- rows → groups of an organisation and its branches --------------------------------------
    def _groups(self, rows):
        groups = []
        for raw in rows:
            c = raw.cells
            col2, col3, col4 = text(c.get(2)), text(c.get(3)), text(c.get(4))
            if col2.startswith(layout.TOTAL_PREFIX) or col3.startswith(layout.TOTAL_PREFIX):
                continue
            if not any(text(v) for v in c.values()):
                continue
            if col3:
                groups.append((raw, []))
            elif col4:
                if not groups:
                    self._error(raw.number, 4, MSG_BRANCH_WITHOUT_SCHOOL)
                    continue
                groups[-1][1].append(raw)
        return groups

    def _named_municipality_ids(self, groups) -> set[int]:
        ids = {self.municipality.pk} if self.municipality is not None else set()
        for raw, _ in groups:
            value = text(raw.cells.get(2))
            found = self.index.municipality(value) if value else None
            if found is not None:
                ids.add(found.pk)
        return ids

    def _known_school_ids(self, groups) -> list[int]:
        """The registered organisations the table names (matched silently: errors come later)."""
        ids = []
        for raw, _ in groups:
            value = text(raw.cells.get(2))
            municipality = self.index.municipality(value) if value else self.municipality
            if municipality is None:
                continue
            school, _, _ = self.index.school_written(municipality, text(raw.cells.get(3)))
            if school is not None:
                ids.append(school.pk)
        return sorted(set(ids))

    def _note_respelling(self, row, column, written, known):
        found = respelling(row, column, written, known)
        if found is not None:
            self._respelled.setdefault((column, " ".join(written.split()).lower(), known), found)

    # --- matching ------------------------------------------------------------------------------
    def _municipality_of(self, raw) -> Municipality | None:
        value = text(raw.cells.get(2))
        if not value:
            if self.municipality is None:
                self._error(raw.number, 2, MSG_NO_MUNICIPALITY)
            return self.municipality
        found = self.index.municipality(value)
        if found is None:
            self._error(raw.number, 2, self.index.unknown_municipality_message(value))
            return None
        if self.municipality is not None and found.pk != self.municipality.pk:
            self._error(
                raw.number, 2, MSG_FOREIGN_MUNICIPALITY.format(value=found.name, own=self.municipality.name)
            )
            return None
        self._note_respelling(raw.number, 2, value, found.name)
        return found

    def _int(self, raw, col):
        value, message = integer(raw.cells.get(col))
        if message:
            self._error(raw.number, col, message)
        return value

    def _system(self, raw, col):
        value = text(raw.cells.get(col))
        if not value:
            return None
        system = self.index.system(value)
        if system is None:
            self._error(raw.number, col, self.index.unknown_system_message(value))
        return system

    def _check_formulas(self, raw):
        for col, value in raw.cells.items():
            if (
                isinstance(value, FormulaWithoutValue)
                and col not in layout.NUMBER_COLUMNS
                and col not in layout.CODE_COLUMNS
            ):
                self._error(raw.number, col, MSG_FORMULA_NO_VALUE)

    # --- one organisation ----------------------------------------------------------------------
    def _school(self, raw, branch_rows, seen) -> PlannedSchool | None:
        errors_before = len(self.result.errors)
        self._check_formulas(raw)
        municipality = self._municipality_of(raw)
        written = text(raw.cells.get(3))
        if municipality is None:
            return None
        school, name, address = self.index.school_written(municipality, written)
        if school is None and not self.create_missing:
            self._error(raw.number, 3, MSG_UNKNOWN_SCHOOL.format(name=name, municipality=municipality.name))
            return None
        key = (municipality.pk, school.pk if school else name.lower())
        if key in seen:
            self._error(raw.number, 3, MSG_DUPLICATE_SCHOOL.format(row=seen[key]))
            return None
        seen[key] = raw.number
        if school is None:
            self.result.new_organisations.append(NewOrganisation(raw.number, municipality.name, name))
        else:
            self._note_respelling(raw.number, 3, name, school.short_name)
            if school.closed_on is not None and school.closed_on <= self.campaign.as_of:
                self._error(
                    raw.number,
                    3,
                    MSG_CLOSED_SCHOOL.format(
                        name=school.short_name,
                        date=f"{school.closed_on:%d.%m.%Y}",
                        as_of=f"{self.campaign.as_of:%d.%m.%Y}",
                    ),
                )
                return None

        values = self._values(raw)
        events = layout.parse_events(text(raw.cells.get(24)))
        branches = [self._branch(b, school, municipality, name) for b in branch_rows]
        branches = [b for b in branches if b is not None]
        item = PlannedSchool(raw.number, municipality, name, address, school, branches)
        if len(self.result.errors) > errors_before:
            return None
        if not _has_data(values, branches, events):
            return item  # listed without any data: only registered, if new
        item.values, item.events = values, events
        self._check(raw, item)
        return item

    def _values(self, raw) -> dict:
        cells = raw.cells
        values = {"system": self._system(raw, 5)}
        values["responsible_name"], values["responsible_position"] = layout.split_person(text(cells.get(6)))
        values["responsible_phone"], values["responsible_email"], _ = layout.split_contacts(
            text(cells.get(7))
        )
        cells[layout.MODULES_COLUMN], modules = layout.split_modules_cell(cells.get(layout.MODULES_COLUMN))
        for col, field_name in layout.NUMBER_COLUMNS.items():
            values[field_name] = self._int(raw, col)
        for col, (field_name, top) in layout.CODE_COLUMNS.items():
            code = self._int(raw, col)
            if code is not None and not 1 <= code <= top:
                self._error(raw.number, col, MSG_BAD_CODE.format(allowed=f"1–{top}", value=code))
                code = None
            values[field_name] = code
        values["coordinator_name"] = text(cells.get(22))
        phone, email, skype = layout.split_contacts(text(cells.get(23)))
        values.update(coordinator_phone=phone, coordinator_email=email, coordinator_skype=skype)
        values["notes"] = multiline_text(cells.get(25))
        values.update(modules)
        return values

    def _branch(self, raw, school, municipality, school_name) -> PlannedBranch | None:
        self._check_formulas(raw)
        branch, name, address = self.index.branch_written(school, text(raw.cells.get(4)))
        if branch is None:
            if not self.create_missing:
                self._error(
                    raw.number,
                    4,
                    MSG_UNKNOWN_BRANCH.format(name=name, school=school.short_name if school else school_name),
                )
                return None
            self.result.new_organisations.append(
                NewOrganisation(raw.number, municipality.name, school_name, branch=name)
            )
        person_name, position = layout.split_person(text(raw.cells.get(6)))
        phone, email, _ = layout.split_contacts(text(raw.cells.get(7)))
        values = {
            "system": self._system(raw, 5),
            "responsible_name": person_name,
            "responsible_position": position,
            "responsible_phone": phone,
            "responsible_email": email,
        }
        return PlannedBranch(raw.number, name, address, branch, values)

    def _check(self, raw, item: PlannedSchool) -> None:
        school = item.school
        comparison = self.comparisons.for_school(school.pk if school else None)
        item.previous, item.comparison = comparison.previous, comparison
        result = check_input(
            campaign=self.campaign,
            school_id=school.pk if school else None,
            values=item.values,
            branches={b.key: b.values for b in item.branches},
            comparison=comparison,
        )
        item.checked = result
        rows_of_branches = {b.key: b.row for b in item.branches}
        for finding in result.errors:
            row = rows_of_branches.get(finding.branch_id, raw.number) if finding.branch_id else raw.number
            column = finding.column or (layout.MODULES_COLUMN if finding.field.startswith("module") else None)
            if finding.branch_id and finding.field.startswith("responsible_"):
                column = 7
            self._error(row, column, finding.message)
        name = school.short_name if school else item.name
        for finding in result.warnings:
            self.result.warnings.append(Issue(raw.number, finding.column, f"{name}: {finding.message}"))
        item.warnings = list(result.warnings)
        item.existing = self.existing.get(school.pk) if school else None
        if item.existing is None:
            action = CREATE
        elif _changed(item.existing, item.values, item.branches, item.events):
            action = UPDATE
        else:
            action = UNCHANGED
        item.report = PlannedReport(
            raw.number,
            name,
            item.municipality.name,
            action,
            school is None,
            [w.message for w in result.warnings],
        )
        self.result.planned.append(item.report)
        if result.errors:
            item.report = None  # nothing is written for it; the errors stop the whole load

    # --- compared with last year ---------------------------------------------------------------
    def _missing(self, planned: list[PlannedSchool]) -> list[MissingOrganisation]:
        """Participants of the previous campaign that the workbook does not list."""
        if not self.campaign.previous_id:
            return []
        listed = {p.school.pk for p in planned if p.school is not None}
        previous = School.objects.filter(campaigns=self.campaign.previous_id)
        if self.municipality is not None:
            previous = previous.filter(municipality=self.municipality)
        rows = previous.order_by("municipality__sort_order", "short_name").values_list(
            "pk", "municipality__name", "short_name", "closed_on"
        )
        return [
            MissingOrganisation(
                municipality, name, MISSING_CLOSED.format(date=f"{closed_on:%d.%m.%Y}") if closed_on else ""
            )
            for pk, municipality, name, closed_on in rows
            if pk not in listed
        ]


def _has_data(values, branches: list[PlannedBranch], events) -> bool:
    filled = [v for v in values.values() if v not in (None, "", False)]
    branch_filled = [v for b in branches for v in b.values.values() if v not in (None, "")]
    return bool(filled or branch_filled or events)


def _changed(report, values, branches: list[PlannedBranch], events) -> bool:
    if any(getattr(report, name) != value for name, value in values.items()):
        return True
    rows = {row.branch_id: row for row in report.branch_rows.all()}
    for planned in branches:
        row = rows.get(planned.key)
        if row is None:
            return True
        for name, value in planned.values.items():
            current = row.system_id if name == "system" else getattr(row, name)
            wanted = value.pk if name == "system" and value is not None else value
            if current != wanted:
                return True
    current_events = [(e.title, e.students, e.teachers) for e in report.events.all()]
    return current_events != [(e["title"], e["students"], e["teachers"]) for e in events]
