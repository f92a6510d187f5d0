"""The LOGGING setting: plain text lines (the default) or one JSON object per line (LOG_FORMAT=json).

Imported by socsec/settings.py and socsec/gunicorn.conf.py, so it imports nothing from Django's apps.
The JSON lines come from python-json-logger: every record has time, level, logger and message, plus
the fields a caller passed in `extra` (the request log's method, path, status, duration, cache), and
an exception's traceback in `exc_info`.
"""

import json
import logging
import os
import threading
import time
from datetime import UTC, datetime

JSON_FIELDS = "%(levelname)s %(name)s %(message)s"
JSON_RENAMES = {"levelname": "level", "name": "logger"}
# What the request line (socsec.request, inquiry/operations/middleware.py) says besides its message.
REQUEST_LOGGER = "socsec.request"
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "bytes", "cache", "view")


class HideQueryString:
    """Django's request loggers pass the request object along; a JSON line would show its repr, query
    string included (which may hold what a visitor typed). Keep the method and path only."""

    def filter(self, record):
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            record.request = f"{getattr(request, 'method', '')} {request.path}".strip()
        return True


def formatter(log_format):
    if log_format == "json":
        return {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": JSON_RENAMES,
            # "time": ISO 8601 in UTC with microseconds, whatever TIME_ZONE says, so lines from every
            # process and server sort together.
            "timestamp": "time",
        }
    return {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}


def request_formatter(log_format):
    """The request line (socsec.request): as text its fields follow the message, as gunicorn's access
    line had them; as JSON, the keys python-json-logger gives every other record."""
    if log_format == "json":
        return {"()": RequestLineJson}
    return {"format": "%(asctime)s %(message)s %(bytes)s %(duration_ms)sms cache=%(cache)s view=%(view)s"}


class RequestLineJson(logging.Formatter):
    """The request line as one JSON object (level, logger, message, the request's fields, time in UTC),
    built from the fields it is known to have. It runs on every request: python-json-logger's general
    formatter, which looks through every attribute of the record, took twice the time."""

    def format(self, record):
        values = [getattr(record, field, None) for field in REQUEST_FIELDS]
        moment = datetime.fromtimestamp(record.created, tz=UTC).isoformat()
        return json_request_line(record.levelname, record.name, record.getMessage(), values, moment)


def json_request_line(level, logger, message, values, moment):
    """The request line as JSON: level, logger, message, the REQUEST_FIELDS' `values`, then the time."""
    line = {"level": level, "logger": logger, "message": message, **dict(zip(REQUEST_FIELDS, values, strict=True))}
    line["time"] = moment
    return json.dumps(line, default=str)


class RequestLineHandler(logging.StreamHandler):
    """Writes the request line straight from the request's fields, and the lines of up to a second at once.

    The middleware hands it the fields (write_request) instead of going through a LogRecord: building a
    record (caller lookup, thread and process names) and formatting it took 16 us of the line's 20. And
    each write is a system call, which in a virtual machine costs as much again as making the line:
    written one by one, the lines cost the bare view 6-10 % more CPU; from the fields and in batches,
    4-5 % (bench/request_log.py, in-process). So the lines wait in memory until `flush_seconds` have
    passed since the first of them or BUFFERED_LINES are waiting, as nginx's `access_log ... buffer=
    flush=` does; a thread looks once a second and writes what has waited long enough when traffic
    stops, and logging's shutdown (at exit, gunicorn's workers included) writes the rest. A worker killed
    outright loses at most that second. flush_seconds=0 writes each line at once.

    The line is the request formatter's, plain or JSON. A record logged the usual way to socsec.request
    goes through that formatter, after the lines already waiting.
    """

    def __init__(self, stream=None, log_format="plain", flush_seconds=0.0):
        super().__init__(stream)
        self.log_format = log_format
        self.flush_seconds = flush_seconds
        self._second = None
        self._plain_time = ""
        self._utc_time = ""
        self._waiting = []
        self._waiting_since = 0.0
        self._flusher_pid = None

    def _times(self, now):
        """The time as the plain line (local, to the millisecond) and the JSON line (UTC, ISO 8601) write
        it; the part up to the second is worked out once a second."""
        second = int(now)
        if second != self._second:
            self._plain_time = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
            self._utc_time = datetime.fromtimestamp(second, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")
            self._second = second
        return self._plain_time, self._utc_time

    def request_line(self, now, method, path, status, duration_ms, size, cache, view):
        """The line for the REQUEST_FIELDS' values, in their order."""
        plain_time, utc_time = self._times(now)
        if self.log_format == "json":
            values = (method, path, status, duration_ms, size, cache, view)
            moment = f"{utc_time}.{int(now % 1 * 1_000_000):06d}+00:00"
            return json_request_line("INFO", REQUEST_LOGGER, f"{method} {path} {status}", values, moment)
        return (
            f"{plain_time},{int(now % 1 * 1000):03d} {method} {path} {status} {size} {duration_ms}ms"
            f" cache={cache} view={view}"
        )

    def write_request(self, *fields):
        try:
            now = time.time()
            line = self.request_line(now, *fields) + self.terminator
            with self.lock:
                if not self.flush_seconds:
                    self.stream.write(line)
                    self.stream.flush()
                    return
                if self._flusher_pid != os.getpid():
                    self._start_flusher()
                if not self._waiting:
                    self._waiting_since = now
                self._waiting.append(line)
                if len(self._waiting) >= BUFFERED_LINES or now - self._waiting_since >= self.flush_seconds:
                    self._write_waiting()
        except Exception:  # noqa: BLE001 - a log line must never break the request (as logging's own handlers)
            self.handleError(logging.makeLogRecord({"name": REQUEST_LOGGER, "msg": "request line", "args": ()}))

    def _write_waiting(self):
        """Under the lock: the waiting lines in one write."""
        if self._waiting:
            lines, self._waiting = "".join(self._waiting), []
            self.stream.write(lines)
            self.stream.flush()

    def _start_flusher(self):
        """Under the lock, once per process: a forked process starts its own thread (and drops lines its
        parent left waiting, which the parent writes)."""
        self._flusher_pid = os.getpid()
        self._waiting = []
        threading.Thread(target=self._flush_when_idle, name="request-log-flush", daemon=True).start()

    def _flush_when_idle(self):
        pid = os.getpid()
        while self._flusher_pid == pid:
            time.sleep(min(self.flush_seconds, 1) or 1)
            if self._waiting and time.time() - self._waiting_since >= self.flush_seconds:
                self.flush()

    def flush(self):
        with self.lock:
            try:
                self._write_waiting()
            finally:
                super().flush()

    def emit(self, record):
        self.flush()
        super().emit(record)


# At most this many lines wait (about 12 kB): at a thousand requests a second, a write every 0.1 s.
BUFFERED_LINES = 100


def logging_config(log_format="plain", level="INFO", request_log_flush_seconds=1.0):
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"site": formatter(log_format), "request": request_formatter(log_format)},
        "filters": {
            "hide_query_string": {"()": HideQueryString},
            "suspicious_request_line": {"()": "inquiry.core.logs.SuspiciousRequestLine"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "site", "filters": ["hide_query_string"]},
            "requests": {
                "class": "inquiry.operations.logs.RequestLineHandler",
                "formatter": "request",
                "log_format": log_format,
                "flush_seconds": request_log_flush_seconds,
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # The request line (socsec.request) already says each request's status, 4xx included; Django's
            # own "Not Found" warnings would add a second line. Errors (5xx) are still logged, with their
            # traceback.
            "django.request": {"level": "ERROR"},
            # Requests Django refuses as suspicious (scanners send made-up Host headers all day) are answered
            # 400: one warning line each, without the traceback Django would log (inquiry/core/logs.py).
            **{
                f"django.security.{name}": {"level": "WARNING", "filters": ["suspicious_request_line"]}
                for name in ("DisallowedHost", "RequestDataTooBig", "TooManyFieldsSent", "TooManyFilesSent")
            },
            # One line per request (settings.SOCSEC_REQUEST_LOG; gunicorn's access log is off).
            REQUEST_LOGGER: {"level": "INFO", "handlers": ["requests"], "propagate": False},
        },
    }


def gunicorn_logconfig(log_format):
    """gunicorn's own log (start, stop, worker timeouts) in the same format, for logconfig_dict."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"generic": formatter(log_format)},
        "handlers": {
            "error_console": {"class": "logging.StreamHandler", "formatter": "generic", "stream": "ext://sys.stderr"}
        },
        # gunicorn's default root handler is its plain "console"; Django sets the root's up in each worker.
        "root": {"level": "INFO", "handlers": []},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        },
    }
