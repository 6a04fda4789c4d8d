"""Change history that also keeps the address the change came from (django-simple-history's
extra fields on historical models: a base class and the ``pre_create_historical_record`` signal)."""

from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .client_ip import client_ip


class IPAddressHistoricalModel(models.Model):
    """Base of historical models: the client address of the request that made the change."""

    ip_address = models.GenericIPAddressField("IP-адрес", null=True, blank=True)

    class Meta:
        abstract = True


def history_with_ip(**kwargs) -> HistoricalRecords:
    """``HistoricalRecords`` whose rows keep the IP address (set from the current request)."""
    return HistoricalRecords(bases=[IPAddressHistoricalModel], **kwargs)


@receiver(pre_create_historical_record, dispatch_uid="core_history_ip_address")
def _set_ip_address(sender, instance, history_instance, **kwargs):
    if not isinstance(history_instance, IPAddressHistoricalModel):
        return
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None and history_instance.ip_address is None:
        history_instance.ip_address = client_ip(request)


def bulk_history_attrs(model) -> dict:
    """Extra values of the history rows written in bulk (``bulk_create_with_history`` and
    ``bulk_update_with_history`` send no signal): the address of the current request, when the
    model's history keeps one."""
    history = getattr(model, "history", None)
    if history is None or not issubclass(history.model, IPAddressHistoricalModel):
        return {}
    request = getattr(HistoricalRecords.context, "request", None)
    return {"ip_address": client_ip(request)} if request is not None else {}
