"""Organisations of the region and the reference lists of EDMS vendors and systems."""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class Municipality(models.Model):
    """A municipality (МОУО) or the group of regional state schools."""

    class Kind(models.TextChoices):
        CITY = "city", "городской округ"
        DISTRICT = "district", "муниципальный район"
        REGIONAL = "regional", "областные государственные ОО"

    name = models.CharField("наименование", max_length=120, unique=True)
    code = models.SlugField("код", max_length=40, unique=True)
    kind = models.CharField("вид", max_length=16, choices=Kind.choices)
    sort_order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "муниципальное образование"
        verbose_name_plural = "муниципальные образования"
        ordering = ["sort_order", "name"]
        constraints = [
            # Only one group of regional state schools.
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="regional"), name="municipality_one_regional_group"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_regional(self) -> bool:
        return self.kind == self.Kind.REGIONAL


class MunicipalityAlias(models.Model):
    """Another way people write a municipality's name in tables («г. Томск», «ОГОО» …)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="aliases", verbose_name="МО"
    )
    name = models.CharField("написание", max_length=200, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "другое написание МО"
        verbose_name_plural = "другие написания МО"
        ordering = ["municipality__sort_order", "name"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="municipalityalias_not_empty")]

    def __str__(self):
        return self.name


class SchoolQuerySet(models.QuerySet):
    def open_on(self, day):
        """Organisations working on the day: active, or closed only after it."""
        return self.filter(Q(closed_on__isnull=True, is_active=True) | Q(closed_on__gt=day))


class School(models.Model):
    """A general-education organisation (ОО), a legal entity."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="schools", verbose_name="МОУО"
    )
    short_name = models.CharField("сокращённое наименование (по Уставу)", max_length=255)
    full_name = models.CharField("полное наименование", max_length=500, blank=True)
    address = models.CharField("адрес", max_length=300, blank=True)
    is_active = models.BooleanField("действует", default=True)
    external_code = models.CharField(
        "внешний код", max_length=40, blank=True, help_text="Код для сверки с внешними реестрами."
    )

    class CloseReason(models.TextChoices):
        CLOSED = "closed", "ликвидирована"
        MERGED = "merged", "присоединена к другой организации"

    closed_on = models.DateField("прекратила деятельность", null=True, blank=True)
    close_reason = models.CharField("причина", max_length=10, choices=CloseReason.choices, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_schools",
        verbose_name="присоединена к",
    )
    history = HistoricalRecords()

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = "общеобразовательная организация"
        verbose_name_plural = "общеобразовательные организации"
        ordering = ["municipality__sort_order", "short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "short_name"], name="school_unique_name_in_municipality"
            ),
            models.UniqueConstraint(
                fields=["external_code"],
                condition=~Q(external_code=""),
                name="school_unique_external_code",
            ),
            models.CheckConstraint(condition=~Q(short_name=""), name="school_short_name_not_empty"),
            # An end date goes with a reason; «merged» names the organisation it joined, and only it does.
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, close_reason="")
                | Q(closed_on__isnull=False, close_reason__in=["closed", "merged"]),
                name="school_closed_on_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(close_reason="merged", merged_into__isnull=False)
                | (~Q(close_reason="merged") & Q(merged_into__isnull=True)),
                name="school_merged_into_iff_merged",
            ),
            models.CheckConstraint(condition=~Q(merged_into=F("pk")), name="school_not_merged_into_self"),
        ]

    def __str__(self):
        return self.short_name

    @property
    def name_with_address(self) -> str:
        return f"{self.short_name}, {self.address}" if self.address else self.short_name


class Branch(models.Model):
    """A branch or structural subdivision (филиал, структурное подразделение) of a school."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="branches", verbose_name="организация"
    )
    name = models.CharField("наименование", max_length=255)
    address = models.CharField("адрес", max_length=300, blank=True)
    is_active = models.BooleanField("действует", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "филиал / структурное подразделение"
        verbose_name_plural = "филиалы и структурные подразделения"
        ordering = ["school_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="branch_unique_name_in_school"),
            models.CheckConstraint(condition=~Q(name=""), name="branch_name_not_empty"),
        ]

    def __str__(self):
        return self.name

    @property
    def name_with_address(self) -> str:
        return f"{self.name}, {self.address}" if self.address else self.name


class EdmsVendor(models.Model):
    """Developer of an EDMS (разработчик)."""

    name = models.CharField("наименование", max_length=200, unique=True)
    short_name = models.CharField("краткое наименование", max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "разработчик СЭД"
        verbose_name_plural = "разработчики СЭД"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.short_name


class EdmsSystem(models.Model):
    """An EDMS installation a school can name in column 5, or the choice «не используется».

    The choice «не используется» is a row of its own (``is_used=False``, no vendor), so that
    "explicitly not used" differs from "not filled in yet" (an empty column).
    """

    code = models.SlugField("код", max_length=40, unique=True)
    name = models.CharField("наименование", max_length=200, unique=True)
    short_name = models.CharField("краткое наименование", max_length=60)
    vendor = models.ForeignKey(
        EdmsVendor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="systems",
        verbose_name="разработчик",
    )
    installation = models.CharField("адрес установки", max_length=200, blank=True)
    aliases = models.TextField(
        "другие написания",
        blank=True,
        help_text="По одному на строку; используются при загрузке таблиц Excel.",
    )
    is_used = models.BooleanField(
        "система используется", default=True, help_text="Снимите для варианта «не используется»."
    )
    is_active = models.BooleanField("доступна для выбора", default=True)
    sort_order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "система электронного документооборота"
        verbose_name_plural = "системы электронного документооборота"
        ordering = ["sort_order", "name"]
        constraints = [
            # A real system has a vendor; «не используется» has none.
            models.CheckConstraint(
                condition=Q(is_used=True, vendor__isnull=False) | Q(is_used=False, vendor__isnull=True),
                name="edmssystem_vendor_iff_used",
            ),
            models.UniqueConstraint(
                fields=["is_used"], condition=Q(is_used=False), name="edmssystem_one_not_used"
            ),
        ]

    def __str__(self):
        return self.name

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]
