"""Thin views of the introduction programmes: scoped reads from selectors, writes through services,
refusals as Russian messages (nothing typed is lost: a refused form is shown again, filled)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from core.meta import field_label

from . import documents, selectors, services
from .forms import (
    ApplicationForm,
    ParticipantForm,
    ProgrammeEditForm,
    ProgrammeForm,
    ProgressReportForm,
    ReadinessForm,
    ReportingDateForm,
    ReturnForm,
    StageForm,
    TargetForm,
    TargetFormSet,
    default_targets,
    problem_formset,
    problem_rows,
)
from .models import Indicator, ProgressReport

MSG_NO_ROLE = (
    "Программы внедрения доступны координаторам организаций-участников, специалистам МОУО и методистам."
)
MSG_CREATED = "Программа создана."
MSG_SAVED = "Сохранено."
MSG_SUBMITTED = "Отчёт отправлен на проверку."
MSG_APPROVED = "Отчёт принят."
MSG_RETURNED = "Отчёт возвращён на доработку."
MSG_REGISTERED = "Заявление зарегистрировано."
MSG_FORM_ERRORS = "Исправьте ошибки в форме."
MSG_DELETED = {
    "stage": "Этап удалён.",
    "target": "Целевое значение удалено.",
    "date": "Дата отчёта удалена.",
}
MSG_CONFIRM_DELETE = "Подтвердите удаление: отметьте «Подтверждаю» и нажмите кнопку ещё раз."


def _may_create(user) -> bool:
    return user.is_regional or user.is_specialist


@login_required
def programme_list(request):
    user = request.user
    if not (user.is_regional or user.is_specialist or user.is_coordinator):
        raise PermissionDenied(MSG_NO_ROLE)
    mine = list(selectors.my_participation(user=user))
    if user.is_coordinator and len(mine) == 1:
        return redirect("programmes:participant", pk=mine[0].pk)
    return render(
        request,
        "programmes/programme_list.html",
        {"programmes": selectors.programme_list(user=user), "may_create": _may_create(user), "mine": mine},
    )


@login_required
def programme_create(request):
    user = request.user
    if not _may_create(user):
        raise PermissionDenied(services.MSG_ONLY_MANAGERS)
    bound = request.method == "POST"
    form = ProgrammeForm(request.POST if bound else None, request.FILES if bound else None, user=user)
    targets = TargetFormSet(request.POST if bound else None, prefix="target", initial=default_targets())
    if bound and form.is_valid() and targets.is_valid():
        data = form.cleaned_data
        try:
            programme = services.programme_create(
                municipality=data["municipality"],
                title=data["title"],
                order_number=data["order_number"],
                order_date=data["order_date"],
                order_file=data["order_file"],
                school_ids=[s.pk for s in data["schools"]],
                reporting_dates=data["reporting_dates"],
                targets=[
                    (t["indicator"], t["due_on"], t["min_percent"], t["max_percent"])
                    for t in targets.cleaned_data
                    if t and t.get("due_on")
                ],
                prefill_stages=data["prefill_stages"],
                user=user,
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, MSG_CREATED)
            return redirect("programmes:detail", pk=programme.pk)
    elif bound:
        messages.error(request, MSG_FORM_ERRORS)
    return render(
        request,
        "programmes/programme_form.html",
        {"form": form, "targets": targets},
        status=400 if bound else 200,
    )


@login_required
def programme_detail(request, pk):
    user = request.user
    programme = selectors.programme_get(user=user, pk=pk)
    entries, dates, reports = selectors.report_grid(user=user, programme=programme)
    manager = services.manages(user, programme.municipality_id)
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "stages": selectors.stages(programme),
            "targets": programme.targets.all(),
            "entries": entries,
            "dates": dates,
            "grid": [
                (entry, [(date, reports.get((entry.pk, date.pk))) for date in dates]) for entry in entries
            ],
            "manager": manager,
            # Prefixed: the three forms share a page (and field names such as due_on).
            "stage_form": StageForm(prefix="stage"),
            "target_form": TargetForm(prefix="target"),
            "date_form": ReportingDateForm(prefix="date"),
        },
    )


@login_required
@require_POST
def programme_add(request, pk, what):
    """A manager adds a stage, a target or a reporting date."""
    programme = selectors.programme_get(user=request.user, pk=pk)
    forms_by_kind = {"stage": StageForm, "target": TargetForm, "date": ReportingDateForm}
    if what not in forms_by_kind:
        raise PermissionDenied
    form = forms_by_kind[what](request.POST, prefix=what)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("programmes:detail", pk=programme.pk)
    data = form.cleaned_data
    try:
        if what == "stage":
            services.stage_add(programme_id=programme.pk, user=request.user, **data)
        elif what == "target":
            if data.get("due_on") is None:
                raise ServiceError(services.MSG_TARGET_RANGE)
            services.target_add(programme_id=programme.pk, user=request.user, **data)
        else:
            services.reporting_date_add(programme_id=programme.pk, user=request.user, **data)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, MSG_SAVED)
    return redirect("programmes:detail", pk=programme.pk)


@login_required
def programme_edit(request, pk):
    """A manager changes the order (number, date, file) and the participating schools."""
    user = request.user
    programme = selectors.programme_get(user=user, pk=pk)
    if not services.manages(user, programme.municipality_id):
        raise PermissionDenied(services.MSG_ONLY_MANAGERS)
    bound = request.method == "POST"
    form = ProgrammeEditForm(
        request.POST if bound else None, request.FILES if bound else None, programme=programme
    )
    if bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.programme_update(
                programme_id=programme.pk,
                user=user,
                title=data["title"],
                order_number=data["order_number"],
                order_date=data["order_date"],
                order_file=data["order_file"] or None,
                clear_order_file=data["order_file"] is False,
                school_ids=[s.pk for s in data["schools"]],
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, MSG_SAVED)
            return redirect("programmes:detail", pk=programme.pk)
    elif bound:
        messages.error(request, MSG_FORM_ERRORS)
    return render(
        request,
        "programmes/programme_edit.html",
        {"programme": programme, "form": form},
        status=400 if bound else 200,
    )


@login_required
@require_POST
def programme_remove(request, pk, what, item_pk):
    """A manager deletes a stage, a target or a reporting date (after confirming)."""
    programme = selectors.programme_get(user=request.user, pk=pk)
    if what not in MSG_DELETED:
        raise PermissionDenied
    if not services.manages(request.user, programme.municipality_id):
        raise PermissionDenied(services.MSG_ONLY_MANAGERS)
    related = {"stage": programme.stages, "target": programme.targets, "date": programme.reporting_dates}
    if not related[what].filter(pk=item_pk).exists():
        raise Http404("Объект не найден или недоступен.")
    if request.POST.get("confirm") != "1":
        messages.error(request, MSG_CONFIRM_DELETE)
        return redirect("programmes:detail", pk=programme.pk)
    try:
        if what == "stage":
            services.stage_delete(stage_id=item_pk, user=request.user)
        elif what == "target":
            services.target_delete(target_id=item_pk, user=request.user)
        else:
            services.reporting_date_delete(reporting_date_id=item_pk, user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, MSG_DELETED[what])
    return redirect("programmes:detail", pk=programme.pk)


@login_required
def stage_edit(request, pk):
    """A manager sets a stage's content and deadline (the prefilled stages come without dates)."""
    stage = selectors.stage_get(user=request.user, pk=pk)
    if not services.manages(request.user, stage.programme.municipality_id):
        raise PermissionDenied(services.MSG_ONLY_MANAGERS)
    initial = {"phase": stage.phase, "title": stage.title, "content": stage.content, "due_on": stage.due_on}
    form = StageForm(request.POST if request.method == "POST" else None, initial=initial)
    form.fields["phase"].disabled = True
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.stage_update(
                    stage_id=stage.pk,
                    user=request.user,
                    title=data["title"],
                    content=data["content"],
                    due_on=data["due_on"],
                )
            except ServiceError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, MSG_SAVED)
                return redirect("programmes:detail", pk=stage.programme_id)
        else:
            status = 400
    return render(
        request,
        "programmes/stage_form.html",
        {"stage": stage, "programme": stage.programme, "form": form},
        status=status,
    )


@login_required
def readiness_matrix(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    entries, marks = selectors.readiness_matrix(user=request.user, programme=programme)
    groups = selectors.readiness_groups()
    conditions = [c for _code, _label, items in groups for c in items]
    rows = [(entry, [marks.get((entry.pk, c.code)) for c in conditions]) for entry in entries]
    return render(
        request,
        "programmes/readiness_matrix.html",
        {"programme": programme, "groups": groups, "conditions": conditions, "rows": rows},
    )


@login_required
def participant_detail(request, pk):
    """A school in a programme: its reports by date, readiness and register (own school, reviewers)."""
    user = request.user
    entry = selectors.participant_get(user=user, pk=pk)
    own = services.is_own_coordinator(user, entry)
    reports = selectors.reports_of_participant(participant=entry)
    dates = selectors.reporting_dates(entry.programme)
    today = timezone.localdate()
    if request.method == "POST":
        form = ParticipantForm(request.POST)
        if form.is_valid():
            try:
                services.participant_update(participant_id=entry.pk, user=user, **form.cleaned_data)
            except ServiceError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, MSG_SAVED)
                return redirect("programmes:participant", pk=entry.pk)
    else:
        form = ParticipantForm(initial={"director_name": entry.director_name, "system": entry.system_id})
    return render(
        request,
        "programmes/participant_detail.html",
        {
            "entry": entry,
            "programme": entry.programme,
            "own": own,
            "may_edit_entry": own or services.manages(user, entry.programme.municipality_id),
            "rows": [(date, reports.get(date.pk), date.on_date < today) for date in dates],
            "form": form,
        },
    )


@login_required
def readiness_edit(request, pk):
    user = request.user
    entry = selectors.participant_get(user=user, pk=pk)
    own = services.is_own_coordinator(user, entry)
    marks = selectors.readiness_of(entry)
    form = ReadinessForm(request.POST if request.method == "POST" else None, marks=marks)
    if request.method == "POST":
        if not own:
            raise PermissionDenied(services.MSG_ONLY_COORDINATOR)
        if form.is_valid():
            try:
                services.readiness_save(participant_id=entry.pk, marks=form.marks(), user=user)
            except ServiceError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, MSG_SAVED)
                return redirect("programmes:readiness", pk=entry.pk)
    groups = [
        (label, [(c, form[f"met_{c.code}"], form[f"note_{c.code}"], marks.get(c.code)) for c in items])
        for _code, label, items in selectors.readiness_groups()
    ]
    return render(
        request,
        "programmes/readiness_edit.html",
        {"entry": entry, "programme": entry.programme, "own": own, "form": form, "groups": groups},
    )


@login_required
def applications(request, pk):
    user = request.user
    entry = selectors.participant_get(user=user, pk=pk)
    own = services.is_own_coordinator(user, entry)
    form = ApplicationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not own:
            raise PermissionDenied(services.MSG_ONLY_COORDINATOR)
        if form.is_valid():
            try:
                services.application_register(participant_id=entry.pk, user=user, **form.cleaned_data)
            except ServiceError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, MSG_REGISTERED)
                return redirect("programmes:applications", pk=entry.pk)
        else:
            status = 400
    rows = list(selectors.applications(participant=entry))
    return render(
        request,
        "programmes/applications.html",
        {"entry": entry, "programme": entry.programme, "own": own, "form": form, "rows": rows},
        status=status,
    )


@login_required
def application_form(request, pk):
    entry = selectors.participant_get(user=request.user, pk=pk)
    response = HttpResponse(documents.application_form_docx(entry), content_type=documents.DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="zayavlenie-{entry.school_id}.docx"'
    return response


@login_required
@require_POST
def report_start(request, pk, date_pk):
    entry = selectors.participant_get(user=request.user, pk=pk)
    try:
        report = services.progress_report_start(
            participant_id=entry.pk, reporting_date_id=date_pk, user=request.user
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("programmes:participant", pk=entry.pk)
    return redirect("programmes:report_edit", pk=report.pk)


def _report_context(user, report, **extra):
    return {
        "report": report,
        "entry": report.participant,
        "programme": report.participant.programme,
        "actions": services.progress_report_actions(user=user, report=report),
        "log": list(selectors.report_log(report=report)),
        **extra,
    }


@login_required
def report_detail(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    fields = [
        (field_label(ProgressReport, name), report.system if name == "system" else getattr(report, name))
        for name in services.REPORT_FIELDS
    ]
    return render(
        request,
        "programmes/report_detail.html",
        _report_context(
            request.user,
            report,
            fields=fields,
            problems=list(report.problem_rows.all()),
            return_form=ReturnForm(),
        ),
    )


@login_required
def report_edit(request, pk):
    user = request.user
    report = selectors.report_get(user=user, pk=pk)
    actions = services.progress_report_actions(user=user, report=report)
    actions.require_right("edit", services.MSG_ONLY_COORDINATOR)
    if not actions.may("edit"):
        messages.warning(request, actions.reason("edit"))
        return redirect("programmes:report", pk=report.pk)
    bound = request.method == "POST"
    form = ProgressReportForm(request.POST if bound else None, instance=report)
    problems = problem_formset(request.POST if bound else None, report=report)
    status = 200
    if bound:
        if form.is_valid() and problems.is_valid():
            values = {name: form.cleaned_data[name] for name in services.REPORT_FIELDS}
            try:
                services.progress_report_save(
                    report_id=report.pk,
                    user=user,
                    values=values,
                    expected_version=parse_int(request.POST.get("version")),
                    problems=problem_rows(problems),
                )
                if request.POST.get("action") == "submit":
                    services.progress_report_submit(report_id=report.pk, user=user)
            except ServiceError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(
                    request, MSG_SUBMITTED if request.POST.get("action") == "submit" else MSG_SAVED
                )
                return redirect("programmes:report", pk=report.pk)
        else:
            status = 400
    register_count, _classes = services.register_counts(report.participant_id, report.reporting_date.on_date)
    return render(
        request,
        "programmes/report_edit.html",
        _report_context(
            user,
            report,
            form=form,
            problems=problems,
            register_count=register_count,
            previous=services.previous_report(report.participant_id, report.reporting_date.on_date),
        ),
        status=status,
    )


def parse_date_or_none(value) -> datetime.date | None:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value or "", fmt).date()
        except ValueError:
            continue
    return None


def parse_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def report_transition(request, pk, action):
    user = request.user
    report = selectors.report_get(user=user, pk=pk)
    actions = services.progress_report_actions(user=user, report=report)
    if action not in ("submit", "approve", "return"):
        raise PermissionDenied
    actions.require_right(action)
    try:
        if action == "submit":
            services.progress_report_submit(report_id=report.pk, user=user)
            messages.success(request, MSG_SUBMITTED)
        elif action == "approve":
            services.progress_report_approve(report_id=report.pk, user=user)
            messages.success(request, MSG_APPROVED)
        else:
            services.progress_report_return(
                report_id=report.pk, user=user, comment=request.POST.get("comment", "")
            )
            messages.success(request, MSG_RETURNED)
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("programmes:report", pk=report.pk)


@login_required
def progress(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    as_of = parse_date_or_none(request.GET.get("as_of")) or timezone.localdate()
    table = selectors.progress_table(user=request.user, programme=programme, as_of=as_of)
    if request.GET.get("format") == "xlsx":
        return documents.progress_xlsx(table)
    return render(request, "programmes/progress.html", {"programme": programme, "table": table})


@login_required
def summary(request):
    user = request.user
    if not (user.is_regional or user.is_specialist):
        raise PermissionDenied(MSG_NO_ROLE)
    as_of = parse_date_or_none(request.GET.get("as_of")) or timezone.localdate()
    return render(
        request,
        "programmes/summary.html",
        {"rows": selectors.region_summary(user=user, as_of=as_of), "as_of": as_of, "indicator": Indicator},
    )
