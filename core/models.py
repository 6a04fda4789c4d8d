"""Abstract models and choices shared by the review workflows of several apps (no tables here)."""

from django.conf import settings
from django.db import models


class ReportStatus(models.TextChoices):
    """The states of a report under review: the school report and the pilot site's report."""

    DRAFT = "draft", "черновик"
    SUBMITTED = "submitted", "на проверке"
    APPROVED = "approved", "принят"
    RETURNED = "returned", "возвращён на доработку"


class TransitionLog(models.Model):
    """An audit entry of a state change: from, to, who, when and the comment."""

    from_state = models.CharField("было", max_length=16, blank=True)
    to_state = models.CharField("стало", max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто",
    )
    comment = models.TextField("комментарий", blank=True)
    created_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]
