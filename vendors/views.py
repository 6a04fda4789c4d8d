"""The register of requests to the vendors: schools record, methodists group and answer, all export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import get_in_scope_or_404
from core.errors import ServiceError
from core.xlsx import xlsx_response
from schools.models import EdmsVendor

from . import selectors, services
from .forms import AnswerForm, FilterForm, GroupForm, RequestForm

MSG_CREATED = "Обращение № {pk} записано."
MSG_ANSWERED = "Ответ по обращению № {pk} записан."
MSG_GROUPED = "Обращение № {pk} отмечено как повтор."
MSG_UNGROUPED = "Отметка о повторе снята с обращения № {pk}."
EXPORT_HEADER = [
    "№",
    "Разработчик",
    "Система",
    "Модуль",
    "Вид",
    "Содержание",
    "Организация",
    "МОУО",
    "Дата",
    "Повторяет №",
    "Состояние",
    "Срок",
    "Ответ разработчика",
]


def _filtered(request):
    qs = selectors.vendor_requests(user=request.user)
    form = FilterForm(request.GET)
    if form.is_valid():
        if form.cleaned_data["vendor"]:
            qs = qs.filter(system__vendor_id=form.cleaned_data["vendor"])
        if form.cleaned_data["state"]:
            qs = qs.filter(state=form.cleaned_data["state"])
    return qs, form


@login_required
def request_list(request):
    qs, filters = _filtered(request)
    can_create = request.user.is_coordinator and request.user.school_id
    form = RequestForm(request.POST or None, systems=selectors.used_systems()) if can_create else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(services.MSG_REQUEST_ONLY_OWN_SCHOOL)
        if form.is_valid():
            try:
                item = services.vendor_request_create(
                    school=request.user.school, user=request.user, **form.cleaned_data
                )
            except ServiceError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, MSG_CREATED.format(pk=item.pk))
                return redirect("vendors:requests")
    return render(
        request,
        "vendors/request_list.html",
        {
            "requests": qs[:500],
            "filters": filters,
            "form": form,
            "vendors": EdmsVendor.objects.all(),
            "is_methodist": request.user.is_regional,
            "answer_form": AnswerForm(),
            "group_form": GroupForm(),
        },
    )


@login_required
def request_export(request):
    qs, _ = _filtered(request)
    rows = [
        [
            r.pk,
            r.system.vendor.short_name if r.system.vendor else "",
            r.system.name,
            r.module,
            r.get_kind_display(),
            r.text,
            r.school.short_name,
            r.school.municipality.name,
            r.created_at.strftime("%d.%m.%Y"),
            r.duplicate_of_id,
            r.get_state_display(),
            r.planned_on.strftime("%d.%m.%Y") if r.planned_on else "",
            r.answer,
        ]
        for r in qs
    ]
    return xlsx_response("obrashcheniya-razrabotchikam.xlsx", "Обращения", EXPORT_HEADER, rows)


@login_required
@require_POST
def request_answer(request, pk):
    item = get_in_scope_or_404(selectors.vendor_requests(user=request.user), pk=pk)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError("; ".join(str(e) for errors in form.errors.values() for e in errors))
        services.vendor_request_answer(request_id=item.pk, user=request.user, **form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, MSG_ANSWERED.format(pk=item.pk))
    return redirect("vendors:requests")


@login_required
@require_POST
def request_group(request, pk):
    item = get_in_scope_or_404(selectors.vendor_requests(user=request.user), pk=pk)
    form = GroupForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError("; ".join(str(e) for errors in form.errors.values() for e in errors))
        original = form.cleaned_data["duplicate_of"]
        services.vendor_request_group(request_id=item.pk, duplicate_of_id=original, user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    except services.VendorRequest.DoesNotExist:
        messages.error(request, services.MSG_DUPLICATE_CHAIN)
    else:
        messages.success(request, (MSG_GROUPED if original else MSG_UNGROUPED).format(pk=item.pk))
    return redirect("vendors:requests")
