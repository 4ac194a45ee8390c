"""The full export's schema (docs/export-format.md): its tables and columns, and how a row becomes JSON or CSV cells.

One list of columns serves both formats, so the JSON objects and the CSV files always carry the same fields in the
same order. A test compares this list with the tables in docs/export-format.md, so the document cannot drift.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from jobpolicy import __version__
from jobpolicy.domain.values import neutralise

FORMAT = "jobpolicy-export"
VERSION = 1  # adding a column or a table keeps 1; renaming, removing or changing the meaning of one bumps it
KINDS = ("text", "integer", "number", "boolean", "date", "datetime")
MANIFEST = "manifest.json"
CSV_ENCODING = "utf-8-sig"  # with a BOM: Excel (also in China) only reads a CSV as UTF-8 when the BOM is there



@dataclass(frozen=True)
class Column:
    """One exported column and the type its values have."""

    name: str
    kind: str


@dataclass(frozen=True)
class Table:
    """One exported table: an array in the JSON file, a CSV file in the folder."""

    name: str
    columns: tuple[Column, ...]

    @property
    def file(self) -> str:
        """The CSV file name."""
        return f"{self.name}.csv"

    @property
    def names(self) -> list[str]:
        """Column names, in order."""
        return [column.name for column in self.columns]


def _table(name: str, spec: str) -> Table:
    columns = tuple(Column(*part.split(":")) for part in spec.split())
    assert all(column.kind in KINDS for column in columns), name
    return Table(name, columns)


TABLES = (
    _table("policies", "policy_id:text version:text title:text catalog_sha256:text is_current:boolean "
                       "loaded_at:datetime items:integer"),
    _table("institutions", "code:text name:text province:text city:text level:text authority:text remark:text "
                           "listed:boolean list_year:integer created_at:datetime tracking_start:date"),
    _table("records", "id:integer institution_code:text policy_id:text item_id:text period:text status:text "
                      "progress:integer owner:text department:text due:date value:number note:text na_reason:text "
                      "review:text review_reason:text reassess:boolean reassess_reason:text revision:integer "
                      "updated_at:datetime updated_by:text status_at:datetime"),
    _table("evidence", "id:integer record_id:integer kind:text ref:text name:text size:integer sha256:text "
                       "added_at:datetime added_by:text stored:boolean withdrawn_at:datetime withdrawn_by:text"),
    _table("events", "id:integer record_id:integer institution_code:text policy_id:text item_id:text period:text "
                     "field:text old:text new:text actor:text at:datetime source:text batch_id:integer "
                     "change_id:text"),
    _table("import_batches", "id:integer file_name:text sha256:text policy_key:text institution_code:text "
                             "imported_by:text imported_at:datetime rows:integer changed:integer "
                             "author:text phone:text submitted:boolean"),
)


def timestamp(moment: datetime) -> str:
    """A moment as ISO 8601 in UTC, always with microseconds and the offset, so every value has one shape."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def json_value(value: Any) -> Any:
    """A stored value as JSON: datetimes and dates as ISO text, everything else as it is."""
    if isinstance(value, datetime):  # before date: a datetime is a date too
        return timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def json_row(table: Table, row: Sequence[Any]) -> dict[str, Any]:
    """A row (values in the table's column order) as a JSON object with the columns as keys."""
    return {name: json_value(value) for name, value in zip(table.names, row, strict=True)}


def csv_cell(value: Any) -> str:
    """A stored value as a CSV cell: empty for no value, true/false, numbers untouched, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: a bool is an int too
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime | date):
        return json_value(value)
    return neutralise(str(value))


def csv_row(row: Sequence[Any]) -> list[str]:
    """A row as CSV cells."""
    return [csv_cell(value) for value in row]


def header(*, exported_at: datetime, revision: str | None, label: str | None,
           tracking_start: date | None = None, scope: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the JSON file starts with and the manifest repeats: format, version, time, source database, and
    which schools it holds (``scope``: the filter, ``InstitutionScope.as_dict``)."""
    database = {"revision": revision, "label": label,
                "tracking_start": tracking_start.isoformat() if tracking_start else None}
    return {"format": FORMAT, "version": VERSION, "exported_at": timestamp(exported_at),
            "generator": f"jobpolicy {__version__}", "database": database, "scope": scope}


def manifest(head: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    """The CSV folder's manifest.json: the header, the encoding, and each file's row count and columns."""
    files = {table.name: {"file": table.file, "rows": counts[table.name], "columns": table.names}
             for table in TABLES}
    return {**head, "encoding": CSV_ENCODING, "tables": files}
