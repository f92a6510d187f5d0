"""Valid HTML: the Nu HTML Checker (vnu) on every page type in both languages, as the server sends it.

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
from .pages import LANGUAGES, PAGE_TYPES

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
def vnu_report(site, catalogue, tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    files = {}
    for page_type in PAGE_TYPES:
        for language in LANGUAGES:
            response = catalogue.html(page_type, language)
            assert response.status == page_type.status, (page_type.name, language)
            path = folder / f"{language}-{page_type.name}.html"
            path.write_text(response.body, encoding="utf-8")
            files[page_type.name, language] = path
    messages = run_vnu(files.values())
    return {key: messages.get(str(path), []) for key, path in files.items()}


def describe(message):
    return f"line {message.get('lastLine')}: {message['type']} {message.get('subType', '')}: {message['message']}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda page_type: page_type.name)
def test_page_is_valid_html(vnu_report, page_type, language):
    messages = vnu_report[page_type.name, language]
    assert [describe(message) for message in messages] == []


def test_the_checker_reports_invalid_html(tmp_path):
    """The harness can fail: a page with an error and a warning is reported, and each is attributed."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="en"><title>x</title><h2 role="status">x</h2><p><div></div></p>')
    good = tmp_path / "good.html"
    good.write_text('<!doctype html><html lang="en"><title>x</title><p>fine</p>')
    messages = run_vnu([bad, good])
    assert any(message["type"] == "error" and "role" in message["message"] for message in messages[str(bad)])
    assert messages[str(good)] == []
