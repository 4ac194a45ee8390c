"""Finding what a user typed: folded comparison, near misses ("did you mean"), and official Chinese numbers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher

SUGGESTION = "您是不是要找："
DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# （十一）, (11), 第十一条, 十一: the brackets and the 第…条 around an official number are not part of it
_NUMBER_RE = re.compile(r"第?[(]?([0-9]+|[〇零一二两三四五六七八九十]+)[)]?[条项]?")


def fold(text: str) -> str:
    """The form two spellings are compared in: full-width folded (NFKC), case folded, without any whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def nearest(word: str, choices: Iterable[str], *, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The choices closest to ``word`` (difflib's ratio, compared folded), best first, ties in the choices' order."""
    matcher = SequenceMatcher()
    matcher.set_seq2(fold(word))
    scored = []
    for index, choice in enumerate(dict.fromkeys(choices)):
        matcher.set_seq1(fold(choice))
        # the quick upper bounds first, as difflib.get_close_matches does: most choices stop there
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff and matcher.ratio() >= cutoff:
            scored.append((-matcher.ratio(), index, choice))
    return [choice for *_, choice in sorted(scored)[:n]]


def did_you_mean(choices: Iterable[str]) -> str:
    """``您是不是要找：X、Y`` for the given suggestions; empty when there are none."""
    words = list(choices)
    return f"{SUGGESTION}{'、'.join(words)}" if words else ""


def chinese_number(text: str) -> int | None:
    """The value of an official number as written: ``（十一）``, ``十一``, ``(11)``, ``11``, ``第十一条``; else None.

    Covers 1 to 99, which is as far as a policy's numbered parts and measures go.
    """
    match = _NUMBER_RE.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        return None
    numeral = match.group(1)
    tens, ten, ones = numeral.partition("十")
    if numeral.isdigit():
        value = int(numeral)
    elif not ten:
        value = DIGITS[numeral] if len(numeral) == 1 else 0
    elif len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    else:
        value = (DIGITS[tens] if tens else 1) * 10 + (DIGITS[ones] if ones else 0)
    return value if 0 < value < 100 else None
