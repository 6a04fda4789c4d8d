"""The справка's charts draw their text with the font that ships with the portal."""

from pathlib import Path

from reports import charts


def test_the_chart_font_is_the_shipped_one_and_draws_cyrillic():
    font = charts._font(charts.FONT_PT)
    assert Path(font.path).resolve() == (Path(charts.__file__).parent / "fonts" / "DejaVuSans.ttf").resolve()
    # A Cyrillic word is measured with real glyph widths, not the same box for every letter.
    assert font.getlength("Шш") != font.getlength("ii")
    assert font.getmask("Ж").getbbox() is not None
