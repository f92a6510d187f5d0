"""A real server for browser and HTTP tests: gunicorn in a subprocess, on its own database.

The server runs the site exactly as deployed (gunicorn, WhiteNoise), with its own SQLite file or
its own PostgreSQL database (named after the test run), migrated and loaded with the shipped content
and the law texts: a copy of one database prepared once per test process (`copy_prepared_database`).
Tests talk to it over real HTTP; nothing in it is shared with the pytest process.
"""

import atexit
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from contextlib import closing, contextmanager
from pathlib import Path

from .paths import REPO, law_files

ADMIN_USERNAME = "editor-admin"
ADMIN_PASSWORD = "correct-horse-battery-staple-42"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_database(url, template=None):
    """Create the fresh PostgreSQL database named in `url` (a copy of `template`'s, if given)."""
    import psycopg

    base, _, name = url.rpartition("/")
    copy_of = f' TEMPLATE "{template.rpartition("/")[2]}"' if template else ""
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"{copy_of}')
    return url


def _drop_postgres_database(url):
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env, *args, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, check=check, capture_output=True, text=True
    )


def prepare_database(env):
    """What `make run` does to a new database: migrations, shipped content, law texts; and an admin."""
    manage(env, "migrate", "--noinput")
    manage(env, "load_content", "--verbosity", "0")
    for path in law_files():
        manage(env, "import_law", str(path), "--verbosity", "0")
    create_admin = (
        "from django.contrib.auth import get_user_model; U = get_user_model(); "
        f"U.objects.filter(username='{ADMIN_USERNAME}').exists() or "
        f"U.objects.create_superuser('{ADMIN_USERNAME}', '', '{ADMIN_PASSWORD}')"
    )
    manage(env, "shell", "-c", create_admin)


# One prepared database per test process (per pytest-xdist worker) and kind of database, copied for
# every server: preparing takes about ten seconds (five Django processes and the whole content), a copy
# a fraction of one. Every server still gets a database of its own.
_TEMPLATES = {}


def _template(base_env):
    postgres = base_env.get("DATABASE_URL", "").startswith("postgres")
    kind = base_env["DATABASE_URL"].rpartition("/")[0] if postgres else "sqlite"
    if kind not in _TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="socsec-template-"))
        env = {**base_env, "SOCSEC_VAR_DIR": str(folder), "CACHE_KEY_PREFIX": f"socsec-tpl-{uuid.uuid4().hex[:8]}"}
        atexit.register(shutil.rmtree, folder, True)
        if postgres:
            env["DATABASE_URL"] = _postgres_database(f"{kind}/socsec_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}")
            atexit.register(_drop_postgres_database, env["DATABASE_URL"])
        prepare_database(env)
        _forget_cached_keys(env)
        _TEMPLATES[kind] = env["DATABASE_URL"] if postgres else folder / "socsec.sqlite3"
    return _TEMPLATES[kind]


def copy_prepared_database(base_env, env):
    """Give the server in `env` a copy of this process's prepared database (made on first use)."""
    template = _template(base_env)
    if env.get("DATABASE_URL", "").startswith("postgres"):
        _postgres_database(env["DATABASE_URL"], template=template)
        return
    target = Path(env["SOCSEC_VAR_DIR"]) / "socsec.sqlite3"
    # SQLite's backup API, not a file copy: it includes what is still in the write-ahead log.
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)


def wait_until_up(url, timeout=30.0, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback test server
                if response.status < 500:
                    return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not answer within {timeout} s")


class SiteServer:
    def __init__(self, base_url, env, workdir, process, log_path):
        self.base_url = base_url
        self.env = env
        self.workdir = workdir
        self.process = process
        self.log_path = log_path

    def url(self, path):
        return self.base_url + path

    def manage(self, *args, check=True):
        return manage(self.env, *args, check=check)

    def log(self):
        return Path(self.log_path).read_text(errors="replace")


@contextmanager
def running_site(extra_env=None, workers=2, serve_env=None, wait_for="/healthz", prepare=True):
    """Prepare a database, then serve the site with gunicorn on a free loopback port.

    `extra_env` applies to the preparation and the server; `serve_env` to the server only (to start it
    against a database or cache that is not there, say). The server uses socsec/gunicorn.conf.py, as
    deployed; `wait_for` is the path polled until the server answers below 500. `prepare=False` skips
    the migrations and content (for a server whose database is meant to be unreachable).
    """
    workdir = Path(tempfile.mkdtemp(prefix="socsec-site-"))
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "socsec.settings",
            "SOCSEC_VAR_DIR": str(workdir),
            "CACHE_KEY_PREFIX": f"socsec-test-{uuid.uuid4().hex[:8]}",
            "PYTHONUNBUFFERED": "1",
        }
    )
    pg_url = None
    if env.get("DATABASE_URL", "").startswith("postgres"):
        pg_url = f"{env['DATABASE_URL'].rpartition('/')[0]}/socsec_site_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        env["DATABASE_URL"] = pg_url
    else:
        env.pop("DATABASE_URL", None)
    base_env = dict(env)
    env.update(extra_env or {})
    if _names_redis_alone(extra_env):
        env.pop("REDIS_STATE_URL", None)
    if pg_url and not (prepare and "DATABASE_URL" not in (extra_env or {})):
        _postgres_database(pg_url)  # empty; copy_prepared_database() creates it from the template instead

    if env.get("DJANGO_ENV") == "production":
        # Production serves hashed, compressed static files from STATIC_ROOT, as the Dockerfile builds them.
        env.setdefault("STATIC_ROOT", str(workdir / "static"))
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    if prepare:
        if "DATABASE_URL" in (extra_env or {}):
            prepare_database(env)
        else:
            copy_prepared_database(base_env, env)

    server_env = {**env, **(serve_env or {})}
    if _names_redis_alone(serve_env):
        server_env.pop("REDIS_STATE_URL", None)
    port = free_port()
    log_path = workdir / "server.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(REPO / "socsec" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ],
        cwd=REPO,
        env=server_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url + wait_for, process=process)
        yield SiteServer(base_url, env, workdir, process, log_path)
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
        if pg_url:
            _drop_postgres_database(pg_url)
        _forget_cached_keys(env)
        if server_env.get("REDIS_URL") != env.get("REDIS_URL"):
            _forget_cached_keys(server_env)


def _names_redis_alone(changes):
    """A test that points the site at another Redis means the whole cache: the state alias (the run's
    REDIS_STATE_URL, if any) then follows REDIS_URL, unless the test names it too."""
    return bool(changes) and "REDIS_URL" in changes and "REDIS_STATE_URL" not in changes


def _forget_cached_keys(env):
    """Remove what the server left in a shared Redis (its keys carry the server's own prefix)."""
    if env.get("REDIS_STATE_URL") and env.get("REDIS_STATE_URL") != env.get("REDIS_URL"):
        _forget_cached_keys({**env, "REDIS_URL": env["REDIS_STATE_URL"], "REDIS_STATE_URL": None})
    url = env.get("REDIS_URL")
    if not url:
        return
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=2)
        keys = list(client.scan_iter(match=f"{env['CACHE_KEY_PREFIX']}*:*", count=1000))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        pass  # a test that stopped its own Redis
