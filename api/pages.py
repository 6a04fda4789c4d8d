"""Methodists' page of API keys: list with last use, issue (the key is shown once), revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from schools.models import EdmsVendor

from . import selectors, services
from .models import ApiKey

MSG_REVOKED = "Ключ «{name}» отозван."


class KeyForm(forms.Form):
    kind = forms.ChoiceField(label="Вид", choices=ApiKey.Kind.choices)
    vendor = forms.ModelChoiceField(label="Разработчик", queryset=EdmsVendor.objects.all(), required=False)
    name = forms.CharField(label="Название", max_length=50)


def _methodist(request):
    if not request.user.is_regional:
        raise PermissionDenied(services.MSG_ONLY_METHODISTS)


@login_required
def key_list(request):
    _methodist(request)
    form = KeyForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            key, issued = services.api_key_issue(user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            form = KeyForm()
    return render(
        request,
        "api/key_list.html",
        {"keys": selectors.api_keys(), "form": form, "issued": issued, "calls": selectors.recent_calls(50)},
    )


@login_required
@require_POST
def key_revoke(request, pk):
    _methodist(request)
    key = services.api_key_revoke(key_id=pk, user=request.user)
    messages.success(request, MSG_REVOKED.format(name=key.name))
    return redirect("api:keys")
