import pytest
from rest_framework.test import APIClient

from api.models import ApiKey
from api.services import api_key_issue
from schools.models import EdmsVendor
from tests.factories import campaign, report


@pytest.fixture
def vendor_world(world):
    """ТЭШ works in school A1 (its report names ТЭШ), Дневник.ру in school B1."""
    for school, code in ((world.school_a1, "A1"), (world.school_b1, "B1")):
        school.external_code = code
        school.save()
    c = campaign("2017")
    report(c, world.school_a1, status="approved", system_code="tesh")
    report(c, world.school_b1, status="approved", system_code="dnevnik")
    world.campaign = c
    return world


@pytest.fixture
def vendor_key(vendor_world):
    return api_key_issue(kind=ApiKey.Kind.VENDOR, name="ТЭШ", vendor=EdmsVendor.objects.get(short_name="ТЭШ"))


@pytest.fixture
def department_key(vendor_world):
    return api_key_issue(kind=ApiKey.Kind.DEPARTMENT, name="Департамент")


@pytest.fixture
def api_client():
    def make(raw=None):
        client = APIClient()
        if raw:
            client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
        return client

    return make
