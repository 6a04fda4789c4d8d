"""Applying a load plan: every write goes through the services of the app that owns the data —
organisations and branches through ``schools.services``, reports and branch rows through
``monitoring.services``, the hand-in through ``monitoring.workflow`` — so history, locks and the
participants invariant hold as for any other write.
"""

from monitoring import services, workflow
from monitoring.models import SchoolReport
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

    def apply(self, planned: list[PlannedSchool], progress=None) -> None:
        for index, item in enumerate(planned, start=1):
            if progress is not None and index % 20 == 0:
                progress(index, len(planned))
            try:
                self._register(item)
                if item.report is not None and item.report.action != UNCHANGED:
                    self._write(item)
            except school_services.SchoolError as exc:
                self._error(item.row, 3, MSG_REGISTRATION_REFUSED.format(name=item.name, reason=exc))
            except services.ReportLocked as exc:
                self._error(item.row, None, MSG_LOCKED.format(school=item.name, reason=exc))
            except services.ReportInvalid as exc:
                for finding in exc.result.errors:
                    self._error(item.row, finding.column, finding.message)
            except services.ServiceError as exc:  # a value out of bounds (core.bounds)
                self._error(item.row, None, str(exc))

    def _register(self, item: PlannedSchool) -> None:
        """Organisations and branches the workbook names for the first time."""
        if item.school is None:
            item.school = school_services.school_create(
                municipality=item.municipality, short_name=item.name, address=item.address, user=self.user
            )
        for branch in item.branches:
            if branch.branch is None:
                branch.branch = school_services.branch_create(
                    school=item.school, name=branch.name, address=branch.address, user=self.user
                )

    def _write(self, item: PlannedSchool) -> None:
        school, existing, row = item.school, item.existing, item.row
        data = services.ReportInput(
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
        if self.past:
            report = services.report_load_accepted(
                campaign=self.campaign, school=school, data=data, user=self.user
            )
        else:
            if existing is not None:
                refusal = services.report_edit_refusal(existing)
                if refusal:
                    raise services.ReportLocked(refusal)
            report = services.report_start(campaign=self.campaign, school=school, user=self.user)
            services.report_branch_rows_add(report_id=report.pk, branch_ids=data.branches, user=self.user)
            report, _ = services.report_save(
                report_id=report.pk,
                user=self.user,
                data=data,
                expected_version=None,
                draft=False,
            )
            report = self._hand_in(report, item)
        item.report.outcome = report.get_status_display()
        workflow.report_record_import(
            report_id=report.pk,
            user=self.user,
            from_state=existing.status if existing else "",
            comment=IMPORT_COMMENT.format(file=self.file_name, row=row),
        )

    def _hand_in(self, report, item: PlannedSchool):
        """The table is the school's data as handed in: submit it (and approve it, for its reviewer)."""
        try:
            return workflow.report_hand_in_imported(
                report_id=report.pk,
                user=self.user,
                note=HAND_IN_NOTE.format(file=self.file_name, row=item.row),
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
            self.result.warnings.append(Issue(item.row, None, message))
            item.report.warnings.append(message)
            return SchoolReport.objects.get(pk=report.pk)
