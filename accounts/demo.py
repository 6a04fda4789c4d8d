"""Demo users for every role (used by ``seed_demo``)."""

from typing import Any

from django.db import transaction

from .models import Role, User
from .services import user_apply_role

DEMO_PASSWORD = "demo-rcro-2017"


@transaction.atomic
def seed_users(*, coordinator_school, specialist_municipality) -> list[User]:
    """Create or reset the four demo users (admin, methodist, specialist, coordinator)."""
    specs: list[tuple[str, dict[str, Any]]] = [
        (
            "admin",
            dict(
                role=Role.ADMIN,
                is_staff=True,
                is_superuser=True,
                last_name="Администраторов",
                first_name="Алексей",
                middle_name="Игоревич",
            ),
        ),
        (
            "methodist",
            dict(
                role=Role.METHODIST,
                last_name="Методистова",
                first_name="Ольга",
                middle_name="Викторовна",
                position="старший методист",
            ),
        ),
        (
            "specialist",
            dict(
                role=Role.SPECIALIST,
                municipality=specialist_municipality,
                last_name="Специалистова",
                first_name="Ирина",
                middle_name="Павловна",
                position="специалист МОУО",
            ),
        ),
        (
            "coordinator",
            dict(
                role=Role.COORDINATOR,
                school=coordinator_school,
                last_name="Координаторов",
                first_name="Сергей",
                middle_name="Андреевич",
                position="заместитель директора по УВР",
            ),
        ),
    ]
    users = []
    for username, fields in specs:
        defaults = {"municipality": None, "school": None, "email": f"{username}@rcro.example", **fields}
        user, _ = User.objects.update_or_create(username=username, defaults=defaults)
        user.set_password(DEMO_PASSWORD)
        user.is_active = True
        user.save()
        user_apply_role(user=user)
        users.append(user)
    return users
