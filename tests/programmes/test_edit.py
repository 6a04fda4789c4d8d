"""Changing a programme after it is created: the order and the participating schools, and deleting
stages, dated targets and reporting dates — by the municipality's specialist or a methodist, with
history, refused with a Russian message when data would be lost."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import ServiceError
from core.models import ReportStatus
from programmes import services
from programmes.models import ProgrammeSchool, ProgressReport, ReportingDate, Stage, Target
from tests.factories import SchoolFactory

from .conftest import fill

pytestmark = pytest.mark.django_db


def _edit_data(programme, schools, **extra):
    return {
        "title": programme.title,
        "order_number": "256-изм",
        "order_date": "2012-04-02",
        "schools": [s.pk for s in schools],
        **extra,
    }


# --- The order and the schools -----------------------------------------------------------------


def test_specialist_changes_order_and_adds_a_school(client_for, world, programme, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a3 = SchoolFactory(municipality=world.mun_x, short_name="МАОУ СОШ № 3 г. Томска")
    client = client_for(world.specialist_x)
    url = reverse("programmes:edit", args=[programme.pk])
    page = client.get(url)
    assert page.status_code == 200 and "МАОУ СОШ № 3 г. Томска" in page.content.decode()
    assert "МБОУ «СОШ № 76»" not in page.content.decode()  # another municipality's school
    upload = SimpleUploadedFile("prikaz.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(
        url, _edit_data(programme, [world.school_a1, world.school_a2, a3], order_file=upload)
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.order_number == "256-изм" and programme.order_date == datetime.date(2012, 4, 2)
    assert programme.order_file.name.endswith(".pdf")
    assert set(programme.participants.values_list("school_id", flat=True)) == {
        world.school_a1.pk,
        world.school_a2.pk,
        a3.pk,
    }
    assert programme.history.first().history_user == world.specialist_x
    added = programme.participants.get(school=a3)
    assert added.history.first().history_user == world.specialist_x


def test_a_school_without_data_is_removed_with_history(world, programme, entry_a2):
    services.programme_update(
        programme_id=programme.pk,
        user=world.methodist,
        title=programme.title,
        order_number=programme.order_number,
        order_date=programme.order_date,
        school_ids=[world.school_a1.pk],
    )
    assert list(programme.participants.values_list("school_id", flat=True)) == [world.school_a1.pk]
    deleted = ProgrammeSchool.history.filter(id=entry_a2.pk, history_type="-").get()
    assert deleted.history_user == world.methodist


def test_a_school_with_a_report_is_not_removed_and_typed_input_is_kept(
    client_for, world, programme, entry_a2, dates, system
):
    report = ProgressReport.objects.create(participant=entry_a2, reporting_date=dates[0])
    client = client_for(world.specialist_x)
    response = client.post(
        reverse("programmes:edit", args=[programme.pk]), _edit_data(programme, [world.school_a1])
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Организацию «МАОУ СОШ № 2 г. Томска» нельзя исключить из программы" in body
    assert "1 отчёт о ходе введения" in body
    assert "256-изм" in body  # what was typed stays in the form
    programme.refresh_from_db()
    assert programme.order_number == "256"  # nothing written
    assert ProgressReport.objects.filter(pk=report.pk).exists()
    assert programme.participants.filter(school=world.school_a2).exists()


def test_applications_and_readiness_also_keep_a_school(world, programme, entry_a1):
    services.application_register(
        participant_id=entry_a1.pk,
        user=world.coordinator_a,
        reg_number="1",
        reg_date=datetime.date(2012, 5, 1),
        class_name="1а",
        delivery="phone",
        consent=True,
    )
    with pytest.raises(ServiceError, match="1 заявление родителей"):
        services.programme_update(
            programme_id=programme.pk,
            user=world.specialist_x,
            title=programme.title,
            order_number="1",
            order_date=programme.order_date,
            school_ids=[world.school_a2.pk],
        )
    assert programme.participants.filter(school=world.school_a1).exists()


def test_school_of_another_municipality_and_empty_list_are_refused(world, programme):
    for ids, message in (([world.school_b1.pk], "не относится к МО"), ([], "хотя бы одну")):
        with pytest.raises(ServiceError, match=message):
            services.programme_update(
                programme_id=programme.pk,
                user=world.specialist_x,
                title=programme.title,
                order_number="1",
                order_date=programme.order_date,
                school_ids=ids,
            )
    assert programme.participants.count() == 2


def test_bad_file_is_refused_with_input_kept(client_for, world, programme):
    upload = SimpleUploadedFile("prikaz.exe", b"MZ", content_type="application/octet-stream")
    response = client_for(world.specialist_x).post(
        reverse("programmes:edit", args=[programme.pk]),
        _edit_data(programme, [world.school_a1, world.school_a2], order_file=upload),
    )
    assert response.status_code == 400
    assert "Файл приказа: PDF, DOC, DOCX, ODT, JPG или PNG, до 10 МБ." in response.content.decode()
    assert "256-изм" in response.content.decode()


@pytest.mark.parametrize("who, status", [("coordinator_a", 403), ("specialist_y", 404)])
def test_edit_page_only_for_managers_of_the_municipality(client_for, world, programme, who, status):
    client = client_for(getattr(world, who))
    url = reverse("programmes:edit", args=[programme.pk])
    assert client.get(url).status_code == status
    assert client.post(url, _edit_data(programme, [world.school_a1])).status_code == status
    assert programme.participants.count() == 2


def test_detail_page_links_to_editing_for_managers_only(client_for, world, programme):
    link = reverse("programmes:edit", args=[programme.pk])
    assert (
        link
        in client_for(world.specialist_x)
        .get(reverse("programmes:detail", args=[programme.pk]))
        .content.decode()
    )
    assert (
        link
        not in client_for(world.coordinator_a)
        .get(reverse("programmes:detail", args=[programme.pk]))
        .content.decode()
    )


# --- Deleting stages, targets, reporting dates -------------------------------------------------------


def _remove(client, programme, what, pk, confirm=True):
    return client.post(
        reverse("programmes:remove", args=[programme.pk, what, pk]), {"confirm": "1"} if confirm else {}
    )


def test_stage_and_target_are_deleted_after_confirmation(client_for, world, programme):
    client = client_for(world.specialist_x)
    stage = programme.stages.first()
    target = programme.targets.first()
    response = _remove(client, programme, "stage", stage.pk, confirm=False)
    assert response.status_code == 302 and Stage.objects.filter(pk=stage.pk).exists()
    assert _remove(client, programme, "stage", stage.pk).status_code == 302
    assert _remove(client, programme, "target", target.pk).status_code == 302
    assert not Stage.objects.filter(pk=stage.pk).exists()
    assert not Target.objects.filter(pk=target.pk).exists()
    assert Stage.history.get(id=stage.pk, history_type="-").history_user == world.specialist_x
    assert Target.history.get(id=target.pk, history_type="-").history_user == world.specialist_x
    page = client.get(reverse("programmes:detail", args=[programme.pk]))
    assert "Целевое значение удалено." in page.content.decode()


def test_detail_page_has_confirming_delete_forms(client_for, world, programme):
    body = (
        client_for(world.specialist_x).get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    )
    stage = programme.stages.first()
    assert reverse("programmes:remove", args=[programme.pk, "stage", stage.pk]) in body
    assert f'data-confirm="Удалить этап «{stage.title}»?"' in body
    assert "Удалить дату отчёта 15.05.2012?" in body


def test_reporting_date_without_reports_is_deleted(client_for, world, programme, dates):
    assert _remove(client_for(world.specialist_x), programme, "date", dates[2].pk).status_code == 302
    assert not ReportingDate.objects.filter(pk=dates[2].pk).exists()


@pytest.mark.parametrize(
    "state, message",
    [
        (
            ReportStatus.DRAFT,
            "Дату 15.05.2012 нельзя удалить: организации уже заполняют отчёты на неё (1 черновик).",
        ),
        (ReportStatus.SUBMITTED, "Дату 15.05.2012 нельзя удалить: на неё уже есть 1 отчёт организаций"),
        (ReportStatus.APPROVED, "Дату 15.05.2012 нельзя удалить: на неё уже есть 1 отчёт организаций"),
    ],
)
def test_reporting_date_with_reports_is_kept(
    client_for, world, programme, entry_a1, dates, system, state, message
):
    report = services.progress_report_start(
        participant_id=entry_a1.pk, reporting_date_id=dates[0].pk, user=world.coordinator_a
    )
    fill(report, world.coordinator_a, system)
    if state != ReportStatus.DRAFT:
        services.progress_report_submit(report_id=report.pk, user=world.coordinator_a)
    if state == ReportStatus.APPROVED:
        services.progress_report_approve(report_id=report.pk, user=world.specialist_x)
    client = client_for(world.specialist_x)
    response = _remove(client, programme, "date", dates[0].pk)
    assert response.status_code == 302
    assert ReportingDate.objects.filter(pk=dates[0].pk).exists()
    assert ProgressReport.objects.filter(pk=report.pk, status=state).exists()
    assert message in client.get(response.url).content.decode()


@pytest.mark.parametrize("who, status", [("coordinator_a", 403), ("specialist_y", 404)])
def test_others_cannot_delete(client_for, world, programme, who, status):
    stage = programme.stages.first()
    assert _remove(client_for(getattr(world, who)), programme, "stage", stage.pk).status_code == status
    assert Stage.objects.filter(pk=stage.pk).exists()


def test_item_of_another_programme_is_404(client_for, world, programme):
    other = services.programme_create(
        municipality=world.mun_y,
        title="Другая",
        order_number="1",
        order_date=datetime.date(2012, 1, 1),
        school_ids=[world.school_b1.pk],
        user=world.methodist,
    )
    stage = other.stages.first()
    assert _remove(client_for(world.specialist_x), programme, "stage", stage.pk).status_code == 404
    assert _remove(client_for(world.specialist_x), programme, "bogus", 1).status_code == 403
    assert Stage.objects.filter(pk=stage.pk).exists()


def test_delete_services_refuse_others(world, programme):
    with pytest.raises(ServiceError):
        services.stage_delete(stage_id=programme.stages.first().pk, user=world.specialist_y)
    with pytest.raises(ServiceError):
        services.target_delete(target_id=programme.targets.first().pk, user=world.coordinator_a)
    with pytest.raises(ServiceError):
        services.reporting_date_delete(
            reporting_date_id=programme.reporting_dates.first().pk, user=world.specialist_y
        )


# --- Adding on the programme's page --------------------------------------------------------------


def test_detail_page_forms_have_distinct_ids(client_for, world, programme):
    body = (
        client_for(world.specialist_x).get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    )
    assert (
        'id="id_stage-due_on"' in body and 'id="id_target-due_on"' in body and 'id="id_date-on_date"' in body
    )


def test_manager_adds_a_stage_a_target_and_a_date(client_for, world, programme):
    client = client_for(world.specialist_x)
    add = lambda what, data: client.post(reverse("programmes:add", args=[programme.pk, what]), data)  # noqa: E731
    add("stage", {"stage-phase": "main", "stage-title": "Собрание", "stage-due_on": "2012-05-01"})
    add(
        "target",
        {
            "target-indicator": "teachers_working_pct",
            "target-due_on": "2012-09-20",
            "target-min_percent": "70",
            "target-max_percent": "100",
        },
    )
    add("date", {"date-on_date": "2012-12-25"})
    assert programme.stages.filter(title="Собрание", due_on=datetime.date(2012, 5, 1)).exists()
    assert programme.targets.filter(indicator="teachers_working_pct", min_percent=70).exists()
    assert programme.reporting_dates.filter(on_date=datetime.date(2012, 12, 25)).exists()
    response = add("date", {"date-on_date": "2012-12-25"})
    assert "Дата отчёта 25.12.2012 уже есть в программе." in client.get(response.url).content.decode()


def test_a_stage_added_later_is_listed_within_its_phase(world, programme):
    from programmes import selectors

    services.stage_add(programme_id=programme.pk, phase="main", title="Собрание", user=world.specialist_x)
    phases = [s.phase for s in selectors.stages(programme)]
    assert phases == sorted(phases, key=["preparatory", "main", "functioning"].index)
    assert [s.title for s in selectors.stages(programme) if s.phase == "main"][-1] == "Собрание"


def test_order_file_is_kept_when_none_is_sent_and_removed_when_cleared(
    client_for, world, programme, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.specialist_x)
    url = reverse("programmes:edit", args=[programme.pk])
    upload = SimpleUploadedFile("prikaz.pdf", b"%PDF-1.4", content_type="application/pdf")
    client.post(url, _edit_data(programme, [world.school_a1, world.school_a2], order_file=upload))
    programme.refresh_from_db()
    name = programme.order_file.name
    assert name
    client.post(url, _edit_data(programme, [world.school_a1, world.school_a2]))
    programme.refresh_from_db()
    assert programme.order_file.name == name
    client.post(url, _edit_data(programme, [world.school_a1, world.school_a2], **{"order_file-clear": "on"}))
    programme.refresh_from_db()
    assert not programme.order_file
