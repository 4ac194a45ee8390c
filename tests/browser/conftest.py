"""Browser-test fixtures: headless Debian Chromium driven by Playwright, and pages watched for what they do.

The browser tests need /usr/bin/chromium and the ``playwright`` package (never ``playwright install``: the tests
use Debian's Chromium). Without them they skip, except under CI, where they must run (`.ci/run` installs Chromium).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-extensions"]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests, but {reason}")
    pytest.skip(f"browser tests need headless Chromium: {reason}; bash .ci/run installs it")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's headless Chromium, launched once per session."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """A page with everything it requested and every error it reported."""

    page: object
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., Watched]]:
    """Open a URL in a fresh context and record requests, failed requests, console errors, page errors, dialogs."""
    contexts = []

    def open_(url: str, *, javascript: bool = True) -> Watched:
        context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1360, "height": 900},
                                      locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        watched = Watched(page)
        page.on("request", lambda request: watched.requests.append(request.url))
        page.on("requestfailed", lambda request: watched.failed.append(f"{request.url} {request.failure}"))
        page.on("console", lambda message: message.type == "error" and watched.errors.append(message.text))
        page.on("pageerror", lambda error: watched.errors.append(str(error)))

        def dismiss(dialog) -> None:
            watched.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismiss)
        page.goto(url, wait_until="load")
        return watched

    yield open_
    for context in contexts:
        context.close()
