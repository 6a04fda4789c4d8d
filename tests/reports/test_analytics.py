import json
import time

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from core import russian as ru
from monitoring.models import SchoolReport
from reports.analytics import compute_figures
from reports.models import AnalyticReport
from reports.services import analytic_report_request, analytic_report_retry, analytic_report_run
from tests.factories import SchoolFactory, campaign, report


@pytest.fixture
def known(world):
    """Hand-made data: see the expected figures in the tests below."""
    previous = campaign("2016", status="closed")
    for school, code in ((world.school_a1, "tesh"), (world.school_a2, "tesh"), (world.school_b1, "none")):
        report(previous, school, status="approved", system_code=code)
    current = campaign("2017", previous=previous)
    report(
        current,
        world.school_a1,
        status="approved",
        classes_total=20,
        classes_edms=18,
        classes_ejournal=18,
        students_total=500,
        students_edms=450,
        teachers_total=40,
        teachers_edms=38,
        parents_edms=300,
        teacher_workstations=30,
        student_workstations=10,
        entry_frequency=1,
        paper_journal=1,
        pilot_site=1,
    )
    report(
        current,
        world.school_a2,
        status="approved",
        system_code="dnevnik",
        notes="Перешли на Дневник.ру",
        classes_total=10,
        classes_edms=10,
        classes_ejournal=10,
        students_total=200,
        students_edms=200,
        teachers_total=20,
        teachers_edms=20,
        parents_edms=100,
        teacher_workstations=5,
        student_workstations=5,
        entry_frequency=2,
        paper_journal=2,
        pilot_site=2,
    )
    report(
        current,
        world.school_b1,
        status="approved",
        system_code="none",
        classes_total=8,
        classes_edms=0,
        classes_ejournal=0,
        students_total=100,
        students_edms=0,
        teachers_total=12,
        teachers_edms=0,
        parents_edms=0,
        teacher_workstations=0,
        student_workstations=0,
        entry_frequency=None,
        paper_journal=1,
        pilot_site=2,
    )
    report(
        current,
        world.school_b2,
        status="submitted",
        classes_total=5,
        classes_edms=5,
        classes_ejournal=5,
        students_total=50,
        students_edms=50,
        teachers_total=8,
        teachers_edms=8,
        parents_edms=10,
        teacher_workstations=8,
        student_workstations=2,
        entry_frequency=1,
        paper_journal=3,
        pilot_site=1,
    )
    return current


def test_figures_on_known_data(world, known):
    f = compute_figures(known)
    assert (f["orgs_total"], f["orgs_using_edms"], f["municipalities_total"], f["regional_orgs_total"]) == (
        3,
        2,
        2,
        0,
    )
    assert f["orgs_using_edms_pct"] == pytest.approx(200 / 3)
    assert (f["participants_expected"], f["reports_missing"], f["reports_not_approved"]) == (4, 0, 1)
    assert {s["short_name"]: (s["orgs"], round(s["pct"], 2)) for s in f["by_system"]} == {
        "ТЭШ": (1, 33.33),
        "Дневник.ру": (1, 33.33),
        "не используется": (1, 33.33),
    }
    assert {v["vendor"]: v["orgs"] for v in f["by_vendor"]} == {"ТЭШ": 1, "Дневник.ру": 1}
    assert f["paper_journal"] == {"yes": 2, "no": 1, "planned": 0}
    assert (f["classes_total"], f["classes_using_edms"]) == (38, 28)
    assert (f["students_total"], f["students_using_edms"]) == (800, 650)
    assert (f["teachers_total"], f["teachers_using_edms"]) == (72, 58)
    assert f["parents_using_edms"] == 400 and f["parents_per_student"] == pytest.approx(0.5)
    assert (f["teacher_workstations"], f["student_workstations"]) == (35, 15)
    assert f["entry_frequency"] == {"1": 1, "2": 1, "3": 0, "4": 0}
    assert f["pilot_sites"] == 1
    assert [m["municipality"] for m in f["by_municipality"]] == ["Город Томск", "ЗАТО Северск"]
    assert (
        f["by_municipality"][0]["orgs_using_edms_pct"] == 100
        and f["by_municipality"][1]["orgs_using_edms_pct"] == 0
    )
    problems = {k: [i["school"] for i in v] for k, v in f["problems"].items()}
    assert problems == {
        "parallel_journals": ["МАОУ СОШ № 1 г. Томска"],
        "few_teacher_workstations": ["МАОУ СОШ № 2 г. Томска"],
        "low_parent_registration": [],
        "edms_not_used": ["МБОУ «СОШ № 76»"],
    }
    assert f["switched"] == [
        {
            "school": "МАОУ СОШ № 2 г. Томска",
            "municipality": "Город Томск",
            "from": "«Электронная школа» (ТЭШ)",
            "to": "«Дневник.ру»",
            "notes": "Перешли на Дневник.ру",
        }
    ]


def test_adopters_are_counted_apart_from_switchers(world, known):
    """B1 had «не используется» and B2 had no report last year: both now use a system (adoption);
    A2 went from ТЭШ to Дневник.ру (a switch). Stopping (B1 in the data above) is neither."""
    from reports.narrative import sections

    SchoolReport.objects.filter(campaign=known, school=world.school_b1).update(
        system=SchoolReport.objects.get(campaign=known, school=world.school_a1).system
    )
    f = compute_figures(known, include_unapproved=True)
    assert [s["school"] for s in f["switched"]] == ["МАОУ СОШ № 2 г. Томска"]
    assert [(a["school"], a["to"]) for a in f["adopted"]] == [
        ("МБОУ «СОШ № 76»", "«Электронная школа» (ТЭШ)"),
        (world.school_b2.short_name, "«Электронная школа» (ТЭШ)"),
    ]
    text = " ".join(p.text for section in sections(f) for p in section.paragraphs)
    assert "Начали использовать систему" in text and ru.orgs(2) in text


def test_previous_campaign_comparison(world, known):
    f = compute_figures(known)
    prev = f["previous"]
    assert (prev["orgs_total"], prev["orgs_using_edms"]) == (3, 2)
    tesh = next(s for s in f["by_system"] if s["short_name"] == "ТЭШ")
    assert tesh["previous_orgs"] == 2 and tesh["pct_change"] == pytest.approx(100 / 3 - 200 / 3)


def test_include_unapproved_counts_submitted(world, known):
    f = compute_figures(known, include_unapproved=True)
    assert (f["orgs_total"], f["orgs_using_edms"]) == (4, 3)
    assert [i["school"] for i in f["problems"]["low_parent_registration"]] == ["МБОУ «СОШ № 77»"]


def test_one_municipality(world, known):
    f = compute_figures(known, municipality=world.mun_x)
    assert (f["orgs_total"], f["orgs_using_edms"], f["participants_expected"]) == (2, 2, 2)
    assert f["scope"] == "Город Томск"


def test_formatting():
    assert ru.pct(83.17) == "83,2%" and ru.pct(7) == "7,0%"
    assert ru.num(1234567) == "1\u00a0234\u00a0567"
    forms = {n: ru.orgs(n) for n in (1, 2, 5, 11, 12, 21, 22, 25, 111, 264)}
    assert forms == {
        1: "1 организация",
        2: "2 организации",
        5: "5 организаций",
        11: "11 организаций",
        12: "12 организаций",
        21: "21 организация",
        22: "22 организации",
        25: "25 организаций",
        111: "111 организаций",
        264: "264 организации",
    }
    assert [ru.orgs_genitive(n) for n in (1, 2, 5, 11, 21, 264)] == [
        "1 организации",
        "2 организаций",
        "5 организаций",
        "11 организаций",
        "21 организации",
        "264 организаций",
    ]
    assert ru.municipalities(20) == "20 муниципальных образований"
    assert ru.municipalities(1) == "1 муниципального образования"


def test_query_count_constant(world, known):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            compute_figures(known, include_unapproved=True)
        return len(ctx)

    before = count()
    for i in range(15):
        school = SchoolFactory(municipality=world.mun_y if i % 2 else world.mun_x)
        known.participants.add(school)
        report(
            known,
            school,
            status="approved",
            system_code="tesh" if i % 3 else "dnevnik",
            paper_journal=1 + i % 3,
        )
    assert count() == before


def test_documents_contain_the_figures(world, known, tmp_path):
    call_command("build_report", "--campaign", "2017", "--out-dir", str(tmp_path))
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    for key in (
        "campaign",
        "as_of",
        "orgs_total",
        "municipalities_total",
        "regional_orgs_total",
        "orgs_using_edms",
        "orgs_using_edms_pct",
        "previous",
        "by_system",
        "paper_journal",
        "classes_total",
        "classes_using_edms",
        "students_total",
        "students_using_edms",
        "teachers_total",
        "teachers_using_edms",
        "parents_using_edms",
        "teacher_workstations",
        "student_workstations",
        "entry_frequency",
        "pilot_sites",
        "by_municipality",
    ):
        assert key in data
    assert data["orgs_total"] == 3 and data["as_of"] == "2017-09-01"
    text = "\n".join(p.text for p in Document(tmp_path / "report.docx").paragraphs)
    assert "66,7%" in text
    assert "учтены данные 3 общеобразовательных организаций из 2 муниципальных образований" in text
    assert "отказались от бумажного журнала 1 организация (33,3%)" in text
    assert "2 (66,7%) (в 2016-2017 учебном году — 2 — 66,7%) используют" in text
    doc = Document(tmp_path / "report.docx")
    assert len(doc.inline_shapes) >= 2  # charts as images
    assert any(
        "«Дневник.ру»" in cell.text for table in doc.tables for row in table.rows for cell in row.cells
    )
    wb = openpyxl.load_workbook(tmp_path / "report.xlsx")
    summary = {row[0]: row[1] for row in wb["Сводка"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Учтено организаций"] == 3 and summary["Используют СЭД, организаций"] == 2
    assert wb["По системам"]._charts and wb["По МО"]._charts


def test_rebuilding_gives_the_same_result(world, known, tmp_path):
    call_command("build_report", "--campaign", "2017", "--out-dir", str(tmp_path / "a"))
    call_command("build_report", "--campaign", "2017", "--out-dir", str(tmp_path / "b"))
    for name in ("report.json", "report.xlsx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_task_records_progress_and_files(
    world, known, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        report_obj = analytic_report_request(user=world.methodist, campaign=known)
    report_obj.refresh_from_db()
    assert report_obj.state == "done" and report_obj.progress == 100
    assert report_obj.figures["orgs_total"] == 3
    assert report_obj.docx and report_obj.xlsx and report_obj.json
    assert report_obj.started_at and report_obj.finished_at


def test_failure_is_recorded_and_can_be_retried(
    world, known, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    from reports import services

    original = services.compute_figures

    def broken(*args, **kwargs):
        raise ValueError("нет связи с базой")

    monkeypatch.setattr(services, "compute_figures", broken)
    obj = AnalyticReport.objects.create(requested_by=world.methodist, campaign=known)
    analytic_report_run(report_id=obj.pk)
    obj.refresh_from_db()
    assert obj.state == "failed" and "нет связи с базой" in obj.error
    monkeypatch.setattr(services, "compute_figures", original)
    with django_capture_on_commit_callbacks(execute=True):
        analytic_report_retry(report=obj)
    obj.refresh_from_db()
    assert obj.state == "done" and obj.error == ""


def test_scope(world, known, client_for, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("reports:analytics")
    assert client_for(world.coordinator_a).get(url).status_code == 403
    specialist = client_for(world.specialist_x)
    with django_capture_on_commit_callbacks(execute=True):
        response = specialist.post(url, {"campaign": known.pk, "municipality": world.mun_y.pk})
    own = AnalyticReport.objects.get()
    assert own.municipality == world.mun_x  # a specialist's report is always their own municipality
    page = specialist.get(response["Location"]).content.decode()
    assert "Аналитическая справка" in page and "Скачать DOCX" in page
    methodist = client_for(world.methodist)
    with django_capture_on_commit_callbacks(execute=True):
        response = methodist.post(url, {"campaign": known.pk, "municipality": ""})
    region = AnalyticReport.objects.exclude(pk=own.pk).get()
    assert region.municipality is None
    download = client_for(world.methodist).get(reverse("reports:analytic_report_file", args=[own.pk, "docx"]))
    assert download.status_code == 200
    # The test client is shared: log in again as each persona.
    assert (
        client_for(world.specialist_x).get(reverse("reports:analytic_report", args=[region.pk])).status_code
        == 404
    )
    assert (
        client_for(world.specialist_y).get(reverse("reports:analytic_report", args=[own.pk])).status_code
        == 404
    )
    with pytest.raises(PermissionError):
        analytic_report_request(user=world.specialist_x, campaign=known, municipality=None)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_report_built_by_a_real_worker(real_broker, world, settings, tmp_path):
    previous = campaign("2016", status="closed")
    current = campaign("2017", previous=previous)
    report(current, world.school_a1, status="approved")
    obj = analytic_report_request(user=world.methodist, campaign=current)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        obj.refresh_from_db()
        if obj.is_finished:
            break
        time.sleep(0.3)
    assert obj.state == "done", obj.error
    assert obj.figures["orgs_total"] == 1
    assert SchoolReport.objects.count() == 1


def test_pilot_network_section(world, known, tmp_path):
    import datetime

    from projects.models import AgreementType, Project
    from projects.services import pilot_site_add
    from reports.analytics import completed_academic_year
    from schools.models import EdmsSystem

    project = Project.objects.get()
    for school, code in ((world.school_a1, "tesh"), (world.school_a2, "dnevnik")):
        pilot_site_add(
            project=project,
            school=school,
            agreement_type=AgreementType.TRILATERAL,
            system=EdmsSystem.objects.get(code=code),
            joined_on=datetime.date(2015, 5, 22),
        )
    assert completed_academic_year(known.as_of) == "2016-2017"
    call_command("build_report", "--campaign", "2017", "--out-dir", str(tmp_path))
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    network = data["pilot_network"]
    assert network["network_size"] == 2 and network["assignment_reports"] == 0
    assert {"assignment_reports_pct", "by_system"} <= set(network)
    text = "\n".join(p.text for p in Document(tmp_path / "report.docx").paragraphs)
    assert (
        "Региональная сеть, включающая 2 базовых образовательных учреждения (ПВП) из 1 муниципального "
        "образования Томской области (по системам: ТЭШ — 1, Дневник.ру — 1)"
    ) in text
    assert "в сети ПВП 2 общеобразовательные организации, из них по системам: ТЭШ — 1, Дневник.ру — 1" in text
