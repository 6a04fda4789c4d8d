"""The registry's answer for one school, in one query: None (no registry kept), listed or not."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import registry

from .conftest import D, make_site


def _status(school, on):
    with CaptureQueriesContext(connection) as ctx:
        answer = registry.pilot_status(school.pk, on)
    assert len(ctx) == 1
    return answer


def test_no_registry_kept_is_none(world):
    assert _status(world.school_a1, D(2017, 9, 1)) is None


def test_listed_not_listed_and_left(world, project):
    make_site(project, world.school_a1, "tesh", D(2013, 3, 20), left_on=D(2017, 1, 1))
    assert _status(world.school_a1, D(2016, 9, 1)) is True
    assert _status(world.school_a1, D(2017, 9, 1)) is False  # left the network
    assert _status(world.school_b1, D(2016, 9, 1)) is False  # a registry kept, the school not in it
