"""Loads a filled Appendix 1 workbook into a campaign.

Four steps, one module each: reading the workbook (:mod:`.reading`), matching organisations
(:mod:`.matching`), building the plan with every error located by row and column (:mod:`.plan`),
and applying it through the services (:mod:`.apply`). The whole load runs in one transaction:
with ``dry_run`` — or when any row has an error — it is rolled back, nothing at all is written,
and the result is the preview.
"""

from django.db import transaction

from monitoring.models import Campaign
from schools.models import Municipality

from .apply import IMPORT_NOTE, MSG_LOCKED, MSG_STAYS_DRAFT, PlanApplier
from .matching import MSG_UNKNOWN_SYSTEM
from .plan import (
    ACTION_LABELS,
    CREATE,
    MSG_BAD_CODE,
    MSG_BRANCH_WITHOUT_SCHOOL,
    MSG_CLOSED_SCHOOL,
    MSG_DUPLICATE_SCHOOL,
    MSG_EMPTY,
    MSG_FOREIGN_MUNICIPALITY,
    MSG_NO_MUNICIPALITY,
    MSG_UNKNOWN_BRANCH,
    MSG_UNKNOWN_SCHOOL,
    UNCHANGED,
    UPDATE,
    ImportResult,
    Issue,
    PlanBuilder,
    PlannedReport,
)
from .reading import (
    MSG_CELL_TOO_LONG,
    MSG_FORMULA_NO_VALUE,
    MSG_NO_NUMBER_ROW,
    MSG_NOT_INTEGER,
    MSG_TOO_MANY_ROWS,
    WorkbookUnreadable,
    bad_cells,
    read_workbook,
)

MSG_NOT_ALLOWED = "Загружать таблицы могут специалисты МОУО (свои организации) и методисты РЦРО."
MSG_CREATE_ONLY_METHODISTS = "Регистрировать новые организации при загрузке могут только методисты РЦРО."

__all__ = [
    "ACTION_LABELS",
    "CREATE",
    "IMPORT_NOTE",
    "MSG_BAD_CODE",
    "MSG_BRANCH_WITHOUT_SCHOOL",
    "MSG_CELL_TOO_LONG",
    "MSG_TOO_MANY_ROWS",
    "MSG_CLOSED_SCHOOL",
    "MSG_CREATE_ONLY_METHODISTS",
    "MSG_DUPLICATE_SCHOOL",
    "MSG_EMPTY",
    "MSG_FOREIGN_MUNICIPALITY",
    "MSG_FORMULA_NO_VALUE",
    "MSG_LOCKED",
    "MSG_NOT_ALLOWED",
    "MSG_NOT_INTEGER",
    "MSG_NO_MUNICIPALITY",
    "MSG_NO_NUMBER_ROW",
    "MSG_STAYS_DRAFT",
    "MSG_UNKNOWN_BRANCH",
    "MSG_UNKNOWN_SCHOOL",
    "MSG_UNKNOWN_SYSTEM",
    "UNCHANGED",
    "UPDATE",
    "Appendix1Import",
    "ImportResult",
    "Issue",
    "PlannedReport",
    "import_appendix1",
]


class _Rollback(Exception):
    pass


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

    def _refusal(self) -> Issue | None:
        """Who may load what: specialists their own municipality, methodists anything."""
        user = self.user
        if not (user.is_regional or user.is_specialist):
            return Issue(0, None, MSG_NOT_ALLOWED)
        if self.create_missing and not user.is_regional:
            return Issue(0, None, MSG_CREATE_ONLY_METHODISTS)
        if user.is_specialist:
            own = Municipality.objects.get(pk=user.municipality_id)
            if self.municipality is not None and self.municipality.pk != own.pk:
                return Issue(0, 2, MSG_FOREIGN_MUNICIPALITY.format(value=self.municipality, own=own))
            self.municipality = own
        return None

    def run(self, fileobj, *, dry_run: bool, progress=None) -> ImportResult:
        """``progress(percent)``, when given, is called as the work advances (a background job)."""
        result = ImportResult(self.file_name, dry_run)
        refusal = self._refusal()
        if refusal is not None:
            result.errors.append(refusal)
            return result
        try:
            rows = read_workbook(fileobj, self.file_name)
        except WorkbookUnreadable as exc:
            result.errors.append(Issue(0, None, str(exc)))
            return result
        if progress is not None:
            progress(10)
        unreadable = bad_cells(rows)
        if unreadable:
            result.errors.extend(Issue(row, col, message) for row, col, message in unreadable)
            return result
        builder = PlanBuilder(
            campaign=self.campaign, municipality=self.municipality, create_missing=self.create_missing
        )
        applier = PlanApplier(
            user=self.user, campaign=self.campaign, file_name=self.file_name, past=self.past, result=result
        )
        try:
            with transaction.atomic():
                planned = builder.build(rows, result)
                if progress is not None:
                    progress(40)
                if not result.errors:
                    # A dry run goes through the same services, which decide everything in memory
                    # before they write: the preview shows what they would refuse (a locked report,
                    # a failed submission check); only the reports' writes are left out, and the
                    # rest is rolled back.
                    applier.apply(
                        planned,
                        progress=None
                        if progress is None
                        else lambda done, total: progress(40 + int(59 * done / max(total, 1))),
                        write=not dry_run,
                    )
                if result.errors or dry_run:
                    raise _Rollback
                result.written = True
        except _Rollback:
            pass
        return result


def import_appendix1(
    fileobj,
    *,
    user,
    campaign,
    file_name,
    municipality=None,
    create_missing=False,
    dry_run=True,
    progress=None,
) -> ImportResult:
    return Appendix1Import(
        user=user,
        campaign=campaign,
        municipality=municipality,
        create_missing=create_missing,
        file_name=file_name,
    ).run(fileobj, dry_run=dry_run, progress=progress)
