"""gunicorn settings for socsec: `gunicorn -c socsec/gunicorn.conf.py`.

Every value can be overridden from the environment (or on the command line, which wins over this file).

- gthread workers: each worker process runs several threads, so a request waiting on PostgreSQL or
  Redis does not hold up the others. Python runs one thread at a time per process, so processes
  scale with CPU cores and threads cover the waiting.
- Access log: off. Django writes one line per request (inquiry/operations/middleware.py: method, path
  without the query string, status, bytes, duration, page cache hit or miss, the view), as plain text
  or JSON (LOG_FORMAT); a second line from gunicorn would double the cost of logging for nothing.
  GUNICORN_ACCESS_LOG=- turns gunicorn's on again (then set SOCSEC_REQUEST_LOG=off).
"""

import os


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cpu_count():
    try:
        return len(os.sched_getaffinity(0))  # honours CPU pinning (containers, taskset)
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


wsgi_app = "socsec.wsgi:application"
# Loopback unless told otherwise: gunicorn must never face the internet (a few slow or half-open
# connections stop it; nginx in front holds). compose.yaml binds 0.0.0.0 on its internal network only.
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{_int('PORT', 8000)}"

worker_class = "gthread"
# WEB_CONCURRENCY is the name platforms (and gunicorn itself) use for the process count.
workers = _int("WEB_CONCURRENCY", _int("GUNICORN_WORKERS", _cpu_count() + 1))
threads = _int("GUNICORN_THREADS", 4)

# A request that takes this long is stuck: the worker is restarted. Deploys wait this long for requests
# in flight. Idle keep-alive connections from the load balancer are kept this many seconds.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Off by default: memory per worker does not grow (bench/http.py's soak checks it). Set it to recycle
# workers every N requests if a future change leaks.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 10)

# Room for long search and guide query strings (gunicorn's maximum); longer ones get a 400 from gunicorn.
limit_request_line = 8190

accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms cache=%({x-page-cache}o)s'

# Heartbeat files in memory: a container's disk-backed /tmp can stall workers into timeouts.
# (Only gunicorn's own heartbeat files go there, created with private names.)
if os.path.isdir("/dev/shm"):  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# gunicorn's control socket is not used, and one path per user would collide between instances.
control_socket_disable = True

# X-Forwarded-Proto is trusted from the addresses in FORWARDED_ALLOW_IPS (gunicorn reads it; default
# loopback). Set it to the load balancer's address so Django sees HTTPS requests as HTTPS.

# LOG_FORMAT=json: gunicorn's own messages as JSON lines too, and no text access log whatever
# GUNICORN_ACCESS_LOG says; Django writes the request line (inquiry/operations/middleware.py).
if os.environ.get("LOG_FORMAT", "plain").strip().lower() == "json":
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from inquiry.operations.logs import gunicorn_logconfig

    accesslog = None
    logconfig_dict = gunicorn_logconfig("json")

# Metrics with several workers: prometheus-client's multiprocess mode keeps each worker's values in files
# in one folder, which /metrics adds up. The folder is this instance's own and starts empty; a worker
# that exits is marked dead so its live-only values go. Set before the workers start (they inherit it).
if os.environ.get("METRICS_ENABLED", "").strip().lower() in {"1", "true", "yes", "on"}:
    import tempfile

    _own_metrics_dir = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if _own_metrics_dir:
        base = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - private mkdtemp folder
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="socsec-metrics-", dir=base)

    def on_starting(server):
        folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):  # values from a previous run of this instance
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))

    def child_exit(server, worker):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

    def on_exit(server):
        if _own_metrics_dir:
            import shutil

            shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
