"""The bodies of the two dashboard tables, rendered in one pass.

The region table has a row per municipality (2 000 at national scale), the municipality table a row
per school (1 300 in the largest). A template node costs microseconds, and these rows have a dozen
cells each, so the rows are written here from fixed HTML patterns: the same markup the templates
used, every text escaped, numbers grouped as the ``num`` and ``pct`` filters do.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from accounts.templatetags.ui import num, pct

register = template.Library()

_PK = 2_147_483_647  # a placeholder id in reversed URLs, replaced by each row's id


def _url_pattern(name: str, *args) -> tuple[str, str]:
    url = reverse(name, args=[*args, _PK])
    head, _, tail = url.rpartition(str(_PK))
    return escape(head), escape(tail)


def whole(value) -> str:
    """``num`` for a count: «1 234» (a no-break space between thousands)."""
    if type(value) is int:
        return f"{value:,}".replace(",", "\xa0")
    return escape(str(num(value)))


def percent(value) -> str:
    """``pct`` for a share: «83,2%»."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{round(float(value), 1):.1f}".replace(".", ",") + "%"
    return escape(str(pct(value)))


REGION_ROW = (
    '<tr><td><a href="{head}{pk}{tail}">{name}</a></td>'
    '<td class="num">{expected}</td><td class="num">{not_started}</td><td class="num">{draft}</td>'
    '<td class="num">{submitted}</td><td class="num">{returned}</td><td class="num">{approved}</td>'
    '<td class="num">{pct}</td><td class="num">{on_time}</td><td class="num">{late}</td>'
    '<td><span class="badge badge-mun-{state}">{state_label}</span></td></tr>\n'
)
REGION_EMPTY = '<tr><td colspan="11">Нет данных.</td></tr>'


@register.simple_tag
def region_rows(rows, campaign) -> SafeString:
    """The rows of the region table (``dashboard.Row``), each linking to its municipality."""
    if not rows:
        return mark_safe(REGION_EMPTY)
    head, tail = _url_pattern("monitoring:municipality_dashboard", campaign.slug)
    labels: dict[str, str] = {}
    html = []
    for row in rows:
        label = labels.get(row.state)
        if label is None:
            label = labels[row.state] = escape(str(row.state_label))
        html.append(
            REGION_ROW.format(
                head=head,
                pk=int(row.pk),
                tail=tail,
                name=escape(row.name),
                expected=whole(row.expected),
                not_started=whole(row.not_started),
                draft=whole(row.draft),
                submitted=whole(row.submitted),
                returned=whole(row.returned),
                approved=whole(row.approved),
                pct=percent(row.pct),
                on_time=whole(row.on_time),
                late=whole(row.late),
                state=escape(row.state),
                state_label=label,
            )
        )
    return mark_safe("".join(html))  # noqa: S308 — every value above is escaped


SCHOOL_CHECKBOX = (
    '<td><input class="form-check-input" type="checkbox" name="report" value="{report_pk}" '
    'aria-label="Выбрать {name}"></td>'
)
SCHOOL_ROW = (
    '<tr>{check}<td><a href="{head}{pk}{tail}">{name}</a></td>'
    "<td>{badge}</td><td>{updated}</td>"
    '<td class="num">{warnings}</td><td>{late}</td></tr>\n'
)
STATE_BADGE = '<span class="badge badge-state-{status}">{label}</span>'
NOT_STARTED_BADGE = '<span class="badge text-bg-light border">не начат</span>'
LATE = '<span class="badge text-bg-warning">с опозданием</span>'
SCHOOL_EMPTY = '<tr><td colspan="6">Нет организаций.</td></tr>'


@register.simple_tag
def school_rows(rows, campaign, selectable: bool = False) -> SafeString:
    """The rows of the municipality table (``dashboard.SchoolRow``); ``selectable``: a checkbox
    column for bulk approval, ticked only beside reports under review."""
    if not rows:
        return mark_safe(SCHOOL_EMPTY)
    head, tail = _url_pattern("monitoring:report", campaign.slug)
    badges: dict[str, str] = {}
    html = []
    for row in rows:
        name = escape(row.school.short_name)
        report = row.report
        check = ""
        if selectable:
            check = (
                SCHOOL_CHECKBOX.format(report_pk=int(report.pk), name=name)
                if report is not None and report.status == "submitted"
                else "<td></td>"
            )
        if report is None:
            badge, updated = NOT_STARTED_BADGE, "—"
        else:
            if report.status not in badges:
                badges[report.status] = STATE_BADGE.format(
                    status=escape(report.status), label=escape(str(report.get_status_display()))
                )
            badge = badges[report.status]
            updated = timezone.localtime(report.updated_at).strftime("%d.%m.%Y %H:%M")
        html.append(
            SCHOOL_ROW.format(
                check=check,
                head=head,
                pk=int(row.school.pk),
                tail=tail,
                name=name,
                badge=badge,
                updated=updated,
                warnings=whole(row.warnings),
                late=LATE if row.late else "в срок",
            )
        )
    return mark_safe("".join(html))  # noqa: S308 — every value above is escaped
