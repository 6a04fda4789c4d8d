"""Russian number formatting for generated documents: «83,2%», «1 234», «5 организаций»."""

NBSP = "\u00a0"


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


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form of a noun for a number: 1 организация, 2 организации, 5 организаций."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count(n: int, one: str, few: str, many: str) -> str:
    return f"{num(n)} {plural(n, one, few, many)}"


def orgs(n: int) -> str:
    return count(n, "организация", "организации", "организаций")


def orgs_genitive(n: int) -> str:
    """«из 1 организации», «из 5 организаций»."""
    return f"{num(n)} {'организации' if n % 10 == 1 and n % 100 != 11 else 'организаций'}"


def municipalities(n: int) -> str:
    return count(n, "муниципального образования", "муниципальных образований", "муниципальных образований")


def agree(n: int, one: str, other: str) -> str:
    """A verb or participle agreeing with a number: 1, 21 → ``one``; 2, 5, 11 → ``other``
    («будет передан 1 отчёт», «будут переданы 46 отчётов»)."""
    n = abs(int(n))
    return one if n % 10 == 1 and n % 100 != 11 else other
