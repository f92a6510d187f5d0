"""Compressed pages: brotli or gzip as the client accepts, stored compressed, never with a secret (BREACH)."""

import gzip

import brotli
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from inquiry.core.compression import accepted_encoding
from inquiry.core.generation import current_generation
from inquiry.core.page_cache import declared_query, page_key, variant_key
from inquiry.faq.models import Article

SEED = "accidentally-put-money-on-card"
SEED_URL = f"/en/faq/{SEED}/"
BROWSER = "gzip, deflate, br, zstd"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]


def decoded(response):
    encoding = response.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.content)
    if encoding == "gzip":
        return gzip.decompress(response.content)
    assert encoding is None
    return response.content


def vary(response):
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


def test_a_page_is_sent_in_the_encoding_the_client_accepts_and_plain_to_one_that_accepts_none(client):
    plain = client.get(SEED_URL)
    assert "Content-Encoding" not in plain
    assert b"<main" in plain.content
    assert "accept-encoding" in vary(plain)
    for header, encoding in [(BROWSER, "br"), ("gzip", "gzip"), ("br;q=0, gzip;q=0.5", "gzip"), ("*", "br")]:
        for attempt in ("stored", "hit"):
            response = client.get(SEED_URL, HTTP_ACCEPT_ENCODING=header)
            assert response["Content-Encoding"] == encoding, (header, attempt)
            assert response["X-Page-Cache"] == "hit"
            assert decoded(response) == plain.content
            assert int(response["Content-Length"]) == len(response.content) < len(plain.content) / 2
            assert "accept-encoding" in vary(response)
    for header in ("identity", "gzip;q=0, br;q=0", "deflate"):
        response = client.get(SEED_URL, HTTP_ACCEPT_ENCODING=header)
        assert "Content-Encoding" not in response, header
        assert response.content == plain.content


def test_the_first_render_is_sent_compressed_too(client):
    first = client.get(SEED_URL, HTTP_ACCEPT_ENCODING=BROWSER)
    assert first["X-Page-Cache"] == "miss"
    assert first["Content-Encoding"] == "br"
    assert b"<main" in decoded(first)


def test_the_cache_holds_the_compressed_bytes_a_hit_sends_without_sql(client):
    client.get(SEED_URL, HTTP_ACCEPT_ENCODING=BROWSER)
    with CaptureQueriesContext(connection) as queries:
        hit = client.get(SEED_URL, HTTP_ACCEPT_ENCODING=BROWSER)
    assert hit["X-Page-Cache"] == "hit" and len(queries) == 0
    request = RequestFactory().get(SEED_URL)
    request.LANGUAGE_CODE = "en"
    key = page_key(request, current_generation(), declared_query(request))
    stored = cache.get(variant_key(key, "br"))
    assert stored["body"] == hit.content
    assert ("Content-Encoding", "br") in stored["headers"]
    assert cache.get(variant_key(key, "gzip"))["body"][:2] == b"\x1f\x8b"  # gzip's magic number
    assert b"<main" in cache.get(variant_key(key, "identity"))["body"]


def test_each_encoding_has_its_own_etag_and_gets_its_own_304(client):
    etags = {}
    for header in (BROWSER, "gzip", "identity"):
        client.get(SEED_URL, HTTP_ACCEPT_ENCODING=header)
        etags[header] = client.get(SEED_URL, HTTP_ACCEPT_ENCODING=header)["ETag"]
    assert len(set(etags.values())) == 3
    for header, etag in etags.items():
        assert client.get(SEED_URL, HTTP_ACCEPT_ENCODING=header, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # A gzip copy does not validate the brotli bytes: the client gets the page.
    response = client.get(SEED_URL, HTTP_ACCEPT_ENCODING=BROWSER, HTTP_IF_NONE_MATCH=etags["gzip"])
    assert response.status_code == 200 and response["Content-Encoding"] == "br"


def test_pages_not_stored_are_compressed_on_the_way_out(client, settings):
    missing = client.get("/en/nowhere-at-all/", HTTP_ACCEPT_ENCODING="gzip")
    assert missing.status_code == 404
    assert missing["Content-Encoding"] == "gzip"
    assert b"<main" in decoded(missing)
    settings.SOCSEC_PAGE_CACHE = False
    response = client.get(SEED_URL, HTTP_ACCEPT_ENCODING=BROWSER)
    assert response["Content-Encoding"] == "br"
    assert "X-Page-Cache" not in response
    assert b"<main" in decoded(response)


def test_a_search_query_echoed_in_an_anonymous_page_is_compressed(client):
    """No secret on the page, so nothing for a chosen query to guess at."""
    response = client.get("/en/search/?q=card", HTTP_ACCEPT_ENCODING=BROWSER)
    assert response["Content-Encoding"] == "br"
    assert b"csrfmiddlewaretoken" not in decoded(response)


def test_a_page_with_a_csrf_token_is_never_compressed(client):
    """BREACH: the feedback form posts, so it holds a token; so does the same form sent back with errors."""
    article = Article.objects.get(slug=SEED)
    url = f"/en/feedback/faq/{article.pk}/"
    for _ in range(2):
        form = client.get(url, HTTP_ACCEPT_ENCODING=BROWSER)
        assert form.status_code == 200
        assert b"csrfmiddlewaretoken" in form.content
        assert "Content-Encoding" not in form
        assert "X-Page-Cache" not in form
    errors = client.post(url, {"helpful": "perhaps"}, HTTP_ACCEPT_ENCODING=BROWSER)
    assert errors.status_code == 400
    assert b"csrfmiddlewaretoken" in errors.content
    assert "Content-Encoding" not in errors


def test_the_admin_is_never_compressed(client, admin_user):
    login = client.get("/admin/login/", HTTP_ACCEPT_ENCODING=BROWSER)
    assert login.status_code == 200 and b"csrfmiddlewaretoken" in login.content
    assert "Content-Encoding" not in login
    client.force_login(admin_user)
    index = client.get("/admin/", HTTP_ACCEPT_ENCODING=BROWSER)
    assert index.status_code == 200
    assert "Content-Encoding" not in index


def test_pages_of_a_signed_in_user_are_never_compressed(client, admin_user):
    client.get(SEED_URL, HTTP_ACCEPT_ENCODING=BROWSER)  # stored, compressed, for anonymous visitors
    client.force_login(admin_user)
    response = client.get(SEED_URL, HTTP_ACCEPT_ENCODING=BROWSER)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert "Content-Encoding" not in response
    assert b"<main" in response.content


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "identity"),
        ("gzip", "gzip"),
        ("GZIP", "gzip"),
        ("br, gzip", "br"),
        ("gzip, br;q=0", "gzip"),
        ("gzip;q=0, br;q=0", "identity"),
        ("*;q=0", "identity"),
        ("*", "br"),
        ("gzip;q=junk, br", "br"),
        ("gzip;q=junk", "identity"),
        ("compress, deflate", "identity"),
    ],
)
def test_accept_encoding_is_read_with_its_weights(header, expected):
    assert accepted_encoding(RequestFactory().get("/", HTTP_ACCEPT_ENCODING=header)) == expected


def _through_the_page_cache(view):
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    from inquiry.core.page_cache import PageCacheMiddleware

    request = RequestFactory().get("/en/some-page/", HTTP_ACCEPT_ENCODING="gzip")
    request.session = SessionStore()
    return PageCacheMiddleware(lambda request: HttpResponse(view(request) * 50))(request)


def test_a_page_that_writes_to_the_session_is_not_compressed():
    def writes(request):
        request.session["answers"] = "yes"
        return "<p>your answers</p>"

    def reads(request):
        return f"<p>{request.session.get('answers', 'none')}</p>"

    assert "Content-Encoding" not in _through_the_page_cache(writes)
    assert _through_the_page_cache(reads)["Content-Encoding"] == "gzip"
