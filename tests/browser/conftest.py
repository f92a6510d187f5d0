"""Playwright driving Debian's Chromium against a real gunicorn server (see tests/support/server.py)."""

import os
import shutil
from pathlib import Path

import pytest

from tests.support.artifacts import WRITTEN
from tests.support.server import running_site

from .pages import UNREACHABLE_DATABASE_URL, Catalogue, admin_objects

# Playwright's sync API runs an event loop in this thread; the ORM is not used against it here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
ARTIFACTS = Path(os.environ.get("SOCSEC_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))


def missing_tool(message):
    """Skip on a laptop without the tool; under CI a skipped check is a failure."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}. Under CI a skipped browser test is a failure.")
    pytest.skip(message)


def _chromium_or_skip():
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    missing_tool(f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium)")


@pytest.fixture(scope="session")
def site():
    with running_site() as server:
        yield server


@pytest.fixture(scope="session")
def faulty_site():
    """A second server whose database is not there and which has a page that fails with a bug: it shows
    the 503 page (any page that needs the database) and the 500 page (see pages.FAULT_PAGE_TYPES)."""
    serve_env = {
        "DATABASE_URL": UNREACHABLE_DATABASE_URL,
        "DJANGO_SETTINGS_MODULE": "tests.support.faulty_settings",
    }
    with running_site(serve_env=serve_env, prepare=False, wait_for="/robots.txt") as server:
        yield server


@pytest.fixture(scope="session")
def admin_ids(site):
    """The ids in the admin pages' addresses (pages.ADMIN_PAGES) on the session's server."""
    return admin_objects(site)


@pytest.fixture(scope="session")
def catalogue(site):
    """Every page type's address on the session's server."""
    return Catalogue(site)


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(params=["desktop", "phone"])
def viewport(request):
    return request.param


def new_page(browser, viewport="desktop", javascript=True, locale="zh-CN"):
    size = PHONE if viewport == "phone" else DESKTOP
    context = browser.new_context(
        viewport=size,
        java_script_enabled=javascript,
        locale=locale,
        is_mobile=viewport == "phone",
        has_touch=viewport == "phone",
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, viewport):
    context, page = new_page(browser, viewport)
    yield page
    context.close()


# What the browser tests wrote for people to look at (screenshots, page weights, printed pages): the
# folders are listed at the end of the run (tests/conftest.py, which the main process of xdist loads too).
def record_artifact(path):
    WRITTEN.add(Path(path).parent)
    return path
