"""The work the national benchmark hands to child processes, and the data it prepares: a sample of schools, the bulk
load beside its floor, filled-in workbooks, the rows a command wrote (for their floor), and page-level timings."""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import openpyxl
from benchmarks.measure import Raw
from benchmarks.status_national import bulk_insert, counted, generate, prepare
from sqlalchemy import func, select, text

from jobpolicy import clock
from jobpolicy.domain.checklist_sheet import COLUMNS, HEADER_ROW
from jobpolicy.reference import institution_list
from jobpolicy.storage.db import make_engine
from jobpolicy.storage.models import Event, Evidence, ImportBatch, Record

STATUS_COLUMN = 1 + [c.key for c in COLUMNS].index("status")
FILLED_STATUSES = ("推进中", "已完成")


def sample_codes(count: int) -> list[str]:
    """``count`` 普通高校 of the bundled MOE list, spread evenly over it (so over every province)."""
    codes = sorted(code for code, listed in institution_list().items() if listed.is_regular)
    if count >= len(codes):
        return codes
    return [codes[index * len(codes) // count] for index in range(count)]


def bulk_load(url: str, codes: list[str], version: str, share: float, seed: int, floor_path: str):
    """Build the database (in a child process): the counts with the bulk insert's seconds, and its floor."""
    engine = make_engine(url)
    prepare(engine, version=version, codes=codes)
    rows = generate(engine, share, seed)
    floor = _bulk_floor(engine, rows, Path(floor_path))
    began = time.perf_counter()
    bulk_insert(engine, rows)
    seconds = time.perf_counter() - began
    engine.dispose()
    return {**counted(rows), "insert": seconds}, floor


def _bulk_floor(engine, rows: dict, floor_path: Path) -> float:
    """Seconds to executemany the same rows in one transaction: into a copy of the empty database on SQLite
    (committed), into the database itself on PostgreSQL (rolled back)."""
    if engine.dialect.name == "sqlite":
        engine.dispose()
        with sqlite3.connect(engine.url.database) as source, sqlite3.connect(floor_path) as copy:
            source.backup(copy)
        target = make_engine(f"sqlite:///{floor_path}")
    else:
        target = engine
    raw = Raw(target)
    try:
        statements = []
        for model in (Record, Event, Evidence):
            table = rows[model]
            defaults = _defaults(model, table)
            columns = [*table[0], *defaults] if table else []
            sql = (f"INSERT INTO {model.__tablename__} ({', '.join(columns)}) "
                   f"VALUES ({raw.placeholders(columns)})")
            statements.append((sql, [tuple({**defaults, **row}[c] for c in columns) for row in table]))
        return raw.many(statements, keep=target is not engine)
    finally:
        raw.close()
        if target is not engine:
            target.dispose()
            floor_path.unlink()


def _defaults(model, rows: list[dict]) -> dict:
    """The values SQLAlchemy fills in for the columns the rows leave out (their scalar defaults)."""
    given = set(rows[0]) if rows else set()
    return {c.name: c.default.arg for c in model.__table__.columns
            if c.name not in given and c.default is not None and c.default.is_scalar}


def fill_folder(result, run: int) -> list[Path]:
    """Fill in exported workbooks as offices do: a 填报人, and a new status on every third row (shifted by run)."""
    for exported in result.files:
        book = openpyxl.load_workbook(exported.path)
        sheet = book["清单"]
        sheet["B2"] = "王老师"
        for row in range(HEADER_ROW + 1 + run % 3, sheet.max_row + 1, 3):
            sheet.cell(row, STATUS_COLUMN).value = FILLED_STATUSES[run % 2]
        book.save(exported.path)
    return [exported.path for exported in result.files]


class Written:
    """The rows a command writes from now on (events, import batches, records they touch), and their floor."""

    def __init__(self, engine):
        with engine.connect() as connection:
            self.event = connection.execute(select(func.coalesce(func.max(Event.id), 0))).scalar_one()
            self.batch = connection.execute(select(func.coalesce(func.max(ImportBatch.id), 0))).scalar_one()
        self.written = 0

    def floor(self, engine) -> float:
        """Seconds to executemany what was written since, in one transaction rolled back: every new event and
        import batch again, and an update of every record they touch."""
        raw = Raw(engine)
        try:
            statements = [self._copies(raw, "event", self.event), self._copies(raw, "import_batch", self.batch)]
            _, touched = raw.rows(f"SELECT DISTINCT record_id FROM event WHERE id > {self.event}")
            mark = "?" if raw.sqlite else "%s"
            statements.append((f"UPDATE record SET revision = revision + 1 WHERE id = {mark}", touched))
            self.written = sum(len(rows) for _, rows in statements)
            return raw.many(statements, keep=False)
        finally:
            raw.close()

    @staticmethod
    def _copies(raw: Raw, table: str, after: int) -> tuple[str, list[tuple]]:
        columns, rows = raw.rows(f"SELECT * FROM {table} WHERE id > {after}")
        keep = [i for i, name in enumerate(columns) if name != "id"]
        names = [columns[i] for i in keep]
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({raw.placeholders(names)})"
        return sql, [tuple(row[i] for i in keep) for row in rows]


def written_since(engine) -> Written:
    return Written(engine)


def summary_floor(raw: Raw) -> float:
    """Seconds of one plain-SQL pass over the rows a summary shows: every record with its school, all evidence,
    and the events of the last 30 days (the window of change)."""
    since = (clock.today() - timedelta(days=30)).isoformat()
    return raw.replay([
        ("SELECT r.*, i.name, i.province, i.level, i.authority FROM record r "
         "JOIN institution i ON i.code = r.institution_code", ()),
        ("SELECT * FROM evidence", ()),
        (f"SELECT * FROM event WHERE at >= '{since}'", ())])


def summary_page_alone(url: str, out: str) -> None:
    """``report summary`` writing only the summary page (in a child process: the patches die with it)."""
    from jobpolicy.services import reports

    reports._school_parts = lambda *args, **kwargs: iter(())
    reports._measure_pages = lambda *args, **kwargs: iter(())
    engine = make_engine(url)
    reports.summary_report(engine, out_dir=Path(out))
    engine.dispose()


def template_floor(url: str) -> float:
    """Seconds to render one school's page from its ready context with jinja (in a child process)."""
    from jobpolicy.render import html
    from jobpolicy.services.reports import institution_report

    pages = []
    render = html.render_page
    html.render_page = lambda page, *args: pages.append(page) or render(page, *args)
    engine = make_engine(url)
    with engine.connect() as connection:
        code = connection.execute(text("SELECT min(code) FROM institution")).scalar_one()
    scratch = Path(tempfile.mkdtemp(prefix="template-floor-"))
    institution_report(engine, code, out_dir=scratch)
    shutil.rmtree(scratch, ignore_errors=True)
    engine.dispose()
    page = next(p for p in pages if p.template == "institution.html")
    times = []
    for _ in range(5):
        began = time.perf_counter()
        render(page)
        times.append(time.perf_counter() - began)
    return statistics.median(times)



def load_version(url: str, version: str) -> None:
    """``policy load`` of a bundled version, as the command calls it (in a child process)."""
    from jobpolicy.services.policies import load_policy_version

    engine = make_engine(url)
    load_policy_version(engine, version, actor="基准测试")
    engine.dispose()


def import_files(url: str, paths: list[str]) -> float:
    """``checklist import`` of filled-in files, as the command calls it (in a child process): the seconds of its
    write path, from parsed rows to the database (every file's write transaction: reading the records its rows
    touch, judging the rows, writing, committing)."""
    from contextlib import contextmanager

    from jobpolicy.services import checklist_exchange

    spent = [0.0]
    writing = checklist_exchange.writing

    @contextmanager
    def timed(engine, **options):
        began = time.perf_counter()
        try:
            with writing(engine, **options) as session:
                yield session
        finally:
            spent[0] += time.perf_counter() - began

    checklist_exchange.writing = timed
    engine = make_engine(url)
    result = checklist_exchange.import_checklists(engine, paths, importer="基准测试")
    engine.dispose()
    if result.failure() is not None:
        raise RuntimeError(str(result.failure()))
    return spent[0]


def openpyxl_read(paths: list[Path]) -> float:
    """Seconds for openpyxl alone to read the sheets an import reads (the checklist and its hidden sheet), in its
    cheapest mode (read-only, saved values): the reading part of the whole import's second floor."""
    began = time.perf_counter()
    for path in paths:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for name in book.sheetnames:
            for _ in book[name].iter_rows(values_only=True):
                pass
        book.close()
    return time.perf_counter() - began
