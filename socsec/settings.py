"""Settings for socsec, read from the environment.

A laptop needs nothing set: SQLite and a file cache in var/, DEBUG off unless asked for.
Production (DJANGO_ENV=production) refuses to start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", default=False)

_INSECURE_KEY = "django-insecure-socsec-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _INSECURE_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver")

if PRODUCTION:
    if not SECRET_KEY or SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_ENV=production needs SECRET_KEY set to a random value of 50+ characters.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ENV=production needs ALLOWED_HOSTS (comma-separated host names).")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


def _site_url(value):
    """SITE_URL as "scheme://host[:port]" (no path), or "" when unset."""
    from urllib.parse import urlsplit

    value = value.strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"SITE_URL must be a scheme and a host, like https://example.org (not {value!r}).")
    return f"{parts.scheme}://{parts.netloc}"


# The site's own address, for every absolute URL it writes (sitemap, robots.txt, canonical links,
# structured data, the guide's share link): never the request's Host header, which a client chooses.
# Production defaults to https:// and the first name in ALLOWED_HOSTS; set it when that is not the one.
# Elsewhere, without it, absolute URLs use the scheme and host of each request.
_first_host = next((host for host in ALLOWED_HOSTS if host and host[0] not in ".*"), "")
SITE_URL = _site_url(os.environ.get("SITE_URL", f"https://{_first_host}" if PRODUCTION and _first_host else ""))

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "inquiry.core",
    "inquiry.editorial",
    "inquiry.law",
    # Regions and their local values: above law (sources), below the content apps that name its keys.
    "inquiry.places",
    "inquiry.cards",
    "inquiry.faq",
    "inquiry.guide",
    "inquiry.search",
    "inquiry.feedback",
    "inquiry.operations",
    # The front door (home page, robots.txt): above the content apps, imported by nothing but the URLs.
    "inquiry.site",
    # The queue of the background re-render of pages an edit retired (inquiry/core/rerender.py).
    "django_rq",
    # Django's own form templates, found by the renderer below after ours.
    "django.forms",
]

MIDDLEWARE = [
    # Outermost: the request log line and metrics see every request (cached pages too); answers /metrics.
    "inquiry.operations.middleware.ObservabilityMiddleware",
    # Reads a request body the site did not, so the load balancer can reuse the connection (see there).
    "inquiry.core.middleware.UnreadBodyMiddleware",
    # Answers load balancers' /healthz probes (by IP, plain HTTP) before host checks and the HTTPS redirect.
    "inquiry.core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "inquiry.core.middleware.PermissionsPolicyMiddleware",
    "inquiry.core.middleware.SiteCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # /large-text/<lang>/… is the page at the larger text size (the choice kept in the address, never a cookie);
    # before the page cache, which keys on the whole path and reads the language from the rest.
    "inquiry.core.text_size.TextSizeMiddleware",
    # A cached page is answered here and skips everything below: inside the middleware above (so a hit
    # carries every security header, and a made-up session cookie is still dropped), before the rest,
    # which does not change a cached page. It works out the language as LocaleMiddleware will.
    "inquiry.core.page_cache.PageCacheMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "inquiry.core.middleware.DatabaseUnavailableMiddleware",
    # The region in the address (/zh-hans/beijing/…), before anything resolves a URL; cached pages skip it.
    "inquiry.places.middleware.RegionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Editorial admin: who made each change (history), old slugs answered with 301s, sign-in lockout.
    "simple_history.middleware.HistoryRequestMiddleware",
    "inquiry.core.middleware.SlugRedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "socsec.urls"
WSGI_APPLICATION = "socsec.wsgi.application"

# Widgets render through the project's templates, so templates/admin/widgets/ can fix Django's markup
# (the admin's date and time inputs get real labels).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "inquiry.core.context_processors.site",
                # After `site`: on a regional page, its canonical and x-default links (see there).
                "inquiry.places.context_processors.region",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL says otherwise.
VAR_DIR = Path(os.environ.get("SOCSEC_VAR_DIR", BASE_DIR / "var"))
# A fresh clone has no var/: SQLite cannot create its file in a folder that does not exist.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'socsec.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        # WAL lets readers and a writer work at once; the busy timeout waits for a lock instead of failing.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Each thread keeps its connection: a new SQLite connection reads the whole schema (~470 objects)
    # on its first statement, about 1.6 ms of CPU, which every uncached page paid again. The health
    # check replaces a connection that broke.
    _db["CONN_MAX_AGE"] = None
    _db["CONN_HEALTH_CHECKS"] = True
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool (Django >= 5.1): the dict goes to psycopg_pool.ConnectionPool. The pool replaces
    # persistent connections, so CONN_MAX_AGE must stay 0. Each gunicorn thread holds at most one
    # connection, so max_size >= GUNICORN_THREADS means nobody waits; `timeout` is then only how long a
    # request waits for an unreachable database before the 503 page.
    _db["CONN_MAX_AGE"] = 0
    # The pool checks a connection before lending it, so a database restart costs no failed request.
    _db["CONN_HEALTH_CHECKS"] = True
    _db["OPTIONS"] = {
        "pool": {
            "min_size": int(os.environ.get("DB_POOL_MIN", "1")),
            "max_size": int(os.environ.get("DB_POOL_MAX", "10")),
            "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "3")),
        },
        "connect_timeout": int(os.environ.get("DB_CONNECT_TIMEOUT", "3")),
    }
if os.environ.get("TEST_DATABASE_NAME"):
    _db["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every server: the page cache lives there), through a
# subclass of Django's RedisCache that treats an unreachable Redis as a miss. Without Redis, a file cache
# in var/: unlike local memory it is shared by all gunicorn workers on the machine, so an edit retires
# cached pages in every worker at once.
#
# Two aliases. "default" holds what may be evicted at any time (pages; Redis as an LRU cache). "state"
# holds the few small values that eviction must never reset: the content generation (an evicted one
# would serve pages of a past generation), the feedback rate limits and the search log's daily counts.
# In production it is a Redis that never evicts (REDIS_STATE_URL: compose runs a second Redis with
# `maxmemory-policy noeviction`; a second database of the same server is not enough, eviction is per
# server). Without REDIS_STATE_URL it shares REDIS_URL under its own key prefix.
REDIS_URL = os.environ.get("REDIS_URL")
REDIS_STATE_URL = os.environ.get("REDIS_STATE_URL") or REDIS_URL
# Under pytest-xdist each test worker (gw0, gw1, ...) has a cache of its own: the tests clear the cache
# before each test, which would otherwise wipe the other worker's keys (the page generation among them).
_TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_WORKER_SUFFIX = f"-{_TEST_WORKER}" if _TEST_WORKER else ""
_CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "socsec") + _WORKER_SUFFIX
if REDIS_URL:
    _REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry_after": 5}
    CACHES = {
        "default": {
            "BACKEND": "inquiry.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _CACHE_KEY_PREFIX,
            "TIMEOUT": 60 * 60 * 24,
            "OPTIONS": _REDIS_OPTIONS,
        },
        "state": {
            "BACKEND": "inquiry.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_STATE_URL,
            "KEY_PREFIX": f"{_CACHE_KEY_PREFIX}-state",
            "TIMEOUT": 60 * 60 * 24,
            "OPTIONS": _REDIS_OPTIONS,
        },
    }
else:
    _CACHE_DIR = os.environ.get("CACHE_DIR", str(VAR_DIR / "cache"))
    CACHES = {
        "default": {
            # Django's file cache, culled as it culls, but counting its files on one write in 100
            # rather than on every one (inquiry/core/file_cache.py).
            "BACKEND": "inquiry.core.file_cache.FileCache",
            "LOCATION": _CACHE_DIR + _WORKER_SUFFIX,
            "TIMEOUT": 60 * 60 * 24,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # A folder of its own, never culled (the file cache culls a third of its entries when full).
        "state": {
            "BACKEND": "inquiry.core.file_cache.FileCache",
            "LOCATION": _CACHE_DIR + "-state" + _WORKER_SUFFIX,
            "TIMEOUT": 60 * 60 * 24,
            "OPTIONS": {"MAX_ENTRIES": 10**9},
        },
    }
STATE_CACHE = "state"

# Whole-page cache for anonymous visitors (inquiry/core/page_cache.py).
SOCSEC_PAGE_CACHE = env_bool("SOCSEC_PAGE_CACHE", default=True)
SOCSEC_PAGE_CACHE_SECONDS = int(os.environ.get("SOCSEC_PAGE_CACHE_SECONDS", str(60 * 60 * 24)))
# Rendered parts of pages (an FAQ article, a guide outcome) kept in the same cache, valid as stored pages
# are (inquiry/core/fragments.py): a page the page cache does not hold is built from them.
SOCSEC_FRAGMENT_CACHE = env_bool("SOCSEC_FRAGMENT_CACHE", default=True)
# An edit retires only the stored pages that show what it changed, unless it may change which rows a
# page lists (inquiry/core/generation.py). Rows of these models are read without loading them as
# objects, or show on every page: any change of them retires every page.
SOCSEC_SITE_WIDE_MODELS = [
    "places.Region",
    "places.LocalValue",
    "law.Source",
    "search.SynonymGroup",
    "search.Recommendation",
]
# Off (0): every edit retires every page, as before the precise changes (for the comparison in bench/edits.py).
SOCSEC_PRECISE_CHANGES = env_bool("SOCSEC_PRECISE_CHANGES", default=True)
# Where the retired pages are rendered again (inquiry/core/rerender.py): "rq" (a django-rq worker; the
# default with REDIS_URL), "thread" (in the process that saved; the default without), "sync", "off".
SOCSEC_RERENDER = os.environ.get("SOCSEC_RERENDER", "")
SOCSEC_RERENDER_QUEUE = f"{_CACHE_KEY_PREFIX}-pages"
# The queue is watched with `manage.py rqstats`; the admin shows no link to django-rq's pages (not routed).
RQ_SHOW_ADMIN_LINK = False
if REDIS_URL:
    # In the Redis that never evicts (a queued job must not be evicted like a page).
    RQ_QUEUES = {SOCSEC_RERENDER_QUEUE: {"URL": REDIS_STATE_URL, "DEFAULT_TIMEOUT": 600}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in: django-axes locks a username after repeated failed sign-ins (see README, "Editorial roles").
# Lockout is by username, not IP address: behind a load balancer every visitor shares one address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
# Minutes a locked-out username waits; 0 keeps it locked until `manage.py unlock_admin` clears it.
_cooloff_minutes = int(os.environ.get("AXES_COOLOFF_MINUTES", "30"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=_cooloff_minutes) if _cooloff_minutes > 0 else None
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns when the IP address is not a lockout parameter; by username is deliberate (see above).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "editorial/lockout.html"
AXES_VERBOSE = False
# Staff sessions end after this much inactivity; every request starts the clock again.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(2 * 60 * 60)))
SESSION_SAVE_EVERY_REQUEST = True

# Languages: Chinese first. Public URLs carry the language prefix.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "zh-hans"
MODELTRANSLATION_LANGUAGES = ("zh-hans", "en")
# An English page with a missing English text shows the Chinese rather than nothing.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("zh-hans",), "zh-hans": ()}
# The admin names a translated field's language by its own name ("标题 (中文)", "Title (English)"), as the
# language switcher does, not by its code ("[zh-hans]"). Called lazily, when the label is shown.
_LANGUAGE_OWN_NAMES = {"zh-hans": "中文", "en": "English"}


def _localized_verbose_name(verbose_name, language):
    return f"{verbose_name} ({_LANGUAGE_OWN_NAMES.get(language, language)})"


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = _localized_verbose_name

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SOCSEC_SITE_NAME = _("Social Security Card Help")
# Content older than this many months is listed as due for review in the admin.
SOCSEC_REVIEW_AFTER_MONTHS = int(os.environ.get("SOCSEC_REVIEW_AFTER_MONTHS", "12"))
# How many proxies (load balancers) stand in front of the site and add to X-Forwarded-For; 0 means the
# visitor connects directly. Used to tell visitors apart for the feedback rate limit (never stored).
SOCSEC_TRUSTED_PROXY_COUNT = int(os.environ.get("SOCSEC_TRUSTED_PROXY_COUNT", "0"))

# Outside production, WhiteNoise serves straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# --- Security headers and cookies ---------------------------------------------------------------
# The same headers everywhere (so tests and a laptop see what production sends); the HTTPS-only ones in
# production. `manage.py check --deploy` is clean with DJANGO_ENV=production (tests/core/test_security.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: the site has no JavaScript of its own
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SOCSEC_PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "browsing-topics",
    )
)

if PRODUCTION:
    # TLS ends at the load balancer, which sends X-Forwarded-Proto; gunicorn trusts it from the
    # addresses in FORWARDED_ALLOW_IPS (see socsec/gunicorn.conf.py), so Django sees HTTPS requests.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Content-Security-Policy (django-csp 4): nothing inline, nothing from elsewhere. Bootstrap's CSS draws
# a few icons as data: SVG images. No nonces, so cached pages stay valid for every visitor.
from csp.constants import NONE, SELF  # noqa: E402 - kept next to the policy it builds

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
# The admin's own templates (and its add-ons) need a little more; these apply under /admin/ only.
# Django's admin needs nothing. django-simple-history's history list has one inline style attribute
# (`style="border-top: 0"`): allowed by its hash, nothing else inline.
SOCSEC_ADMIN_PATH_PREFIX = "/admin/"
SOCSEC_CSP_ADMIN_ALLOWANCES = {
    "style-src-attr": ["'unsafe-hashes'", "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
}

# --- Serving ---------------------------------------------------------------------------------------
# bench/http.py measures against /bench/baseline, mounted only when this is set.
SOCSEC_BENCH_VIEWS = env_bool("SOCSEC_BENCH_VIEWS", default=False)

# --- Operations: logs, error reporting, metrics (see docs/operations.md) ----------------------------
from inquiry.operations.logs import logging_config  # noqa: E402 - kept next to the settings it builds

# plain: one text line per record; json: one JSON object per line (python-json-logger). Either way the
# request line (one per request) comes from Django (inquiry/operations/middleware.py), and gunicorn's
# access log is off (gunicorn.conf.py): one line per request, not two. SOCSEC_REQUEST_LOG=off drops it
# (when the load balancer's log is the one kept).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json.")
# The request lines are written in batches, at most this many seconds after the first of them (0: each
# at once): a write per request cost the bare view several percent more CPU (inquiry/operations/logs.py).
REQUEST_LOG_FLUSH_SECONDS = float(os.environ.get("SOCSEC_REQUEST_LOG_FLUSH_SECONDS", "1"))
LOGGING = logging_config(LOG_FORMAT, os.environ.get("LOG_LEVEL", "INFO"), REQUEST_LOG_FLUSH_SECONDS)
SOCSEC_REQUEST_LOG = env_bool("SOCSEC_REQUEST_LOG", default=True)

# Sentry: off unless SENTRY_DSN is set. No query strings, form contents, cookies or personal data are
# sent (inquiry/operations/errors.py).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    from inquiry.operations.errors import init_sentry  # noqa: E402

    init_sentry(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", DJANGO_ENV),
        release=os.environ.get("SOCSEC_RELEASE", ""),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Prometheus metrics at /metrics: off by default; only the listed addresses or networks may read them
# (everyone else gets 404). With several gunicorn workers, gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR.
METRICS_ENABLED = env_bool("METRICS_ENABLED", default=False)
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
