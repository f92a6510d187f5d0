#!/usr/bin/env python
"""Hostile requests, sent as they are: the site must answer every one of them below 500.

    .venv/bin/python bench/fuzz.py                      # 10,000 requests at a fresh production server
    .venv/bin/python bench/fuzz.py --count 3000 --seed 7
    .venv/bin/python bench/fuzz.py --sqlite             # SQLite and the file cache, even if PostgreSQL is here
    .venv/bin/python bench/fuzz.py --cluster            # through nginx in front of two instances (bench/cluster.py)
    .venv/bin/python bench/fuzz.py --url http://127.0.0.1:8080   # a server that is already running

The requests come from a seeded generator (the same seed gives the same requests, in the same order):
malformed and overlong Host headers; odd paths under both language prefixes and none, with broken
percent-encoding and bytes that are not UTF-8; guide and search query strings with broken escapes,
repeated keys and 10 kB values; feedback POSTs without a CSRF token, with huge or malformed bodies;
every HTTP method; junk cookies, languages and conditional headers. Each goes out over a raw socket,
byte for byte (no HTTP library tidies it up), one connection per request.

Prints the answers' status counts and every request answered 5xx; exits 1 if there was one.
`tests/core/test_fuzz.py` runs the same generator against a gunicorn started by the suite.
"""

import os
import sys

if __name__ == "__main__":
    # Run as a script, this folder would be first on the import path, and bench/http.py would shadow the
    # standard library's `http` package: put the repository there instead.
    _HERE = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [path for path in sys.path if os.path.abspath(path or os.curdir) != _HERE]
    sys.path.insert(0, os.path.dirname(_HERE))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import socket  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
from collections import Counter  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

SEED = 15  # issue 15: bad requests that still got a 500
DEFAULT_COUNT = 10_000
# Stand for the server's own host (and port), and for a CSRF cookie and form token it handed out:
# filled in when a request is sent (see `Target`), so the requests themselves stay the same.
OWN_HOST = b"\x00own-host\x00"
OWN_CSRF_COOKIE = b"\x00own-csrf-cookie\x00"
OWN_CSRF_TOKEN = b"\x00own-csrf-token\x00"
NO_ANSWER = 0  # the server closed the connection without a status line

# Pages of the shipped content (inquiry/*/content/), so most requests reach a real view.
PAGES = [
    "/",
    "/zh-hans/",
    "/en/",
    "/zh-hans/faq/",
    "/en/faq/",
    "/en/faq/expired-card/",
    "/zh-hans/faq/expired-card/",
    "/en/faq/accidentally-put-money-on-card/",
    "/zh-hans/faq/accidentally-put-money-on-card/",
    "/en/law/",
    "/zh-hans/law/social-insurance-law/",
    "/en/law/social-insurance-law/14/",
    "/zh-hans/card/",
    "/en/card/procedures/activate-financial-account/",
    "/zh-hans/guide/",
    "/en/guide/what-happened-to-my-money/",
    "/zh-hans/guide/what-happened-to-my-money/money-source/",
    "/en/search/?q=activate",
    "/zh-hans/search/?q=%E6%BF%80%E6%B4%BB",
    "/en/feedback/faq/1/",
    # Without a language prefix: the language redirect.
    "/faq/",
    "/faq/expired-card/",
    "/guide/what-happened-to-my-money/",
    "/search/?q=card",
    "/healthz",
    "/robots.txt",
    "/sitemap.xml",
    "/admin/login/",
    "/static/css/site.css",
]
LANGUAGE_PREFIXES = ["/zh-hans/", "/en/", "/"]
GUIDE = "what-happened-to-my-money"
GUIDE_QUESTIONS = ["money-source", "activated", "where-you-look", "which-insurance", "payment-account-activated"]
GUIDE_ANSWERS = ["deposited-myself", "paid-by-employer", "payment-not-arrived", "yes", "no", "not-sure", "bank"]
FEEDBACK_KINDS = ["faq", "faq", "faq", "guide", "article", "", "x" * 80]
METHODS = [
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "OPTIONS",
    "TRACE",
    "CONNECT",
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
    "SEARCH",
    "QUERY",
    "PURGE",
    "LINK",
    "get",
    "Get",
    "BREW",
    "M" * 40,
]

# Host header values no site would be called by: overlong, malformed, or simply someone else's.
BAD_HOSTS = [
    b"a" * 300,
    b"a" * 254,
    b"a" * 64 + b".example.org",
    b"a" * 2000,
    b"a" * 9000,  # longer than gunicorn takes for a header line (8190)
    b"evil.example",
    b"127.0.0.1.evil.example",
    b"localhost.evil.example:443",
    b"127.0.0.1:abc",
    b"127.0.0.1:",
    b":80",
    b"127.0.0.1:99999999999999999999",
    b"127.0.0.1:-1",
    b"[::1",
    b"[::1]]",
    b"[zz::1]",
    b"[::1]:80",
    b"[]",
    b"::1",
    b"a b",
    b"a\tb",
    b"127.0.0.1/x",
    b"127.0.0.1?x=1",
    b"127.0.0.1#x",
    b"user@127.0.0.1",
    b"user:pw@127.0.0.1",
    b"127.0.0.1\\x",
    b"%31%32%37.0.0.1",
    b"\xff\xfe\xfd",
    b"\xe7\xa4\xbe\xe4\xbf\x9d.cn",  # 社保.cn in UTF-8
    b"xn--fiq228c.cn",
    b"..",
    b".",
    b"-",
    b"_",
    b"-a-.example",
    b"127.0.0.1, evil.example",
    b"127.0.0.1 evil.example",
    b"0x7f.1",
    b"*",
    b"'\"><script>",
    b"${jndi:ldap://x}",
    b"",
]
# What a path segment may be made of: the characters that trip URL parsers, broken and odd escapes.
PATH_PIECES = (
    list("abcxyz019_-'.@=+&;:,~!$*()[]/?")
    + ["%", "%z", "%zz", "%2", "%C3", "%ff", "%FE%FF", "%e4%b8", "%00", "%0a", "%0d%0a", "%20", "%2e%2e", "%2f", "%5c"]
    + ["%25", "%u4e2d", "%e4%b8%ad", "..", "//", "/./", "/../", "/%2e%2e/", "%5b%5d"]
)
# ...and, less often, what a request line should not hold at all (gunicorn itself answers most with 400):
# bytes that are not UTF-8 or not ASCII, and characters RFC 3986 leaves out.
RAW_PIECES = list('"<>\\^`{}|') + ["\u4e2d", "\u793e\u4fdd\u5361"]
RAW_PATH_BYTES = [b"\x80", b"\xff", b"\xc3\x28", b"\xe4\xb8", b"\xed\xa0\x80", b"\xf0\x9f\x92\xa9", b"\x7f"]
QUERY_VALUES = [
    "",
    "a",
    "%",
    "%zz",
    "%C3",
    "%ff%fe",
    "%e4%b8%ad",
    "%u4e2d",
    "%00",
    "%0d%0aSet-Cookie:%20x=1",
    "+++",
    "a=b=c",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "\u6fc0\u6d3b",
    "-1",
    "0",
    "99999999999999999999999",
    "1e999",
    "NaN",
]


@dataclass(frozen=True)
class FuzzRequest:
    """One request as it goes on the wire: request line, headers and body are bytes, sent unaltered."""

    kind: str
    method: bytes
    target: bytes
    hosts: tuple = (OWN_HOST,)  # Host header values, in order (none, one, or several)
    headers: tuple = ()  # other (name, value) pairs
    body: bytes = b""
    version: bytes = b"HTTP/1.1"
    content_length: bool = field(default=True)  # send a Content-Length for the body

    def raw(self, own) -> bytes:
        """The bytes to send; `own` maps the OWN_* placeholders to this server's values."""

        def fill(data):
            for placeholder, value in own.items():
                data = data.replace(placeholder, value)
            return data

        body = fill(self.body)
        lines = [b"%s %s %s" % (self.method, self.target, self.version)]
        lines += [b"Host: " + host for host in self.hosts]
        lines += [name + b": " + value for name, value in self.headers]
        if body and self.content_length:
            lines.append(b"Content-Length: %d" % len(body))
        lines.append(b"Connection: close")
        return fill(b"\r\n".join(lines)) + b"\r\n\r\n" + body

    def describe(self, own=None, limit=400) -> str:
        """The request, readable and bounded (a 10 kB value is shown by its start and its length)."""
        own = own or {OWN_HOST: b"127.0.0.1", OWN_CSRF_COOKIE: b"<csrf cookie>", OWN_CSRF_TOKEN: b"<csrf token>"}
        head, _, _ = self.raw(own).partition(b"\r\n\r\n")
        text = repr(head[:limit])[2:-1] + (f"... ({len(head)} bytes of head)" if len(head) > limit else "")
        if self.body:
            text += f"\n    body ({len(self.body)} bytes): {repr(self.body[:120])[2:-1]}"
        return f"[{self.kind}] {text}"


# --- The generator ------------------------------------------------------------------------------------


def _quote(text):
    return urllib.parse.quote(text, safe="/%?=&;:@+$,~*'()!").encode("utf-8", "surrogateescape")


def _odd_segment(rng):
    parts = []
    for _ in range(rng.randint(1, 12)):
        roll = rng.random()
        if roll < 0.03:
            parts.append(rng.choice(RAW_PATH_BYTES))
        elif roll < 0.06:
            parts.append(rng.choice(RAW_PIECES).encode())
        else:
            parts.append(rng.choice(PATH_PIECES).encode())
    return b"".join(parts).replace(b" ", b"%20").replace(b"#", b"%23")


def _page(rng):
    return rng.choice(PAGES).encode()


def _https(rng):
    # Nearly always the load balancer's header (else production answers 301 to HTTPS); sometimes junk.
    roll = rng.random()
    if roll < 0.85:
        return [(b"X-Forwarded-Proto", b"https")]
    if roll < 0.95:
        return []
    return [(b"X-Forwarded-Proto", rng.choice([b"", b"ftp", b"https, http", b"HTTPS", b"\xff"]))]


def _query_value(rng):
    roll = rng.random()
    if roll < 0.03:
        return "v" * 10_000  # 10 kB: in a query string, longer than gunicorn takes for a request line (414)
    if roll < 0.08:
        return "v" * 7_000  # as long as gunicorn lets through
    if roll < 0.15:
        return "%ff" * rng.randint(1, 400)
    if roll < 0.25:
        return urllib.parse.quote(rng.choice(GUIDE_ANSWERS + GUIDE_QUESTIONS))
    return rng.choice(QUERY_VALUES)


def _query(rng, keys):
    pairs = []
    for _ in range(rng.randint(1, 6)):
        key = rng.choice(keys) if rng.random() < 0.7 else rng.choice(QUERY_VALUES)
        pairs.append(f"{key}={_query_value(rng)}")
        if rng.random() < 0.3:  # the same key again
            pairs.append(f"{key}={_query_value(rng)}")
    if rng.random() < 0.05:  # more fields than Django reads (DATA_UPLOAD_MAX_NUMBER_FIELDS)
        pairs += [f"k{index}=v" for index in range(1200)]
    separator = rng.choice(["&", "&", "&", ";", "&&", "&=&"])
    # Escaped as a browser would (%-escapes, broken or not, stay as they are); now and then a raw byte.
    query = _quote(separator.join(pairs).replace(" ", "+"))
    if rng.random() < 0.05:
        query += rng.choice(RAW_PATH_BYTES)
    return query


def bad_host(rng):
    path = _page(rng)
    roll = rng.random()
    if roll < 0.75:
        hosts = (rng.choice(BAD_HOSTS),)
    elif roll < 0.85:
        hosts = (OWN_HOST, rng.choice(BAD_HOSTS))  # two Host headers
    elif roll < 0.9:
        hosts = ()  # none at all
    else:
        hosts = (rng.choice(BAD_HOSTS) + b":" + str(rng.randint(0, 70000)).encode(),)
    method = rng.choice([b"GET", b"GET", b"HEAD", b"POST", b"OPTIONS"])
    body = b"helpful=yes" if method == b"POST" else b""
    headers = _https(rng)
    if rng.random() < 0.2:
        headers.append(rng.choice([b"X-Forwarded-Host", b"Forwarded", b"X-Host"]))
        headers[-1] = (headers[-1], b"host=" + rng.choice(BAD_HOSTS)[:200])
    version = b"HTTP/1.0" if not hosts and rng.random() < 0.5 else b"HTTP/1.1"
    return FuzzRequest("host", method, path, hosts, tuple(headers), body, version)


def odd_path(rng):
    prefix = rng.choice(
        [*LANGUAGE_PREFIXES, "/zh-hans//", "//", "", "/en/faq/", "/zh-hans/law/", f"/en/guide/{GUIDE}/", "/static/"]
    ).encode()
    target = prefix + b"/".join(_odd_segment(rng) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.3:
        target += b"/"
    if rng.random() < 0.2:
        target += b"?" + _query(rng, ["q", "page", "answer"])
    if not target.startswith(b"/") and rng.random() < 0.7:
        target = b"/" + target
    method = rng.choice([b"GET", b"GET", b"GET", b"HEAD", b"POST"])
    return FuzzRequest("path", method, target, headers=tuple(_https(rng)))


def guide_query(rng):
    language = rng.choice(["en", "zh-hans", ""])
    base = f"/{language}/guide/{GUIDE}/".replace("//", "/")
    page = rng.choice(
        [
            "",
            f"{rng.choice(GUIDE_QUESTIONS)}/",
            f"{rng.choice(GUIDE_QUESTIONS)}/answer/",
            f"result/{rng.choice(['x', 'top-up-pending', 'contact-bank'])}/",
        ]
    )
    target = (base + page).encode() + b"?" + _query(rng, GUIDE_QUESTIONS + ["choice", "answer"])
    return FuzzRequest("guide", rng.choice([b"GET", b"GET", b"HEAD"]), target, headers=tuple(_https(rng)))


def search_query(rng):
    language = rng.choice(["en", "zh-hans", ""])
    target = f"/{language}/search/".replace("//", "/").encode() + b"?" + _query(rng, ["q", "q", "page", "kind"])
    return FuzzRequest("search", rng.choice([b"GET", b"GET", b"HEAD"]), target, headers=tuple(_https(rng)))


def page_query(rng):
    page = _page(rng).partition(b"?")[0]
    target = page + b"?" + _query(rng, ["p", "page", "q", "answer", "next", "language", "format", "utm_source"])
    return FuzzRequest("query", rng.choice([b"GET", b"GET", b"HEAD"]), target, headers=tuple(_https(rng)))


def feedback_post(rng):
    language = rng.choice(["en", "en", "zh-hans", "zh-hans", ""])
    kind = rng.choice(FEEDBACK_KINDS)
    object_id = rng.choice(["1", "1", "2", "3", "0", "-1", "99999999999999999999", "x"])
    target = f"/{language}/feedback/{kind}/{object_id}/".replace("//", "/").encode()
    headers = _https(rng)
    fields = b""
    roll = rng.random()
    if roll < 0.45:  # a token and cookie the server handed out, so the post gets past the CSRF check
        fields = b"csrfmiddlewaretoken=" + OWN_CSRF_TOKEN + b"&"
        headers += [(b"Cookie", b"csrftoken=" + OWN_CSRF_COOKIE), (b"Origin", b"https://" + OWN_HOST)]
    elif roll < 0.6:  # a made-up token and cookie
        token = rng.choice(["x", "a" * 64, "%ff" * 20, "%e4%b8%ad" * 10])
        fields = f"csrfmiddlewaretoken={token}&".encode()
        headers.append((b"Cookie", b"csrftoken=" + rng.choice([b"x", b"a" * 64, b"\xff\xfe", b"a" * 5000])))
    elif roll < 0.7:  # from another site
        headers += [(b"Origin", b"https://evil.example"), (b"Referer", b"https://evil.example/")]
    # else: no token at all
    content_type = b"application/x-www-form-urlencoded"
    roll = rng.random()
    if roll < 0.45:  # the form as a browser fills it in, more or less
        helpful = rng.choice(["yes", "no", "maybe", "", "%ff", "yes&helpful=no"])
        body = fields + f"helpful={helpful}&comment={_query_value(rng)}&website={rng.choice(['', 'x'])}".encode()
    elif roll < 0.55:  # a 10 kB comment
        body = fields + b"helpful=no&comment=" + b"c" * 10_000
    elif roll < 0.62:  # huge: beyond DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), or just big
        body = fields + b"helpful=yes&comment=" + b"x" * rng.choice([100_000, 1_000_000, 3_000_000])
    elif roll < 0.72:  # more fields than Django reads (DATA_UPLOAD_MAX_NUMBER_FIELDS is 1,000)
        body = fields + b"&".join(b"helpful=%d" % index for index in range(rng.choice([500, 1500, 5000])))
    elif roll < 0.82:  # multipart with a broken or missing boundary
        content_type = rng.choice(
            [b"multipart/form-data", b"multipart/form-data; boundary=", b"multipart/form-data; boundary=zz"]
        )
        body = b'--zz\r\nContent-Disposition: form-data; name="helpful"\r\n\r\nyes\r\n' + rng.choice(
            [b"", b"--zz--\r\n", b"--z"]
        )
    elif roll < 0.92:  # not UTF-8, or not a form at all
        content_type = rng.choice(
            [b"application/x-www-form-urlencoded; charset=utf-8", b"application/json", b"text/plain", b"x/\xff"]
        )
        body = fields + rng.choice(
            [b"helpful=\xff\xfe&comment=\xc3\x28", b'{"helpful": "yes"}', b"\x00" * 100, b"%%%%%="]
        )
    else:  # nothing at all
        body = b""
    headers.append((b"Content-Type", content_type))
    if rng.random() < 0.3:
        headers.append(
            (b"X-Forwarded-For", rng.choice([b"1.2.3.4", b"not-an-ip", b", , ,", b"1.2.3.4, " * 50, b"\xff"]))
        )
    return FuzzRequest("feedback", b"POST", target, headers=tuple(headers), body=body)


def any_method(rng):
    method = rng.choice(METHODS).encode()
    body = b""
    if rng.random() < 0.4:
        body = rng.choice([b"x", b"helpful=yes", b"{}", b"a" * 10_000])
    headers = _https(rng)
    if method == b"OPTIONS" and rng.random() < 0.3:
        return FuzzRequest("method", method, b"*", headers=tuple(headers))
    return FuzzRequest("method", method, _page(rng), headers=tuple(headers), body=body)


def junk_headers(rng):
    headers = _https(rng)
    choices = [
        (b"Cookie", b"sessionid=" + rng.choice([b"x", b"a" * 32, b"a" * 5000, b"\xff", b"..%2f"])),
        (b"Cookie", b"django_language=" + rng.choice([b"xx", b"en", b"zh-hans", b"../../", b"a" * 300, b"\xff"])),
        (b"Cookie", b"messages=" + rng.choice([b"x", b"[]", b"a" * 4000, b"\xff"])),
        (b"Cookie", rng.choice([b"=", b";;;", b"a", b"\xff\xfe=\x00", b"csrftoken", b"a=b; " * 400])),
        (
            b"Accept-Language",
            rng.choice([b"*", b"xx", b"zh-hans;q=abc", b"en;q=1e999", b"a" * 5000, b"zh-CN,zh;q=0.9", b"\xff"]),
        ),
        (b"If-None-Match", rng.choice([b"*", b'"x"', b"W/", b'""', b"a" * 3000, b"\xff"])),
        (
            b"If-Modified-Since",
            rng.choice([b"yesterday", b"Thu, 01 Jan 1970 00:00:00 GMT", b"Sun, 99 Foo 99999 99:99:99 GMT"]),
        ),
        (b"Range", rng.choice([b"bytes=0-0", b"bytes=-1", b"bytes=99999999999999999999-", b"bytes=x"])),
        (b"Accept-Encoding", rng.choice([b"gzip, br", b"*;q=x", b"a" * 2000])),
        (b"Content-Type", rng.choice([b"multipart/form-data", b"\xff", b"text/html; charset=nope"])),
        (b"Content-Length", rng.choice([b"0", b"-1", b"abc"])),
        (b"Transfer-Encoding", rng.choice([b"chunked", b"gzip", b"identity"])),
        (b"X-Forwarded-For", rng.choice([b"not-an-ip", b"\xff", b"1.2.3.4, " * 100])),
        (b"User-Agent", rng.choice([b"", b"\xff", b"a" * 8000])),
        (b"Expect", b"100-continue"),
    ]
    for _ in range(rng.randint(1, 3)):
        headers.append(rng.choice(choices))
    names = {name.lower() for name, _ in headers}
    # A chunked request needs its terminating chunk, or the server would wait for the rest of the body.
    body = b"0\r\n\r\n" if b"transfer-encoding" in names else b""
    method = rng.choice([b"GET", b"GET", b"HEAD"]) if not body else b"POST"
    return FuzzRequest("headers", method, _page(rng), headers=tuple(headers), body=body, content_length=False)


KINDS = [
    (bad_host, 20),
    (odd_path, 20),
    (guide_query, 14),
    (search_query, 12),
    (page_query, 6),
    (feedback_post, 12),
    (any_method, 10),
    (junk_headers, 8),
]

# Requests every run starts with: the ones issue 15 found answered 500.
KNOWN = [
    FuzzRequest("host", b"GET", b"/en/faq/expired-card/", (b"a" * 300,), ((b"X-Forwarded-Proto", b"https"),)),
    FuzzRequest("host", b"GET", b"/en/faq/expired-card/", (b"a" * 300,)),
    FuzzRequest(
        "path", b"GET", b"/zh-hans//c_'a.ca@9=.+&b%20][=@%20?9b?/Y[_@", headers=((b"X-Forwarded-Proto", b"https"),)
    ),
]


def generate(count, seed=SEED):
    """`count` requests, the same for the same seed: the known ones first, then a seeded mix."""
    rng = random.Random(seed)
    makers = [maker for maker, _ in KINDS]
    weights = [weight for _, weight in KINDS]
    requests = list(KNOWN[:count])
    while len(requests) < count:
        requests.append(rng.choices(makers, weights)[0](rng))
    return requests


# --- Sending ------------------------------------------------------------------------------------------


class Target:
    """The server to fuzz, and the values that stand in for the OWN_* placeholders in its requests."""

    def __init__(self, base_url, timeout=30.0):
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout
        self.own = {OWN_HOST: f"{self.host}:{self.port}".encode()}
        cookie, token = self.csrf_pair()
        self.own[OWN_CSRF_COOKIE] = cookie or b"none-handed-out"
        self.own[OWN_CSRF_TOKEN] = token or b"none-handed-out"

    def csrf_pair(self):
        """A CSRF cookie and form token from a feedback form of the shipped content (None, None if none)."""
        for object_id in range(1, 11):
            path = f"/en/feedback/faq/{object_id}/?answer=yes".encode()
            request = FuzzRequest("setup", b"GET", path, headers=((b"X-Forwarded-Proto", b"https"),))
            status, answer = self.exchange(request, read_all=True)
            cookie = re.search(rb"Set-Cookie: csrftoken=([^;\r\n]+)", answer, re.IGNORECASE)
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', answer)
            if status == 200 and cookie and token:
                return cookie.group(1), token.group(1)
        return None, None

    def send(self, request):
        """The status code of the answer to `request` (NO_ANSWER if the server closed without one), and
        whether a proxy in front (`--cluster`'s nginx, which marks what it passed on with X-Upstream)
        answered it itself, without asking the site."""
        status, received = self.exchange(request)
        head = received.partition(b"\r\n\r\n")[0].lower()
        by_proxy = b"\r\nserver: nginx" in head and b"\r\nx-upstream:" not in head
        return status, by_proxy

    def exchange(self, request, read_all=False):
        data = request.raw(self.own)
        received = b""
        with socket.create_connection((self.host, self.port), timeout=self.timeout) as sock:
            # The server may answer (a 400, a 413) before reading everything: then read what it said.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                sock.sendall(data)
            try:
                while True:
                    # Skip interim answers (100 Continue to an Expect header): the final status follows.
                    while received.startswith(b"HTTP/1.1 1") and b"\r\n\r\n" in received:
                        received = received.partition(b"\r\n\r\n")[2]
                    done = b"\r\n" in received and not received.startswith(b"HTTP/1.1 1")
                    if (done and not read_all) or len(received) > 1_000_000:
                        break
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    received += chunk
            except ConnectionResetError:
                pass
        status_line = received.split(b"\r\n", 1)[0].split()
        if len(status_line) >= 2 and status_line[0].startswith(b"HTTP/") and status_line[1].isdigit():
            return int(status_line[1]), received
        return NO_ANSWER, received


@dataclass
class Report:
    results: list  # (request, status), in the generator's order
    seconds: float
    by_proxy: set = field(default_factory=set)  # indexes of the answers a proxy gave without the site

    @property
    def statuses(self):
        return Counter(status for _, status in self.results)

    @property
    def server_errors(self):
        """The site's 5xx answers (a proxy's own are counted apart: see `proxy_errors`)."""
        return [
            (request, status)
            for index, (request, status) in enumerate(self.results)
            if status >= 500 and index not in self.by_proxy
        ]

    @property
    def proxy_errors(self):
        return Counter(status for index, (_, status) in enumerate(self.results) if index in self.by_proxy)

    def by_class(self):
        classes = Counter()
        for status, number in self.statuses.items():
            classes["no answer" if status == NO_ANSWER else f"{status // 100}xx"] += number
        return classes

    def summary(self):
        classes = self.by_class()
        lines = [
            f"{len(self.results)} requests in {self.seconds:.1f} s: "
            + ", ".join(f"{name} {classes[name]}" for name in sorted(classes)),
            "status counts: "
            + ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(self.statuses.items())),
        ]
        if self.by_proxy:
            lines.append(
                "answered by the proxy itself, without the site: "
                + ", ".join(f"{status}: {n}" for status, n in sorted(self.proxy_errors.items()))
            )
        kinds = Counter(request.kind for request, _ in self.results)
        lines.append("requests by kind: " + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())))
        return "\n".join(lines)

    def failures(self, limit=20):
        errors = self.server_errors
        lines = [f"{len(errors)} answered 5xx" + (f" (first {limit} shown)" if len(errors) > limit else "") + ":"]
        lines += [f"  {status} <- {request.describe()}" for request, status in errors[:limit]]
        return "\n".join(lines)


def run(requests, base_url, concurrency=8, timeout=30.0):
    """Send every request to the server at `base_url` (http://host:port), `concurrency` at a time."""
    target = Target(base_url, timeout)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        answers = list(pool.map(target.send, requests))
    statuses = [status for status, _ in answers]
    by_proxy = {index for index, (_, proxy) in enumerate(answers) if proxy}
    return Report(list(zip(requests, statuses, strict=True)), time.monotonic() - started, by_proxy)


# --- The command --------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="requests to send (default 10,000)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"the generator's seed (default {SEED})")
    parser.add_argument("--concurrency", type=int, default=8, help="connections at a time (default 8)")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--url", help="fuzz a running server (http://host:port) instead of starting one")
    target.add_argument("--cluster", action="store_true", help="two instances behind nginx (needs PostgreSQL, Redis)")
    target.add_argument("--sqlite", action="store_true", help="SQLite and the file cache, even if PostgreSQL is here")
    args = parser.parse_args(argv)

    requests = generate(args.count, args.seed)
    say(f"{len(requests)} requests from seed {args.seed}")
    if args.url:
        say(f"target: {args.url}")
        return report(run(requests, args.url, args.concurrency), args.url)

    from contextlib import ExitStack

    from bench import support

    if args.cluster:
        from bench import cluster

        if support.postgres_server_url() is None or support.redis_url() is None:
            sys.exit("--cluster needs PostgreSQL and Redis (DATABASE_URL / REDIS_URL, or the local ones).")
        if not os.path.exists(cluster.NGINX):
            sys.exit("--cluster needs nginx (`make bench-tools`, or Debian: apt-get install nginx-light).")

    with ExitStack() as stack:
        use_services = not args.sqlite
        site = support.Site(stack, "fuzz", use_postgres=use_services, use_redis=use_services)
        say(f"database: {site.database}")
        say(f"cache:    {site.cache}")
        site.prepare()
        if args.cluster:
            # Both on one port, on two loopback addresses that nginx finds by name (bench/cluster.py).
            port = support.free_port()
            hosts = cluster.ADDRESSES[:2]
            servers = [
                site.serve(f"fuzz-{n}", workers=2, threads=4, host=h, port=port)
                for n, h in zip("ab", hosts, strict=True)
            ]
            names = stack.enter_context(cluster.NameServer(cluster.APP_NAME, hosts))
            base_url = stack.enter_context(cluster.nginx(site.workdir, names, port))
            say(f"target: nginx at {base_url}, in front of {hosts[0]}:{port} and {hosts[1]}:{port}")
        else:
            servers = [site.serve("fuzz-a", workers=2, threads=4)]
            base_url = servers[0].base_url
            say(f"target: gunicorn at {base_url} (production settings)")
        code = report(run(requests, base_url, args.concurrency), base_url)
        time.sleep(0.5)  # let the last request lines reach the log
        if args.cluster:
            # nginx takes an instance out of rotation (for everyone) after a failed exchange with it.
            errors = (site.workdir / "nginx" / "nginx-error.log").read_text(errors="replace")
            disabled = errors.count("upstream server temporarily disabled")
            say(f"nginx: an instance taken out of rotation {disabled} times, {errors.count('[crit]')} critical errors")
            code = code or int(bool(disabled))
        for server in servers:
            log = server.log_path.read_text(errors="replace")
            tracebacks = log.count("Traceback")
            say(f"{server.name} log: {len(log.splitlines())} lines, {tracebacks} tracebacks")
            if tracebacks:
                start = log.index("Traceback")
                say(log[max(0, start - 300) : start + 3000])
                code = 1
    return code


def report(result, base_url):
    say(result.summary())
    if result.server_errors:
        say(result.failures())
        return 1
    proxy = sum(n for status, n in result.proxy_errors.items() if status >= 500)
    say("no answer of 5xx from the site" + (f" ({proxy} from the proxy itself, listed above)" if proxy else ""))
    return 0


def say(message=""):
    print(message, flush=True)


if __name__ == "__main__":
    sys.exit(main())
