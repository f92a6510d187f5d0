"""Logs and metrics from the site as deployed: gunicorn with two workers (tests/support/server.py).

The server's database and Redis are addresses where nothing listens, so the failures counted are real
ones; pages that need neither still work, and one page fails with a bug (tests/support/faulty_urls.py).
"""

import json
import time
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.faulty_urls import BROKEN_PATH, FAILURE_MESSAGE
from tests.support.server import free_port, running_site

pytestmark = pytest.mark.slow

SECRET = "my-id-number-110101199001011234"


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def site():
    serve_env = {
        "DJANGO_SETTINGS_MODULE": "tests.support.faulty_settings",
        "LOG_FORMAT": "json",
        "METRICS_ENABLED": "1",
        "METRICS_ALLOWED_IPS": "127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/socsec",
        "DB_POOL_TIMEOUT": "1",
        "DB_CONNECT_TIMEOUT": "1",
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    with running_site(serve_env=serve_env, prepare=False, wait_for="/robots.txt", workers=2) as server:
        yield server


def log_records(site, until=""):
    """The log's records, once `until` is in it: request lines are written up to a second late."""
    deadline = time.monotonic() + 10
    while until not in site.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    lines = [line for line in site.log().splitlines() if line.strip()]
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            pytest.fail(f"a log line that is not one JSON object: {line[:200]!r}")
    return records


def test_json_logs_one_object_per_line_with_request_lines_and_tracebacks(site):
    assert fetch(site.url(f"/robots.txt?q={SECRET}"))[0] == 200
    assert fetch(site.url(f"/en/{BROKEN_PATH}?q={SECRET}"))[0] == 500
    assert fetch(site.url("/en/faq/"))[0] == 503

    records = log_records(site, until='"path": "/en/faq/"')
    requests = [record for record in records if record["logger"] == "socsec.request"]
    robots = next(record for record in requests if record["path"] == "/robots.txt")
    assert robots["method"] == "GET" and robots["status"] == 200
    assert robots["cache"] in {"hit", "miss", "none"}
    assert isinstance(robots["duration_ms"], int | float) and robots["duration_ms"] >= 0
    assert robots["time"].endswith("+00:00")  # UTC, whatever TIME_ZONE says
    assert {"status": 500, "path": f"/en/{BROKEN_PATH}"}.items() <= next(
        record for record in requests if record["status"] == 500
    ).items()
    assert any(record["status"] == 503 and record["path"] == "/en/faq/" for record in requests)

    error = next(record for record in records if record["logger"] == "django.request" and record["level"] == "ERROR")
    assert error["request"] == f"GET /en/{BROKEN_PATH}"  # the request, without its query string
    assert "Traceback (most recent call last)" in error["exc_info"]
    assert f"ZeroDivisionError: {FAILURE_MESSAGE}" in error["exc_info"]
    # gunicorn's own lines are JSON too, and there is no second (text) access line per request.
    assert any(record["logger"] == "gunicorn.error" and "Booting worker" in record["message"] for record in records)
    assert SECRET not in site.log()


def test_metrics_add_up_every_worker_and_count_database_and_cache_failures(site):
    for _ in range(10):
        assert fetch(site.url("/robots.txt"))[0] == 200
    assert fetch(site.url("/zh-hans/faq/"))[0] == 503  # the database is not there

    status, text = fetch(site.url("/metrics"))
    assert status == 200
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value

    def total(name, **labels):
        return sum(
            value
            for (sample, found), value in samples.items()
            if sample == name and labels.items() <= dict(found).items()
        )

    # Both workers answered some of these; the endpoint, whichever worker serves it, adds them up.
    assert total("socsec_http_requests_total", view="robots_txt", status="200") >= 10
    assert total("socsec_http_request_duration_seconds_count", view="robots_txt") >= 10
    assert total("socsec_http_requests_total", view="faq:index", status="503") >= 1
    assert total("socsec_database_errors_total", where="page") >= 1
    assert total("socsec_cache_errors_total") >= 1


def test_request_lines_waiting_in_a_worker_are_written_when_it_stops():
    """Request lines are written in batches (inquiry/operations/logs.py): none is lost when gunicorn stops."""
    serve_env = {"SOCSEC_REQUEST_LOG_FLUSH_SECONDS": "600", "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    with running_site(serve_env=serve_env, prepare=False, wait_for="/robots.txt", workers=2) as server:
        for _ in range(5):
            assert fetch(server.url("/robots.txt"))[0] == 200
        time.sleep(1)
        waiting = server.log().count(" GET /robots.txt 200 ")
    # Stopped (SIGTERM, as a deploy stops it): each worker writes what waits as it exits.
    written = server.log().count(" GET /robots.txt 200 ")
    assert waiting < 6  # the polls while starting, and these five, wait for the batch
    assert written >= 5 + waiting
