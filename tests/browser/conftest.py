"""Playwright on Debian's Chromium (never a downloaded browser) against pytest-django's live server.

Browser tests skip, saying why, when /usr/bin/chromium is not installed; CI installs it.
"""

import os
from pathlib import Path

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in the test thread; the ORM calls of the test itself are
# still synchronous, so Django's guard against async contexts must be lifted for these tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A Russian-language page at desktop size, in a fresh context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(int(os.environ.get("B2B_BROWSER_TIMEOUT_MS", "15000")))
    yield page
    context.close()
    # Inside Playwright's event loop Django's connections are context-local: the test's ORM calls
    # opened their own, which would otherwise outlive the test and block dropping the test database.
    connections.close_all()


@pytest.fixture
def browser_page(browser):
    """An English-language page in a fresh context (the distributor journey asserts English texts)."""
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.set_default_timeout(int(os.environ.get("B2B_BROWSER_TIMEOUT_MS", "15000")))
    yield page
    context.close()
    connections.close_all()
