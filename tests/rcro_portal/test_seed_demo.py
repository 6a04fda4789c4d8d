import datetime

from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role, User
from monitoring.demo import academic_year_start, current_campaign_slug, demo_campaign_specs
from schools.models import Branch, Municipality, School


def _counts():
    return (School.objects.count(), Branch.objects.count(), User.objects.count())


def test_seed_demo_is_idempotent(db, capsys):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    out = capsys.readouterr().out
    for username in ("methodist", "specialist", "coordinator", "admin"):
        assert username in out
    assert "demo-rcro-2017" in out


def test_seed_demo_shape(db):
    call_command("seed_demo")
    schools, branches, _ = _counts()
    assert 300 <= schools <= 340
    assert 50 <= branches <= 70
    # Every one of the 20 municipalities and the regional group has schools; Tomsk is the largest.
    per_group = {m.code: m.schools.count() for m in Municipality.objects.all()}
    assert all(n > 0 for n in per_group.values())
    assert max(per_group, key=per_group.get) == "tomsk"

    coordinator = User.objects.get(username="coordinator")
    assert coordinator.role == Role.COORDINATOR
    assert coordinator.school.municipality.code == "tomsk"
    assert coordinator.school.branches.exists()
    specialist = User.objects.get(username="specialist")
    assert specialist.municipality.name == "Город Томск"
    for username in ("methodist", "specialist", "coordinator", "admin"):
        assert User.objects.get(username=username).check_password("demo-rcro-2017")
    # Synthetic contacts only: reserved domains.
    assert not User.objects.exclude(email__endswith=".example").exists()


def test_demo_reports_in_review_pass_the_checks(db):
    """Submitted and approved demo reports are complete and every warning is explained, so a
    specialist trying the demo can approve them."""
    from monitoring.models import SchoolReport
    from monitoring.workflow import full_check

    call_command("seed_demo")
    reports = SchoolReport.objects.filter(status__in=["submitted", "approved"]).select_related(
        "campaign", "school", "system"
    )
    current = current_campaign_slug()
    assert reports.filter(campaign__slug=current, status="submitted").exists()
    failing = [str(r) for r in reports.filter(campaign__slug=current) if full_check(r).errors]
    assert failing == []


def test_academic_year_runs_september_to_august():
    assert academic_year_start(datetime.date(2026, 9, 1)) == 2026
    assert academic_year_start(datetime.date(2026, 11, 21)) == 2026
    assert academic_year_start(datetime.date(2027, 8, 31)) == 2026
    closed, current = demo_campaign_specs(datetime.date(2027, 3, 10))
    assert [c["slug"] for c in closed] == ["2016", "2025"]
    assert (current["slug"], current["academic_year"], current["as_of"]) == (
        "2026",
        "2026-2027",
        datetime.date(2026, 9, 1),
    )
    assert current["deadline"] > datetime.date(2027, 3, 10)
    # Never before the usual 20 September, and always a few weeks ahead.
    assert demo_campaign_specs(datetime.date(2026, 9, 1))[1]["deadline"] == datetime.date(2026, 9, 22)
    assert demo_campaign_specs(datetime.date(2026, 8, 1))[1]["deadline"] == datetime.date(2026, 8, 22)


def test_demo_open_campaign_is_live_and_past_ones_stay(db):
    """A newcomer meets a live campaign: open, this academic year, deadline ahead; last year's
    data is there for the year-over-year comparison."""
    from monitoring.models import Campaign, SchoolReport

    call_command("seed_demo")
    today = timezone.localdate()
    current = Campaign.objects.get(status="open")
    year = academic_year_start(today)
    assert current.academic_year == f"{year}-{year + 1}"
    assert current.deadline > today
    assert current.previous.academic_year == f"{year - 1}-{year}"
    assert current.previous.status == "closed"
    assert Campaign.objects.filter(slug="2016", status="closed").exists()
    participants = current.participants.count()
    assert SchoolReport.objects.filter(campaign=current.previous, status="approved").count() == participants
    assert not SchoolReport.objects.filter(campaign=current, submitted_at__gt=timezone.now()).exists()
    coordinator = User.objects.get(username="coordinator")
    assert not SchoolReport.objects.filter(campaign=current, school=coordinator.school).exists()
    assert SchoolReport.objects.filter(campaign=current.previous, school=coordinator.school).exists()
    call_command("seed_demo")
    assert Campaign.objects.count() == 3
