"""An optional read replica for the heavy reads: Appendix 1 exports, dashboards, the справка.

With ``DATABASE_REPLICA_URL`` set, the settings add the database alias ``replica`` and
:class:`ReplicaRouter`; code that may read slightly stale data wraps its reads in
:func:`reading_from_replica` (or passes :func:`read_alias` to ``.using()``). Everything else, and
every write, goes to ``default``; without the alias the router changes nothing.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_on_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("rcro_read_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Reads inside the block go to the replica when one is configured."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


def read_alias() -> str:
    """The alias for an explicit ``.using()`` of a heavy read: the replica when configured."""
    return REPLICA if replica_configured() else DEFAULT_DB_ALIAS


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _on_replica.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        # Objects read from the replica are saved to the primary, never to the replica.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both aliases

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None
