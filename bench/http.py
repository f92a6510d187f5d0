#!/usr/bin/env python
"""HTTP benchmark: the site under gunicorn with production settings on loopback, measured with wrk.

    make bench                 # or: .venv/bin/python bench/http.py [--seconds 10] [--soak 120]

Uses PostgreSQL and Redis when they are reachable (DATABASE_URL / REDIS_URL, or the local ones), in a
throwaway database and under a unique key prefix; SQLite and the file cache otherwise. Each page is
measured for --seconds at 64 connections: cached (the page cache on, as deployed) and uncached (a
second server with the page cache off, so every request renders the page). The baseline is the
smallest Django view (/bench/baseline: a short text through the whole middleware stack).

Targets (a 2-core machine): cached pages >= 0.8x the baseline, an uncached FAQ article >= 0.3x,
p99 < 100 ms everywhere, no errors. Then a mixed-traffic soak (--soak seconds: reads, searches and
feedback posts, each from another visitor in X-Forwarded-For) that must end with no 5xx answer, feedback
posts stored (answered 302), and no growth in any worker's memory.

--peer URL: side by side with another site, in one run. Start the Wagtail peer first
(`../shared/peer/wagtail_peer.sh 8111`: the seed article at /, a bare view at /bare/, gunicorn with 3
gthread workers of 4 threads, as socsec's config on 2 cores), then
`bench/http.py --seconds 5 --soak 0 --peer http://127.0.0.1:8111`. Instead of one pass over every page,
socsec's bare view, its FAQ article (cached, both languages, and uncached), a guide outcome (cached and
uncached) and the peer's /bare/ and / are measured in turns, three times (alternating the order), and
each page's median requests/s is printed with its ratio to its own site's bare view, then socsec's
article against the peer's (cached and uncached), raw and each over its own bare view.

--logs: what the request log costs. The bare view (and /healthz) on servers that differ only in their
logging: none, the app's request line (plain text: the default; JSON), gunicorn's access log instead
(as before issue 21), measured in turns three times; prints each against the server without a log.
--peer and --logs replace the single pass over every page.
"""

import os
import sys

# This file is called http.py: keep its folder off the import path, or it would shadow the standard
# library's `http` package for everything imported below.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [path for path in sys.path if os.path.abspath(path or os.curdir) != _HERE]
sys.path.insert(0, os.path.dirname(_HERE))

import argparse  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import urllib.parse  # noqa: E402
from contextlib import ExitStack  # noqa: E402
from pathlib import Path  # noqa: E402

from bench import support  # noqa: E402
from bench.support import say  # noqa: E402

CONNECTIONS = 64
REPETITIONS = 3
TARGET_CACHED = 0.8
TARGET_UNCACHED_FAQ = 0.3
TARGET_P99_MS = 100.0
SEED = "/en/faq/accidentally-put-money-on-card/"
SEED_ZH = "/zh-hans/faq/accidentally-put-money-on-card/"
LAW_ARTICLE = "/en/law/social-insurance-law/14/"
SEARCHES = ["activate", "lost card", "balance", "pension", "激活", "余额", "社保卡 取钱", "医保"]

WRK_HEADERS = ["-H", "X-Forwarded-Proto: https", "-H", "Accept-Encoding: gzip, br"]

# Counts answers by status class in every wrk thread and prints the totals (wrk only counts "errors").
# Also counts the feedback posts sent, and the answers only a feedback post gets: a redirect to the
# thanks page (stored), 400 (form refused), 403 (CSRF refused), 429 (rate limited). wrk's response()
# is not told which request it answers, hence the answers are told apart by what they are.
STATUS_LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread); thread:set("id", #threads) end
function init(args)
  s2 = 0; s3 = 0; s4 = 0; s5 = 0; posts = 0; f302 = 0; f400 = 0; f403 = 0; f429 = 0
  math.randomseed(os.time() * 100 + (id or 0))
end
function response(status, headers, body)
  if status >= 500 then s5 = s5 + 1 elseif status >= 400 then s4 = s4 + 1
  elseif status >= 300 then s3 = s3 + 1 else s2 = s2 + 1 end
  if status == 302 and string.find(headers["Location"] or "", "/feedback/.*/thanks/") then f302 = f302 + 1
  elseif status == 400 then f400 = f400 + 1 elseif status == 403 then f403 = f403 + 1
  elseif status == 429 then f429 = f429 + 1 end
end
function done(summary, latency, requests)
  local names = {"s2", "s3", "s4", "s5", "posts", "f302", "f400", "f403", "f429"}
  local t = {}
  for i, name in ipairs(names) do
    t[i] = 0
    for _, thread in ipairs(threads) do t[i] = t[i] + (thread:get(name) or 0) end
  end
  io.write(string.format("STATUS 2xx=%d 3xx=%d 4xx=%d 5xx=%d\\n", t[1], t[2], t[3], t[4]))
  io.write(string.format("FEEDBACK sent=%d 302=%d 400=%d 403=%d 429=%d\\n", t[5], t[6], t[7], t[8], t[9]))
end
"""


def parse_duration_ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url, seconds, script=None, connections=CONNECTIONS, threads=2):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    command += WRK_HEADERS
    if script:
        command += ["-s", script]
    command.append(url)
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    if script and finished.stderr.strip():
        # wrk reports an error in its script on stderr and carries on without it: that is no measurement.
        raise RuntimeError(f"wrk could not run {script}:\n{finished.stderr.strip()}")
    output = finished.stdout
    result = {"output": output}
    result["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    for percent in ("50", "99"):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+\w+)", output, re.M)
        result[f"p{percent}"] = parse_duration_ms(match.group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["errors"] = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(n) for n in sockets.groups()) if sockets else 0
    )
    status = re.search(r"STATUS 2xx=(\d+) 3xx=(\d+) 4xx=(\d+) 5xx=(\d+)", output)
    if status:
        result["status"] = dict(zip(("2xx", "3xx", "4xx", "5xx"), map(int, status.groups()), strict=True))
    feedback = re.search(r"FEEDBACK sent=(\d+) 302=(\d+) 400=(\d+) 403=(\d+) 429=(\d+)", output)
    if feedback:
        keys = ("sent", "302", "400", "403", "429")
        result["feedback"] = dict(zip(keys, map(int, feedback.groups()), strict=True))
    result["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    return result


def check_page(server, path):
    status, headers, body = support.fetch(server.url(path), headers={"Accept-Encoding": "identity"})
    if status != 200:
        raise RuntimeError(f"{server.name}: {path} answered {status}")
    return body


def served_from_cache(server, path):
    support.fetch(server.url(path))
    return support.fetch(server.url(path))[1].get("X-Page-Cache") == "hit"


def pages_to_measure(server):
    """(name, path, has an uncached variant) for every page that exists on this branch."""
    body = check_page(server, "/en/")
    static = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', body).group(1)
    pages = [
        ("baseline (minimal view)", "/bench/baseline", False),
        ("static file (whitenoise)", static, False),
        ("home", "/en/", True),
        ("FAQ article", SEED, True),
        ("law article", LAW_ARTICLE, True),
    ]
    notes = []
    guide = support.discover_guide(server)
    if guide:
        pages += [("guide question", guide["question"], True), ("guide outcome", guide["outcome"], True)]
    else:
        notes.append("no guide pages on this branch (/en/guide/ not found): guide question/outcome skipped")
    search = support.discover_search(server)
    if search:
        pages.append(("search", search, True))
    else:
        notes.append("no search page on this branch (/en/search/ not found): search skipped")
    return pages, notes, guide, search


def print_table(rows, baseline):
    say(
        f"{'page':<26} {'mode':<9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'x base':>7}"
        f" {'cpu ms/req':>10} {'x base cpu':>10} {'load':>5}"
    )
    for row in rows:
        say(
            f"{row['name']:<26} {row['mode']:<9} {row['rps']:>8.0f} {row['p50']:>8.2f} {row['p99']:>8.2f} "
            f"{row['errors']:>6} {row['rps'] / baseline['rps']:>7.2f} {row['cpu_ms']:>10.2f}"
            f" {baseline['cpu_ms'] / row['cpu_ms']:>10.2f} {row['load']:>5.1f}"
        )
    say(
        "x base: throughput relative to the baseline. cpu ms/req: server CPU per request (the gunicorn master and"
        " workers), which other programs on the machine do not change; x base cpu: the baseline's CPU per request"
        " over this page's, i.e. the throughput ratio on an otherwise idle machine. load: the 1-minute load"
        " average after the run (2 means both cores busy)."
    )


def judge(rows, baseline_rps):
    verdicts = []
    for row in rows:
        ratio = row["rps"] / baseline_rps
        if row["mode"] == "cached" and row["name"] not in ("baseline (minimal view)",):
            verdicts.append(
                (ratio >= TARGET_CACHED, f"{row['name']} cached: {ratio:.2f}x baseline (>= {TARGET_CACHED})")
            )
        if row["mode"] == "uncached" and row["name"] == "FAQ article":
            verdicts.append(
                (
                    ratio >= TARGET_UNCACHED_FAQ,
                    f"FAQ article uncached: {ratio:.2f}x baseline (>= {TARGET_UNCACHED_FAQ})",
                )
            )
        verdicts.append((row["p99"] < TARGET_P99_MS, f"{row['name']} {row['mode']}: p99 {row['p99']:.1f} ms (< 100)"))
        verdicts.append((row["errors"] == 0, f"{row['name']} {row['mode']}: {row['errors']} errors (0)"))
    return verdicts


def soak_script(server, guide, search, feedback, workdir):
    """A wrk script sending a weighted mix of requests, and counting answers by status class."""
    entries = []

    def add(method, path, weight=1, body=None, headers=None):
        # Percent-encoded as a browser sends it: a raw space or Chinese character in the request line
        # gets a 400 from gunicorn, and the search would never be measured.
        path = urllib.parse.quote(path, safe="/?=&%")
        entries.extend([(method, path, body, headers or {})] * weight)

    for path in ("/en/", "/zh-hans/", "/en/faq/", "/zh-hans/faq/", SEED, SEED.replace("/en/", "/zh-hans/")):
        add("GET", path, 4)
    for path in ("/en/card/", "/en/law/", LAW_ARTICLE, "/zh-hans/law/social-insurance-law/4/", "/en/nowhere/"):
        add("GET", path, 2)
    # Pages not seen before: the cache misses, the page is rendered and stored (a bounded set of URLs).
    # (Not `?ref=<n>`: a parameter no view declares gets the stored page, see inquiry/core/page_cache.py.)
    for number in range(1, 41):
        add("GET", f"/en/law/social-insurance-law/{number}/")
    if guide:
        for path in guide["journey"]:
            add("GET", path, 3)
    if search:
        for query in SEARCHES:
            add("GET", f"/en/search/?q={query}", 2)
        for number in range(1, 41):
            add("GET", f"/zh-hans/search/?q=社保卡{number}")
    if feedback:
        action, body, cookies = feedback
        origin = server.base_url.replace("http://", "https://")
        # Each post comes from another visitor (X-Forwarded-For, set per request below; the server trusts
        # one proxy), so the per-visitor rate limit lets them through as it would real visitors' answers.
        add(
            "POST",
            action,
            3,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookies,
                "Origin": origin,
                "Referer": origin + action,
            },
        )

    def lua_string(value):
        return "[==[" + value + "]==]" if value is not None else "nil"

    lines = ["local entries = {"]
    for method, path, body, headers in entries:
        # "[ [==[" with a space: "[[" would open a Lua long string.
        header_table = ", ".join(f"[ {lua_string(k)} ] = {lua_string(v)}" for k, v in headers.items())
        lines.append(f"  {{{lua_string(method)}, {lua_string(path)}, {lua_string(body)}, {{{header_table}}}}},")
    lines.append("}")
    lines.append("local counter = 0")
    lines.append(
        "request = function()\n"
        "  counter = counter + 1\n"
        "  local e = entries[math.random(#entries)]\n"
        "  local headers = {}\n"
        "  for k, v in pairs(wrk.headers) do headers[k] = v end\n"
        "  for k, v in pairs(e[4]) do headers[k] = v end\n"
        "  if e[1] == 'POST' then\n"
        "    posts = posts + 1\n"
        "    headers['X-Forwarded-For'] = string.format('10.%d.%d.%d', id or 0, math.floor(posts / 256) % 256,"
        " posts % 256)\n"
        "  end\n"
        "  return wrk.format(e[1], e[2], headers, e[3])\n"
        "end"
    )
    lines.append(STATUS_LUA)
    path = Path(workdir) / "soak.lua"
    path.write_text("\n".join(lines))
    kinds = {"reads": sum(1 for e in entries if e[0] == "GET" and "/search/" not in e[1])}
    kinds["searches"] = sum(1 for e in entries if "/search/" in e[1])
    kinds["feedback posts"] = sum(1 for e in entries if e[0] == "POST")
    return str(path), kinds


def stored_feedback(site):
    """How many feedback answers the database holds (what the posts really stored)."""
    result = site.manage(
        "shell", "-c", "from inquiry.feedback.models import Feedback; print(Feedback.objects.count())", check=False
    )
    try:
        return int(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def soak(server, seconds, guide, search, feedback, site):
    script, kinds = soak_script(server, guide, search, feedback, site.workdir)
    share = ", ".join(f"{name} {count}" for name, count in kinds.items())
    say(f"\nSoak: {seconds} s of mixed traffic at {CONNECTIONS} connections (mix weights: {share})")
    say("warming up 10 s ...")
    run_wrk(server.url("/"), 10, script=script)
    stored_before = stored_feedback(site)
    start = server.worker_rss_mb()
    samples = [("start", start)]
    stop = threading.Event()

    def sample():
        elapsed = 0
        while not stop.wait(30):
            elapsed += 30
            samples.append((f"{elapsed} s", server.worker_rss_mb()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    result = run_wrk(server.url("/"), seconds, script=script)
    stop.set()
    sampler.join()
    end = server.worker_rss_mb()
    samples.append(("end", end))
    status = result.get("status", {})
    say(
        f"requests {result['requests']}  req/s {result['rps']:.0f}  p50 {result['p50']:.2f} ms  "
        f"p99 {result['p99']:.2f} ms  answers {status}"
    )
    posts = result.get("feedback", {})
    stored = stored_feedback(site)
    stored_text = f"{stored - stored_before}" if stored is not None and stored_before is not None else "?"
    say(
        f"feedback posts sent {posts.get('sent', 0)}: answered 302 to the thanks page {posts.get('302', 0)},"
        f" 400 {posts.get('400', 0)}, 403 {posts.get('403', 0)}, 429 {posts.get('429', 0)};"
        f" answers stored in the database during the soak {stored_text}"
    )
    say("RSS per worker (MB):")
    say("  " + f"{'pid':>8} " + " ".join(f"{label:>8}" for label, _ in samples))
    grew = []
    for pid in sorted(start):
        values = [sizes.get(pid) for _, sizes in samples]
        say("  " + f"{pid:>8} " + " ".join(f"{value:>8.1f}" if value else f"{'gone':>8}" for value in values))
        if pid not in end:
            grew.append(f"worker {pid} disappeared (restarted?)")
        elif end[pid] - start[pid] > max(3.0, 0.05 * start[pid]):
            grew.append(f"worker {pid} grew {end[pid] - start[pid]:.1f} MB")
    verdicts = [
        (status.get("5xx", 1) == 0, f"soak: {status.get('5xx', '?')} answers 5xx (0)"),
        (
            posts.get("302", 0) > 0,
            f"soak: {posts.get('302', 0)} of {posts.get('sent', 0)} feedback posts answered 302 (> 0),"
            f" {posts.get('403', 0)} refused by CSRF, {posts.get('429', 0)} rate limited",
        ),
        (
            result["errors"] - status.get("4xx", 0) == 0,
            f"soak: socket errors {result['errors'] - status.get('4xx', 0)} (0)",
        ),
        (not grew, "soak: worker memory " + ("; ".join(grew) if grew else "did not grow (<= 3 MB or 5 %)")),
    ]
    return verdicts


def measure_in_turns(targets, seconds, repetitions=REPETITIONS):
    """Every target measured `repetitions` times, in turns (forwards, then backwards, ...), so a change in
    the machine's load falls on all of them alike. targets: [(key, url, server or None)]; a server's CPU
    per request is measured too. Returns {key: row} with the median requests/s and p99 and all errors."""
    runs = {key: [] for key, _, _ in targets}
    for repetition in range(repetitions):
        turn = targets if repetition % 2 == 0 else list(reversed(targets))
        for key, url, server in turn:
            cpu_before = server.cpu_seconds() if server else None
            result = run_wrk(url, seconds)
            if server:
                result["cpu_ms"] = (server.cpu_seconds() - cpu_before) * 1000 / max(result["requests"], 1)
            runs[key].append(result)
            say(f"  {repetition + 1}/{repetitions} {key}: {result['rps']:.0f} req/s")
    rows = {}
    for key, results in runs.items():
        rates = sorted(result["rps"] for result in results)
        cpu = [result["cpu_ms"] for result in results if "cpu_ms" in result]
        rows[key] = {
            "rps": statistics.median(rates),
            "low": rates[0],
            "high": rates[-1],
            "p50": statistics.median(result["p50"] for result in results),
            "p99": statistics.median(result["p99"] for result in results),
            "errors": sum(result["errors"] for result in results),
            "cpu_ms": statistics.median(cpu) if cpu else None,
        }
    return rows


class LocalPeer:
    """The processes serving a peer on this machine (found by its listening port), for their CPU time."""

    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.pids = []
        if parts.hostname in ("127.0.0.1", "localhost") and shutil.which("ss"):
            listing = subprocess.run(
                ["ss", "-Hltnp", f"sport = :{parts.port or 80}"], capture_output=True, text=True, check=False
            ).stdout
            self.pids = sorted({int(pid) for pid in re.findall(r"pid=(\d+)", listing)})

    def cpu_seconds(self):
        return support.cpu_seconds_of(self.pids)


def peer_is_up(peer):
    for path in ("/bare/", "/"):
        try:
            status = support.fetch(peer + path)[0]
        except OSError as error:
            return f"{peer}{path}: {error}"
        if status != 200:
            return f"{peer}{path} answered {status}"
    return None


def compare_with_peer(cached, uncached, peer, seconds, guide):
    """socsec and the peer in one interleaved run: the table, and verdicts on socsec's pages."""
    pages = [
        # (site, page, mode for judge(), name for judge(), server, path)
        ("socsec", "bare view", "cached", "baseline (minimal view)", cached, "/bench/baseline"),
        ("socsec", "FAQ article en", "cached", "FAQ article", cached, SEED),
        ("socsec", "FAQ article zh-hans", "cached", "FAQ article zh-hans", cached, SEED_ZH),
        ("socsec", "FAQ article en", "uncached", "FAQ article", uncached, SEED),
    ]
    if guide:
        pages += [
            ("socsec", "guide outcome", "cached", "guide outcome", cached, guide["outcome"]),
            ("socsec", "guide outcome", "uncached", "guide outcome", uncached, guide["outcome"]),
        ]
    verdicts = []
    for _site, page, mode, _name, server, path in pages:
        check_page(server, path)
        if mode == "cached" and path != "/bench/baseline":
            verdicts.append((served_from_cache(server, path), f"{page}: served from the page cache"))
    targets = [(f"socsec {page} {mode}", server.url(path), server) for _s, page, mode, _n, server, path in pages]
    processes = LocalPeer(peer)
    processes = processes if processes.pids else None
    targets += [("wagtail bare view", peer + "/bare/", processes), ("wagtail article", peer + "/", processes)]
    say(f"\nsocsec and the peer at {peer}: {seconds} s per run, {CONNECTIONS} connections, wrk -t2,")
    say(f"{REPETITIONS} turns over {len(targets)} pages\n")
    rows = measure_in_turns(targets, seconds)

    bare = {"socsec": rows["socsec bare view cached"]["rps"], "wagtail": rows["wagtail bare view"]["rps"]}
    bare_cpu = {"socsec": rows["socsec bare view cached"]["cpu_ms"], "wagtail": rows["wagtail bare view"]["cpu_ms"]}
    say(
        f"\n{'site':<8} {'page':<22} {'mode':<9} {'req/s':>7} {'runs (min-max)':>15} {'p99 ms':>8}"
        f" {'errors':>6} {'x own bare':>10} {'cpu ms/req':>10} {'x bare cpu':>10}"
    )
    lines = [(site, page, mode, f"socsec {page} {mode}") for site, page, mode, _n, _s, _p in pages]
    lines += [
        ("wagtail", "bare view", "-", "wagtail bare view"),
        ("wagtail", "article /", "uncached", "wagtail article"),
    ]
    for site, page, mode, key in lines:
        row = rows[key]
        cpu = f"{row['cpu_ms']:.2f}" if row["cpu_ms"] is not None else "-"
        cpu_ratio = f"{bare_cpu[site] / row['cpu_ms']:.2f}" if row["cpu_ms"] and bare_cpu[site] else "-"
        say(
            f"{site:<8} {page:<22} {mode:<9} {row['rps']:>7.0f} {row['low']:>7.0f}-{row['high']:<7.0f}"
            f" {row['p99']:>8.1f} {row['errors']:>6} {row['rps'] / bare[site]:>10.2f} {cpu:>10} {cpu_ratio:>10}"
        )
    wagtail = rows["wagtail article"]["rps"]
    wagtail_ratio = wagtail / bare["wagtail"]
    say("\nsocsec's FAQ article (en) against Wagtail's article (the same seed text; Wagtail has no page cache):")
    for mode in ("cached", "uncached"):
        mine = rows[f"socsec FAQ article en {mode}"]["rps"]
        say(
            f"  {mode:<9} {mine / wagtail:>5.2f}x Wagtail's requests/s;"
            f" over each site's own bare view {mine / bare['socsec']:.2f} vs {wagtail_ratio:.2f}"
            f" ({mine / bare['socsec'] / wagtail_ratio:.2f}x)"
        )
    say(f"  bare views: socsec's {bare['socsec'] / bare['wagtail']:.2f}x Wagtail's")
    wagtail_cpu = rows["wagtail article"]["cpu_ms"]
    if wagtail_cpu:
        say("in server CPU per request (what the machine's other load changes least):")
        for mode in ("cached", "uncached"):
            mine = rows[f"socsec FAQ article en {mode}"]["cpu_ms"]
            say(
                f"  {mode:<9} socsec's article {mine:.2f} ms, Wagtail's {wagtail_cpu:.2f} ms:"
                f" socsec serves {wagtail_cpu / mine:.2f}x as many per CPU second"
            )
        say(
            f"  bare views: socsec's {bare_cpu['socsec']:.2f} ms, Wagtail's {bare_cpu['wagtail']:.2f} ms:"
            f" {bare_cpu['wagtail'] / bare_cpu['socsec']:.2f}x"
        )
    say(
        "x own bare: requests/s over the same site's bare view in this run. runs: the lowest and highest of the"
        f" {REPETITIONS} turns (the median is printed). cpu ms/req: the server's CPU per request (gunicorn's master"
        " and workers; the peer's only when it runs on this machine); x bare cpu: the own bare view's CPU per"
        " request over this page's, i.e. the throughput ratio on an otherwise idle machine."
    )
    judged = [
        {"name": name, "mode": mode, **rows[f"socsec {page} {mode}"]}
        for _site, page, mode, name, _server, _path in pages
    ]
    return verdicts + judge(judged, bare["socsec"])


LOG_SETUPS = [
    # (name, server environment): servers that differ only in what they log per request.
    ("no request log", {"SOCSEC_REQUEST_LOG": "off"}),
    ("app line, plain (default)", {}),
    ("app line, JSON", {"LOG_FORMAT": "json"}),
    ("gunicorn access log instead", {"SOCSEC_REQUEST_LOG": "off", "GUNICORN_ACCESS_LOG": "-"}),
]


def log_cost(site, seconds, workers, threads):
    """The bare view (and /healthz) on servers that differ only in their request log, in turns."""
    servers = {
        name: site.serve(f"log-{index}", env=env, workers=workers, threads=threads)
        for index, (name, env) in enumerate(LOG_SETUPS)
    }
    targets = []
    for name, server in servers.items():
        targets.append((f"{name} | bare view", server.url("/bench/baseline"), server))
    default = servers[LOG_SETUPS[1][0]]
    targets.append((f"{LOG_SETUPS[1][0]} | /healthz", default.url("/healthz"), default))
    say(f"\nWhat the request log costs: {seconds} s per run, {CONNECTIONS} connections, {REPETITIONS} turns\n")
    rows = measure_in_turns(targets, seconds)
    none = rows[f"{LOG_SETUPS[0][0]} | bare view"]
    say(f"\n{'server':<30} {'page':<10} {'req/s':>7} {'runs (min-max)':>15} {'x no log':>8} {'cpu ms/req':>10}")
    for key, row in rows.items():
        name, page = key.split(" | ")
        cpu = f"{row['cpu_ms']:.3f}" if row["cpu_ms"] is not None else "-"
        say(
            f"{name:<30} {page:<10} {row['rps']:>7.0f} {row['low']:>7.0f}-{row['high']:<7.0f}"
            f" {row['rps'] / none['rps']:>8.2f} {cpu:>10}"
        )
    say(
        "x no log: requests/s over the bare view's on the server without a request log, in this run."
        " cpu ms/req: the server's CPU per request (median of the turns), which the machine's other load"
        " changes less than requests/s."
    )
    line = rows[f"{LOG_SETUPS[1][0]} | bare view"]
    throughput = 1 - line["rps"] / none["rps"]
    cpu = line["cpu_ms"] / none["cpu_ms"] - 1
    say(
        f"the request line (plain) costs {throughput:.1%} of the bare view's requests/s, {cpu:.1%} more CPU per request"
    )
    say(
        "(two servers set up alike differ by several percent here from run to run; bench/request_log.py"
        " measures the line in-process, in turns, which is steadier)"
    )
    return [(cpu <= 0.05, f"the request line costs {cpu:.1%} more CPU per request of the bare view (<= 5 %)")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="seconds per page (default 10)")
    parser.add_argument("--soak", type=int, default=120, help="seconds of mixed traffic (default 120; 0 skips)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: the config's, from the CPU count)")
    parser.add_argument("--threads", type=int, help="gunicorn threads per worker (default: the config's)")
    parser.add_argument("--peer", metavar="URL", help="measure beside this site (../shared/peer/wagtail_peer.sh)")
    parser.add_argument("--logs", action="store_true", help="measure what the request log costs")
    args = parser.parse_args()
    peer = args.peer.rstrip("/") if args.peer else None
    if peer and (problem := peer_is_up(peer)):
        sys.exit(f"the peer does not answer ({problem}); start it with ../shared/peer/wagtail_peer.sh")
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")

    with ExitStack() as stack:
        # One trusted proxy: the soak's feedback posts each name another visitor in X-Forwarded-For.
        site = support.Site(stack, "bench", extra_env={"SOCSEC_BENCH_VIEWS": "1", "SOCSEC_TRUSTED_PROXY_COUNT": "1"})
        load = os.getloadavg()[0]
        say(f"machine: {os.cpu_count()} CPUs, load average {load:.2f} at start, Python {platform.python_version()}")
        say(f"database: {site.database}")
        say(f"cache: {site.cache}")
        laws = site.prepare()
        say(f"prepared: migrate, load_content, collectstatic, import_law x{len(laws)}")
        cached = site.serve("cached", workers=args.workers, threads=args.threads)
        uncached = site.serve("uncached", env={"SOCSEC_PAGE_CACHE": "0"}, workers=args.workers, threads=args.threads)
        workers = len(cached.worker_pids())
        say(f"gunicorn: {workers} workers per server (gthread), production settings, loopback")

        pages, notes, guide, search = pages_to_measure(cached)
        for note in notes:
            say(f"NOTE: {note}")
        feedback = support.discover_feedback(cached, SEED)
        if not feedback:
            say("NOTE: no feedback form for the FAQ article: the soak sends no feedback posts (a missed target)")

        rows, verdicts = [], []
        if peer:
            verdicts += compare_with_peer(cached, uncached, peer, args.seconds, guide)
        if peer or args.logs:
            pages = []  # the interleaved runs replace the single pass below
        else:
            say(f"\n{args.seconds} s per run, {CONNECTIONS} connections, wrk -t2\n")
        for name, path, has_uncached in pages:
            modes = [("cached", cached)] + ([("uncached", uncached)] if has_uncached else [])
            for mode, server in modes:
                check_page(server, path)
                if mode == "cached" and has_uncached:
                    # A page that sets a cookie (a CSRF token in a form, say) is never cached: say so.
                    hit = served_from_cache(server, path)
                    verdicts.append((hit, f"{name}: served from the page cache on the second request"))
                cpu_before = server.cpu_seconds()
                result = run_wrk(server.url(path), args.seconds)
                # CPU per request: what the page costs the server, whatever else runs on the machine.
                result["cpu_ms"] = (server.cpu_seconds() - cpu_before) * 1000 / max(result["requests"], 1)
                result["load"] = os.getloadavg()[0]
                label = mode if has_uncached else "-"
                rows.append({"name": name, "mode": label if label != "-" else "cached", **result})
                say(f"  measured {name} {mode}: {result['rps']:.0f} req/s")
        if rows:
            say("")
            print_table(rows, rows[0])
            verdicts += judge(rows, rows[0]["rps"])
        if args.logs:
            verdicts += log_cost(site, args.seconds, args.workers, args.threads)

        if args.soak:
            verdicts += soak(cached, args.soak, guide, search, feedback, site)

        say("\nTargets:")
        for ok, text in verdicts:
            say(f"  {'PASS' if ok else 'MISS'}  {text}")
        failed = [text for ok, text in verdicts if not ok]
        met = len(verdicts) - len(failed)
        say(f"\n{met} of {len(verdicts)} targets met; load average {os.getloadavg()[0]:.2f} at the end")
        return 1 if failed else 0


if __name__ == "__main__":
    tempfile.tempdir = None
    sys.exit(main())
