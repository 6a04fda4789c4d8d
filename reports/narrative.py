"""The prose of the analytic report, in Russian, from the figures: one list of sections, used by
the DOCX document and the web page alike."""

from dataclasses import dataclass, field

from core import russian as ru

FREQUENCY_LABELS = {"1": "ежедневно", "2": "раз в 2–3 дня", "3": "еженедельно", "4": "1–2 раза в месяц"}
PROBLEM_TITLES = {
    "parallel_journals": "Бумажный и электронный журналы ведутся параллельно",
    "few_teacher_workstations": "Недостаточно рабочих мест учителя (меньше {min_tw} на одного педагога, работающего в СЭД)",
    "low_parent_registration": "Мало родителей зарегистрировано в СЭД (меньше {min_pp} на одного обучающегося)",
    "edms_not_used": "СЭД не используется",
}


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    chart: str | None = None  # name of a chart the document draws here
    items: list[str] = field(default_factory=list)


def title(f: dict) -> str:
    scope = "" if f["scope"] == "Томская область" else f" ({f['scope']})"
    return (
        "Аналитическая справка по итогам мониторинга использования систем электронного "
        f"документооборота в общеобразовательных организациях Томской области{scope} "
        f"по состоянию на {f['as_of_text']} г."
    )


def sections(f: dict) -> list[Section]:
    out = []
    regional = f["regional_orgs_total"]
    participation = f"В мониторинге по состоянию на {f['as_of_text']} г. учтены данные {ru.orgs_genitive(f['orgs_total'])}"
    if f["scope"] == "Томская область":
        participation += f" из {ru.municipalities(f['municipalities_total'])}"
        if regional:
            participation += f", в том числе {ru.orgs_genitive(regional)} областного подчинения"
    participation += "."
    counted = "принятые отчёты и отчёты на проверке" if f["include_unapproved"] else "только принятые отчёты"
    notes = [
        participation,
        f"Ожидались отчёты {ru.orgs_genitive(f['participants_expected'])}; учитываются {counted}. "
        f"Не представлено отчётов: {ru.num(f['reports_missing'])}; ещё не принято: {ru.num(f['reports_not_approved'])}.",
    ]
    out.append(Section("1. Участие в мониторинге", notes))

    use = [
        f"Организаций, использующих системы электронного документооборота: {ru.num(f['orgs_using_edms'])} — "
        f"{ru.pct(f['orgs_using_edms_pct'])} от числа учтённых."
    ]
    prev = f.get("previous")
    if prev:
        use.append(
            f"В {prev['academic_year']} учебном году — {ru.num(prev['orgs_using_edms'])} — "
            f"{ru.pct(prev['orgs_using_edms_pct'])} (из {ru.orgs_genitive(prev['orgs_total'])})."
        )
    header = ["Система", "Разработчик", "Организаций", "Доля"]
    if prev:
        header += ["Доля в прошлом году", "Изменение, п. п."]
    rows = []
    for s in f["by_system"]:
        row = [s["system"], s["vendor"] or "—", ru.num(s["orgs"]), ru.pct(s["pct"])]
        if prev:
            change = s.get("pct_change")
            row += [
                ru.pct(s.get("previous_pct")),
                ("+" if change and change > 0 else "") + ru.dec(change) if change is not None else "—",
            ]
        rows.append(row)
    out.append(
        Section(
            "2. Использование систем электронного документооборота", use, Table(header, rows), chart="systems"
        )
    )

    vendors = [f"{v['vendor']} — {ru.orgs(v['orgs'])} ({ru.pct(v['pct'])})" for v in f["by_vendor"]]
    out.append(
        Section(
            "3. Доли разработчиков",
            [
                ("Организации по разработчикам систем: " + "; ".join(vendors) + ".")
                if vendors
                else "Нет данных."
            ],
        )
    )

    switched = Section("4. Смена системы")
    if f["switched"]:
        switched.paragraphs.append(
            f"Организаций, сменивших систему по сравнению с прошлым мониторингом: {ru.num(len(f['switched']))}."
        )
        switched.table = Table(
            ["МО", "Организация", "Было", "Стало", "Примечание (графа 25)"],
            [[s["municipality"], s["school"], s["from"], s["to"], s["notes"] or "—"] for s in f["switched"]],
        )
    else:
        switched.paragraphs.append(
            "Организаций, сменивших систему, нет." if prev else "Предыдущего мониторинга для сравнения нет."
        )
    if f.get("adopted"):
        switched.paragraphs.append(
            f"Начали использовать систему (в прошлом мониторинге — «не используется» или отчёта не было): "
            f"{ru.orgs(len(f['adopted']))}; сменой системы это не считается."
        )
    out.append(switched)

    pj, pjp = f["paper_journal"], f["paper_journal_pct"]
    out.append(
        Section(
            "5. Бумажный журнал",
            [
                f"Организаций, ведущих бумажный журнал: {ru.num(pj['yes'])} ({ru.pct(pjp['yes'])}). Отказ от бумажного "
                f"журнала: только {ru.orgs(pj['no'])} ({ru.pct(pjp['no'])}); планируют отказ в следующем учебном году — "
                f"{ru.orgs(pj['planned'])} ({ru.pct(pjp['planned'])})."
            ],
            chart="paper",
        )
    )

    freq = f["entry_frequency"]
    out.append(
        Section(
            "6. Охват и оснащённость",
            [
                f"СЭД используют {ru.num(f['classes_using_edms'])} классов из {ru.num(f['classes_total'])} "
                f"({ru.pct(f['classes_using_edms_pct'])}), {ru.num(f['students_using_edms'])} обучающихся из "
                f"{ru.num(f['students_total'])} ({ru.pct(f['students_using_edms_pct'])}), {ru.num(f['teachers_using_edms'])} "
                f"педагогов из {ru.num(f['teachers_total'])} ({ru.pct(f['teachers_using_edms_pct'])}).",
                f"Зарегистрировано родителей: {ru.num(f['parents_using_edms'])} — "
                f"{ru.dec(f['parents_per_student'], 2)} на одного обучающегося.",
                f"Рабочих мест учителя: {ru.num(f['teacher_workstations'])} ({ru.dec(f['teacher_workstations_per_teacher'], 2)} "
                f"на одного педагога); рабочих мест ученика: {ru.num(f['student_workstations'])} "
                f"({ru.dec(f['student_workstations_per_student'], 2)} на одного обучающегося).",
                "Периодичность внесения данных педагогами: "
                + "; ".join(f"{FREQUENCY_LABELS[k]} — {ru.orgs(v)}" for k, v in freq.items())
                + ".",
            ],
        )
    )

    pilot = [
        f"Организаций, указавших, что они являются проектно-внедренческими площадками регионального проекта: {ru.num(f['pilot_sites'])}."
    ]
    if f["pilot_sites_by_system"]:
        pilot.append(
            "По системам: "
            + "; ".join(f"{p['system']} — {ru.num(p['orgs'])}" for p in f["pilot_sites_by_system"])
            + "."
        )
    network = f.get("pilot_network")
    section = Section("7. Проектно-внедренческие площадки", pilot)
    if network:
        by_short_name: dict[str, int] = {}
        for item in network.get("network_by_system", []):
            by_short_name[item["short_name"]] = by_short_name.get(item["short_name"], 0) + item["count"]
        pilot.append(
            f"По реестру ПВП на {f['as_of_text']} г. в сети {ru.orgs(network['network_size'])}"
            + (
                " (" + ", ".join(f"{name} — {ru.num(n)}" for name, n in by_short_name.items()) + ")"
                if by_short_name
                else ""
            )
            + f". Отчётов об исполнении технического задания за {network['academic_year']} учебный год представлено "
            f"{ru.num(network['assignment_reports'])} ({ru.pct(network['assignment_reports_pct'])} от числа ПВП)."
        )
        if network.get("by_system"):
            pilot.append(
                "Из представивших отчёт: "
                + "; ".join(f"{s['system']} — {ru.pct(s['pct'])}" for s in network["by_system"])
                + "."
            )
        for indicator in network.get("indicators", []):
            text = f"{indicator['number']}. {indicator['title']}: {ru.num(indicator['sites'])} ПВП ({ru.pct(indicator['pct'])}) {indicator['met_label']}"
            details = [
                f"{line['label']} — {ru.num(line['value'])}"
                + (f" ({ru.pct(line['pct'])})" if line.get("pct") is not None else "")
                for line in indicator.get("lines", [])
            ]
            section.items.append(text + (": " + "; ".join(details) if details else "") + ".")
    out.append(section)

    if f["by_municipality"]:
        table = Table(
            [
                "МО",
                "Организаций",
                "Используют СЭД",
                "Доля",
                "Классы в СЭД",
                "Обучающиеся в СЭД",
                "Педагоги в СЭД",
                "Родителей на обучающегося",
            ],
            [
                [
                    m["municipality"],
                    ru.num(m["orgs"]),
                    ru.num(m["orgs_using_edms"]),
                    ru.pct(m["orgs_using_edms_pct"]),
                    ru.pct(m["classes_pct"]),
                    ru.pct(m["students_pct"]),
                    ru.pct(m["teachers_pct"]),
                    ru.dec(m["parents_per_student"], 2),
                ]
                for m in f["by_municipality"]
            ],
        )
        text = []
        if f["top_municipalities"]:
            text.append(
                "Наибольшая доля организаций, использующих СЭД: " + ", ".join(f["top_municipalities"]) + "."
            )
        if f["bottom_municipalities"]:
            text.append("Наименьшая: " + ", ".join(f["bottom_municipalities"]) + ".")
        out.append(Section("8. По муниципальным образованиям", text, table, chart="municipalities"))

    problems = Section("9. Проблемы")
    thresholds = f["thresholds"]
    for key, items in f["problems"].items():
        name = PROBLEM_TITLES[key].format(
            min_tw=ru.dec(thresholds["min_teacher_workstations_per_teacher"]),
            min_pp=ru.dec(thresholds["min_parents_per_student"]),
        )
        if items:
            listed = ", ".join(f"{i['school']} ({i['municipality']})" for i in items[:30])
            more = f" и ещё {ru.num(len(items) - 30)}" if len(items) > 30 else ""
            problems.items.append(f"{name}: {ru.orgs(len(items))} — {listed}{more}.")
    if not problems.items:
        problems.paragraphs.append("Проблем не выявлено.")
    out.append(problems)

    out.append(Section("10. Выводы", items=list(f["conclusions"])))
    return out
