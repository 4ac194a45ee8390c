"""Text written by offices, made inert for display: control characters and direction overrides shown, not obeyed.

A note, an evidence name or a school name can carry an escape sequence (ESC [2J clears a terminal, ESC ] 0;…
BEL retitles its window, CR overwrites a line) or a Unicode direction control (U+202E turns ``…fdp.exe`` into
what reads as ``…exe.pdf``). One rule, used by the terminal and the HTML reports alike: every such character is
replaced by a visible mark, so the reader sees that something is there; Chinese and ordinary punctuation are
untouched.
"""

from __future__ import annotations

import re

# Direction controls (embeddings, overrides, isolates, marks) and the line and paragraph separators, which
# break a line where no newline shows.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029"
_CONTROLS = "\x00-\x1f\x7f-\x9f"
_ANY = re.compile(f"[{_CONTROLS}{BIDI}]")


def _mark(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0x9F else f"⟨U+{code:04X}⟩"


def _mark_match(match: re.Match[str]) -> str:
    return _mark(match.group())


def inert(text: str) -> str:
    """One value (a note, a name, a URL) with every control and direction character shown as a mark: ESC as
    ``\\x1b``, a newline as ``\\x0a``, U+202E as ``⟨U+202E⟩``."""
    if text.isprintable():  # the common case, decided in C: every character marked here is unprintable
        return text
    return _ANY.sub(_mark_match, text) if _ANY.search(text) else text


_LINE_BREAKS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}]")


def inert_lines(text: str) -> str:
    """Text of several lines made inert the same way, its newlines and tabs kept (a page, a catalog shown whole)."""
    if text.isprintable():  # as in ``inert``: a page prints hundreds of thousands of values
        return text
    return _LINE_BREAKS.sub(_mark_match, text) if _LINE_BREAKS.search(text) else text


def is_inert(text: str) -> bool:
    """Whether ``text`` holds nothing ``inert`` would mark."""
    return _ANY.search(text) is None
