"""compose.yaml, deploy/ and the environment example, checked without a container engine.

The file is parsed as compose reads it (YAML, anchors and merge keys) and held to what the site needs:
every service built or pinned, configured, health-checked, with its data in volumes; every variable it
or the example names is one the site reads, and every variable the site reads is in the example.
`make cluster` runs the same topology with real processes (bench/cluster.py).
"""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import gunicorn.config
import pytest
import yaml

from tests.support.paths import REPO

COMPOSE = REPO / "compose.yaml"
ENV_EXAMPLE = REPO / "deploy" / "socsec.env.example"
NGINX_CONF = REPO / "deploy" / "nginx.conf"
NGINX_PROXY = REPO / "deploy" / "nginx-proxy.conf"
NGINX_HTTP = REPO / "deploy" / "nginx-http.conf"
PROMETHEUS = REPO / "deploy" / "prometheus.yml"
RUNBOOK = REPO / "docs" / "operations.md"
APP_SERVICES = ("app", "migrate")
# Compose-level variables (from the operator's .env) that configure an image other than ours.
COMPOSE_ONLY = {"POSTGRES_PASSWORD"}
INTERPOLATION = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?:[:?-][^}]*)?\}")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text())


def services(compose):
    return compose["services"]


def read_variables(path):
    """Names of the environment variables a Python file reads: os.environ.get/[...]/getenv, env_* helpers."""
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            target = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
            if (called == "get" and target == "os.environ") or called in {"getenv", "env_bool", "env_list", "_int"}:
                names.add(node.args[0].value)
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(node.slice.value)
    return {name for name in names if isinstance(name, str)}


def site_variables():
    return read_variables(REPO / "socsec" / "settings.py")


def server_variables():
    names = read_variables(REPO / "socsec" / "gunicorn.conf.py")
    # gunicorn reads FORWARDED_ALLOW_IPS itself (its default for forwarded_allow_ips).
    if "FORWARDED_ALLOW_IPS" in Path(gunicorn.config.__file__).read_text():
        names.add("FORWARDED_ALLOW_IPS")
    return names


def example_variables():
    """Every KEY=value line, set or commented out (a commented line documents a default)."""
    active, documented = {}, set()
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.fullmatch(r"(#\s*)?([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            documented.add(match.group(2))
            if not match.group(1):
                active[match.group(2)] = match.group(3)
    return active, documented


def test_every_service_is_built_or_pinned_and_health_checked(compose):
    assert set(services(compose)) == {"migrate", "app", "worker", "db", "redis", "redis-state", "nginx", "prometheus"}
    for name, service in services(compose).items():
        if "build" in service:
            assert (REPO / service["build"]["context"] / "Dockerfile").exists()
            assert "SOCSEC_RELEASE" in service["build"]["args"]  # names the release in page-cache keys
        else:
            image = service["image"]
            assert ":" in image and not image.endswith(":latest"), f"{name}: pin the image's version"
        check = service.get("healthcheck")
        assert check, f"{name} has no health check"
        if check.get("disable"):
            # Only a one-off command may go without one; what needs it waits for it to complete.
            assert service["restart"] == "no" and name == "migrate"
            continue
        assert check["test"][0] in {"CMD", "CMD-SHELL"} and len(check["test"]) > 1
        assert {"interval", "timeout", "retries"} <= check.keys()


def test_the_app_is_the_image_from_the_dockerfile_and_starts_after_migrate(compose):
    app = services(compose)["app"]
    assert app["build"]["context"] == "."
    assert services(compose)["migrate"]["image"] == app["image"]
    assert services(compose)["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert app["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services(compose)["nginx"]["depends_on"]["app"]["condition"] == "service_healthy"
    # The app's health check asks /healthz on the port gunicorn binds (the Dockerfile's PORT).
    assert "8000/healthz" in " ".join(app["healthcheck"]["test"])
    # gunicorn binds all addresses of its container only, on the internal network; nothing publishes 8000.
    assert app["environment"]["GUNICORN_BIND"] == "0.0.0.0:8000"
    assert "expose" not in app and "ports" not in app
    assert "ENV" in (REPO / "Dockerfile").read_text() and "PORT=8000" in (REPO / "Dockerfile").read_text()
    assert app["stop_grace_period"]  # requests in flight finish on a rolling restart


def test_environment_points_the_app_at_the_services(compose):
    environment = services(compose)["app"]["environment"]
    assert environment["DJANGO_ENV"] == "production"
    assert re.fullmatch(r"postgres://socsec:\$\{POSTGRES_PASSWORD[^}]*\}@db:5432/socsec", environment["DATABASE_URL"])
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    db = services(compose)["db"]["environment"]
    assert db["POSTGRES_DB"] == "socsec" and db["POSTGRES_USER"] == "socsec"
    assert db["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")  # no default password
    for name in APP_SERVICES:
        assert services(compose)[name]["env_file"] == "deploy/socsec.env"
    assert (REPO / "deploy" / "socsec.env.example").exists()
    assert "deploy/socsec.env" in (REPO / ".gitignore").read_text()  # the real one holds secrets


def test_data_lives_in_volumes_and_every_mounted_file_ships(compose):
    declared = set(compose["volumes"])
    used = set()
    for name, service in services(compose).items():
        for volume in service.get("volumes", []):
            source, target = volume.split(":")[:2]
            if source.startswith("."):
                assert (REPO / source).exists(), f"{name} mounts {source}, which is not in the repository"
            else:
                assert source in declared, f"{name} uses undeclared volume {source}"
                used.add(source)
    assert used == declared
    volumes = {name: service.get("volumes", []) for name, service in services(compose).items()}
    assert "pgdata:/var/lib/postgresql/data" in volumes["db"]
    assert "redisdata:/data" in volumes["redis"]
    assert "backups:/app/var/backups" in volumes["app"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in volumes["nginx"]
    assert "./deploy/nginx-proxy.conf:/etc/nginx/socsec-proxy.conf:ro" in volumes["nginx"]
    assert "./deploy/nginx-http.conf:/etc/nginx/socsec-http.conf:ro" in volumes["nginx"]
    assert "./deploy/acme:/var/www/acme:ro" in volumes["nginx"]
    assert "redisstate:/data" in volumes["redis-state"]
    # The image has the backups folder, owned by its unprivileged user (a new volume copies that).
    assert "mkdir -p /app/var/backups" in (REPO / "Dockerfile").read_text()
    # Only nginx is reachable from outside.
    assert [name for name, service in services(compose).items() if service.get("ports")] == ["nginx"]


def test_every_variable_named_is_read_and_every_variable_read_is_in_the_example(compose):
    read = site_variables() | server_variables()
    active, documented = example_variables()
    named = set(documented)
    for name in APP_SERVICES:
        service = services(compose)[name]
        named |= set(service["environment"])
        for value in [*service["environment"].values(), *service["build"]["args"].values(), service["image"]]:
            named |= set(INTERPOLATION.findall(str(value))) - COMPOSE_ONLY
    assert named - read == set(), "named in compose.yaml or the example but read by nothing"
    missing = (site_variables() | read_variables(REPO / "socsec" / "gunicorn.conf.py")) - documented
    assert missing == set(), "read by socsec/settings.py or gunicorn.conf.py but not in deploy/socsec.env.example"
    assert set(INTERPOLATION.findall(COMPOSE.read_text())) >= COMPOSE_ONLY


def test_the_example_is_safe_and_would_start_in_production():
    active, _documented = example_variables()
    assert active["DJANGO_ENV"] == "production"
    assert len(active["SECRET_KEY"]) >= 50 and "replace-me" in active["SECRET_KEY"]  # no usable secret
    assert active["ALLOWED_HOSTS"].endswith(".example.gov.cn")
    assert "DEBUG" not in active
    assert active["METRICS_ENABLED"] == "false"
    assert "SENTRY_DSN" not in active
    result = subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv").exists() else "python",
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.PRODUCTION, settings.LOG_FORMAT, settings.METRICS_ENABLED)",
        ],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "socsec.settings", **active},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["True", "json", "False"]


def test_nginx_balances_the_app_service_and_hides_metrics(compose):
    conf = NGINX_CONF.read_text()
    # The app's name is looked up again at run time (a variable upstream and Docker's resolver), never
    # once at start: a release's new containers have new addresses.
    assert re.search(r"^resolver 127\.0\.0\.11 valid=\d+s", conf, re.M)
    assert not re.search(r"^\s*upstream ", conf, re.M)
    assert conf.count("set $socsec_upstream http://app:8000;") == 2
    assert "include /etc/nginx/socsec-proxy.conf;" in conf
    assert "include /etc/nginx/socsec-http.conf;" in conf
    proxy = NGINX_PROXY.read_text()
    assert re.search(r"location = /metrics \{\s*return 404;", proxy)
    assert "proxy_pass http://" not in proxy + conf
    assert proxy.count("proxy_pass $socsec_upstream;") == 3
    assert "$query_string" not in conf and "$request " not in conf and "$remote_addr" not in conf
    # `make cluster` runs nginx with these same rules (the live proof of this topology).
    cluster = (REPO / "bench" / "cluster.py").read_text()
    assert 'support.REPO / "deploy" / "nginx-proxy.conf"' in cluster and "include {proxy_rules};" in cluster
    assert 'support.REPO / "deploy" / "nginx-http.conf"' in cluster and "include {http_rules};" in cluster


def test_nginx_limits_search_and_feedback_and_names_no_version():
    http = NGINX_HTTP.read_text()
    assert re.search(r"^server_tokens off;", http, re.M)
    zones = dict(re.findall(r"limit_req_zone \$binary_remote_addr zone=(\w+):\d+m rate=(\d+r/[sm]);", http))
    assert set(zones) == {"socsec_search", "socsec_feedback"}
    assert "limit_req_status 429;" in http
    proxy = NGINX_PROXY.read_text()
    for page, zone in (("search", "socsec_search"), ("feedback", "socsec_feedback")):
        block = re.search(r"location ~ \^/\[\^/\]\+/" + page + r"/ \{(.*?)\}", proxy, re.S)
        assert block and f"limit_req zone={zone} " in block.group(1)


def test_the_release_is_named_by_the_code_unless_exported(compose):
    """No fixed default: with Redis kept, two releases named alike would serve each other's pages."""
    app = services(compose)["app"]
    assert app["build"]["args"]["SOCSEC_RELEASE"] == "${SOCSEC_RELEASE:-}"
    assert "SOCSEC_RELEASE" not in app["environment"]
    assert "dev" not in COMPOSE.read_text().split("SOCSEC_RELEASE", 1)[1].split("\n", 1)[0]
    assert "ENV SOCSEC_RELEASE=${SOCSEC_RELEASE}" in (REPO / "Dockerfile").read_text()


def test_gunicorn_listens_on_loopback_unless_told_and_the_image_publishes_nothing():
    env = {key: value for key, value in os.environ.items() if key not in ("GUNICORN_BIND", "PORT")}
    result = subprocess.run(
        [sys.executable, "-c", "import runpy; print(runpy.run_path('socsec/gunicorn.conf.py')['bind'])"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "127.0.0.1:8000", result.stderr
    assert not re.search(r"^EXPOSE", (REPO / "Dockerfile").read_text(), re.M)
    assert "never faces the internet" in RUNBOOK.read_text()


def test_every_service_logs_with_rotation_and_runs_hardened(compose):
    for name, service in services(compose).items():
        logging = service["logging"]
        assert logging["driver"] == "json-file" and {"max-size", "max-file"} <= logging["options"].keys(), name
        assert "no-new-privileges:true" in service["security_opt"], name
    for name in ("app", "migrate", "nginx", "prometheus"):
        service = services(compose)[name]
        assert service["read_only"] is True and service["cap_drop"] == ["ALL"], name
    assert "cap_add" not in services(compose)["app"]
    state = services(compose)["redis-state"]["command"]
    assert state[state.index("--maxmemory-policy") + 1] == "noeviction"
    assert services(compose)["app"]["environment"]["REDIS_STATE_URL"] == "redis://redis-state:6379/0"


def test_prometheus_runs_under_a_profile_and_scrapes_every_instance(compose):
    prometheus = services(compose)["prometheus"]
    assert prometheus["profiles"] == ["metrics"]
    assert "./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in prometheus["volumes"]
    config = yaml.safe_load(PROMETHEUS.read_text())
    (job,) = config["scrape_configs"]
    assert job["metrics_path"] == "/metrics"
    (discovery,) = job["dns_sd_configs"]
    assert discovery["names"] == ["app"] and discovery["type"] == "A" and discovery["port"] == 8000
    # The instances answer it: metrics on, for the internal network Prometheus is on.
    environment = services(compose)["app"]["environment"]
    assert environment["METRICS_ENABLED"] == "true"
    subnet = compose["networks"]["internal"]["ipam"]["config"][0]["subnet"]
    assert environment["METRICS_ALLOWED_IPS"] == subnet
    assert "internal" in prometheus["networks"]


def test_the_runbook_release_steps_are_the_cluster_s():
    runbook = RUNBOOK.read_text()
    steps = runbook.split("## Releasing", 1)[1].split("\n## ", 1)[0]
    for command in (
        "backup_content",
        "check --deploy",
        "run --rm migrate",
        "manage.py load_content",
        "up -d --no-deps app",
    ):
        assert command in steps, command
    cluster = (REPO / "bench" / "cluster.py").read_text()
    for command in ('"backup_content"', '"check", "--deploy"', '"migrate"', '"load_content"'):
        assert command in cluster.split("def release", 1)[1], command
    assert "shared/content/" in runbook and "social_insurance_law.json" in runbook  # where the laws come from
    assert "certbot" in runbook and "nginx -s reload" in runbook
    assert re.search(r"pg_dump .*\brsync\b", runbook)


@pytest.mark.skipif(not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()), reason="needs nginx")
@pytest.mark.skipif(not shutil.which("openssl"), reason="needs openssl for a throwaway certificate")
def test_nginx_accepts_the_shipped_configuration(tmp_path):
    """`nginx -t` on deploy/nginx.conf as compose mounts it, with paths moved into a temporary folder."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    tls = tmp_path / "tls"
    tls.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(tls / "privkey.pem"), "-out", str(tls / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (
        NGINX_CONF.read_text()
        .replace("/etc/nginx/tls/", f"{tls}/")
        .replace("/etc/nginx/socsec-proxy.conf", str(NGINX_PROXY))
        .replace("/etc/nginx/socsec-http.conf", str(NGINX_HTTP))
        .replace("/var/www/acme", f"{tmp_path}/acme")
        .replace("/var/log/nginx/", f"{tmp_path}/")
    )
    (tmp_path / "default.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
        f"fastcgi_temp_path {tmp_path}/f; uwsgi_temp_path {tmp_path}/u; scgi_temp_path {tmp_path}/s;\n"
        f"include {tmp_path}/default.conf; }}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
