import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from monitoring.basis import DEFAULT_BASIS, Basis


class WorkerPing(models.Model):
    """A round trip through the task queue, to check that background workers are alive."""

    requested_at = models.DateTimeField("запрошено", auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    completed_at = models.DateTimeField("выполнено", null=True, blank=True)
    worker = models.CharField("обработчик", max_length=200, blank=True)

    class Meta:
        verbose_name = "проверка фоновых задач"
        verbose_name_plural = "проверки фоновых задач"
        ordering = ["-requested_at"]

    def __str__(self):
        return f"#{self.pk} {self.requested_at:%d.%m.%Y %H:%M}"


# A running job's worker writes a heartbeat with every progress step (at least every few seconds);
# one silent for longer than this has lost its worker (killed, out of memory, machine restarted).
JOB_HEARTBEAT_STALE_AFTER = datetime.timedelta(minutes=3)
MSG_JOB_INTERRUPTED = (
    "Задание прервано: обработчик перестал отвечать ({reason}). Нажмите «Повторить», чтобы "
    "запустить его снова."
)
REASON_NO_HEARTBEAT = "нет сигнала дольше {minutes} мин"
REASON_TIME_LIMIT = "превышено время выполнения {minutes} мин"


def job_time_limit() -> datetime.timedelta:
    """The hard time limit of a document job (``TASK_TIME_LIMITS['document']``)."""
    return datetime.timedelta(seconds=settings.TASK_TIME_LIMITS["document"][1])


class Job(models.Model):
    """A piece of background work a user asked for, with its progress and outcome."""

    class State(models.TextChoices):
        QUEUED = "queued", "в очереди"
        RUNNING = "running", "выполняется"
        DONE = "done", "готово"
        FAILED = "failed", "ошибка"

    state = models.CharField("состояние", max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField("готовность, %", default=0)
    error = models.TextField("ошибка", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="кто запросил",
    )
    created_at = models.DateTimeField("запрошено", auto_now_add=True)
    started_at = models.DateTimeField("начато", null=True, blank=True)
    finished_at = models.DateTimeField("завершено", null=True, blank=True)
    heartbeat_at = models.DateTimeField("последний сигнал обработчика", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def interruption(self, now=None) -> str | None:
        """Why an unfinished job is taken as dead (its message), or None while it is alive.

        Running: no heartbeat for ``JOB_HEARTBEAT_STALE_AFTER``, or running longer than the time
        limit. Queued: waiting longer than the time limit (the task was lost)."""
        now = now or timezone.now()
        limit = job_time_limit()
        if self.state == self.State.RUNNING:
            beat = self.heartbeat_at or self.started_at or self.created_at
            if self.started_at and now - self.started_at > limit:
                reason = REASON_TIME_LIMIT.format(minutes=int(limit.total_seconds() // 60))
            elif beat and now - beat > JOB_HEARTBEAT_STALE_AFTER:
                reason = REASON_NO_HEARTBEAT.format(
                    minutes=int(JOB_HEARTBEAT_STALE_AFTER.total_seconds() // 60)
                )
            else:
                return None
        elif self.state == self.State.QUEUED and self.created_at and now - self.created_at > limit:
            reason = REASON_TIME_LIMIT.format(minutes=int(limit.total_seconds() // 60))
        else:
            return None
        return MSG_JOB_INTERRUPTED.format(reason=reason)

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class ExportJob(Job):
    """A region-wide (or any) Appendix 1 workbook built in the background."""

    campaign = models.ForeignKey("monitoring.Campaign", on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(
        "schools.Municipality", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    basis = models.CharField(
        "какие отчёты включены", max_length=16, choices=Basis.choices, default=DEFAULT_BASIS
    )
    file = models.FileField("файл", upload_to="exports/%Y/%m/", blank=True)

    class Meta(Job.Meta):
        verbose_name = "выгрузка Приложения 1"
        verbose_name_plural = "выгрузки Приложения 1"
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="exportjob_progress_range"),
        ]

    def __str__(self):
        return f"Выгрузка {self.campaign} ({self.municipality or 'вся область'})"


class ImportBatch(models.Model):
    """An uploaded Appendix 1 workbook: checked first (preview), loaded on confirmation."""

    class State(models.TextChoices):
        PENDING = "pending", "обрабатывается"
        CHECKED = "checked", "проверен"
        APPLIED = "applied", "загружен"
        REJECTED = "rejected", "отклонён"

    campaign = models.ForeignKey("monitoring.Campaign", on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(
        "schools.Municipality", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField("файл", upload_to="imports/%Y/%m/")
    file_name = models.CharField("имя файла", max_length=255)
    create_missing = models.BooleanField("регистрировать новые организации", default=False)
    state = models.CharField("состояние", max_length=10, choices=State.choices, default=State.CHECKED)
    preview = models.JSONField("результат проверки", default=dict)
    created_at = models.DateTimeField("загружен", auto_now_add=True)
    applied_at = models.DateTimeField("применён", null=True, blank=True)

    class Meta:
        verbose_name = "загрузка таблицы"
        verbose_name_plural = "загрузки таблиц"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.file_name


class ImportJob(Job):
    """A large workbook checked (preview) or loaded in the background, with progress."""

    class Action(models.TextChoices):
        CHECK = "check", "проверка"
        APPLY = "apply", "загрузка"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="jobs")
    action = models.CharField("что делается", max_length=8, choices=Action.choices)

    class Meta(Job.Meta):
        verbose_name = "фоновая загрузка таблицы"
        verbose_name_plural = "фоновые загрузки таблиц"
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="importjob_progress_range"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.batch}"


class AnalyticReport(Job):
    """The regional analytic report («аналитическая справка») for one campaign and scope."""

    campaign = models.ForeignKey(
        "monitoring.Campaign", on_delete=models.CASCADE, related_name="analytic_reports"
    )
    municipality = models.ForeignKey(
        "schools.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="МО",
    )
    include_unapproved = models.BooleanField("учитывать непринятые отчёты", default=False)
    figures = models.JSONField("показатели", default=dict, blank=True)
    docx = models.FileField("справка (DOCX)", upload_to="analytics/%Y/%m/", blank=True)
    xlsx = models.FileField("таблицы (XLSX)", upload_to="analytics/%Y/%m/", blank=True)
    json = models.FileField("показатели (JSON)", upload_to="analytics/%Y/%m/", blank=True)
    # Entered by the methodist: the order in the header block, the signature and the executors.
    order_number = models.CharField("номер приказа", max_length=40, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    signatory_position = models.CharField("должность подписывающего", max_length=200, blank=True)
    signatory_name = models.CharField("инициалы и фамилия подписывающего", max_length=200, blank=True)
    executors = models.TextField("исполнители", blank=True, help_text="По одному на строку.")
    is_final = models.BooleanField("окончательная", default=False)
    finalised_at = models.DateTimeField("отмечена окончательной", null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто отметил окончательной",
    )
    history = HistoricalRecords(
        excluded_fields=[
            "state",
            "progress",
            "error",
            "started_at",
            "finished_at",
            "created_at",
            "figures",
            "docx",
            "xlsx",
            "json",
        ]
    )

    class Meta(Job.Meta):
        verbose_name = "аналитическая справка"
        verbose_name_plural = "аналитические справки"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="analyticreport_progress_range"
            ),
        ]

    def __str__(self):
        return f"Аналитическая справка: {self.campaign} ({self.municipality or 'вся область'})"


class ReportParagraph(models.Model):
    """One paragraph of an analytic report: the text generated from the figures and, once the
    methodist changes it, the edited text. ``(section, key)`` stays the same when the figures are
    computed again, so an edit survives the regeneration."""

    class Kind(models.TextChoices):
        TEXT = "text", "абзац"
        ITEM = "item", "пункт списка"
        SUBHEADING = "subheading", "подзаголовок"

    report = models.ForeignKey(AnalyticReport, on_delete=models.CASCADE, related_name="paragraphs")
    section = models.CharField("раздел", max_length=40)
    key = models.CharField("ключ", max_length=80)
    position = models.PositiveIntegerField("порядок")
    kind = models.CharField("вид", max_length=12, choices=Kind.choices, default=Kind.TEXT)
    generated_text = models.TextField("сформированный текст", blank=True)
    previous_generated_text = models.TextField("сформированный текст до пересчёта", blank=True)
    generated_changed = models.BooleanField("сформированный текст изменился при пересчёте", default=False)
    edited_text = models.TextField("исправленный текст", blank=True)
    is_edited = models.BooleanField("исправлен", default=False)
    is_added = models.BooleanField("добавлен методистом", default=False)
    after_key = models.CharField("после абзаца", max_length=80, blank=True)  # of an added paragraph
    is_obsolete = models.BooleanField("больше не формируется", default=False)
    updated_at = models.DateTimeField("изменён", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто изменил",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "абзац справки"
        verbose_name_plural = "абзацы справки"
        ordering = ["report", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "section", "key"], name="reportparagraph_unique_key"),
        ]

    def __str__(self):
        return f"{self.section}/{self.key}"

    @property
    def text(self) -> str:
        return self.edited_text if self.is_edited else self.generated_text


class ReportTemplate(models.Model):
    """A Word template of the analytic report uploaded by a methodist; the latest one is used."""

    file = models.FileField("шаблон (DOCX)", upload_to="analytics/templates/")
    file_name = models.CharField("имя файла", max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="загрузил",
    )
    uploaded_at = models.DateTimeField("загружен", auto_now_add=True)

    class Meta:
        verbose_name = "шаблон аналитической справки"
        verbose_name_plural = "шаблоны аналитической справки"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.file_name
