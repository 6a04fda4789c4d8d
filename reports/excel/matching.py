"""Matching the names written in a workbook to the reference data: municipalities (names as people
write them, aliases), organisations and branches (normalised names), systems (names, codes, aliases).

The indexes are read once per load (a few queries), then every row is matched in memory.
"""

import re
from dataclasses import dataclass

from core.text import normalize_name
from schools.matching import MunicipalityMatcher
from schools.models import Branch, EdmsSystem, Municipality, School

from .layout import split_name_address

_COMMA = re.compile(r",")

MSG_UNKNOWN_SYSTEM = "Неизвестная система «{value}». Допустимые значения: {allowed}."


def _spelled_differently(written: str, known: str) -> bool:
    return " ".join(written.split()) != " ".join(known.split())


@dataclass(frozen=True)
class Respelling:
    """A name in the workbook matched to a reference name written otherwise."""

    row: int
    column: int
    written: str
    known: str


class OrganisationIndex:
    def __init__(self):
        self.municipalities = MunicipalityMatcher()
        self.schools: dict[tuple, School] = {}
        self.branches: dict[tuple, Branch] = {}
        systems = list(EdmsSystem.objects.filter(is_active=True))
        index: dict[str, EdmsSystem] = {}
        for system in systems:
            for key in (system.name, system.code, *system.alias_list()):
                index[normalize_name(key)] = system
        for system in systems:
            key = normalize_name(system.short_name)
            if key in index and index[key] is not system:
                continue
            index.setdefault(key, system)
        self.systems = index
        self.system_names = ", ".join(f"«{s.name}»" for s in systems)

    def load_organisations(self, municipality_ids) -> None:
        """Read the organisations and branches of the municipalities a table names (two queries)."""
        ids = sorted(set(municipality_ids))
        self.schools = {
            (s.municipality_id, normalize_name(s.short_name)): s
            for s in School.objects.filter(municipality_id__in=ids).select_related("municipality")
        }
        self.branches = {
            (b.school_id, normalize_name(b.name)): b
            for b in Branch.objects.filter(school__municipality_id__in=ids)
        }

    # municipalities
    def municipality(self, written: str) -> Municipality | None:
        match = self.municipalities.find(written)
        return match.municipality if match else None

    def unknown_municipality_message(self, written: str) -> str:
        return self.municipalities.unknown_message(written)

    # organisations
    def school(self, municipality: Municipality, name: str) -> School | None:
        return self.schools.get((municipality.pk, normalize_name(name)))

    def school_written(self, municipality: Municipality, written: str) -> tuple[School | None, str, str]:
        """The organisation column 3 names, and the name and address as written.

        A name may itself carry commas and address-like parts («МАОУ СОШ № 5 г. Томска, ул. Ленина,
        д. 1»), so the longest part before a comma that is a known name wins; the address is the
        rest. Unknown: the name and address as :func:`layout.split_name_address` splits them."""
        return self._written(written, lambda name: self.school(municipality, name))

    def branch_written(self, school: School | None, written: str) -> tuple[Branch | None, str, str]:
        """The branch column 4 names (as :meth:`school_written`)."""
        return self._written(written, lambda name: self.branch(school, name))

    @staticmethod
    def _written(written: str, find) -> tuple:
        written = " ".join(str(written or "").split())
        cuts = [len(written), *(m.start() for m in reversed(list(_COMMA.finditer(written))))]
        for cut in cuts:
            name = written[:cut].strip()
            found = find(name) if name else None
            if found is not None:
                return found, name, written[cut:].lstrip(" ,")
        name, address = split_name_address(written)
        found = find(name) if name else None  # an address that starts without a comma
        return found, name, address

    def remember_school(self, municipality: Municipality, name: str, school: School) -> None:
        self.schools[(municipality.pk, normalize_name(name))] = school

    def branch(self, school: School | None, name: str) -> Branch | None:
        if school is None:
            return None
        return self.branches.get((school.pk, normalize_name(name)))

    # systems
    def system(self, written: str) -> EdmsSystem | None:
        return self.systems.get(normalize_name(written))

    def unknown_system_message(self, written: str) -> str:
        return MSG_UNKNOWN_SYSTEM.format(value=written, allowed=self.system_names)


def respelling(row: int, column: int, written: str, known: str) -> Respelling | None:
    return Respelling(row, column, written, known) if _spelled_differently(written, known) else None
