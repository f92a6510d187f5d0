from pathlib import Path

import pytest
from django.core.management import call_command

from tests.support.artifacts import WRITTEN
from tests.support.paths import law_files


def load_site_content():
    call_command("load_content", verbosity=0)
    for path in law_files():
        call_command("import_law", str(path), verbosity=0)


@pytest.fixture(scope="session")
def shipped_content(django_db_setup, django_db_blocker):
    """What `make run` loads (the shipped content and the law texts), in the test database, once per
    test process; for the tests of the shipped content itself, its journeys and its search and SEO.

    Opt-in: request the fixture, or mark a module `pytestmark = pytest.mark.usefixtures("shipped_content")`.
    Other tests build the small world they need (tests/support/builders.py). Once loaded the content
    stays for the rest of the process, so a test that does not ask for it must pass with or without it.
    """
    with django_db_blocker.unblock():
        load_site_content()


@pytest.fixture
def site_content(transactional_db):
    """For transactional tests, which empty the database after each test: load the content again."""
    load_site_content()


@pytest.fixture(scope="session", autouse=True)
def _leave_no_cache_keys_behind():
    """With a shared Redis, remove this run's keys at the end (clear() deletes only our KEY_PREFIX)."""
    yield
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with empty caches (the whole-page cache and the content generation, the rate
    limits and counters of the "state" alias would otherwise leak between tests)."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()
    yield


@pytest.fixture(autouse=True)
def _rerender_in_the_test(settings):
    """Pages an edit retired are rendered again at once, in the test's own thread and transaction (a
    thread of its own would not see the test's uncommitted rows); tests of the background set their own."""
    settings.SOCSEC_RERENDER = "sync"


@pytest.fixture
def no_page_cache(settings):
    """Turn the whole-page cache off, for tests that measure what rendering a page costs (the cached
    fragments of pages too: inquiry/core/fragments.py)."""
    settings.SOCSEC_PAGE_CACHE = False
    settings.SOCSEC_FRAGMENT_CACHE = False


def pytest_sessionfinish(session):
    """Under pytest-xdist, a worker hands the folders it wrote artifacts to to the main process."""
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["artifact_folders"] = sorted(str(folder) for folder in WRITTEN)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    WRITTEN.update(Path(folder) for folder in getattr(node, "workeroutput", {}).get("artifact_folders", []))


def pytest_terminal_summary(terminalreporter):
    if WRITTEN and not hasattr(terminalreporter.config, "workeroutput"):
        terminalreporter.write_sep("-", "browser test artifacts")
        for folder in sorted(WRITTEN):
            terminalreporter.write_line(f"written to {folder}")
