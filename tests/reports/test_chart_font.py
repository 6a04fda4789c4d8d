"""The справка's charts draw their text with the font that ships with the portal."""

from pathlib import Path

from reports import charts


def test_the_chart_font_is_the_shipped_one_and_draws_cyrillic():
    font = charts._font(charts.FONT_PT)
    assert Path(font.path).resolve() == (Path(charts.__file__).parent / "fonts" / "DejaVuSans.ttf").resolve()
    # A Cyrillic word is measured with real glyph widths, not the same box for every letter.
    assert font.getlength("Шш") != font.getlength("ii")
    assert font.getmask("Ж").getbbox() is not None


def test_table_widths_are_measured_with_the_shipped_times_metrics():
    """The справка's column widths come from Liberation Serif shipped with the portal, not from
    the server's fonts or the rough estimate used when no font can be read."""
    from reports import docx_template

    for bold in (False, True):
        assert docx_template._font(bold) is not None, docx_template.FONT_FILES[bold]
    # Times metrics: «М» is wider than «і», which the estimate (same width for all) cannot know.
    assert docx_template.word_width_cm("МММ") > docx_template.word_width_cm("ііі")
