"""Faults caused for real: a database or a Redis that is not there, or that goes away while serving.

The site runs under gunicorn (tests/support/server.py). Nothing here stops a shared service: the
"stopped" Redis is one this test starts on its own port, and the PostgreSQL outage is a throwaway
database whose connections are refused and then allowed again.
"""

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import uuid

import pytest

from tests.support.server import free_port, running_site

pytestmark = pytest.mark.slow

SEED_PATH = "/en/faq/accidentally-put-money-on-card/"


def fetch(url, headers=None, timeout=15):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def closed_port():
    return free_port()  # bound and released at once: nothing listens there


def assert_503_page(status, headers, body, lang_tag):
    assert status == 503
    assert headers["Retry-After"].isdigit()
    assert f'<html lang="{lang_tag}">' in body
    assert 'class="site-header"' in body  # the site's look
    assert "css/site" in body
    assert "Traceback" not in body and "OperationalError" not in body


def wait_for(condition, timeout=15.0, interval=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return condition()


@pytest.mark.parametrize(
    "database_url",
    [
        pytest.param("postgres://postgres@127.0.0.1:{port}/socsec", id="postgres-closed-port"),
        pytest.param("sqlite:////nonexistent-socsec-dir/socsec.sqlite3", id="sqlite-missing-file"),
    ],
)
def test_database_unreachable_gives_a_503_page_with_retry_after(database_url):
    url = database_url.format(port=closed_port())
    serve_env = {"DATABASE_URL": url, "DB_POOL_TIMEOUT": "1", "DB_CONNECT_TIMEOUT": "1"}
    with running_site(serve_env=serve_env, prepare=False, wait_for="/robots.txt") as site:
        assert_503_page(*fetch(site.url(SEED_PATH)), "en")
        status, headers, body = fetch(site.url("/zh-hans/"))
        assert_503_page(status, headers, body, "zh-Hans")
        assert "暂时" in body  # in the visitor's language

        status, headers, body = fetch(site.url("/healthz"))
        assert status == 503
        assert headers["Retry-After"].isdigit()
        assert json.loads(body)["database"] == "unavailable"

        # Pages that need no database still work, and nothing is cached while the database is down.
        assert fetch(site.url("/robots.txt"))[0] == 200
        status, headers, _ = fetch(site.url(SEED_PATH))
        assert status == 503 and "X-Page-Cache" not in headers

        log = site.log()
    assert "Traceback" not in log
    assert "Database unavailable" in log


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL (DATABASE_URL)"
)
def test_postgres_going_away_gives_503_and_the_site_recovers():
    import psycopg

    # A short pool timeout: each request during the outage waits this long before its 503 page.
    with running_site(serve_env={"DB_POOL_TIMEOUT": "1"}) as site:
        base, _, name = site.env["DATABASE_URL"].rpartition("/")
        admin_url = f"{base}/postgres"
        assert fetch(site.url(SEED_PATH))[0] == 200
        assert fetch(site.url(SEED_PATH))[1]["X-Page-Cache"] == "hit"

        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        try:
            # A page that must be rendered (not cached yet) gets the 503 page...
            assert_503_page(*fetch(site.url("/en/card/")), "en")
            status, _, body = fetch(site.url("/healthz"))
            assert status == 503 and json.loads(body)["database"] == "unavailable"
            # ...while a page already in the cache is still served: it needs no database.
            status, headers, _ = fetch(site.url(SEED_PATH))
            assert status == 200 and headers["X-Page-Cache"] == "hit"
        finally:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')

        # Each worker's pool reconnects by itself (after its back-off): soon every answer is 200 again.
        def recovered():
            return all(fetch(site.url(path))[0] == 200 for path in ("/healthz", "/en/faq/") * 3)

        assert wait_for(recovered, timeout=40, interval=1)
        log = site.log()
    assert "Traceback" not in log


def test_redis_unreachable_makes_pages_slower_not_broken():
    serve_env = {"REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0"}
    with running_site(serve_env=serve_env) as site:
        for _ in range(3):
            status, headers, body = fetch(site.url(SEED_PATH))
            assert status == 200
            assert "X-Page-Cache" not in headers  # rendered every time: no cache to use
            assert "<h1>" in body
        status, _, body = fetch(site.url("/healthz"))
        assert status == 200
        assert json.loads(body)["cache"] == "unavailable"
        log = site.log()
    assert "Traceback" not in log
    assert "unreachable" in log


@pytest.fixture
def throwaway_redis():
    """A Redis server of our own on a free port, which the test may stop and start again."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()

    class Server:
        url = f"redis://127.0.0.1:{port}/0"
        process = None

        def start(self):
            self.process = subprocess.Popen(
                [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            import redis

            client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
            assert wait_for(lambda: _pings(client), timeout=10)

        def stop(self):
            self.process.terminate()
            self.process.wait(timeout=10)

    server = Server()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def _pings(client):
    import redis

    try:
        return client.ping()
    except redis.RedisError:
        return False


def test_redis_stopping_and_coming_back(throwaway_redis):
    prefix = f"faults-{uuid.uuid4().hex[:6]}"
    with running_site(extra_env={"REDIS_URL": throwaway_redis.url, "CACHE_KEY_PREFIX": prefix}) as site:
        assert fetch(site.url(SEED_PATH))[0] == 200
        assert wait_for(lambda: fetch(site.url(SEED_PATH))[1].get("X-Page-Cache") == "hit")

        throwaway_redis.stop()
        for _ in range(4):
            status, headers, _ = fetch(site.url(SEED_PATH))
            assert status == 200
            assert headers.get("X-Page-Cache") != "hit"
        status, _, body = fetch(site.url("/healthz"))
        assert status == 200 and json.loads(body)["cache"] == "unavailable"

        throwaway_redis.start()
        # Within the breaker's few seconds the cache is used again.
        assert wait_for(lambda: fetch(site.url(SEED_PATH))[1].get("X-Page-Cache") == "hit", timeout=20)
        assert json.loads(fetch(site.url("/healthz"))[2])["cache"] == "ok"
        log = site.log()
    assert "Traceback" not in log
