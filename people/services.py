"""Inviting the coordinators of many schools at once, from the contacts in their reports."""

from dataclasses import dataclass, field

from accounts.models import Role, User
from accounts.services import InvitationError, invitation_create
from monitoring.models import Campaign

from .selectors import Candidate, CandidateStatus, coordinator_candidates


@dataclass
class InviteSummary:
    dry_run: bool
    invited: list[Candidate] = field(default_factory=list)
    already: list[Candidate] = field(default_factory=list)
    no_email: list[Candidate] = field(default_factory=list)
    skipped: list[tuple[Candidate, str]] = field(default_factory=list)


def coordinators_invite(
    *,
    campaign: Campaign,
    user: User | None,
    school_ids=None,
    municipality=None,
    dry_run: bool = False,
) -> InviteSummary:
    """Create an account and e-mail an invitation for every given school (``school_ids``; all
    schools in scope when None) that has no active coordinator yet.

    Schools with a coordinator or an open invitation are left alone, so running it again
    invites nobody twice. Each invitation is written in its own transaction: one refused address
    does not undo the others, and nothing of a refused one is kept. ``user=None`` means the
    command line (the whole region).
    """
    summary = InviteSummary(dry_run=dry_run)
    candidates = coordinator_candidates(
        user=user, campaign=campaign, municipality=municipality, school_ids=school_ids
    )
    for candidate in candidates:
        status = candidate.status
        if status in (CandidateStatus.HAS_COORDINATOR, CandidateStatus.INVITED):
            summary.already.append(candidate)
        elif status == CandidateStatus.NO_EMAIL:
            summary.no_email.append(candidate)
        elif status != CandidateStatus.READY:
            summary.skipped.append((candidate, candidate.status_label))
        elif dry_run:
            summary.invited.append(candidate)
        else:
            try:
                invitation_create(
                    email=candidate.contact.email,
                    role=Role.COORDINATOR,
                    school=candidate.school,
                    full_name=candidate.contact.name,
                    user=user,
                )
            except InvitationError as error:
                summary.skipped.append((candidate, str(error)))
            else:
                summary.invited.append(candidate)
    return summary
