from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core.links import portal_domain_and_protocol, portal_url

from .models import Invitation
from .services import InvitationError, invitation_link_refusal
from .services import invitation_accept as invitation_accept_service

PASSWORD_SET = "Пароль задан. Войдите, указав адрес электронной почты (или имя пользователя) и пароль."


class PortalPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset; the e-mailed link starts with PORTAL_BASE_URL. The page after
    sending is the same whether or not the address belongs to anyone."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        domain, protocol = portal_domain_and_protocol()
        self.extra_email_context = {
            "domain": domain,
            "site_name": domain,
            "protocol": protocol,
            "portal_url": portal_url("/"),
        }
        return super().form_valid(form)


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def invitation_accept(request, pk: int, token: str):
    """The one-time link of an invitation: the person sets their password, then logs in."""
    invitation = Invitation.objects.select_related("user", "school", "municipality").filter(pk=pk).first()
    refusal = invitation_link_refusal(invitation, token)
    if refusal is not None or invitation is None:
        return render(request, "accounts/invitation_refused.html", {"message": refusal}, status=410)
    if request.method == "POST":
        try:
            form = invitation_accept_service(invitation_id=pk, token=token, data=request.POST)
        except InvitationError as error:
            return render(request, "accounts/invitation_refused.html", {"message": str(error)}, status=410)
        if form.is_valid():
            messages.success(request, PASSWORD_SET)
            return redirect("login")
    else:
        form = SetPasswordForm(invitation.user)
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})
