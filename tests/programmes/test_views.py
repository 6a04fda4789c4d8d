"""Pages of the programmes: who sees what (outsiders get 404), creating a programme through the
form, bad input kept with a Russian message, and the report's workflow through the buttons."""

import io

import pytest
from django.urls import reverse
from docx import Document

from programmes import services
from programmes.models import ParentApplication, Programme, ProgressReport
from programmes.reference import CONDITIONS

from .conftest import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_a1(entry_a1, dates, world, system):
    report = services.progress_report_start(
        participant_id=entry_a1.pk, reporting_date_id=dates[0].pk, user=world.coordinator_a
    )
    return fill(report, world.coordinator_a, system, parents_activated_pct=35)


@pytest.fixture
def pages(programme, entry_a1, report_a1):
    return {
        "detail": reverse("programmes:detail", args=[programme.pk]),
        "progress": reverse("programmes:progress", args=[programme.pk]),
        "matrix": reverse("programmes:readiness_matrix", args=[programme.pk]),
        "participant": reverse("programmes:participant", args=[entry_a1.pk]),
        "readiness": reverse("programmes:readiness", args=[entry_a1.pk]),
        "applications": reverse("programmes:applications", args=[entry_a1.pk]),
        "form": reverse("programmes:application_form", args=[entry_a1.pk]),
        "report": reverse("programmes:report", args=[report_a1.pk]),
    }


SCHOOL_PAGES = ("participant", "readiness", "applications", "form", "report")
PROGRAMME_PAGES = ("detail", "progress", "matrix")


@pytest.mark.parametrize("who", ["coordinator_a", "specialist_x", "methodist"])
def test_insiders_see_the_school_pages(client_for, world, pages, who):
    client = client_for(getattr(world, who))
    for name in SCHOOL_PAGES:
        assert client.get(pages[name]).status_code == 200, name


@pytest.mark.parametrize("who", ["coordinator_b", "specialist_y", "nobody"])
def test_outsiders_get_404_on_school_pages(client_for, world, pages, who):
    client = client_for(getattr(world, who))
    for name in SCHOOL_PAGES:
        assert client.get(pages[name]).status_code == 404, name


@pytest.mark.parametrize("who", ["coordinator_b", "specialist_y"])
def test_outsiders_get_404_on_programme_pages(client_for, world, pages, who):
    client = client_for(getattr(world, who))
    for name in PROGRAMME_PAGES:
        assert client.get(pages[name]).status_code == 404, name


def test_coordinator_of_a1_cannot_open_a2(client_for, world, entry_a2):
    client = client_for(world.coordinator_a)
    assert client.get(reverse("programmes:participant", args=[entry_a2.pk])).status_code == 404
    assert client.get(reverse("programmes:applications", args=[entry_a2.pk])).status_code == 404


def test_programme_list_scoped(client_for, world, programme):
    services.programme_create(
        municipality=world.mun_y,
        title="Северск",
        order_number="9",
        order_date=programme.order_date,
        school_ids=[world.school_b1.pk],
        user=world.specialist_y,
    )
    from programmes.selectors import programme_list

    assert list(programme_list(user=world.specialist_x)) == [programme]
    assert programme_list(user=world.methodist).count() == 2
    assert list(programme_list(user=world.coordinator_a)) == [programme]
    assert list(programme_list(user=world.coordinator_b).values_list("title", flat=True)) == ["Северск"]
    assert programme_list(user=world.nobody).count() == 0


def test_nav_entry_for_participating_coordinator(client_for, world, programme):
    assert (
        ">Программа внедрения<"
        in client_for(world.coordinator_a).get("/programmes/", follow=True).content.decode()
    )
    assert (
        ">Программа внедрения<" not in client_for(world.coordinator_b).get("/", follow=True).content.decode()
    )


def test_specialist_creates_a_programme_through_the_form(client_for, world):
    client = client_for(world.specialist_x)
    assert client.get(reverse("programmes:create")).status_code == 200
    response = client.post(
        reverse("programmes:create"),
        {
            "municipality": world.mun_x.pk,
            "title": "Введение ЭЖ",
            "order_number": "256",
            "order_date": "2012-03-26",
            "schools": [world.school_a1.pk, world.school_a2.pk],
            "reporting_dates": "15.05.2012\n20.09.2012",
            "prefill_stages": "on",
            "target-TOTAL_FORMS": "2",
            "target-INITIAL_FORMS": "0",
            "target-0-indicator": "parents_activated_pct",
            "target-0-due_on": "2012-09-20",
            "target-0-min_percent": "30",
            "target-0-max_percent": "40",
            "target-1-indicator": "parents_activated_pct",
            "target-1-due_on": "",
            "target-1-min_percent": "41",
            "target-1-max_percent": "60",
        },
    )
    programme = Programme.objects.get()
    assert response.status_code == 302 and response.url == reverse("programmes:detail", args=[programme.pk])
    assert programme.participants.count() == 2
    assert programme.reporting_dates.count() == 2
    assert programme.targets.count() == 1
    assert programme.stages.count() > 5


def test_bad_dates_keep_what_was_typed(client_for, world):
    client = client_for(world.specialist_x)
    response = client.post(
        reverse("programmes:create"),
        {
            "municipality": world.mun_x.pk,
            "title": "Введение ЭЖ",
            "order_number": "256-бис",
            "order_date": "2012-03-26",
            "schools": [world.school_a1.pk],
            "reporting_dates": "15.05.2012\n31.02.2012",
            "target-TOTAL_FORMS": "0",
            "target-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Не понято: «31.02.2012»" in body
    assert "256-бис" in body
    assert not Programme.objects.exists()


def test_coordinator_cannot_open_the_create_form(client_for, world):
    assert client_for(world.coordinator_a).get(reverse("programmes:create")).status_code == 403


def test_readiness_form_and_matrix(client_for, world, programme, entry_a1, pages):
    client = client_for(world.coordinator_a)
    data = {f"met_{c.code}": "on" for c in CONDITIONS[:3]}
    data[f"note_{CONDITIONS[4].code}"] = "Учительская без компьютера"
    assert client.post(pages["readiness"], data).status_code == 302
    matrix = client_for(world.specialist_x).get(pages["matrix"]).content.decode()
    assert "Учительская без компьютера" in matrix
    assert matrix.count(">да<") == 3
    # A specialist sees the form but cannot post it.
    assert client_for(world.specialist_x).post(pages["readiness"], data).status_code == 403


def test_register_page_and_duplicate_number_message(client_for, world, pages):
    client = client_for(world.coordinator_a)
    data = {
        "reg_number": "7",
        "reg_date": "2012-05-10",
        "class_name": "3в",
        "delivery": "email",
        "consent": "on",
    }
    assert client.post(pages["applications"], data).status_code == 302
    response = client.post(pages["applications"], data)
    assert response.status_code == 400
    assert services.MSG_APPLICATION_DUPLICATE.format(number="7") in response.content.decode()
    assert ParentApplication.objects.count() == 1


def test_application_form_docx_names_school_director_and_system(client_for, world, entry_a1, system, pages):
    services.participant_update(
        participant_id=entry_a1.pk,
        user=world.coordinator_a,
        director_name="Петров Пётр Петрович",
        system=system,
    )
    response = client_for(world.coordinator_a).get(pages["form"])
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert world.school_a1.short_name in text
    assert "Петров Пётр Петрович" in text
    assert system.name in text
    assert "ЗАЯВЛЕНИЕ" in text


def test_workflow_through_the_pages(client_for, world, report_a1, pages):
    coordinator = client_for(world.coordinator_a)
    coordinator.post(reverse("programmes:report_action", args=[report_a1.pk, "submit"]))
    assert ProgressReport.objects.get(pk=report_a1.pk).status == "submitted"
    # The coordinator has no right to approve: 403, nothing changes.
    assert (
        coordinator.post(reverse("programmes:report_action", args=[report_a1.pk, "approve"])).status_code
        == 403
    )
    specialist = client_for(world.specialist_x)
    specialist.post(reverse("programmes:report_action", args=[report_a1.pk, "return"]), {"comment": ""})
    assert ProgressReport.objects.get(pk=report_a1.pk).status == "submitted"
    specialist.post(
        reverse("programmes:report_action", args=[report_a1.pk, "return"]), {"comment": "Пункт 8"}
    )
    assert ProgressReport.objects.get(pk=report_a1.pk).status == "returned"


def test_report_edit_keeps_typed_values_on_bad_percent(client_for, world, report_a1):
    client = client_for(world.coordinator_a)
    url = reverse("programmes:report_edit", args=[report_a1.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"version": report_a1.version, "responsible_person": "Новое имя", "parents_activated_pct": "150"}
    )
    assert response.status_code == 400
    assert "Новое имя" in response.content.decode()
    assert ProgressReport.objects.get(pk=report_a1.pk).responsible_person != "Новое имя"


def test_specialist_cannot_edit_a_report(client_for, world, report_a1):
    assert (
        client_for(world.specialist_x).get(reverse("programmes:report_edit", args=[report_a1.pk])).status_code
        == 403
    )


def test_lists_do_not_grow_queries_with_schools(client_for, world, programme, django_assert_max_num_queries):
    from tests.factories import SchoolFactory

    client = client_for(world.methodist)
    url = reverse("programmes:detail", args=[programme.pk])
    client.get(url)
    for _ in range(5):
        school = SchoolFactory(municipality=world.mun_x)
        programme.participants.create(school=school)
    with django_assert_max_num_queries(15):
        client.get(url)
    with django_assert_max_num_queries(15):
        client.get(reverse("programmes:readiness_matrix", args=[programme.pk]))
    with django_assert_max_num_queries(15):
        client.get(reverse("programmes:progress", args=[programme.pk]))
    with django_assert_max_num_queries(15):
        client.get(reverse("programmes:summary"))


def test_manager_sets_a_stage_deadline(client_for, world, programme):
    stage = programme.stages.first()
    url = reverse("programmes:stage_edit", args=[stage.pk])
    response = client_for(world.specialist_x).post(
        url, {"title": stage.title, "content": "Приказ по школе", "due_on": "2012-04-18"}
    )
    assert response.status_code == 302
    stage.refresh_from_db()
    assert stage.due_on.isoformat() == "2012-04-18" and stage.content == "Приказ по школе"
    assert stage.history.count() == 2
    assert client_for(world.coordinator_a).get(url).status_code == 403
    assert client_for(world.specialist_y).get(url).status_code == 404
