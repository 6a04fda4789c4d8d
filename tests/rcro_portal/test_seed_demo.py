from django.core.management import call_command

from accounts.models import Role, User
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
    assert reports.filter(campaign__slug="2017", status="submitted").exists()
    failing = [str(r) for r in reports.filter(campaign__slug="2017") if full_check(r).errors]
    assert failing == []
