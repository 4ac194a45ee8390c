"""History is append-only: no code path updates or deletes an event. The database refuses it too (triggers on both
back ends, grants on PostgreSQL: tests/storage/test_migrations.py, tests/services/test_access.py); this scan keeps
the code from even trying."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SOURCE = Path(__file__).parent.parent / "src" / "jobpolicy"
MIGRATIONS = SOURCE / "storage" / "migrations"
# SQL that would change or remove events, in any spelling
SQL = re.compile(r"\b(UPDATE\s+\"?event\"?\s+SET|DELETE\s+FROM\s+\"?event\"?\b|TRUNCATE\s+(TABLE\s+)?\"?event\"?\b)",
                 re.IGNORECASE)


def python_files() -> list[Path]:
    return [p for p in SOURCE.rglob("*.py") if MIGRATIONS not in p.parents]


def test_no_sql_updates_or_deletes_an_event():
    found = [f"{p.relative_to(SOURCE)}: {m.group(0)}" for p in python_files()
             for m in SQL.finditer(p.read_text(encoding="utf-8"))]
    assert found == []


def orm_changes(tree: ast.AST) -> list[str]:
    """``update(Event)`` / ``delete(Event)`` statements and ``session.delete(…)`` calls in a module, by line."""
    found = []
    for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        first = call.args[0] if call.args else None
        if name in {"update", "delete"} and (getattr(first, "id", None) or getattr(first, "attr", None)) == "Event":
            found.append(f"{call.lineno} {name}(Event)")
        if name == "delete" and isinstance(call.func, ast.Attribute) and "session" in ast.unparse(call.func):
            found.append(f"{call.lineno} session.delete(…)")  # of any row, an event included
    return sorted(found)


def test_no_orm_statement_updates_or_deletes_an_event():
    found = [f"{p.relative_to(SOURCE)}:{line}" for p in python_files()
             for line in orm_changes(ast.parse(p.read_text(encoding="utf-8")))]
    assert found == []


def test_no_code_assigns_to_an_event_after_making_it():
    # An Event is made whole (change_log.make_event); setting one of its attributes later would be an UPDATE.
    fields = "|".join(("field", "old", "new", "actor", "login", "at", "source", "change_id", "batch_id"))
    pattern = re.compile(rf"\bevent\.({fields})\s*=[^=]")
    found = [f"{p.relative_to(SOURCE)}: {m.group(0)}" for p in python_files()
             for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert found == []


def test_the_scan_finds_what_it_looks_for():
    assert SQL.search("UPDATE event SET new = 'x'") and SQL.search('delete from "event" where id = 1')
    assert SQL.search("TRUNCATE TABLE event") and not SQL.search("UPDATE event_summary SET x = 1")
    tree = ast.parse("session.execute(update(Event).values(new='x'))\nsession.execute(delete(models.Event))\n"
                     "session.delete(row)")
    assert orm_changes(tree) == ["1 update(Event)", "2 delete(Event)", "3 session.delete(…)"]
