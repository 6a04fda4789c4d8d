"""The region's reference lists. Loaded by a data migration so that every database has them."""

# (code, name, kind, sort order)
MUNICIPALITIES = [
    ("tomsk", "Город Томск", "city"),
    ("seversk", "ЗАТО Северск", "city"),
    ("strezhevoy", "Город Стрежевой", "city"),
    ("kedrovy", "Город Кедровый", "city"),
    ("aleksandrovsky", "Александровский район", "district"),
    ("asinovsky", "Асиновский район", "district"),
    ("bakcharsky", "Бакчарский район", "district"),
    ("verkhneketsky", "Верхнекетский район", "district"),
    ("zyryansky", "Зырянский район", "district"),
    ("kargasoksky", "Каргасокский район", "district"),
    ("kozhevnikovsky", "Кожевниковский район", "district"),
    ("kolpashevsky", "Колпашевский район", "district"),
    ("krivosheinsky", "Кривошеинский район", "district"),
    ("molchanovsky", "Молчановский район", "district"),
    ("parabelsky", "Парабельский район", "district"),
    ("pervomaysky", "Первомайский район", "district"),
    ("teguldetsky", "Тегульдетский район", "district"),
    ("tomsky", "Томский район", "district"),
    ("chainsky", "Чаинский район", "district"),
    ("shegarsky", "Шегарский район", "district"),
    ("regional", "Областные государственные ОО", "regional"),
]

# (short name, full name)
VENDORS = [
    ("ТЭШ", "ООО «Томская электронная школа»"),
    ("Дневник.ру", "ООО «Дневник.ру»"),
    ("ИРТех", "ЗАО «ИРТех»"),
]

NETGOROD = "«Сетевой город. Образование»"

# (code, name, short name, vendor short name or None, installation, aliases)
SYSTEMS = [
    (
        "tesh",
        "«Электронная школа» (ТЭШ)",
        "ТЭШ",
        "ТЭШ",
        "sd.tom.ru",
        [
            "ТЭШ",
            "Томская электронная школа",
            "ООО «Томская электронная школа»",
            "Электронная школа",
            "sd.tom.ru",
        ],
    ),
    (
        "dnevnik",
        "«Дневник.ру»",
        "Дневник.ру",
        "Дневник.ру",
        "dnevnik.ru",
        ["Дневник.ру", "Дневник ру", "Dnevnik.ru", "ООО «Дневник.ру»"],
    ),
    (
        "netgorod-tomsk7",
        f"{NETGOROD} (netgorod.tomsk-7.ru)",
        "Сетевой город",
        "ИРТех",
        "netgorod.tomsk-7.ru",
        ["Сетевой город", "Сетевой город. Образование", "ИРТех", "netgorod.tomsk-7.ru"],
    ),
    (
        "netgorod-guostrj",
        f"{NETGOROD} (portal.guostrj.ru)",
        "Сетевой город",
        "ИРТех",
        "portal.guostrj.ru",
        ["portal.guostrj.ru"],
    ),
    (
        "netgorod-217",
        f"{NETGOROD} (217.18.149.34)",
        "Сетевой город",
        "ИРТех",
        "217.18.149.34",
        ["217.18.149.34"],
    ),
    ("none", "не используется", "не используется", None, "", ["нет", "не используется", "-"]),
]
