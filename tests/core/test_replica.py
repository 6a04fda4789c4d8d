"""The read replica: routed reads for exports, dashboards and the справка; writes stay on default."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.testcases import _DatabaseFailure
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from core.replica import REPLICA, ReplicaRouter, read_alias, reading_from_replica
from monitoring.models import Campaign
from schools.models import Municipality
from tests.factories import SchoolFactory, UserFactory, campaign, report


@pytest.fixture
def replica(transactional_db):
    """The alias ``replica`` pointing at the test database (as a mirror would), added for the test."""
    connections.settings[REPLICA] = {**connections[DEFAULT_DB_ALIAS].settings_dict}
    alias = connections[REPLICA]
    # The test case forbids aliases it was not declared with; this one did not exist then.
    for name, value in list(vars(alias).items()):
        if isinstance(value, _DatabaseFailure):
            delattr(alias, name)
    alias.connect()  # connected here: the test case refuses to open connections it does not know
    yield alias
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


def test_without_the_alias_everything_reads_from_default(db):
    router = ReplicaRouter()
    assert REPLICA not in connections.settings
    with reading_from_replica():
        assert router.db_for_read(Municipality) is None
        assert read_alias() == DEFAULT_DB_ALIAS
    assert router.db_for_write(Municipality) == DEFAULT_DB_ALIAS


# Restored afterwards as the migrations left it (reference data, content types), like other
# transactional tests of the suite expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reads_in_the_block_go_to_the_replica_writes_to_default(replica):
    router = ReplicaRouter()
    assert router.db_for_read(Municipality) is None  # outside the block: default
    with reading_from_replica():
        assert router.db_for_read(Municipality) == REPLICA
        assert read_alias() == REPLICA
        mun = Municipality.objects.order_by("pk").first()
        assert mun is not None and mun._state.db == REPLICA
        assert router.db_for_write(Municipality, instance=mun) == DEFAULT_DB_ALIAS
    assert not router.allow_migrate(REPLICA, "schools")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dashboards_read_from_the_replica(replica, client_for):
    mun = Municipality.objects.create(name="Тестовый район", code="test-district", kind="district")
    school = SchoolFactory(municipality=mun, short_name="МАОУ СОШ № 1 с. Тестового")
    current = campaign("2017")
    current.participants.add(school)
    report(current, school, status="approved", system_code=None)
    client = client_for(UserFactory(username="meth", role=Role.METHODIST))
    with CaptureQueriesContext(replica) as on_replica:
        region = client.get(reverse("monitoring:dashboard", args=[current.slug]))
        municipal = client.get(reverse("monitoring:municipality_dashboard", args=[current.slug, mun.pk]))
    assert region.status_code == municipal.status_code == 200
    assert len(on_replica) > 0
    assert "МАОУ СОШ № 1 с. Тестового" in municipal.content.decode()
    assert Campaign.objects.filter(pk=current.pk).exists()
