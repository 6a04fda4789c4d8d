"""Files of the programmes: the progress table as Excel, and the parents' application form
(Appendix 4) as DOCX, pre-filled with the school's name, director and system."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from core.xlsx import xlsx_response

from .models import ProgrammeSchool
from .selectors import ProgressTable

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _percent_text(cell) -> str:
    return "—" if cell.value is None else f"{cell.value} %"


def _target_text(cell) -> str:
    if cell.target is None:
        return "—"
    return f"{cell.target.min_percent}–{cell.target.max_percent} % к {cell.target.due_on:%d.%m.%Y}"


def progress_xlsx(table: ProgressTable):
    header = ["Организация", "Отчёт на дату"]
    for _code, label in table.indicators:
        header += [f"{label}, %", f"{label}: цель", f"{label}: отстаёт"]
    header.append("Отстаёт")
    rows = []
    for row in table.rows:
        line: list = [
            row.participant.school.short_name,
            f"{row.report.reporting_date}" if row.report else "нет принятого",
        ]
        for cell in row.cells:
            line += [cell.value, _target_text(cell), cell.behind]
        line.append(row.behind)
        rows.append(line)
    total: list = [f"{table.programme.municipality} (среднее)", ""]
    for cell in table.total:
        total += [cell.value, _target_text(cell), cell.behind]
    total.append(any(c.behind for c in table.total))
    rows.append(total)
    return xlsx_response(
        f"programme-{table.programme.pk}-progress-{table.as_of:%Y%m%d}.xlsx", "Ход введения", header, rows
    )


def application_form_docx(participant: ProgrammeSchool) -> bytes:
    """Appendix 4 as the school hands it to parents: its name, director and system filled in, the
    parent's details left blank (the portal keeps no names)."""
    school = participant.school
    system = participant.system.name if participant.system else "______________________"
    director = participant.director_name or "______________________"
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    for line in (
        f"Директору {school.short_name}",
        director,
        "от ______________________________________",
        "(ФИО заявителя полностью)",
        "проживающего(ей) по адресу: ______________________________",
        "тел. ______________________",
    ):
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_heading("ЗАЯВЛЕНИЕ", level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(
        "Прошу предоставлять мне информацию о текущей успеваемости моего ребёнка (сына, дочери, "
        "опекаемого) (подчеркнуть) ______________________________________________ "
        "(фамилия, имя, отчество ребёнка), ученика(цы) ______ класса Вашего общеобразовательного "
        f"учреждения через систему электронного дневника, электронного журнала «{system}»."
    )
    doc.add_paragraph(
        "В соответствии с Федеральным законом № 152-ФЗ от 27.07.2006 «О персональных данных» выражаю своё "
        "согласие на обработку (сбор, систематизацию, накопление, хранение, уточнение (обновление, "
        "изменение), использование, распространение (передачу) способами, не противоречащими закону, "
        "моих персональных данных и данных моего ребёнка для обеспечения возможности оперативного доступа "
        "по индивидуальному логину и паролю через сеть «Интернет» к информации о текущей успеваемости и "
        "посещаемости своего ребёнка."
    )
    doc.add_paragraph(
        "Настоящее согласие сохраняет силу до выбытия ребёнка из общеобразовательного учреждения."
    )
    doc.add_paragraph("Прошу сообщить мне индивидуальные логин и пароль доступа в следующей форме:")
    for option in (
        "☐ при личном обращении",
        "☐ по телефону, номер: ______________________",
        "☐ электронной почтой по адресу: ______________________",
    ):
        doc.add_paragraph(option)
    doc.add_paragraph("«____» ______________ 20____ г.      ____________ / ______________________")
    doc.add_paragraph("подпись заявителя        расшифровка подписи")
    doc.add_paragraph("Регистрация заявления: регистрационный номер ________  дата регистрации ____________")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
