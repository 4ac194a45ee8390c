"""Writing a value into a workbook cell safely: whole floats as integers, text as text and never a formula."""

from __future__ import annotations

from jobpolicy.domain.values import neutralise


def put(cell, value: object) -> None:
    """Write ``value`` into an openpyxl cell; text is neutralised and always typed as a string, never a formula."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        cell.value = neutralise(value)
        cell.data_type = "s"
        return
    cell.value = value
