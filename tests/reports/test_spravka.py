"""The analytic справка as the methodist signs it: every section of the seed in the DOCX, the
page set-up, the header block and the signature, figures in Russian format, agreement of every
«number + noun», editing before it is final, the region's Word template, the charts."""

import datetime
import io
import json
import re
import zipfile

import openpyxl
import pymorphy3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from docx.shared import Mm

from monitoring.models import SchoolReport
from projects.models import Event, Project
from projects.passport import PROJECT_NAME
from reports import charts, docx_template, narrative
from reports.analytics import compute_figures
from reports.models import AnalyticReport, ReportParagraph, ReportTemplate
from reports.services import (
    MSG_REPORT_FINAL,
    ReportRefused,
    analytic_report_finalise,
    analytic_report_request,
    analytic_report_retry,
    analytic_report_signoff_update,
    report_paragraph_add,
    report_paragraph_update,
    report_template_upload,
)
from schools.models import Municipality
from tests.factories import SchoolFactory, campaign, report
from tests.projects.conftest import make_report, make_site

D = datetime.date
MORPH = pymorphy3.MorphAnalyzer(lang="ru")

SECTION_TITLES = [
    "Общие сведения",
    "Инфраструктура проекта",
    "Мероприятия года",
    "Информирование участников проекта",
    "Отчёты ПВП об исполнении технического задания",
    "Результаты мониторинга использования СЭД",
    "Сеть ПВП за учебный год",
    "Итоги",
    "Проблемы",
    "Выводы",
    "Приложение 1. Организации по проблемам",
    "Приложение 2. Показатели по муниципальным образованиям",
]


@pytest.fixture
def rich(world):
    """A region with a previous year, many schools (large totals), a «Сетевой город» installation,
    pilot sites with assignment reports and the regional centre's events of 2016-2017."""
    previous = campaign("2016", status="closed")
    current = campaign("2017", previous=previous)
    schools = [world.school_a1, world.school_a2, world.school_b1, world.school_b2]
    schools += [SchoolFactory() for _ in range(17)]
    current.participants.set(schools)
    previous.participants.set(schools)
    for i, school in enumerate(schools):
        report(previous, school, status="approved", system_code="none" if i % 4 == 0 else "tesh")
        code = ["tesh", "tesh", "dnevnik", "netgorod-tomsk7", "netgorod-guostrj", "none"][i % 6]
        report(
            current,
            school,
            status="approved" if i < 20 else "submitted",
            system_code=code,
            classes_total=91 + i,
            classes_edms=91 + i if code != "none" else 0,
            classes_ejournal=91 + i if code != "none" else 0,
            students_total=1000 + i,
            students_edms=900 if code != "none" else 0,
            teachers_total=133,
            teachers_edms=120 if code != "none" else 0,
            parents_edms=700 if i % 3 else 10,
            teacher_workstations=80 if i % 5 else 10,
            paper_journal=1 + i % 3,
        )
    project = Project.objects.get(name=PROJECT_NAME)
    site_a1 = make_site(project, world.school_a1, "tesh", D(2013, 3, 20))
    site_b1 = make_site(project, world.school_b1, "dnevnik", D(2015, 5, 22))
    make_site(project, world.school_a2, "tesh", D(2014, 1, 10), left_on=D(2017, 2, 1))
    make_site(project, world.school_b2, "netgorod-tomsk7", D(2016, 10, 3))
    make_report(
        site_a1,
        status="approved",
        pd_measures_done=True,
        pd_documents_published=True,
        ext_events_count=45,
        ext_events_participants=657,
        organised_contests=3,
        examples_2="Межмуниципальный конкурс «Дельфин» по химии и биологии для 8–9 классов.",
        examples_8="Мониторинг заполняемости электронного журнала ежемесячно.",
    )
    make_report(
        site_b1,
        status="submitted",
        pd_measures_done=True,
        ext_events_count=2,
        ext_events_participants=21,
        examples_2="Конкурс мини-сочинений «Мой электронный дневник».",
    )
    Event.objects.create(
        project=project,
        title="Новые возможности электронной школы",
        kind=Event.Kind.SEMINAR,
        starts_on=D(2016, 11, 15),
        teachers=77,
        students=0,
    )
    Event.objects.create(
        project=project,
        title="Электронная школа — это здорово!",
        kind=Event.Kind.CONTEST,
        starts_on=D(2017, 3, 1),
        teachers=21,
        students=102,
    )
    return current


@pytest.fixture
def built(world, rich, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        obj = analytic_report_request(user=world.methodist, campaign=rich)
    obj.refresh_from_db()
    assert obj.state == "done", obj.error
    return obj


def _docx(obj) -> Document:
    with obj.docx.open("rb") as fh:
        return Document(io.BytesIO(fh.read()))


def _text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


# --- the document -----------------------------------------------------------------------------------


def test_every_section_of_the_seed_is_in_the_docx(built):
    doc = _docx(built)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == SECTION_TITLES
    text = _text(doc)
    assert "Аналитическая справка" in text
    assert "за 2016-2017 учебный год" in text  # the period
    assert "утверждён распоряжением Департамента общего образования Томской области" in text
    assert "Цель проекта — внедрение систем электронного документооборота" in text
    assert "ООО «Томская электронная школа»" in text and "ООО «Дневник.ру»" in text and "ЗАО «ИРТех»" in text
    assert "Семинар «Новые возможности электронной школы» (15.11.2016; участники: 77 педагогов)" in text
    assert "участники: 21 педагог, 102 обучающихся" in text
    assert "Электронной рассылки." in text  # information channels from the project
    assert "представлено 2 отчёта об исполнении технического задания" in text
    for number in range(1, 9):
        assert f"{number}. " in text
    assert "Так, МАОУ СОШ № 1 г. Томска (Город Томск): межмуниципальный конкурс «Дельфин»" in text
    assert "Вышло из сети организаций: 1, по причинам: Перешла на систему «Дневник.ру» — 1." in text
    assert "Вместе с тем, наряду с положительными сторонами" in text
    assert "необходимо решить следующие задачи" in text


def test_page_setup_follows_gost(built):
    doc = _docx(built)
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm)) == (20, 20)
    normal = doc.styles["Normal"].font
    assert (normal.name, normal.size.pt) == ("Times New Roman", 14)
    tables = [t for t in doc.tables if len(t.rows) > 1]
    assert tables
    for table in tables:
        header = table.rows[0]._tr.trPr
        assert (
            header.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
        )
        for row in table.rows:
            assert (
                row._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit")
                is not None
            )
            assert all(cell.width and cell.width <= Mm(165) for cell in row.cells)
        assert sum(column.width for column in table.columns) <= Mm(165)
        layout = table._tbl.tblPr.findall(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblLayout"
        )
        assert (
            len(layout) == 1
            and layout[0].get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type") == "fixed"
        )
        split = re.compile(r"[\s\u00a0]+|(?<=-)")
        for col, column in enumerate(table.columns):
            widths = [
                docx_template.word_width_cm(word, bold=(i == 0))
                for i, row in enumerate(table.rows)
                for word in split.split(row.cells[col].text)
                if word
            ]
            assert column.width.cm >= max(widths) + 0.38, table.rows[0].cells[col].text  # no word broken
        runs = [r for cell in table.rows[1].cells for p in cell.paragraphs for r in p.runs]
        assert all(r.font.size.pt == 12 for r in runs)
    assert len(doc.inline_shapes) == 3  # systems, paper journal, municipalities
    assert all(shape.width <= Mm(165) for shape in doc.inline_shapes)


def test_header_block_and_signature(built, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        analytic_report_signoff_update(
            report_id=built.pk,
            values={
                "order_number": "62",
                "order_date": D(2017, 2, 10),
                "signatory_position": "И.о. директора",
                "signatory_name": "Е.В. Захарова",
                "executors": "Ковалев Егор Владимирович\nАнтипьева Наталья Николаевна",
            },
            user=world.methodist,
        )
    built.refresh_from_db()
    text = _text(_docx(built))
    assert "Приложение к приказу ОГБУ «РЦРО»\nот 10.02.2017 г. № 62" in text
    assert "И.о. директора" in text and "Е.В. Захарова" in text
    assert "Ковалев Егор Владимирович\nАнтипьева Наталья Николаевна" in text
    assert built.history.latest().history_user == world.methodist


def test_default_signature_from_the_passport(built):
    assert built.signatory_position == "Директор ОГБУ «РЦРО»"
    assert built.executors == "Старший методист ОГБУ «РЦРО»"


def test_known_figures_appear_in_russian_format(built, rich):
    f = compute_figures(rich)
    text = _text(_docx(built))
    # 20 approved of 21 participants; used by everyone except the «none» rows (i % 6 == 5).
    assert (f["orgs_total"], f["participants_expected"], f["orgs_using_edms"]) == (20, 21, 17)
    assert "учтены данные 20 общеобразовательных организаций" in text
    assert "из 21 участника мониторинга учтено 20 (95,2%)" in text
    assert "Из 20 общеобразовательных организаций, данные которых учтены, 17 (85,0%)" in text
    prev = f["previous"]
    assert (prev["orgs_total"], prev["orgs_using_edms"]) == (21, 15)
    assert "17 (85,0%) (в 2016-2017 учебном году — 15 — 71,4%) используют" in text
    assert f"СЭД используются в {f['classes_using_edms'] // 1000}\u00a0" in text
    assert "на том же основании — по принятым отчётам" in text
    assert "предварительное" not in text  # more than 90 % counted


def test_preliminary_comparison_when_few_are_counted(world, rich):
    drafts = SchoolReport.objects.filter(campaign=rich, status="approved").order_by("pk")[:4]
    SchoolReport.objects.filter(pk__in=[r.pk for r in drafts]).update(status="draft")
    f = compute_figures(rich)
    assert f["coverage_pct"] < 90 and f["comparison_preliminary"]
    text = " ".join(p.text for s in narrative.sections(f) for p in s.paragraphs)
    assert "сравнение с прошлым годом предварительное" in text


def test_previous_year_on_the_same_basis(world, rich):
    from monitoring.models import Campaign

    previous = Campaign.objects.get(slug="2016")
    SchoolReport.objects.filter(campaign=previous, school=world.school_a1).update(status="submitted")
    accepted = compute_figures(rich)
    with_review = compute_figures(rich, include_unapproved=True)
    assert accepted["previous"]["orgs_total"] == 20 and with_review["previous"]["orgs_total"] == 21
    assert with_review["basis_label"] == "по принятым отчётам и отчётам на проверке"


def _expected_forms(n: int, word: str, gender: str | None = None) -> set[str]:
    """Forms of ``word``'s lexeme that agree with ``n`` in some case, by pymorphy3 (an adjective
    takes the ``gender`` of its noun)."""
    forms = set()
    number = "sing" if n % 10 == 1 and n % 100 != 11 else "plur"
    for parse in MORPH.parse(word):
        if parse.tag.POS not in ("NOUN", "ADJF", "PRTF"):
            continue
        wanted = {"sing", "nomn"} | ({gender} if gender and parse.tag.POS != "NOUN" else set())
        base = parse.inflect(wanted) or parse
        agreed = base.make_agree_with_number(n)
        if agreed:
            forms.add(agreed.word)
        for case in ("gent", "datv", "ablt", "loct"):
            form = base.inflect({case, number})
            if form:
                forms.add(form.word)
    return forms


PAIR = re.compile(
    r"(?<![\d.,/\-–])(\d{1,3}(?:[\u00a0 ]\d{3})*|\d+)[ \u00a0]([а-яё]+(?:-[а-яё]+)?)(?: ([а-яё]+))?"
)


def test_every_number_and_noun_agree(built):
    text = _text(_docx(built))
    checked = 0
    for match in PAIR.finditer(text):
        n = int(re.sub(r"\D", "", match.group(1)))
        word, following = match.group(2), match.group(3)
        parses = [p for p in MORPH.parse(word) if p.tag.POS in ("NOUN", "ADJF", "PRTF")]
        if not parses or len(word) < 3:
            continue
        nouns = [p for p in MORPH.parse(following or "") if p.tag.POS == "NOUN"]
        if nouns and all(p.tag.POS in ("ADJF", "PRTF") for p in parses):
            # An adjective and its noun: «3 общеобразовательные организации».
            assert following in _expected_forms(n, following), match.group(0)
            assert word in _expected_forms(n, word, nouns[0].tag.gender), match.group(0)
        else:
            assert word in _expected_forms(n, word), match.group(0)
        checked += 1
    assert checked > 30


# --- editing before it is final -------------------------------------------------------------------


def test_edited_paragraphs_survive_regeneration_and_changes_are_flagged(
    world, built, rich, django_capture_on_commit_callbacks
):
    use = built.paragraphs.get(section="monitoring", key="use")
    participation = built.paragraphs.get(section="monitoring", key="participation")
    with django_capture_on_commit_callbacks(execute=True):
        report_paragraph_update(
            report_id=built.pk,
            paragraph_id=use.pk,
            text="Текст методиста об использовании СЭД.",
            user=world.methodist,
        )
        added = report_paragraph_add(
            report_id=built.pk, after_id=use.pk, text="Дополнительный абзац методиста.", user=world.methodist
        )
    assert "Текст методиста об использовании СЭД." in _text(_docx(AnalyticReport.objects.get(pk=built.pk)))

    # New data: one more school reports; the figures are computed again.
    SchoolReport.objects.filter(campaign=rich, status="submitted").update(status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        analytic_report_retry(report=built)
    built.refresh_from_db()
    use.refresh_from_db()
    participation.refresh_from_db()
    assert use.is_edited and use.text == "Текст методиста об использовании СЭД."
    assert use.generated_changed and "Из 21 общеобразовательной организации" in use.generated_text
    assert participation.generated_changed and not participation.is_edited
    assert "учтены данные 21 общеобразовательной организации" in participation.text
    unchanged = built.paragraphs.get(section="events", key="lead")
    assert not unchanged.generated_changed
    paragraphs = list(built.paragraphs.order_by("position").values_list("pk", flat=True))
    assert paragraphs.index(added.pk) == paragraphs.index(use.pk) + 1
    text = _text(_docx(built))
    assert "Текст методиста об использовании СЭД.\nДополнительный абзац методиста." in text
    assert "учтены данные 21 общеобразовательной организации" in text

    history = ReportParagraph.history.filter(id=use.pk, history_user=world.methodist)
    assert history.count() == 1 and history.get().edited_text == "Текст методиста об использовании СЭД."


def test_final_report_is_not_edited_or_regenerated(world, built, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        analytic_report_finalise(report_id=built.pk, user=world.methodist)
    built.refresh_from_db()
    assert built.is_final and built.finalised_by == world.methodist
    paragraph = built.paragraphs.first()
    with pytest.raises(ReportRefused, match=MSG_REPORT_FINAL):
        report_paragraph_update(report_id=built.pk, paragraph_id=paragraph.pk, text="x", user=world.methodist)
    with pytest.raises(ReportRefused, match=MSG_REPORT_FINAL):
        analytic_report_retry(report=built)


def test_report_page_edits_and_refusals(world, built, client_for, django_capture_on_commit_callbacks):
    url = reverse("reports:analytic_report", args=[built.pk])
    page = client_for(world.methodist).get(url).content.decode()
    assert "Исправить или добавить абзац" in page and "Отметить окончательной" in page
    paragraph = built.paragraphs.get(section="results", key="lead")
    edit = reverse("reports:analytic_report_paragraph", args=[built.pk, paragraph.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.methodist).post(edit, {"text": "Итоги года кратко.", "action": "save"})
    assert response.status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.text == "Итоги года кратко." and paragraph.updated_by == world.methodist
    page = client_for(world.methodist).get(url).content.decode()
    assert "Журнал правок" in page and "results/lead" in page
    # A specialist of another municipality does not see the region's report at all.
    assert client_for(world.specialist_x).post(edit, {"text": "x"}).status_code == 404
    empty = client_for(world.methodist).post(edit, {"text": "  ", "action": "save"}, follow=True)
    assert "Текст абзаца не может быть пустым." in empty.content.decode()


# --- the Word template ------------------------------------------------------------------------------


def _upload(data: bytes, name="template.docx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_default_template_is_valid_and_downloadable(world, client_for):
    docx_template.validate_template(docx_template.default_template_bytes(), "template.docx")
    response = client_for(world.methodist).get(reverse("reports:analytic_template_download"))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    assert any("{{p body }}" in p.text for p in doc.paragraphs)
    assert client_for(world.specialist_x).get(reverse("reports:analytic_template")).status_code == 403


def test_template_upload_is_validated_and_the_old_one_stays(world, rich, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    doc = Document(io.BytesIO(docx_template.default_template_bytes()))
    doc.paragraphs[0].insert_paragraph_before("БЛАНК ОГБУ «РЦРО»")
    buffer = io.BytesIO()
    doc.save(buffer)
    good = report_template_upload(upload=_upload(buffer.getvalue()), user=world.methodist)
    assert ReportTemplate.objects.get() == good

    client = client_for(world.methodist)
    url = reverse("reports:analytic_template")
    no_body = Document(io.BytesIO(docx_template.default_template_bytes()))
    for p in no_body.paragraphs:
        if "body" in p.text:
            p.text = "текст"
    buffer = io.BytesIO()
    no_body.save(buffer)
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("word/other.xml", "<x/>")
    bad_jinja = Document(io.BytesIO(docx_template.default_template_bytes()))
    bad_jinja.add_paragraph("{{ figures.orgs_total | no_such_filter }}")
    bad_buffer = io.BytesIO()
    bad_jinja.save(bad_buffer)
    cases = [
        (_upload(b"not a document", "template.docx"), docx_template.MSG_TEMPLATE_BROKEN),
        (_upload(b"PK", "template.pdf"), docx_template.MSG_TEMPLATE_NOT_DOCX),
        (_upload(broken.getvalue()), docx_template.MSG_TEMPLATE_BROKEN),
        (_upload(buffer.getvalue()), docx_template.MSG_TEMPLATE_NO_BODY),
        (_upload(bad_buffer.getvalue()), "Шаблон не удалось заполнить"),
    ]
    for upload, message in cases:
        response = client.post(url, {"file": upload})
        assert response.status_code == 422
        assert message.split("{")[0] in response.content.decode()
        assert ReportTemplate.objects.get() == good  # the old template stays

    # The next report is rendered from the region's template.
    obj = AnalyticReport.objects.create(requested_by=world.methodist, campaign=rich)
    from reports.services import analytic_report_run

    analytic_report_run(report_id=obj.pk)
    obj.refresh_from_db()
    assert _docx(obj).paragraphs[0].text == "БЛАНК ОГБУ «РЦРО»"


# --- charts, XLSX and JSON --------------------------------------------------------------------------


def test_charts_label_each_installation_and_stay_the_same_size(world, rich):
    f = compute_figures(rich)
    labels = {s["label"] for s in f["by_system"]}
    assert {"Сетевой город (netgorod.tomsk-7.ru)", "Сетевой город (portal.guostrj.ru)"} <= labels
    many = dict(f)
    many["by_municipality"] = [
        {"municipality": f"МО {i}", "orgs": 10 + i, "orgs_using_edms": 5, "orgs_using_edms_pct": 50.0}
        for i in range(40)
    ]
    bars = charts.municipality_bars(many)
    assert len(bars) == charts.TOP_N and bars[-1][0] == "остальные (29)"
    few, lots = charts.chart_png("municipalities", f), charts.chart_png("municipalities", many)
    from PIL import Image

    assert Image.open(io.BytesIO(few)).size == Image.open(io.BytesIO(lots)).size
    assert Municipality.objects.count() >= 2


def test_xlsx_keeps_working_sheets_and_json_every_figure(built):
    with built.xlsx.open("rb") as fh:
        book = openpyxl.load_workbook(io.BytesIO(fh.read()))
    assert {"Сводка", "По системам", "По МО", "Проблемы", "Отчёты ПВП"} <= set(book.sheetnames)
    assert book["По системам"]._charts and book["По МО"]._charts
    with built.json.open("rb") as fh:
        data = json.loads(fh.read().decode("utf-8"))
    assert data == json.loads(json.dumps(built.figures))
    for key in (
        "basis",
        "coverage_pct",
        "comparison_preliminary",
        "project",
        "events",
        "pilot_network",
        "network_year",
    ):
        assert key in data
    assert data["pilot_network"]["examples"]["2"][0]["school"] == "МАОУ СОШ № 1 г. Томска"


def test_signoff_and_final_through_the_page(world, built, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.methodist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:analytic_report_signoff", args=[built.pk]),
            {"order_number": "62", "order_date": "2017-02-10", "signatory_position": "И.о. директора"},
        )
    assert response.status_code == 302
    built.refresh_from_db()
    assert (built.order_number, built.order_date) == ("62", D(2017, 2, 10))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:analytic_report_finalise", args=[built.pk]))
    built.refresh_from_db()
    assert built.is_final
    page = client.get(reverse("reports:analytic_report", args=[built.pk])).content.decode()
    assert "Окончательная редакция" in page and "Исправить или добавить абзац" not in page
    again = client.post(reverse("reports:analytic_report_retry", args=[built.pk]), follow=True)
    assert MSG_REPORT_FINAL in again.content.decode()
    assert "от 10.02.2017 г. № 62" in _text(_docx(built))


# --- size: the справка does not grow with the region -----------------------------------------------


def _national(f: dict, municipalities: int = 2000, problems: int = 25000, switched: int = 3000) -> dict:
    """The figures as a national data set would give them: thousands of municipalities, tens of
    thousands of organisations in the lists of problems."""
    big = dict(f)
    big["by_municipality"] = [
        {
            "municipality": f"Муниципальное образование № {i}",
            "orgs": 5 + i % 40,
            "orgs_using_edms": 3 + i % 3,
            "orgs_using_edms_pct": (i * 7) % 101,
            "classes_pct": 50.0,
            "students_pct": 60.0,
            "teachers_pct": 70.0,
            "parents_per_student": 0.8,
        }
        for i in range(municipalities)
    ]
    keys = list(f["problems"])
    big["problems"] = {
        key: [
            {
                "school": f"Школа из перечня № {i}",
                "municipality": f"Муниципальное образование № {i % municipalities}",
            }
            for i in range(problems // len(keys))
        ]
        for key in keys
    }
    big["switched"] = [
        {
            "school": f"Школа из перечня № {i}",
            "municipality": "Город Томск",
            "from": "Дневник.ру",
            "to": "ТЭШ",
            "notes": "",
        }
        for i in range(switched)
    ]
    return big


def _png_sizes(doc) -> list[tuple[int, int]]:
    from PIL import Image

    sizes = []
    for shape in doc.inline_shapes:
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        sizes.append(Image.open(io.BytesIO(doc.part.related_parts[rid].blob)).size)
    return sizes


def test_spravka_keeps_its_size_at_any_number_of_municipalities(world, rich, tmp_path):
    """2 000 municipalities and 25 000 organisations with problems: the same charts of the same
    size, tables of a bounded length, a pointer to the XLSX where every row is."""
    small = compute_figures(rich)
    big = _national(small)
    docs = {}
    for name, f in (("small", small), ("big", big)):
        data = docx_template.render_docx(f, narrative.sections(f), docx_template.Signoff())
        docs[name] = (Document(io.BytesIO(data)), len(data))
    (small_doc, small_bytes), (big_doc, big_bytes) = docs["small"], docs["big"]
    assert _png_sizes(small_doc) == _png_sizes(big_doc) and len(_png_sizes(big_doc)) == 3
    assert big_bytes < small_bytes + 150_000
    longest = max(len(t.rows) for t in big_doc.tables)
    assert longest <= max(narrative.LIST_ROWS_LIMIT, narrative.MUNICIPALITY_ROWS_LIMIT) + 1
    assert sum(len(t.rows) for t in big_doc.tables) < 200
    text = _text(big_doc)
    assert "Муниципальных образований — 2\u00a0000" in text
    for sheet in ("По МО", "Проблемы", "Сменили систему"):
        assert f"лист «{sheet}»" in text
    assert "Школа из перечня" not in text  # the organisations are counted, not listed
    # The XLSX holds every row; its chart reads a short table of the largest municipalities.
    from reports.documents import write_xlsx

    write_xlsx(big, tmp_path / "big.xlsx")
    book = openpyxl.load_workbook(tmp_path / "big.xlsx")
    assert book["По МО"].max_row == 2001
    assert book["Проблемы"].max_row == 1 + sum(len(v) for v in big["problems"].values())
    assert book["Сменили систему"].max_row == 3001
    (chart,) = book["По МО"]._charts
    assert chart.series[0].val.numRef.f.endswith(f"${charts.TOP_N + 1}")


def test_small_region_keeps_full_lists(built):
    text = _text(_docx(built))
    assert "Перечни организаций по каждой проблеме приведены в приложении 1." in text
    assert "лист «По МО»" not in text


def test_report_queries_do_not_grow_with_schools(
    world, rich, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MEDIA_ROOT = tmp_path

    def build() -> int:
        with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
            obj = analytic_report_request(user=world.methodist, campaign=rich)
        obj.refresh_from_db()
        assert obj.state == "done", obj.error
        return len(captured)

    before = build()
    for i in range(25):
        municipality = Municipality.objects.create(
            name=f"Район № {i}", code=f"district-{i}", kind=Municipality.Kind.DISTRICT, sort_order=100 + i
        )
        for _ in range(2):
            report(rich, SchoolFactory(municipality=municipality), status="approved", paper_journal=1)
    assert before == build()


def test_chart_labels_fit_the_margin_on_two_lines():
    font = charts._font(charts.FONT_PT)
    long = "Городской округ закрытое административно-территориальное образование Северск Томской области"
    lines = charts.fit_label(long, font, 250)
    assert len(lines) == charts.LABEL_LINES and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 250 for line in lines)
    assert charts.fit_label("Сетевой город (netgorod.tomsk-7.ru)", font, 250) == [
        "Сетевой город",
        "(netgorod.tomsk-7.ru)",
    ]
    assert charts.fit_label("ТЭШ", font, 250) == ["ТЭШ"]
    assert [charts.nice_step(x) for x in (1, 118, 2974, 52000)] == [0.2, 25, 1000, 20000]
