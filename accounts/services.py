"""Writes concerning users and roles."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Role, User

METHODISTS_GROUP = "Методисты РЦРО"
# Reference lists methodists maintain in the admin.
METHODIST_MODELS = {
    "schools": ["municipality", "school", "branch", "edmsvendor", "edmssystem"],
}


def methodists_group() -> Group:
    group, _ = Group.objects.get_or_create(name=METHODISTS_GROUP)
    perms = Permission.objects.none()
    for app_label, models in METHODIST_MODELS.items():
        perms = perms | Permission.objects.filter(
            content_type__app_label=app_label, content_type__model__in=models
        )
    group.permissions.set(perms)
    return group


@transaction.atomic
def user_apply_role(*, user: User) -> User:
    """Give a user the admin access their role implies: methodists edit the reference lists."""
    group = methodists_group()
    if user.role in (Role.METHODIST, Role.ADMIN):
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(group)
    else:
        user.groups.remove(group)
        if user.is_staff and not user.is_superuser:
            user.is_staff = False
            user.save(update_fields=["is_staff"])
    return user
