"""The prose of the analytic report («аналитическая справка»), in Russian, from the figures.

``sections(figures)`` returns the document as a list of sections in the order of the seed
(the справка of 10.02.2017): the project, its infrastructure, the year's events, information
channels, the pilot sites' reports by the 8 indicators, the monitoring results, the pilot network
over the year, «Итоги», «Проблемы», «Выводы» and the appendix tables. The DOCX, the web page and
the editable paragraphs all read this one list.

Every paragraph has a stable key inside its section, so that a methodist's edits survive when the
figures are computed again. Every «number + noun» goes through ``core.russian.agree``.

A section is one small function in ``SECTION_BUILDERS``; a new sentence is one more
``Paragraph`` appended by the function of its section.
"""

import datetime
from dataclasses import dataclass, field

from core import russian as ru

FREQUENCY_LABELS = {"1": "ежедневно", "2": "раз в 2–3 дня", "3": "еженедельно", "4": "1–2 раза в месяц"}
PROBLEM_TITLES = {
    "parallel_journals": "Бумажный и электронный журналы ведутся параллельно",
    "few_teacher_workstations": "Недостаточно рабочих мест учителя (меньше {min_tw} на одного педагога, работающего в СЭД)",
    "low_parent_registration": "Мало родителей зарегистрировано в СЭД (меньше {min_pp} на одного обучающегося)",
    "edms_not_used": "СЭД не используется",
}
ORG = "общеобразовательная организация"
TEXT, ITEM, SUBHEADING = "text", "item", "subheading"
# Width for tables on an A4 page with the margins of the default template (210 − 30 − 15 mm), in
# cm, less a millimetre for the borders.
PAGE_WIDTH_CM = 16.4
# The справка stays a document a person reads at any size of the region: a list longer than this
# is summed up in the DOCX and given in full in the report's XLSX (the sheet named in the text).
LIST_ROWS_LIMIT = 150  # organisations in the appendix of problems / systems changed
MUNICIPALITY_ROWS_LIMIT = 60  # municipalities in appendix 2
MUNICIPALITY_EXTREMES = 15  # municipalities with the highest / lowest share shown beyond the limit
PROBLEM_TOP_MUNICIPALITIES = 3  # municipalities named for each problem in the summed-up appendix 1
XLSX_SHEET_PROBLEMS = "Проблемы"
XLSX_SHEET_MUNICIPALITIES = "По МО"
XLSX_SHEET_SWITCHED = "Сменили систему"


@dataclass
class Paragraph:
    key: str
    text: str
    kind: str = TEXT  # TEXT, ITEM (a list item) or SUBHEADING


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)  # cm; empty — equal widths
    title: str = ""

    def column_widths(self) -> list[float]:
        """Widths in cm that add up to no more than the page allows."""
        widths = self.widths or [1.0] * len(self.header)
        total = sum(widths)
        scale = PAGE_WIDTH_CM / total if total > PAGE_WIDTH_CM or not self.widths else 1.0
        return [round(w * scale, 2) for w in widths]


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)  # names of charts drawn after the paragraphs
    appendix: bool = False

    def add(self, key: str, text: str, kind: str = TEXT) -> None:
        self.paragraphs.append(Paragraph(key, text, kind))

    def items(self, prefix: str, texts: list[str]) -> None:
        for i, text in enumerate(texts, 1):
            self.add(f"{prefix}_{i}", text, ITEM)


# --- small helpers --------------------------------------------------------------------------------


def _date(iso: str | None) -> str:
    return datetime.date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else "—"


def _next_year(academic_year: str) -> str:
    start = int(academic_year[:4]) + 1
    return f"{start}-{start + 1}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "»")) else text + "."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _strip_label(text: str, label: str) -> str:
    text = (text or "").strip()
    return text[len(label) :].strip() if text.lower().startswith(label.lower()) else text


def _approved_by(document: str) -> str:
    """«Распоряжение Департамента … № 187-р» → «распоряжением Департамента … № 187-р»."""
    first, _, rest = document.strip().partition(" ")
    return " ".join(filter(None, [_lower_first(ru.inflect(first, "ablt")), rest]))


def _system_shares(rows: list[dict], value: str = "orgs") -> str:
    return ", ".join(
        f"{row.get('label') or row['system']} — {ru.num(row[value])} ({ru.pct(row['pct'])})" for row in rows
    )


def problem_title(key: str, f: dict) -> str:
    thresholds = f["thresholds"]
    return PROBLEM_TITLES[key].format(
        min_tw=ru.dec(thresholds["min_teacher_workstations_per_teacher"]),
        min_pp=ru.dec(thresholds["min_parents_per_student"]),
    )


# --- the header and the title ------------------------------------------------------------------------


def title(f: dict) -> str:
    scope = "" if f["scope"] == "Томская область" else f" ({f['scope']})"
    project = f.get("project")
    if project:
        return (
            "об итогах деятельности сети базовых общеобразовательных учреждений регионального проекта "
            f"«{project['name']}» и мониторинга использования систем электронного документооборота"
            f"{scope} за {f['report_year']} учебный год"
        )
    return (
        "по итогам мониторинга использования систем электронного документооборота в общеобразовательных "
        f"организациях Томской области{scope} по состоянию на {f['as_of_text']} г."
    )


def period(f: dict) -> str:
    return (
        f"Период: {f['report_year']} учебный год; данные мониторинга по состоянию на {f['as_of_text']} г. "
        f"({f['basis_label']})."
    )


# --- the sections -----------------------------------------------------------------------------------


def _intro(f: dict) -> Section:
    s = Section("intro", "Общие сведения")
    project = f.get("project")
    if project:
        approved = (
            f" (утверждён {_approved_by(project['approval_document'])})"
            if project["approval_document"]
            else ""
        )
        s.add(
            "project",
            f"Региональный проект «{project['name']}»{approved} реализуется в соответствии с государственным "
            "заданием ОГБУ «Региональный центр развития образования» (далее — ОГБУ «РЦРО») и планом-графиком "
            "реализации регионального проекта.",
        )
        if project["goal"]:
            s.add(
                "goal",
                "Цель проекта — " + _lower_first(_sentence(_strip_label(project["goal"], "Цель проекта:"))),
            )
    s.add(
        "sources",
        f"Справка подготовлена по отчётам проектно-внедренческих площадок (далее — ПВП) об исполнении "
        f"технического задания и по данным мониторинга использования систем электронного документооборота "
        f"(далее — СЭД) по состоянию на {f['as_of_text']} г.; данные мониторинга учтены {f['basis_label']}.",
    )
    return s


def _infrastructure(f: dict) -> Section | None:
    network = f.get("pilot_network")
    if not network:
        return None
    s = Section("infrastructure", "Инфраструктура проекта")
    s.add("lead", "Инфраструктура проекта представляет собой систему взаимодействия трёх субъектов:")
    municipalities = len(network["network_by_municipality"])
    systems = ", ".join(
        f"{row['label']} — {ru.num(row['count'])}" for row in _labelled(network["network_by_system"])
    )
    vendors = [v["vendor_name"] for v in f["by_vendor"]] or [
        v["vendor"] for v in network["network_by_vendor"]
    ]
    s.items(
        "subject",
        [
            "ОГБУ «РЦРО» — координационный центр проекта, который обеспечивает организационно-управленческое, "
            "научно-методическое, экспертно-аналитическое, консультационное и информационное сопровождение "
            "региональной сети ПВП.",
            f"Региональная сеть, включающая {ru.agree(network['network_size'], 'базовое образовательное учреждение', 'accs')} "
            f"(ПВП) из {ru.agree(municipalities, 'муниципальное образование', 'gent')} Томской области"
            + (f" (по системам: {systems})" if systems else "")
            + ", которые в течение года реализуют основные направления проекта в соответствии с техническим заданием.",
            "Разработчики используемых систем, реализующих модули «Электронный журнал» и «Электронный дневник»: "
            + ("; ".join(vendors) if vendors else "—")
            + ".",
        ],
    )
    return s


def _labelled(rows: list[dict]) -> list[dict]:
    """Pilot-network rows by system with a label per installation (as ``analytics.with_labels``)."""
    shared: dict[str, int] = {}
    for row in rows:
        shared[row["short_name"]] = shared.get(row["short_name"], 0) + 1
    return [
        row
        | {
            "label": f"{row['short_name']} ({row['system'].split('(')[-1].rstrip(')')})"
            if shared[row["short_name"]] > 1 and "(" in (row["system"] or "")
            else row["short_name"]
        }
        for row in rows
    ]


def _events(f: dict) -> Section | None:
    if f.get("project") is None:
        return None
    s = Section("events", "Мероприятия года")
    events = f["events"]
    if not events:
        s.add(
            "none",
            f"Мероприятия ОГБУ «РЦРО» за {f['report_year']} учебный год в реестре мероприятий проекта не отмечены.",
        )
        return s
    s.add(
        "lead",
        f"В {f['report_year']} учебном году сопровождение сети ПВП осуществлялось ОГБУ «РЦРО» в ходе "
        "подготовки и проведения следующих основных мероприятий для педагогов и обучающихся:",
    )
    for i, event in enumerate(events, 1):
        people = []
        if event["teachers"]:
            people.append(ru.agree(event["teachers"], "педагог"))
        if event["students"]:
            people.append(ru.agree(event["students"], "обучающийся"))
        who = f"; участники: {', '.join(people)}" if people else ""
        s.add(
            f"event_{i}",
            f"{event['kind_label'].capitalize()} «{event['title'].strip('«»')}» ({_date(event['starts_on'])}{who}).",
            ITEM,
        )
    teachers = sum(e["teachers"] for e in events)
    students = sum(e["students"] for e in events)
    s.add(
        "total",
        f"Всего проведено мероприятий: {ru.num(len(events))}; участники — {ru.agree(teachers, 'педагог')} "
        f"и {ru.agree(students, 'обучающийся')}.",
    )
    return s


def _channels(f: dict) -> Section | None:
    project = f.get("project")
    if project is None:
        return None
    s = Section("channels", "Информирование участников проекта")
    channels = project["information_channels"]
    s.add(
        "lead",
        "Информирование ПВП о региональных образовательных событиях, о мероприятиях, организуемых ПВП, о "
        "всероссийских и международных конкурсах, связанных с использованием школьных цифровых ресурсов, "
        "осуществляется посредством:"
        if channels
        else "Каналы информирования участников проекта не указаны в паспорте проекта.",
    )
    s.items("channel", [_sentence(c.lstrip("·•-– ")) for c in channels])
    return s


def _indicator_paragraphs(s: Section, indicator: dict, examples: list[dict], total: int) -> None:
    n = indicator["number"]
    s.add(f"indicator_{n}_title", f"{n}. {indicator['title']}", SUBHEADING)
    if not total:
        s.add(f"indicator_{n}", "Отчётов по показателю нет.")
        return
    text = (
        f"Анализ отчётов по показателю показал: {indicator['met_label']} — {ru.agree(indicator['sites'], 'ПВП')} "
        f"({ru.pct(indicator['pct'])} от представивших отчёт)."
    )
    details = [
        f"{line['label']} — {ru.num(line['value'])}"
        + (f" ({ru.pct(line['pct'])})" if line.get("pct") is not None else "")
        for line in indicator["lines"]
        if line["value"]
    ]
    if details:
        text += " По данным отчётов: " + "; ".join(details) + "."
    s.add(f"indicator_{n}", text)
    if examples:
        named = [
            f"{e['school']} ({e['municipality']}): {_lower_first(_sentence(e['text']))}" for e in examples
        ]
        s.add(f"indicator_{n}_examples", "Так, " + " Также ".join(named))


def _assignment_reports(f: dict) -> Section | None:
    network = f.get("pilot_network")
    if not network:
        return None
    s = Section("assignment", "Отчёты ПВП об исполнении технического задания")
    total = network["assignment_reports"]
    s.add(
        "received",
        f"К установленному сроку ПВП представлено {ru.agree(total, 'отчёт')} об исполнении технического "
        f"задания на {network['academic_year']} учебный год ({ru.pct(network['assignment_reports_pct'])} "
        f"от общего числа ПВП — {ru.num(network['network_size'])}).",
    )
    if network["by_system"]:
        s.add(
            "by_system",
            "Из представивших отчёт ПВП используют системы: "
            + ", ".join(f"{row['label']} — {ru.pct(row['pct'])}" for row in _labelled(network["by_system"]))
            + ".",
        )
    indicators = network["indicators"]
    s.add(
        "indicators",
        f"Анализ деятельности сети ПВП проводился по {ru.agree(len(indicators), 'показатель', 'datv')}, которые "
        "отражают основные содержательные направления реализации регионального проекта:",
    )
    s.items("indicator_list", [_sentence(i["title"]) for i in indicators])
    examples = network.get("examples", {})
    for indicator in indicators:
        _indicator_paragraphs(s, indicator, examples.get(str(indicator["number"]), []), total)
    return s


def _participation_text(f: dict) -> str:
    text = (
        f"В мониторинге использования СЭД по состоянию на {f['as_of_text']} г. учтены данные "
        f"{ru.agree(f['orgs_total'], ORG, 'gent')}"
    )
    if f["scope"] == "Томская область":
        text += (
            f" из {ru.agree(f['municipalities_total'], 'муниципальное образование', 'gent')} Томской области"
        )
        if f["regional_orgs_total"]:
            text += f", в том числе {ru.agree(f['regional_orgs_total'], 'организация областного подчинения', 'gent')}"
    else:
        text += f" ({f['scope']})"
    return (
        text
        + f". Данные учтены {f['basis_label']}: из {ru.agree(f['participants_expected'], 'участник', 'gent')} "
        f"мониторинга учтено {ru.num(f['orgs_total'])} ({ru.pct(f['coverage_pct'])}); не представлено отчётов — "
        f"{ru.num(f['reports_missing'])}, не принято — {ru.num(f['reports_not_approved'])}."
    )


def _use_text(f: dict) -> str:
    prev = f.get("previous")
    before = ""
    if prev:
        before = (
            f" (в {prev['academic_year']} учебном году — {ru.num(prev['orgs_using_edms'])} — "
            f"{ru.pct(prev['orgs_using_edms_pct'])})"
        )
    used = [row for row in f["by_system"] if row["is_used"]]
    return (
        f"Из {ru.agree(f['orgs_total'], ORG, 'gent')}, данные которых учтены, {ru.num(f['orgs_using_edms'])} "
        f"({ru.pct(f['orgs_using_edms_pct'])}){before} используют для ведения электронных журналов и электронных "
        "дневников системы электронного документооборота"
        + (": " + _system_shares(used) if used else "")
        + "."
    )


def _comparison_text(f: dict) -> str:
    prev = f.get("previous")
    if not prev:
        return "Данных прошлого года для сравнения нет."
    text = (
        f"Сравнение с {prev['academic_year']} учебным годом проведено на том же основании — {f['basis_label']} "
        f"(в прошлом году учтено {ru.num(prev['orgs_total'])} из {ru.num(prev['participants_expected'])})."
    )
    if f["comparison_preliminary"]:
        text += (
            f" Учтено меньше {ru.num(90)}% участников мониторинга, поэтому сравнение с прошлым годом "
            "предварительное: оно может измениться, когда будут приняты остальные отчёты."
        )
    return text


def _monitoring(f: dict) -> Section:
    s = Section("monitoring", "Результаты мониторинга использования СЭД")
    s.add("participation", _participation_text(f))
    s.add("use", _use_text(f))
    s.add("comparison", _comparison_text(f))
    if f["switched"]:
        where = (
            "(список — в таблице ниже)."
            if len(f["switched"]) <= LIST_ROWS_LIMIT
            else "(в таблице ниже — по парам систем «было — стало»; список организаций — в таблице XLSX "
            f"к справке, лист «{XLSX_SHEET_SWITCHED}»)."
        )
        s.add(
            "switched",
            f"По сравнению с прошлым мониторингом систему сменили {ru.agree(len(f['switched']), 'организация')} "
            + where,
        )
    if f.get("adopted"):
        s.add(
            "adopted",
            f"Начали использовать систему (в прошлом мониторинге — «не используется» или отчёта не было) "
            f"{ru.agree(len(f['adopted']), 'организация')}; сменой системы это не считается.",
        )
    pj, pjp = f["paper_journal"], f["paper_journal_pct"]
    s.add(
        "paper",
        f"Бумажный журнал наряду с электронным ведут {ru.agree(pj['yes'], 'организация')} ({ru.pct(pjp['yes'])}); "
        f"отказались от бумажного журнала {ru.agree(pj['no'], 'организация')} ({ru.pct(pjp['no'])}); планируют "
        f"отказ в следующем учебном году — {ru.num(pj['planned'])} ({ru.pct(pjp['planned'])}).",
    )
    s.add(
        "coverage",
        f"СЭД используются в {ru.agree(f['classes_using_edms'], 'класс', 'loct')} из {ru.num(f['classes_total'])} "
        f"({ru.pct(f['classes_using_edms_pct'])}); в СЭД работают {ru.agree(f['students_using_edms'], 'обучающийся')} "
        f"из {ru.num(f['students_total'])} ({ru.pct(f['students_using_edms_pct'])}) и "
        f"{ru.agree(f['teachers_using_edms'], 'педагог')} из {ru.num(f['teachers_total'])} "
        f"({ru.pct(f['teachers_using_edms_pct'])}). Число зарегистрированных в СЭД родителей — "
        f"{ru.num(f['parents_using_edms'])} ({ru.dec(f['parents_per_student'], 2)} на одного обучающегося).",
    )
    s.add(
        "workstations",
        f"Рабочих мест учителя — {ru.num(f['teacher_workstations'])} ({ru.dec(f['teacher_workstations_per_teacher'], 2)} "
        f"на одного педагога), рабочих мест ученика — {ru.num(f['student_workstations'])} "
        f"({ru.dec(f['student_workstations_per_student'], 2)} на одного обучающегося).",
    )
    s.add(
        "frequency",
        "Периодичность внесения данных педагогами (число организаций): "
        + "; ".join(f"{FREQUENCY_LABELS[k]} — {ru.num(v)}" for k, v in f["entry_frequency"].items())
        + ".",
    )
    if f["top_municipalities"]:
        text = "Наибольшая доля организаций, использующих СЭД: " + ", ".join(f["top_municipalities"]) + "."
        if f["bottom_municipalities"]:
            text += " Наименьшая: " + ", ".join(f["bottom_municipalities"]) + "."
        s.add("municipalities", text + " Показатели по муниципальным образованиям — в приложении 2.")
    s.tables.append(_systems_table(f))
    if f["switched"]:
        s.tables.append(_switched_table(f["switched"]))
    s.charts.extend(["systems", "paper"])
    return s


def _switched_table(switched: list[dict]) -> Table:
    """The organisations that changed their system; beyond ``LIST_ROWS_LIMIT`` the number of
    organisations per pair «было — стало» (the full list is in the XLSX)."""
    if len(switched) <= LIST_ROWS_LIMIT:
        return Table(
            ["МО", "Организация", "Было", "Стало", "Примечание (графа 25)"],
            [[x["municipality"], x["school"], x["from"], x["to"], x["notes"] or "—"] for x in switched],
            [3.0, 4.5, 3.0, 3.0, 3.0],
            "Организации, сменившие систему",
        )
    pairs: dict[tuple[str, str], int] = {}
    for x in switched:
        pairs[(x["from"], x["to"])] = pairs.get((x["from"], x["to"]), 0) + 1
    ranked = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
    if len(ranked) > LIST_ROWS_LIMIT:
        rest = ranked[LIST_ROWS_LIMIT - 1 :]
        ranked = [*ranked[: LIST_ROWS_LIMIT - 1], (("остальные пары", "—"), sum(n for _, n in rest))]
    return Table(
        ["Было", "Стало", "Организаций"],
        [[before, after, ru.num(n)] for (before, after), n in ranked],
        [6.5, 6.5, 3.4],
        "Смена системы: число организаций по парам систем",
    )


def _systems_table(f: dict) -> Table:
    prev = f.get("previous")
    header = ["Система", "Разработчик", "Организаций", "Доля"]
    widths = [6.0, 3.5, 3.0, 4.0]
    if prev:
        header += ["Доля в прошлом году", "Изменение, п. п."]
        widths = [4.5, 2.6, 2.4, 2.2, 2.6, 2.2]
    rows = []
    for row in f["by_system"]:
        cells = [row["system"], row["vendor"] or "—", ru.num(row["orgs"]), ru.pct(row["pct"])]
        if prev:
            change = row.get("pct_change")
            cells += [
                ru.pct(row.get("previous_pct")),
                ("+" if change and change > 0 else "") + ru.dec(change) if change is not None else "—",
            ]
        rows.append(cells)
    return Table(header, rows, widths, "Организации по системам электронного документооборота")


def _network_year(f: dict) -> Section | None:
    year = f.get("network_year")
    if not year:
        return None
    s = Section("network", "Сеть ПВП за учебный год")
    s.add(
        "start",
        f"На начало {f['report_year']} учебного года ({_date(year['start'])} г.) сеть ПВП состояла из "
        f"{ru.agree(year['size_start'], ORG, 'gent')}.",
    )
    joined = ", ".join(f"{row['short_name']} — {ru.num(row['count'])}" for row in year["joined_by_system"])
    s.add(
        "joined",
        f"За учебный год в сеть вступило организаций: {ru.num(year['joined'])}"
        + (f" ({joined})" if joined else "")
        + ".",
    )
    reasons = "; ".join(
        f"{r['reason'] or 'причина не указана'} — {ru.num(r['count'])}" for r in year["left_by_reason"]
    )
    s.add(
        "left",
        f"Вышло из сети организаций: {ru.num(year['left'])}"
        + (f", по причинам: {reasons}" if reasons else "")
        + ".",
    )
    by_system = ", ".join(
        f"{row['label']} — {ru.num(row['count'])}" for row in _labelled(year["end_by_system"])
    )
    s.add(
        "end",
        f"Таким образом, на {_date(year['end'])} г. в сети ПВП {ru.agree(year['size_end'], ORG)}"
        + (f", из них по системам: {by_system}" if by_system else "")
        + ".",
    )
    return s


def _plan_value(value, unit: str) -> str:
    if value is None:
        return "нет данных"
    if unit == "%":
        return ru.pct(value)
    return f"{ru.num(value) if value == int(value) else ru.dec(value, 2)} {unit}"


def _plan(f: dict) -> Section | None:
    """«План и факт»: the indicators' targets and actuals for the campaign's year and the late
    stages (absent from reports built before the plan was kept, and when there is nothing to quote)."""
    plan = f.get("plan")
    if not plan:
        return None
    s = Section("plan", "План и факт регионального проекта")
    year = plan["year"]
    indicators = plan["indicators"]
    if indicators:
        behind = [i for i in indicators if i["behind"]]
        no_data = [i for i in indicators if i["actual"] is None]
        met = len(indicators) - len(behind) - len(no_data)
        text = (
            f"На {year} год плановые значения установлены для {ru.agree(len(indicators), 'показатель', 'gent')} "
            f"проекта; плановое значение достигнуто по {ru.agree(met, 'показатель', 'datv')}, ниже плана — "
            f"по {ru.agree(len(behind), 'показатель', 'datv')}"
        )
        if no_data:
            text += f", нет данных — по {ru.agree(len(no_data), 'показатель', 'datv')}"
        s.add("indicators", text + ".")
        for i, row in enumerate(behind, 1):
            s.add(
                f"behind_{i}",
                _sentence(
                    f"{row['name']}: план — {_plan_value(row['target'], row['unit'])}, факт — "
                    f"{_plan_value(row['actual'], row['unit'])}"
                ),
                ITEM,
            )
        s.tables.append(
            Table(
                ["Показатель", f"План на {year}", f"Факт за {year}", "Источник"],
                [
                    [
                        row["name"],
                        _plan_value(row["target"], row["unit"]),
                        _plan_value(row["actual"], row["unit"]),
                        row["note"] or "—",
                    ]
                    for row in indicators
                ],
                [6.0, 2.4, 2.4, 5.6],
                "Показатели регионального проекта: план и факт",
            )
        )
    late = plan["late_stages"]
    if late:
        n = len(late)
        s.add(
            "late",
            f"На {_date(plan['as_of'])} г. {ru.verb_for(n, 'просрочен', 'просрочены')} "
            f"{ru.agree(n, 'этап')} плана проекта:",
        )
        s.items(
            "late_stage", [f"{x['number']}. {x['title']} (срок — {_date(x['ends_on'])} г.);" for x in late]
        )
    return s


def _results(f: dict) -> Section:
    s = Section("results", "Итоги")
    project = f.get("project")
    lead = "Таким образом, полученные в ходе анализа данные позволяют сделать вывод, что"
    if project:
        lead += f" в ходе реализации проекта «{project['name']}»"
    s.add("lead", lead + " в системе образования Томской области:")
    items = []
    if f["orgs_total"]:
        text = f"системы электронного документооборота используют {ru.pct(f['orgs_using_edms_pct'])} учтённых общеобразовательных организаций"
        prev = f.get("previous")
        if prev and prev["orgs_using_edms_pct"] is not None:
            text += f" (в {prev['academic_year']} учебном году — {ru.pct(prev['orgs_using_edms_pct'])}"
            text += ", сравнение предварительное)" if f["comparison_preliminary"] else ")"
        items.append(text + ";")
    year = f.get("network_year")
    if year:
        stable = "стабильной остаётся" if year["size_end"] >= year["size_start"] else "сократилась"
        items.append(
            f"{stable} сеть ПВП: на начало учебного года — {ru.num(year['size_start'])}, на конец — "
            f"{ru.num(year['size_end'])};"
        )
    network = f.get("pilot_network")
    if network and network["assignment_reports"]:
        items.append(
            f"отчёты об исполнении технического задания представили {ru.pct(network['assignment_reports_pct'])} ПВП, "
            "ПВП проводят образовательные события, консультации и мониторинги в СЭД;"
        )
    if f.get("events"):
        items.append(
            "формируется информационно-коммуникационная среда для взаимообмена и эффективного использования "
            "имеющихся ресурсов;"
        )
    items.append(
        "формируется единое информационное пространство образовательных организаций, объединяющее педагогов, "
        "администрацию, обучающихся и их родителей."
    )
    s.items("item", items)
    return s


def problem_statements(f: dict) -> list[tuple[str, str]]:
    """(key, generalised statement with a count and a share) for each problem found."""
    total = f["orgs_total"]
    found = {key: len(items) for key, items in f["problems"].items() if items}
    out = []

    def share(n):
        return ru.pct(ru.share(n, total))

    if "parallel_journals" in found:
        n = found["parallel_journals"]
        out.append(
            (
                "parallel_journals",
                f"в {ru.agree(n, ORG, 'loct')} ({share(n)} учтённых) бумажный и электронный журналы ведутся "
                f"параллельно, что требует больших временных затрат; от бумажного журнала отказались лишь "
                f"{ru.agree(f['paper_journal']['no'], 'организация')} ({ru.pct(f['paper_journal_pct']['no'])});",
            )
        )
    if "few_teacher_workstations" in found:
        n = found["few_teacher_workstations"]
        out.append(
            (
                "few_teacher_workstations",
                f"в {ru.agree(n, ORG, 'loct')} ({share(n)}) недостаточно рабочих мест учителя: меньше "
                f"{ru.dec(f['thresholds']['min_teacher_workstations_per_teacher'])} на одного педагога, работающего в СЭД;",
            )
        )
    if "low_parent_registration" in found:
        n = found["low_parent_registration"]
        out.append(
            (
                "low_parent_registration",
                f"в {ru.agree(n, ORG, 'loct')} ({share(n)}) в СЭД зарегистрировано мало родителей: меньше "
                f"{ru.dec(f['thresholds']['min_parents_per_student'])} на одного обучающегося;",
            )
        )
    if "edms_not_used" in found:
        n = found["edms_not_used"]
        out.append(("edms_not_used", f"СЭД не используется в {ru.agree(n, ORG, 'loct')} ({share(n)});"))
    network = f.get("pilot_network")
    if network and network["network_size"] > network["assignment_reports"]:
        missing = network["network_size"] - network["assignment_reports"]
        out.append(
            (
                "assignment_missing",
                f"отчёты об исполнении технического задания не представлены от {ru.agree(missing, 'ПВП', 'gent')} "
                f"({ru.pct(ru.share(missing, network['network_size']))} сети);",
            )
        )
    if f["reports_not_counted"]:
        n = f["reports_not_counted"]
        out.append(
            (
                "not_counted",
                f"не учтены данные мониторинга {ru.agree(n, ORG, 'gent')} "
                f"({ru.pct(ru.share(n, f['participants_expected']))} участников): отчёты не представлены или не приняты;",
            )
        )
    return out


def _problems(f: dict) -> Section:
    s = Section("problems", "Проблемы")
    statements = problem_statements(f)
    if not statements:
        s.add("none", "Проблем по данным мониторинга не выявлено.")
        return s
    s.add(
        "lead",
        "Вместе с тем, наряду с положительными сторонами реализации проекта, возникает ряд проблемных вопросов:",
    )
    for key, text in statements:
        s.add(key, text, ITEM)
    if any(f["problems"].values()):
        s.add(
            "appendix",
            "Перечни организаций по каждой проблеме приведены в приложении 1."
            if _problem_rows(f) <= LIST_ROWS_LIMIT
            else "Число организаций по каждой проблеме приведено в приложении 1, полные перечни "
            f"организаций — в таблице XLSX к справке (лист «{XLSX_SHEET_PROBLEMS}»).",
        )
    return s


def _tasks(f: dict) -> Section:
    s = Section("tasks", "Выводы")
    project = f.get("project")
    about = f" по реализации проекта «{project['name']}»" if project else ""
    s.add(
        "lead",
        f"С целью повышения эффективности деятельности региональной сети ПВП{about} в "
        f"{_next_year(f['report_year'])} учебном году необходимо решить следующие задачи:",
    )
    problems = {key: len(items) for key, items in f["problems"].items() if items}
    items = []
    if "parallel_journals" in problems:
        items.append(
            f"добиться отказа от параллельного ведения бумажного и электронного журналов в "
            f"{ru.agree(problems['parallel_journals'], ORG, 'loct')};"
        )
    if "few_teacher_workstations" in problems:
        items.append(
            "совместно с муниципальными органами управления образованием оснастить рабочие места учителя в "
            f"{ru.agree(problems['few_teacher_workstations'], ORG, 'loct')};"
        )
    if "low_parent_registration" in problems:
        items.append(
            f"организовать регистрацию родителей в СЭД в {ru.agree(problems['low_parent_registration'], ORG, 'loct')};"
        )
    if "edms_not_used" in problems:
        items.append(f"обеспечить переход на СЭД {ru.agree(problems['edms_not_used'], ORG, 'gent')};")
    network = f.get("pilot_network")
    if network and network["network_size"] > network["assignment_reports"]:
        items.append("обеспечить представление отчётов об исполнении технического задания всеми ПВП;")
    items += [
        "обеспечить информационное, организационное, методическое сопровождение ПВП в соответствии с целью и "
        "задачами регионального проекта;",
        "на основании результатов мониторингов выявить, изучить и обобщить положительный опыт ПВП с целью "
        "представления его педагогическому сообществу.",
    ]
    s.items("item", items)
    return s


def _problem_rows(f: dict) -> int:
    return sum(len(items) for items in f["problems"].values())


def _appendix_problems(f: dict) -> Section | None:
    if not any(f["problems"].values()):
        return None
    s = Section("appendix_problems", "Приложение 1. Организации по проблемам", appendix=True)
    total = _problem_rows(f)
    if total <= LIST_ROWS_LIMIT:
        rows = [
            [problem_title(key, f), item["municipality"], item["school"]]
            for key, items in f["problems"].items()
            for item in items
        ]
        s.tables.append(Table(["Проблема", "МО", "Организация"], rows, [6.5, 4.0, 6.0]))
        return s
    s.add(
        "summary",
        f"Перечни насчитывают {ru.agree(total, 'строка', 'accs')}, поэтому здесь приведено число "
        "организаций по каждой проблеме и муниципальные образования, где таких организаций больше всего. "
        f"Полные перечни — в таблице XLSX к справке, лист «{XLSX_SHEET_PROBLEMS}».",
    )
    rows = []
    for key, items in f["problems"].items():
        if not items:
            continue
        per_municipality: dict[str, int] = {}
        for item in items:
            per_municipality[item["municipality"]] = per_municipality.get(item["municipality"], 0) + 1
        ranked = sorted(per_municipality.items(), key=lambda x: (-x[1], x[0]))
        named = ", ".join(f"{name} — {ru.num(n)}" for name, n in ranked[:PROBLEM_TOP_MUNICIPALITIES])
        if len(ranked) > PROBLEM_TOP_MUNICIPALITIES:
            named += f"; всего МО — {ru.num(len(ranked))}"
        rows.append([problem_title(key, f), ru.num(len(items)), named])
    s.tables.append(Table(["Проблема", "Организаций", "Больше всего в МО"], rows, [6.5, 2.9, 7.0]))
    return s


MUNICIPALITY_HEADER = [
    "МО",
    "Всего ОО",
    "ОО с СЭД",
    "Доля ОО с СЭД",
    "Классы в СЭД",
    "Обуч. в СЭД",
    "Педаг. в СЭД",
]
MUNICIPALITY_WIDTHS = [4.4, 1.8, 1.8, 2.1, 2.1, 2.1, 2.1]
MUNICIPALITY_NOTE = (
    "ОО — общеобразовательные организации; доли классов, обучающихся и педагогов, работающих в СЭД"
)


def _municipality_row(m: dict) -> list[str]:
    return [
        m["municipality"],
        ru.num(m["orgs"]),
        ru.num(m["orgs_using_edms"]),
        ru.pct(m["orgs_using_edms_pct"]),
        ru.pct(m["classes_pct"]),
        ru.pct(m["students_pct"]),
        ru.pct(m["teachers_pct"]),
    ]


def _appendix_municipalities(f: dict) -> Section | None:
    rows = f["by_municipality"]
    if not rows:
        return None
    s = Section(
        "appendix_municipalities", "Приложение 2. Показатели по муниципальным образованиям", appendix=True
    )
    if len(rows) <= MUNICIPALITY_ROWS_LIMIT:
        s.tables.append(
            Table(
                MUNICIPALITY_HEADER,
                [_municipality_row(m) for m in rows],
                MUNICIPALITY_WIDTHS,
                MUNICIPALITY_NOTE,
            )
        )
        s.charts.append("municipalities")
        return s
    n = MUNICIPALITY_EXTREMES
    ranked = sorted(
        rows,
        key=lambda m: (m["orgs_using_edms_pct"] is None, -(m["orgs_using_edms_pct"] or 0), m["municipality"]),
    )
    s.add(
        "summary",
        f"Муниципальных образований — {ru.num(len(rows))}; здесь приведены {ru.num(n)} с наибольшей и "
        f"{ru.num(n)} с наименьшей долей организаций, использующих СЭД, а на диаграмме — муниципальные "
        "образования с наибольшим числом организаций. Показатели всех муниципальных образований — в таблице "
        f"XLSX к справке, лист «{XLSX_SHEET_MUNICIPALITIES}».",
    )
    s.tables.append(
        Table(
            MUNICIPALITY_HEADER,
            [_municipality_row(m) for m in ranked[:n]],
            MUNICIPALITY_WIDTHS,
            f"{ru.num(n)} МО с наибольшей долей организаций, использующих СЭД ({MUNICIPALITY_NOTE})",
        )
    )
    s.tables.append(
        Table(
            MUNICIPALITY_HEADER,
            [_municipality_row(m) for m in ranked[-n:][::-1]],
            MUNICIPALITY_WIDTHS,
            f"{ru.num(n)} МО с наименьшей долей организаций, использующих СЭД",
        )
    )
    s.charts.append("municipalities")
    return s


VENDOR_COLUMN_NAMES = {
    10: "родителей (графа 10)",
    15: "обучающихся всего (графа 15)",
    16: "обучающихся в СЭД (графа 16)",
    17: "педагогов всего (графа 17)",
    18: "педагогов в СЭД (графа 18)",
}


def _vendors(f: dict) -> Section | None:
    """«По данным разработчиков…»: the schools' figures next to what the vendors' systems count."""
    v = f.get("vendors")
    if not v or not v["schools_compared"]:
        return None
    s = Section("vendors", "По данным разработчиков СЭД")
    s.add(
        "compared",
        f"По данным разработчиков СЭД, переданным в портал, сопоставлены отчёты "
        f"{ru.orgs_genitive(v['schools_compared'])}. Расхождение больше {v['threshold']}% хотя бы по одному "
        f"показателю — у {ru.orgs_genitive(v['schools_over_threshold'])}.",
    )
    rows = [
        [VENDOR_COLUMN_NAMES.get(t["column"], f"графа {t['column']}"), ru.num(t["ours"]), ru.num(t["theirs"])]
        for t in v["totals"]
    ]
    s.tables.append(
        Table(["Показатель", "По отчётам организаций", "По данным разработчиков"], rows, [7.0, 4.7, 4.7])
    )
    return s


SECTION_BUILDERS = (
    _intro,
    _infrastructure,
    _events,
    _channels,
    _assignment_reports,
    _monitoring,
    _vendors,
    _network_year,
    _plan,
    _results,
    _problems,
    _tasks,
    _appendix_problems,
    _appendix_municipalities,
)


def sections(f: dict) -> list[Section]:
    """The document's sections in order; sections without data for this scope are left out."""
    return [section for build in SECTION_BUILDERS if (section := build(f)) is not None]
