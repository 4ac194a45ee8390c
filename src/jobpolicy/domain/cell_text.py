"""Text on its way into a spreadsheet cell and back, so that what nobody edited comes back exactly as it was.

Three things a spreadsheet does to text, each undone here:

- **Excel holds at most 32,767 characters in a cell** and cuts the rest when it opens the file. Rather than let
  the cut come back as a change (or refuse the whole school's export for one long note), text that long is
  exported as its beginning followed by a mark that says how much is left out; the import recognises the mark
  and, when the beginning is still the stored text's, takes the cell as unchanged. A long text cannot be edited
  in the sheet (the mark says so, and so does the import if it was): ``record set`` can.
- **XML cannot hold most control characters** (a vertical tab pasted from Word, U+000B), so openpyxl refuses to
  write them and the whole export used to fail. OOXML's own escape ``_xHHHH_`` (ECMA-376 ST_Xstring) carries
  them: Excel, WPS and LibreOffice show the character and write the escape back, and the import undoes it.
- **A spreadsheet reads digits in a CSV as a number**: ``+8613800000000`` comes back as ``8.6138E+12``,
  ``00123`` as ``123``. The export guards such text (``values.neutralise``); a sheet that was retyped anyway is
  recognised by ``unedited`` where the stored text is the only one it can have come from.

One loss is LibreOffice's own: it writes a literal ``_x000B_`` back unescaped, so it reads as the control
character; ``unedited`` recognises that too.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from jobpolicy.domain.values import AS_SHOWN, PLAIN_NUMBER, SPREADSHEET_DIGITS

CELL_LIMIT = 32_767  # characters (UTF-16 code units) Excel keeps in one cell
CUT_MARK = "……〔以下 {rest} 字未导出：单元格最多 32767 字。导入时此格视为未改动；修改请用 jobpolicy record set〕"
_CUT = re.compile(re.escape(CUT_MARK).replace(re.escape("{rest}"), r"(\d+)") + r"\Z")
KEEP = CELL_LIMIT - 200  # what is kept of a long text: room for the mark, in any count of digits

# Characters XML 1.0 cannot hold (tab, line feed and carriage return it can), and ``_x`` sequences that would
# otherwise read as an escape. Excel escapes the same on save.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def fit_cell(text: str) -> str:
    """``text`` as it fits a spreadsheet cell: whole, or its beginning and the mark saying how much is left out."""
    if _units(text) <= CELL_LIMIT:
        return text
    kept = text[:KEEP]
    while _units(kept) > KEEP:  # characters beyond U+FFFF count twice
        kept = kept[:-1]
    return kept + CUT_MARK.format(rest=len(text) - len(kept))


def cut_problem(cell: str, stored: str | None) -> str | None:
    """For a cell that carries the cut mark: None when it is the stored text, cut as exported (so unchanged);
    else what is wrong, in Chinese. Raises nothing; a cell without the mark is not asked about."""
    match = _CUT.search(cell)
    kept = cell[: match.start()] if match else cell
    if match and stored is not None and stored.startswith(kept) and len(stored) - len(kept) == int(match[1]):
        return None
    return ("是导出时截断的长文本（单元格最多 32767 字），截断后又被改动，无法导入："
            "请恢复原样或清空此格，修改长文本请用 jobpolicy record set")


def is_cut(cell: object) -> bool:
    """Whether a cell carries the mark ``fit_cell`` leaves on a text it cut."""
    return isinstance(cell, str) and _CUT.search(cell) is not None


def xlsx_escape(text: str) -> str:
    """``text`` with what XML cannot hold written as OOXML's ``_xHHHH_`` (and a literal ``_x…_`` kept literal)."""
    return _ILLEGAL.sub(lambda m: f"_x{ord(m[0]):04X}_", text)


def xlsx_unescape(text: str) -> str:
    """Undo ``xlsx_escape`` (and Excel's own escapes of control characters, such as ``_x000D_``)."""
    return _ESCAPE.sub(_unescaped, text) if "_x" in text else text


def _unescaped(match: re.Match) -> str:
    code = int(match[1], 16)
    return chr(code) if code < 0x20 or code in (0x5F, 0xFFFE, 0xFFFF) else match[0]


def unedited(cell: str, stored: str | None) -> bool:
    """Whether a text cell that differs from ``stored`` is only what a spreadsheet made of it: digits rewritten
    as a number (``rewritten_by_spreadsheet``), or a literal ``_x000B_`` that LibreOffice, saving, wrote back
    unescaped so that it reads as the control character."""
    if stored is None:
        return False
    return rewritten_by_spreadsheet(cell, stored) or ("_x" in stored and xlsx_unescape(stored) == cell)


def rewritten_by_spreadsheet(cell: str, stored: str | None) -> bool:
    """Whether ``cell`` is what a spreadsheet makes of the digits ``stored`` on opening and saving a CSV: the
    same number without its plus or leading zeros (``123`` for ``00123``), cut to 15 significant digits, or in
    the exponent form it shows (``8.6138E+12``). Only where ``stored`` is itself digits, so no text can match."""
    if stored is None or cell == stored or not PLAIN_NUMBER.fullmatch(stored.strip()):
        return False
    shown = re.fullmatch(r"-?\d(?:\.(\d+))?E[+-]\d+", cell.strip())
    if shown is None and not AS_SHOWN.fullmatch(cell.strip()):
        return False  # a spreadsheet never writes a plus or a leading zero: someone typed it
    try:
        was, now = Decimal(stored.strip()), Decimal(cell.strip())
    except InvalidOperation:
        return False
    if was == now:
        return True
    places = len(shown[1] or "") if shown else SPREADSHEET_DIGITS - 1
    return f"{was:.{places}E}" == f"{now:.{places}E}"
