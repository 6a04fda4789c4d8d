"""Russian numbers and words for generated documents: «83,2%», «1 234», «21 организация»,
«из 313 организаций», «в 30 ПВП».

Agreement of a noun (and the adjectives before it) with a number is done by the morphological
analyser pymorphy3, not by hand: ``agree(n, "муниципальное образование", case="gent")``.
"""

import functools
import re

NBSP = "\u00a0"

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_CYRILLIC_WORD = re.compile(r"^[а-яё]+$")


def num(value) -> str:
    """A whole number with a (non-breaking) space between thousands: 12345 → «12 345»."""
    if value is None:
        return "—"
    return f"{int(round(value)):,}".replace(",", NBSP)


def dec(value, digits: int = 1) -> str:
    """A decimal with a comma: 1.25 → «1,3» (digits=1)."""
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", NBSP)
    return text


def pct(value, digits: int = 1) -> str:
    """A percentage with a decimal comma and one decimal: 83.17 → «83,2%»."""
    if value is None:
        return "—"
    return f"{dec(value, digits)}%"


def share(part, whole) -> float | None:
    return part * 100 / whole if whole else None


# --- agreement through pymorphy3 -----------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _analyzer():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def load_dictionaries() -> None:
    """Load pymorphy3's dictionaries now (about 0.1 s). Every process of the portal does it at
    start (``RcroPortalConfig.ready``), so that no request, export or справка waits for them."""
    _analyzer()


@functools.lru_cache(maxsize=512)
def _parse(word: str):
    """The parse of a word given in its dictionary form (nominative singular), or None when the
    word does not change (abbreviations such as «ПВП», «СЭД», words the dictionary lacks)."""
    lower = word.lower()
    if word.isupper() or not _CYRILLIC_WORD.match(lower):
        return None
    parses = _analyzer().parse(lower)
    for parse in parses:
        tag = parse.tag
        if tag.POS in ("NOUN", "ADJF", "PRTF") and tag.case == "nomn" and "Fixd" not in tag:
            return parse
    return None


def _is_head(parse) -> bool:
    return parse is None or parse.tag.POS == "NOUN"


def _restore_case(source: str, word: str) -> str:
    return word[:1].upper() + word[1:] if source[:1].isupper() else word


def _inflect_word(word: str, case: str, number: str, n: int | None) -> str:
    """One word (or a hyphenated pair, «педагог-участник») in ``case``; with ``n`` given in the
    nominative or accusative, agreed with ``n`` by pymorphy3's numeral agreement."""
    out = []
    for part in word.split("-"):
        parse = _parse(part)
        if parse is None:
            out.append(part)
            continue
        form = parse.inflect({case, number}) or parse
        if n is not None:
            form = form.make_agree_with_number(n) or form
        out.append(_restore_case(part, form.word))
    return "-".join(out)


def _head_index(words: list[str]) -> int:
    for i, word in enumerate(words):
        if _is_head(_parse(word.split("-")[0])):
            return i
    return len(words) - 1


def _inflect_phrase(phrase: str, n: int | None, case: str, plural: bool = False) -> str:
    """Inflect the words of ``phrase`` up to and including its head noun; the rest (a genitive
    tail such as «областного подчинения») stays as written."""
    if case not in CASES:
        raise ValueError(f"Unknown case: {case}")
    words = phrase.split(" ")
    head = _head_index(words)
    number = "plur" if plural else "sing"
    agree_each = None
    if n is not None:
        n = abs(int(n))
        if case in ("nomn", "accs"):
            agree_each = n  # pymorphy3 agrees nouns and adjectives with the number in these cases
        else:
            # In the oblique cases the phrase keeps its case and takes the number the head noun
            # takes in that case («из 21 организации», «из 5 организаций», «в 2 организациях»).
            head_parse = _parse(words[head].split("-")[0])
            if head_parse is not None:
                in_case = head_parse.inflect({case, "sing"}) or head_parse
                number = "sing" if "sing" in in_case.tag.numeral_agreement_grammemes(n) else "plur"
    changed = [_inflect_word(w, case, number, agree_each) for w in words[: head + 1]]
    return " ".join(changed + words[head + 1 :])


def agree(n: int, phrase: str, case: str = "nomn") -> str:
    """The number and the phrase agreed with it: ``agree(21, "организация")`` → «21 организация»,
    ``agree(1923, "класс")`` → «1 923 класса», ``agree(5, "организация", "gent")`` → «5 организаций»,
    ``agree(30, "ПВП", "loct")`` → «30 ПВП»."""
    return f"{num(n)} {word_for(n, phrase, case)}"


def word_for(n: int, phrase: str, case: str = "nomn") -> str:
    """Only the agreed phrase, without the number: ``word_for(2, "педагог")`` → «педагога»."""
    return _inflect_phrase(phrase, n, case)


def inflect(phrase: str, case: str, plural: bool = False) -> str:
    """The phrase in another case: ``inflect("Томская область", "loct")`` → «Томской области»."""
    return " ".join(_inflect_word(w, case, "plur" if plural else "sing", None) for w in phrase.split(" "))


# Shorthands used across the reports.
def orgs(n: int) -> str:
    return agree(n, "организация")


def orgs_genitive(n: int) -> str:
    """«из 1 организации», «из 5 организаций»."""
    return agree(n, "организация", "gent")


def municipalities(n: int) -> str:
    """«из 20 муниципальных образований» (genitive)."""
    return agree(n, "муниципальное образование", "gent")


def verb_for(n: int, one: str, other: str) -> str:
    """A verb or participle agreeing with a number: 1, 21 → ``one``; 2, 5, 11 → ``other``
    («будет передан 1 отчёт», «будут переданы 46 отчётов»)."""
    n = abs(int(n))
    return one if n % 10 == 1 and n % 100 != 11 else other
