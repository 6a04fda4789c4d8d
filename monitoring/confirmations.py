"""What an irreversible step will do, in numbers, for the confirmation dialog.

Each function reads the current state and returns the sentence shown before the step; the
views pass it to the page, and the form carries a «Подтверждаю» checkbox when scripts are off.
"""

from django.db.models import Count, Q

from core.russian import agree, num, orgs, orgs_genitive, verb_for, word_for

from .models import Campaign, ReportStatus, SchoolReport
from .presenters import required_progress
from .selectors import report_values

MSG_CONFIRM_REQUIRED = "Действие не выполнено: подтвердите его (отметьте «Подтверждаю»)."


def reports(n: int) -> str:
    return agree(n, "отчёт")


def _municipality_counts(campaign: Campaign, municipality) -> dict:
    participants = campaign.participants.filter(municipality=municipality)
    counts = SchoolReport.objects.filter(campaign=campaign, school__in=participants).aggregate(
        total=Count("id"),
        submitted=Count("id", filter=Q(status=ReportStatus.SUBMITTED)),
        approved=Count("id", filter=Q(status=ReportStatus.APPROVED)),
    )
    counts["schools"] = participants.count()
    counts["not_approved"] = counts["schools"] - counts["approved"]
    return counts


def _on_review(submitted: int) -> str:
    return (
        f"; {num(submitted)} из них ещё на проверке и "
        f"{verb_for(submitted, 'будет заблокирован', 'будут заблокированы')}"
    )


def report_submit_text(report: SchoolReport) -> str:
    filled, total = required_progress(
        report_values(report), [row.system_id for row in report.branch_rows.all()]
    )
    return (
        f"Отчёт «{report.school.short_name}» будет отправлен на проверку (заполнено обязательных полей: "
        f"{num(filled)} из {num(total)}). После отправки изменить его нельзя, "
        "пока проверяющий не вернёт его на доработку."
    )


def report_approve_text(report: SchoolReport) -> str:
    return (
        f"Отчёт «{report.school.short_name}» будет принят и заблокирован: изменить его можно будет, "
        "только вернув на доработку."
    )


def bulk_approve_forms(on_review: int) -> dict[str, str]:
    """Texts for «{n}» chosen reports (the page picks the form for the number ticked)."""
    tail = f" из {num(on_review)} на проверке. Принятые отчёты изменить нельзя, пока их не вернут."
    return {
        key: f"{verb_for(n, 'Будет принят', 'Будут приняты')} {{n}} {word_for(n, 'отчёт')}{tail}"
        for key, n in (("one", 1), ("few", 2), ("many", 5))
    }


def bulk_approve_text(n: int, on_review: int) -> str:
    tail = f" из {num(on_review)} на проверке. Принятые отчёты изменить нельзя, пока их не вернут."
    return f"{verb_for(n, 'Будет принят', 'Будут приняты')} {agree(n, 'отчёт')}{tail}"


def municipality_submit_text(campaign: Campaign, municipality, counts: dict | None = None) -> str:
    c = counts or _municipality_counts(campaign, municipality)
    text = f"{verb_for(c['total'], 'Будет передан', 'Будут переданы')} в РЦРО {reports(c['total'])}"
    if c["submitted"]:
        text += _on_review(c["submitted"])
    if c["not_approved"]:
        text += f"; без принятого отчёта — {orgs(c['not_approved'])}, их нужно перечислить и указать причину"
    return text + ". После передачи отчёты МОУО изменить нельзя, пока РЦРО не вернёт данные."


def municipality_accept_text(campaign: Campaign, municipality, counts: dict | None = None) -> str:
    c = counts or _municipality_counts(campaign, municipality)
    text = (
        f"{verb_for(c['total'], 'Будет принят', 'Будут приняты')} {reports(c['total'])} МОУО «{municipality}» "
        f"(принято специалистом: {num(c['approved'])} из {orgs_genitive(c['schools'])})"
    )
    if c["submitted"]:
        text += _on_review(c["submitted"])
    return text + ". Изменить данные можно будет, только вернув их на доработку."


def confirmed(request) -> bool:
    return request.POST.get("confirm") == "1"


def municipality_page(campaign: Campaign, municipality, rows, counts: dict | None = None) -> dict:
    """The confirmation texts of the municipality dashboard's steps; ``counts``: the figures when
    the page has them already (every school listed), else they are read."""
    on_review = sum(
        1 for row in rows if row.report is not None and row.report.status == ReportStatus.SUBMITTED
    )
    counts = counts or _municipality_counts(campaign, municipality)
    return {
        "submit": municipality_submit_text(campaign, municipality, counts),
        "accept": municipality_accept_text(campaign, municipality, counts),
        "bulk": bulk_approve_forms(on_review),
        "bulk_all": bulk_approve_text(on_review, on_review),
    }


def report_page(report: SchoolReport | None) -> dict:
    """The confirmation texts of the report page's steps."""
    if report is None:
        return {}
    return {"submit_confirm": report_submit_text(report), "approve_confirm": report_approve_text(report)}
