"""Browser tests: Playwright drives Debian's Chromium against a live Steward.

Chromium comes from the system (apt-get install chromium), never from a download at
test time. Missing Chromium skips these tests on a laptop and fails them in CI.
"""

import os
import shutil
from pathlib import Path

import pytest

from steward.core.testing import service_missing

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    return os.environ.get("STEWARD_TEST_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if not executable:
        service_missing("Chromium is not installed (apt-get install -y chromium)")
    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


VIEWPORT = {"width": 1366, "height": 900}


@pytest.fixture
def new_page(browser, live_server):
    """new_page() -> a page in a fresh browser context (its own cookies): a second person at another desk."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot(tmp_path):
    """screenshot(page, "queue") takes a picture of the page; with STEWARD_UPDATE_SCREENSHOTS=1 it
    replaces docs/screenshots/queue.png, the documentation's pictures (otherwise a temporary file,
    so a test run leaves the work tree alone).

    The viewport (1366x900) by default; full_page=True for a page whose point is below the fold.
    """
    folder = SCREENSHOTS if os.environ.get("STEWARD_UPDATE_SCREENSHOTS") else tmp_path

    def save(page, name, *, full_page=False):
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
        assert path.stat().st_size > 0
        return path

    return save


def sign_in(page, username, password, path="/accounts/login/"):
    page.goto(path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
