"""Fixtures shared by every layer's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
CATALOGS = DATA / "catalogs"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep tests independent of the developer's environment and working directory."""
    for name in ("JOBPOLICY_DB", "JOBPOLICY_USER", "JOBPOLICY_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def catalogs() -> Path:
    """The folder of catalog fixtures (good_*, bad_*)."""
    return CATALOGS
