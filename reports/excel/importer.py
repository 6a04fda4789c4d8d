"""Loads a filled Appendix 1 workbook into a campaign.

The whole load runs in one transaction. It reads every row, matches schools and systems,
checks the values with the same rules as the form, and writes through the same services (so
history is recorded and locks hold). With ``dry_run`` — or when any row has an error — the
transaction is rolled back: nothing at all is written, and the result is the preview.
"""

from dataclasses import dataclass, field

import openpyxl
from django.db import transaction

from core.text import normalize_name
from monitoring import services, workflow
from monitoring.checks import Comparisons, check_input
from monitoring.models import Campaign, ReportBranch, SchoolReport, WorkflowEvent
from schools.models import Branch, EdmsSystem, Municipality, School

from . import layout
from .safety import UnsafeWorkbook, check_xlsx

MSG_NO_NUMBER_ROW = (
    "Не найдена строка с номерами граф 1, 2, 3 … 25: проверьте, что таблица в формате Приложения 1."
)
MSG_FORMULA_NO_VALUE = (
    "В ячейке формула без сохранённого значения: откройте файл в Excel или LibreOffice, сохраните его "
    "заново или замените формулу числом."
)
MSG_NOT_INTEGER = "Ожидается целое число, указано «{value}»."
MSG_BAD_CODE = "Допустимые значения: {allowed}; указано «{value}»."
MSG_UNKNOWN_SYSTEM = "Неизвестная система «{value}». Допустимые значения: {allowed}."
MSG_UNKNOWN_SCHOOL = (
    "Организация «{name}» не найдена в МО «{municipality}». Проверьте наименование (по Уставу) или "
    "включите регистрацию новых организаций."
)
MSG_UNKNOWN_BRANCH = "Филиал «{name}» организации «{school}» не найден."
MSG_BRANCH_WITHOUT_SCHOOL = "Строка филиала стоит не под строкой организации."
MSG_UNKNOWN_MUNICIPALITY = "МО «{value}» не найдено. Допустимые значения: {allowed}."
MSG_NO_MUNICIPALITY = "Не указано МО (графа 2)."
MSG_FOREIGN_MUNICIPALITY = (
    "Организация другого МО («{value}»): загружать можно только организации МО «{own}»."
)
MSG_DUPLICATE_SCHOOL = "Организация уже встречалась в строке {row}."
MSG_LOCKED = "Отчёт организации «{school}» нельзя изменить: {reason}"
MSG_NOT_ALLOWED = "Загружать таблицы могут специалисты МОУО (свои организации) и методисты РЦРО."
MSG_CREATE_ONLY_METHODISTS = "Регистрировать новые организации при загрузке могут только методисты РЦРО."
MSG_EMPTY = "В таблице нет строк с данными организаций."
MSG_STAYS_DRAFT = "{school}: отчёт загружен как черновик — для отправки не хватает данных ({reasons})."
IMPORT_NOTE = "Предупреждение из загруженной таблицы «{file}», строка {row}; пояснения не было."

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
class ImportResult:
    file_name: str
    dry_run: bool
    planned: list[PlannedReport] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    written: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        for item in self.planned:
            counts[item.action] += 1
        return counts

    def summary(self) -> str:
        c = self.counts
        return (
            f"Организаций: {len(self.planned)}; отчётов будет создано: {c[CREATE]}, обновлено: {c[UPDATE]}, "
            f"без изменений: {c[UNCHANGED]}; ошибок: {len(self.errors)}; предупреждений: {len(self.warnings)}."
        )


class _Rollback(Exception):
    pass


# --- reading the sheet ---------------------------------------------------------------------------------


@dataclass
class RawRow:
    number: int  # 1-based sheet row
    cells: dict[int, object]  # column number (1…26) → value


def _read_rows(fileobj, errors: list[Issue]) -> list[RawRow]:
    formulas_book = openpyxl.load_workbook(fileobj, read_only=True, data_only=False)
    fileobj.seek(0)
    values_book = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    try:
        formula_sheet = formulas_book.worksheets[0]
        value_sheet = values_book.worksheets[0]
        rows = []
        found = False
        pairs = zip(
            formula_sheet.iter_rows(min_col=1, max_col=26),
            value_sheet.iter_rows(min_col=1, max_col=26, values_only=True),
            strict=False,
        )
        for index, (formula_cells, values) in enumerate(pairs, start=1):
            values = list(values) + [None] * (26 - len(values))
            if not found:
                found = _is_number_row(values)
                continue
            cells = {}
            for col, (cell, value) in enumerate(zip(formula_cells, values, strict=False), start=1):
                if getattr(cell, "data_type", None) == "f" and value is None:
                    cells[col] = _FormulaWithoutValue()
                    continue
                cells[col] = value
            rows.append(RawRow(index, cells))
        if not found:
            errors.append(Issue(0, None, MSG_NO_NUMBER_ROW))
        return rows
    finally:
        formulas_book.close()
        values_book.close()


class _FormulaWithoutValue:
    pass


def _is_number_row(values) -> bool:
    for expected, value in enumerate(values[:25], start=1):
        try:
            if int(float(str(value).strip())) != expected:
                return False
        except (TypeError, ValueError):
            return False
    return True


def _text(value) -> str:
    if value is None or isinstance(value, _FormulaWithoutValue):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


# --- the load -------------------------------------------------------------------------------------


class Appendix1Import:
    def __init__(
        self,
        *,
        user,
        campaign: Campaign,
        municipality: Municipality | None,
        create_missing: bool,
        file_name: str,
    ):
        self.user = user
        self.campaign = campaign
        self.municipality = municipality
        self.create_missing = create_missing
        self.file_name = file_name
        # A campaign that is not collecting (being prepared, or closed) takes tables of past years:
        # its reports are loaded as accepted.
        self.past = campaign.status != Campaign.Status.OPEN
        self.result = None

    def _error(self, row, column, message):
        self.result.errors.append(Issue(row, column, message))

    # reference indexes, one query each
    def _load_indexes(self):
        self.municipalities = {normalize_name(m.name): m for m in Municipality.objects.all()}
        for m in list(self.municipalities.values()):
            self.municipalities.setdefault(normalize_name(m.code), m)
        self.schools = {
            (s.municipality_id, normalize_name(s.short_name)): s
            for s in School.objects.select_related("municipality")
        }
        self.branches = {(b.school_id, normalize_name(b.name)): b for b in Branch.objects.all()}
        systems = list(EdmsSystem.objects.filter(is_active=True))
        index: dict[str, EdmsSystem | None] = {}
        for system in systems:
            for key in (system.name, system.code, *system.alias_list()):
                index[normalize_name(key)] = system
        for system in systems:
            key = normalize_name(system.short_name)
            if key in index and index[key] is not system:
                continue
            index.setdefault(key, system)
        self.systems = index
        self.system_names = ", ".join(f"«{s.name}»" for s in systems)
        self.comparisons = Comparisons(self.campaign)
        self.existing = {
            r.school_id: r
            for r in SchoolReport.objects.filter(campaign=self.campaign)
            .select_related("system", "campaign", "school")
            .prefetch_related("branch_rows", "events")
        }

    def run(self, fileobj, *, dry_run: bool) -> ImportResult:
        self.result = ImportResult(self.file_name, dry_run)
        if not (self.user.is_regional or self.user.is_specialist):
            self._error(0, None, MSG_NOT_ALLOWED)
            return self.result
        if self.create_missing and not self.user.is_regional:
            self._error(0, None, MSG_CREATE_ONLY_METHODISTS)
            return self.result
        if self.user.is_specialist:
            own = Municipality.objects.get(pk=self.user.municipality_id)
            if self.municipality is not None and self.municipality.pk != own.pk:
                self._error(0, 2, MSG_FOREIGN_MUNICIPALITY.format(value=self.municipality, own=own))
                return self.result
            self.municipality = own
        try:
            check_xlsx(fileobj, self.file_name)
            rows = _read_rows(fileobj, self.result.errors)
        except UnsafeWorkbook as exc:
            self._error(0, None, str(exc))
            return self.result
        except Exception:  # noqa: BLE001 - any parser failure is a broken file for the user
            self._error(0, None, "Не удалось прочитать файл: он повреждён или это не таблица Excel.")
            return self.result
        if self.result.errors:
            return self.result
        try:
            with transaction.atomic():
                self._load_indexes()
                self._process(rows)
                if self.result.errors or dry_run:
                    raise _Rollback
                self.result.written = True
        except _Rollback:
            pass
        return self.result

    # --- rows → schools --------------------------------------------------------------------------------
    def _process(self, rows: list[RawRow]):
        groups = []  # (row, school cells, [branch rows])
        for raw in rows:
            c = raw.cells
            col2, col3, col4 = _text(c.get(2)), _text(c.get(3)), _text(c.get(4))
            if col2.startswith(layout.TOTAL_PREFIX) or col3.startswith(layout.TOTAL_PREFIX):
                continue
            if not any(_text(v) for v in c.values()):
                continue
            if col3:
                groups.append((raw, []))
            elif col4:
                if not groups:
                    self._error(raw.number, 4, MSG_BRANCH_WITHOUT_SCHOOL)
                    continue
                groups[-1][1].append(raw)
            else:
                continue
        if not groups and not self.result.errors:
            self._error(0, None, MSG_EMPTY)
        seen: dict[int, int] = {}
        for raw, branch_rows in groups:
            self._school(raw, branch_rows, seen)

    def _municipality_of(self, raw) -> Municipality | None:
        value = _text(raw.cells.get(2))
        if not value:
            if self.municipality is None:
                self._error(raw.number, 2, MSG_NO_MUNICIPALITY)
            return self.municipality
        found = self.municipalities.get(normalize_name(value))
        if found is None:
            allowed = ", ".join(sorted({m.name for m in self.municipalities.values()}))
            self._error(raw.number, 2, MSG_UNKNOWN_MUNICIPALITY.format(value=value, allowed=allowed))
            return None
        if self.municipality is not None and found.pk != self.municipality.pk:
            self._error(
                raw.number, 2, MSG_FOREIGN_MUNICIPALITY.format(value=found.name, own=self.municipality.name)
            )
            return None
        return found

    def _int(self, raw, col):
        value = raw.cells.get(col)
        if isinstance(value, _FormulaWithoutValue):
            self._error(raw.number, col, MSG_FORMULA_NO_VALUE)
            return None
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            self._error(raw.number, col, MSG_NOT_INTEGER.format(value=value))
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            if value.is_integer():
                return int(value)
            self._error(raw.number, col, MSG_NOT_INTEGER.format(value=value))
            return None
        text = "".join(str(value).split()).replace("−", "-")
        try:
            return int(text)
        except ValueError:
            self._error(raw.number, col, MSG_NOT_INTEGER.format(value=_text(value)))
            return None

    def _system(self, raw, col) -> EdmsSystem | None:
        value = _text(raw.cells.get(col))
        if not value:
            return None
        system = self.systems.get(normalize_name(value))
        if system is None:
            self._error(raw.number, col, MSG_UNKNOWN_SYSTEM.format(value=value, allowed=self.system_names))
        return system

    def _check_formulas(self, raw):
        for col, value in raw.cells.items():
            if (
                isinstance(value, _FormulaWithoutValue)
                and col not in layout.NUMBER_COLUMNS
                and col not in layout.CODE_COLUMNS
            ):
                self._error(raw.number, col, MSG_FORMULA_NO_VALUE)

    def _school(self, raw, branch_rows, seen):
        errors_before = len(self.result.errors)
        self._check_formulas(raw)
        municipality = self._municipality_of(raw)
        name, address = layout.split_name_address(_text(raw.cells.get(3)))
        if municipality is None:
            return
        school = self.schools.get((municipality.pk, normalize_name(name)))
        new_school = False
        if school is None:
            if not self.create_missing:
                self._error(
                    raw.number, 3, MSG_UNKNOWN_SCHOOL.format(name=name, municipality=municipality.name)
                )
                return
            school = School.objects.create(municipality=municipality, short_name=name, address=address)
            self.schools[(municipality.pk, normalize_name(name))] = school
            new_school = True
            if not self.past:
                self.campaign.participants.add(school)
        if school.pk in seen:
            self._error(raw.number, 3, MSG_DUPLICATE_SCHOOL.format(row=seen[school.pk]))
            return
        seen[school.pk] = raw.number
        if not self.past and not self.campaign.participants.filter(pk=school.pk).exists():
            self.campaign.participants.add(school)

        values = {"system": self._system(raw, 5)}
        values["responsible_name"], values["responsible_position"] = layout.split_person(
            _text(raw.cells.get(6))
        )
        values["responsible_phone"], values["responsible_email"], _ = layout.split_contacts(
            _text(raw.cells.get(7))
        )
        raw.cells[layout.MODULES_COLUMN], modules = layout.split_modules_cell(
            raw.cells.get(layout.MODULES_COLUMN)
        )
        for col, field_name in layout.NUMBER_COLUMNS.items():
            values[field_name] = self._int(raw, col)
        for col, (field_name, top) in layout.CODE_COLUMNS.items():
            code = self._int(raw, col)
            if code is not None and not 1 <= code <= top:
                self._error(raw.number, col, MSG_BAD_CODE.format(allowed=f"1–{top}", value=code))
                code = None
            values[field_name] = code
        values["coordinator_name"] = _text(raw.cells.get(22))
        phone, email, skype = layout.split_contacts(_text(raw.cells.get(23)))
        values.update(coordinator_phone=phone, coordinator_email=email, coordinator_skype=skype)
        values["notes"] = (
            str(raw.cells.get(25) or "").strip()
            if not isinstance(raw.cells.get(25), _FormulaWithoutValue)
            else ""
        )
        values.update(modules)
        events = layout.parse_events(_text(raw.cells.get(24)))

        branches = {}
        for branch_raw in branch_rows:
            self._check_formulas(branch_raw)
            branch_name, branch_address = layout.split_name_address(_text(branch_raw.cells.get(4)))
            branch = self.branches.get((school.pk, normalize_name(branch_name)))
            if branch is None:
                if not self.create_missing:
                    self._error(
                        branch_raw.number,
                        4,
                        MSG_UNKNOWN_BRANCH.format(name=branch_name, school=school.short_name),
                    )
                    continue
                branch = Branch.objects.create(school=school, name=branch_name, address=branch_address)
                self.branches[(school.pk, normalize_name(branch_name))] = branch
            person_name, position = layout.split_person(_text(branch_raw.cells.get(6)))
            b_phone, b_email, _ = layout.split_contacts(_text(branch_raw.cells.get(7)))
            branches[branch.pk] = {
                "system": self._system(branch_raw, 5),
                "responsible_name": person_name,
                "responsible_position": position,
                "responsible_phone": b_phone,
                "responsible_email": b_email,
            }
            branches[branch.pk]["_row"] = branch_raw.number

        if len(self.result.errors) > errors_before:
            return
        if not _has_data(values, branches, events):
            return  # a school listed without any data: nothing to load
        self._check_and_write(raw, school, values, branches, events, new_school)

    def _check_and_write(self, raw, school, values, branches, events, new_school):
        rows_of_branches = {bid: data.pop("_row") for bid, data in branches.items()}
        result = check_input(
            campaign=self.campaign,
            school_id=school.pk,
            values=values,
            branches=branches,
            comparison=self.comparisons.for_school(school.pk),
        )

        for finding in result.errors:
            row = rows_of_branches.get(finding.branch_id, raw.number) if finding.branch_id else raw.number
            column = finding.column or (26 if finding.field.startswith("module") else None)
            if finding.branch_id and finding.field.startswith("responsible_"):
                column = 7
            self._error(row, column, finding.message)
        warnings = []
        for finding in result.warnings:
            self.result.warnings.append(
                Issue(raw.number, finding.column, f"{school.short_name}: {finding.message}")
            )
            warnings.append(finding)
        existing = self.existing.get(school.pk)
        action = (
            CREATE
            if existing is None
            else (UPDATE if self._changed(existing, values, branches, events) else UNCHANGED)
        )
        planned = PlannedReport(
            raw.number,
            school.short_name,
            school.municipality.name,
            action,
            new_school,
            [w.message for w in warnings],
        )
        self.result.planned.append(planned)
        if result.errors or action == UNCHANGED:
            return
        data = services.ReportInput(
            values=values,
            branches=branches,
            events=events,
            confirmed=set(services.VALUE_FIELDS),
            explanations={
                w.code: ((existing.warning_notes.get(w.code) or {}).get("text") if existing else None)
                or IMPORT_NOTE.format(file=self.file_name, row=raw.number)
                for w in warnings
            },
            explanation_source="import",
        )
        try:
            if self.past:
                report = services.report_load_accepted(
                    campaign=self.campaign, school=school, data=data, user=self.user
                )
            else:
                report = existing
                if report is None:
                    report = services.report_start(campaign=self.campaign, school=school, user=self.user)
                else:
                    refusal = services.report_edit_refusal(report)
                    if refusal:
                        raise services.ReportLocked(refusal)
                    self._ensure_branch_rows(report, branches)
                if existing is None:
                    self._ensure_branch_rows(report, branches)
                report, _ = services.report_save(
                    report_id=report.pk,
                    user=self.user,
                    data=data,
                    expected_version=None,
                    draft=False,
                )
                report = self._hand_in(report, raw, planned)
            planned.outcome = report.get_status_display()
            WorkflowEvent.objects.create(
                campaign=self.campaign,
                report=report,
                municipality_id=school.municipality_id,
                action=WorkflowEvent.Action.IMPORT,
                from_state=existing.status if existing else "",
                to_state=report.status,
                actor=self.user,
                comment=f"Файл «{self.file_name}», строка {raw.number}",
            )
        except services.ReportLocked as exc:
            self._error(raw.number, None, MSG_LOCKED.format(school=school.short_name, reason=exc))
        except services.ReportInvalid as exc:
            for finding in exc.result.errors:
                self._error(raw.number, finding.column, finding.message)

    def _hand_in(self, report, raw, planned):
        """The table is the school's data as handed in: submit it (and approve it, for its reviewer)."""
        try:
            return workflow.report_hand_in_imported(
                report_id=report.pk,
                user=self.user,
                note=f"Из таблицы «{self.file_name}», строка {raw.number}",
            )
        except services.ReportInvalid as exc:
            branch_names = {
                row.branch_id: row.branch.name for row in report.branch_rows.select_related("branch")
            }
            reasons = "; ".join(
                (f"филиал «{branch_names.get(f.branch_id, '')}», " if f.branch_id else "")
                + (f"графа {f.column}: " if f.column else "")
                + f.message
                for f in exc.result.errors[:5]
            )
            message = MSG_STAYS_DRAFT.format(school=report.school.short_name, reasons=reasons)
            self.result.warnings.append(Issue(raw.number, None, message))
            planned.warnings.append(message)
            return SchoolReport.objects.get(pk=report.pk)

    def _ensure_branch_rows(self, report, branches):
        have = set(ReportBranch.objects.filter(report=report).values_list("branch_id", flat=True))
        for branch_id in set(branches) - have:
            ReportBranch.objects.create(report=report, branch_id=branch_id)

    def _changed(self, report, values, branches, events) -> bool:
        if any(getattr(report, name) != value for name, value in values.items()):
            return True
        rows = {row.branch_id: row for row in report.branch_rows.all()}
        for branch_id, vals in branches.items():
            row = rows.get(branch_id)
            if row is None:
                return True
            for name, value in vals.items():
                current = row.system_id if name == "system" else getattr(row, name)
                wanted = value.pk if name == "system" and value is not None else value
                if current != wanted:
                    return True
        current_events = [(e.title, e.students, e.teachers) for e in report.events.all()]
        return current_events != [(e["title"], e["students"], e["teachers"]) for e in events]


def _has_data(values, branches, events) -> bool:
    filled = [v for v in values.values() if v not in (None, "", False)]
    branch_filled = [
        v for data in branches.values() for k, v in data.items() if k != "_row" and v not in (None, "")
    ]
    return bool(filled or branch_filled or events)


def import_appendix1(
    fileobj, *, user, campaign, file_name, municipality=None, create_missing=False, dry_run=True
) -> ImportResult:
    return Appendix1Import(
        user=user,
        campaign=campaign,
        municipality=municipality,
        create_missing=create_missing,
        file_name=file_name,
    ).run(fileobj, dry_run=dry_run)
