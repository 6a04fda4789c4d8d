"""The people page: accounts of coordinators and specialists, invitations, deactivation."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import PersonAction, person_actions
from accounts.models import Role
from accounts.services import (
    InvitationError,
    coordinator_change_school,
    invitation_create,
    invitation_resend,
    invitation_revoke,
    user_activate,
    user_deactivate,
)
from core.russian import agree
from monitoring.selectors import campaign_get, campaign_list
from schools.models import Municipality

from .forms import ChangeSchoolForm, SpecialistInviteForm
from .selectors import (
    CandidateStatus,
    PersonState,
    coordinator_candidates,
    open_invitation,
    person_get,
    person_invitations,
    person_list,
    person_state,
    schools_for_coordinators,
)
from .services import coordinators_invite

PEOPLE_FORBIDDEN = "Страница «Люди» доступна специалистам МОУО и методистам РЦРО."
SPECIALIST_INVITE_FORBIDDEN = "Приглашать специалистов МОУО могут только методисты РЦРО."
NOTHING_SELECTED = "Не выбрано ни одной организации."
NO_CAMPAIGN = "Нет мониторинга, из отчётов которого можно взять адреса."
INVITED_SPECIALIST = "Приглашение отправлено на адрес {email}."
RESENT = "Приглашение отправлено повторно на адрес {email}; прежние ссылки больше не действуют."
REVOKED = "Приглашение отозвано."
DEACTIVATED = "Учётная запись «{person}» отключена."
ACTIVATED = "Учётная запись «{person}» включена."
SCHOOL_CHANGED = "Координатор «{person}» теперь привязан к организации «{school}»."

ACTION_SERVICES = {
    PersonAction.RESEND: "resend",
    PersonAction.REVOKE: "revoke",
    PersonAction.DEACTIVATE: "deactivate",
    PersonAction.ACTIVATE: "activate",
}


def _forbidden(request, message):
    return render(request, "people/forbidden.html", {"message": message}, status=403)


def people_manager_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.effective_role not in (Role.SPECIALIST, Role.METHODIST, Role.ADMIN) or not (
            request.user.is_active
        ):
            return _forbidden(request, PEOPLE_FORBIDDEN)
        return view(request, *args, **kwargs)

    return wrapped


def _with_state(people):
    for person in people:
        person.state = person_state(person)
        person.state_label = PersonState.LABELS[person.state]
        person.open_invitation = open_invitation(person)
    return people


@people_manager_required
def person_list_view(request):
    user = request.user
    state = request.GET.get("state", "")
    search = request.GET.get("q", "")
    municipality_id = request.GET.get("municipality", "") if user.is_regional else ""
    if not str(municipality_id).isdigit():
        municipality_id = ""
    people = _with_state(
        list(person_list(user=user, state=state, municipality_id=municipality_id or None, search=search))
    )
    return render(
        request,
        "people/person_list.html",
        {
            "people": people,
            "state": state,
            "search": search,
            "municipality_id": municipality_id,
            "states": PersonState.CHOICES,
            "municipalities": Municipality.objects.order_by("sort_order", "name") if user.is_regional else [],
        },
    )


@people_manager_required
def person_detail(request, pk):
    person = person_get(user=request.user, pk=pk)
    _with_state([person])
    actions = person_actions(user=request.user, person=person, open_invitation=person.open_invitation)
    form = None
    if PersonAction.CHANGE_SCHOOL in actions:
        form = ChangeSchoolForm(
            schools=schools_for_coordinators(user=request.user).exclude(pk=person.school_id)
        )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "actions": actions,
            "invitations": person_invitations(person=person),
            "school_form": form,
        },
    )


@require_POST
@people_manager_required
def person_action(request, pk, action):
    if action not in ACTION_SERVICES:
        raise Http404
    person = person_get(user=request.user, pk=pk)
    invitation = open_invitation(person)
    try:
        if action == PersonAction.RESEND:
            if invitation is None:
                raise InvitationError("Открытого приглашения нет.")
            invitation_resend(invitation=invitation, user=request.user)
            messages.success(request, RESENT.format(email=invitation.email))
        elif action == PersonAction.REVOKE:
            if invitation is None:
                raise InvitationError("Открытого приглашения нет.")
            invitation_revoke(invitation=invitation, user=request.user)
            messages.success(request, REVOKED)
        elif action == PersonAction.DEACTIVATE:
            user_deactivate(person=person, user=request.user)
            messages.success(request, DEACTIVATED.format(person=person))
        else:
            user_activate(person=person, user=request.user)
            messages.success(request, ACTIVATED.format(person=person))
    except InvitationError as error:
        messages.error(request, str(error))
    return redirect("people:person", pk=person.pk)


@require_POST
@people_manager_required
def person_change_school(request, pk):
    person = person_get(user=request.user, pk=pk)
    form = ChangeSchoolForm(request.POST, schools=schools_for_coordinators(user=request.user))
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect("people:person", pk=person.pk)
    school = form.cleaned_data["school"]
    try:
        coordinator_change_school(person=person, school=school, user=request.user)
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, SCHOOL_CHANGED.format(person=person, school=school.short_name))
    return redirect("people:person", pk=person.pk)


@people_manager_required
def invite_coordinators(request):
    user = request.user
    campaigns = list(campaign_list(user=user))
    if not campaigns:
        messages.error(request, NO_CAMPAIGN)
        return redirect("people:list")
    slug = request.POST.get("campaign") or request.GET.get("campaign") or campaigns[0].slug
    campaign = campaign_get(user=user, slug=slug)
    if request.method == "POST":
        if "all" in request.POST:
            school_ids = None
        else:
            school_ids = [v for v in request.POST.getlist("school") if v.isdigit()]
            if not school_ids:
                messages.error(request, NOTHING_SELECTED)
                return redirect(f"{request.path}?campaign={campaign.slug}")
        summary = coordinators_invite(campaign=campaign, user=user, school_ids=school_ids)
        if summary.invited:
            messages.success(
                request,
                "Отправлено: " + agree(len(summary.invited), "приглашение") + ".",
            )
        elif not summary.skipped:
            messages.info(
                request,
                "Новых приглашений нет: у выбранных организаций уже есть координатор или приглашение.",
            )
        if summary.no_email:
            messages.warning(
                request,
                "Нет пригодного e-mail в отчёте: "
                + ", ".join(c.school.short_name for c in summary.no_email)
                + ".",
            )
        for candidate, reason in summary.skipped:
            messages.error(request, f"{candidate.school.short_name}: {reason}")
        return redirect(f"{request.path}?campaign={campaign.slug}")
    candidates = coordinator_candidates(user=user, campaign=campaign)
    return render(
        request,
        "people/invite_coordinators.html",
        {
            "campaign": campaign,
            "campaigns": campaigns,
            "candidates": candidates,
            "ready": CandidateStatus.READY,
            "ready_count": sum(1 for c in candidates if c.status == CandidateStatus.READY),
        },
    )


@people_manager_required
def invite_specialist(request):
    if not request.user.is_regional:
        return _forbidden(request, SPECIALIST_INVITE_FORBIDDEN)
    form = SpecialistInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_create(
                email=form.cleaned_data["email"],
                role=Role.SPECIALIST,
                municipality=form.cleaned_data["municipality"],
                full_name=form.cleaned_data["full_name"],
                user=request.user,
            )
        except InvitationError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, INVITED_SPECIALIST.format(email=invitation.email))
            return redirect("people:person", pk=invitation.user_id)
    return render(request, "people/invite_specialist.html", {"form": form})
