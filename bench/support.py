"""What the benchmark and the cluster check share: throwaway databases, gunicorn servers, wrk, page discovery.

Everything runs on loopback on free ports; everything created here (a PostgreSQL database, Redis keys
under a unique prefix, temporary folders, processes) is removed again, even on failure.
"""

import html.parser
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LAW_DIR = Path(os.environ.get("LAW_DIR", REPO.parent / "shared" / "content"))
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
# Sent with every request: the load balancer's header (the site redirects plain HTTP in production).
FORWARDED = {"X-Forwarded-Proto": "https"}


def say(message=""):
    print(message, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Services ---------------------------------------------------------------------------------------


def postgres_server_url():
    """The PostgreSQL server to use (DATABASE_URL's, or the local one), or None if there is none."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES
    if not url.startswith("postgres"):
        return None
    try:
        import psycopg

        with psycopg.connect(_with_database(url, "postgres"), connect_timeout=2):
            return url
    except Exception:  # noqa: BLE001 - no PostgreSQL here: fall back to SQLite
        return None


def redis_url():
    """The Redis to use (REDIS_URL, or the local one), or None."""
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return url
    except Exception:  # noqa: BLE001 - no Redis here: the file cache is used
        return None


def _with_database(url, name):
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


@contextmanager
def throwaway_postgres(server_url, label):
    """A fresh PostgreSQL database for this run, dropped afterwards."""
    import psycopg

    name = f"socsec_{label}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = _with_database(server_url, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(server_url, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def forget_redis_prefix(url, prefix):
    """Delete this run's keys (and only those) from a shared Redis."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
    keys = list(client.scan_iter(match=f"{prefix}*:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
    return len(keys)


class Site:
    """Environment and preparation for the site in production mode, shared by the servers of one run."""

    def __init__(self, stack: ExitStack, label, use_postgres=True, use_redis=True, extra_env=None):
        self.workdir = Path(tempfile.mkdtemp(prefix=f"socsec-{label}-"))
        stack.callback(shutil.rmtree, self.workdir, ignore_errors=True)
        self.prefix = f"socsec-{label}-{uuid.uuid4().hex[:8]}"
        env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_ALLOW"))}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "socsec.settings",
                "DJANGO_ENV": "production",
                "SECRET_KEY": secrets.token_urlsafe(60),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SOCSEC_VAR_DIR": str(self.workdir),
                "STATIC_ROOT": str(self.workdir / "static"),
                "CACHE_KEY_PREFIX": self.prefix,
                "SOCSEC_RELEASE": self.prefix,
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.pop("DEBUG", None)
        self.database = "SQLite (WAL)"
        server = postgres_server_url() if use_postgres else None
        if server:
            url = stack.enter_context(throwaway_postgres(server, label))
            env["DATABASE_URL"] = url
            self.database = f"PostgreSQL, throwaway database {url.rpartition('/')[2]}"
        else:
            env.pop("DATABASE_URL", None)
        self.cache = "file cache in the temporary folder"
        redis = redis_url() if use_redis else None
        if redis:
            env["REDIS_URL"] = redis
            self.cache = f"Redis {redis} (keys under {self.prefix}:)"
            stack.callback(forget_redis_prefix, redis, self.prefix)
        else:
            env.pop("REDIS_URL", None)
        env.update(extra_env or {})
        self.env = env
        self.stack = stack

    def manage(self, *args, env=None, check=True):
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=REPO,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def prepare(self):
        """What an operator does before starting gunicorn (README, production section)."""
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        self.manage("migrate", "--noinput", "--verbosity", "0")
        self.manage("load_content", "--verbosity", "0")
        laws = sorted(LAW_DIR.glob("*.json")) if LAW_DIR.is_dir() else []
        for path in laws:
            self.manage("import_law", str(path), "--verbosity", "0")
        return laws

    def serve(self, name, env=None, workers=None, threads=None, host="127.0.0.1", port=None):
        return self.stack.enter_context(
            gunicorn(self, name, env=env, workers=workers, threads=threads, host=host, port=port)
        )


class Server:
    def __init__(self, name, port, process, log_path, host="127.0.0.1"):
        self.name = name
        self.host = host
        self.port = port
        self.process = process
        self.log_path = log_path
        self.base_url = f"http://{host}:{port}"

    def stop(self):
        """Stop it the way a release does (SIGTERM: gunicorn finishes the requests in flight)."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=40)
        except ProcessLookupError:
            pass

    def url(self, path):
        return self.base_url + path

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return sorted(int(pid) for pid in children.read_text().split()) if children.exists() else []

    def cpu_seconds(self):
        """CPU time (user + system) used so far by the server's master and worker processes."""
        return cpu_seconds_of([self.process.pid, *self.worker_pids()])

    def worker_rss_mb(self):
        sizes = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:
                continue
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            if match:
                sizes[pid] = int(match.group(1)) / 1024
        return sizes


def cpu_seconds_of(pids):
    """CPU time (user + system) used so far by these processes (those that have ended count nothing)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


@contextmanager
def gunicorn(site: Site, name, env=None, workers=None, threads=None, host="127.0.0.1", port=None):
    """gunicorn with the repository's config on a loopback address (a free port unless given); stopped
    (gracefully) on exit."""
    port = port or free_port()
    log_path = site.workdir / f"{name}.log"
    command = [PYTHON, "-m", "gunicorn", "--config", "socsec/gunicorn.conf.py", "--bind", f"{host}:{port}"]
    if workers:
        command += ["--workers", str(workers)]
    if threads:
        command += ["--threads", str(threads)]
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env={**site.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(name, port, process, log_path, host=host)
    try:
        wait_until_up(server)
        yield server
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        except ProcessLookupError:
            pass  # already stopped (a release in bench/cluster.py stops instances itself)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wait_until_up(server, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited; its log:\n{server.log_path.read_text()}")
        try:
            status, _, _ = fetch(server.url("/healthz"))
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer /healthz within {timeout} s")


# --- HTTP ---------------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, data=None, headers=None, opener=None, timeout=30):
    """(status, headers, body text) without following redirects; HTTP errors are answers too."""
    opener = opener or urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, data=data, headers={**FORWARDED, **(headers or {})})
    try:
        response = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        return response.status, response.headers, response.read().decode("utf-8", "replace")


def session_opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect), jar


class _Forms(html.parser.HTMLParser):
    """The forms of a page: action, method, and their inputs (name, type, value)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").lower()})
            self.forms[-1]["inputs"] = []
        elif tag in ("input", "button") and self.forms:
            self.forms[-1]["inputs"].append(
                (attrs.get("name"), (attrs.get("type") or "text").lower(), attrs.get("value") or "")
            )
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def parse_page(text):
    parser = _Forms()
    parser.feed(text)
    return parser


# --- Which pages exist (the guide and search land from other branches) ---------------------------------


def discover_guide(server, lang="en", max_steps=8, get=None):
    """The guide's first question and an outcome, by walking the first flow choosing the first answer.

    Returns {"start": url, "question": url, "outcome": url, "journey": [urls...]} or None. `get(path)`
    answers (status, headers, body); by default a request to the server.
    """
    get = get or (lambda path: fetch(server.url(path)))
    status, _, body = get(f"/{lang}/guide/")
    if status != 200:
        return None
    flows = [link for link in parse_page(body).links if re.fullmatch(rf"/{lang}/guide/[\w-]+/", link)]
    if not flows:
        return None
    start = flows[0]
    journey = [start]
    status, _, body = get(start)
    path = start
    start_page = parse_page(body)
    for link in start_page.links:  # the start page's button: the first question
        if link.startswith(start) and link != start:
            path = link
            break
    else:  # or a GET form (a "Start now" button)
        for form in start_page.forms:
            if form["method"] == "get" and form["action"].startswith(start) and form["action"] != start:
                path = form["action"]
                break
    question = None
    for _ in range(max_steps):
        status, headers, body = get(path)
        if status in (301, 302):
            location = urllib.parse.urlsplit(headers["Location"])
            path = location.path + (f"?{location.query}" if location.query else "")
            continue
        if status != 200:
            return None
        journey.append(path)
        page = parse_page(body)
        get_forms = [
            form for form in page.forms if form["method"] == "get" and any(t == "radio" for _, t, _ in form["inputs"])
        ]
        if not get_forms:
            if question is None:
                return None
            return {"start": start, "question": question, "outcome": path, "journey": journey}
        question = question or path
        form = get_forms[0]
        params = [(n, v) for n, t, v in form["inputs"] if n and t == "hidden"]
        radio = next((n, v) for n, t, v in form["inputs"] if t == "radio")
        params.append(radio)
        action = form["action"] or path.split("?")[0]
        path = f"{action}?{urllib.parse.urlencode(params)}"
    return None


def discover_search(server, lang="en", query="activate"):
    path = f"/{lang}/search/?{urllib.parse.urlencode({'q': query})}"
    status, _, _ = fetch(server.url(path))
    return path if status == 200 else None


def discover_feedback(server, page_path):
    """The feedback form for a page: (action, urlencoded body, cookie header) or None.

    The page itself only has a GET form ("Was this page helpful?" with yes/no buttons) leading to the
    feedback page, so the page stays cookie-free and cacheable; the POST form with the CSRF token is on
    that feedback page, which also sets the CSRF cookie. Both are kept for the posts.
    """
    status, _, body = fetch(server.url(page_path))
    if status != 200:
        return None
    asks = [form for form in parse_page(body).forms if form["method"] == "get" and "/feedback/" in form["action"]]
    if not asks:
        return None
    ask = asks[0]
    answer = next(((name, value) for name, kind, value in ask["inputs"] if name and kind == "submit"), None)
    feedback_path = ask["action"] + (f"?{urllib.parse.urlencode([answer])}" if answer else "")
    opener, jar = session_opener()
    status, _, body = fetch(server.url(feedback_path), opener=opener)
    if status != 200:
        return None
    for form in parse_page(body).forms:
        if form["method"] != "post" or not any(name == "csrfmiddlewaretoken" for name, _, _ in form["inputs"]):
            continue
        fields, chosen = [], set()
        for name, kind, value in form["inputs"]:
            if not name or kind == "checkbox" or (kind in ("radio", "submit") and name in chosen):
                continue
            if kind in ("radio", "submit"):
                chosen.add(name)
            fields.append((name, value))
        # Secure cookies: urllib would not send them over plain HTTP, so the header is built by hand.
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
        return form["action"] or ask["action"], urllib.parse.urlencode(fields), cookies
    return None
