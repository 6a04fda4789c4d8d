"""The «Уведомления» page: the user's own messages, newest first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import notifications

MSG_ALL_READ = "Все уведомления отмечены прочитанными."


@login_required
def notification_list(request):
    qs = notifications.notification_list(user=request.user)
    page = Paginator(qs, notifications.NOTIFICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    # What the page shows is now read; the highlighting below still marks what was new.
    notifications.notifications_mark_read(user=request.user, ids=[n.pk for n in items if n.read_at is None])
    return render(request, "accounts/notifications.html", {"page": page, "items": items})


@login_required
def notification_open(request, pk):
    item = notifications.notification_get(user=request.user, pk=pk)
    notifications.notifications_mark_read(user=request.user, ids=[item.pk])
    if item.link and url_has_allowed_host_and_scheme(item.link, allowed_hosts={request.get_host()}):
        return redirect(item.link)
    return redirect("notifications")


@login_required
@require_POST
def notifications_read_all(request):
    notifications.notifications_mark_read(user=request.user)
    messages.success(request, MSG_ALL_READ)
    return redirect("notifications")
