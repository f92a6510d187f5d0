"""Sentry, when SENTRY_DSN is set: events are built by the SDK's own client and captured by a transport
that keeps them instead of sending them (the SDK's API for this), then checked for what must not leave."""

import io
import json
import os
import subprocess
import sys
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import pytest
import sentry_sdk
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from sentry_sdk.transport import Transport

from inquiry.operations.errors import init_sentry
from tests.support.faulty_urls import BROKEN_PATH, FAILURE_MESSAGE
from tests.support.paths import REPO

pytestmark = pytest.mark.django_db

SECRET = "110101199001011234"  # what a visitor might type: an ID number
CSRF_TOKEN = "a" * 32  # a well-formed token, so the form gets through to the failing view


class KeepingTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


@pytest.fixture
def sentry():
    previous = sentry_sdk.get_client()
    transport = KeepingTransport()
    init_sentry("https://public@errors.example.invalid/1", environment="test", release="r1", transport=transport)
    yield transport
    sentry_sdk.get_global_scope().set_client(previous)  # the rest of the run reports nothing


def post_through_wsgi(path, query, form, headers):
    """A request as gunicorn hands it over: a WSGI environ, to the site's WSGI handler (which the SDK's
    Django integration instruments; the test client bypasses that layer)."""
    body = urlencode(form).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        **headers,
    }
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = "testserver"
    statuses = []
    # As Django's test client does: keep the test's database connection (and its transaction) open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = WSGIHandler()(environ, lambda status, response_headers, exc_info=None: statuses.append(status))
        b"".join(result)
        result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return statuses[0]


@pytest.mark.urls("tests.support.faulty_urls")
def test_an_error_is_reported_without_query_string_form_contents_or_cookies(sentry):
    status = post_through_wsgi(
        f"/en/{BROKEN_PATH}",
        f"q={SECRET}",
        {"comment": f"my id is {SECRET}", "helpful": "no", "csrfmiddlewaretoken": CSRF_TOKEN},
        {
            "HTTP_COOKIE": f"sessionid=session-{SECRET}; csrftoken={CSRF_TOKEN}; remembered={SECRET}",
            "HTTP_REFERER": f"https://shebaoka.example.gov.cn/en/search/?q={SECRET}",
            "HTTP_X_FORWARDED_FOR": "198.51.100.23",
            "REMOTE_ADDR": "198.51.100.23",
        },
    )
    assert status.startswith("500")

    events = [envelope.get_event() for envelope in sentry.envelopes if envelope.get_event() is not None]
    assert len(events) == 1
    event = events[0]
    # The report is useful: the error, where it happened, which release.
    values = event["exception"]["values"]
    assert values[-1]["type"] == "ZeroDivisionError" and values[-1]["value"] == FAILURE_MESSAGE
    assert event["request"]["url"].endswith(f"/en/{BROKEN_PATH}")
    assert event["request"]["method"] == "POST"
    assert event["release"] == "r1" and event["environment"] == "test"
    # And it carries nothing the visitor sent.
    assert event["request"].get("query_string") in (None, "", "[removed]")
    assert event["request"].get("data") in (None, "[removed]")
    assert event["request"].get("cookies") in (None, "[removed]")
    headers = {name.lower(): value for name, value in event["request"].get("headers", {}).items()}
    assert headers.get("cookie") in (None, "[removed]")
    assert "user" not in event
    dumped = json.dumps(event, default=str)
    assert SECRET not in dumped
    assert "198.51.100.23" not in dumped
    for frame in values[-1]["stacktrace"]["frames"]:
        assert "vars" not in frame


def sentry_client_in_a_fresh_process(env):
    code = (
        "import django; django.setup(); import sentry_sdk; c = sentry_sdk.get_client(); "
        "print(c.is_active(), (c.options.get('data_collection') or {}).get('url_query_params'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "socsec.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_off_without_a_dsn_and_on_with_one():
    environment = {key: value for key, value in os.environ.items() if key != "SENTRY_DSN"}
    assert sentry_client_in_a_fresh_process({**environment, "SENTRY_DSN": ""}).startswith("False")
    assert sentry_client_in_a_fresh_process({"SENTRY_DSN": "https://public@errors.example.invalid/1"}) == (
        "True {'mode': 'off'}"
    )
