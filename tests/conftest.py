"""Shared fixtures: Playwright driving Debian's chromium, and `no_hang`.

The browser tests are skipped only when /usr/bin/chromium (or Playwright) is
missing, and then loudly: a warning on stderr and the skip reason in the
summary.  Set COLLATE_REQUIRE_BROWSER=1 (as CI should) to make a missing
browser an error instead of a skip.
"""

from __future__ import annotations

import os
import signal
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _no_browser(reason: str) -> None:
    message = f"BROWSER TESTS NOT RUN: {reason}"
    sys.stderr.write(f"\n*** {message} ***\n")
    warnings.warn(message, stacklevel=2)
    if os.environ.get("COLLATE_REQUIRE_BROWSER"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _no_browser(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("playwright is not installed (pip install playwright)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageLog:
    """Console messages and uncaught errors of a page."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.messages: list[str] = []


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A fresh page whose console errors and page errors fail the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    log = PageLog()
    pg.on("console", lambda m: (log.errors if m.type in ("error", "warning") else log.messages).append(f"{m.type}: {m.text}"))
    pg.on("pageerror", lambda e: log.errors.append(f"pageerror: {e}"))
    pg.on("requestfailed", lambda r: log.errors.append(f"request failed: {r.url}"))
    pg.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:")) else log.errors.append(f"network request: {r.url}"))
    pg.log = log
    yield pg
    context.close()
    assert not log.errors, f"console errors or page errors: {log.errors}"


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail, instead of hanging the test run, if something blocks for 20 s (e.g. opens a FIFO)."""

    def fail(signum: int, frame: object) -> None:
        raise TimeoutError("blocked for 20 s (a FIFO opened?)")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
