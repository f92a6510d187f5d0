"""Error reporting to Sentry (sentry-sdk), only when SENTRY_DSN is set.

What a visitor typed must never leave the site: not the query string (search words, the guide's
answers), not form contents (feedback), not cookies or the session. The SDK is told not to send
personal data or local variables, and `scrub_event` removes whatever could still carry them, from
every event and every performance transaction, before it is sent.
"""

from urllib.parse import urlsplit, urlunsplit

REMOVED = "[removed]"
# Headers that name the visitor or carry their secrets.
PRIVATE_HEADERS = {"cookie", "authorization", "x-csrftoken", "x-forwarded-for", "x-real-ip", "referer", "forwarded"}


def init_sentry(dsn, *, environment, release=None, traces_sample_rate=0.0, **options):
    """Start the SDK with the site's privacy rules. `options` go to sentry_sdk.init (tests pass a transport)."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration()],
        # Collect nothing about the visitor: no user, cookies, query parameters, bodies, SQL values or
        # frame variables (a frame's variables can hold the request and its form).
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "url_query_params": {"mode": "off"},
            "http_bodies": [],
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        **options,
    )


def scrub_event(event, hint=None):
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("query_string", "data", "cookies", "env"):
            if key in request:
                request[key] = REMOVED
        if "url" in request:
            request["url"] = _without_query(request["url"])
        headers = request.get("headers")
        if isinstance(headers, dict):
            for name in list(headers):
                if name.lower() in PRIVATE_HEADERS:
                    headers[name] = REMOVED
    event.pop("user", None)
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, dict):
        for crumb in breadcrumbs.get("values") or []:
            scrub_breadcrumb(crumb)
    return event


def scrub_breadcrumb(crumb, hint=None):
    data = crumb.get("data")
    if isinstance(data, dict):
        for key in ("url", "http.query", "http.fragment"):
            if key in data and isinstance(data[key], str):
                data[key] = _without_query(data[key]) if key == "url" else REMOVED
        # SQL breadcrumbs: the statement is kept (it is the code's), the values it was run with are not.
        if "params" in data:
            data["params"] = REMOVED
    return crumb


def _without_query(url):
    try:
        parts = urlsplit(url)
    except ValueError:
        return REMOVED
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
