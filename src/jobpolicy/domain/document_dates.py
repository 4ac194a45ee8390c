"""The date a line of a policy document consists of, written ``（2024年11月3日）`` or ``二〇二五年四月八日``.

A title is dated below it, a notice signed and dated at its end; either way the date stands on a line of its own.
"""

from __future__ import annotations

import re
from datetime import date

from jobpolicy.domain.limits import in_range

_YEAR_DIGITS = {**{c: str(n) for n, c in enumerate("〇一二三四五六七八九")}, "○": "0", "零": "0", "Ｏ": "0", "O": "0"}
_SMALL = {c: n for n, c in enumerate("一二三四五六七八九", start=1)}
_ARABIC_DATE = re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$")
_CHINESE_DATE = re.compile(r"^(?P<y>[〇○零ＯO一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月"
                           r"(?P<d>[一二三四五六七八九十]{1,3})日$")


def _small_number(text: str) -> int | None:
    """一 to 三十一 as written in dates (十二, 二十三, 三十一)."""
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _SMALL.get(text[1:], 99)
    tens, _, ones = text.partition("十")
    if "十" in text:
        return _SMALL.get(tens, 99) * 10 + (_SMALL.get(ones, 99) if ones else 0)
    return _SMALL.get(text)


def date_of_line(line: str) -> date | None:
    """The date a line consists of (``（2024年11月3日）``, ``二〇二五年四月八日``), or None."""
    text = "".join(line.split()).strip("（）()")
    if match := _ARABIC_DATE.match(text):
        parts = (int(match["y"]), int(match["m"]), int(match["d"]))
    elif match := _CHINESE_DATE.match(text):
        month, day = _small_number(match["m"]), _small_number(match["d"])
        parts = (int("".join(_YEAR_DIGITS[c] for c in match["y"])), month or 0, day or 0)
    else:
        return None
    try:
        day = date(*parts)
    except ValueError:
        return None
    return day if in_range(day) else None
