"""Shared personas: two municipalities, two schools in each (the first with a branch), and a
user of every role. Tests refer to them by name: coordinator_a sees school_a1 only, and so on."""

import os
from dataclasses import dataclass

import pytest

from accounts.models import Role
from schools.models import Municipality
from tests.factories import BranchFactory, SchoolFactory, UserFactory


@dataclass
class World:
    mun_x: Municipality
    mun_y: Municipality
    school_a1: object
    school_a2: object
    school_b1: object
    school_b2: object
    branch_a1: object
    branch_b1: object
    coordinator_a: object
    coordinator_b: object
    specialist_x: object
    specialist_y: object
    methodist: object
    admin: object
    nobody: object


@pytest.fixture
def world(db):
    mun_x = Municipality.objects.get(code="tomsk")
    mun_y = Municipality.objects.get(code="seversk")
    a1 = SchoolFactory(municipality=mun_x, short_name="МАОУ СОШ № 1 г. Томска")
    a2 = SchoolFactory(municipality=mun_x, short_name="МАОУ СОШ № 2 г. Томска")
    b1 = SchoolFactory(municipality=mun_y, short_name="МБОУ «СОШ № 76»")
    b2 = SchoolFactory(municipality=mun_y, short_name="МБОУ «СОШ № 77»")
    return World(
        mun_x=mun_x,
        mun_y=mun_y,
        school_a1=a1,
        school_a2=a2,
        school_b1=b1,
        school_b2=b2,
        branch_a1=BranchFactory(school=a1, name="Филиал в п. Светлый"),
        branch_b1=BranchFactory(school=b1, name="Структурное подразделение «Детский сад»"),
        coordinator_a=UserFactory(username="coord_a", role=Role.COORDINATOR, school=a1),
        coordinator_b=UserFactory(username="coord_b", role=Role.COORDINATOR, school=b1),
        specialist_x=UserFactory(username="spec_x", role=Role.SPECIALIST, municipality=mun_x),
        specialist_y=UserFactory(username="spec_y", role=Role.SPECIALIST, municipality=mun_y),
        methodist=UserFactory(username="meth", role=Role.METHODIST),
        admin=UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True),
        nobody=UserFactory(username="nobody"),
    )


@pytest.fixture
def client_for(client):
    """Log the test client in as a user: ``client_for(world.methodist).get(...)``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def real_broker():
    """Send tasks through the real Redis broker to the worker that .ci/run starts."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("нужен REDIS_URL и запущенный Celery worker (.ci/run запускает их сам)")
    from rcro_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


# --- CI strictness: in CI stages that must run everything, a skipped test is a failure. ---

_skipped = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("RCRO_FAIL_ON_SKIP") == "1" and _skipped and session.exitstatus == 0:
        print(f"\nRCRO_FAIL_ON_SKIP: {len(_skipped)} test(s) skipped: " + ", ".join(_skipped[:20]))
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty in-memory cache: ids and times repeat between tests (rolled
    back). A configured Redis is left alone (it may hold more than this suite's keys)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
    yield
