from django.conf import settings
from django.db import models


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
