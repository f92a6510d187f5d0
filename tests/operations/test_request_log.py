"""One request line per request, from the app (inquiry/operations/middleware.py); gunicorn's access log is off."""

import contextlib
import io
import json
import logging
import runpy
import sys
import time
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.utils import translation

from inquiry.operations import logs, metrics
from inquiry.operations.logs import RequestLineHandler, RequestLineJson, logging_config

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "socsec" / "gunicorn.conf.py"
SECRET = "my-id-number-110101199001011234"


@pytest.fixture
def request_lines():
    """What the request logger writes, as configured by the LOGGING setting."""
    handler = logging.getLogger("socsec.request").handlers[0]
    assert isinstance(handler, RequestLineHandler)
    stream = io.StringIO()
    handler.flush()
    previous = handler.setStream(stream)
    flush_seconds, handler.flush_seconds = handler.flush_seconds, 0  # each line at once
    yield stream
    handler.flush_seconds = flush_seconds
    handler.setStream(previous)


@contextlib.contextmanager
def as_configured():
    """The request logger with its one handler, as LOGGING leaves it in production: pytest adds capturing
    handlers of its own while a test runs, which would send every line through a log record."""
    logger = logging.getLogger("socsec.request")
    handlers = logger.handlers
    logger.handlers = handlers[:1]
    try:
        yield
    finally:
        logger.handlers = handlers


def test_one_plain_line_per_request_with_what_gunicorn_logged_and_no_query_string(client, request_lines):
    with as_configured():
        response = client.get(f"/robots.txt?q={SECRET}")
    assert response.status_code == 200
    lines = request_lines.getvalue().splitlines()
    assert len(lines) == 1
    assert f"GET /robots.txt 200 {response['Content-Length']} " in lines[0]
    assert "ms cache=" in lines[0] and lines[0].endswith("view=robots_txt")
    assert SECRET not in lines[0]


def test_the_json_request_line_has_the_fields_as_keys():
    logger = logging.getLogger("socsec.request")
    fields = {"method": "GET", "path": "/en/", "status": 200, "duration_ms": 1.5, "bytes": "20", "cache": "hit"}
    record = logger.makeRecord(
        logger.name, logging.INFO, __file__, 1, "%s %s %s", ("GET", "/en/", 200), None, extra=fields
    )
    line = json.loads(RequestLineJson().format(record))
    assert line.items() >= {"level": "INFO", "logger": "socsec.request", "message": "GET /en/ 200", **fields}.items()
    assert line["time"].endswith("+00:00")
    assert logging_config("json")["formatters"]["request"] == {"()": RequestLineJson}


@pytest.mark.parametrize(
    ("env", "access_log"),
    [
        ({}, None),
        ({"LOG_FORMAT": "json"}, None),
        ({"GUNICORN_ACCESS_LOG": "-"}, "-"),  # on again only when asked for
        ({"GUNICORN_ACCESS_LOG": "-", "LOG_FORMAT": "json"}, None),
    ],
)
def test_gunicorn_writes_no_access_log_of_its_own(monkeypatch, env, access_log):
    monkeypatch.setattr(sys, "path", list(sys.path))  # the config adds the repository to it for LOG_FORMAT=json
    for name in ("GUNICORN_ACCESS_LOG", "LOG_FORMAT", "METRICS_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert runpy.run_path(str(GUNICORN_CONF))["accesslog"] == access_log


def test_the_request_line_can_be_turned_off(client, settings, request_lines):
    settings.SOCSEC_REQUEST_LOG = False
    with as_configured():
        assert client.get("/robots.txt").status_code == 200
    assert request_lines.getvalue() == ""


def test_the_json_request_line_written_straight_from_the_request(client, settings, request_lines):
    handler = logging.getLogger("socsec.request").handlers[0]
    handler.log_format = "json"
    try:
        with as_configured():
            response = client.get(f"/robots.txt?q={SECRET}")
    finally:
        handler.log_format = "plain"
    [line] = request_lines.getvalue().splitlines()
    record = json.loads(line)
    assert (
        record.items()
        >= {
            "level": "INFO",
            "logger": "socsec.request",
            "message": "GET /robots.txt 200",
            "method": "GET",
            "path": "/robots.txt",
            "status": 200,
            "bytes": response["Content-Length"],
            "view": "robots_txt",
        }.items()
    )
    assert record["cache"] in {"hit", "miss", "none"} and record["duration_ms"] >= 0
    assert record["time"].endswith("+00:00") and len(record["time"]) == len("2026-12-06T23:59:59.123456+00:00")
    assert SECRET not in line


def test_a_filter_on_the_request_logger_still_sees_every_line(client, request_lines):
    """Anything but the configured handler alone (here a filter) gets log records, as before."""
    seen = []

    def keep(record):
        seen.append(record.getMessage())
        return True

    logger = logging.getLogger("socsec.request")
    logger.addFilter(keep)
    try:
        with as_configured():
            assert client.get("/robots.txt").status_code == 200
    finally:
        logger.removeFilter(keep)
    assert seen == ["GET /robots.txt 200"]
    [line] = request_lines.getvalue().splitlines()
    assert " GET /robots.txt 200 " in line and line.endswith("view=robots_txt")


def test_the_plain_line_from_the_fields_is_the_formatters_line():
    """Written straight or through a record, the plain line reads the same."""
    handler = RequestLineHandler(io.StringIO())
    handler.setFormatter(logging.Formatter(logging_config()["formatters"]["request"]["format"]))
    logger = logging.getLogger("socsec.request")
    fields = {
        "method": "GET",
        "path": "/en/",
        "status": 200,
        "duration_ms": 1.5,
        "bytes": "20",
        "cache": "hit",
        "view": "home",
    }
    record = logger.makeRecord(
        logger.name, logging.INFO, __file__, 1, "%s %s %s", ("GET", "/en/", 200), None, extra=fields
    )
    record.created = 1_800_000_000.25
    record.msecs = 250.0
    through_record = handler.format(record)
    straight = handler.request_line(record.created, "GET", "/en/", 200, 1.5, "20", "hit", "home")
    assert straight == through_record


def test_the_view_name_of_a_page_nothing_resolved_is_remembered_per_urlconf_language_and_path(settings):
    """Pages from the page cache skip URL resolving; the request line still names their view."""
    from tests.support.faulty_urls import BROKEN_PATH

    factory = RequestFactory()
    with translation.override("en"):
        request = factory.get(f"/en/{BROKEN_PATH}")
        assert metrics.view_name(request) == metrics.UNRESOLVED
        settings.ROOT_URLCONF = "tests.support.faulty_urls"
        assert metrics.view_name(request) == "broken_page"
        assert metrics.view_name(factory.get("/en/faq/")) == "faq:index"
    with translation.override("zh-hans"):
        # The language prefix is matched against the active language, so it is part of what is remembered.
        assert metrics.view_name(factory.get("/en/faq/")) == metrics.UNRESOLVED
        assert metrics.view_name(factory.get("/zh-hans/faq/")) == "faq:index"
        before = metrics.resolved_view_name.cache_info().currsize
        long_path = "/zh-hans/faq/" + "x" * metrics.REMEMBERED_PATH_LENGTH + "/"
        assert metrics.view_name(factory.get(long_path)) == "faq:article_detail"
        assert metrics.resolved_view_name.cache_info().currsize == before  # made-up long paths are not kept


def test_lines_wait_at_most_a_second_and_none_is_lost(client, request_lines):
    handler = logging.getLogger("socsec.request").handlers[0]
    handler.flush_seconds = 60
    with as_configured():
        for _ in range(3):
            assert client.get("/robots.txt").status_code == 200
    assert request_lines.getvalue() == ""  # waiting
    handler.flush()  # as logging's shutdown does at exit
    assert len(request_lines.getvalue().splitlines()) == 3

    handler.flush_seconds = 0.2
    with as_configured():
        assert client.get("/robots.txt").status_code == 200
    deadline = time.monotonic() + 5
    while len(request_lines.getvalue().splitlines()) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)  # no request comes: the flushing thread writes it
    assert len(request_lines.getvalue().splitlines()) == 4

    handler.flush_seconds = 60
    with as_configured():
        for _ in range(logs.BUFFERED_LINES):
            assert client.get("/robots.txt").status_code == 200
    assert len(request_lines.getvalue().splitlines()) == 4 + logs.BUFFERED_LINES  # a full batch is written
    assert request_lines.getvalue().endswith("view=robots_txt\n")
