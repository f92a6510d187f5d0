"""Valid HTML: the Nu HTML Checker (vnu) on every page type in both languages, as the server sends it,
on the 500 and 503 pages, and on our own admin pages (history, compare, feedback report, guide map).

The pages are fetched over HTTP from the session's gunicorn server and checked in one run of the
checker (one Java start for all of them). `make test` installs the checker (`make vnu`: npm's vnu-jar
into .tools/); without it or without Java the checks are skipped, and under CI they fail.
"""

import json
import os
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from tests.support.paths import REPO

from .conftest import missing_tool
from .pages import ADMIN_PAGES, FAULT_PAGE_TYPES, LANGUAGES, PAGE_TYPES, admin_session, fetch

OUR_ADMIN_PAGES = [admin_page for admin_page in ADMIN_PAGES if admin_page.ours]

pytestmark = pytest.mark.browser

VNU_JAR = Path(
    os.environ.get("VNU_JAR", REPO / ".tools" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar")
)


def run_vnu(paths):
    """The checker's messages for each file, errors and warnings alike."""
    java = shutil.which("java")
    if not java:
        missing_tool("No java on PATH for the Nu HTML Checker (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        missing_tool(f"The Nu HTML Checker is not at {VNU_JAR}: run `make vnu` (npm install vnu-jar)")
    result = subprocess.run(
        [java, "-Xss8m", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stderr)  # vnu writes its JSON report to stderr
    messages = defaultdict(list)
    for message in report["messages"]:
        messages[message.get("url", "").removeprefix("file:")].append(message)
    return messages


@pytest.fixture(scope="module")
def vnu_report(site, catalogue, faulty_site, admin_ids, tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    files = {}

    def keep(name, language, response, status):
        assert response.status == status, (name, language)
        path = folder / f"{language}-{name}.html"
        path.write_text(response.body, encoding="utf-8")
        files[name, language] = path

    for language in LANGUAGES:
        for page_type in PAGE_TYPES:
            keep(page_type.name, language, catalogue.html(page_type, language), page_type.status)
        for page_type in FAULT_PAGE_TYPES:  # the 500 and 503 pages, on a server made to fail
            keep(page_type.name, language, fetch(faulty_site.url(page_type.url_path(language))), page_type.status)
        session = admin_session(site, language)
        for admin_page in OUR_ADMIN_PAGES:
            keep(admin_page.name, language, session.get(site.url(admin_page.path.format(**admin_ids))), 200)
    messages = run_vnu(files.values())
    report = Report({key: messages.get(str(path), []) for key, path in files.items()})
    report.files = files
    return report


class Report(dict):
    """The checker's messages per (page, language); `files` holds each page's HTML as checked."""

    files: dict


# Django's admin sidebar (nav#nav-sidebar) lays out its list of models as a table whose rows have no
# "add" cell for a model one may only view: an info warning from Django's markup, not ours.
DJANGO_SIDEBAR_WARNING = (
    "A table row was 2 columns wide, which is less than the column count established by the first row"
)


def in_django_sidebar(message, html):
    lines = html.splitlines()
    start = next(number for number, line in enumerate(lines, 1) if 'id="nav-sidebar"' in line)
    end = next(number for number, line in enumerate(lines, 1) if number > start and "</nav>" in line)
    return start <= message.get("lastLine", 0) <= end and message["message"].startswith(DJANGO_SIDEBAR_WARNING)


def describe(message):
    return f"line {message.get('lastLine')}: {message['type']} {message.get('subType', '')}: {message['message']}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda page_type: page_type.name)
def test_page_is_valid_html(vnu_report, page_type, language):
    messages = vnu_report[page_type.name, language]
    assert [describe(message) for message in messages] == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", FAULT_PAGE_TYPES, ids=lambda page_type: page_type.name)
def test_fault_page_is_valid_html(vnu_report, page_type, language):
    messages = vnu_report[page_type.name, language]
    assert [describe(message) for message in messages] == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("admin_page", OUR_ADMIN_PAGES, ids=lambda admin_page: admin_page.name)
def test_our_admin_page_is_valid_html(vnu_report, admin_page, language):
    """Our own admin pages: no error and no warning, but for Django's admin markup around them."""
    html = vnu_report.files[admin_page.name, language].read_text(encoding="utf-8")
    messages = [
        describe(message) for message in vnu_report[admin_page.name, language] if not in_django_sidebar(message, html)
    ]
    assert messages == [], "\n".join(messages)


def test_the_checker_reports_invalid_html(tmp_path):
    """The harness can fail: a page with an error and a warning is reported, and each is attributed."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="en"><title>x</title><h2 role="status">x</h2><p><div></div></p>')
    good = tmp_path / "good.html"
    good.write_text('<!doctype html><html lang="en"><title>x</title><p>fine</p>')
    messages = run_vnu([bad, good])
    assert any(message["type"] == "error" and "role" in message["message"] for message in messages[str(bad)])
    assert messages[str(good)] == []
