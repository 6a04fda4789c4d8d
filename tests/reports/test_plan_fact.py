# ruff: noqa: F811 - the fixtures «project» and «rich» are imported from the projects and справка tests
"""«План и факт» of the regional project: the computed actuals are the figures the portal already
shows (the справка's share of organisations using an EDMS, the registry's network, the reports
on the assignment, the events), «нет данных» where there are none, a constant number of queries on
the page, and the справка's section quoting the plan."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from projects.analytics import network_as_of, pilot_network_summary
from projects.models import Event, IndicatorActual, IndicatorTarget, PlanIndicator, ProjectStage
from reports import docx_template, narrative
from reports.analytics import compute_figures
from reports.plan_fact import NO_DATA, computed_actuals
from tests.factories import SchoolFactory, campaign, report
from tests.projects.conftest import make_report, make_site, project  # noqa: F401 - the fixture
from tests.reports.test_spravka import MORPH, PAIR, _expected_forms, rich  # noqa: F401 - the fixture

D = datetime.date
TODAY = D(2026, 11, 21)


def indicator(project, key):
    return PlanIndicator.objects.get(project=project, computed_key=key)


@pytest.fixture
def monitored(world, project):
    """Two campaigns (2016 closed, 2017 open) with reports in every state, a registry and events."""
    c2016 = campaign("2016", status="closed")
    c2017 = campaign("2017", previous=c2016)
    schools = [
        world.school_a1,
        world.school_a2,
        world.school_b1,
        world.school_b2,
        *SchoolFactory.create_batch(4),
    ]
    for i, school in enumerate(schools):
        report(c2016, school, status="approved", system_code="none" if i < 4 else "tesh")
        status = [
            "approved",
            "approved",
            "approved",
            "submitted",
            "approved",
            "draft",
            "returned",
            "approved",
        ][i]
        report(c2017, school, status=status, system_code="none" if i in (0, 4) else "tesh")
    a1 = make_site(project, world.school_a1, "tesh", D(2013, 3, 20))
    make_site(project, world.school_a2, "tesh", D(2014, 1, 10), left_on=D(2017, 2, 1))
    b1 = make_site(project, world.school_b1, "dnevnik", D(2015, 5, 22))
    make_report(a1, academic_year="2016-2017", status="approved")
    make_report(b1, academic_year="2016-2017", status="draft")
    Event.objects.create(
        project=project, title="Без участников", kind=Event.Kind.OTHER, starts_on=D(2014, 5, 5)
    )
    for day, teachers, students in (
        (D(2016, 11, 15), 77, 0),
        (D(2017, 3, 1), 21, 102),
        (D(2017, 4, 2), 5, 5),
    ):
        Event.objects.create(
            project=project,
            title=f"Событие {day}",
            kind=Event.Kind.SEMINAR,
            starts_on=day,
            teachers=teachers,
            students=students,
        )
    return c2016, c2017


def test_edms_share_equals_the_spravka_figure_on_the_same_basis(monitored, project):
    c2016, c2017 = monitored
    actuals = computed_actuals(project, list(range(2012, 2019)), today=TODAY)["edms_share"]
    assert actuals[2017].value == compute_figures(c2017)["orgs_using_edms_pct"]
    assert actuals[2016].value == compute_figures(c2016)["orgs_using_edms_pct"] == 50.0
    # 5 accepted reports in 2017, 3 of them with a system in use.
    assert actuals[2017].value == 60.0
    assert "по принятым отчётам" in actuals[2017].note and "3 из 5 организаций" in actuals[2017].note
    with_review = computed_actuals(project, [2017], today=TODAY, include_unapproved=True)["edms_share"][2017]
    assert with_review.value == compute_figures(c2017, include_unapproved=True)["orgs_using_edms_pct"]
    assert actuals[2015].value is None and actuals[2012].value is None


def test_registry_events_and_assignment_figures(monitored, project):
    actuals = computed_actuals(project, list(range(2012, 2019)), today=TODAY)
    network = actuals["pilot_network"]
    assert network[2012].value is None  # nobody had joined yet: no data, not 0
    for year in range(2013, 2019):
        assert network[year].value == network_as_of(project, D(year, 12, 31))["size"]
    assert [network[y].value for y in range(2013, 2019)] == [1, 2, 3, 3, 2, 2]
    # 2016-2017: one report counted of the 2 sites on 31.08.2017 — as the справка counts them.
    assignment = actuals["assignment_reported"]
    assert assignment[2017].value == 50.0
    assert (
        assignment[2017].value
        == pilot_network_summary(project, "2016-2017", D(2017, 8, 31))["assignment_reports_pct"]
    )
    assert assignment[2016].value is None
    assert actuals["events"][2017].value == 2 and actuals["event_participants"][2017].value == 133
    assert actuals["events"][2016].value == 1 and actuals["event_participants"][2016].value == 77
    assert actuals["events"][2015].value is None
    # An event without participant counts: the events are known, their participants are not.
    assert actuals["events"][2014].value == 1 and actuals["event_participants"][2014].value is None


def test_future_years_have_no_data(monitored, project):
    actuals = computed_actuals(project, [2016, 2017], today=D(2016, 12, 1))
    assert actuals["edms_share"][2017].value is None
    assert actuals["pilot_network"][2016].value == 3  # on today, not on 31.12


def test_page_shows_targets_actuals_no_data_and_what_is_behind(world, monitored, project, client_for):
    edms = indicator(project, "edms_share")
    IndicatorTarget.objects.create(indicator=edms, year=2017, value=Decimal("90"))
    IndicatorTarget.objects.create(indicator=edms, year=2016, value=Decimal("40"))
    manual = PlanIndicator.objects.get(project=project, number=8)
    IndicatorTarget.objects.create(indicator=manual, year=2016, value=Decimal("70"))
    IndicatorActual.objects.create(
        indicator=manual, year=2016, value=Decimal("64.5"), source_note="Опрос родителей, май 2016"
    )
    ProjectStage.objects.create(
        project=project,
        number=1,
        title="Создание нормативной базы",
        starts_on=D(2013, 1, 1),
        ends_on=D(2013, 12, 31),
    )
    response = client_for(world.specialist_x).get(reverse("projects:plan", args=[project.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))  # no inline scripts
    assert "<svg" in html and 'data-kind="target"' in html and 'data-kind="actual"' in html
    assert NO_DATA in html
    behind = html.split('id="behind"')[1].split("</section>")[0]
    assert "Просрочен этап 1 «Создание нормативной базы»" in behind
    assert (
        "Доля общеобразовательных организаций, использующих СЭД, 2017: факт 60,0% при плане 90,0%" in behind
    )
    assert (
        "Доля родителей, удовлетворённых качеством предоставления информации от ОУ, 2016: факт 64,5%"
        in behind
    )
    assert ", 2016: факт 50,0%" not in behind  # 2016 met its target of 40 %
    assert "Опрос родителей, май 2016" in html
    assert "Удовлетворенность родителей качеством предоставления информации от ОУ" in html


def test_plan_page_makes_a_constant_number_of_queries(
    world, monitored, project, client_for, django_assert_max_num_queries
):
    client = client_for(world.methodist)
    url = reverse("projects:plan", args=[project.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for number in range(1, 15):
        ProjectStage.objects.create(
            project=project,
            number=number,
            title=f"Этап {number}",
            starts_on=D(2014, 1, number),
            ends_on=D(2015, 1, 1),
        )
    for ind in PlanIndicator.objects.filter(project=project):
        for year in range(2012, 2019):
            IndicatorTarget.objects.create(indicator=ind, year=year, value=10 + year % 7)
            if not ind.is_computed:
                IndicatorActual.objects.create(indicator=ind, year=year, value=5, source_note="Отчёт")
    for school in SchoolFactory.create_batch(10):
        make_site(project, school, "tesh", D(2016, 1, 1))
    for i in range(20):
        Event.objects.create(
            project=project, title=f"Ещё {i}", kind=Event.Kind.OTHER, starts_on=D(2015, 1, 1 + i)
        )
    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('data-kind="target"') == 8 * 7


# --- the справка ---------------------------------------------------------------------------------------


def _plan_rows(project):
    edms = indicator(project, "edms_share")
    IndicatorTarget.objects.create(indicator=edms, year=2017, value=Decimal("95"))
    IndicatorTarget.objects.create(indicator=indicator(project, "events"), year=2017, value=Decimal("2"))
    IndicatorTarget.objects.create(
        indicator=indicator(project, "pilot_network"), year=2017, value=Decimal("3")
    )
    manual = PlanIndicator.objects.get(project=project, number=6)
    IndicatorTarget.objects.create(indicator=manual, year=2017, value=Decimal("120"))
    for number, title in ((1, "Подготовка нормативной базы"), (2, "Обобщение опыта ПВП")):
        ProjectStage.objects.create(
            project=project, number=number, title=title, starts_on=D(2016, 1, 1), ends_on=D(2017, 5, 31)
        )


def test_spravka_quotes_the_plan_of_the_campaigns_year(world, rich, project):
    _plan_rows(project)
    figures = compute_figures(rich)
    plan = figures["plan"]
    assert plan["year"] == 2017
    edms = next(i for i in plan["indicators"] if i["number"] == 1)
    assert edms["actual"] == figures["orgs_using_edms_pct"]  # the справка's own figure
    assert edms["behind"] is True
    sections = {s.key: s for s in narrative.sections(figures)}
    section = sections["plan"]
    text = "\n".join(p.text for p in section.paragraphs)
    assert "На 2017 год плановые значения установлены для 4 показателей проекта" in text
    assert "нет данных — по 1 показателю" in text  # the manual indicator has no actual
    assert "просрочены 2 этапа плана проекта" in text
    assert "Подготовка нормативной базы (срок — 31.05.2017 г.)" in text
    table = section.tables[0]
    assert table.header[1:3] == ["План на 2017", "Факт за 2017"]
    assert table.rows[[r[0] for r in table.rows].index("Число мероприятий проекта")][:3] == [
        "Число мероприятий проекта",
        "2 ед.",
        "1 ед.",
    ]
    keys = [s.key for s in narrative.sections(figures)]
    assert keys.index("network") < keys.index("plan") < keys.index("results")


def test_spravka_quotes_the_plan_on_its_own_basis(world, rich, project):
    _plan_rows(project)
    figures = compute_figures(rich, include_unapproved=True)
    edms = next(i for i in figures["plan"]["indicators"] if i["number"] == 1)
    assert edms["actual"] == figures["orgs_using_edms_pct"]


def test_plan_section_in_the_docx_agrees_and_old_figures_still_render(world, rich, project):
    _plan_rows(project)
    figures = compute_figures(rich)
    rendered = docx_template.render_docx(figures, narrative.sections(figures), docx_template.Signoff())
    doc = Document(io.BytesIO(rendered))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "План и факт регионального проекта" in headings
    section_text = "\n".join(
        p.text
        for p in narrative.sections(figures)[headings.index("План и факт регионального проекта")].paragraphs
    )
    checked = 0
    for match in PAIR.finditer(section_text):
        n = int("".join(ch for ch in match.group(1) if ch.isdigit()))
        word = match.group(2)
        if (
            word.startswith("год")
            or len(word) < 3
            or not [p for p in MORPH.parse(word) if p.tag.POS == "NOUN"]
        ):
            continue
        assert word in _expected_forms(n, word), match.group(0)
        checked += 1
    assert checked >= 4
    # A report built before the plan was kept has no «plan» figure: no section, and the default
    # template (and so a region's template built from it) renders as before.
    old = {k: v for k, v in figures.items() if k != "plan"}
    assert "plan" not in [s.key for s in narrative.sections(old)]
    Document(io.BytesIO(docx_template.render_docx(old, narrative.sections(old), docx_template.Signoff())))
    docx_template.validate_template(docx_template.default_template_bytes(), "template.docx", figures=figures)


def test_no_plan_section_without_targets_or_late_stages(world, rich, project):
    figures = compute_figures(rich)
    assert figures["plan"] is None
    assert "plan" not in [s.key for s in narrative.sections(figures)]


def test_municipal_spravka_has_no_plan(world, rich, project):
    _plan_rows(project)
    figures = compute_figures(rich, municipality=world.mun_x)
    assert figures["plan"] is None
