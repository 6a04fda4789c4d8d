"""The 25 columns of Appendix 1, in one place: labels from the letter, the fields behind them,
and the sections of the browser form. The form, the review screens, the Excel export and
import all read this list."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    number: int
    label: str
    fields: tuple[str, ...] = ()
    short: str = ""


COLUMNS: tuple[Column, ...] = (
    Column(1, "№ п/п", short="№"),
    Column(2, "МОУО", short="МОУО"),
    Column(3, "Наименование общеобразовательной организации, адрес", short="ОО"),
    Column(4, "Филиал, структурное подразделение (при наличии), адрес", short="Филиал"),
    Column(
        5,
        "Наименование используемой автоматизированной системы электронного документооборота, "
        "реализующей модули ЭЖ/ЭД",
        ("system",),
        "Система",
    ),
    Column(
        6,
        "ФИО ответственного за работу СЭД (полностью, должность)",
        ("responsible_name", "responsible_position"),
        "Ответственный",
    ),
    Column(
        7,
        "Контактные данные ответственного лица (телефон, e-mail)",
        ("responsible_phone", "responsible_email"),
        "Контакты ответственного",
    ),
    Column(
        8,
        "Общее количество классов в ОО, включая филиалы/структурные подразделения",
        ("classes_total",),
        "Классов всего",
    ),
    Column(9, "Количество классов в ОО, использующих СЭД", ("classes_edms",), "Классов в СЭД"),
    Column(
        10,
        "Количество родителей, пользующихся СЭД через Интернет/СМС",
        ("parents_edms",),
        "Родителей в СЭД",
    ),
    Column(
        11,
        "Количество рабочих мест учителя, оборудованных для работы в СЭД",
        ("teacher_workstations",),
        "Рабочих мест учителя",
    ),
    Column(
        12,
        "Количество рабочих мест ученика, оборудованных для использования СЭД",
        ("student_workstations",),
        "Рабочих мест ученика",
    ),
    Column(
        13,
        "Количество классов в ОО, использующих модули «электронный дневник обучающегося», "
        "«электронный журнал»",
        ("classes_ejournal",),
        "Классов с ЭЖ/ЭД",
    ),
    Column(
        14,
        "Количество классов в ОО, использующих другие модули (указать какие: турникет, "
        "библиотека, столовая и др.)",
        (
            "classes_other_modules",
            "module_turnstile",
            "module_library",
            "module_canteen",
            "module_other",
            "other_modules_text",
        ),
        "Другие модули",
    ),
    Column(15, "Общее количество обучающихся", ("students_total",), "Обучающихся всего"),
    Column(16, "Количество обучающихся, использующих СЭД", ("students_edms",), "Обучающихся в СЭД"),
    Column(17, "Общее количество педагогов", ("teachers_total",), "Педагогов всего"),
    Column(
        18,
        "Количество педагогов, использующих СЭД (зарегистрированы и постоянно работают)",
        ("teachers_edms",),
        "Педагогов в СЭД",
    ),
    Column(
        19,
        "Периодичность внесения данных в СЭД педагогами (1 – ежедневно; 2 – раз в 2–3 дня; "
        "3 – еженедельно; 4 – 1–2 раза в месяц)",
        ("entry_frequency",),
        "Периодичность",
    ),
    Column(
        20,
        "В ОО ведётся бумажный журнал (1 – да; 2 – нет; 3 – планируется отказ от бумажного "
        "журнала в следующем учебном году)",
        ("paper_journal",),
        "Бумажный журнал",
    ),
    Column(
        21,
        "Школа является проектно-внедренческой площадкой регионального проекта (1 – да; 2 – нет)",
        ("pilot_site",),
        "ПВП",
    ),
    Column(22, "Координатор проекта в ОО", ("coordinator_name",), "Координатор"),
    Column(
        23,
        "Контактные данные координатора (телефон, e-mail, скайп)",
        ("coordinator_phone", "coordinator_email", "coordinator_skype"),
        "Контакты координатора",
    ),
    Column(
        24,
        "Мероприятия в рамках проекта, в которых участвовали представители ОО (мероприятие, "
        "количество обучающихся/педагогов)",
        ("events",),
        "Мероприятия",
    ),
    Column(25, "Примечания", ("notes",), "Примечания"),
)

COLUMN_BY_NUMBER = {c.number: c for c in COLUMNS}
COLUMN_OF_FIELD = {f: c.number for c in COLUMNS for f in c.fields}

# Sections of the browser form: (anchor, title, column numbers).
SECTIONS = (
    ("system", "Система и ответственный", (5, 6, 7)),
    ("branches", "Филиалы и структурные подразделения", (4,)),
    ("classes", "Классы, родители, рабочие места", (8, 9, 10, 11, 12, 13, 14)),
    ("people", "Обучающиеся и педагоги", (15, 16, 17, 18)),
    ("practice", "Практика использования", (19, 20, 21)),
    ("project", "Координатор и мероприятия проекта", (22, 23, 24)),
    ("notes", "Примечания", (25,)),
)

# Columns a school fills in (the progress indicator counts these): 4 is counted only with branches.
FILLABLE_COLUMNS = tuple(range(4, 26))
