"""Reading an office's checklist file safely: type, size, zip and XML bombs, encodings, formulas, merged cells.

Everything here happens before the database is touched; a file refused here changes nothing. Limits are checked
before the expensive parse: the file size first, then the zip directory (no member may unpack to more than the
limits allow), then the rows while streaming them. XLSX is parsed by openpyxl, which uses defusedxml when it is
installed; we insist on it, so a DTD with entities (the "billion laughs" XML bomb) is refused, never expanded.
Formulas are never evaluated: a formula cell gives the value Excel cached when it saved the file, or is an error.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jobpolicy.domain.cell_text import xlsx_unescape
from jobpolicy.domain.checklist_cells import RawSheet, split_grid
from jobpolicy.domain.checklist_sheet import (
    HEADER_ROW,
    META_SHEET,
    NOT_EXPORTED,
    ORIGINAL_HINT,
    SHEET,
    TAG,
    parse_csv_meta,
    parse_meta_sheet,
)
from jobpolicy.domain.formula_cells import Unreadable
from jobpolicy.domain.plain_text import FileKind, decode_text, file_kind
from jobpolicy.errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024  # an office's checklist is ~20 KB; 10 MB leaves room for a national one
MAX_ROWS = 5_000
MAX_COLUMNS = 200
MAX_MEMBERS = 1_000
MAX_UNCOMPRESSED = 50 * 1024 * 1024  # a 5,000-row checklist unpacks to about 5 MB
MAX_RATIO = 100  # real sheets compress 5–20×; a zip bomb 1,000× and more
SUFFIXES = (".xlsx", ".csv")
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, and any Office file with an open password
SAVE_AS_HINT = "在 Excel 或 WPS 中打开后另存为 .xlsx 或“CSV UTF-8（逗号分隔）”，再导入"


@dataclass(frozen=True)
class SheetFile:
    """A file read safely into a grid, with what identifies it."""

    path: Path
    sha256: str
    raw: RawSheet
    encoding: str | None  # CSV only: utf-8-sig, utf-8 or gb18030


def refuse(message: str, hint: str = SAVE_AS_HINT) -> InvalidInput:
    """The error for a file that is not read at all."""
    return InvalidInput(message, hint=hint)


def read_sheet_file(path: Path) -> SheetFile:
    """Read a checklist file (.xlsx or .csv) into a grid, refusing anything unsafe or unreadable.

    Raises:
        InvalidInput: wrong type, too large, too many rows, a zip or XML bomb, macros, an unknown encoding,
            or not a checklist exported by jobpolicy.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        kind = "带宏的工作簿" if suffix in (".xlsm", ".xltm", ".xlsb") else f"“{suffix or '无扩展名'}”类型的文件"
        raise refuse(f"不接受{kind}，只接受 .xlsx 和 .csv")
    if not path.is_file():
        raise refuse(f"文件 {path} 不存在", hint="检查文件路径")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise refuse(f"文件有 {size / 1024 / 1024:.1f} MB，超过上限 {MAX_BYTES // 1024 // 1024} MB",
                     hint="每所学校的清单单独导出、单独导入")
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    if suffix == ".xlsx":
        return SheetFile(path, sha256, read_xlsx(data, sheet=SHEET), None)
    raw, encoding = read_csv(data, sheet=path.stem)
    return SheetFile(path, sha256, raw, encoding)


def check_zip(data: bytes) -> None:
    """Refuse a file that is not a plain XLSX package before any XML in it is parsed.

    Raises:
        InvalidInput: not a zip, encrypted, too many members, a member that unpacks too large or too well
            (a zip bomb), or macros.
    """
    if data.startswith(OLE_MAGIC):
        raise refuse("文件是旧版 .xls 格式，或设置了打开密码，无法读取")
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        raise refuse("文件不是有效的 .xlsx（无法作为 zip 包打开）") from None
    if len(members) > MAX_MEMBERS:
        raise refuse(f"文件中有 {len(members)} 个部件，不像是清单工作簿")
    total = sum(m.file_size for m in members)
    bomb = next((m for m in members if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1)),
                None)
    if total > MAX_UNCOMPRESSED or bomb is not None:
        raise refuse(f"文件解压后有 {total / 1024 / 1024:.0f} MB（压缩比异常，可能是“zip 炸弹”），已拒绝",
                     hint=ORIGINAL_HINT)
    if any(m.flag_bits & 0x1 for m in members):
        raise refuse("文件中有加密的部件，无法读取")
    names = {m.filename.lower() for m in members}
    if any(name.endswith("vbaproject.bin") for name in names):
        raise refuse("文件中含有宏（VBA），出于安全原因不读取", hint="另存为不含宏的 .xlsx 后再导入")


@contextmanager
def _refusing() -> Iterator[None]:
    """Turn every way a malformed or hostile workbook makes openpyxl fail into a refusal."""
    from defusedxml import DefusedXmlException

    try:
        yield
    except InvalidInput:
        raise
    except Exception as exc:  # openpyxl raises many types (KeyError, ValueError, ParseError…) for broken files
        cause: BaseException | None = exc
        while cause is not None and not isinstance(cause, DefusedXmlException):
            cause = cause.__cause__ or cause.__context__  # openpyxl wraps it in a ValueError of its own
        if cause is not None:
            raise refuse("文件中含有 XML 实体定义（可能是“XML 炸弹”），已拒绝",
                         hint=ORIGINAL_HINT) from None
        raise refuse(f"无法读取 .xlsx 文件（{type(exc).__name__}）") from None


def _load(data: bytes, *, read_only: bool, data_only: bool):
    """openpyxl's workbook, parsed with defusedxml or not at all."""
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # also off when OPENPYXL_DEFUSEDXML=False is set
        raise refuse("未启用 defusedxml，出于安全原因不读取 .xlsx 文件",
                     hint="安装 defusedxml（pip install defusedxml），并不要设置 OPENPYXL_DEFUSEDXML=False")
    return openpyxl.load_workbook(io.BytesIO(data), read_only=read_only, data_only=data_only)


def _sheet_rows(book, name: str, *, above: int) -> tuple[list[tuple[int, list[dict]]], list[tuple[int, ...]]]:
    """One streaming pass over a sheet of a read-only workbook: its rows (1 up to the last, a missing row empty),
    each cell as openpyxl's parser gives it plus its formula, and its merged ranges; the limits are enforced as
    rows stream in (``above``: rows above the first data row).

    openpyxl reads either a formula or the result saved with it, and merged ranges only in full mode, so reading
    all three through its public API takes two parses (one of them building every cell as an object); its own
    worksheet parser (``_reader.WorkSheetParser``, the one both modes use) gives them in one.
    """
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)  # data_only: the value saved with a formula, as shown
            if element.find(FORMULA_TAG) is not None:
                cell["formula"] = str(self.parse_formula(element))
            return cell

    worksheet = book[name]
    rows: list[tuple[int, list[dict]]] = []
    with worksheet._get_source() as source:
        parser = Parser(source, worksheet._shared_strings, data_only=True, epoch=book.epoch,
                        date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, cells in parser.parse():
            _check_limits(number - above, cells[-1]["column"] if cells else 0)
            rows.extend((gap, []) for gap in range(len(rows) + 1, number))
            rows.append((number, cells))
    merged = parser.merged_cells.mergeCell if parser.merged_cells else []
    return rows, [range_boundaries(cell_range.ref) for cell_range in merged]


def _check_limits(rows: int, columns: int) -> None:
    """Refuse a file past the limits: ``rows`` counts rows below the header (format 2 puts it on row 5)."""
    if rows > MAX_ROWS:
        raise refuse(f"文件超过 {MAX_ROWS} 行的上限，已拒绝", hint="每所学校的清单单独导出、单独导入")
    if columns > MAX_COLUMNS:
        raise refuse(f"文件有 {columns} 列，超过 {MAX_COLUMNS} 列的上限，已拒绝")


def read_xlsx(data: bytes, *, sheet: str) -> RawSheet:
    """The grid of sheet ``sheet``: cached values (never evaluated), merged ranges, percentages as shown.

    Raises:
        InvalidInput: see ``read_sheet_file``.
    """
    check_zip(data)
    with _refusing():
        book = _load(data, read_only=True, data_only=True)
        try:
            missing = [name for name in (sheet, META_SHEET) if name not in book.sheetnames]
            if missing:
                raise refuse(f"工作簿中没有工作表“{'”“'.join(missing)}”，{NOT_EXPORTED}",
                             hint=f"{ORIGINAL_HINT}，不要删除或改名工作表")
            rows, merges = _sheet_rows(book, sheet, above=HEADER_ROW)
            meta_rows, _ = _sheet_rows(book, META_SHEET, above=21)  # its metadata and header above the rows
            grid = _grid(book[sheet], rows, merges)
        finally:
            book.close()
    meta, revisions = parse_meta_sheet([_meta_values(cells) for _, cells in meta_rows])
    header_row, header, data_rows, fields = split_grid(grid)
    bounds = [(top, left, bottom, right) for left, top, right, bottom in merges]
    return RawSheet("xlsx", sheet, meta, header_row, header, data_rows, revisions, bounds, fields)


def _grid(worksheet, rows: list[tuple[int, list[dict]]],
          merges: list[tuple[int, ...]]) -> list[tuple[int, list[object]]]:
    """Each row's values as the office saw them; inside a merged range only its first cell has one (as Excel
    shows it; LibreOffice may keep the hidden cells' old contents)."""
    from openpyxl.cell.read_only import ReadOnlyCell

    hidden = {(row, column) for left, top, right, bottom in merges for row in range(top, bottom + 1)
              for column in range(left, right + 1) if (row, column) != (top, left)}
    grid = []
    for number, cells in rows:
        values: list[object] = [None] * (cells[-1]["column"] if cells else 0)
        for cell in cells:
            shown = None if (cell["row"], cell["column"]) in hidden else cell["value"]
            read = ReadOnlyCell(worksheet, cell["row"], cell["column"], shown,
                                cell["data_type"] if shown is not None else "n", cell["style_id"])
            values[cell["column"] - 1] = _value(read, cell.get("formula"))
        grid.append((number, values))
    return grid


def _meta_values(cells: list[dict]) -> list[object]:
    """A row of the hidden sheet as written: a formula's text, not its result."""
    values: list[object] = [None] * (cells[-1]["column"] if cells else 0)
    for cell in cells:
        values[cell["column"] - 1] = cell.get("formula", cell["value"])
    return values


def _value(cell, formula: str | None) -> object:
    """A cell's value as the office saw it on screen."""
    value = cell.value
    if formula is not None and value is None:
        return Unreadable(formula=formula)
    if cell.data_type == "e":
        return Unreadable(formula=formula, error=str(value))
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return value * 100  # typed as 98% in Excel: stored 0.98, meant 98
    return xlsx_unescape(value) if isinstance(value, str) else value


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV and the encoding it was in (``plain_text.decode_text``: UTF-8, else GB18030).

    Raises:
        InvalidInput: UTF-16, binary, or neither encoding decodes it.
    """
    if file_kind(data) is FileKind.UTF16:
        raise refuse("文件是 UTF-16 编码（Excel 的“Unicode 文本”），不是 CSV", hint=SAVE_AS_HINT)
    decoded = decode_text(data)
    if decoded is None or "\x00" in decoded[0]:
        raise refuse("无法识别文件编码（既不是 UTF-8，也不是 GB18030/GBK），已拒绝", hint=SAVE_AS_HINT)
    return decoded


def read_csv(data: bytes, *, sheet: str) -> tuple[RawSheet, str]:
    """The grid of a CSV: row 1 metadata, the header block, the header, then data rows, numbered as Excel shows them.

    Raises:
        InvalidInput: see ``read_sheet_file``.
    """
    text, encoding = decode_csv(data)
    rows: list[list[object]] = []
    try:
        for count, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            _check_limits(count - HEADER_ROW, len(row))
            rows.append(list(row))
    except csv.Error as exc:
        raise refuse(f"CSV 格式有误（{exc}）") from None
    if len(rows) < 2:
        raise refuse(f"文件中没有表头，{NOT_EXPORTED}", hint=ORIGINAL_HINT)
    meta = parse_csv_meta(rows[0])
    header_row, header, data, fields = split_grid(list(enumerate(rows[1:], start=2)))
    return RawSheet("csv", sheet, meta, header_row, header, data, fields=fields), encoding


def is_checklist_file(path: Path) -> bool:
    """Whether an existing file is a checklist jobpolicy exported (so exporting again may replace it)."""
    try:
        head = path.read_bytes()[: 64 * 1024] if path.suffix.lower() == ".csv" else b""
        if head:
            return TAG.encode() in head
        if path.suffix.lower() != ".xlsx" or path.stat().st_size > MAX_BYTES:
            return False
        data = path.read_bytes()
        check_zip(data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return f'name="{META_SHEET}"'.encode() in archive.read("xl/workbook.xml")
    except (OSError, KeyError, InvalidInput, zipfile.BadZipFile):
        return False
