"""E-mails about accounts, in Russian. Every link starts with PORTAL_BASE_URL."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from core.links import portal_url

from .models import Invitation
from .tokens import invitation_token


def invitation_link(invitation: Invitation) -> str:
    return portal_url(reverse("invitation_accept", args=[invitation.pk, invitation_token(invitation)]))


def invitation_message(invitation: Invitation) -> tuple[str, str]:
    context = {
        "invitation": invitation,
        "link": invitation_link(invitation),
        "login_url": portal_url(reverse("login")),
        "portal_url": portal_url("/"),
    }
    subject = "Приглашение в систему мониторинга СЭД (ОГБУ «РЦРО»)"
    body = render_to_string("accounts/email/invitation.txt", context)
    return subject, body


def send_invitation_email(invitation: Invitation) -> int:
    subject, body = invitation_message(invitation)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
