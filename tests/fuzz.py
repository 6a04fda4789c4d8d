"""Hypothesis strategies for hostile input (shared by the fuzz tests of forms and the import).

Every field gets arbitrary values: text with NUL, other control characters and lone surrogates,
very long strings, huge and negative integers, floats, empty values. Examples are kept few so the
suite stays fast; the PostgreSQL run in CI runs the same tests.
"""

from urllib.parse import urlencode

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run and in CI
    database=None,  # nothing written next to the code
)

any_char = st.characters(exclude_categories=())  # includes control characters and surrogates
hostile_text = st.one_of(
    st.text(any_char, max_size=40),
    st.text(any_char, max_size=10).map(lambda s: s + "\x00" + s),
    st.integers(min_value=1, max_value=3).map(lambda n: "Щ" * (40_000 * n // 3)),
    st.sampled_from(["", " ", "\x00", "−5", "1 234", "1e308", "NaN", "inf", "0x10", "٣"]),
)
hostile_number = st.one_of(
    st.integers(),
    st.integers(min_value=2**31 - 2, max_value=2**31 + 2),
    st.integers(min_value=-(2**63), max_value=2**64),
    st.floats(allow_nan=True, allow_infinity=True),
)
hostile_value = st.one_of(hostile_text, hostile_number.map(str))


def urlencoded(data: dict) -> bytes:
    """A form body as a browser could send it, lone surrogates included (as invalid UTF-8)."""
    return urlencode(data, doseq=True, encoding="utf-8", errors="surrogatepass").encode("ascii")


def post_form(client, url, data: dict):
    return client.post(url, urlencoded(data), content_type="application/x-www-form-urlencoded")


def cell_value():
    """A value openpyxl can write into a cell (it refuses control characters itself)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    printable = st.text(any_char, max_size=40).map(
        lambda s: ILLEGAL_CHARACTERS_RE.sub("", s).encode("utf-8", "ignore").decode("utf-8")
    )
    return st.one_of(
        printable,
        st.integers(min_value=1, max_value=2).map(lambda n: "Ж" * 40_000 * n),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.none(),
    )
