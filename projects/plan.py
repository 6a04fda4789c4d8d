"""The reference plan of the regional project from its passport (seed 002).

The passport gives the period (2012–2018), the tasks and the expected results, but neither dated
stages nor target values: the stages and the targets are entered by methodists on the «план и
факт» page. Loaded here: the expected results as the passport words them and the indicators that
measure the passport's tasks — those the portal already knows are computed, the rest are entered
with a source note. Loading is idempotent and never overwrites what methodists changed.
"""

from .passport import PASSPORT, PROJECT_NAME

# (number, name, unit, kind, computed key, description: which task of the passport it measures)
PLAN_INDICATORS: tuple[tuple[int, str, str, str, str, str], ...] = (
    (
        1,
        "Доля общеобразовательных организаций, использующих СЭД",
        "%",
        "computed",
        "edms_share",
        "Цель проекта; задача 4. По мониторингу использования СЭД года, по принятым отчётам — как в "
        "аналитической справке.",
    ),
    (
        2,
        "Число проектно-внедренческих площадок в сети",
        "ед.",
        "computed",
        "pilot_network",
        "Задача 5. По реестру ПВП на 31 декабря года (текущего года — на сегодня).",
    ),
    (
        3,
        "Доля ПВП, представивших отчёт об исполнении технического задания",
        "%",
        "computed",
        "assignment_reported",
        "Задача 1. Отчёты на проверке и принятые за учебный год, который заканчивается в этом году, "
        "от числа ПВП на его последний день (31 августа).",
    ),
    (
        4,
        "Число мероприятий проекта",
        "ед.",
        "computed",
        "events",
        "Задачи 1 и 6. По реестру мероприятий проекта, по дате начала.",
    ),
    (
        5,
        "Число участников мероприятий проекта (педагогов и обучающихся)",
        "чел.",
        "computed",
        "event_participants",
        "Задачи 3 и 6. По реестру мероприятий проекта.",
    ),
    (
        6,
        "Число педагогических и управленческих работников, прошедших повышение квалификации по "
        "вопросам использования СЭД",
        "чел.",
        "manual",
        "",
        "Задача 3. Вводится по отчётам о реализации программ повышения квалификации.",
    ),
    (
        7,
        "Число разработанных нормативных и инструктивно-методических материалов по направлениям проекта",
        "ед.",
        "manual",
        "",
        "Задача 2. Вводится по перечню утверждённых материалов.",
    ),
    (
        8,
        "Доля родителей, удовлетворённых качеством предоставления информации от ОУ",
        "%",
        "manual",
        "",
        "Ожидаемый результат «Удовлетворённость родителей…». Вводится по итогам опроса родителей.",
    ),
)

# The passport's expected results (in its order) and the numbers of the indicators measuring them.
RESULT_INDICATORS: tuple[tuple[int, ...], ...] = (
    (1, 6),
    (3, 4, 7),
    (1,),
    (1, 2),
    (1,),
    (2, 4, 5),
    (8,),
)


def expected_results() -> list[str]:
    return [line.strip() for line in str(PASSPORT["expected_results"]).splitlines() if line.strip()]


def load_plan_reference(project_model, indicator_model, result_model) -> None:
    """Create the indicators and the expected results of the project that are missing (models are
    passed in so that a data migration can use its historical ones)."""
    project = project_model.objects.filter(name=PROJECT_NAME).first()
    if project is None:
        return
    indicators = {}
    for number, name, unit, kind, key, description in PLAN_INDICATORS:
        indicators[number], _ = indicator_model.objects.get_or_create(
            project=project,
            number=number,
            defaults={
                "name": name,
                "unit": unit,
                "kind": kind,
                "computed_key": key,
                "description": description,
            },
        )
    for number, (text, measured_by) in enumerate(zip(expected_results(), RESULT_INDICATORS, strict=True), 1):
        result, created = result_model.objects.get_or_create(
            project=project, number=number, defaults={"text": text}
        )
        if created:
            result.indicators.add(*(indicators[n] for n in measured_by))


# --- Who may see and change the plan (one answer for views, templates and tests) -------------------

MSG_PLAN_READERS = "План и факт проекта доступен методистам РЦРО и специалистам МОУО."
MSG_PLAN_EDITORS = "План проекта изменяют только методисты РЦРО."


def plan_refusal(user, *, edit: bool = False) -> str | None:
    """Why the user may not see (or, with ``edit``, change) the plan; None when they may.

    Methodists keep the plan. Specialists of the municipal bodies (executors of the project by its
    passport) read it. Coordinators of schools do not: the page shows region-wide figures of the
    monitoring, which they see only for their own school.
    """
    if user.is_regional:
        return None
    if edit:
        return MSG_PLAN_EDITORS
    return None if user.is_specialist else MSG_PLAN_READERS
