"""How the national benchmark measures: a command in a fresh process, a function in a spawned child, and the floors
(plain DBAPI executemany, plain SQL, plain json) that the same run compares them with.

Every operation runs in a process of its own, so its peak memory is its own: a command's peak RSS as GNU time reports
it, a function's from the VmHWM of the spawned interpreter that ran it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine, event

from jobpolicy.storage.db import sqlite_path

GNU_TIME = "/usr/bin/time"


def median_of(runs: int, measure: Callable[[], tuple[float, int]]) -> tuple[float, int, int]:
    """The median seconds, the highest peak RSS in bytes, and the number of runs of ``measure``."""
    found = [measure() for _ in range(runs)]
    return statistics.median(s for s, _ in found), max(p for _, p in found), runs


def command(args: Sequence[str], *, python: Sequence[str] = ("-m", "jobpolicy")) -> tuple[float, int]:
    """Run ``python -m jobpolicy ARGS`` (or ``python PYTHON``) in a fresh process: wall seconds and its peak RSS.

    The peak comes from GNU time, a small process forking the command: Linux carries a process's maximum RSS
    across exec, so the child of this (larger) process would report this one's size as its own.
    """
    with tempfile.TemporaryDirectory() as folder:
        err, peak = Path(folder) / "stderr", Path(folder) / "peak"
        timer = [GNU_TIME, "-o", str(peak), "-f", "%M"] if Path(GNU_TIME).exists() else []
        began = time.perf_counter()
        with err.open("wb") as handle:
            done = subprocess.run([*timer, sys.executable, *python, *args], stdout=subprocess.DEVNULL, stderr=handle,
                                  env={**os.environ, "PYTHONIOENCODING": "utf-8"}, check=False)
        seconds = time.perf_counter() - began
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} exited {done.returncode}: {err.read_text(errors='replace')}")
        kib = int(peak.read_text().split()[-1]) if timer else 0
    return seconds, kib * 1024


def compile_like_installed() -> None:
    """Byte-compile jobpolicy's modules once, as installing it does (pip compiles a wheel's modules).

    The floors load their packages' compiled bytecode from site-packages; an editable checkout run with
    PYTHONDONTWRITEBYTECODE set (as on these machines) would otherwise compile every module it imports from source
    in every fresh process: about 0.1 s of CPU of each command, which no installed copy pays.
    """
    import compileall

    import jobpolicy

    compileall.compile_dir(Path(jobpolicy.__file__).parent, quiet=1)


def python_floor(code: str) -> tuple[float, int]:
    """``python -c CODE`` in a fresh process, such as ``import typer``."""
    return command([], python=("-c", code))


def _child(target: Callable, args: tuple, pipe) -> None:
    began = time.perf_counter()
    result = target(*args)
    seconds = time.perf_counter() - began
    pipe.send((seconds, _high_water_mark(), result))


def _high_water_mark() -> int:
    """This process's peak RSS in bytes since exec (``getrusage`` would count the parent's size at fork too)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def in_child(target: Callable, *args):
    """Call ``target(*args)`` in a spawned interpreter: seconds of the call, peak RSS of the child, its result."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(target, args, send))
    child.start()
    send.close()
    try:
        found = receive.recv()
    except EOFError:
        raise RuntimeError(f"{target.__name__} failed in its child process") from None
    finally:
        child.join()
    return found


class Raw:
    """A plain DBAPI connection to the benchmark's database: ``sqlite3`` itself, or the psycopg connection."""

    def __init__(self, engine: Engine):
        self.sqlite = engine.dialect.name == "sqlite"
        if self.sqlite:
            self.connection = sqlite3.connect(sqlite_path(engine), isolation_level=None)
            self.connection.execute("PRAGMA synchronous=NORMAL")
        else:
            self.connection = engine.raw_connection()

    def placeholders(self, columns: Sequence[str]) -> str:
        return ", ".join("?" if self.sqlite else "%s" for _ in columns)

    def insert_many(self, table: str, columns: Sequence[str], rows: list[tuple], *, keep: bool) -> float:
        """Seconds to executemany ``rows`` into ``table`` in one transaction; committed when ``keep``, else rolled
        back (a floor measured on the benchmark's own database must leave it as it was)."""
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({self.placeholders(columns)})"
        return self.many([(sql, rows)], keep=keep)

    def many(self, statements: list[tuple[str, list[tuple]]], *, keep: bool) -> float:
        """Seconds to executemany each (sql, rows) in one transaction."""
        cursor = self.connection.cursor()
        began = time.perf_counter()
        if self.sqlite:
            cursor.execute("BEGIN")
        for sql, rows in statements:
            if rows:
                cursor.executemany(sql, rows)
        if keep:
            self._end(cursor, "COMMIT")
        seconds = time.perf_counter() - began
        if not keep:
            self._end(cursor, "ROLLBACK")
        return seconds

    def _end(self, cursor, verb: str) -> None:
        if self.sqlite:
            cursor.execute(verb)
        elif verb == "COMMIT":
            self.connection.commit()
        else:
            self.connection.rollback()

    def replay(self, statements: list[tuple[str, object]]) -> float:
        """Seconds to run each captured (sql, parameters) and fetch all its rows."""
        cursor = self.connection.cursor()
        began = time.perf_counter()
        for sql, parameters in statements:
            cursor.execute(sql, parameters)
            if cursor.description is not None:
                cursor.fetchall()
        seconds = time.perf_counter() - began
        self.connection.rollback()
        return seconds

    def dump_json(self, tables: Sequence[str], out: Path) -> float:
        """Seconds to read every row of ``tables`` and write them as one JSON document: the export's floor."""
        cursor = self.connection.cursor()
        began = time.perf_counter()
        with out.open("w", encoding="utf-8") as handle:
            handle.write("{")
            for index, table in enumerate(tables):
                cursor.execute(f"SELECT * FROM {table}")
                names = [d[0] for d in cursor.description]
                handle.write(("," if index else "") + json.dumps(table) + ":")
                json.dump({"columns": names, "rows": cursor.fetchall()}, handle, ensure_ascii=False, default=str)
            handle.write("}")
        seconds = time.perf_counter() - began
        self.connection.rollback()
        return seconds

    def rows(self, sql: str) -> tuple[list[str], list[tuple]]:
        """Column names and rows of a query (not timed)."""
        cursor = self.connection.cursor()
        cursor.execute(sql)
        found = [d[0] for d in cursor.description], [tuple(r) for r in cursor.fetchall()]
        self.connection.rollback()
        return found

    def close(self) -> None:
        self.connection.close()


def captured(engine: Engine, call: Callable[[], object]) -> list[tuple[str, object]]:
    """Every SQL statement (with its parameters, as the driver got them) that ``call`` runs."""
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, executemany):
        head = statement.lstrip().upper()
        # A connection's own settings are left out, not a planner setting the service makes for its statement.
        setup = head.startswith(("BEGIN", "PRAGMA", "SET", "SAVEPOINT")) and not head.startswith("SET LOCAL")
        if not executemany and not setup:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return statements
