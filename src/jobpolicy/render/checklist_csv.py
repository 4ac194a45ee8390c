"""The checklist as CSV: UTF-8 with a BOM (so Excel, also in China, reads it as UTF-8), CRLF line ends.

Row 1 is the metadata comment row, rows 2–4 the header block (填报人, 联系电话, 说明), row 5 the header, then one
row per item (``domain.checklist_sheet``). Each row ends with 学校标识码 and 版本 (the record's revision at export),
because a CSV has no hidden sheet to keep them on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from jobpolicy.domain.cell_text import fit_cell
from jobpolicy.domain.checklist_sheet import COLUMNS, CSV_TRAILER, SheetMeta, SheetRow, block_rows, csv_meta_row
from jobpolicy.domain.values import encode, neutralise

ENCODING = "utf-8-sig"


def csv_cell(value: object) -> str:
    """A value as a CSV cell: empty for none, dates as ISO, numbers plainly, text neutralised (digits a spreadsheet
    would rewrite included) and cut with a mark where it is longer than a cell holds (``domain.cell_text``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(fit_cell(value), numbers=True)
    if isinstance(value, date):
        return value.isoformat()
    return encode(value) or ""


def csv_bytes(meta: SheetMeta, rows: Sequence[SheetRow]) -> bytes:
    """The CSV file of one institution's checklist, as bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in csv_meta_row(meta)])
    writer.writerows(block_rows(rows))
    writer.writerow([c.header for c in (*COLUMNS, *CSV_TRAILER)])
    for row in rows:
        writer.writerow([*(csv_cell(v) for v in row.cells), row.institution_code, str(row.revision)])
    return buffer.getvalue().encode(ENCODING)
