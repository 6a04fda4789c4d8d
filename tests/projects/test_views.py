"""Pages of the project: who may open what (outsiders 404, read-only users 403) and list queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import AssignmentReport, Event, PilotSite
from projects.services import MSG_REPORT_LOCKED
from schools.models import Municipality
from tests.factories import SchoolFactory, UserFactory, campaign, report
from tests.projects.conftest import D, make_report, make_site

PERSONAS = ["coordinator_a", "coordinator_b", "specialist_x", "specialist_y", "methodist", "admin", "nobody"]
REGIONAL = {"methodist", "admin"}


def url(name, *args):
    return reverse(f"projects:{name}", args=args)


# --- Passport ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_signed_in_reads_the_passport(world, project, client_for, persona):
    client = client_for(getattr(world, persona))
    response = client.get(url("index"))
    assert response.status_code == 302 and response["Location"] == url("project", project.pk)
    response = client.get(url("project", project.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Цель проекта" in html and "Исполнители проекта" in html
    assert ("Изменить паспорт" in html) == (persona in REGIONAL)


def test_passport_needs_login(client, project):
    response = client.get(url("project", project.pk))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["coordinator_a", "specialist_x", "nobody"])
def test_only_methodists_edit_the_passport(world, project, client_for, persona):
    client = client_for(getattr(world, persona))
    assert client.get(url("project_edit", project.pk)).status_code == 403
    assert client.post(url("project_edit", project.pk), {"goal": "x"}).status_code == 403


def test_methodist_edits_the_passport(world, project, client_for):
    from projects.forms import ProjectForm

    client = client_for(world.methodist)
    assert client.get(url("project_edit", project.pk)).status_code == 200
    data = {name: getattr(project, name) for name in ProjectForm.Meta.fields}
    data["goal"] = "Уточнённая цель проекта."
    response = client.post(url("project_edit", project.pk), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.goal == "Уточнённая цель проекта."
    assert project.history.latest().history_user == world.methodist


# --- Registry ---------------------------------------------------------------------------------

REGISTRY_PAGES = ["sites", "site_add", "reconciliation", "events", "event_add"]


@pytest.mark.parametrize("persona", ["coordinator_a", "specialist_x", "nobody"])
@pytest.mark.parametrize("page", REGISTRY_PAGES)
def test_registry_pages_are_for_methodists(world, project, sites, client_for, persona, page):
    assert client_for(getattr(world, persona)).get(url(page, project.pk)).status_code == 403
    for name in ("site", "site_end"):
        assert client_for(getattr(world, persona)).get(url(name, project.pk, sites[0].pk)).status_code == 403


def test_registry_list_with_filters_in_the_url(world, project, sites, client_for):
    make_site(project, world.school_a2, "tesh", D(2013, 3, 20), left_on=D(2016, 11, 14))
    client = client_for(world.methodist)
    html = client.get(url("sites", project.pk)).content.decode()
    for school in (world.school_a1, world.school_a2, world.school_b1):
        assert school.short_name in html

    html = client.get(url("sites", project.pk), {"state": "ended"}).content.decode()
    assert world.school_a2.short_name in html and world.school_a1.short_name not in html
    assert "Перешла на систему «Дневник.ру»" in html

    html = client.get(url("sites", project.pk), {"municipality": world.mun_y.pk}).content.decode()
    assert world.school_b1.short_name in html and world.school_a1.short_name not in html

    html = client.get(url("sites", project.pk), {"q": "СОШ № 1 г."}).content.decode()
    assert world.school_a1.short_name in html and world.school_b1.short_name not in html

    tesh = sites[0].system
    html = client.get(url("sites", project.pk), {"system": tesh.pk, "state": "active"}).content.decode()
    assert world.school_a1.short_name in html
    assert world.school_a2.short_name not in html and world.school_b1.short_name not in html

    # The network «as of» a date: before A2 left there were three sites.
    response = client.get(url("sites", project.pk), {"as_of": "2016-11-13"})
    assert response.context["network"]["size"] == 3
    response = client.get(url("sites", project.pk), {"as_of": "2016-11-14"})
    assert response.context["network"]["size"] == 2


def test_registry_pagination_keeps_filters(world, project, client_for):
    for i in range(55):
        make_site(
            project,
            SchoolFactory(municipality=world.mun_x, short_name=f"МБОУ СОШ № {i + 100}"),
            "tesh",
            D(2014, 9, 1),
        )
    html = (
        client_for(world.methodist)
        .get(url("sites", project.pk), {"state": "active", "q": "МБОУ"})
        .content.decode()
    )
    assert "?state=active&amp;q=%D0%9C%D0%91%D0%9E%D0%A3&amp;page=2" in html


def test_registry_list_queries_do_not_grow(world, project, sites, client_for):
    client = client_for(world.methodist)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("sites", project.pk)).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for code in ("tomsk", "seversk", "tomsky", "asinovsky"):
        municipality = Municipality.objects.get(code=code)
        for system in ("tesh", "dnevnik", "netgorod-217"):
            make_site(project, SchoolFactory(municipality=municipality), system, D(2014, 9, 1))
            make_site(
                project,
                SchoolFactory(municipality=municipality),
                system,
                D(2014, 9, 1),
                left_on=D(2016, 1, 1),
            )
    assert count() == small


def test_add_and_end_a_site(world, project, systems, client_for):
    client = client_for(world.methodist)
    response = client.post(
        url("site_add", project.pk),
        {
            "school": world.school_a2.pk,
            "agreement_type": "trilateral",
            "system": systems["tesh"].pk,
            "joined_on": "2015-05-22",
            "agreement_number": "Т-200/2015",
            "basis_order": "Распоряжение № 360-р от 22.05.2015",
        },
    )
    assert response.status_code == 302
    site = PilotSite.objects.get(school=world.school_a2)
    assert site.agreement_number == "Т-200/2015"
    # The same school again: the form shows the refusal.
    response = client.post(
        url("site_add", project.pk),
        {
            "school": world.school_a2.pk,
            "agreement_type": "trilateral",
            "system": systems["tesh"].pk,
            "joined_on": "2016-01-01",
        },
    )
    assert response.status_code == 200 and "уже входит в сеть ПВП" in response.content.decode()

    assert client.get(url("site_end", project.pk, site.pk)).status_code == 200
    response = client.post(
        url("site_end", project.pk, site.pk), {"left_on": "2015-01-01", "reason": "ошибка"}
    )
    assert "не может быть раньше" in response.content.decode()
    response = client.post(
        url("site_end", project.pk, site.pk), {"left_on": "2016-11-14", "reason": "Перешла на «Дневник.ру»"}
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.left_on == D(2016, 11, 14)
    html = client.get(url("site", project.pk, site.pk)).content.decode()
    assert "История изменений" in html and "Перешла на «Дневник.ру»" in html
    assert world.methodist.get_full_name() in html


def test_missing_site_is_404(world, project, client_for):
    assert client_for(world.methodist).get(url("site", project.pk, 999999)).status_code == 404
    assert client_for(world.methodist).get(url("project", 999999)).status_code == 404


def test_reconciliation_page(world, project, sites, client_for):
    current = campaign("2017")
    report(current, world.school_b2, system_code="tesh", pilot_site=2)
    client = client_for(world.methodist)
    html = client.get(url("reconciliation", project.pk)).content.decode()
    assert current.title in html and "Расхождений" not in html
    response = client.get(url("reconciliation", project.pk), {"campaign": "2017"})
    html = response.content.decode()
    assert world.school_b2.short_name in html and "пользователь ТЭШ вне реестра" in html
    assert client.get(url("reconciliation", project.pk), {"campaign": "nope"}).status_code == 404


def test_events_list_and_add(world, project, client_for):
    client = client_for(world.methodist)
    response = client.post(
        url("event_add", project.pk),
        {
            "title": "Семинар «Новые возможности электронной школы»",
            "kind": "seminar",
            "level": "regional",
            "starts_on": "2015-11-18",
            "teachers": "77",
            "students": "",
            "outcome": "Рассмотрены новые модули.",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.teachers, event.students, event.organiser) == (77, 0, "ОГБУ «РЦРО»")
    html = client.get(url("events", project.pk)).content.decode()
    assert "Новые возможности электронной школы" in html and "семинар, региональный" in html
    response = client.post(
        url("event_add", project.pk),
        {
            "title": "Конкурс",
            "kind": "contest",
            "level": "regional",
            "starts_on": "2016-03-01",
            "teachers": "-3",
        },
    )
    assert response.status_code == 200 and not Event.objects.filter(title="Конкурс").exists()


# --- Reports on the technical assignment ------------------------------------------------------


@pytest.fixture
def reports(sites):
    a1, b1 = sites
    return make_report(a1), make_report(b1)


# persona -> (reports it may read, reports it may edit); everything else it cannot even see.
READS = {
    "coordinator_a": {"a1"},
    "coordinator_b": {"b1"},
    "specialist_x": {"a1"},
    "specialist_y": {"b1"},
    "methodist": {"a1", "b1"},
    "admin": {"a1", "b1"},
    "nobody": set(),
}
EDITS = {"coordinator_a": {"a1"}, "coordinator_b": {"b1"}}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("which", ["a1", "b1"])
def test_assignment_report_scope(world, reports, client_for, persona, which):
    obj = reports[0] if which == "a1" else reports[1]
    client = client_for(getattr(world, persona))
    readable = which in READS[persona]
    editable = which in EDITS.get(persona, set())
    assert client.get(url("assignment", obj.pk)).status_code == (200 if readable else 404)
    expected_edit = 200 if editable else (403 if readable else 404)
    assert client.get(url("assignment_edit", obj.pk)).status_code == expected_edit
    response = client.post(url("assignment_submit", obj.pk))
    assert response.status_code == (302 if editable else (403 if readable else 404))
    response = client.post(url("assignment_review", obj.pk, "approve"))
    assert response.status_code == (302 if persona in REGIONAL else (403 if readable else 404))


def test_coordinator_fills_submits_and_sees_the_return_comment(world, project, sites, client_for):
    client = client_for(world.coordinator_a)
    html = client.get(url("my_assignments")).content.decode()
    assert "Открыть отчёт" in html
    response = client.post(url("assignment_start"), {"academic_year": _this_year()})
    report_obj = AssignmentReport.objects.get(pilot_site=sites[0])
    assert response["Location"] == url("assignment_edit", report_obj.pk)

    data = {
        "version": report_obj.version,
        "ext_events_count": "2",
        "ext_events_participants": "1 234",
        "pd_measures_done": "on",
    }
    assert client.post(url("assignment_edit", report_obj.pk), data).status_code == 302
    report_obj.refresh_from_db()
    assert (report_obj.ext_events_participants, report_obj.pd_measures_done, report_obj.resources_count) == (
        1234,
        True,
        0,
    )
    # The same form sent again is stale.
    assert client.post(url("assignment_edit", report_obj.pk), data).status_code == 409
    assert (
        client.post(
            url("assignment_edit", report_obj.pk),
            {**data, "version": report_obj.version, "expert_teachers": "-1"},
        ).status_code
        == 422
    )

    client.post(url("assignment_submit", report_obj.pk))
    assert AssignmentReport.objects.get(pk=report_obj.pk).status == "submitted"
    response = client.get(url("assignment_edit", report_obj.pk), follow=True)
    assert MSG_REPORT_LOCKED.format(state="на проверке") in response.content.decode()

    methodist = client_for(world.methodist)
    methodist.post(url("assignment_review", report_obj.pk, "return"), {"comment": ""})
    assert AssignmentReport.objects.get(pk=report_obj.pk).status == "submitted"
    methodist.post(
        url("assignment_review", report_obj.pk, "return"), {"comment": "Добавьте ссылки на публикации."}
    )
    html = client_for(world.coordinator_a).get(url("assignment", report_obj.pk)).content.decode()
    assert "Отчёт возвращён на доработку" in html and "Добавьте ссылки на публикации." in html


def _this_year():
    from django.utils import timezone

    from projects.services import academic_year_of

    return academic_year_of(timezone.localdate())


def test_coordinator_of_a_school_outside_the_network(world, project, sites, client_for):
    outsider = UserFactory(role="coordinator", school=world.school_a2)
    client = client_for(outsider)
    html = client.get(url("my_assignments")).content.decode()
    assert "не входит в сеть" in html and "Открыть отчёт" not in html
    response = client.post(url("assignment_start"), {"academic_year": _this_year()}, follow=True)
    assert "не предусмотрен" in response.content.decode()
    assert not AssignmentReport.objects.exists()


def test_report_list_scope_and_redirects(world, project, reports, client_for):
    html = client_for(world.methodist).get(url("assignments", project.pk)).content.decode()
    assert world.school_a1.short_name in html and world.school_b1.short_name in html
    assert "Итоги деятельности сети ПВП за 2016-2017 учебный год" in html  # the region-wide analysis
    html = client_for(world.specialist_x).get(url("assignments", project.pk)).content.decode()
    assert world.school_a1.short_name in html and world.school_b1.short_name not in html
    assert "Итоги деятельности сети ПВП" not in html
    response = client_for(world.coordinator_a).get(url("assignments", project.pk))
    assert response["Location"] == url("my_assignments")
    assert client_for(world.nobody).get(url("assignments", project.pk)).status_code == 403
    assert client_for(world.nobody).get(url("my_assignments")).status_code == 403
    assert client_for(world.methodist).get(url("my_assignments"))["Location"] == url(
        "assignments", project.pk
    )


def test_methodist_approves_from_the_list(world, project, reports, client_for):
    a1 = reports[0]
    AssignmentReport.objects.filter(pk=a1.pk).update(status="submitted")
    client = client_for(world.methodist)
    list_url = url("assignments", project.pk) + "?status=submitted"
    assert "Принять" in client.get(list_url).content.decode()
    response = client.post(url("assignment_review", a1.pk, "approve"), {"next": list_url})
    assert response["Location"] == list_url
    assert AssignmentReport.objects.get(pk=a1.pk).status == "approved"
    response = client.post(url("assignment_review", a1.pk, "approve"), {"next": "https://evil.example/"})
    assert response["Location"] == url("assignment", a1.pk)


def test_report_list_queries_do_not_grow(world, project, reports, client_for):
    client = client_for(world.methodist)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("assignments", project.pk)).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for status in ("draft", "submitted", "approved", "returned"):
        for code in ("tomsky", "seversk"):
            site = make_site(
                project,
                SchoolFactory(municipality=Municipality.objects.get(code=code)),
                "tesh",
                D(2014, 9, 1),
            )
            make_report(site, status=status)
    assert count() == small


def test_project_keeps_information_channels(world, project, client_for):
    from projects.forms import ProjectForm

    assert "Электронной рассылки" in project.information_channels  # filled by the migration
    client = client_for(world.methodist)
    data = {name: getattr(project, name) for name in ProjectForm.Meta.fields}
    data["information_channels"] = "Электронной рассылки.\nГруппы проекта в «ВКонтакте»."
    assert client.post(url("project_edit", project.pk), data).status_code == 302
    project.refresh_from_db()
    assert project.information_channels.endswith("«ВКонтакте».")
    assert "Каналы информирования" in client.get(url("project", project.pk)).content.decode()


def test_assignment_report_keeps_examples_per_indicator(world, project, sites, client_for):
    from projects.indicators import INDICATORS

    client = client_for(world.coordinator_a)
    client.post(url("assignment_start"), {"academic_year": _this_year()})
    report_obj = AssignmentReport.objects.get(pilot_site=sites[0])
    page = client.get(url("assignment_edit", report_obj.pk)).content.decode()
    assert page.count("Что сделано, примеры") == len(INDICATORS) == 8
    data = {
        "version": report_obj.version,
        "ext_events_count": "1",
        "examples_2": "Конкурс «Мой электронный дневник» для 5–7 классов.",
    }
    assert client.post(url("assignment_edit", report_obj.pk), data).status_code == 302
    report_obj.refresh_from_db()
    assert report_obj.examples_2 == "Конкурс «Мой электронный дневник» для 5–7 классов."
    assert report_obj.history.latest().history_user == world.coordinator_a
