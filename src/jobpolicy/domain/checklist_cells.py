"""Reading a filled-in checklist back: header, merged cells, and each row's cells into values or located problems.

A blank cell means "leave as it is": it is simply absent from a row's values. Every problem names its sheet, row
and column as the office sees them in Excel, and says in Chinese what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from jobpolicy.domain.catalog import Item
from jobpolicy.domain.checklist_sheet import (
    AUTHOR,
    CSV_TRAILER,
    EVIDENCE_SPLIT,
    HEADERS,
    LABELS,
    PHONE,
    READ_ONLY,
    REFUSE_HINT,
    SheetMeta,
    check_claim,
    code_text,
)
from jobpolicy.domain.formula_cells import Unreadable, error_text, explain
from jobpolicy.domain.limits import DATE_RANGE, in_range, number_problem
from jobpolicy.domain.periods import ONCE, parse_period, period_refusal
from jobpolicy.domain.status import parse_status, status_choices, status_refusal
from jobpolicy.domain.values import (
    DATE_EXAMPLES,
    TYPED_NUMBER_BEFORE,
    cell_date,
    date_problem,
    excel_serial,
    normalise,
    parse_number,
    restore,
)
from jobpolicy.errors import InvalidInput

REQUIRED = ("item", "period")
HEADER_SEARCH = 10  # the header row is among the first rows: row 1 or 2 in format 1, row 5 in format 2
CONFIRM_YES = frozenset({"是", "确认", "y", "yes", "true", "1", "√", "✓", "✔"})
CONFIRM_NO = frozenset({"否", "n", "no", "false", "0"})
WANTED = {"progress": "数字", "value": "数字", "due": "日期"}  # what a number or date column takes


class CellError(ValueError):
    """A cell whose content cannot be used; the message is Chinese and names the column's header."""


@dataclass(frozen=True, slots=True)
class CellProblem:
    """One problem, located as the office sees it: sheet, row number and column letter."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行 {self.column} 列" if self.column else f"第 {self.row} 行"
        return f"{where} {self.message}"


@dataclass(frozen=True, slots=True)
class RawSheet:
    """A file's grid as read, before any interpretation: 1-based row numbers, cells as Python values."""

    kind: str  # xlsx | csv
    sheet: str
    meta: SheetMeta
    header_row: int
    header: list[object]
    rows: list[tuple[int, list[object]]]
    revisions: dict[tuple[str, str], int] | None = None  # XLSX: from the hidden sheet; CSV: on each row
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_row, min_col, max_row, max_col)
    fields: dict[str, str] = field(default_factory=dict)  # the header block: 填报人, 联系电话 (blank: absent)


@dataclass
class RowInput:
    """One data row as read: the item and period it names and the values of its non-blank fillable cells."""

    sheet: str
    row: int
    item_id: str | None
    period: object
    values: dict[str, object] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()
    revision: int | None = None  # CSV only; an XLSX row's revision is on the hidden sheet
    confirm: bool = False  # 确认报送: submit this row even when nothing in it changed
    problems: list[CellProblem] = field(default_factory=list)


@dataclass
class ParsedSheet:
    """A file read into rows, with the column letters problems are reported under."""

    meta: SheetMeta
    sheet: str
    rows: list[RowInput]
    letters: dict[str, str]
    revisions: dict[tuple[str, str], int] | None
    ignored: list[str]
    author: str = ""  # 填报人, as filled in the header block
    phone: str = ""  # 联系电话

    def problem(self, row: RowInput, key: str | None, message: str) -> CellProblem:
        """A problem in ``row`` at the column of ``key`` (no column when None)."""
        return CellProblem(self.sheet, row.row, self.letters.get(key, "") if key else "", message)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 1-based column number: 1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def split_grid(grid: list[tuple[int, list[object]]]) -> tuple[int, list[object], list[tuple[int, list[object]]],
                                                             dict[str, str]]:
    """A grid's header row (the first with a 编号 cell), its cells, the rows below it, and the header block above.

    Raises:
        InvalidInput: no 编号 cell in the first rows.
    """
    for index, (number, cells) in enumerate(grid[:HEADER_SEARCH]):
        if any(isinstance(cell, str) and normalise(cell) == LABELS["item"] for cell in cells):
            return number, cells, grid[index + 1:], block_fields([cells for _, cells in grid[:index]])
    raise InvalidInput(f"前 {HEADER_SEARCH} 行中没有表头（以“编号”开头的一行）", hint=REFUSE_HINT)


def block_fields(rows: list[list[object]]) -> dict[str, str]:
    """填报人 and 联系电话 from the header block: the first non-blank cell right of each label (or, where the
    office typed ``填报人：王老师`` into the label's own cell, the text after it)."""
    found: dict[str, str] = {}
    for cells in rows:
        texts = [_block_text(cell) for cell in cells]
        for index, text in enumerate(texts):
            for label in (AUTHOR, PHONE):
                if label in found or not text.startswith(label):
                    continue
                rest = text[len(label):].lstrip("：: ")
                found[label] = rest or next((t for t in texts[index + 1:] if t), "")
    return {label: value for label, value in found.items() if value}


def _block_text(cell: object) -> str:
    if cell is None or isinstance(cell, Unreadable | bool):
        return ""
    return normalise(code_text(cell) if isinstance(cell, float) else restore(str(cell)))


def map_header(header: list[object], *, kind: str) -> tuple[dict[str, int], list[str]]:
    """Column index (0-based) of each known header, and the headers ignored.

    Raises:
        InvalidInput: a required column is missing or a known one appears twice.
    """
    found: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        text = normalise(str(cell)) if cell is not None else ""
        key = HEADERS.get(text)
        if key is None:
            if text:
                ignored.append(text)
            continue
        if key in found:
            raise InvalidInput(f"表头中“{text}”出现了两次", hint=REFUSE_HINT)
        found[key] = index
    required = REQUIRED + (tuple(c.key for c in CSV_TRAILER) if kind == "csv" else ())
    missing = [LABELS[key] for key in required if key not in found]
    if missing:
        raise InvalidInput(f"表头缺少“{'”“'.join(missing)}”列", hint=REFUSE_HINT)
    return found, ignored


def apply_merges(raw: RawSheet, columns: dict[str, int]) -> dict[int, list[object]]:
    """The data rows with merged cells resolved: a merge down one column gives every row its value; a merge
    across columns (or into the header) that touches a column we read makes those cells unreadable."""
    grid = {number: list(cells) for number, cells in raw.rows}
    used = set(columns.values())
    for top, left, bottom, right in raw.merges:
        ref = f"{column_letter(left)}{top}:{column_letter(right)}{bottom}"
        hit = [c - 1 for c in range(left, right + 1) if c - 1 in used]
        if not hit:
            continue
        value = grid.get(top, [])[left - 1] if left - 1 < len(grid.get(top, [])) else None
        across = left != right or top <= raw.header_row
        reason = (f"位于跨列或连着表头的合并单元格 {ref} 中，无法判断属于哪一格；请取消合并后重新填写" if across
                  else None)
        for number in range(max(top, raw.header_row + 1), bottom + 1):
            cells = grid.setdefault(number, [])
            for index in hit:
                cells.extend([None] * (index + 1 - len(cells)))
                cells[index] = Unreadable(reason) if reason else value
    return grid


def parse_sheet(raw: RawSheet) -> ParsedSheet:
    """Every data row of a file, with its values and problems; blank rows are skipped.

    Raises:
        InvalidInput: the header is wrong, or a CSV row belongs to another institution than the file claims.
    """
    columns, ignored = map_header(raw.header, kind=raw.kind)
    letters = {key: column_letter(index + 1) for key, index in columns.items()}
    parsed = ParsedSheet(raw.meta, raw.sheet, [], letters, raw.revisions, ignored, raw.fields.get(AUTHOR, ""),
                         raw.fields.get(PHONE, ""))
    for number, cells in sorted(apply_merges(raw, columns).items()):
        picked = {key: cells[index] if index < len(cells) else None for key, index in columns.items()}
        if all(_blank(value) for value in picked.values()):
            continue
        if raw.kind == "csv" and not _blank(picked.get("institution")):
            check_claim(raw.meta, code_text(picked["institution"]), f"第 {number} 行")
        parsed.rows.append(read_row(parsed, number, picked))
    return parsed


def read_row(sheet: ParsedSheet, number: int, cells: dict[str, object]) -> RowInput:
    """One row: the item and period it names, typed values of its non-blank fillable cells, and problems."""
    row = RowInput(sheet.sheet, number, None, cells.get("period"))
    for key, value in cells.items():
        if _blank(value) or key in READ_ONLY:
            continue
        try:
            _read_cell(row, key, error_text(value) or value)
        except CellError as exc:
            row.problems.append(sheet.problem(row, key, str(exc)))
    if row.item_id is None:
        row.problems.append(sheet.problem(row, "item", "编号为空：这一行不知道是哪个检查项"))
    if "revision" in sheet.letters and row.revision is None and not any(p.column == sheet.letters["revision"]
                                                                         for p in row.problems):
        row.problems.append(sheet.problem(row, "revision", f"版本为空（{REFUSE_HINT}）"))
    return row


def _read_cell(row: RowInput, key: str, value: object) -> None:
    if isinstance(value, Unreadable):
        raise CellError(explain(LABELS[key], value, wanted=WANTED.get(key)))
    if key == "item":
        row.item_id = normalise(_text(value, key))
    elif key == "period":
        row.period = value
    elif key == "revision":
        row.revision = _revision(value)
    elif key == "confirm":
        row.confirm = _confirm(value)
    elif key == "evidence":
        row.evidence = tuple(t.strip() for t in EVIDENCE_SPLIT.split(_text(value, key)) if t.strip())
    elif key in READERS:
        row.values[key] = READERS[key](value)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object, key: str) -> str:
    """A cell as text, neutralising undone; numbers and dates as people write them."""
    if isinstance(value, bool):
        raise CellError(f"{LABELS[key]}“{'TRUE' if value else 'FALSE'}”无效")
    if isinstance(value, str):
        return restore(value).strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _number(value: object, key: str) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number: float | None = round(float(value), 9)  # 7% read as 0.07 × 100 is 7.000000000000001
    else:
        number = parse_number(_text(value, key))
    if number is None:
        raise CellError(f"{LABELS[key]}“{_text(value, key)}”不是数字")
    problem = number_problem(number)
    if problem:
        raise CellError(f"{LABELS[key]}“{_text(value, key)}”{problem}")
    return number


def _status(value: object) -> str:
    text = _text(value, "status")
    status = parse_status(normalise(text))
    if status is None:
        raise CellError(f"{status_refusal(text)}；可选：{status_choices()}")
    return status.value


def _progress(value: object) -> int:
    try:
        number = _number(value, "progress")
    except CellError:
        number = None
    if number is None or number != int(number) or not 0 <= number <= 100:
        raise CellError(f"进度“{_text(value, 'progress')}”无效：应为 0 到 100 的整数（百分比）")
    return int(number)


def _due(value: object) -> date:
    found = cell_date(value)
    text = _text(value, "due")
    if found is None:
        raise CellError(f"完成时限“{text}”{date_problem(text)}；可写作 {DATE_EXAMPLES}")
    if found < TYPED_NUMBER_BEFORE:
        raise CellError(f"完成时限“{found.isoformat()}”像是在日期格中输入了数字 {excel_serial(found)}"
                        f"（表格软件把数字当成 1900 年起的天数）；请填写日期，如 {DATE_EXAMPLES}")
    if not in_range(found):
        raise CellError(f"完成时限“{text}”超出可用范围：日期应在 {DATE_RANGE} 之间")
    return found


def _confirm(value: object) -> bool:
    if isinstance(value, bool):
        return value  # a checkbox or TRUE typed into the cell
    text = normalise(_text(value, "confirm")).lower()
    if text in CONFIRM_YES or text in CONFIRM_NO:
        return text in CONFIRM_YES
    raise CellError(f"确认报送“{_text(value, 'confirm')}”无效：要报送填“是”，否则留空")


def _revision(value: object) -> int:
    text = _text(value, "revision")
    if not text.isdigit():
        raise CellError(f"版本“{text}”无效（{REFUSE_HINT}）")
    return int(text)


READERS = {
    "status": _status,
    "progress": _progress,
    "due": _due,
    "value": lambda value: _number(value, "value"),
    "department": lambda value: _text(value, "department"),
    "owner": lambda value: _text(value, "owner"),
    "note": lambda value: _text(value, "note"),
    "na_reason": lambda value: _text(value, "na_reason"),
}


def sheet_period(item: Item, value: object, today: date) -> str:
    """The period a row's 期次 cell names for this item: ``once`` for one-off items (blank cell), else the label
    of the period it names, in any spelling ``periods.parse_period`` reads (``today`` picks the examples a refusal
    gives). A date cell (Excel turns ``2025-09`` into 2025/9/1 when it opens a CSV, and shows it as 2025年9月)
    means the period of that date.

    Raises:
        CellError: a period that names no single period of the item's cadence, or one given for a one-off item.
    """
    text = "" if _blank(value) else normalise(_text(value, "period"))
    if item.cadence is None:
        if text not in ("", ONCE):
            raise CellError(f"期次“{text}”无效：{item.id} 不是周期性事项，期次应为空")
        return ONCE
    if not text:
        raise CellError(f"期次为空：{item.id} 是周期性事项，须写明期次")
    day = cell_date(value) if isinstance(value, int | float | date) and not isinstance(value, bool) else None
    label = parse_period(item.cadence, day or text)
    if label is None:
        reason, hint = period_refusal(item.cadence, day or text, today)
        raise CellError(f"期次“{text}”无效：{reason}；{hint}")
    return label
