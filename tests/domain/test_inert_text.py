"""Office-written text made inert for display: every control and direction character shown as a mark, nothing
dropped, Chinese and punctuation untouched (``domain/inert_text.py``, the rule terminal and HTML share)."""

import pytest

from jobpolicy.domain.inert_text import BIDI, inert, inert_lines, is_inert


@pytest.mark.parametrize(("typed", "shown"), [
    ("\x1b[2J清屏", "\\x1b[2J清屏"),  # CSI: clear the screen
    ("\x1b]0;已被接管\x07王老师", "\\x1b]0;已被接管\\x07王老师"),  # OSC: retitle the window, ended by BEL
    ("张老师\r李老师", "张老师\\x0d李老师"),  # CR: overwrite the actor
    ("第一行\n错误: 伪造", "第一行\\x0a错误: 伪造"),  # a newline cannot forge a line
    ("\x9b31m", "\\x9b31m"),  # C1 CSI, one byte in some terminals
    ("\x00\x7f", "\\x00\\x7f"),
    ("https://a.cn/\u202efdp.exe", "https://a.cn/⟨U+202E⟩fdp.exe"),  # shows …exe.pdf when obeyed
    ("\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
     "⟨U+202A⟩⟨U+202B⟩⟨U+202C⟩⟨U+202D⟩⟨U+2066⟩⟨U+2067⟩⟨U+2068⟩⟨U+2069⟩⟨U+200E⟩⟨U+200F⟩⟨U+061C⟩"),
])
def test_controls_and_direction_marks_are_shown_not_obeyed(typed, shown):
    assert inert(typed) == shown
    assert not is_inert(typed) and is_inert(shown)


@pytest.mark.parametrize("text", ["山西大学招生就业处", "“就业”（2025）：完成率 100%；见附件《方案》！", "a-b_c/d?e=f&g#h",
                                  "Ｆｕｌｌ　ｗｉｄｔｈ　１２３", "😀 emoji", "אבג عربي"])
def test_chinese_punctuation_and_ordinary_text_are_untouched(text):
    assert inert(text) == text and inert_lines(text) == text and is_inert(text)


def test_text_of_several_lines_keeps_its_line_breaks_and_tabs_only():
    assert inert_lines("第一行\n\t第二行\x1b[31m\r\n") == "第一行\n\t第二行\\x1b[31m\\x0d\n"


def test_marks_are_themselves_inert_so_showing_twice_changes_nothing():
    once = inert("\x1b[2J\u202e")
    assert inert(once) == once


def test_every_character_made_inert_is_unprintable_so_printable_text_is_kept_as_it_is():
    """The fast path of ``inert`` and ``inert_lines`` (``str.isprintable``) skips only text with none of them."""
    marked = [chr(code) for code in (*range(0x20), *range(0x7F, 0xA0))] + list(BIDI)
    assert not any(char.isprintable() for char in marked)
    assert inert_lines("第一行\n第二行\t说明") == "第一行\n第二行\t说明"
    plain = "山西大学 https://e.example.cn/名单.pdf"
    assert inert(plain) is plain and inert_lines(plain) is plain
