#!/usr/bin/env python
"""Scale-out, proven: two gunicorn instances sharing PostgreSQL and Redis behind nginx, on loopback.

    make cluster               # or: .venv/bin/python bench/cluster.py

1. Creates a throwaway PostgreSQL database (dropped at the end) and uses Redis under a unique key
   prefix (deleted at the end); migrates, loads the content and the laws, collects static files and
   creates an administrator, as the README's production section does.
2. Starts instances A and B (gunicorn, production settings) and nginx (Debian's, as a foreground
   process with its own configuration, pid and logs in a temporary folder) balancing them round-robin.
3. Runs a journey through nginx whose steps alternate between A and B (the guide's, when the guide
   exists on this branch; otherwise home, questions, an article, the law and the card pages), and
   checks that a page cached by one instance is served from the shared cache by the other.
4. Saves an edit in the admin of instance A and reads it at once from instance B and through nginx.
5. Reads each instance's Prometheus metrics (its workers added up) and checks nginx hides /metrics.

nginx's proxying rules are the shipped ones (deploy/nginx-proxy.conf, which compose.yaml's nginx uses).

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
import subprocess  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
from contextlib import ExitStack, contextmanager  # noqa: E402

from bench import support  # noqa: E402
from bench.support import say  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PROXY_RULES = support.REPO / "deploy" / "nginx-proxy.conf"
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
    upstream socsec {{
        server 127.0.0.1:{port_a};
        server 127.0.0.1:{port_b};
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        add_header X-Upstream $upstream_addr always;
        # TLS would end here in production: tell the instances the visitor's request was HTTPS.
        set $socsec_scheme https;
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


@contextmanager
def nginx(workdir, port_a, port_b):
    tmp = workdir / "nginx"
    tmp.mkdir()
    if os.geteuid() == 0:
        # Started by root, nginx's workers run as an unprivileged user and must reach their temporary
        # folders (request bodies over 16 kB go there): without this, such a post is nginx's own 500.
        for folder in (workdir, tmp):
            folder.chmod(0o711)
    port = support.free_port()
    config = tmp / "nginx.conf"
    config.write_text(NGINX_CONF.format(tmp=tmp, port=port, port_a=port_a, port_b=port_b, proxy_rules=PROXY_RULES))
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
    site = support.Site(stack, "cluster")
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

    a = site.serve("instance-a", env=INSTANCE_ENV, workers=2, threads=4)
    b = site.serve("instance-b", env=INSTANCE_ENV, workers=2, threads=4)
    name_of = {f"127.0.0.1:{a.port}": "A", f"127.0.0.1:{b.port}": "B"}
    balancer = stack.enter_context(nginx(site.workdir, a.port, b.port))
    say(f"instance A on :{a.port}, instance B on :{b.port}, nginx on :{balancer.rpartition(':')[2]} (round robin)\n")

    # 1. A journey through the load balancer, its steps alternating between the instances.
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
    alternating = all(first != second for first, second in zip(served, served[1:], strict=False))
    checks.check(
        set(served) == {"A", "B"} and alternating, f"steps alternated between the instances: {''.join(served)}"
    )

    # 2. One page cache for all: a page cached by one instance is a hit on the other. (Through nginx:
    # the page key holds the host name, which is the same for both behind the balancer.)
    say("\nshared page cache:")
    probe = "/en/law/social-insurance-law/5/"
    first = support.fetch(balancer + probe)
    second = support.fetch(balancer + probe)
    one, other = (name_of.get(page[1].get("X-Upstream", ""), "?") for page in (first, second))
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
        checks.check("Traceback" not in log and '" 5' not in log, f"instance {server.name[-1].upper()} logged no error")


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
