"""Writing a value into a workbook cell safely: whole floats as integers, text as text and never a formula."""

from __future__ import annotations

from jobpolicy.domain.cell_text import fit_cell, xlsx_escape
from jobpolicy.domain.values import neutralise


def put(cell, value: object) -> None:
    """Write ``value`` into an openpyxl cell; text is neutralised and always typed as a string, never a formula,
    cut with a mark where it is longer than a cell holds, control characters escaped (``domain.cell_text``)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        cell.value = xlsx_escape(neutralise(fit_cell(value)))
        cell.data_type = "s"
        return
    cell.value = value
