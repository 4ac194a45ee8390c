"""Fixtures shared by every layer's tests: isolated environment, catalogs, and databases on both back ends.

PostgreSQL tests run when JOBPOLICY_TEST_DATABASE_URL points at a server where the role may create schemas
(`.ci/run` sets it up); each test gets a schema of its own, dropped afterwards. Without the variable they skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Hashable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH, TRACKED_SINCE
from templates import Templates

DATA = Path(__file__).parent / "data"
CATALOGS = DATA / "catalogs"
NUMBERED = CATALOGS / "good_numbered" / "numbered.yaml"  # sections and measures numbered and verified
MONTHLY = CATALOGS / "good_monthly" / "monthly.yaml"  # a university item due every month from July to December
STANDING = CATALOGS / "good_standing" / "standing.yaml"  # one-off, yearly and monthly items: every standing
PG_ENV = "JOBPOLICY_TEST_DATABASE_URL"
CLIENT_CLOCK = "-cjobpolicy.client_clock%3Don"
SINCE = date.fromisoformat(TRACKED_SINCE)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-gold", action="store_true", help="rewrite tests/gold/ from the current output")


# The files that take longest, longest first (each file's setup, call and teardown summed from --durations=0 of the
# whole suite, 30 November 2026, scaled by each file's measured CPU where it changed since): under ``--dist loadfile`` a
# file stays on one worker, and a long file handed out last keeps one worker busy while the other waits. The other
# files follow in collection order, each under about 15 s then. xdist keeps this order only with
# ``--no-loadscope-reorder`` (pyproject's addopts): by default it hands out the files with most tests first, which
# sends the slow files of few tests (the benchmark, the kill points, the exchange session) last.
LONG_FIRST = ("cli/test_filters.py", "services/test_status.py", "cli/test_edges.py", "browser/test_print_and_phone.py",
              "storage/test_concurrency.py", "cli/test_round_trip.py", "services/test_bundled_upgrade.py",
              "render/test_report_html.py", "cli/test_db.py", "render/test_stale_pages.py",
              "services/test_checklist_exchange.py", "render/test_summary_province.py",
              "services/test_mapped_counting.py", "services/test_standing_agreement.py", "storage/test_migrations.py",
              "cli/test_tracking_start.py", "browser/test_reports_browser.py", "cli/test_evidence_travels.py",
              "cli/test_event_count.py", "cli/test_exchange_session.py", "cli/test_bad_input.py", "cli/test_report.py",
              "cli/test_status.py", "services/test_policy_versions.py", "services/test_access.py", "cli/test_record.py",
              "cli/test_gbk_console.py", "cli/test_policy_versions_command.py", "services/test_kill_points.py",
              "cli/test_policy.py", "render/test_summary_workbook.py", "cli/test_database_files.py",
              "cli/test_checklist.py", "cli/test_file_safety.py", "test_benchmark.py", "cli/test_access.py",
              "cli/test_diff.py", "services/test_deadlines.py", "storage/test_crash.py", "cli/test_session.py",
              "services/test_kill_files.py", "cli/test_evidence.py", "cli/test_libreoffice_habits.py",
              "services/test_submission_agreement.py")
TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {TESTS / part: index for index, part in enumerate(LONG_FIRST)}
    # stable: the order inside a file, and of the other files, stays as collected
    items.sort(key=lambda item: rank.get(item.path, len(LONG_FIRST)))


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep tests independent of the developer's environment, settings file and working directory."""
    _isolate(monkeypatch, tmp_path)


def _isolate(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    for name in ("JOBPOLICY_DB", "JOBPOLICY_USER", "JOBPOLICY_DEBUG", "APPDATA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / "config"))  # the per-user settings file (whoami)
    # Tests travel back in time on purpose; tests/services/test_clock_check.py turns the check on again.
    monkeypatch.setenv("JOBPOLICY_CLOCK_CHECK", "off")
    monkeypatch.chdir(folder)


@pytest.fixture(scope="module")
def module_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder of the module's own, isolated as ``isolated_env`` isolates a test, for fixtures made once per
    module (a scenario built and a report written once, that the module's tests only read)."""
    folder = tmp_path_factory.mktemp("module")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _isolate(monkeypatch, folder)
        yield folder


@pytest.fixture
def soffice() -> str:
    """Debian's headless LibreOffice (``soffice``); without it the test skips, except under CI (`.ci/run` has it)."""
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the LibreOffice tests, but LibreOffice (soffice) is missing")
        pytest.skip("this test needs LibreOffice: apt-get install libreoffice-calc-nogui (bash .ci/run)")
    return found


@pytest.fixture
def catalogs() -> Path:
    """The folder of catalog fixtures (good_*, bad_*)."""
    return CATALOGS


@pytest.fixture
def bundled_with_source(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Bundled policies replaced by one catalog that ships its source text (good_source), as a wheel would."""
    folder = tmp_path / "bundled"
    shutil.copytree(CATALOGS / "good_source", folder)
    monkeypatch.setattr("jobpolicy.services.catalog.bundled_policy_dir", lambda: folder)
    return folder


def _postgres_url(templates: Templates, key: Hashable | None = None) -> Iterator[str]:
    """A PostgreSQL URL whose schema is the test's alone: a free one already holding template ``key`` if there is
    one (tests/templates.py), else a new, empty one; afterwards kept for the next test if it can be reset to its
    template, else dropped."""
    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests, but {PG_ENV} is not set")
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (bash .ci/run sets it up)")
    from sqlalchemy import text

    from jobpolicy.storage.db import make_engine, resolve_url

    admin = make_engine(resolve_url(base))
    schema = templates.reuse(key) if key is not None else None
    if schema is None:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    # The tests travel in time (time_machine): the administrator's session keeps the times jobpolicy sends
    # instead of the server's clock (migration 0006); tests of server time connect without it (tests/services/test_access.py).
    try:
        yield f"{resolve_url(base)}{separator}options=-csearch_path%3D{schema}%20{CLIENT_CLOCK}"
    finally:
        if not templates.release(resolve_url(base), schema):
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _province_state(engine) -> None:
    from jobpolicy.services.database import init_database
    from jobpolicy.services.institutions import add_institution
    from roles import SCHOOLS

    init_database(engine)
    for code in SCHOOLS:
        add_institution(engine, code, start=SINCE)


@pytest.fixture
def province(postgres_url: str, templates: Templates):
    """A province's shared PostgreSQL database, initialised by its administrator (the tests' role, owner of the
    tables), with 山西大学 and 太原理工大学 (山西) and 北京大学 (北京)."""
    yield from templates.engine(_province_key(), _province_state, postgres_url)


def _province_key() -> tuple:
    return "province", _bundled_dir()


@pytest.fixture
def logins(province):
    """Make login roles on the province's server: ``logins.make("office")``; all dropped afterwards."""
    from roles import logins_on

    yield from logins_on(province)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, templates: Templates) -> Iterator[str]:
    """An empty database URL: an SQLite file, or a PostgreSQL schema of the test's own (one already holding the
    template that the test's database fixture asks for, when a test before left one)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
    else:
        yield from _postgres_url(templates, _template_asked(request))


def _template_asked(request: pytest.FixtureRequest) -> Hashable | None:
    """The template key of the one database fixture (engine, numbered_engine, …) the test uses, if it uses one."""
    asked = [TEMPLATE_KEYS[name] for name in request.fixturenames if name in TEMPLATE_KEYS]
    return asked[0]() if len(asked) == 1 else None


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    """Ready databases made once per session (schema migrated, catalog loaded), copied for each test."""
    found = Templates(tmp_path_factory.mktemp("templates"))
    yield found
    found.close()


def _bundled_state(engine) -> None:
    from jobpolicy.services.database import init_database
    from jobpolicy.services.institutions import add_institution

    init_database(engine)
    for code in (SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL):
        add_institution(engine, code, start=SINCE)


@pytest.fixture
def engine(db_url: str, templates: Templates):
    """An initialised database (schema and bundled policies) with three 山西 institutions."""
    yield from templates.engine(_bundled_key(), _bundled_state, db_url)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def module_db_url(request: pytest.FixtureRequest, module_folder: Path, templates: Templates) -> Iterator[str]:
    """``db_url`` once per module and back end, for ``module_engine``."""
    if request.param == "sqlite":
        yield f"sqlite:///{module_folder / 'module.db'}"
    else:
        yield from _postgres_url(templates, _bundled_key())


@pytest.fixture(scope="module")
def module_engine(module_db_url: str, templates: Templates):
    """``engine`` made once per module and back end, for a scenario built once that the module's tests only read
    (a test that writes to the database takes ``engine``, its own)."""
    yield from templates.engine(_bundled_key(), _bundled_state, module_db_url)


def _bundled_key() -> tuple:
    return "bundled", _bundled_dir()


def _bundled_dir() -> str:
    """Where the bundled policies are read from now (a test may have replaced them): part of a template's key."""
    from jobpolicy.services import catalog

    return str(catalog.bundled_policy_dir())


def _database_of(db_url: str, catalog: Path | str, templates: Templates) -> Iterator:
    """A database holding only ``catalog`` (a file, or a bundled version such as gse-2025@2025.1), and 山西大学."""

    def build(engine) -> None:
        from jobpolicy.services.database import init_database
        from jobpolicy.services.institutions import add_institution
        from jobpolicy.services.policies import load_policy_version

        init_database(engine, load_bundled=False)
        load_policy_version(engine, catalog, actor="测试")
        add_institution(engine, SHANXI, start=SINCE)

    yield from templates.engine(_only_key(catalog), build, db_url)


def _only_key(catalog: Path | str) -> tuple:
    return "only", str(catalog), _bundled_dir()


# The template each database fixture copies, by fixture name: db_url hands out a schema already holding it.
TEMPLATE_KEYS = {
    "engine": _bundled_key,
    "numbered_engine": lambda: _only_key(NUMBERED),
    "engine_2025_1": lambda: _only_key("gse-2025@2025.1"),
    "monthly_engine": lambda: _only_key(MONTHLY),
    "standing_engine": lambda: _only_key(STANDING),
}


@pytest.fixture
def numbered_engine(db_url: str, templates: Templates):
    """A database holding only the numbered, verified catalog ``good_numbered`` (no bundled policy), and 山西大学."""
    yield from _database_of(db_url, NUMBERED, templates)


@pytest.fixture
def engine_2025_1(db_url: str, templates: Templates):
    """A database still on the bundled gse-2025@2025.1, whose headings from 三 on are marked 编号待核实, and 山西大学."""
    yield from _database_of(db_url, "gse-2025@2025.1", templates)


@pytest.fixture
def monthly_engine(db_url: str, templates: Templates):
    """A database holding only the catalog ``good_monthly`` (a monthly university item), and 山西大学."""
    yield from _database_of(db_url, MONTHLY, templates)


@pytest.fixture
def standing_engine(db_url: str, templates: Templates):
    """A database holding only the catalog ``good_standing`` (one-off, yearly and monthly items), and 山西大学."""
    yield from _database_of(db_url, STANDING, templates)


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest, templates: Templates) -> Iterator[str]:
    """A PostgreSQL schema of the test's own, for tests that compare the two back ends side by side, and for
    ``province`` (then maybe one already holding its template)."""
    yield from _postgres_url(templates, _province_key() if "province" in request.fixturenames else None)


LEFT_BEHIND_RECORDED = datetime(2025, 6, 2, 2, 0, tzinfo=UTC)
LEFT_BEHIND_LOADED = datetime(2025, 9, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def left_behind(engine, catalogs):
    """demo-2025 version 1 with records, then version 2: guidance.1.c and .1.k merged away (their 山西大学 records
    stay under the old ids), guidance.1.m removed."""
    from jobpolicy.services.policies import load_policy_version
    from jobpolicy.services.recording import RawChange, set_record

    with time_machine.travel(LEFT_BEHIND_RECORDED, tick=False):
        load_policy_version(engine, catalogs / "good_split" / "demo-v1.yaml", actor="李老师")
        for item, status in (("guidance.1.b", "推进中"), ("guidance.1.c", "已完成"), ("guidance.1.d", "推进中"),
                             ("guidance.1.k", "已完成"), ("guidance.1.m", "已完成")):
            set_record(engine, SHANXI, item, RawChange(status=status, note=f"{item} 的备注"), actor="张老师",
                       policy_id="demo-2025")
    with time_machine.travel(LEFT_BEHIND_LOADED, tick=False):
        load_policy_version(engine, catalogs / "good_split" / "demo-v2.yaml", actor="李老师")
    return engine
