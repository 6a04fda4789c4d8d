import pytest

from tests.factories import campaign, report


@pytest.fixture
def campaigns(world):
    """Last year's closed campaign with a report for school A1, and this year's open one."""
    previous = campaign("2016", status="closed")
    current = campaign("2017", previous=previous)
    last = report(previous, world.school_a1, status="approved")
    from monitoring.models import ReportBranch

    ReportBranch.objects.create(
        report=last,
        branch=world.branch_a1,
        system=last.system,
        responsible_name="Сидорова Вера Павловна",
        responsible_phone="+7 (3822) 55-03-45",
    )
    return previous, current, last
