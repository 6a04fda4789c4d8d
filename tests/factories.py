import factory

from accounts.models import Role, User
from schools.models import Branch, Municipality, School


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    municipality = factory.LazyFunction(lambda: Municipality.objects.get(code="tomsk"))
    short_name = factory.Sequence(lambda n: f"МАОУ СОШ № {n + 1000}")
    full_name = factory.LazyAttribute(lambda o: f"Муниципальное учреждение {o.short_name}")
    address = factory.Sequence(lambda n: f"634050, г. Томск, ул. Тестовая, д. {n + 1}")


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Филиал № {n + 1}")
    address = "634000, с. Тестовое, ул. Школьная, д. 1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Тест"
    last_name = factory.Sequence(lambda n: f"Тестов{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@test.example")
    role = Role.NONE
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def campaign(slug="2017", previous=None, status="open", participants=None, **kwargs):
    import datetime

    from monitoring.models import Campaign
    from schools.models import School

    year = int(slug[:4]) if slug[:4].isdigit() else 2017
    defaults = dict(
        title=f"Мониторинг {slug}",
        academic_year=f"{year}-{year + 1}",
        as_of=datetime.date(year, 9, 1),
        deadline=datetime.date(year, 9, 20),
        status=status,
        previous=previous,
    )
    defaults.update(kwargs)
    obj = Campaign.objects.create(slug=slug, **defaults)
    obj.participants.set(participants if participants is not None else School.objects.all())
    return obj


FULL_VALUES = dict(
    responsible_name="Петрова Анна Сергеевна",
    responsible_position="заместитель директора по УВР",
    responsible_phone="+7 (3822) 55-01-23",
    responsible_email="edms@school.example",
    classes_total=20,
    classes_edms=20,
    parents_edms=400,
    teacher_workstations=30,
    student_workstations=15,
    classes_ejournal=20,
    classes_other_modules=0,
    students_total=500,
    students_edms=480,
    teachers_total=40,
    teachers_edms=38,
    entry_frequency=1,
    paper_journal=1,
    pilot_site=1,
    coordinator_name="Иванов Пётр Ильич",
    coordinator_phone="+7 (3822) 55-02-34",
    coordinator_email="coord@school.example",
)


def report(campaign, school, status="draft", system_code="tesh", **values):
    from monitoring.models import SchoolReport
    from schools.models import EdmsSystem

    data = {**FULL_VALUES, **values}
    # A school with a report is a participant of its campaign (held by the database on PostgreSQL).
    campaign.participants.add(school)
    return SchoolReport.objects.create(
        campaign=campaign,
        school=school,
        status=status,
        system=EdmsSystem.objects.get(code=system_code) if system_code else None,
        **data,
    )
