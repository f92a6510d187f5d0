#!/usr/bin/env python
"""Scale-out, proven: two gunicorn instances sharing PostgreSQL and Redis behind nginx, on loopback.

    make cluster               # or: .venv/bin/python bench/cluster.py

1. Creates a throwaway PostgreSQL database (dropped at the end) and uses Redis under a unique key
   prefix (deleted at the end); migrates, loads the content and the laws, collects static files and
   creates an administrator, as the README's production section does.
2. Starts instances A and B (gunicorn, production settings) and nginx (Debian's, as a foreground
   process with its own configuration, pid and logs in a temporary folder) balancing them round-robin.
3. Runs a journey through nginx whose steps go to A and to B (the guide's, when the guide
   exists on this branch; otherwise home, questions, an article, the law and the card pages), and
   checks that a page cached by one instance is served from the shared cache by the other.
4. Saves an edit in the admin of instance A and reads it at once from instance B and through nginx.
5. Reads each instance's Prometheus metrics (its workers added up) and checks nginx hides /metrics.
6. Releases while nginx serves, with the runbook's steps (docs/operations.md, "Releasing"): backup,
   check --deploy, migrate, load_content, then replaces each instance by a new-release one on a new
   address, as `docker compose up -d` does. nginx finds them by name (a small name server here plays
   Docker's), never restarted. Counts every answer a steady load got meanwhile: no 5xx, no error.
7. nginx's rate limit on search answers 429 past its burst; its Server header names no version.

nginx's rules are the shipped ones (deploy/nginx-http.conf and deploy/nginx-proxy.conf, which
compose.yaml's nginx uses). Instances listen on 127.0.0.2, .3, ... (all loopback on Linux), on one port.

Prints every check; exits 1 if any fails. Needs PostgreSQL, Redis and nginx on this machine.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [path for path in sys.path if os.path.abspath(path or os.curdir) != _HERE]
sys.path.insert(0, os.path.dirname(_HERE))

import html.parser  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
from contextlib import ExitStack, contextmanager  # noqa: E402

from bench import support  # noqa: E402
from bench.support import say  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PROXY_RULES = support.REPO / "deploy" / "nginx-proxy.conf"
HTTP_RULES = support.REPO / "deploy" / "nginx-http.conf"
APP_NAME = "app.socsec.test"
ADDRESSES = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]
# Both instances export metrics, as an operator would turn them on (docs/operations.md).
INSTANCE_ENV = {"METRICS_ENABLED": "1", "METRICS_ALLOWED_IPS": "127.0.0.1"}
SEED = "/en/faq/accidentally-put-money-on-card/"
FALLBACK_JOURNEY = [
    "/zh-hans/",
    "/zh-hans/faq/",
    "/zh-hans/faq/accidentally-put-money-on-card/",
    "/zh-hans/law/social-insurance-law/4/",
    "/zh-hans/law/social-insurance-law/14/",
    "/zh-hans/card/",
    "/zh-hans/card/procedures/activate-financial-account/",
    "/en/faq/accidentally-put-money-on-card/",
]
ADMIN_USER = "cluster-admin"

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # The shipped http-level rules: rate limits, server_tokens off (deploy/nginx.conf includes them).
    include {http_rules};
    # Docker's name server in compose; here a small one in this script. Looked up again every second.
    resolver 127.0.0.1:{dns_port} valid=1s ipv6=off;
    server {{
        listen 127.0.0.1:{port};
        add_header X-Upstream $upstream_addr always;
        # TLS would end here in production: tell the instances the visitor's request was HTTPS.
        set $socsec_scheme https;
        set $socsec_upstream http://{app_name}:{app_port};
        # The shipped proxying rules, as compose.yaml's nginx uses them (deploy/nginx.conf includes it).
        include {proxy_rules};
    }}
}}
"""


class Checks:
    def __init__(self):
        self.failed = []

    def check(self, ok, text):
        say(f"  {'ok  ' if ok else 'FAIL'}  {text}")
        if not ok:
            self.failed.append(text)
        return ok


class Browser:
    """Cookies by hand: the instances set Secure cookies, which urllib would not send over plain HTTP."""

    def __init__(self):
        self.cookies = {}

    def request(self, url, data=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            origin = "https://" + urllib.parse.urlsplit(url).netloc
            headers.update({"Origin": origin, "Referer": origin + urllib.parse.urlsplit(url).path})
        status, response_headers, text = support.fetch(url, data=body, headers=headers)
        for cookie in response_headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""'):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return status, response_headers, text


class AdminForm(html.parser.HTMLParser):
    """What a browser would submit for the admin's change form: inputs, textareas, selected options."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "first": None, "chosen": []}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"] and self.select["first"] is not None:
                chosen = [self.select["first"]]
            self.fields.extend((self.select["name"], value) for value in chosen)
            self.select = None


class NameServer:
    """A name server for one name (its A records, changed at will); every other name does not exist.
    Plays Docker's embedded DNS, which answers a compose service's name with its containers' addresses."""

    def __init__(self, name, addresses):
        self.name = name.lower().rstrip(".")
        self.addresses = list(addresses)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)

    def serve(self):
        while True:
            try:
                query, client = self.sock.recvfrom(512)
            except OSError:
                return
            answer = self.answer(query)
            if answer:
                self.sock.sendto(answer, client)

    def answer(self, query):
        if len(query) < 12:
            return None
        ident, _flags, count = struct.unpack("!HHH", query[:6])
        labels, at = [], 12
        while at < len(query) and query[at]:
            labels.append(query[at + 1 : at + 1 + query[at]].decode("ascii", "replace"))
            at += 1 + query[at]
        question = query[12 : at + 5]
        qtype = struct.unpack("!H", query[at + 1 : at + 3])[0] if at + 3 <= len(query) else 0
        known = ".".join(labels).lower() == self.name
        records = list(self.addresses) if known and qtype == 1 else []
        flags = 0x8180 if known else 0x8183  # a response, recursion available; NXDOMAIN for other names
        header = struct.pack("!HHHHHH", ident, flags, 1 if count else 0, len(records), 0, 0)
        body = b"".join(struct.pack("!HHHIH", 0xC00C, 1, 1, 1, 4) + socket.inet_aton(ip) for ip in records)
        return header + question + body

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.sock.close()


@contextmanager
def nginx(workdir, names, app_port):
    tmp = workdir / "nginx"
    tmp.mkdir()
    if os.geteuid() == 0:
        # Started by root, nginx's workers run as an unprivileged user and must reach their temporary
        # folders (request bodies over 16 kB go there): without this, such a post is nginx's own 500.
        for folder in (workdir, tmp):
            folder.chmod(0o711)
    port = support.free_port()
    config = tmp / "nginx.conf"
    config.write_text(
        NGINX_CONF.format(
            tmp=tmp,
            port=port,
            http_rules=HTTP_RULES,
            dns_port=names.port,
            app_name=names.name,
            app_port=app_port,
            proxy_rules=PROXY_RULES,
        )
    )
    test = subprocess.run(
        [NGINX, "-t", "-c", str(config), "-p", str(tmp), "-e", str(tmp / "nginx-error.log")],
        capture_output=True,
        text=True,
    )
    if test.returncode != 0:
        raise RuntimeError(f"nginx rejected its configuration:\n{test.stderr}")
    process = subprocess.Popen(
        [NGINX, "-c", str(config), "-p", str(tmp), "-e", str(tmp / "nginx-error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if support.fetch(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start: {(tmp / 'nginx-error.log').read_text()}")
            time.sleep(0.1)
        yield base
    finally:
        try:
            os.killpg(process.pid, signal.SIGQUIT)  # graceful stop
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)


def journey_paths(instance):
    guide = support.discover_guide(instance)
    if guide:
        return "guide journey", guide["journey"]
    say("  note: no guide on this branch (/en/guide/ not found): using the FAQ and law pages instead")
    return "FAQ and law journey", FALLBACK_JOURNEY


def run(checks, stack):
    if support.postgres_server_url() is None or support.redis_url() is None:
        sys.exit("The cluster needs PostgreSQL and Redis (DATABASE_URL / REDIS_URL, or the local ones).")
    if not os.path.exists(NGINX):
        sys.exit("nginx is not installed (Debian: apt-get install nginx-light).")
    site = support.Site(stack, "cluster", extra_env={"ALLOWED_HOSTS": ",".join(["127.0.0.1", "localhost", *ADDRESSES])})
    say(f"database: {site.database}")
    say(f"cache:    {site.cache}")
    site.prepare()
    password = secrets.token_urlsafe(18)
    site.manage(
        "createsuperuser",
        "--noinput",
        "--username",
        ADMIN_USER,
        "--email",
        "admin@example.org",
        env={"DJANGO_SUPERUSER_PASSWORD": password},
    )
    say("prepared: collectstatic, migrate, load_content, import_law, createsuperuser")

    app_port = support.free_port()
    a = site.serve("instance-a", env=INSTANCE_ENV, workers=2, threads=4, host=ADDRESSES[0], port=app_port)
    b = site.serve("instance-b", env=INSTANCE_ENV, workers=2, threads=4, host=ADDRESSES[1], port=app_port)
    name_of = {f"{a.host}:{app_port}": "A", f"{b.host}:{app_port}": "B"}
    names = stack.enter_context(NameServer(APP_NAME, [a.host, b.host]))
    balancer = stack.enter_context(nginx(site.workdir, names, app_port))
    say(
        f"instance A on {a.host}:{app_port}, instance B on {b.host}:{app_port}, both named {APP_NAME}; "
        f"nginx on :{balancer.rpartition(':')[2]} (round robin)\n"
    )

    # 1. A journey through the load balancer, its steps spread over the instances. (nginx balances the
    # addresses the name resolves to, in the order the name server's answer is rotated to: not a strict
    # alternation, so a journey that stayed on one instance goes on with its last step until the other
    # one answers.)
    label, paths = journey_paths(a)
    say(f"{label} through nginx ({len(paths)} steps):")
    served = []
    for path in paths:
        status, headers, _ = support.fetch(balancer + path)
        upstream = name_of.get(headers.get("X-Upstream", ""), headers.get("X-Upstream", "?"))
        served.append(upstream)
        checks.check(
            status == 200,
            f"{path} -> {status} from instance {upstream} (page cache: {headers.get('X-Page-Cache', '-')})",
        )
    for _ in range(20):
        if set(served) == {"A", "B"}:
            break
        headers = support.fetch(balancer + paths[-1])[1]
        served.append(name_of.get(headers.get("X-Upstream", ""), "?"))
    checks.check(set(served) == {"A", "B"}, f"the journey's steps went to both instances: {''.join(served)}")

    # 2. One page cache for all: a page cached by one instance is a hit on the other. (Through nginx:
    # the page key holds the host name, which is the same for both behind the balancer.)
    say("\nshared page cache:")
    probe = "/en/law/social-insurance-law/5/"
    first = support.fetch(balancer + probe)
    one = name_of.get(first[1].get("X-Upstream", ""), "?")
    for _ in range(20):  # until the other instance answers (see the journey above)
        second = support.fetch(balancer + probe)
        other = name_of.get(second[1].get("X-Upstream", ""), "?")
        if other != one:
            break
    checks.check(first[0] == 200 and first[1].get("X-Page-Cache") == "miss", f"{one} renders {probe} (miss)")
    checks.check(
        one != other and second[1].get("X-Page-Cache") == "hit", f"{other} serves it from the shared cache (hit)"
    )
    checks.check(first[2] == second[2], "both answers are byte-identical")

    # 3. An edit saved through A is seen at once through B and through the balancer.
    say("\nedit through instance A's admin, read through instance B:")
    support.fetch(b.url(SEED))
    checks.check(support.fetch(b.url(SEED))[1].get("X-Page-Cache") == "hit", f"B has {SEED} cached")
    editor = Browser()
    status, _, body = editor.request(a.url("/admin/login/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    status, headers, _ = editor.request(
        a.url("/admin/login/"),
        data={"csrfmiddlewaretoken": token, "username": ADMIN_USER, "password": password, "next": "/admin/"},
    )
    checks.check(status == 302 and "sessionid" in editor.cookies, f"signed in to A's admin ({status})")
    status, _, body = editor.request(a.url("/admin/faq/article/?q=accidentally-put-money-on-card"))
    change = re.search(r'href="(/admin/faq/article/\d+/change/)[^"]*"', body)
    checks.check(change is not None, "found the article in A's admin list")
    status, _, body = editor.request(a.url(change.group(1)))
    form = AdminForm("article_form")
    form.feed(body)
    new_title = f"Money on my card: where is it? (edited on A at {time.strftime('%H:%M:%S')})"
    fields = [(name, new_title if name == "title_en" else value) for name, value in form.fields]
    checks.check(any(name == "title_en" for name, _ in fields), f"read A's change form ({len(fields)} fields)")
    status, headers, body = editor.request(a.url(change.group(1)), data=[*fields, ("_save", "Save")])
    saved_at = time.monotonic()
    errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', body, re.S) if status != 302 else []
    checks.check(status == 302, f"A saved the edit ({status}){' ' + str(errors[:2]) if errors else ''}")
    status, headers, body = support.fetch(b.url(SEED))
    elapsed = (time.monotonic() - saved_at) * 1000
    escaped = new_title.replace("'", "&#x27;")
    checks.check(
        status == 200 and escaped in body,
        f"B shows the new title {elapsed:.0f} ms after the save (page cache: {headers.get('X-Page-Cache')})",
    )
    through = [support.fetch(balancer + SEED) for _ in range(2)]
    checks.check(
        all(escaped in page[2] for page in through),
        "nginx shows it too, from both instances: "
        + ", ".join(name_of.get(page[1].get("X-Upstream", ""), "?") for page in through),
    )
    # 4. Metrics: each instance adds up its workers' counters for Prometheus; nginx never shows them.
    say("\nmetrics:")
    checks.check(
        support.fetch(balancer + "/metrics")[0] == 404, "nginx answers /metrics with 404 (deploy/nginx-proxy.conf)"
    )
    hits = 0.0
    for server in (a, b):
        status, _, text = support.fetch(server.url("/metrics"))
        samples = [line.rsplit(" ", 1) for line in text.splitlines() if line.startswith("socsec_")]
        answered = sum(float(value) for name, value in samples if name.startswith("socsec_http_requests_total{"))
        hits += sum(float(value) for name, value in samples if name == 'socsec_page_cache_requests_total{result="hit"}')
        checks.check(
            status == 200 and answered >= 1,
            f"instance {server.name[-1].upper()} /metrics: {status}, {answered:.0f} requests counted over its workers",
        )
    checks.check(hits >= 1, f"page-cache hits counted: {hits:.0f}")

    for server in (a, b):
        log = server.log_path.read_text()
        # The request line (inquiry/operations/logs.py): "... GET /path 500 ..." for an answer 5xx.
        server_error = re.search(r" [A-Z]+ /\S* 5\d\d ", log)
        checks.check("Traceback" not in log and not server_error, f"instance {server.name[-1].upper()} logged no error")

    release(checks, site, names, balancer, app_port, [a, b], name_of)
    rate_limits(checks, balancer)


class Load:
    """Visitors through nginx while the release happens: each answer's status and instance, counted."""

    PATHS = ["/zh-hans/", "/en/faq/", SEED, "/zh-hans/law/social-insurance-law/14/", "/en/card/", "/healthz"]

    def __init__(self, base, threads=3):
        self.base = base
        self.answers = []  # (status or the error's name, upstream)
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.visit, args=(n,), daemon=True) for n in range(threads)]

    def visit(self, number):
        step = number
        while not self.stopping.is_set():
            path = self.PATHS[step % len(self.PATHS)]
            step += 1
            try:
                status, headers, _ = support.fetch(self.base + path, timeout=40)
                self.answers.append((status, headers.get("X-Upstream", "")))
            except OSError as error:
                self.answers.append((type(error).__name__, ""))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)


def release(checks, site, names, balancer, app_port, old, name_of):
    """The runbook's release steps (docs/operations.md, "Releasing"), while a steady load runs."""
    say("\nrelease while nginx serves (docs/operations.md, steps 1-6):")
    new_release = f"{site.prefix}-next"
    env = {"SOCSEC_RELEASE": new_release}
    before = [support.fetch(balancer + FALLBACK_JOURNEY[1])[1].get("X-Page-Cache") for _ in range(2)]
    checks.check(before[-1] == "hit", f"the old release has {FALLBACK_JOURNEY[1]} cached: {before}")
    with Load(balancer) as load:
        backup = site.workdir / "before-release.json.gz"
        site.manage("backup_content", str(backup), env=env)
        checks.check(backup.stat().st_size > 0, f"1. backup_content wrote {backup.stat().st_size // 1024} kB")
        deploy = site.manage(
            "check", "--deploy", "--database", "default", "--fail-level", "WARNING", env=env, check=False
        )
        checks.check(deploy.returncode == 0, f"3. check --deploy: {deploy.stdout.strip() or deploy.stderr.strip()}")
        migrated = site.manage("migrate", "--noinput", env=env, check=False)
        checks.check(migrated.returncode == 0, "4. migrate (the new release, while the old instances serve)")
        loaded = site.manage("load_content", env=env, check=False)
        checks.check(loaded.returncode == 0, f"4. load_content: {loaded.stdout.strip().splitlines()[-1:]}")
        # 5. Roll: a new-release instance on a new address, named in DNS; then the old one stops.
        replaced = []
        for number, previous in enumerate(old):
            address = ADDRESSES[2 + number]
            label = "CD"[number]
            fresh = site.serve(
                f"instance-{label.lower()}",
                env={**INSTANCE_ENV, **env},
                workers=2,
                threads=4,
                host=address,
                port=app_port,
            )
            name_of[f"{address}:{app_port}"] = label
            replaced.append(fresh)
            names.addresses = [server.host for server in [*old[number + 1 :], *replaced]]
            time.sleep(1.5)  # nginx's cached answer (valid=1s) expires; then the old one may go
            started = len(load.answers)
            previous.stop()
            say(f"  5. {label} started on {address}:{app_port}; {name_of[f'{previous.host}:{app_port}']} stopped")
            time.sleep(1.0)
            checks.check(len(load.answers) > started, f"     answers kept coming ({len(load.answers) - started} more)")
        time.sleep(2.0)
    answers = load.answers
    statuses = {}
    for status, _upstream in answers:
        statuses[status] = statuses.get(status, 0) + 1
    failed = sum(count for status, count in statuses.items() if not isinstance(status, int) or status >= 500)
    checks.check(failed == 0, f"{len(answers)} answers during the release, {failed} 5xx or errors: {statuses}")
    tail = [name_of.get(upstream, upstream) for _status, upstream in answers[-30:]]
    checks.check(
        set(tail) <= {"C", "D"} and set(tail) == {"C", "D"},
        f"afterwards only the new instances answer: {''.join(tail)}",
    )
    # A page the old release had cached: the new one renders it under its own name, then serves it.
    seen = [support.fetch(balancer + FALLBACK_JOURNEY[1]) for _ in range(3)]
    flags = [page[1].get("X-Page-Cache") for page in seen]
    checks.check(
        [page[0] for page in seen] == [200] * 3 and flags[0] == "miss" and flags[-1] == "hit",
        f"a page the old release cached is rendered afresh by the new one, then served from the cache: {flags}",
    )


def rate_limits(checks, balancer):
    say("\nnginx's limits and headers (deploy/nginx-http.conf):")
    statuses = [support.fetch(balancer + f"/en/search/?q=card{n}")[0] for n in range(40)]
    checks.check(
        statuses.count(429) > 0 and statuses[0] == 200, f"search past its burst: {statuses.count(429)} of 40 got 429"
    )
    server = support.fetch(balancer + "/healthz")[1].get("Server", "")
    checks.check(server == "nginx", f"Server header without a version: {server!r}")


def main():
    checks = Checks()
    with ExitStack() as stack:
        run(checks, stack)
    say(
        f"\n{'PASSED' if not checks.failed else 'FAILED'}: {len(checks.failed)} failed check(s); "
        "throwaway database dropped, Redis keys removed, processes stopped"
    )
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
