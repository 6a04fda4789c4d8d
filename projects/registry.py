"""What the lower-level monitoring app may ask of the regional project: the narrow interface.

``monitoring`` sits above ``projects`` and imports nothing of it but this module (the import
contract in ``pyproject.toml`` holds it). Answers are plain values (booleans, ids, titles), never
querysets of project models, so monitoring does not depend on how the registry is kept.
"""

import datetime

from django.db.models import Exists

from .models import Event, PilotSite


def pilot_status(school_id: int, on_date: datetime.date) -> bool | None:
    """Whether the pilot-site registry lists the school on the date (column 21);
    None when no registry is kept at all (then column 21 is whatever the school says)."""
    # One query: a row of the registry, if there is any, carrying whether the school is listed.
    listed = Exists(PilotSite.objects.active_on(on_date).filter(school_id=school_id))
    answer = list(PilotSite.objects.order_by().annotate(listed=listed).values_list("listed", flat=True)[:1])
    return answer[0] if answer else None


def pilot_school_ids(on_date: datetime.date) -> set[int] | None:
    """Ids of the schools the registry lists on the date (one query), or None when no registry is kept."""
    ids = set(PilotSite.objects.active_on(on_date).order_by().values_list("school_id", flat=True))
    if not ids and not PilotSite.objects.exists():
        return None
    return ids


def _title_key(title: str) -> str:
    return " ".join(title.lower().split())


def event_ids_by_title() -> dict[str, int]:
    """The project's events by normalised title (lower case, single spaces), to link the rows of
    column 24 to them; look a row up with :func:`event_id_for`."""
    return {_title_key(title): pk for pk, title in Event.objects.values_list("pk", "title")}


def event_id_for(title: str, known: dict[str, int]) -> int | None:
    """The event a column 24 row names, from :func:`event_ids_by_title`, or None."""
    return known.get(_title_key(title))


def event_titles(limit: int = 200) -> list[str]:
    """Titles of the project's events, newest first, offered in column 24 of the report form."""
    return list(Event.objects.order_by("-starts_on", "title").values_list("title", flat=True)[:limit])
