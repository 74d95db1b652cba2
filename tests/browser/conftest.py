"""Browser tests drive Debian's Chromium through Playwright; they skip when it is not installed."""

import os
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def browser_page(monkeypatch):
    """A Playwright page in headless Chromium, closed after the test."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
    # synchronous, so tell Django they are safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(locale="en-US")
        page = context.new_page()
        page.set_default_timeout(int(os.environ.get("B2B_BROWSER_TIMEOUT_MS", "15000")))
        yield page
        # Inside Playwright's event loop Django's connections are context-local: the test's ORM calls
        # opened their own, which would otherwise outlive the test and block dropping the test database.
        connections.close_all()
        browser.close()
