"""Whether the navigation shows «Программа внедрения» to a coordinator (their school takes part)."""

from .models import ProgrammeSchool


def programme_nav(request):
    user = getattr(request, "user", None)

    def in_programme() -> bool:
        if not (user and user.is_authenticated and user.is_coordinator and user.school_id):
            return False
        return ProgrammeSchool.objects.filter(school_id=user.school_id).exists()

    # A callable: the template evaluates it only where it is used (the coordinator's menu).
    return {"in_programme": in_programme}
