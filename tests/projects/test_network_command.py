import datetime

from django.core.management import call_command

from projects.models import AgreementType, Project
from projects.services import pilot_site_add, pilot_site_end
from schools.models import EdmsSystem
from tests.factories import SchoolFactory


def test_network_over_a_period(world, capsys):
    """A made-up network: 4 sites at the start of the year, 1 leaves after switching, 1 joins."""
    project = Project.objects.get()
    tesh, dnevnik, irtech = (EdmsSystem.objects.get(code=c) for c in ("tesh", "dnevnik", "netgorod-217"))
    sites = []
    for system in (tesh, tesh, dnevnik, irtech):
        sites.append(
            pilot_site_add(
                project=project,
                school=SchoolFactory(),
                agreement_type=AgreementType.TRILATERAL,
                system=system,
                joined_on=datetime.date(2015, 5, 22),
            )
        )
    pilot_site_end(
        site=sites[0], left_on=datetime.date(2016, 11, 1), reason="Переход на систему «Дневник.ру»"
    )
    pilot_site_add(
        project=project,
        school=SchoolFactory(),
        agreement_type=AgreementType.BILATERAL,
        system=dnevnik,
        joined_on=datetime.date(2016, 10, 1),
    )
    call_command("pilot_network", "--from", "01.09.2016", "--to", "2017-01-01")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "На 01.09.2016: 4"
    assert out[1] == "Вступили: 1 (Дневник.ру — 1)"
    assert out[2] == "Вышли: 1 (ТЭШ — 1)"
    assert out[3] == "  Переход на систему «Дневник.ру»: 1"
    assert out[4] == "На 01.01.2017: 4 (ТЭШ — 1, Дневник.ру — 2, Сетевой город — 1)"


def test_network_page(world, client_for):
    from django.urls import reverse

    project = Project.objects.get()
    site = pilot_site_add(
        project=project,
        school=world.school_a1,
        agreement_type=AgreementType.TRILATERAL,
        system=EdmsSystem.objects.get(code="tesh"),
        joined_on=datetime.date(2015, 5, 22),
    )
    pilot_site_end(site=site, left_on=datetime.date(2016, 11, 1), reason="Переход на систему «Дневник.ру»")
    url = reverse("projects:network", args=[project.pk])
    html = client_for(world.methodist).get(url, {"start": "2016-09-01", "end": "2017-01-01"}).content.decode()
    assert "На 01.09.2016" in html and "Переход на систему «Дневник.ру»: 1" in html
    assert client_for(world.specialist_x).get(url).status_code == 403
    bad = client_for(world.methodist).get(url, {"start": "2017-01-01", "end": "2016-01-01"}).content.decode()
    assert "Конец периода раньше начала." in bad


def test_methodist_edits_and_deletes_an_event(world, client_for):
    from django.urls import reverse

    from monitoring.models import ReportEvent
    from projects.models import Event
    from tests.factories import campaign, report

    project = Project.objects.get()
    event = Event.objects.create(
        project=project,
        title="Семинар",
        kind="seminar",
        level="regional",
        starts_on=datetime.date(2016, 3, 1),
    )
    row = ReportEvent.objects.create(
        report=report(campaign("2017"), world.school_a1), event=event, title="Семинар"
    )
    url = reverse("projects:event_edit", args=[project.pk, event.pk])
    assert client_for(world.specialist_x).get(url).status_code == 403
    client = client_for(world.methodist)
    response = client.post(
        url,
        {
            "title": "Семинар «Электронный журнал»",
            "kind": "seminar",
            "level": "regional",
            "starts_on": "2016-03-01",
            "teachers": "40",
            "students": "0",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.teachers) == ("Семинар «Электронный журнал»", 40)
    client.post(url, {"delete": "1"})
    assert not Event.objects.filter(pk=event.pk).exists()
    row.refresh_from_db()
    assert row.event is None and row.title == "Семинар"
