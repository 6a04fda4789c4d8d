"""Applying a load plan: every write goes through the services of the app that owns the data —
organisations and branches through ``schools.services``, reports and branch rows through
``monitoring.services``, the hand-in through ``monitoring.workflow`` — so history, locks and the
participants invariant hold as for any other write. The batch forms of those services are used:
the queries do not grow with the number of organisations in the table.
"""

from monitoring import services, workflow
from schools import services as school_services

from .plan import ImportResult, Issue, PlannedSchool

MSG_LOCKED = "Отчёт организации «{school}» нельзя изменить: {reason}"
MSG_STAYS_DRAFT = "{school}: отчёт загружен как черновик — для отправки не хватает данных ({reasons})."
MSG_REGISTRATION_REFUSED = "Организацию «{name}» не удалось зарегистрировать: {reason}"
IMPORT_NOTE = "Предупреждение из загруженной таблицы «{file}», строка {row}; пояснения не было."
IMPORT_COMMENT = "Файл «{file}», строка {row}"
HAND_IN_NOTE = "Из таблицы «{file}», строка {row}"
UNCHANGED = "unchanged"


class PlanApplier:
    def __init__(self, *, user, campaign, file_name: str, past: bool, result: ImportResult):
        self.user = user
        self.campaign = campaign
        self.file_name = file_name
        self.past = past  # a campaign not collecting: its reports are loaded as accepted
        self.result = result

    def _error(self, row, column, message):
        self.result.errors.append(Issue(row, column, message))

    def apply(self, planned: list[PlannedSchool], progress=None, *, write: bool = True) -> None:
        """Register the new organisations, then write every report in batches: a number of
        queries that does not grow with the number of organisations. Without ``write`` (a dry
        run) the reports are decided in memory — refusals, checks, the hand-in — and not written."""
        total = len(planned)
        if not self._register(planned):
            return
        if progress is not None:
            progress(total // 4, total)
        to_write = [p for p in planned if p.report is not None and p.report.action != UNCHANGED]
        items = [
            services.ImportedReport(
                school=p.school,
                data=self._input(p),
                existing=p.existing,
                comparison=p.comparison,
                checked=p.checked,
            )
            for p in to_write
        ]
        workflow.reports_load_imported(
            campaign=self.campaign,
            items=items,
            user=self.user,
            past=self.past,
            write=write,
            notes={p.school.pk: HAND_IN_NOTE.format(file=self.file_name, row=p.row) for p in to_write},
            comments={p.school.pk: IMPORT_COMMENT.format(file=self.file_name, row=p.row) for p in to_write},
        )
        for planned_school, item in zip(to_write, items, strict=True):
            if item.error is not None:
                self._refused(planned_school, item.error)
            elif item.hand_in_errors is not None:
                self._stays_draft(planned_school, item)
            if item.report is not None:
                planned_school.report.outcome = item.report.get_status_display()
        if progress is not None:
            progress(total, total)

    def _register(self, planned: list[PlannedSchool]) -> bool:
        """Organisations and branches the workbook names for the first time (two batches)."""
        new_schools = [p for p in planned if p.school is None]
        try:
            schools = school_services.schools_create_many(
                entries=[(p.municipality, p.name, p.address) for p in new_schools], user=self.user
            )
        except school_services.SchoolsRefused as exc:
            for index, reason in exc.problems:
                item = new_schools[index]
                self._error(item.row, 3, MSG_REGISTRATION_REFUSED.format(name=item.name, reason=reason))
            return False
        except school_services.SchoolError as exc:
            for item in new_schools:
                self._error(item.row, 3, MSG_REGISTRATION_REFUSED.format(name=item.name, reason=exc))
            return False
        for item, school in zip(new_schools, schools, strict=True):
            item.school = school
        new_branches = [(p, b) for p in planned for b in p.branches if b.branch is None]
        try:
            branches = school_services.branches_create_many(
                entries=[(p.school, b.name, b.address) for p, b in new_branches], user=self.user
            )
        except school_services.SchoolsRefused as exc:
            for index, reason in exc.problems:
                item, branch = new_branches[index]
                self._error(branch.row, 4, MSG_REGISTRATION_REFUSED.format(name=branch.name, reason=reason))
            return False
        except school_services.SchoolError as exc:
            for _, branch in new_branches:
                self._error(branch.row, 4, MSG_REGISTRATION_REFUSED.format(name=branch.name, reason=exc))
            return False
        for (_, planned_branch), branch in zip(new_branches, branches, strict=True):
            planned_branch.branch = branch
        return True

    def _input(self, item: PlannedSchool) -> services.ReportInput:
        existing, row = item.existing, item.row
        return services.ReportInput(
            values=item.values,
            branches={b.key: b.values for b in item.branches},
            events=item.events,
            confirmed=set(services.VALUE_FIELDS),
            explanations={
                w.code: ((existing.warning_notes.get(w.code) or {}).get("text") if existing else None)
                or IMPORT_NOTE.format(file=self.file_name, row=row)
                for w in item.warnings
            },
            explanation_source="import",
        )

    def _refused(self, item: PlannedSchool, exc: Exception) -> None:
        if isinstance(exc, services.ReportLocked):
            self._error(item.row, None, MSG_LOCKED.format(school=item.name, reason=exc))
        elif isinstance(exc, services.ReportInvalid):
            for finding in exc.result.errors:
                self._error(item.row, finding.column, finding.message)
        else:  # a value out of bounds (core.bounds)
            self._error(item.row, None, str(exc))

    def _stays_draft(self, item: PlannedSchool, imported: services.ImportedReport) -> None:
        """The table is the school's data as handed in; a report that does not pass the
        submission check stays a draft, with the reasons as a warning."""
        branch_names = {row.branch_id: row.branch.name for row in imported.rows}
        reasons = "; ".join(
            (f"филиал «{branch_names.get(f.branch_id, '')}», " if f.branch_id else "")
            + (f"графа {f.column}: " if f.column else "")
            + f.message
            for f in imported.hand_in_errors.errors[:5]
        )
        message = MSG_STAYS_DRAFT.format(school=imported.school.short_name, reasons=reasons)
        self.result.warnings.append(Issue(item.row, None, message))
        item.report.warnings.append(message)
