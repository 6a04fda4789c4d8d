"""Matching a municipality's name as people write it: «г. Томск», «Томский р-н», «ЗАТО Северск»,
«ОГОО» — to the reference list, through normalised names, codes and the stored aliases."""

import re
from dataclasses import dataclass

from core.text import normalize_name

from .models import Municipality, MunicipalityAlias

MSG_UNKNOWN_MUNICIPALITY = "МО «{value}» не найдено. Допустимые значения: {allowed}."

# Words that only say what kind of municipality it is; the name is what remains.
_KIND_WORDS = {
    "г",
    "гор",
    "город",
    "городской",
    "округ",
    "го",
    "зато",
    "мо",
    "муниципальное",
    "муниципальный",
    "образование",
    "район",
    "р-н",
    "рн",
    "мр",
    "томской",
    "области",
    "обл",
}
_PHRASES = (
    ("общеобразовательные организации", "оо"),
    ("общеобразовательные учреждения", "оо"),
    ("образовательные организации", "оо"),
    ("образовательные учреждения", "оо"),
    ("оу", "оо"),
    ("государственные", ""),
)


def municipality_key(text: str) -> str:
    """The part of a municipality's name that tells it apart: «г. Томск» and «Город Томск» → «томск»."""
    text = normalize_name(text)
    text = re.sub(r"[.,;:()]", " ", text)
    text = re.sub(r"\s*-\s*", "-", text)
    words = [w for w in text.split() if w not in _KIND_WORDS]
    text = " ".join(words) or " ".join(text.split())
    for phrase, short in _PHRASES:
        text = re.sub(rf"(^|\s){phrase}(\s|$)", rf"\1{short}\2", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class MunicipalityMatch:
    municipality: Municipality
    written: str

    @property
    def spelled_differently(self) -> bool:
        """Written otherwise than the reference name (beyond spaces)."""
        return " ".join(self.written.split()) != self.municipality.name


class MunicipalityMatcher:
    """An index of the reference list; two queries, then matching is in memory."""

    def __init__(self):
        self.municipalities = list(Municipality.objects.all())
        by_pk = {m.pk: m for m in self.municipalities}
        self.index: dict[str, Municipality] = {}
        for alias in MunicipalityAlias.objects.all():
            self._add(alias.name, by_pk[alias.municipality_id])
        for municipality in self.municipalities:
            self._add(municipality.code, municipality)
            self._add(municipality.name, municipality)

    def _add(self, text: str, municipality: Municipality) -> None:
        self.index[normalize_name(text)] = municipality
        self.index.setdefault(municipality_key(text), municipality)

    def find(self, text: str) -> MunicipalityMatch | None:
        found = self.index.get(normalize_name(text)) or self.index.get(municipality_key(text))
        return MunicipalityMatch(found, text) if found is not None else None

    @property
    def known_names(self) -> str:
        return ", ".join(m.name for m in self.municipalities)

    def unknown_message(self, text: str) -> str:
        return MSG_UNKNOWN_MUNICIPALITY.format(value=text, allowed=self.known_names)


def find_municipality(text: str) -> Municipality | None:
    match = MunicipalityMatcher().find(text)
    return match.municipality if match else None
