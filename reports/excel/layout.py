"""The Appendix 1 workbook layout: how a report's values become cells and back.

Writers and readers of the workbook use the pairs of functions here, so that an exported table
imports back to the same values.
"""

import re

from monitoring.columns import COLUMNS

TITLE = (
    "Сведения по использованию систем электронного документооборота, реализующих модули "
    "«электронный журнал», «электронный дневник», в ОУ (СЭД) по состоянию на {as_of} г."
)
# The official layout is exactly columns A…Y (1…25). Column 14 holds the count of classes and, in
# brackets, which other modules and whose: «5 (турникет, столовая — ООО «ТЭШ»)».
MODULE_NAMES = (
    ("module_turnstile", "турникет"),
    ("module_library", "библиотека"),
    ("module_canteen", "столовая"),
)
OTHER_LABEL = "другие"
MODULES_COLUMN = 14
MODULE_FIELDS = (*(name for name, _ in MODULE_NAMES), "module_other", "other_modules_text")
SKYPE_PREFIX = "скайп:"
TOTAL_PREFIX = "Итого"

# Column number → model field for the plain number and code columns.
NUMBER_COLUMNS = {
    8: "classes_total",
    9: "classes_edms",
    10: "parents_edms",
    11: "teacher_workstations",
    12: "student_workstations",
    13: "classes_ejournal",
    14: "classes_other_modules",
    15: "students_total",
    16: "students_edms",
    17: "teachers_total",
    18: "teachers_edms",
}
CODE_COLUMNS = {19: ("entry_frequency", 4), 20: ("paper_journal", 3), 21: ("pilot_site", 2)}
SUM_COLUMNS = tuple(range(8, 19))

HEADER_LABELS = {c.number: f"{c.label}" for c in COLUMNS}

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
ADDRESS_START = re.compile(r",\s*(?=(?:\d{6}|г\.|с\.|п\.|пос\.|д\.)\s*)")
EVENT_RE = re.compile(
    r"^(?P<title>.+?)\s*[—–-]\s*обучающихся\s*(?P<students>\d+)\s*,\s*педагогов\s*(?P<teachers>\d+)\s*$",
    re.IGNORECASE,
)


def join_nonempty(*parts, sep=", ") -> str:
    """The parts that are not empty once stripped, stripped, joined by ``sep``."""
    return sep.join(filter(None, map(str.strip, filter(None, parts))))


# --- name + address (columns 3 and 4) -------------------------------------------------------------


def name_with_address(name: str, address: str) -> str:
    return join_nonempty(name, address)


def split_name_address(text: str) -> tuple[str, str]:
    """«МАОУ СОШ № 4 г. Томска, 634050, г. Томск, ул. …» → (name, address)."""
    text = " ".join(str(text or "").split())
    match = ADDRESS_START.search(text)
    if not match:
        return text, ""
    return text[: match.start()].strip(), text[match.end() :].strip()


# --- person and contacts (columns 6, 7, 22, 23) ----------------------------------------------------


def person(name: str, position: str = "") -> str:
    return join_nonempty(name, position)


def split_person(text: str) -> tuple[str, str]:
    text = " ".join(str(text or "").split())
    name, _, position = text.partition(",")
    return name.strip(), position.strip()


def contacts(phone: str, email: str, skype: str = "") -> str:
    return join_nonempty(phone, email, f"{SKYPE_PREFIX} {skype}" if skype else "")


def split_contacts(text: str) -> tuple[str, str, str]:
    """«+7 (3822) 55-01-23, mail@school.ru, скайп: login» → (phone, e-mail, skype)."""
    text = " ".join(str(text or "").split())
    skype = ""
    lowered = text.lower()
    if SKYPE_PREFIX in lowered:
        at = lowered.index(SKYPE_PREFIX)
        skype = text[at + len(SKYPE_PREFIX) :].strip(" ,;")
        text = text[:at]
    email_match = EMAIL_RE.search(text)
    email = email_match.group(0) if email_match else ""
    if email_match:
        text = text[: email_match.start()] + text[email_match.end() :]
    phone = text.strip(" ,;")
    return phone, email, skype


# --- column 14: count of classes + which other modules and whose ---------------------------------

# The free text (which modules, whose) follows the ticked modules after a dash; a reader also takes
# an en dash or a spaced hyphen typed by hand.
_MODULES_CELL_RE = re.compile(r"^(?P<count>[^()]*?)\s*\((?P<inner>.*)\)\s*$", re.DOTALL)
_TEXT_SEPARATOR_RE = re.compile(r"\s*[—–]\s*|\s+-\s+")


def modules_cell(values: dict):
    """Column 14 of a report: the count alone when no module is named (a number cell), otherwise
    «5 (турникет, столовая — ООО «ТЭШ»)»: the ticked modules, then the free text after a dash."""
    count = values.get("classes_other_modules")
    labels = [label for name, label in MODULE_NAMES if values.get(name)]
    if values.get("module_other"):
        labels.append(OTHER_LABEL)
    text = " ".join(str(values.get("other_modules_text") or "").split())
    inner = ", ".join(labels)
    if text:
        inner = f"{inner} — {text}" if inner else f"— {text}"
    if not inner:
        return count
    return f"{count} ({inner})" if count is not None else f"({inner})"


def _no_modules() -> dict:
    return {**{name: False for name, _ in MODULE_NAMES}, "module_other": False, "other_modules_text": ""}


def split_modules_cell(value) -> tuple[object, dict]:
    """Column 14 → (the count part as found, to be read as an integer; the module fields).

    Reads what ``modules_cell`` writes, and hand-made variants: «5 (турникет, электронная
    библиотека)», «5 (столовая - ТЭШ)». Anything that is not text (a number, a formula) is the
    count as is, with no module named."""
    modules = _no_modules()
    if not isinstance(value, str):
        return value, modules
    text = " ".join(value.split())
    match = _MODULES_CELL_RE.match(text)
    if not match:
        return text, modules
    inner = match.group("inner").strip()
    parts = _TEXT_SEPARATOR_RE.split(inner, maxsplit=1)
    head, tail = parts[0], (parts[1] if len(parts) > 1 else "")
    unknown = []
    for token in [t.strip() for t in head.split(",") if t.strip()]:
        lowered = token.lower()
        field = next((name for name, label in MODULE_NAMES if label == lowered), None)
        if field:
            modules[field] = True
        elif lowered == OTHER_LABEL:
            modules["module_other"] = True
        else:
            unknown.append(token)
    if unknown:
        modules["module_other"] = True
    modules["other_modules_text"] = join_nonempty(", ".join(unknown), tail.strip(), sep=" — ")
    return match.group("count").strip() or None, modules


# --- column 24: events ------------------------------------------------------------------------------


def events_text(events) -> str:
    return "; ".join(f"{e['title']} — обучающихся {e['students']}, педагогов {e['teachers']}" for e in events)


def parse_events(text: str) -> list[dict]:
    events = []
    for part in [p.strip() for p in str(text or "").split(";") if p.strip()]:
        match = EVENT_RE.match(part)
        if match:
            events.append(
                {
                    "title": match.group("title").strip(),
                    "students": int(match.group("students")),
                    "teachers": int(match.group("teachers")),
                }
            )
        else:
            events.append({"title": part, "students": 0, "teachers": 0})
    return events


# --- text safety ------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def needs_text_guard(value: str) -> bool:
    """Text a spreadsheet could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)
