"""The Word template of the analytic report and its rendering with docxtpl.

The default template follows Russian office practice: A4, margins per ГОСТ Р 7.0.97-2016 (left
30 mm, right 15 mm, top and bottom 20 mm), Times New Roman 14 (12 in tables), page numbers at the
bottom. It is built here by code, so the repository holds no binary; a methodist downloads it,
changes it in Word (letterhead, fonts, the wording around the fields) and uploads it back.

Fields of the template (Jinja syntax of docxtpl): ``{{ order_date }}``, ``{{ order_number }}``,
``{{ title }}``, ``{{ period }}``, ``{{p body }}`` (the generated sections: required),
``{{ signatory_position }}``, ``{{ signatory_name }}``, the loop over ``executors`` and any figure
as ``{{ figures.orgs_total }}``.
"""

import datetime
import functools
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import jinja2
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docxtpl import DocxTemplate

from . import charts, narrative

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
MARGINS_MM = {"left": 30, "right": 15, "top": 20, "bottom": 20}
A4_MM = (210, 297)
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
REQUIRED_FIELD = "body"
CHART_WIDTH_CM = 16

MSG_TEMPLATE_NOT_DOCX = "Нужен документ Word в формате .docx."
MSG_TEMPLATE_TOO_LARGE = "Шаблон больше 5 МБ."
MSG_TEMPLATE_BROKEN = "Файл повреждён или это не документ Word .docx."
MSG_TEMPLATE_NO_BODY = (
    "В шаблоне нет поля {{p body }}: без него в справку не попадёт текст. Верните поле в шаблон."
)
MSG_TEMPLATE_RENDER = "Шаблон не удалось заполнить: {error}. Проверьте поля в фигурных скобках."


FIXED_TIME = datetime.datetime(2000, 1, 1)  # documents carry no build time, so rebuilding gives the same file


class TemplateError(Exception):
    """An uploaded template that cannot be used; the message is for the methodist."""


@dataclass
class Signoff:
    """What the methodist enters around the generated text: the order in the header block and
    the signature with the executors."""

    order_number: str = ""
    order_date: datetime.date | None = None
    signatory_position: str = ""
    signatory_name: str = ""
    executors: list[str] = field(default_factory=list)


# --- the default template -------------------------------------------------------------------------


def _set_font(style, size_pt: int, bold: bool | None = None) -> None:
    style.font.name = FONT
    style.font.size = Pt(size_pt)
    style.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)


def _page_setup(doc) -> None:
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _set_font(normal, BODY_PT)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    fmt.first_line_indent = Cm(1.25)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        style = doc.styles[name]
        _set_font(style, BODY_PT, bold=True)
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.first_line_indent = Cm(0)
        style.paragraph_format.keep_with_next = True
    doc.styles["Heading 2"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    bullet = doc.styles["List Bullet"]
    _set_font(bullet, BODY_PT)
    bullet.paragraph_format.first_line_indent = Cm(0)
    _set_font(doc.styles["Table Grid"], TABLE_PT)


def _page_number_footer(doc) -> None:
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _line(doc, text: str, align=WD_ALIGN_PARAGRAPH.LEFT, bold=False, indent=False):
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    if not indent:
        paragraph.paragraph_format.first_line_indent = Cm(0)
    run = paragraph.add_run(text)
    run.bold = bold
    return paragraph


def _signature_table(doc) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(10), Cm(6.5)
    left.paragraphs[0].paragraph_format.first_line_indent = Cm(0)
    left.paragraphs[0].add_run("{{ signatory_position }}")
    right.paragraphs[0].paragraph_format.first_line_indent = Cm(0)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    right.paragraphs[0].add_run("{{ signatory_name }}")


@functools.lru_cache(maxsize=1)
def default_template_bytes() -> bytes:
    """The default template as a .docx (built by code: the same bytes on every call)."""
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _page_number_footer(doc)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    center = WD_ALIGN_PARAGRAPH.CENTER
    _line(doc, "Приложение к приказу ОГБУ «РЦРО»", right)
    _line(doc, "от {{ order_date }} г. № {{ order_number }}", right)
    _line(doc, "")
    heading = _line(doc, "Аналитическая справка", center, bold=True)
    heading.runs[0].font.all_caps = True  # printed in capitals, searchable as written
    _line(doc, "{{ title }}", center, bold=True)
    _line(doc, "{{ period }}", center)
    _line(doc, "")
    _line(doc, "{{p body }}")
    _line(doc, "")
    _signature_table(doc)
    _line(doc, "")
    _line(doc, "{%p for person in executors %}")
    _line(doc, "{{ person }}")
    _line(doc, "{%p endfor %}")
    props = doc.core_properties
    props.title = "Шаблон аналитической справки"
    props.author = "ОГБУ «РЦРО»"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- the body: sections, tables and charts ---------------------------------------------------------


# Liberation Serif has the metrics of Times New Roman: used to measure the longest word of a column.
# Shipped in reports/fonts (SIL OFL), so the widths are the same on any server.
FONT_FILES = {
    False: str(Path(__file__).resolve().parent / "fonts" / "LiberationSerif-Regular.ttf"),
    True: str(Path(__file__).resolve().parent / "fonts" / "LiberationSerif-Bold.ttf"),
}
CELL_PADDING_CM = 0.45  # left and right cell margins of Word (0,19 cm each) and a little air
_WORD_SPLIT = re.compile(r"[\s\u00a0]+|(?<=-)")


@functools.lru_cache(maxsize=2)
def _font(bold: bool):
    try:
        from PIL import ImageFont

        return ImageFont.truetype(FONT_FILES[bold], size=TABLE_PT * 10)
    except (ImportError, OSError):
        return None


@functools.lru_cache(maxsize=65536)
def word_width_cm(word: str, bold: bool = False) -> float:
    """The printed width of ``word`` at the table font size, in cm."""
    font = _font(bold)
    points = font.getlength(word) / 10 if font else len(word) * TABLE_PT * 0.55
    return points / 72 * 2.54


def fit_widths(table: narrative.Table) -> list[float]:
    """Column widths in cm: at least the longest word of each column (words are never broken),
    the rest of the text width shared as the table asks."""
    wanted = table.column_widths()
    minimum = []
    for col in range(len(table.header)):
        words = [(w, True) for w in _WORD_SPLIT.split(table.header[col]) if w]
        words += [(w, False) for row in table.rows for w in _WORD_SPLIT.split(str(row[col])) if w]
        minimum.append(max((word_width_cm(w, bold) for w, bold in words), default=0) + CELL_PADDING_CM)
    widths = [max(w, m) for w, m in zip(wanted, minimum, strict=True)]
    excess = sum(widths) - narrative.PAGE_WIDTH_CM
    slack = [w - m for w, m in zip(widths, minimum, strict=True)]
    if excess > 0 and sum(slack) > 0:
        share = min(1.0, excess / sum(slack))
        widths = [w - s * share for w, s in zip(widths, slack, strict=True)]
    if sum(widths) > narrative.PAGE_WIDTH_CM:  # the words are longer than the page: shrink all
        scale = narrative.PAGE_WIDTH_CM / sum(widths)
        widths = [w * scale for w in widths]
    return [round(w, 2) for w in widths]


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FONTS_XML = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'
_RUN_PR = f'<w:rPr>{_FONTS_XML}<w:sz w:val="{TABLE_PT * 2}"/></w:rPr>'
_RUN_PR_BOLD = f'<w:rPr>{_FONTS_XML}<w:b/><w:sz w:val="{TABLE_PT * 2}"/></w:rPr>'
_CELL_PARAGRAPH_PR = '<w:pPr><w:ind w:firstLine="0"/><w:jc w:val="left"/></w:pPr>'
_ROW_PR = '<w:trPr><w:cantSplit w:val="true"/></w:trPr>'
_HEADER_ROW_PR = '<w:trPr><w:cantSplit w:val="true"/><w:tblHeader w:val="true"/></w:trPr>'


def _run_xml(text, bold: bool) -> str:
    """One run of table text (12 pt Times New Roman); line breaks and tabs as Word has them."""
    pieces = []
    for i, line in enumerate(_XML_INVALID.sub("", str(text)).split("\n")):
        if i:
            pieces.append("<w:br/>")
        for j, part in enumerate(line.split("\t")):
            if j:
                pieces.append("<w:tab/>")
            if part:
                pieces.append(f'<w:t xml:space="preserve">{xml_escape(part)}</w:t>')
    return f"<w:r>{_RUN_PR_BOLD if bold else _RUN_PR}{''.join(pieces)}</w:r>"


def _row_xml(values, twips: list[int], *, header: bool = False) -> str:
    """A table row that is never split across pages (the header row repeats on every page)."""
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>'
        f"<w:p>{_CELL_PARAGRAPH_PR}{_run_xml(text, header)}</w:p></w:tc>"
        for text, width in zip(values, twips, strict=True)
    )
    return f"<w:tr>{_HEADER_ROW_PR if header else _ROW_PR}{cells}</w:tr>"


def _add_table(doc, table: narrative.Table) -> None:
    if table.title:
        _caption = doc.add_paragraph()
        _caption.paragraph_format.first_line_indent = Cm(0)
        _caption.paragraph_format.keep_with_next = True
        _caption.add_run(table.title).italic = True
    widths = [Cm(w) for w in fit_widths(table)]
    out = doc.add_table(rows=0, cols=len(table.header))
    out.style = "Table Grid"
    out.autofit = False  # a fixed layout: the widths below hold, no word is broken to fit
    for column, width in zip(out.columns, widths, strict=True):
        column.width = width  # the table grid, read by LibreOffice
    # The rows are written as one piece of XML: python-docx's cell-by-cell calls cost milliseconds
    # per cell, which a table of a few hundred rows turns into seconds.
    twips = [width.twips for width in widths]
    rows = [_row_xml(table.header, twips, header=True)]
    rows += [_row_xml(values, twips) for values in table.rows]
    for row in parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>"):
        out._tbl.append(row)
    doc.add_paragraph().paragraph_format.first_line_indent = Cm(0)


class _Styles:
    """Style ids of the template looked up once per document: python-docx looks a style name up
    by scanning every style of the template, on every paragraph."""

    def __init__(self, doc):
        self.doc = doc
        self.ids: dict[str, str | None] = {}

    def paragraph(self, text: str, name: str):
        if name not in self.ids:
            self.ids[name] = self.doc.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
        out = self.doc.add_paragraph(text)
        out._p.style = self.ids[name]
        return out


def _add_paragraph(doc, paragraph: narrative.Paragraph, styles: _Styles) -> None:
    if paragraph.kind == narrative.ITEM:
        styles.paragraph(paragraph.text, "List Bullet")
    elif paragraph.kind == narrative.SUBHEADING:
        out = doc.add_paragraph()
        out.paragraph_format.keep_with_next = True
        out.add_run(paragraph.text).bold = True
    else:
        doc.add_paragraph(paragraph.text)


def _add_chart(doc, kind: str, figures: dict) -> None:
    png = charts.chart_png(kind, figures)
    if png:
        picture = doc.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.first_line_indent = Cm(0)
        picture.add_run().add_picture(io.BytesIO(png), width=Cm(CHART_WIDTH_CM))


def _add_section(doc, section: narrative.Section, figures: dict, styles: _Styles) -> None:
    if section.appendix:
        doc.add_page_break()
    styles.paragraph(section.title, "Heading 2")
    for paragraph in section.paragraphs:
        _add_paragraph(doc, paragraph, styles)
    for table in section.tables:
        _add_table(doc, table)
    for kind in section.charts:
        _add_chart(doc, kind, figures)


def _body(tpl: DocxTemplate, sections: list[narrative.Section], figures: dict):
    subdoc = tpl.new_subdoc()
    styles = _Styles(subdoc)
    for section in sections:
        _add_section(subdoc, section, figures, styles)
    return subdoc


# --- rendering -------------------------------------------------------------------------------------


def _context(tpl: DocxTemplate, figures: dict, sections, signoff) -> dict:
    return {
        "order_date": signoff.order_date.strftime("%d.%m.%Y") if signoff.order_date else "__.__.____",
        "order_number": signoff.order_number or "____",
        "title": narrative.title(figures),
        "period": narrative.period(figures),
        "body": _body(tpl, sections, figures),
        "signatory_position": signoff.signatory_position,
        "signatory_name": signoff.signatory_name,
        "executors": list(signoff.executors),
        "figures": figures,
    }


def render_docx(figures: dict, sections, signoff, *, template: bytes | None = None) -> bytes:
    """The справка as .docx bytes, from ``template`` (the default one when None)."""
    tpl = DocxTemplate(io.BytesIO(template or default_template_bytes()))
    tpl.render(_context(tpl, figures, sections, signoff), autoescape=True)
    props = tpl.docx.core_properties
    props.title = ("Аналитическая справка " + narrative.title(figures))[:255]
    props.created = props.modified = FIXED_TIME
    buffer = io.BytesIO()
    tpl.save(buffer)
    return buffer.getvalue()


# --- validation of an uploaded template ------------------------------------------------------------


SAMPLE_FIGURES = {
    "scope": "Томская область",
    "project": None,
    "report_year": "2016-2017",
    "as_of_text": "01.09.2017",
    "basis_label": "по принятым отчётам",
}
SAMPLE_SECTIONS = [
    narrative.Section(
        "sample",
        "Проверка шаблона",
        [
            narrative.Paragraph("text", "Текст справки."),
            narrative.Paragraph("item", "Пункт списка.", narrative.ITEM),
        ],
        [narrative.Table(["Графа 1", "Графа 2"], [["1", "2"]])],
    )
]


def validate_template(data: bytes, name: str, figures: dict | None = None) -> None:
    """Raise :class:`TemplateError` unless ``data`` is a real .docx template that renders (with
    ``figures`` of a real report when there is one, so fields such as ``{{ figures.orgs_total }}``
    are tried too)."""
    if not (name or "").lower().endswith(".docx"):
        raise TemplateError(MSG_TEMPLATE_NOT_DOCX)
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateError(MSG_TEMPLATE_TOO_LARGE)
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise TemplateError(MSG_TEMPLATE_BROKEN)
    try:
        with zipfile.ZipFile(buffer) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
        if "word/document.xml" not in names or unpacked > 20 * MAX_TEMPLATE_BYTES:
            raise TemplateError(MSG_TEMPLATE_BROKEN)
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
    except TemplateError:
        raise
    except Exception as exc:
        raise TemplateError(MSG_TEMPLATE_BROKEN) from exc
    try:
        fields = tpl.get_undeclared_template_variables()
    except jinja2.TemplateError as exc:
        raise TemplateError(MSG_TEMPLATE_RENDER.format(error=exc)) from exc
    if REQUIRED_FIELD not in fields:
        raise TemplateError(MSG_TEMPLATE_NO_BODY)
    try:
        rendered = render_docx(
            figures or SAMPLE_FIGURES, SAMPLE_SECTIONS, Signoff(order_number="1"), template=data
        )
        Document(io.BytesIO(rendered))
    except Exception as exc:
        raise TemplateError(MSG_TEMPLATE_RENDER.format(error=exc)) from exc
