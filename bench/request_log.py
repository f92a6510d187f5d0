#!/usr/bin/env python
"""What the request line costs, in-process: the bare view through Django's WSGI handler, without it and with it.

    .venv/bin/python bench/request_log.py [-n 5000] [--turns 7]

bench/http.py --logs measures the same through gunicorn, but on a small, shared machine two servers set
up alike differ by several percent from run to run, as much as the line costs. Here the smallest view
(/bench/baseline) is called through the WSGI handler, the whole middleware stack included, in turns:
no line, the line as configured (written in batches), the line written at once, and the old way (a
LogRecord through the logging module and its formatter, as before the handler wrote the fields
itself). Each turn is N requests; the figure is the median over the turns of this process's CPU time
per request. The lines go to a file in a temporary folder. Nothing touches a database.
"""

import argparse
import io
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# bench/http.py would shadow the standard library's `http` package: keep this folder off the path.
_HERE = str(REPO / "bench")
sys.path[:] = [path for path in sys.path if os.path.abspath(path or os.curdir) != _HERE]
sys.path.insert(0, str(REPO))
FOLDER = Path(tempfile.mkdtemp(prefix="socsec-bench-log-"))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "socsec.settings",
        "SOCSEC_BENCH_VIEWS": "1",
        "DATABASE_URL": f"sqlite:///{FOLDER / 'unused.sqlite3'}",
        "REDIS_URL": "",
        "SOCSEC_VAR_DIR": str(FOLDER),
    }
)
os.environ.pop("DEBUG", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

from inquiry.operations.logs import RequestLineHandler  # noqa: E402

ENVIRON = {
    "REQUEST_METHOD": "GET",
    "PATH_INFO": "/bench/baseline",
    "SERVER_NAME": "127.0.0.1",
    "SERVER_PORT": "443",
    "HTTP_HOST": "127.0.0.1",
    "HTTPS": "on",
    "wsgi.url_scheme": "https",
    "wsgi.errors": sys.stderr,
    "SERVER_PROTOCOL": "HTTP/1.1",
    "REMOTE_ADDR": "127.0.0.1",
}


def start_response(status, headers, exc_info=None):
    start_response.status = status


def turn(application, count):
    started = time.process_time()
    for _ in range(count):
        response = application({**ENVIRON, "wsgi.input": io.BytesIO(b"")}, start_response)
        b"".join(response)
        response.close()
    return (time.process_time() - started) / count * 1e6


class OldWay(logging.StreamHandler):
    """The request line as it was written before: a LogRecord, formatted by the request formatter."""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=5000, help="requests per turn (default 5000)")
    parser.add_argument("--turns", type=int, default=7, help="turns per setup (default 7)")
    args = parser.parse_args()

    logger = logging.getLogger("socsec.request")
    configured = logger.handlers[0]
    if not isinstance(configured, RequestLineHandler):
        sys.exit("the request logger is not set up as LOGGING sets it")
    stream = open(FOLDER / "requests.log", "w")  # noqa: SIM115 - closed at the end
    configured.setStream(stream)
    old = OldWay(stream)
    old.setFormatter(configured.formatter)
    batches = configured.flush_seconds

    def no_line():
        settings.SOCSEC_REQUEST_LOG = False

    def batched():
        settings.SOCSEC_REQUEST_LOG, configured.flush_seconds, logger.handlers = True, batches, [configured]

    def at_once():
        settings.SOCSEC_REQUEST_LOG, configured.flush_seconds, logger.handlers = True, 0, [configured]

    def old_way():
        settings.SOCSEC_REQUEST_LOG, logger.handlers = True, [old]

    setups = {
        "no request line": no_line,
        f"the line, in batches ({batches:g} s)": batched,
        "the line, each written at once": at_once,
        "the old way (a LogRecord)": old_way,
    }
    application = WSGIHandler()
    turn(application, 500)  # warm up
    if start_response.status != "200 OK":
        sys.exit(f"/bench/baseline answered {start_response.status}")
    figures = {name: [] for name in setups}
    for number in range(args.turns):
        names = list(setups) if number % 2 == 0 else list(reversed(setups))
        for name in names:
            setups[name]()
            figures[name].append(turn(application, args.n))
    configured.flush()
    stream.close()

    none = statistics.median(figures["no request line"])
    print(f"the bare view through Django's WSGI handler, {args.n} requests x {args.turns} turns (CPU us/request):")
    for name, values in figures.items():
        value = statistics.median(values)
        print(
            f"  {name:<34} {value:7.1f}  ({min(values):.1f}-{max(values):.1f})"
            f"  {value - none:+6.1f} us  {value / none - 1:+6.1%}"
        )
    line = statistics.median(figures[f"the line, in batches ({batches:g} s)"])
    share = line / none - 1
    print(f"{'PASS' if share <= 0.05 else 'MISS'}  the request line costs {share:.1%} of the bare view's CPU (<= 5 %)")
    return 0 if share <= 0.05 else 1


if __name__ == "__main__":
    sys.exit(main())
