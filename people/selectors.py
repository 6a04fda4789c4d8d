"""Reads of the people page: accounts in the acting user's scope and schools to invite for."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from accounts.access import can_manage_people, get_in_scope_or_404, people_q, school_q
from accounts.models import Invitation, Role, User
from monitoring.models import Campaign
from monitoring.selectors import SchoolContact, school_contacts
from schools.models import School


class PersonState:
    INVITED = "invited"
    ACTIVE = "active"
    NEVER_LOGGED_IN = "never"
    DEACTIVATED = "deactivated"

    LABELS = {
        INVITED: "приглашён",
        ACTIVE: "активен",
        NEVER_LOGGED_IN: "ни разу не входил",
        DEACTIVATED: "отключён",
    }
    CHOICES = list(LABELS.items())


def _open_invitations():
    return Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True)


_STATE_Q = {
    PersonState.DEACTIVATED: Q(is_active=False),
    PersonState.INVITED: Q(is_active=True, has_open_invitation=True),
    PersonState.NEVER_LOGGED_IN: Q(is_active=True, has_open_invitation=False, last_login__isnull=True),
    PersonState.ACTIVE: Q(is_active=True, has_open_invitation=False, last_login__isnull=False),
}


def person_state(person: User) -> str:
    """State of an account fetched through this module (``has_open_invitation`` annotated)."""
    if not person.is_active:
        return PersonState.DEACTIVATED
    if person.has_open_invitation:
        return PersonState.INVITED
    if person.last_login is None:
        return PersonState.NEVER_LOGGED_IN
    return PersonState.ACTIVE


def _people_qs(user) -> QuerySet[User]:
    return (
        User.objects.filter(people_q(user))
        .select_related("school__municipality", "municipality")
        .annotate(has_open_invitation=Exists(_open_invitations().filter(user=OuterRef("pk"))))
        .prefetch_related(Prefetch("invitations", queryset=_open_invitations(), to_attr="open_invitations"))
    )


def person_list(*, user, state: str = "", municipality_id=None, search: str = "") -> QuerySet[User]:
    """Accounts the user may see, with ``has_open_invitation`` and ``open_invitations`` attached."""
    qs = _people_qs(user)
    if state in _STATE_Q:
        qs = qs.filter(_STATE_Q[state])
    if municipality_id:
        qs = qs.filter(Q(school__municipality_id=municipality_id) | Q(municipality_id=municipality_id))
    search = " ".join((search or "").split())
    if search:
        qs = qs.filter(
            Q(last_name__icontains=search)
            | Q(first_name__icontains=search)
            | Q(username__icontains=search)
            | Q(email__icontains=search)
            | Q(school__short_name__icontains=search)
        )
    return qs.order_by("role", "school__municipality__sort_order", "school__short_name", "last_name", "pk")


def person_get(*, user, pk) -> User:
    """One account in the user's scope (404 otherwise)."""
    return get_in_scope_or_404(_people_qs(user), pk=pk)


def person_invitations(*, person: User) -> QuerySet[Invitation]:
    return person.invitations.select_related("created_by", "school").order_by("-created_at", "-pk")


def open_invitation(person: User) -> Invitation | None:
    invitations = getattr(person, "open_invitations", None)
    if invitations is None:
        invitations = list(_open_invitations().filter(user=person))
    return invitations[0] if invitations else None


def schools_for_coordinators(*, user) -> QuerySet[School]:
    """Schools a coordinator's account may be attached to by this user."""
    if not can_manage_people(user):
        return School.objects.none()
    return School.objects.filter(school_q(user), is_active=True).select_related("municipality")


# --- Whom to invite ---------------------------------------------------------------------------


class CandidateStatus:
    READY = "ready"
    HAS_COORDINATOR = "has_coordinator"
    INVITED = "invited"
    NO_EMAIL = "no_email"
    EMAIL_TAKEN = "email_taken"
    EMAIL_REPEATED = "email_repeated"

    LABELS = {
        READY: "можно пригласить",
        HAS_COORDINATOR: "есть активный координатор",
        INVITED: "приглашение отправлено, ответа нет",
        NO_EMAIL: "нет пригодного e-mail в отчёте (графы 23 и 7)",
        EMAIL_TAKEN: "адрес уже указан у другой учётной записи",
        EMAIL_REPEATED: "тот же адрес указан у другой организации в списке",
    }


@dataclass
class Candidate:
    school: School
    contact: SchoolContact
    status: str

    @property
    def status_label(self) -> str:
        return CandidateStatus.LABELS[self.status]


def campaign_schools_for_invitations(*, user, campaign: Campaign, municipality=None) -> QuerySet[School]:
    """Schools of the campaign (participants or with a report) in scope; ``user=None`` is the
    command line and sees the whole region."""
    qs = School.objects.all() if user is None else School.objects.filter(school_q(user))
    if user is not None and not can_manage_people(user):
        return School.objects.none()
    qs = qs.filter(Q(pk__in=campaign.participants.values("pk")) | Q(reports__campaign=campaign)).distinct()
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.select_related("municipality").order_by("municipality__sort_order", "short_name")


def coordinator_candidates(
    *, user, campaign: Campaign, municipality=None, school_ids=None
) -> list[Candidate]:
    """Each school of the campaign in scope, with its contact e-mail and whether to invite it.

    A constant number of queries, however many schools there are.
    """
    schools = campaign_schools_for_invitations(user=user, campaign=campaign, municipality=municipality)
    if school_ids is not None:
        schools = schools.filter(pk__in=list(school_ids))
    school_list = list(schools)
    ids = [s.pk for s in school_list]
    contacts = school_contacts(campaign=campaign, school_ids=ids)
    coordinators = (
        User.objects.filter(role=Role.COORDINATOR, is_active=True, school_id__in=ids)
        .annotate(has_open_invitation=Exists(_open_invitations().filter(user=OuterRef("pk"))))
        .values_list("school_id", "has_open_invitation")
    )
    active: set[int] = set()
    invited: set[int] = set()
    for school_id, has_open in coordinators:
        (invited if has_open else active).add(school_id)
    emails = {c.email for c in contacts.values() if c.email}
    taken = set(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", flat=True)
    )
    taken |= set(
        _open_invitations()
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", flat=True)
    )
    seen = set()
    result = []
    for school in school_list:
        contact = contacts.get(school.pk) or SchoolContact("", "", "")
        if school.pk in active:
            status = CandidateStatus.HAS_COORDINATOR
        elif school.pk in invited:
            status = CandidateStatus.INVITED
        elif not contact.email:
            status = CandidateStatus.NO_EMAIL
        elif contact.email in taken:
            status = CandidateStatus.EMAIL_TAKEN
        elif contact.email in seen:
            status = CandidateStatus.EMAIL_REPEATED
        else:
            status = CandidateStatus.READY
        if contact.email:
            seen.add(contact.email)
        result.append(Candidate(school=school, contact=contact, status=status))
    return result
