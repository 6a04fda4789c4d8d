"""Reviewers' remarks on single fields and branch rows of a returned report.

``comments_from_post`` reads them from the return form; ``report_comments_add`` keeps them with
the return; ``report_comments_resolve`` marks them resolved when the report is submitted again.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import capfirst

from .columns import COLUMN_OF_FIELD
from .models import ReportComment, SchoolReport, WorkflowEvent
from .services import VALUE_FIELDS

FIELD_PREFIX = "fc__"
BRANCH_PREFIX = "fcb__"
MAX_COMMENT_LENGTH = 2000
MSG_SEE_FIELD_COMMENTS = "См. замечания к полям ({count})."


@dataclass(frozen=True)
class FieldComment:
    field: str  # a SchoolReport field name, or "" for a branch row
    branch_id: int | None
    text: str


def _commentable_fields() -> set[str]:
    return {name for name in VALUE_FIELDS if name in COLUMN_OF_FIELD or name == "system"}


def comments_from_post(post, branch_ids=()) -> list[FieldComment]:
    """Non-empty remarks from the return form: ``fc__<field>`` and ``fcb__<branch id>``.

    Unknown fields and foreign branches are ignored, so a tampered form cannot attach a remark
    to something that is not in the report.
    """
    allowed_fields = _commentable_fields()
    allowed_branches = {int(b) for b in branch_ids}
    items = []
    for key in sorted(post.keys()):
        text = (post.get(key) or "").strip()[:MAX_COMMENT_LENGTH]
        if not text:
            continue
        if key.startswith(FIELD_PREFIX) and key[len(FIELD_PREFIX) :] in allowed_fields:
            items.append(FieldComment(key[len(FIELD_PREFIX) :], None, text))
        elif key.startswith(BRANCH_PREFIX) and key[len(BRANCH_PREFIX) :].isdigit():
            branch_id = int(key[len(BRANCH_PREFIX) :])
            if branch_id in allowed_branches:
                items.append(FieldComment("", branch_id, text))
    return items


def report_comments_add(*, report: SchoolReport, user, items, event: WorkflowEvent | None = None) -> list:
    """Keep the remarks of a return (called inside the return's transaction)."""
    created = []
    for item in items:
        comment = ReportComment(
            report=report,
            field=item.field,
            branch_id=item.branch_id,
            text=item.text,
            author=user,
            event=event,
        )
        comment._history_user = user
        comment.save()
        created.append(comment)
    return created


def report_comments_resolve(*, report: SchoolReport, user) -> int:
    """Mark the report's open remarks resolved (called inside the submit's transaction)."""
    now = timezone.now()
    count = 0
    for comment in ReportComment.objects.filter(report=report, resolved_at__isnull=True):
        comment.resolved_at = now
        comment.resolved_by = user
        comment._history_user = user
        comment.save(update_fields=["resolved_at", "resolved_by"])
        count += 1
    return count


def reports_comments_resolve(*, report_ids, user) -> int:
    """:func:`report_comments_resolve` for many reports at once (a loaded table is handed in):
    one read and one batched update with the history records."""
    from simple_history.utils import bulk_update_with_history

    from accounts.history import bulk_history_attrs

    ids = list(report_ids)
    if not ids:
        return 0
    now = timezone.now()
    comments = list(ReportComment.objects.filter(report_id__in=ids, resolved_at__isnull=True))
    for comment in comments:
        comment.resolved_at = now
        comment.resolved_by = user
    if comments:
        bulk_update_with_history(
            comments,
            ReportComment,
            ["resolved_at", "resolved_by"],
            default_user=user,
            custom_historical_attrs=bulk_history_attrs(ReportComment) or None,
        )
    return len(comments)


# --- Reads ---------------------------------------------------------------------------------------


def comment_label(comment: ReportComment, branch_names: dict[int, str] | None = None) -> str:
    if comment.branch_id:
        name = (branch_names or {}).get(comment.branch_id) or (comment.branch.name if comment.branch else "")
        return f"Филиал «{name}»"
    if comment.field == "system":
        return "Графа 5: система"
    column = COLUMN_OF_FIELD.get(comment.field)
    label = capfirst(SchoolReport._meta.get_field(comment.field).verbose_name)
    return f"Графа {column}: {label}" if column else label


def report_comments(report: SchoolReport | None) -> dict:
    """Template context: open remarks by field and by branch, the open list and the full history."""
    if report is None or report.pk is None:
        return {"field_comments": {}, "branch_comments": {}, "open_comments": [], "all_comments": []}
    comments = list(
        ReportComment.objects.filter(report=report).select_related("author", "resolved_by", "branch")
    )
    by_field: dict[str, list] = {}
    by_branch: dict[int, list] = {}
    open_comments = []
    for comment in comments:
        comment.label = comment_label(comment)
        comment.anchor = f"branch-{comment.branch_id}-system" if comment.branch_id else f"row-{comment.field}"
        if comment.resolved_at is None:
            open_comments.append(comment)
            if comment.branch_id:
                by_branch.setdefault(comment.branch_id, []).append(comment)
            else:
                by_field.setdefault(comment.field, []).append(comment)
    return {
        "field_comments": by_field,
        "branch_comments": by_branch,
        "open_comments": open_comments,
        "all_comments": comments,
    }
