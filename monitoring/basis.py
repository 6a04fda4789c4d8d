"""Which reports count: the basis on which the official table, the dashboards and the analytic
report compute their figures. One choice gives the same numbers everywhere."""

from django.db import models

from .models import ReportStatus


class Basis(models.TextChoices):
    ACCEPTED = "accepted", "по принятым отчётам"
    SUBMITTED = "submitted", "по принятым отчётам и отчётам на проверке"


DEFAULT_BASIS = Basis.ACCEPTED

_STATUSES = {
    Basis.ACCEPTED: (ReportStatus.APPROVED,),
    Basis.SUBMITTED: (ReportStatus.APPROVED, ReportStatus.SUBMITTED),
}


def basis_statuses(basis: str) -> tuple[str, ...]:
    """The report states counted on ``basis`` (drafts and returned reports never count)."""
    return tuple(str(s) for s in _STATUSES[Basis(basis)])
