"""Users of the portal and their organisation scope."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from .history import history_with_ip


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
    # Who changed a person's record, when, from which address (passwords and logins excluded).
    history = history_with_ip(excluded_fields=["password", "last_login"])

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


class InvitationState(models.TextChoices):
    PENDING = "pending", "ожидает ответа"
    EXPIRED = "expired", "истёк срок"
    ACCEPTED = "accepted", "принято"
    REVOKED = "revoked", "отозвано"


class Invitation(models.Model):
    """An e-mailed one-time link to set the password of an account created for a person.

    The link carries a token signed with the secret key over the invitation, its e-mail and the
    number of times it was sent; nothing secret is stored, and sending again makes older links
    invalid. Accepting or revoking ends the invitation.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="invitations", verbose_name="пользователь"
    )
    email = models.EmailField("e-mail")
    role = models.CharField("роль", max_length=16, choices=Role.choices)
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name="организация",
    )
    municipality = models.ForeignKey(
        "schools.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name="МОУО",
    )
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто пригласил",
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    expires_at = models.DateTimeField("действует до")
    sent_count = models.PositiveIntegerField("отправлено раз", default=0)
    last_sent_at = models.DateTimeField("последняя отправка", null=True, blank=True)
    accepted_at = models.DateTimeField("принято", null=True, blank=True)
    revoked_at = models.DateTimeField("отозвано", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "приглашение"
        verbose_name_plural = "приглашения"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_user",
                violation_error_message="У пользователя уже есть действующее приглашение.",
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
                violation_error_message="На этот адрес уже отправлено действующее приглашение.",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
                violation_error_message="Приглашение не может быть одновременно принятым и отозванным.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[Role.COORDINATOR, Role.SPECIALIST]),
                name="invitation_role_invitable",
                violation_error_message="Приглашать можно только координаторов ОО и специалистов МОУО.",
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        """Neither accepted nor revoked (it may still have expired)."""
        return self.accepted_at is None and self.revoked_at is None

    def state(self, now) -> str:
        if self.accepted_at:
            return InvitationState.ACCEPTED
        if self.revoked_at:
            return InvitationState.REVOKED
        if self.expires_at <= now:
            return InvitationState.EXPIRED
        return InvitationState.PENDING


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
