"""Cells a spreadsheet program made into formulas or error values, explained so that an office can fix them.

Excel, WPS and LibreOffice take anything typed with a leading ``=`` (Excel also ``+``, ``-``, ``@``) as a formula:
a note typed ``=请补充材料`` is saved as that formula with the error it computes (``#NAME?``), ``=A1+`` with
``#N/A`` (LibreOffice's Err:520). The reader never evaluates formulas: it takes the result the program saved, and
hands over an ``Unreadable`` cell when there is none or it is an error. A CSV saved from such a sheet holds the
error as text (``#NAME?``, or LibreOffice's ``Err:520``), which is recognised here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Error values as the programs show them; Excel's newer ones included. LibreOffice shows Err:5xx for some.
ERROR_VALUE = re.compile(r"#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|"
                         r"CONNECT!|BUSY!|UNKNOWN!)|Err:\d{3}", re.IGNORECASE)
SHOWN = 30  # characters of a formula quoted in a message


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A cell the file reader could not take a value from.

    ``formula`` is the formula as saved (``=请补充材料``), ``error`` the error value it left (``#NAME?``); a merged
    cell across columns has neither, and ``reason`` says what is wrong, after the column's header.
    """

    reason: str = ""
    formula: str | None = None
    error: str | None = None


def error_text(value: object) -> Unreadable | None:
    """An error value written as text (a CSV saved from a sheet with a failed formula), else None."""
    if isinstance(value, str) and ERROR_VALUE.fullmatch(value.strip()):
        return Unreadable(error=value.strip())
    return None


def explain(label: str, cell: Unreadable, *, wanted: str | None) -> str:
    """What is wrong with the cell under header ``label`` and what to do, in Chinese.

    ``wanted`` names what a number or date column takes (``数字``, ``日期``): a formula there may be meant, so the
    office is told to correct it or type the value; elsewhere (text) a formula is an accident of typing.
    """
    if cell.formula is None and cell.error is None:
        return f"{label}{cell.reason}"
    result = f"，计算出错（{cell.error}）" if cell.error else "，文件中没有它的计算结果"
    if cell.formula is None:
        return (f"“{label}”一格是错误值 {cell.error}，是某个公式计算出错后留下的："
                f"请删去它，直接填写{wanted or '内容'}")
    shown = cell.formula if len(cell.formula) <= SHOWN else cell.formula[:SHOWN] + "…"
    if wanted is not None:
        fix = (f"请改正公式，或直接填写{wanted}" if cell.error
               else f"请直接填写{wanted}，或用 Excel、WPS 打开并保存后再导入")
        return f"“{label}”一格是公式 {shown}{result}：{fix}"
    lead = cell.formula[1] if cell.formula[:2] in ("=+", "=-", "=@") else "="
    return (f"“{label}”一格以 {lead} 开头（{shown}），表格软件把它当成了公式{result}："
            f"删去 {lead}，或在前面加英文单引号 '")
