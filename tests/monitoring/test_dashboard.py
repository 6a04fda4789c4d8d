import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from monitoring import dashboard, notifications
from monitoring.models import MunicipalityReview, ReportBranch, SchoolReport
from monitoring.tasks import send_deadline_reminders
from schools.models import EdmsSystem, Municipality
from tests.factories import BranchFactory, SchoolFactory, UserFactory, campaign, report

TOMSK_TZ = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def known(world):
    """X: a1 approved on time, a2 submitted late, a3 draft, a4 not started; Y: b1 returned, b2 not started."""
    current = campaign("2017")
    a3 = SchoolFactory(municipality=world.mun_x, short_name="МАОУ СОШ № 3 г. Томска")
    a4 = SchoolFactory(municipality=world.mun_x, short_name="МАОУ СОШ № 4 г. Томска")
    current.participants.add(a3, a4)
    on_time = datetime.datetime(2017, 9, 20, 23, 0, tzinfo=TOMSK_TZ)
    late = datetime.datetime(2017, 9, 21, 0, 30, tzinfo=TOMSK_TZ)
    r = report(current, world.school_a1, status="approved")
    SchoolReport.objects.filter(pk=r.pk).update(submitted_at=on_time)
    r = report(current, world.school_a2, status="submitted")
    SchoolReport.objects.filter(pk=r.pk).update(submitted_at=late)
    report(current, a3, status="draft")
    report(current, world.school_b1, status="returned")
    MunicipalityReview.objects.create(campaign=current, municipality=world.mun_y, state="returned")
    return current


def test_region_numbers(world, known):
    data = dashboard.by_municipality(user=world.methodist, campaign=known)
    rows = {r.name: r for r in data.rows}
    x, y = rows["Город Томск"], rows["ЗАТО Северск"]
    assert (x.expected, x.not_started, x.draft, x.submitted, x.returned, x.approved) == (4, 1, 1, 1, 0, 1)
    # Deadline passed: a2 submitted late, a3 (draft) and a4 (not started) not submitted.
    assert (x.on_time, x.late, x.pct) == (1, 3, 25.0)
    assert (y.expected, y.not_started, y.returned, y.approved, y.state) == (2, 1, 1, 0, "returned")
    assert (data.total.expected, data.total.not_started, data.total.approved) == (6, 2, 1)
    assert len(data.rows) == 2  # municipalities with no participating schools are not listed


def test_region_filters_and_sort(world, known):
    only_returned = dashboard.by_municipality(user=world.methodist, campaign=known, state="returned")
    assert [r.name for r in only_returned.rows] == ["ЗАТО Северск"]
    by_pct = dashboard.by_municipality(user=world.methodist, campaign=known, sort="-pct")
    assert [r.name for r in by_pct.rows] == ["Город Томск", "ЗАТО Северск"]
    by_expected = dashboard.by_municipality(user=world.methodist, campaign=known, sort="expected")
    assert [r.name for r in by_expected.rows] == ["ЗАТО Северск", "Город Томск"]


def test_specialist_sees_own_municipality_only(world, known):
    data = dashboard.by_municipality(user=world.specialist_x, campaign=known)
    assert [r.name for r in data.rows] == ["Город Томск"]


def test_school_rows_late_and_warnings(world, known):
    SchoolReport.objects.filter(school=world.school_a1).update(teacher_workstations=0)
    with time_machine.travel(datetime.datetime(2017, 9, 25, tzinfo=TOMSK_TZ)):
        rows = {
            r.school.short_name: r
            for r in dashboard.by_school(user=world.specialist_x, campaign=known, municipality=world.mun_x)
        }
    assert rows["МАОУ СОШ № 1 г. Томска"].late is False
    assert rows["МАОУ СОШ № 1 г. Томска"].warnings == 1
    assert rows["МАОУ СОШ № 2 г. Томска"].late is True
    assert rows["МАОУ СОШ № 3 г. Томска"].late is True  # draft after the deadline
    assert rows["МАОУ СОШ № 4 г. Томска"].status == "not_started"


def test_region_dashboard_query_count_constant(world, known, client_for):
    client = client_for(world.methodist)
    url = reverse("monitoring:dashboard", args=[known.slug])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = queries()
    for i in range(25):
        school = SchoolFactory(municipality=world.mun_y)
        known.participants.add(school)
        report(known, school, status="submitted" if i % 2 else "draft")
    for i in range(12):  # ten times the municipalities
        municipality = Municipality.objects.create(name=f"Район {i}", code=f"r{i}", sort_order=100 + i)
        for k in range(3):
            school = SchoolFactory(municipality=municipality)
            known.participants.add(school)
            if k:
                report(known, school, status="approved" if k == 1 else "returned")
    assert queries() == before


def test_municipality_dashboard_query_count_constant(world, known, client_for, monkeypatch):
    from monitoring import checks

    monkeypatch.setattr(checks, "BATCH", 2)  # more schools than one batch of a bulk read
    client = client_for(world.specialist_x)
    url = reverse("monitoring:municipality_dashboard", args=[known.slug, world.mun_x.pk])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = queries()  # every report checked: none of their warnings is in the cache yet
    for i in range(15):
        school = SchoolFactory(municipality=world.mun_x)
        known.participants.add(school)
        r = report(known, school, status="submitted" if i % 2 else "draft")
        if i % 3 == 0:
            ReportBranch.objects.create(report=r, branch=BranchFactory(school=school))
    assert queries() == before  # the new reports checked, in as many queries
    cached = queries()  # nothing changed: the warnings come from the cache
    assert cached < before
    for _ in range(15):
        school = SchoolFactory(municipality=world.mun_x)
        known.participants.add(school)
    assert queries() == cached


def test_municipality_warnings_follow_every_change(world, known):
    """The warnings kept in the cache are those of the report as it is now: a save, a change of
    last year's report and of the pilot-site registry each count again."""
    from monitoring.selectors import report_values
    from monitoring.services import ReportInput, report_save

    def warnings(school):
        rows = dashboard.by_school(user=world.methodist, campaign=known, municipality=world.mun_x)
        return next(r for r in rows if r.school.pk == school.pk).warnings

    a3 = SchoolReport.objects.get(campaign=known, school__short_name="МАОУ СОШ № 3 г. Томска")
    assert warnings(a3.school) == 0
    values = report_values(a3) | {"teacher_workstations": 0}  # «no workstations» is a warning
    report_save(
        report_id=a3.pk,
        user=world.methodist,
        data=ReportInput(values=values),
        expected_version=a3.version,
        draft=True,
    )
    assert warnings(a3.school) == 1
    assert warnings(a3.school) == 1  # from the cache now
    a3.refresh_from_db()
    values = report_values(a3) | {"teacher_workstations": 5}
    report_save(
        report_id=a3.pk,
        user=world.methodist,
        data=ReportInput(values=values),
        expected_version=a3.version,
        draft=True,
    )
    assert warnings(a3.school) == 0

    # Last year's report: a big change since last year is a warning.
    previous = campaign("2016", status="closed")
    known.previous = previous
    known.save()
    last = report(previous, a3.school, status="approved", students_total=5000)
    assert warnings(a3.school) > 0
    a3.refresh_from_db()
    SchoolReport.objects.filter(pk=last.pk).update(
        **{name: getattr(a3, name) for name in ("students_total", "teacher_workstations")}
    )
    last.refresh_from_db()
    last.save()  # a change of last year's report (its time of change)
    assert warnings(a3.school) == 0


@pytest.mark.parametrize(
    "persona,mun,expected",
    [
        ("specialist_x", "mun_x", 200),
        ("specialist_x", "mun_y", 404),
        ("coordinator_a", "mun_x", 404),
        ("methodist", "mun_y", 200),
        ("nobody", "mun_x", 404),
    ],
)
def test_municipality_dashboard_scope(world, known, client_for, persona, mun, expected):
    url = reverse("monitoring:municipality_dashboard", args=[known.slug, getattr(world, mun).pk])
    assert client_for(getattr(world, persona)).get(url).status_code == expected


def test_region_dashboard_access(world, known, client_for):
    url = reverse("monitoring:dashboard", args=[known.slug])
    assert client_for(world.coordinator_a).get(url).status_code == 403
    response = client_for(world.specialist_x).get(url)
    assert response["Location"] == reverse(
        "monitoring:municipality_dashboard", args=[known.slug, world.mun_x.pk]
    )
    html = client_for(world.methodist).get(url).content.decode()
    assert "Итого" in html and "25,0%" in html


def test_reminder_recipients(world, known):
    coord_a3 = UserFactory(
        role="coordinator",
        school=SchoolReport.objects.get(school__short_name="МАОУ СОШ № 3 г. Томска").school,
    )
    coord_a4 = UserFactory(
        role="coordinator", school=known.participants.get(short_name="МАОУ СОШ № 4 г. Томска")
    )
    coordinators, specialists = notifications.reminder_recipients(known)
    # a1 approved and a2 submitted: not reminded; a3 draft, a4 not started, b1 returned: reminded.
    assert set(coordinators) == {coord_a3, coord_a4, world.coordinator_b}
    assert set(specialists) == {world.specialist_x, world.specialist_y}
    MunicipalityReview.objects.filter(municipality=world.mun_y).update(state="submitted")
    assert set(notifications.reminder_recipients(known)[1]) == {world.specialist_x}


@pytest.mark.parametrize(
    "day,sent",
    [
        (datetime.date(2017, 9, 13), True),
        (datetime.date(2017, 9, 17), True),
        (datetime.date(2017, 9, 19), True),
        (datetime.date(2017, 9, 20), True),
        (datetime.date(2017, 9, 18), False),
        (datetime.date(2017, 9, 21), False),
    ],
)
def test_reminders_sent_on_schedule(world, known, mailoutbox, day, sent):
    moment = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=TOMSK_TZ)
    with time_machine.travel(moment, tick=False):
        assert timezone.localdate() == day
        count = send_deadline_reminders.delay().get()
    if sent:
        # coordinator_b (b1 returned) and the two specialists.
        assert sorted(m.to[0] for m in mailoutbox) == sorted(
            [world.coordinator_b.email, world.specialist_x.email, world.specialist_y.email]
        )
        assert count == 3
        assert all("Напоминание" in m.subject for m in mailoutbox)
        assert "20.09.2017" in mailoutbox[0].body
    else:
        assert mailoutbox == [] and count == 0


def test_filtered_lists_export_to_excel(world, known, client_for):
    import io

    import openpyxl

    client = client_for(world.methodist)
    url = reverse("monitoring:dashboard", args=[known.slug])
    response = client.get(url, {"state": "returned", "format": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "МОУО" and [r[0] for r in rows[1:]] == ["ЗАТО Северск", "Итого"]
    url = reverse("monitoring:municipality_dashboard", args=[known.slug, world.mun_x.pk])
    response = client.get(url, {"q": "№ 3", "format": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["МАОУ СОШ № 3 г. Томска"]
    html = client.get(url, {"q": "№ 3"}).content.decode()
    assert "МАОУ СОШ № 3 г. Томска" in html and "МАОУ СОШ № 4 г. Томска" not in html


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2017, 9, 10, 12, 0, tzinfo=TOMSK_TZ),  # before the deadline
        datetime.datetime(2017, 9, 20, 23, 59, tzinfo=TOMSK_TZ),  # the last minute of the deadline day
        datetime.datetime(2017, 9, 21, 0, 0, tzinfo=TOMSK_TZ),  # the first minute after it
        datetime.datetime(2017, 10, 5, 12, 0, tzinfo=TOMSK_TZ),
    ],
)
def test_region_and_municipality_views_agree_on_lateness(world, known, moment):
    with time_machine.travel(moment, tick=False):
        region = {r.pk: r for r in dashboard.by_municipality(user=world.methodist, campaign=known).rows}
        for municipality in (world.mun_x, world.mun_y):
            schools = dashboard.by_school(user=world.methodist, campaign=known, municipality=municipality)
            assert region[municipality.pk].late == sum(1 for r in schools if r.late), municipality
    before = moment < datetime.datetime(2017, 9, 21, tzinfo=TOMSK_TZ)
    # Y has b1 returned and b2 not started: late exactly when the deadline has passed.
    assert region[world.mun_y.pk].late == (0 if before else 2)


def test_natural_sort_key():
    from core.text import natural_key

    names = ["МАОУ СОШ № 38", "МАОУ «СОШ № 4»", "маоу сош № 40", "МАОУ СОШ № 4 г. Томска", "Гимназия № 2"]
    assert sorted(names, key=natural_key) == [
        "Гимназия № 2",
        "МАОУ «СОШ № 4»",
        "МАОУ СОШ № 4 г. Томска",
        "МАОУ СОШ № 38",
        "маоу сош № 40",
    ]


def test_municipality_dashboard_natural_order_counts_and_late_filter(world, known, client_for):
    a38 = SchoolFactory(municipality=world.mun_x, short_name="МАОУ СОШ № 38 г. Томска")
    known.participants.add(a38)
    rows = dashboard.by_school(user=world.methodist, campaign=known, municipality=world.mun_x)
    names = [r.school.short_name for r in rows]
    assert names.index("МАОУ СОШ № 4 г. Томска") < names.index("МАОУ СОШ № 38 г. Томска")
    assert rows.counts["not_started"] == 2 and rows.counts["total"] == 5
    late = dashboard.by_school(user=world.methodist, campaign=known, municipality=world.mun_x, status="late")
    assert {r.school.short_name for r in late} == {
        "МАОУ СОШ № 2 г. Томска",
        "МАОУ СОШ № 3 г. Томска",
        "МАОУ СОШ № 4 г. Томска",
        "МАОУ СОШ № 38 г. Томска",
    }
    html = (
        client_for(world.specialist_x)
        .get(reverse("monitoring:municipality_dashboard", args=[known.slug, world.mun_x.pk]))
        .content.decode()
    )
    assert "не начат: 2" in html and "с опозданием: 4" in html
    # The actions come before the table.
    assert html.index('id="handover"') < html.index('id="schools"')


def test_region_dashboard_counts_by_state_at_the_top(world, known, client_for):
    data = dashboard.by_municipality(user=world.methodist, campaign=known, state="returned")
    assert data.state_counts == {"collecting": 1, "returned": 1}
    html = (
        client_for(world.methodist).get(reverse("monitoring:dashboard", args=[known.slug])).content.decode()
    )
    assert "возвращён на доработку: 1" in html and "сбор данных: 1" in html
    assert html.index('id="state-counts"') < html.index('id="dashboard"')
    by_name = dashboard.by_municipality(user=world.methodist, campaign=known, sort="name")
    assert [r.name for r in by_name.rows] == ["Город Томск", "ЗАТО Северск"]


def test_municipality_dashboard_queries_do_not_grow_with_branch_rows(world, known, client_for):
    """Each report's branch rows are checked with their systems: read with the rows, not one by one."""
    client = client_for(world.specialist_x)
    url = reverse("monitoring:municipality_dashboard", args=[known.slug, world.mun_x.pk])
    system = EdmsSystem.objects.filter(is_used=True).first()

    def grow(n):
        for i in range(n):
            school = SchoolFactory(municipality=world.mun_x)
            known.participants.add(school)
            r = report(known, school, status="submitted" if i % 2 else "draft")
            for _ in range(2):
                ReportBranch.objects.create(report=r, branch=BranchFactory(school=school), system=system)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    grow(2)
    small = queries()
    grow(12)
    assert queries() == small
