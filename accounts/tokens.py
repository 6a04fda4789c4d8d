"""The signed token of an invitation link."""

from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "accounts.Invitation"


def invitation_token(invitation) -> str:
    """Signed over the invitation, its address and how many times it was sent: sending again
    makes older links invalid; nothing secret is kept in the database."""
    value = f"{invitation.pk}:{invitation.email}:{invitation.sent_count}:{invitation.created_at.timestamp()}"
    return salted_hmac(_SALT, value, algorithm="sha256").hexdigest()


def invitation_token_valid(invitation, token: str) -> bool:
    return bool(token) and constant_time_compare(invitation_token(invitation), token)
