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

# Other spellings of the municipalities met in tables from the field (municipality code → spellings).
# Forms that differ only by «г.»/«город», «р-н»/«район», quotes or case are matched without them.
MUNICIPALITY_ALIASES = {
    "tomsk": ["г. Томск", "Томск", "городской округ «Город Томск»", "МО «Город Томск»"],
    "seversk": ["ЗАТО г. Северск", "Северск", "г. Северск", "ЗАТО «Северск»"],
    "strezhevoy": ["г. Стрежевой", "Стрежевой", "городской округ Стрежевой"],
    "kedrovy": ["г. Кедровый", "Кедровый", "городской округ Кедровый"],
    **{
        code: [name.replace(" район", " р-н"), name.replace(" район", "")]
        for code, name, kind in MUNICIPALITIES
        if kind == "district"
    },
    "regional": [
        "Областные государственные общеобразовательные организации",
        "Областные государственные общеобразовательные учреждения",
        "Областные государственные образовательные организации",
        "Областные ОО",
        "Областные ОУ",
        "Областные",
        "ОГОО",
        "ОГОУ",
        "ОГБОУ",
        "ОГКОУ",
    ],
}
