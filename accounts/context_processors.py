from .models import Role
from .notifications import unread_count


def role(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_role": user.effective_role,
        "Role": Role,
        "unread_notifications": unread_count(user=user),
    }
