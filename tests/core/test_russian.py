"""Number agreement is checked against pymorphy3 itself, over many numbers and every noun the
generated documents use."""

import pymorphy3
import pytest

from core import russian as ru

MORPH = pymorphy3.MorphAnalyzer(lang="ru")

# Every noun the analytic report agrees with a number.
NOUNS = (
    "организация",
    "учреждение",
    "класс",
    "педагог",
    "участник",
    "мероприятие",
    "отчёт",
    "конкурс",
    "семинар",
    "публикация",
    "база",
    "родитель",
    "система",
    "площадка",
    "пример",
    "конференция",
    "стол",
    "сайт",
    "проблема",
)
NUMBERS = [*range(0, 201), *range(1000, 1101), 1_000_000, 1_000_001, 1_000_002, 1_000_005, 2_000_021]


def _expected(n: int, noun: str, case: str) -> str:
    parse = next(p for p in MORPH.parse(noun) if p.tag.POS == "NOUN")
    if case in ("nomn", "accs"):
        return parse.inflect({"nomn"}).make_agree_with_number(n).word
    # Oblique cases: pymorphy3 declares the number for a noun that is already in that case.
    return parse.inflect({case}).make_agree_with_number(n).word


@pytest.mark.parametrize("noun", NOUNS)
@pytest.mark.parametrize("case", ["nomn", "gent", "loct", "datv"])
def test_agreement_matches_pymorphy(noun, case):
    for n in NUMBERS:
        assert ru.agree(n, noun, case) == f"{ru.num(n)} {_expected(n, noun, case)}", (n, noun, case)


def test_examples_from_the_documents():
    assert ru.agree(1923, "класс") == "1\u00a0923 класса"
    assert ru.agree(2804, "педагог") == "2\u00a0804 педагога"
    assert ru.agree(21, "организация") == "21 организация"
    assert ru.agree(30, "ПВП", "loct") == "30 ПВП"
    assert ru.agree(313, "общеобразовательное учреждение", "gent") == "313 общеобразовательных учреждений"
    assert ru.agree(21, "общеобразовательное учреждение", "gent") == "21 общеобразовательного учреждения"
    assert ru.agree(2, "муниципальное образование") == "2 муниципальных образования"
    assert ru.agree(1, "муниципальное образование", "gent") == "1 муниципального образования"
    assert ru.agree(5, "педагог-участник") == "5 педагогов-участников"
    assert ru.agree(3, "обучающийся") == "3 обучающихся"
    assert ru.agree(4, "организация областного подчинения") == "4 организации областного подчинения"
    assert ru.inflect("Томская область", "loct") == "Томской области"


def test_abbreviations_do_not_change():
    for n in (1, 2, 5, 21, 1000):
        for case in ru.CASES:
            assert ru.agree(n, "ПВП", case).endswith(" ПВП")
            assert ru.agree(n, "СЭД", case).endswith(" СЭД")


def test_unknown_case_is_refused():
    with pytest.raises(ValueError):
        ru.agree(2, "организация", "instrumental")
