"""A page the page cache does not hold is built from its cached fragments (inquiry/core/fragments.py),
which an edit retires as it retires stored pages: at once, and only where the edited rows show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inquiry.cards.models import ProcedureStep
from inquiry.faq.models import Article
from tests.editorial.conftest import create_user

SEED = "accidentally-put-money-on-card"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]


@pytest.fixture
def fragments_only(settings):
    """Every page rendered (no page cache), from the cached fragments."""
    settings.SOCSEC_PAGE_CACHE = False
    settings.SOCSEC_FRAGMENT_CACHE = True


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    return len(captured)


def test_an_article_page_built_from_its_fragment_is_the_same_page_for_few_queries(client, fragments_only, settings):
    for url in (f"/en/faq/{SEED}/", f"/zh-hans/beijing/faq/{SEED}/", f"/large-text/en/faq/{SEED}/"):
        settings.SOCSEC_FRAGMENT_CACHE = False
        rendered = get(client, url)
        settings.SOCSEC_FRAGMENT_CACHE = True
        assert get(client, url) == rendered, url  # builds the fragment
        assert get(client, url) == rendered, url  # from the fragment
        # No query on a national page (the footer's list of regions is in the kept page shell); on a
        # regional page, the region with its values (RegionMiddleware).
        assert queries(client, url) == (1 if "/beijing/" in url else 0), url


def test_fragments_are_kept_per_language_region_and_text_size(client, fragments_only):
    get(client, f"/en/faq/{SEED}/")
    regional = get(client, f"/en/beijing/faq/{SEED}/")
    assert 'href="/en/beijing/card/' in regional
    assert 'href="/en/card/' not in regional
    large = get(client, f"/large-text/en/faq/{SEED}/")
    assert 'href="/large-text/en/card/' in large
    chinese = get(client, f"/zh-hans/faq/{SEED}/")
    assert '<html lang="zh-Hans"' in chinese


def test_an_edit_of_a_row_the_article_shows_shows_at_once(client, fragments_only):
    url = f"/en/faq/{SEED}/"
    seed = Article.objects.get(slug=SEED)
    step = ProcedureStep.objects.filter(procedure__in=seed.procedures.all()).first()
    related = seed.related.first()
    get(client, url)
    get(client, url)
    step.title_en = "A step, edited"
    step.save()  # a precise change: the tags of the rows shown retire the fragment
    assert "A step, edited" in get(client, url)
    related.title_en = "A related question, edited"
    related.save()
    assert "A related question, edited" in get(client, url)
    seed.title_en = "The seed, edited"
    seed.save()
    assert "The seed, edited" in get(client, url)


def test_an_unpublished_article_is_gone_at_once(client, fragments_only):
    url = f"/en/faq/{SEED}/"
    get(client, url)
    Article.objects.filter(slug=SEED).update(status=Article.Status.DRAFT)
    from inquiry.core.generation import content_changed

    content_changed()  # what every write without signals must say
    assert client.get(url).status_code == 404


def test_a_stored_page_built_from_a_fragment_is_retired_by_an_edit_of_what_it_shows(client):
    url = f"/en/faq/{SEED}/"
    # An address the page cache renders but does not store (junk in the query) leaves the fragment behind.
    get(client, f"{url}?utm_source=x")
    assert client.get(url)["X-Page-Cache"] == "miss"  # stored, built from the fragment
    assert client.get(url)["X-Page-Cache"] == "hit"
    seed = Article.objects.get(slug=SEED)
    step = ProcedureStep.objects.filter(procedure__in=seed.procedures.all()).first()
    step.title_en = "A step, edited"
    step.save()
    assert "A step, edited" in get(client, url)


def test_staff_previews_never_use_or_fill_the_fragments(client, fragments_only, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed = Article.objects.get(slug=SEED)
    seed.status = Article.Status.DRAFT
    seed.published_at = timezone.now()
    seed.save()
    from django.test import Client

    staff = Client()
    staff.force_login(create_user("pia-staff", superuser=True))
    assert "noindex" in get(staff, f"/en/faq/{SEED}/")
    assert client.get(f"/en/faq/{SEED}/").status_code == 404


FLOW = "what-happened-to-my-money"
OUTCOME = f"/guide/{FLOW}/result/deposit-not-activated/?money-source=deposited-myself&activated=no"
QUESTION = f"/guide/{FLOW}/activated/?money-source=deposited-myself"


def test_guide_pages_built_from_their_fragments_are_the_same_pages_for_few_queries(client, fragments_only, settings):
    for url in (f"/en{OUTCOME}", f"/zh-hans/beijing{OUTCOME}", f"/en/shanghai{OUTCOME}", f"/en{QUESTION}"):
        settings.SOCSEC_FRAGMENT_CACHE = False
        rendered = get(client, url)
        settings.SOCSEC_FRAGMENT_CACHE = True
        assert get(client, url) == rendered, url
        assert get(client, url) == rendered, url
        assert queries(client, url) == (1 if "/beijing/" in url or "/shanghai/" in url else 0), url


def test_an_edit_of_a_row_a_guide_page_shows_shows_at_once(client, fragments_only):
    from inquiry.guide.models import Outcome, Question

    outcome = Outcome.objects.get(flow__slug=FLOW, slug="deposit-not-activated")
    step = ProcedureStep.objects.filter(procedure__in=outcome.procedures.all()).first()
    get(client, f"/en{OUTCOME}")
    get(client, f"/en{QUESTION}")
    step.title_en = "A step, edited"
    step.save()
    assert "A step, edited" in get(client, f"/en{OUTCOME}")
    question = Question.objects.get(flow__slug=FLOW, slug="activated")
    question.prompt_en = "A question, edited"
    question.save()
    assert "A question, edited" in get(client, f"/en{QUESTION}")
    # The outcome's "your answers" list shows the question too (from the kept flow).
    assert "A question, edited" in get(client, f"/en{OUTCOME}")
    outcome.heading_en = "Not activated yet, edited"
    outcome.save()
    assert "Not activated yet, edited" in get(client, f"/en{OUTCOME}")


def test_the_kept_page_shell_names_each_page_in_the_region_chooser(client, fragments_only, settings):
    """The header, menu and footer are kept once per language, text size and region (chrome.py); the
    region chooser's `next` is each request's own address, escaped."""
    for url in ("/en/faq/", f"/en/faq/{SEED}/?x=<b>&y=1", f"/large-text/en/beijing/faq/{SEED}/"):
        settings.SOCSEC_FRAGMENT_CACHE = False
        rendered = get(client, url)
        settings.SOCSEC_FRAGMENT_CACHE = True
        assert get(client, url) == rendered, url
        assert get(client, url) == rendered, url
    assert 'name="next" value="/en/faq/"' in get(client, "/en/faq/")
    assert f'name="next" value="/en/faq/{SEED}/?x=%3Cb%3E&amp;y=1"' in get(client, f"/en/faq/{SEED}/?x=<b>&y=1")


def test_a_renamed_region_shows_in_the_kept_page_shell_at_once(client, fragments_only):
    from inquiry.places.models import Region

    assert "Beijing" in get(client, "/en/faq/")
    beijing = Region.objects.get(slug="beijing")
    beijing.name_en = "Beijing, renamed"
    beijing.save()  # regions are site-wide: every fragment is retired
    assert "Beijing, renamed" in get(client, "/en/faq/")
