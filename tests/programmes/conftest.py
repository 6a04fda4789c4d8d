import datetime

import pytest

from programmes import services
from programmes.models import Indicator
from schools.models import EdmsSystem

D1 = datetime.date(2012, 5, 15)
D2 = datetime.date(2012, 9, 20)
D3 = datetime.date(2012, 10, 15)


@pytest.fixture
def system(db):
    return EdmsSystem.objects.get(code="tesh")


@pytest.fixture
def programme(world):
    """Tomsk's programme (specialist_x) with school_a1 and school_a2, three dates and the targets."""
    return services.programme_create(
        municipality=world.mun_x,
        title="Введение электронных дневников",
        order_number="256",
        order_date=datetime.date(2012, 3, 26),
        school_ids=[world.school_a1.pk, world.school_a2.pk],
        reporting_dates=[D1, D2, D3],
        targets=[
            (Indicator.PARENTS_ACTIVATED, D2, 30, 40),
            (Indicator.PARENTS_ACTIVATED, D3, 41, 60),
        ],
        user=world.specialist_x,
    )


@pytest.fixture
def entry_a1(programme, world):
    return programme.participants.get(school=world.school_a1)


@pytest.fixture
def entry_a2(programme, world):
    return programme.participants.get(school=world.school_a2)


@pytest.fixture
def dates(programme):
    return list(programme.reporting_dates.order_by("on_date"))


def fill(report, user, system, **values):
    """Save a report with the minimum needed to submit it."""
    base = {"responsible_person": "Иванова М. С., зам. директора", "system": system}
    return services.progress_report_save(report_id=report.pk, user=user, values={**base, **values})
