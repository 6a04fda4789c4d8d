"""What the municipal order on introducing electronic diaries and journals fixes in its appendices:
the stages (Appendix 1), the conditions of keeping the journal (Appendix 2) and the default dated
targets of parents' activation. New programmes start from these and may change them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Condition:
    code: str
    group: str
    text: str


class ConditionGroup:
    MANDATORY = "mandatory"
    MINIMAL = "minimal"
    OPTIMAL = "optimal"
    PERSPECTIVE = "perspective"

    LABELS = {
        MANDATORY: "Обязательный минимум организационно-технических условий",
        MINIMAL: "Минимальные условия",
        OPTIMAL: "Оптимальные условия",
        PERSPECTIVE: "Перспективные условия",
    }


# Appendix 2: «Условия ведения электронного журнала успеваемости».
CONDITIONS = (
    Condition("local_acts", ConditionGroup.MANDATORY, "Локальные акты учреждения, регулирующие ведение ЭЖ"),
    Condition(
        "network",
        ConditionGroup.MANDATORY,
        "Работа компьютерной сети Интернет (проводной и/или беспроводной)",
    ),
    Condition(
        "staff_access",
        ConditionGroup.MANDATORY,
        "Доступ к ЭЖ для педагогических работников и заместителей директора, осуществляющих "
        "внутришкольный контроль",
    ),
    Condition(
        "computer_class",
        ConditionGroup.MINIMAL,
        "Компьютерный класс или сопоставимое число иных точек доступа к ЭЖ",
    ),
    Condition(
        "open_access", ConditionGroup.MINIMAL, "Открытый доступ учителей к ЭЖ (например, в учительской)"
    ),
    Condition(
        "schedule", ConditionGroup.MINIMAL, "График работы точек доступа к ЭЖ, достаточный для ввода данных"
    ),
    Condition(
        "help_rules", ConditionGroup.MINIMAL, "Регламент оказания технической и методической помощи учителям"
    ),
    Condition("every_classroom", ConditionGroup.OPTIMAL, "Доступ к ЭЖ в каждом классе"),
    Condition("mobile_access", ConditionGroup.PERSPECTIVE, "Мобильный доступ к ЭЖ у каждого учителя"),
)
CONDITION_CODES = tuple(c.code for c in CONDITIONS)
CONDITION_CHOICES = [(c.code, c.text) for c in CONDITIONS]


class Phase:
    PREPARATORY = "preparatory"
    MAIN = "main"
    FUNCTIONING = "functioning"
    CHOICES = [
        (PREPARATORY, "Подготовительный этап"),
        (MAIN, "Основной этап"),
        (FUNCTIONING, "Этап функционирования"),
    ]


# Appendix 1: the stages and their content; deadlines are the programme's own (days after the order
# in the municipal order: to be set by the author).
STAGES = (
    (
        Phase.PREPARATORY,
        "Назначение ответственного лица",
        "Назначение ответственного лица за введение и использование электронных дневников и электронного журнала успеваемости.",
    ),
    (
        Phase.PREPARATORY,
        "Анализ готовности",
        "Анализ готовности общеобразовательного учреждения к введению электронных дневников и электронного журнала успеваемости (условия — приложение 2).",
    ),
    (
        Phase.PREPARATORY,
        "Локальные акты",
        "Разработка, согласование и утверждение локальных актов (положение, регламент, инструкции), изменения в должностные обязанности; размещение на сайте учреждения.",
    ),
    (
        Phase.PREPARATORY,
        "Информирование родителей",
        "Ознакомление педагогов, обучающихся и родителей (законных представителей) с возможностями системы и локальными актами; родительские собрания.",
    ),
    (
        Phase.PREPARATORY,
        "Регистрация заявлений",
        "Приём и регистрация заявлений родителей (законных представителей) о предоставлении информации о текущей успеваемости через систему.",
    ),
    (
        Phase.PREPARATORY,
        "Заполнение баз данных",
        "Заполнение необходимых баз данных информационной системы электронного дневника и журнала.",
    ),
    (
        Phase.MAIN,
        "Обучение",
        "Обучение педагогов, обучающихся и родителей навыкам работы в системе, консультативная техническая и методическая помощь.",
    ),
    (
        Phase.MAIN,
        "Выдача логинов",
        "Выдача индивидуальных логинов и паролей для доступа к электронному дневнику и журналу; ссылка на систему на сайте учреждения.",
    ),
    (
        Phase.MAIN,
        "Работа педагогов в системе",
        "Работа педагогических работников по заполнению электронных дневников и электронного журнала.",
    ),
    (
        Phase.MAIN,
        "Активация родителей",
        "Активация пользователей (родителей) в системе: от 30 до 40 %, от 41 до 60 %, от 61 до 100 % имеющих возможность воспользоваться услугой.",
    ),
    (
        Phase.FUNCTIONING,
        "Функционирование системы",
        "Постоянное использование электронных дневников и электронного журнала успеваемости.",
    ),
)

# The default steps of parents' activation (Appendix 1, main stage): min %, max %.
PARENT_ACTIVATION_STEPS = ((30, 40), (41, 60), (61, 100))
