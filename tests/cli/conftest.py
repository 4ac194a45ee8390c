"""CLI test helpers: run the real app, through its error boundary, with separate stdout and stderr."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from jobpolicy.cli import app


@pytest.fixture
def run() -> Callable[..., Result]:
    """Invoke ``jobpolicy ARGS…`` and return the result."""
    return _invoker()


def _invoker() -> Callable[..., Result]:
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, [str(a) for a in args], input=input)

    return invoke


def _against(run, db_url: str) -> Callable[..., Result]:
    def invoke(*args: str, input: str | None = None) -> Result:
        return run("--db", db_url, *args, input=input)

    return invoke


@pytest.fixture
def run_db(run, engine, db_url) -> Callable[..., Result]:
    """Invoke ``jobpolicy --db URL ARGS…`` against the initialised test database (both back ends)."""
    return _against(run, db_url)


@pytest.fixture(scope="module")
def module_run_db(module_engine, module_db_url) -> Callable[..., Result]:
    """``run_db`` against ``module_engine``: a scenario the module builds once per back end and its tests only read."""
    return _against(_invoker(), module_db_url)


@pytest.fixture
def run_numbered(run, numbered_engine, db_url) -> Callable[..., Result]:
    """Invoke ``jobpolicy --db URL ARGS…`` against a database of the numbered, verified catalog (good_numbered)."""
    return _against(run, db_url)


@pytest.fixture
def run_monthly(run, monthly_engine, db_url) -> Callable[..., Result]:
    """Invoke ``jobpolicy --db URL ARGS…`` against a database of the monthly-item catalog (good_monthly)."""
    return _against(run, db_url)


@pytest.fixture
def run_2025_1(run, engine_2025_1, db_url) -> Callable[..., Result]:
    """Invoke ``jobpolicy --db URL ARGS…`` against a database still on gse-2025@2025.1."""
    return _against(run, db_url)
