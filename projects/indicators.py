"""The 8 indicators the pilot sites' reports are analysed on (seed: analytic report of 10.02.2017)."""

from dataclasses import dataclass, replace

from django.db.models import Q


@dataclass(frozen=True)
class Indicator:
    number: int
    title: str
    fields: tuple[str, ...]
    met: Q  # a report «meets» the indicator when this holds
    met_label: str  # what the count of sites meeting it means, for the analytic report

    @property
    def examples_field(self) -> str:
        """The free text «что сделано, примеры» of this indicator."""
        return f"examples_{self.number}"


_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        1,
        "Организация и сопровождение мероприятий по защите персональных данных в соответствии с "
        "ФЗ от 27.07.2006 г. № 152 «О персональных данных»",
        ("pd_measures_done", "pd_documents_published"),
        Q(pd_measures_done=True, pd_documents_published=True),
        "провели мероприятия и разместили документы на сайте",
    ),
    Indicator(
        2,
        "Образовательные события ПВП",
        (
            "ext_events_count",
            "ext_events_participants",
            "organised_contests",
            "organised_contests_participants",
            "organised_seminars",
            "organised_seminars_participants",
            "organised_round_tables",
            "organised_round_tables_participants",
            "organised_conferences",
            "organised_conferences_participants",
            "internet_projects_teachers",
        ),
        Q(ext_events_count__gt=0),
        "участвовали в мероприятиях международного, всероссийского, межрегионального уровня",
    ),
    Indicator(
        3,
        "Формирование перечня информационно-образовательных ресурсов СЭД на странице проекта на "
        "сайте образовательного учреждения",
        ("resources_count", "methodical_library"),
        Q(resources_count__gt=0),
        "разместили электронные базы на сайте",
    ),
    Indicator(
        4,
        "Публикация лучших практик использования СЭД на сайте образовательного учреждения",
        ("best_practices_published", "best_practices_links"),
        Q(best_practices_published=True),
        "опубликовали лучшие практики",
    ),
    Indicator(
        5,
        "Экспертная работа в ходе мероприятий школьного и муниципального уровней",
        ("expert_teachers",),
        Q(expert_teachers__gt=0),
        "педагоги участвовали в экспертизе",
    ),
    Indicator(
        6,
        "Консультации для педагогов, обучающихся, родителей",
        ("consultations_teachers", "consultations_students", "consultations_parents"),
        Q(consultations_teachers__gt=0) | Q(consultations_students__gt=0) | Q(consultations_parents__gt=0),
        "проводили консультации",
    ),
    Indicator(
        7,
        "Публичное представление результатов деятельности образовательного учреждения в рамках "
        "реализации проекта",
        ("publications_count", "public_report_chapter"),
        Q(publications_count__gt=0) | Q(public_report_chapter=True),
        "представили результаты публично",
    ),
    Indicator(
        8,
        "Мониторинги в рамках использования СЭД",
        (
            "monitor_journal_fill",
            "monitor_diary_fill",
            "monitor_materials",
            "monitor_progress",
            "monitor_quality",
        ),
        Q(monitor_journal_fill=True)
        | Q(monitor_diary_fill=True)
        | Q(monitor_materials=True)
        | Q(monitor_progress=True)
        | Q(monitor_quality=True),
        "проводят мониторинги в СЭД",
    ),
)

# Each indicator ends with its free text «что сделано, примеры».
INDICATORS: tuple[Indicator, ...] = tuple(
    replace(indicator, fields=(*indicator.fields, indicator.examples_field)) for indicator in _INDICATORS
)

ASSIGNMENT_VALUE_FIELDS: tuple[str, ...] = tuple(name for ind in INDICATORS for name in ind.fields)

# Pairs (count of events, their participants): participants without events is a contradiction.
EVENT_PAIRS = (
    ("ext_events_count", "ext_events_participants"),
    ("organised_contests", "organised_contests_participants"),
    ("organised_seminars", "organised_seminars_participants"),
    ("organised_round_tables", "organised_round_tables_participants"),
    ("organised_conferences", "organised_conferences_participants"),
)
