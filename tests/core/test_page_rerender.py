"""The background re-render (inquiry/core/rerender.py): after an edit is committed, the pages it retired
are rendered again and stored, so the next visitor gets a hit. The edit is really committed (the
re-render reads it from its own connection or worker), on the database the other tests of this process
share, so each test puts the article back as it was."""

import os

import pytest

from inquiry.core import rerender
from inquiry.faq.models import Article

from .test_page_invalidation import REGION, SEED, html, pages_of, status

pytestmark = pytest.mark.usefixtures("shipped_content")


@pytest.fixture
def visitor():
    from django.test import Client

    return Client()


@pytest.fixture
def committed_seed(django_db_blocker, settings):
    """The seed article, saved outside any test transaction (as the admin does); its title is put back
    afterwards, with no re-render, whatever the test did."""
    with django_db_blocker.unblock():
        seed = Article.objects.get(slug=SEED)
        original = seed.title_en
        try:
            yield seed
        finally:
            rerender.wait()
            settings.SOCSEC_RERENDER = "off"
            seed.refresh_from_db()
            seed.title_en = original
            seed.save()


def test_the_background_rerender_stores_the_edited_pages_in_process(committed_seed, visitor, settings):
    """Without Redis: a thread of the saving process renders the retired pages again after the commit."""
    settings.SOCSEC_RERENDER = "thread"
    for url in [*pages_of(SEED), "/en/faq/"]:
        html(visitor, url)
    committed_seed.title_en = "Rendered again in the background"
    committed_seed.save()
    rerender.wait()
    for url in [*pages_of(SEED), "/en/faq/"]:
        response = visitor.get(url)
        assert response["X-Page-Cache"] == "hit", url
        if url.startswith("/en/"):
            assert "Rendered again in the background" in response.content.decode(), url


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (django-rq)")
def test_the_background_rerender_runs_on_django_rq(committed_seed, visitor, settings):
    import django_rq
    from rq import SimpleWorker

    settings.SOCSEC_RERENDER = "rq"
    queue = django_rq.get_queue(settings.SOCSEC_RERENDER_QUEUE)
    queue.empty()
    for url in pages_of(SEED):
        html(visitor, url)
    committed_seed.title_en = "Rendered again by the rq worker"
    committed_seed.save()
    assert queue.count >= 1
    assert status(visitor, f"/en/{REGION}/faq/{SEED}/") == "miss"  # retired, and this visitor rendered it
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    for url in pages_of(SEED):
        response = visitor.get(url)
        assert response["X-Page-Cache"] == "hit", url
        if url.startswith("/en/"):
            assert "Rendered again by the rq worker" in response.content.decode(), url
