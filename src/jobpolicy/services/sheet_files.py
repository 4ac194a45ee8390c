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


def _scan(data: bytes, sheet: str) -> tuple[dict[tuple[int, int], str], list[list[object]]]:
    """First, streaming pass: enforce the row and column limits, find formula cells, read the hidden sheet."""
    book = _load(data, read_only=True, data_only=False)
    try:
        missing = [name for name in (sheet, META_SHEET) if name not in book.sheetnames]
        if missing:
            raise refuse(f"工作簿中没有工作表“{'”“'.join(missing)}”，{NOT_EXPORTED}",
                         hint=f"{ORIGINAL_HINT}，不要删除或改名工作表")
        cells, meta = book[sheet], book[META_SHEET]
        cells.reset_dimensions()  # a forged <dimension> must not make every row 16,384 cells wide
        meta.reset_dimensions()
        formulas: dict[tuple[int, int], str] = {}
        for count, row in enumerate(cells.iter_rows(), start=1):
            _check_limits(count - HEADER_ROW, len(row))
            formulas.update({(c.row, c.column): str(c.value) for c in row if getattr(c, "data_type", None) == "f"})
        meta_rows: list[list[object]] = []
        for count, values in enumerate(meta.iter_rows(values_only=True), start=1):
            _check_limits(count - 21, len(values))  # its metadata and header above the rows
            meta_rows.append(list(values))
        return formulas, meta_rows
    finally:
        book.close()


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
        formulas, meta_rows = _scan(data, sheet)
    meta, revisions = parse_meta_sheet(meta_rows)
    # Second pass in full mode: only it knows merged cells (read-only mode drops them). The first pass has
    # already bounded the size, so this cannot blow up.
    with _refusing():
        worksheet = _load(data, read_only=False, data_only=True)[sheet]
        merges = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in worksheet.merged_cells.ranges]
        grid = [(cells[0].row, [_value(c, formulas) for c in cells]) for cells in worksheet.iter_rows() if cells]
    header_row, header, rows, fields = split_grid(grid)
    return RawSheet("xlsx", sheet, meta, header_row, header, rows, revisions, merges, fields)


def _value(cell, formulas: dict[tuple[int, int], str]) -> object:
    """A cell's value as the office saw it on screen."""
    formula = formulas.get((cell.row, cell.column))
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
