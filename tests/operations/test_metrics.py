"""/metrics: off by default, only for the listed addresses, and its counters follow the site's traffic."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from inquiry.operations.metrics import REGISTRY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]

ARTICLE = "/en/faq/accidentally-put-money-on-card/"


def value(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_ENABLED = True
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1", "10.1.0.0/16"]


def test_off_by_default_even_for_allowed_addresses(client, settings):
    assert settings.METRICS_ENABLED is False
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 404
    assert b"socsec_" not in response.content


@pytest.mark.parametrize(
    ("address", "status"),
    [("127.0.0.1", 200), ("10.1.200.3", 200), ("10.2.0.1", 404), ("203.0.113.7", 404), ("::1", 404)],
)
def test_only_listed_addresses_and_networks_may_read_it(client, metrics_on, address, status):
    response = client.get("/metrics", REMOTE_ADDR=address)
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("text/plain")
        assert response["Cache-Control"] == "no-store"
    else:
        assert b"socsec_" not in response.content


def test_a_forwarded_for_header_does_not_let_a_stranger_in(client, metrics_on):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 404


def test_answered_by_address_over_plain_http_like_a_scraper_calls_it(client, metrics_on, settings):
    # Prometheus scrapes http://10.1.0.5:8000/metrics: neither an allowed host name nor HTTPS.
    settings.ALLOWED_HOSTS = ["shebaoka.example.gov.cn"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/metrics", REMOTE_ADDR="10.1.0.9", HTTP_HOST="10.1.0.5:8000")
    assert response.status_code == 200


def test_counters_follow_requests_statuses_latency_and_the_page_cache(client, metrics_on):
    view = "faq:article_detail"
    requests_before = value("socsec_http_requests_total", view=view, method="GET", status="200")
    latency_before = value("socsec_http_request_duration_seconds_count", view=view)
    misses_before = value("socsec_page_cache_requests_total", result="miss")
    hits_before = value("socsec_page_cache_requests_total", result="hit")
    not_found_before = value("socsec_http_requests_total", view="none", method="GET", status="404")

    assert client.get(ARTICLE).status_code == 200  # rendered and stored
    assert client.get(ARTICLE).status_code == 200  # from the page cache
    assert client.get(ARTICLE).status_code == 200
    assert client.get("/en/no-such-page/").status_code == 404

    assert value("socsec_http_requests_total", view=view, method="GET", status="200") == requests_before + 3
    assert value("socsec_http_request_duration_seconds_count", view=view) == latency_before + 3
    assert value("socsec_page_cache_requests_total", result="miss") == misses_before + 1
    assert value("socsec_page_cache_requests_total", result="hit") == hits_before + 2
    # Unknown paths share one label: a scanner cannot create a time series per path it tries.
    assert value("socsec_http_requests_total", view="none", method="GET", status="404") == not_found_before + 1

    # And the endpoint shows them, in Prometheus' text format.
    text = client.get("/metrics").content.decode()
    families = {family.name: family for family in text_string_to_metric_families(text)}
    assert {
        "socsec_http_requests",
        "socsec_http_request_duration_seconds",
        "socsec_page_cache_requests",
    } <= families.keys()
    samples = [s for s in families["socsec_http_requests"].samples if s.labels.get("view") == view]
    assert sum(s.value for s in samples if s.labels["status"] == "200") >= 3


def test_nothing_is_counted_while_metrics_are_off(client):
    view = "faq:article_detail"
    before = value("socsec_http_requests_total", view=view, method="GET", status="200")
    client.get(ARTICLE)
    assert value("socsec_http_requests_total", view=view, method="GET", status="200") == before


def test_a_mistyped_allowed_address_is_reported_at_start(settings):
    from django.core.checks import run_checks

    settings.METRICS_ALLOWED_IPS = ["127.0.0.1", "10.0.0.0/33"]
    assert [error.id for error in run_checks(tags=["operations"])] == ["operations.E001"]
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1", "10.0.0.0/8"]
    assert run_checks(tags=["operations"]) == []
