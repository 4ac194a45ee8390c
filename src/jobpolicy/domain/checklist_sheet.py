"""The checklist spreadsheet offices fill in: its columns, its header block, its metadata, formula neutralising.

One column list serves both formats, and both put their rows on the same row numbers, so a row number in an
import message, in ``jobpolicy todo`` or in the sheet's own 说明 line means the same row in either file:

- row 1: the XLSX's title; the CSV's metadata (a ``# jobpolicy-checklist`` comment row of ``key=value`` cells);
- rows 2–3: the header block, 填报人 and 联系电话, which the office fills once (the cell right of each label);
- row 4: how to fill the sheet in, and which rows the province returned;
- row 5: the column headers; from row 6: one row per item, in the order of the catalog.

The XLSX keeps its metadata and each row's record revision on a hidden sheet ``_jobpolicy``; a CSV has no hidden
sheet, so each of its rows ends with two machine columns, 学校标识码 and 版本 (the record's revision at export).
Format 1 (before the header block and the 审核 columns) is still read: the reader finds the header row by its
编号 cell, and every column is found by its header.

Neutralising: text that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, tab or
carriage return, and is not a plain number) is written with a leading apostrophe, in both formats. In a CSV,
Excel shows the apostrophe and keeps the cell text; in an XLSX the cell is a string cell anyway, and the
apostrophe keeps it text when someone edits it. Reading strips exactly that apostrophe, so text round-trips.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from jobpolicy.domain.catalog import Indicator, Item
from jobpolicy.domain.catalog_text import indicator_label, indicator_verdict
from jobpolicy.domain.periods import shown_period
from jobpolicy.domain.status import REVIEW_LABELS, STATUS_LABELS, Review
from jobpolicy.domain.values import normalise
from jobpolicy.errors import InvalidInput

SHEET = "清单"
META_SHEET = "_jobpolicy"
TAG = "jobpolicy-checklist"
FORMAT = "2"
READABLE = ("1", "2")  # format 1: no header block, no 审核 columns, the 备注 doubles as the 不适用 reason
STATUS_OPTIONS = tuple(STATUS_LABELS.values())
EVIDENCE_SPLIT = re.compile(r"[\r\n；;]+")  # one link or file per line; offices also type ；between them
# Hints for a file that cannot be used speak to the office holding it, which never exports one itself: the
# province (or whoever exports the checklists, with jobpolicy checklist export) sends them.
ORIGINAL_HINT = "请在省厅（或负责导出清单的老师）发来的原清单上填写"
REFUSE_HINT = f"{ORIGINAL_HINT}，不要改动表头、隐藏表和最后两列"
NEW_SHEET_HINT = "请向省厅（或负责导出清单的老师）索取新的清单"
NOT_EXPORTED = "不是 jobpolicy 导出的清单"
AUTHOR, PHONE = "填报人", "联系电话"
HEADER_ROW = 5  # in both formats; data rows start below it
CONFIRM_OPTIONS = ("是",)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the sheet: a machine key, its Chinese header, its width, and whether offices fill it."""

    key: str
    header: str
    width: float
    fillable: bool = False


COLUMNS = (
    Column("item", "编号", 13), Column("period", "期次", 9),
    Column("review", "审核状态", 10), Column("review_reason", "审核意见", 24),
    Column("section", "体系", 12), Column("measure", "举措", 26), Column("title", "检查项", 40),
    Column("evidence_required", "佐证要求", 30), Column("deadline", "截止日期", 12),
    Column("status", "状态", 10, True), Column("progress", "进度", 8, True), Column("department", "责任部门", 14, True),
    Column("owner", "责任人", 10, True), Column("due", "完成时限", 12, True), Column("evidence", "佐证材料", 34, True),
    Column("target", "指标及目标", 32), Column("value", "指标值", 10, True), Column("met", "达标情况", 10),
    Column("na_reason", "不适用理由", 24, True), Column("note", "备注", 30, True),
    Column("confirm", "确认报送", 10, True),
)
READ_ONLY = tuple(c.key for c in COLUMNS if not c.fillable and c.key not in ("item", "period"))
CSV_TRAILER = (Column("institution", "学校标识码", 12), Column("revision", "版本", 6))
FILLABLE = tuple(c.key for c in COLUMNS if c.fillable)
HEADERS = {c.header: c.key for c in (*COLUMNS, *CSV_TRAILER)}
LABELS = {c.key: c.header for c in (*COLUMNS, *CSV_TRAILER)}


@dataclass(frozen=True, slots=True)
class SheetMeta:
    """What a file says it is: which policy version, which institution, exported when."""

    policy_id: str
    policy_version: str
    institution_code: str
    institution_name: str
    exported_at: str
    fmt: str = FORMAT  # the format version of a file read back (1 or 2)

    @property
    def policy_key(self) -> str:
        return f"{self.policy_id}@{self.policy_version}"

    def pairs(self) -> list[tuple[str, str]]:
        """The metadata as ordered key/value pairs (format first)."""
        return [("format", FORMAT), ("policy_id", self.policy_id), ("policy_version", self.policy_version),
                ("institution_code", self.institution_code), ("institution_name", self.institution_name),
                ("exported_at", self.exported_at)]


def meta_from_pairs(pairs: Mapping[str, str]) -> SheetMeta:
    """The metadata read back from key/value pairs.

    Raises:
        InvalidInput: a key is missing, or the file is of a format version this program does not read.
    """
    found = pairs.get("format")
    if found not in READABLE:
        readable = "、".join(READABLE)
        newer = found is not None and found.isdigit() and int(found) > int(FORMAT)
        raise InvalidInput(f"文件格式版本“{found}”无法识别（本程序读取版本 {readable}）",
                           hint="请升级 jobpolicy 后再导入" if newer else NEW_SHEET_HINT)
    names = ("policy_id", "policy_version", "institution_code", "institution_name", "exported_at")
    missing = [name for name in names if not pairs.get(name)]
    if missing:
        raise InvalidInput(f"文件的元数据缺少 {'、'.join(missing)}", hint=REFUSE_HINT)
    return SheetMeta(*(pairs[name] for name in names), fmt=found)


def csv_meta_row(meta: SheetMeta) -> list[str]:
    """The CSV's first row: a comment cell, then one ``key=value`` cell per metadata entry."""
    return [f"# {TAG}", *(f"{key}={value}" for key, value in meta.pairs())]


def parse_csv_meta(row: Sequence[object]) -> SheetMeta:
    """The metadata of a CSV from its first row.

    Raises:
        InvalidInput: the row is not a jobpolicy comment row.
    """
    cells = [str(cell).strip() for cell in row if cell is not None and str(cell).strip()]
    if not cells or cells[0].lstrip("#").strip() != TAG:
        raise InvalidInput(f"文件第一行不是 jobpolicy 清单的元数据行，{NOT_EXPORTED}",
                           hint=REFUSE_HINT)
    return meta_from_pairs(dict(cell.split("=", 1) for cell in cells[1:] if "=" in cell))


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One exported row: the cells in ``COLUMNS`` order, and what the hidden sheet or trailing columns keep."""

    item_id: str
    period: str
    institution_code: str
    revision: int
    cells: tuple[object, ...]
    review: str | None = None  # the record's review state; None when nothing is recorded
    indicator: Indicator | None = None  # the XLSX judges the value against it as the office types (达标情况)

    @property
    def recorded(self) -> bool:
        """Whether anything is recorded for this row (else it is 未填报)."""
        return self.review is not None

    @property
    def returned(self) -> bool:
        """Whether the province returned this row: it stands out, and 说明 names it."""
        return self.review == Review.RETURNED


def sheet_row(*, item: Item, section: str, measure: str, period: str, deadline: date | None, institution_code: str,
              revision: int, recorded: Mapping[str, object] | None, evidence: Sequence[str] = ()) -> SheetRow:
    """The row of one item in one period, pre-filled with what is recorded (``recorded`` None: nothing yet).

    ``section`` and ``measure`` are the headings people read (``catalog_text.heading_label``). 确认报送 is
    always blank: each 报送 confirms afresh.
    """
    given = dict(recorded or {})
    status, review = given.get("status"), given.get("review")
    values = {
        "item": item.id, "period": shown_period(period), "section": section, "measure": measure,
        "review": REVIEW_LABELS[review] if review else None, "review_reason": given.get("review_reason"),
        "title": item.title, "evidence_required": "；".join(item.evidence),
        "target": indicator_label(item), "deadline": deadline,
        "status": STATUS_LABELS[status] if status else None, "progress": given.get("progress"),
        "department": given.get("department"), "owner": given.get("owner"), "due": given.get("due"),
        "evidence": "\n".join(evidence) or None, "value": given.get("value"),
        "met": indicator_verdict(item, given.get("value")) or None, "na_reason": given.get("na_reason"),
        "note": given.get("note"), "confirm": None,
    }
    return SheetRow(item.id, period, institution_code, revision, tuple(values[c.key] for c in COLUMNS),
                    review, item.indicator)


def block_rows(rows: Sequence[SheetRow]) -> list[list[str]]:
    """Rows 2–4 of either format: the 填报人 and 联系电话 the office fills in, then how to fill the sheet in."""
    returned = [str(HEADER_ROW + 1 + index) for index, row in enumerate(rows) if row.returned]
    note = ("填写说明：黄色列由学校填写，空格表示不修改；状态为“不适用”时在“不适用理由”列写明理由；"
            "导入即为报送：改动过的行随之报送，未改动但要报送的行在“确认报送”列填“是”。")
    if returned:
        note += f"省厅退回 {len(returned)} 项（审核状态为“已退回”，第 {'、'.join(returned)} 行），请按审核意见修改。"
    return [[AUTHOR, ""], [PHONE, ""], [note]]


def meta_sheet_rows(meta: SheetMeta, rows: Sequence[SheetRow]) -> list[list[object]]:
    """The hidden sheet: a tag row, the metadata pairs, a blank row, then one line per exported row."""
    return [[TAG, FORMAT], *([key, value] for key, value in meta.pairs()), [],
            ["item_id", "period", "institution_code", "revision"],
            *([r.item_id, r.period, r.institution_code, r.revision] for r in rows)]


def code_text(value: object) -> str:
    """An institution code cell as text (Excel may have turned it into a number)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise(str(value)) if value is not None else ""


def parse_meta_sheet(rows: Sequence[Sequence[object]]) -> tuple[SheetMeta, dict[tuple[str, str], int]]:
    """The metadata and each exported row's revision, keyed by (item id, period), from the hidden sheet.

    Raises:
        InvalidInput: not a jobpolicy sheet, a malformed line, or a line for another institution than claimed.
    """
    if not rows or not rows[0] or rows[0][0] != TAG:
        raise InvalidInput(f"隐藏表 {META_SHEET} 不是 jobpolicy 清单的元数据", hint=REFUSE_HINT)
    pairs: dict[str, str] = {}
    index = 1
    while index < len(rows) and rows[index] and rows[index][0] not in (None, ""):
        pairs[str(rows[index][0])] = "" if len(rows[index]) < 2 or rows[index][1] is None else str(rows[index][1])
        index += 1
    meta = meta_from_pairs({"format": str(rows[0][1]) if len(rows[0]) > 1 else "", **pairs})
    revisions: dict[tuple[str, str], int] = {}
    for number, line in enumerate(rows[index + 2:], start=index + 3):
        cells = [*line, None, None, None, None][:4]
        if all(cell in (None, "") for cell in cells):
            continue
        check_claim(meta, code_text(cells[2]), f"隐藏表 {META_SHEET} 第 {number} 行")
        if not isinstance(cells[3], int):
            raise InvalidInput(f"隐藏表 {META_SHEET} 第 {number} 行的版本号无效", hint=REFUSE_HINT)
        revisions[(str(cells[0]), str(cells[1]))] = cells[3]
    return meta, revisions


def check_claim(meta: SheetMeta, code: str, where: str) -> None:
    """Refuse a line that belongs to another institution than the file claims.

    Raises:
        InvalidInput: it does.
    """
    if code != meta.institution_code:
        raise InvalidInput(f"文件声称是学校 {meta.institution_code} 的清单，但{where}属于学校 {code or '（空）'}",
                           hint="每所学校的清单单独导入，不要把几所学校的行合在一个文件里")
