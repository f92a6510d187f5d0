"""One request line per request, from the app (inquiry/operations/middleware.py); gunicorn's access log is off."""

import io
import json
import logging
import runpy
import sys
from pathlib import Path

import pytest

from inquiry.operations.logs import RequestLineJson, logging_config

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "socsec" / "gunicorn.conf.py"
SECRET = "my-id-number-110101199001011234"


@pytest.fixture
def request_lines():
    """What the request logger writes, as configured by the LOGGING setting."""
    handler = logging.getLogger("socsec.request").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_one_plain_line_per_request_with_what_gunicorn_logged_and_no_query_string(client, request_lines):
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
    assert client.get("/robots.txt").status_code == 200
    assert request_lines.getvalue() == ""
