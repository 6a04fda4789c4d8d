"""Users of the portal and their organisation scope."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    NONE = "", "без роли"
    COORDINATOR = "coordinator", "координатор ОО"
    SPECIALIST = "specialist", "специалист МОУО"
    METHODIST = "methodist", "методист РЦРО"
    ADMIN = "admin", "администратор"


REGIONAL_ROLES = frozenset({Role.METHODIST, Role.ADMIN})


class User(AbstractUser):
    """A person using the portal. The role and the organisation define what they may see."""

    middle_name = models.CharField("отчество", max_length=150, blank=True)
    position = models.CharField("должность", max_length=200, blank=True)
    phone = models.CharField("телефон", max_length=40, blank=True)
    role = models.CharField("роль", max_length=16, choices=Role.choices, default=Role.NONE, blank=True)
    municipality = models.ForeignKey(
        "schools.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="specialists",
        verbose_name="МОУО",
        help_text="Только для специалистов МОУО.",
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinators",
        verbose_name="организация",
        help_text="Только для координаторов ОО.",
    )

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
        constraints = [
            models.CheckConstraint(
                name="user_scope_matches_role",
                violation_error_message=(
                    "Координатору ОО нужно указать организацию, специалисту МОУО — "
                    "муниципальное образование; методисту и администратору — ни то, ни другое."
                ),
                condition=(
                    Q(role=Role.COORDINATOR, school__isnull=False, municipality__isnull=True)
                    | Q(role=Role.SPECIALIST, municipality__isnull=False, school__isnull=True)
                    | Q(
                        role__in=[Role.METHODIST, Role.ADMIN, Role.NONE],
                        school__isnull=True,
                        municipality__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def effective_role(self) -> str:
        """The role that decides the scope; a superuser without a role acts as an administrator."""
        if self.role:
            return self.role
        return Role.ADMIN if self.is_superuser else Role.NONE

    @property
    def is_regional(self) -> bool:
        return self.is_active and self.effective_role in REGIONAL_ROLES

    @property
    def is_specialist(self) -> bool:
        return self.is_active and self.effective_role == Role.SPECIALIST

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and self.effective_role == Role.COORDINATOR


class Notification(models.Model):
    """A message for one user in the portal; the same text goes out by e-mail."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name="получатель"
    )
    text = models.TextField("текст")
    link = models.CharField("ссылка", max_length=500, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.text[:80]
