"""Synthetic demo organisations and contacts for the Tomsk region (no Django imports).

Everything here is invented: school numbers, addresses, people and contacts are generated from
short generic lists with a seeded ``random.Random`` so the same seed always yields the same data.
Phone numbers use the fictional 555 series, e-mails the reserved ``.example`` TLD (RFC 2606).
"""

import random
import re
from dataclasses import dataclass, field

# The 21 organisation groups (МОУО + regional schools), in reporting order.
MUNICIPALITIES: list[tuple[str, str]] = [
    ("tomsk", "Город Томск"),
    ("seversk", "ЗАТО Северск"),
    ("strezhevoy", "Город Стрежевой"),
    ("kedrovy", "Город Кедровый"),
    ("aleksandrovsky", "Александровский район"),
    ("asinovsky", "Асиновский район"),
    ("bakcharsky", "Бакчарский район"),
    ("verkhneketsky", "Верхнекетский район"),
    ("zyryansky", "Зырянский район"),
    ("kargasoksky", "Каргасокский район"),
    ("kozhevnikovsky", "Кожевниковский район"),
    ("kolpashevsky", "Колпашевский район"),
    ("krivosheinsky", "Кривошеинский район"),
    ("molchanovsky", "Молчановский район"),
    ("parabelsky", "Парабельский район"),
    ("pervomaysky", "Первомайский район"),
    ("teguldetsky", "Тегульдетский район"),
    ("tomsky", "Томский район"),
    ("chainsky", "Чаинский район"),
    ("shegarsky", "Шегарский район"),
    ("regional", "Областные государственные ОО"),
]
MUNICIPALITY_NAMES = dict(MUNICIPALITIES)

SCHOOL_COUNTS: dict[str, int] = {
    "tomsk": 70, "seversk": 15, "strezhevoy": 7, "kedrovy": 2,
    "aleksandrovsky": 7, "asinovsky": 20, "bakcharsky": 11, "verkhneketsky": 12,
    "zyryansky": 10, "kargasoksky": 20, "kozhevnikovsky": 14, "kolpashevsky": 20,
    "krivosheinsky": 10, "molchanovsky": 8, "parabelsky": 9, "pervomaysky": 13,
    "teguldetsky": 6, "tomsky": 40, "chainsky": 7, "shegarsky": 10, "regional": 9,
}  # fmt: skip
BRANCH_COUNTS: dict[str, int] = {
    "tomsk": 3, "seversk": 0, "strezhevoy": 0, "kedrovy": 0,
    "aleksandrovsky": 2, "asinovsky": 5, "bakcharsky": 3, "verkhneketsky": 4,
    "zyryansky": 3, "kargasoksky": 5, "kozhevnikovsky": 4, "kolpashevsky": 5,
    "krivosheinsky": 3, "molchanovsky": 2, "parabelsky": 3, "pervomaysky": 4,
    "teguldetsky": 1, "tomsky": 8, "chainsky": 2, "shegarsky": 3, "regional": 0,
}  # fmt: skip

# Schools named in the official letter on the bilateral pilot (used by tests): (group code, short name).
BILATERAL_PILOT_SITES: list[tuple[str, str]] = [
    ("seversk", "МБОУ «СОШ № 76»"),
    ("seversk", "МБОУ «СОШ № 83»"),
    ("seversk", "МБОУ «СОШ № 87»"),
    ("pervomaysky", "МБОУ «Комсомольская СОШ»"),
    ("pervomaysky", "МАОУ «Туендатская СОШ»"),
    ("verkhneketsky", "МАОУ «Белоярская СОШ»"),
    ("verkhneketsky", "МБОУ «Ягоднинская СОШ»"),
    ("zyryansky", "МБОУ «Берлинская ООШ»"),
    ("tomsky", "МБОУ «Наумовская СОШ»"),
    ("kargasoksky", "МКОУ Вертикосская СОШ"),
    ("parabelsky", "МБОУ Шпалозаводская СОШ"),
    ("tomsk", "МАОУ лицей № 1 имени А.С. Пушкина г. Томска"),
    ("tomsk", "МАОУ СОШ № 19 г. Томска"),
]
# Where the bilateral sites are: short name -> (settlement prefix, settlement, postcode).
_BILATERAL_PLACES = {
    "МБОУ «СОШ № 76»": ("г.", "Северск", "636013"),
    "МБОУ «СОШ № 83»": ("г.", "Северск", "636019"),
    "МБОУ «СОШ № 87»": ("г.", "Северск", "636036"),
    "МБОУ «Комсомольская СОШ»": ("с.", "Комсомольск", "636941"),
    "МАОУ «Туендатская СОШ»": ("п.", "Туендат", "636954"),
    "МАОУ «Белоярская СОШ»": ("п.", "Белый Яр", "636500"),
    "МБОУ «Ягоднинская СОШ»": ("п.", "Ягодное", "636515"),
    "МБОУ «Берлинская ООШ»": ("с.", "Берлинка", "636862"),
    "МБОУ «Наумовская СОШ»": ("с.", "Наумовка", "634532"),
    "МКОУ Вертикосская СОШ": ("с.", "Вертикос", "636725"),
    "МБОУ Шпалозаводская СОШ": ("п.", "Шпалозавод", "636611"),
    "МАОУ лицей № 1 имени А.С. Пушкина г. Томска": ("г.", "Томск", "634041"),
    "МАОУ СОШ № 19 г. Томска": ("г.", "Томск", "634062"),
}

POSITIONS: list[str] = [
    "заместитель директора по УВР",
    "заместитель директора по информатизации",
    "учитель информатики",
    "педагог-организатор",
    "методист",
    "инженер-программист",
    "секретарь учебной части",
]

FORMS = {
    "МАОУ": "Муниципальное автономное общеобразовательное учреждение",
    "МБОУ": "Муниципальное бюджетное общеобразовательное учреждение",
    "МКОУ": "Муниципальное казённое общеобразовательное учреждение",
    "МОУ": "Муниципальное общеобразовательное учреждение",
    "ОГБОУ": "Областное государственное бюджетное общеобразовательное учреждение",
    "ОГКОУ": "Областное государственное казённое общеобразовательное учреждение",
}
KINDS = {
    "СОШ": "средняя общеобразовательная школа",
    "ООШ": "основная общеобразовательная школа",
    "НОШ": "начальная общеобразовательная школа",
    "УИОП": "углублённым изучением отдельных предметов",
}


def _items(text: str, sep: str | None = "|") -> list[str]:
    """Split a compact multi-line data string into stripped items (``sep=None``: on whitespace)."""
    return [item.strip() for item in text.split(sep) if item.strip()]


_KIND_RE = re.compile(r"(«?)\b(" + "|".join(KINDS) + r")\b")

# District centres: code -> (settlement prefix, settlement, school adjective or "" for a town,
# postcode, number of generated centre schools).
_CENTRES = {
    "aleksandrovsky": ("с.", "Александровское", "Александровская", "636760", 2),
    "asinovsky": ("г.", "Асино", "", "636840", 6),
    "bakcharsky": ("с.", "Бакчар", "Бакчарская", "636200", 1),
    "verkhneketsky": ("п.", "Белый Яр", "Белоярская", "636500", 0),  # the centre school is bilateral
    "zyryansky": ("с.", "Зырянское", "Зырянская", "636850", 1),
    "kargasoksky": ("с.", "Каргасок", "Каргасокская", "636700", 2),
    "kozhevnikovsky": ("с.", "Кожевниково", "Кожевниковская", "636160", 2),
    "kolpashevsky": ("г.", "Колпашево", "", "636460", 6),
    "krivosheinsky": ("с.", "Кривошеино", "Кривошеинская", "636300", 1),
    "molchanovsky": ("с.", "Молчаново", "Молчановская", "636330", 2),
    "parabelsky": ("с.", "Парабель", "Парабельская", "636600", 1),
    "pervomaysky": ("с.", "Первомайское", "Первомайская", "636930", 1),
    "teguldetsky": ("с.", "Тегульдет", "Тегульдетская", "636900", 1),
    "tomsky": ("с.", "", "", "634500", 0),  # the district is run from Tomsk; villages only
    "chainsky": ("с.", "Подгорное", "Подгорнская", "636400", 1),
    "shegarsky": ("с.", "Мельниково", "Шегарская", "636130", 2),
}
_TOMSK_BRANCH_PLACES = [("г.", "Томск")] * 3 + [("пос.", "Светлый"), ("пос.", "Тимирязевское")]
_TOWN_GENITIVE = {"Асино": "г. Асино", "Колпашево": "г. Колпашево"}

# Generic Siberian-sounding villages for schools: "prefix name:school adjective".
_VILLAGES = [
    (item.split(" ", 1)[0], *item.split(" ", 1)[1].split(":"))
    for item in _items(
        """
    с. Березовка:Березовская; с. Новоникольское:Новоникольская; с. Новопокровка:Новопокровская;
    с. Красный Яр:Красноярская; с. Сосновка:Сосновская; с. Луговое:Луговская; с. Степановка:Степановская;
    с. Николаевка:Николаевская; с. Михайловка:Михайловская; с. Ивановка:Ивановская; с. Петровка:Петровская;
    с. Воронино:Воронинская; с. Озерное:Озерненская; с. Заречное:Зареченская; с. Богородское:Богородская;
    с. Ильинка:Ильинская; с. Покровка:Покровская; с. Вознесенка:Вознесенская; с. Успенка:Успенская;
    с. Знаменка:Знаменская; с. Троицкое:Троицкая; с. Рябиновка:Рябиновская; с. Еловка:Еловская;
    д. Пихтовка:Пихтовская; с. Осиновка:Осиновская; с. Ольховка:Ольховская; с. Сибирское:Сибирская;
    п. Таежный:Таежная; с. Каменка:Каменская; с. Песчанка:Песчанская; с. Ключи:Ключевская;
    с. Родники:Родниковская; с. Гороховка:Гороховская; с. Широкое:Широковская; с. Высокий Яр:Высокоярская;
    с. Лебяжье:Лебяжинская; с. Журавлево:Журавлевская; с. Соколово:Соколовская; с. Гусево:Гусевская;
    с. Новоселово:Новоселовская; с. Калиновка:Калиновская; с. Васильевка:Васильевская;
    с. Федоровка:Федоровская; с. Андреевка:Андреевская; с. Григорьевка:Григорьевская;
    д. Марьевка:Марьевская; с. Кузнецово:Кузнецовская; с. Плотниково:Плотниковская; с. Боровое:Боровская;
    п. Сосновый Бор:Сосновоборская; с. Заозерное:Заозерненская; с. Приобское:Приобская;
    п. Рассвет:Рассветовская; п. Октябрьский:Октябрьская; п. Молодежный:Молодежненская;
    с. Тихомирово:Тихомировская; с. Кирилловка:Кирилловская; с. Дмитриевка:Дмитриевская;
    с. Семеновка:Семеновская; с. Павловка:Павловская; с. Полевое:Полевская; с. Нагорное:Нагорненская;
    с. Холмогорское:Холмогорская; с. Ракитное:Ракитинская; п. Кедровый Лог:Кедроложская;
    с. Ермолаево:Ермолаевская; с. Усть-Чая:Усть-Чайская; с. Зимовское:Зимовская""",
        ";",
    )
]
# Hamlets where branches sit.
_HAMLETS = _items("""
Кедровка|Малиновка|Сосновка|Лесная Поляна|Елань|Черемушки|Ключики|Березкино|Осиновый Мыс|
Вершинино|Гари|Заимка|Луговушка|Сидоровка|Талица|Чистополье|Борки|Тугояковка|Карьер|Лиственка|
Кочеты|Новая Деревня|Орешково|Подъельник|Сухой Лог|Тополевка|Урман|Хвойное|Ягодка""")

_TOMSK_STREETS = _items("""
пр. Ленина|пр. Кирова|пр. Фрунзе|ул. Советская|ул. Пушкина|ул. Красноармейская|ул. Сибирская|
ул. Учебная|ул. Никитина|ул. Герцена|ул. Елизаровых|ул. Интернационалистов|ул. Лазо|ул. Мичурина|
Иркутский тракт|Московский тракт|ул. Смирнова|ул. Береговая|ул. Лесная|ул. Первомайская""")
_STREETS = _items("""
ул. Школьная|ул. Центральная|ул. Советская|ул. Ленина|ул. Молодёжная|ул. Лесная|ул. Новая|
ул. Набережная|ул. Садовая|ул. Комсомольская|ул. Мира|пер. Школьный|ул. Кедровая|ул. Трактовая|
ул. Гагарина|ул. Зелёная|ул. Северная|ул. Октябрьская""")

# Regional (ОГ) schools: (short name, settlement prefix, settlement, postcode).
_REGIONAL = [
    ("ОГБОУ «Томская специальная (коррекционная) школа-интернат № 1»", "г.", "Томск", "634021"),
    ("ОГБОУ «Томская специальная (коррекционная) школа-интернат № 2»", "г.", "Томск", "634059"),
    ("ОГКОУ «Кадетская школа-интернат «Северский кадетский корпус»»", "г.", "Северск", "636037"),
    ("ОГКОУ «Кадетская школа-интернат «Таёжный кадетский корпус»»", "с.", "Кожевниково", "636161"),
    ("ОГБОУ «Областной лицей-интернат для одарённых детей»", "г.", "Томск", "634034"),
    ("ОГБОУ «Санаторная школа-интернат «Сосновый бор»»", "пос.", "Сосновый Бор", "634527"),
    ("ОГБОУ «Колпашевская специальная (коррекционная) школа-интернат»", "г.", "Колпашево", "636461"),
    ("ОГКОУ «Асиновская школа-интернат для обучающихся с ограниченными возможностями здоровья»",
     "г.", "Асино", "636841"),
    ("ОГБОУ «Школа-интернат для детей-сирот и детей, оставшихся без попечения родителей «Надежда»»",
     "д.", "Заречная", "634519"),
]  # fmt: skip

# Enrolment ranges (students).
_SIZE = {
    "city_top": (700, 1400), "city": (400, 1300), "city_small": (400, 650), "town": (400, 900),
    "kedrovy": (400, 460), "centre": (250, 400), "СОШ": (60, 400), "ООШ": (30, 150), "НОШ": (30, 60),
    "regional": (60, 300),
}  # fmt: skip


@dataclass(frozen=True)
class DemoBranch:
    name: str
    address: str


@dataclass(frozen=True)
class DemoSchool:
    code: str
    municipality_code: str
    short_name: str
    full_name: str
    address: str
    branches: tuple[DemoBranch, ...]
    enrolment: int


@dataclass
class _Spec:
    short_name: str
    prefix: str
    settlement: str
    postcode: str
    size: str
    sort_key: tuple = ()
    branches: list[DemoBranch] = field(default_factory=list)


def full_name(short_name: str, tail: str = "") -> str:
    """Expand a short name per Charter: «МБОУ «СОШ № 78»» -> «Муниципальное бюджетное ... «Средняя ...»»."""
    form, rest = short_name.split(" ", 1)

    def expand(match):
        text = KINDS[match.group(2)]
        return match.group(1) + (text[0].upper() + text[1:] if match.group(1) else text)

    result = f"{FORMS[form]} {_KIND_RE.sub(expand, rest)}"
    return result if not tail or result.endswith(tail) else result + tail


def _genitive(municipality_code: str) -> str:
    return MUNICIPALITY_NAMES[municipality_code].replace("ский район", "ского района")


def _street_address(rng, postcode, prefix, settlement, streets=_STREETS, max_house=60) -> str:
    house = str(rng.randint(1, max_house)) + ("а" if rng.random() < 0.08 else "")
    return f"{postcode}, {prefix} {settlement}, {rng.choice(streets)}, д. {house}"


def _tomsk_specs(rng) -> list[_Spec]:
    numbers = rng.sample([n for n in range(2, 81) if n != 19], SCHOOL_COUNTS["tomsk"] - 2)
    layout = [("гимназия", 9), ("лицей", 4), ("ООШ", 2), ("УИОП", 4)]
    specs, start = [], 0
    for kind, count in layout + [("СОШ", len(numbers) - sum(c for _, c in layout))]:
        for n in numbers[start : start + count]:
            if kind == "гимназия":
                short, size, order = f"МАОУ гимназия № {n} г. Томска", "city_top", 2
            elif kind == "лицей":
                short, size, order = f"МАОУ «Лицей № {n} г. Томска»", "city_top", 3
            elif kind == "ООШ":
                short, size, order = f"МБОУ ООШ № {n} г. Томска", "city_small", 1
            elif kind == "УИОП":
                short, size, order = f"МАОУ СОШ № {n} с УИОП г. Томска", "city_top", 0
            else:
                form = "МАОУ" if rng.random() < 0.85 else "МБОУ"
                short, size, order = f"{form} СОШ № {n} г. Томска", "city", 0
            specs.append(_Spec(short, "г.", "Томск", f"6340{rng.randint(9, 67):02d}", size, (order, n)))
        start += count
    return specs


def _seversk_specs(rng) -> list[_Spec]:
    pool = [n for n in list(range(71, 100)) + list(range(196, 200)) if n not in (76, 83, 87)]
    numbers = rng.sample(pool, SCHOOL_COUNTS["seversk"] - 5)
    specs = [
        _Spec("МАОУ «Северская гимназия» ЗАТО Северск", "г.", "Северск", "636000", "city_top", (1, 0)),
        _Spec("МБОУ «Северский лицей» ЗАТО Северск", "г.", "Северск", "636035", "city_top", (1, 1)),
    ]
    for i, n in enumerate(numbers):
        kind, size = ("ООШ", "city_small") if i == 0 else ("СОШ", "city")
        specs.append(_Spec(f"МБОУ «{kind} № {n}» ЗАТО Северск", "г.", "Северск",
                           f"6360{rng.randint(0, 39):02d}", size, (0, n)))  # fmt: skip
    return specs


def _strezhevoy_specs(rng) -> list[_Spec]:
    numbers = rng.sample(range(1, 10), SCHOOL_COUNTS["strezhevoy"])
    return [
        _Spec(f"МОУ «{'Гимназия' if i == 0 else 'СОШ'} № {n}»", "г.", "Стрежевой",
              rng.choice(["636780", "636781", "636783", "636785"]), "town", (i != 0, n))
        for i, n in enumerate(numbers)
    ]  # fmt: skip


def _kedrovy_specs(rng) -> list[_Spec]:
    return [
        _Spec("МКОУ «СОШ № 1 г. Кедрового»", "г.", "Кедровый", "636615", "kedrovy", (0,)),
        _Spec("МКОУ «Пудинская СОШ»", "с.", "Пудино", "636614", "СОШ", (1,)),
    ]


def _district_specs(rng, code: str, bilateral: list[_Spec]) -> list[_Spec]:
    prefix, centre, adjective, postcode, n_centre = _CENTRES[code]
    specs = []
    if adjective:  # a village centre: «Бакчарская СОШ» or «Шегарская СОШ № 1», № 2 ...
        for i in range(1, n_centre + 1):
            body = f"{adjective} СОШ" + (f" № {i}" if n_centre > 1 else "")
            form = rng.choice(["МАОУ", "МБОУ"])
            specs.append(_Spec(f"{form} «{body}»", prefix, centre, postcode, "centre", (0, i)))
    elif n_centre:  # a town: numbered schools, the first of them a gymnasium
        town = _TOWN_GENITIVE[centre]
        for i, n in enumerate(sorted(rng.sample(range(1, n_centre + 3), n_centre))):
            body = f"{'Гимназия' if i == 0 else 'СОШ'} № {n} {town}"
            specs.append(_Spec(f"МАОУ «{body}»", prefix, centre, str(int(postcode) + i % 3), "town", (0, n)))
    taken = {_match(r"([А-ЯЁа-яё-]+) [СОН]ОШ", s.short_name) for s in bilateral} | {adjective}
    villages = [v for v in _VILLAGES if v[2] not in taken]
    count = SCHOOL_COUNTS[code] - len(specs) - len(bilateral)
    for v_prefix, village, v_adjective in rng.sample(villages, count):
        kind = rng.choices(["СОШ", "ООШ", "НОШ"], [55, 35, 10])[0]
        form = rng.choices(["МБОУ", "МКОУ", "МАОУ"], [45, 35, 20])[0]
        village_postcode = str(int(postcode) + rng.randint(1, 29 if code != "tomsky" else 80))
        short = f"{form} «{v_adjective} {kind}»"
        specs.append(_Spec(short, v_prefix, village, village_postcode, kind, (1, village)))
    return specs


def _match(pattern: str, text: str) -> str:
    """The first group of ``pattern`` in ``text``, which the demo data is known to contain."""
    found = re.search(pattern, text)
    if found is None:
        raise ValueError(f"{pattern!r} not found in {text!r}")
    return found.group(1)


def _bilateral_specs() -> dict[str, list[_Spec]]:
    result: dict[str, list[_Spec]] = {}
    key: tuple
    for code, short in BILATERAL_PILOT_SITES:
        prefix, settlement, postcode = _BILATERAL_PLACES[short]
        if code == "tomsk":
            size, key = ("city_top", (3, 1)) if "лицей" in short else ("city", (0, 19))
        elif code == "seversk":
            size, key = "city", (0, int(_match(r"№ (\d+)", short)))
        elif settlement == _CENTRES[code][1]:
            size, key = "centre", (0, 0)
        else:
            size, key = ("ООШ" if "ООШ" in short else "СОШ"), (1, settlement)
        result.setdefault(code, []).append(_Spec(short, prefix, settlement, postcode, size, key))
    return result


def _add_branches(rng, code: str, specs: list[_Spec]) -> None:
    total = BRANCH_COUNTS[code]
    if not total:
        return
    schools = max(1, total - total // 4)  # about a quarter of branches are a school's second one
    if code == "tomsk":
        chosen = [specs[0]] + rng.sample(specs[1:], schools - 1)  # tomsk-001 always has a branch
    else:
        chosen = rng.sample(specs, schools)
    owners = chosen + rng.sample(chosen, total - schools)
    hamlets = rng.sample(_HAMLETS, total)
    for spec, hamlet in zip(owners, hamlets, strict=True):
        index = len(spec.branches)
        if code == "tomsk":
            name = "Структурное подразделение " + ["«Детский сад»", "«Начальная школа»"][index]
            prefix, settlement = rng.choice(_TOMSK_BRANCH_PLACES)
            postcode = f"6340{rng.randint(9, 67):02d}"
            address = _street_address(rng, postcode, prefix, settlement, _TOMSK_STREETS, 150)
        elif index == 0 and rng.random() < 0.3:
            name = "Структурное подразделение " + rng.choice(["«Детский сад»", "«Дошкольная группа»"])
            address = _street_address(rng, spec.postcode, spec.prefix, spec.settlement)
        else:
            name = f"Филиал {spec.short_name} в д. {hamlet}"
            address = _street_address(rng, spec.postcode, "д.", hamlet, max_house=30)
        spec.branches.append(DemoBranch(name, address))


def demo_schools(seed: int = 2017) -> list[DemoSchool]:
    """All 320 demo schools, in group order; the same ``seed`` always gives the same list."""
    rng = random.Random(seed)
    bilateral = _bilateral_specs()
    result: list[DemoSchool] = []
    for code, _name in MUNICIPALITIES:
        own = bilateral.get(code, [])
        if code == "tomsk":
            specs = _tomsk_specs(rng) + own
        elif code == "seversk":
            specs = _seversk_specs(rng) + own
        elif code == "strezhevoy":
            specs = _strezhevoy_specs(rng)
        elif code == "kedrovy":
            specs = _kedrovy_specs(rng)
        elif code == "regional":
            specs = [
                _Spec(short, prefix, settlement, postcode, "regional", (i,))
                for i, (short, prefix, settlement, postcode) in enumerate(_REGIONAL)
            ]
        else:
            specs = _district_specs(rng, code, own) + own
        specs.sort(key=lambda s: tuple(str(k) if isinstance(k, str) else f"{k:06d}" for k in s.sort_key))
        _add_branches(rng, code, specs)
        if code in ("tomsk", "seversk", "strezhevoy"):
            streets, house = (_TOMSK_STREETS, 150) if code == "tomsk" else (_STREETS, 40)
            tail = {"seversk": " ЗАТО Северск", "strezhevoy": " городского округа Стрежевой"}.get(code, "")
        else:
            streets, house = _STREETS, 60
            tail = "" if code in ("kedrovy", "regional") else f" {_genitive(code)} Томской области"
        for i, spec in enumerate(specs, start=1):
            result.append(
                DemoSchool(
                    code=f"{code}-{i:03d}",
                    municipality_code=code,
                    short_name=spec.short_name,
                    full_name=full_name(spec.short_name, tail),
                    address=_street_address(rng, spec.postcode, spec.prefix, spec.settlement, streets, house),
                    branches=tuple(spec.branches),
                    enrolment=rng.randint(*_SIZE[spec.size]),
                )
            )
    return result


# --- people and contacts ---------------------------------------------------------------------

_SURNAMES = _items(
    """
Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов
Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин
Захаров Зайцев Борисов Яковлев Григорьев Романов Сергеев Кузьмин Фролов Дмитриев Гусев Ильин Максимов
Поляков Сорокин Белов Медведев Антонов Тарасов Жуков Баранов Комаров Беляев Осипов Титов Марков""",
    None,
)
_MALE_NAMES = _items(
    """
Александр Алексей Андрей Антон Владимир Дмитрий Евгений Иван Игорь Константин Максим
Михаил Николай Олег Павел Пётр Сергей Юрий Виктор Денис""",
    None,
)
_FEMALE_NAMES = _items(
    """
Анна Елена Ирина Ольга Наталья Татьяна Светлана Марина Юлия Екатерина Мария Галина
Людмила Надежда Оксана Вера Любовь Валентина Евгения Лариса""",
    None,
)
# Patronymic stems: + "ич" (male) / + "на" (female).
_PATRONYMIC_STEMS = _items(
    """
Александров Алексеев Андреев Анатольев Борисов Васильев Викторов Владимиров
Геннадьев Григорьев Дмитриев Евгеньев Иванов Игорев Михайлов Николаев Олегов Павлов Петров Сергеев
Юрьев Валерьев""",
    None,
)


def person_name(rng) -> str:
    """A synthetic «Фамилия Имя Отчество»; three quarters are women, as among school staff."""
    surname, stem = rng.choice(_SURNAMES), rng.choice(_PATRONYMIC_STEMS)
    if rng.random() < 0.75:
        return f"{surname}а {rng.choice(_FEMALE_NAMES)} {stem}на"
    return f"{surname} {rng.choice(_MALE_NAMES)} {stem}ич"


def phone(rng) -> str:
    """A fictional number in the 555 series: "+7 (3822) 55-50-23" or "+7 (999) 555-01-23"."""
    if rng.random() < 0.8:
        return f"+7 (3822) 55-5{rng.randint(0, 9)}-{rng.randint(0, 99):02d}"
    return f"+7 (999) 555-{rng.randint(0, 99):02d}-{rng.randint(0, 99):02d}"


def email(rng, school_code: str) -> str:
    """The school's mailbox on the reserved ``.example`` TLD; ``rng`` is accepted for symmetry."""
    return f"school-{school_code}@edu.example"


if __name__ == "__main__":
    schools = demo_schools()
    for code, name in MUNICIPALITIES:
        own = [s for s in schools if s.municipality_code == code]
        print(f"{name:32} {len(own):4} schools {sum(len(s.branches) for s in own):3} branches")
    print(f"Total: {len(schools)} schools, {sum(len(s.branches) for s in schools)} branches")
    sample = random.Random(1)
    for school in [schools[0]] + sample.sample(schools, 5):
        print(f"\n{school.code}: {school.short_name} ({school.enrolment} уч.)")
        print(f"  {school.full_name}\n  {school.address}")
        for branch in school.branches:
            print(f"  - {branch.name}; {branch.address}")
    print("\n" + "; ".join(f"{person_name(sample)}, {phone(sample)}" for _ in range(3)))
    print(email(sample, schools[0].code), "|", ", ".join(POSITIONS[:3]))
