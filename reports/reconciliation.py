"""Reconciliation of the pilot-site registry (projects) with a monitoring campaign's reports
(column 5 — the system, column 21 — «pilot site»). It reads both apps, so it lives above them."""

from dataclasses import dataclass

from monitoring.models import Campaign, SchoolReport
from projects.models import PilotSite, Project
from schools.models import Municipality, School

TESH_CODE = "tesh"


class Discrepancy:
    """Kinds of disagreement between the registry and the monitoring reports."""

    CLAIMED_WITHOUT_AGREEMENT = "claimed_without_agreement"
    DENIED_BY_REPORT = "denied_by_report"
    TESH_NOT_REGISTERED = "tesh_not_registered"
    SYSTEM_CHANGED = "system_changed"

    LABELS = {
        CLAIMED_WITHOUT_AGREEMENT: "ПВП по отчёту, соглашения нет",
        DENIED_BY_REPORT: "ПВП по реестру, в отчёте «нет»",
        TESH_NOT_REGISTERED: "пользователь ТЭШ вне реестра",
        SYSTEM_CHANGED: "сменилась система",
    }
    ORDER = (CLAIMED_WITHOUT_AGREEMENT, DENIED_BY_REPORT, TESH_NOT_REGISTERED, SYSTEM_CHANGED)


MSG_CLAIMED_WITHOUT_AGREEMENT = (
    "В отчёте указано, что организация является ПВП (графа 21 — «да»), но действующего соглашения "
    "в реестре на {date} нет."
)
MSG_DENIED_BY_REPORT = (
    "По реестру организация — ПВП ({agreement}, с {joined}), а в отчёте указано «не является ПВП» "
    "(графа 21 — «нет»)."
)
MSG_TESH_NOT_REGISTERED = (
    "Организация работает в системе «{system}», но не зарегистрирована как ПВП: по трёхстороннему "
    "соглашению каждая ОО, использующая ТЭШ, — проектно-внедренческая площадка."
)
MSG_SYSTEM_CHANGED = (
    "Сменилась система: в реестре ПВП — {site_system}, в отчёте — {report_system}. "
    "Уточните условия соглашения или оформите выход из сети."
)


@dataclass
class ReconciliationRow:
    kind: str
    message: str
    school: School
    municipality: Municipality
    report: SchoolReport
    site: PilotSite | None = None

    @property
    def kind_label(self) -> str:
        return Discrepancy.LABELS[self.kind]


def reconciliation(project: Project, campaign: Campaign) -> list[ReconciliationRow]:
    """Compare the registry on the campaign's «as of» date with the campaign's reports (2 queries)."""
    active = (
        PilotSite.objects.filter(project=project)
        .active_on(campaign.as_of)
        .select_related("system")
        .order_by()
    )
    sites = {site.school_id: site for site in active}
    reports = (
        SchoolReport.objects.filter(campaign=campaign)
        .select_related("school__municipality", "system")
        .order_by("school__municipality__sort_order", "school__short_name")
    )
    rows: list[ReconciliationRow] = []
    as_of = campaign.as_of.strftime("%d.%m.%Y")
    for report in reports:
        site = sites.get(report.school_id)
        found = []
        if report.pilot_site == SchoolReport.PilotSite.YES and site is None:
            found.append(
                (Discrepancy.CLAIMED_WITHOUT_AGREEMENT, MSG_CLAIMED_WITHOUT_AGREEMENT.format(date=as_of))
            )
        if site is not None and report.pilot_site == SchoolReport.PilotSite.NO:
            found.append(
                (
                    Discrepancy.DENIED_BY_REPORT,
                    MSG_DENIED_BY_REPORT.format(
                        agreement=_agreement(site), joined=site.joined_on.strftime("%d.%m.%Y")
                    ),
                )
            )
        if site is None and report.system_id and report.system.code == TESH_CODE:
            found.append(
                (
                    Discrepancy.TESH_NOT_REGISTERED,
                    MSG_TESH_NOT_REGISTERED.format(system=report.system.short_name),
                )
            )
        if site is not None and report.system_id and report.system_id != site.system_id:
            found.append(
                (
                    Discrepancy.SYSTEM_CHANGED,
                    MSG_SYSTEM_CHANGED.format(site_system=site.system.name, report_system=report.system.name),
                )
            )
        for kind, message in found:
            rows.append(
                ReconciliationRow(
                    kind=kind,
                    message=message,
                    school=report.school,
                    municipality=report.school.municipality,
                    report=report,
                    site=site,
                )
            )
    return rows


def _agreement(site: PilotSite) -> str:
    text = site.get_agreement_type_display().split(" (")[0] + " соглашение"
    if site.agreement_number:
        text += f" № {site.agreement_number}"
    if site.agreement_date:
        text += f" от {site.agreement_date.strftime('%d.%m.%Y')}"
    return text


def reconciliation_counts(rows: list[ReconciliationRow]) -> list[dict]:
    """How many rows of each kind, in the fixed order of kinds."""
    counts = dict.fromkeys(Discrepancy.ORDER, 0)
    for row in rows:
        counts[row.kind] += 1
    return [
        {"kind": kind, "label": Discrepancy.LABELS[kind], "count": counts[kind]} for kind in Discrepancy.ORDER
    ]
