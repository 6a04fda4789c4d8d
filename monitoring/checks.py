"""The one entry point to the report checks.

The page, the form, the dashboard, the submission and the Excel import all check a report here, so
last year's values, the branch rows, the fields still carried over unconfirmed, the explanations of
warnings and the pilot-site registry are gathered the same way for all of them, and they cannot
disagree about a report. The rules themselves live in :mod:`monitoring.rules`.

- :func:`check_saved_report` checks a stored report (page, dashboard, submission, approval).
- :func:`check_input` checks values not yet saved (the form being saved, a row of an imported table).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from vendors.selectors import nearest_counts, vendor_figures

from . import services
from .models import Campaign, SchoolReport
from .rules import CheckResult, check_report

BATCH = 1000  # schools per read


@dataclass(frozen=True)
class Comparison:
    """What a school's report is compared with: last year's values and the pilot-site registry."""

    previous: dict | None  # last campaign's report as the checks take it, or None
    registry_pilot_site: bool | None  # None when no registry is kept
    vendor: dict | None = None  # the vendor's figures for the nearest date, or None


class Comparisons:
    """Comparisons for many schools of one campaign: the registry is read once, last year's reports
    once for ``school_ids`` (or one query per school asked for, when they are not known ahead)."""

    def __init__(
        self,
        campaign: Campaign,
        school_ids: Iterable[int] | None = None,
        *,
        previous: bool = True,
        one_query: bool = False,
    ):
        """``one_query``: each read in one query, not in batches of ``BATCH`` schools (a page that
        must make the same number of queries at any size)."""
        self.campaign = campaign
        self.one_query = one_query
        self.registry = services.registry_pilot_school_ids(campaign.as_of)
        self._previous: dict[int, dict | None] = {}
        self._vendor: dict[int, dict | None] = {}
        self._complete = False
        if school_ids is not None:
            ids = list(school_ids)
            self._vendor = dict.fromkeys(ids)
            for chunk in self._chunks(ids):  # a query per batch of schools, not per school
                self._vendor.update(
                    (pk, vendor_figures(c)) for pk, c in nearest_counts(chunk, campaign.as_of).items()
                )
            if previous:
                self.read_previous(ids)

    def read_previous(self, school_ids: Iterable[int]) -> None:
        """Read last year's reports of ``school_ids`` (a query per batch of schools)."""
        ids = list(school_ids)
        self._previous.update(dict.fromkeys(ids))
        if not self.campaign.previous_id:
            return
        for chunk in self._chunks(ids):
            for report in SchoolReport.objects.filter(
                campaign_id=self.campaign.previous_id, school_id__in=chunk
            ).select_related("system"):
                self._previous[report.school_id] = services.report_values(report)

    def _chunks(self, ids: list[int]) -> Iterable[list[int]]:
        size = max(1, len(ids)) if self.one_query else BATCH
        return (ids[start : start + size] for start in range(0, len(ids), size))

    def registry_answer(self, school_id: int) -> bool | None:
        """Whether the registry lists the school (None when no registry is kept)."""
        return None if self.registry is None else school_id in self.registry

    def vendor_for(self, school_id: int) -> dict | None:
        """The vendor's figures read for ``school_id`` (None when there are none)."""
        return self._vendor.get(school_id)

    @classmethod
    def for_whole_campaign(cls, campaign: Campaign) -> "Comparisons":
        """Comparisons for any school: last year's reports are all read at once (an import)."""
        comparisons = cls(campaign, school_ids=[])
        comparisons._complete = True
        if campaign.previous_id:
            for report in SchoolReport.objects.filter(campaign_id=campaign.previous_id).select_related(
                "system"
            ):
                comparisons._previous[report.school_id] = services.report_values(report)
        return comparisons

    def for_school(self, school_id: int | None) -> Comparison:
        """``school_id`` None: a school not registered yet (no last year, not in the registry)."""
        if school_id is None:
            return Comparison(previous=None, registry_pilot_site=None if self.registry is None else False)
        if school_id not in self._previous and self._complete:
            return Comparison(
                previous=None,
                registry_pilot_site=None if self.registry is None else school_id in self.registry,
            )
        if school_id not in self._previous:
            self._previous[school_id] = _previous_values(self.campaign, school_id)
            self._vendor[school_id] = _vendor_values(self.campaign, school_id)
        return Comparison(
            previous=self._previous[school_id],
            registry_pilot_site=None if self.registry is None else school_id in self.registry,
            vendor=self._vendor.get(school_id),
        )


def _previous_values(campaign: Campaign, school_id: int) -> dict | None:
    if not campaign.previous_id:
        return None
    previous = (
        SchoolReport.objects.filter(campaign_id=campaign.previous_id, school_id=school_id)
        .select_related("system")
        .first()
    )
    return services.report_values(previous)


def _vendor_values(campaign: Campaign, school_id: int) -> dict | None:
    return vendor_figures(nearest_counts([school_id], campaign.as_of).get(school_id))


_UNREAD = object()


def comparison_for(campaign: Campaign, school_id: int, *, previous_report=_UNREAD) -> Comparison:
    """Last year's values, the registry status and the vendor's figures of one school in the campaign.
    ``previous_report``: last year's report (or None) when the page has read it already."""
    return Comparison(
        previous=(
            _previous_values(campaign, school_id)
            if previous_report is _UNREAD
            else services.report_values(previous_report)
        ),
        registry_pilot_site=services.registry_pilot_status(school_id, campaign.as_of),
        vendor=_vendor_values(campaign, school_id),
    )


def check_saved_report(
    report: SchoolReport,
    *,
    for_submission: bool = False,
    comparison: Comparison | None = None,
    branch_rows: Iterable | None = None,
) -> CheckResult:
    """Check a stored report with its branch rows, unconfirmed fields and explanations.

    ``for_submission``: the check a report must pass to be submitted or approved (missing fields,
    unconfirmed carried-over values and unexplained warnings are errors too). ``comparison`` may be
    given when it was read for many reports at once (:class:`Comparisons`), and ``branch_rows``
    when the report's rows are at hand (a batch of reports checked before they are written).
    """
    if comparison is None:
        comparison = comparison_for(report.campaign, report.school_id)
    branches = services.branch_values(report, branch_rows)
    return check_report(
        services.report_values(report) or {},
        previous=comparison.previous,
        branches=branches,
        for_submission=for_submission,
        unconfirmed=report.unconfirmed_fields,
        explanations=report.warning_notes,
        registry_pilot_site=comparison.registry_pilot_site,
        raw_input=report.raw_input,
        vendor_figures=comparison.vendor,
    )


def check_input(
    *,
    campaign: Campaign,
    school_id: int | None,
    values: dict,
    branches: Mapping[int, dict] | None = None,
    report: SchoolReport | None = None,
    confirmed: Iterable[str] = (),
    explanations: Mapping[str, str] | None = None,
    for_submission: bool = False,
    comparison: Comparison | None = None,
    raw_input: Mapping[str, str] | None = None,
) -> CheckResult:
    """Check values not saved yet: a posted form, or a row of an imported table.

    ``values`` maps model fields to values; ``branches`` maps branch id to its row's values. When the
    input changes an existing ``report``, the fields it still carries over unconfirmed (those neither
    confirmed nor changed by the input) and its explanations (updated by ``explanations``, warning
    code → text) count as they will be stored.
    """
    if comparison is None:
        comparison = (
            comparison_for(campaign, school_id)
            if school_id is not None
            else Comparisons(campaign, []).for_school(None)
        )
    return check_report(
        values,
        previous=comparison.previous,
        branches=[{"branch_id": bid, **vals} for bid, vals in (branches or {}).items()],
        for_submission=for_submission,
        unconfirmed=pending_unconfirmed(report, values, confirmed) if report is not None else [],
        explanations=merged_explanations(report.warning_notes if report else {}, explanations or {}),
        registry_pilot_site=comparison.registry_pilot_site,
        raw_input=dict(raw_input or {}),
        vendor_figures=comparison.vendor,
    )


def pending_unconfirmed(report: SchoolReport, values: Mapping, confirmed: Iterable[str]) -> list[str]:
    """The report's carried-over fields the input neither confirms nor changes."""
    confirmed = set(confirmed)
    return [
        name
        for name in report.unconfirmed_fields
        if name not in confirmed and values.get(name) == getattr(report, name)
    ]


def merged_explanations(stored: Mapping[str, dict], typed: Mapping[str, str]) -> dict[str, dict]:
    """Stored explanations with the typed ones applied (an emptied text removes the explanation)."""
    merged = dict(stored)
    for code, text in typed.items():
        text = (text or "").strip()
        if text:
            merged[code] = {**(merged.get(code) or {}), "text": text}
        else:
            merged.pop(code, None)
    return merged
