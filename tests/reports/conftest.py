import pytest

from monitoring.models import ReportBranch, ReportEvent
from tests.factories import campaign, report


@pytest.fixture
def filled(world):
    """An open campaign with reports for A1 (with branch row and events), A2 and B1."""
    current = campaign("2017", letter_number="814")
    a1 = report(current, world.school_a1, status="approved", notes='=HYPERLINK("http://evil.example")')
    ReportBranch.objects.create(
        report=a1,
        branch=world.branch_a1,
        system=a1.system,
        responsible_name="Сидорова Вера Павловна",
        responsible_position="учитель",
        responsible_phone="+7 (3822) 55-03-45",
        responsible_email="branch@school.example",
    )
    ReportEvent.objects.create(
        report=a1, title="Семинар «Новые возможности электронной школы»", students=0, teachers=3
    )
    ReportEvent.objects.create(
        report=a1, title="Конкурс «Электронная школа — это здорово!»", students=12, teachers=2
    )
    a2 = report(
        current,
        world.school_a2,
        status="submitted",
        classes_total=30,
        classes_edms=25,
        students_total=700,
        students_edms=650,
        module_library=True,
        module_other=True,
        other_modules_text="-электронная столовая ООО «Х»",
    )
    b1 = report(
        current,
        world.school_b1,
        system_code="dnevnik",
        responsible_name="+SUM(A1)",
        coordinator_skype="school_b1",
    )
    return current, a1, a2, b1
