import pytest

from tests.factories import campaign, report


@pytest.fixture
def current(world):
    """A campaign where school_a2 and school_b2 have no coordinator yet: a2 gives a coordinator's
    address (column 23), b2 only the EDMS responsible's (column 7); a1 and b1 have coordinators."""
    current = campaign("2017")
    report(current, world.school_a1)
    report(
        current,
        world.school_a2,
        coordinator_email="Koord.A2@School.example",
        coordinator_name="Смирнова Ольга Ивановна",
    )
    report(current, world.school_b1)
    report(
        current,
        world.school_b2,
        coordinator_email="",
        coordinator_name="",
        responsible_email="+7 3823 11-22-33, edms.b2@school.example",
        responsible_name="Орлов Игорь Петрович",
    )
    return current
