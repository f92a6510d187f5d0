"""What search engines read of the guide: the sitemap lists the guide index, each published guide's
start page and each outcome at its shareable address; question pages are noindex with the start page
as canonical; an outcome page names its shareable address as canonical, whatever answers led there."""

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from inquiry.guide.engine import canonical_answers
from inquiry.guide.models import Flow, Outcome
from inquiry.guide.selectors import flow_graph
from tests.guide.flows import FOURTH, MAIN, SECOND, THIRD, make_flow
from tests.support.paths_through_guides import enumerate_paths

from .test_seo import NS, head

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]

LANGUAGES = ["zh-hans", "en"]
HOST = "http://testserver"


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.find("s:loc", NS).text: {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
        for url in root.findall("s:url", NS)
    }


def shareable_path(flow, outcome_slug, language):
    answers = canonical_answers(flow_graph(flow))[outcome_slug]
    query = "&".join(f"{question}={choice}" for question, choice in answers)
    return f"/{language}/guide/{flow.slug}/result/{outcome_slug}/?{query}"


def link_tags(html):
    """canonical, {hreflang: href} and the robots meta of a page's head, unescaped."""
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    robots = re.search(r'<meta name="robots" content="([^"]+)">', html)
    og_url = re.search(r'<meta property="og:url" content="([^"]+)">', html)
    return (
        unescape(canonical.group(1)) if canonical else None,
        {tag: unescape(href) for tag, href in alternates.items()},
        robots.group(1) if robots else None,
        unescape(og_url.group(1)) if og_url else None,
    )


# --- Sitemap ---------------------------------------------------------------------------------------


def test_sitemap_lists_the_guide_index_start_pages_and_outcomes_with_alternates(client):
    entries = sitemap_entries(client)
    flows = list(Flow.objects.published())
    assert {flow.slug for flow in flows} == {MAIN, SECOND, THIRD, FOURTH}
    for language in LANGUAGES:
        assert f"{HOST}/{language}/guide/" in entries
        for flow in flows:
            start = f"{HOST}/{language}/guide/{flow.slug}/"
            assert entries[start] == {
                "zh-hans": f"{HOST}/zh-hans/guide/{flow.slug}/",
                "en": f"{HOST}/en/guide/{flow.slug}/",
                "x-default": f"{HOST}/guide/{flow.slug}/",
            }
            for outcome in Outcome.objects.filter(flow=flow):
                loc = HOST + shareable_path(flow, outcome.slug, language)
                other = "en" if language == "zh-hans" else "zh-hans"
                assert entries[loc] == {
                    language: loc,
                    other: HOST + shareable_path(flow, outcome.slug, other),
                    "x-default": HOST + shareable_path(flow, outcome.slug, language).replace(f"/{language}/", "/", 1),
                }, loc
    guide_locs = [loc for loc in entries if "/guide/" in loc]
    outcomes = Outcome.objects.filter(flow__in=flows).count()
    # Index, start pages and outcomes, nothing else: no question page (they are noindex).
    assert len(guide_locs) == 2 * (1 + len(flows) + outcomes)
    assert all(loc.endswith("/guide/") or "/result/" in loc or loc.count("/") == 6 for loc in guide_locs)


def test_sitemap_xml_escapes_the_answers(client):
    body = client.get("/sitemap.xml").content.decode()
    assert "?money-source=deposited-myself&amp;activated=no</loc>" in body
    assert "&activated" not in body


def test_every_outcome_in_the_sitemap_renders_at_once_and_names_itself_canonical(client):
    # One language is enough: the other's addresses differ only in their prefix (checked above).
    for loc in sitemap_entries(client):
        if "/en/" not in loc or "/result/" not in loc:
            continue
        response = client.get(loc.removeprefix(HOST))
        assert response.status_code == 200, loc
        canonical, _alternates, robots, og_url = link_tags(head(response.content.decode()))
        assert canonical == loc == og_url
        assert robots is None


def test_sitemap_leaves_out_draft_and_scheduled_guides(client):
    Flow.objects.filter(slug=SECOND).update(status=Flow.Status.DRAFT)
    Flow.objects.filter(slug=MAIN).update(published_at=timezone.now() + timezone.timedelta(days=2))
    locs = list(sitemap_entries(client))
    assert not any(f"/guide/{MAIN}/" in loc or f"/guide/{SECOND}/" in loc for loc in locs)
    assert f"{HOST}/en/guide/" in locs


def test_sitemap_query_count_does_not_grow_with_guides(client, no_page_cache):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sitemap.xml").status_code == 200
        return len(captured)

    make_flow("sitemap-small", {"q1": [("a", "@o1"), ("b", "@o2")]}, ["o1", "o2"], "q1")
    few = queries()
    for index in range(3):
        size = 10
        make_flow(
            f"sitemap-large-{index}",
            {"q1": [(f"c{i}", f"q{i + 2}") for i in range(size)]}
            | {f"q{i + 2}": [("a", f"@o{i}"), ("b", f"@o{(i + 1) % size}")] for i in range(size)},
            [f"o{i}" for i in range(size)],
            "q1",
        )
    many = queries()
    assert few == many
    assert sum("/guide/sitemap-large-" in loc for loc in sitemap_entries(client)) == 3 * 2 * (1 + 10)


# --- Canonical links on the guide's pages -----------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_path_to_an_outcome_names_the_shareable_address_as_canonical(client, language):
    flow = Flow.objects.get(slug=MAIN)
    graph = flow_graph(flow)
    paths = [(path, outcome) for path, outcome in enumerate_paths(graph) if outcome == "check-activation"]
    assert len(paths) >= 2, "the test needs an outcome reached by several paths"
    canonical = HOST + shareable_path(flow, "check-activation", language)
    other = "en" if language == "zh-hans" else "zh-hans"
    for path, outcome in paths:
        query = "&".join(f"{question}={choice}" for question, choice in path)
        response = client.get(f"/{language}/guide/{MAIN}/result/{outcome}/?{query}")
        assert response.status_code == 200
        link, alternates, robots, og_url = link_tags(head(response.content.decode()))
        assert link == canonical == og_url
        assert alternates == {
            "zh-Hans" if language == "zh-hans" else "en": canonical,
            "en" if language == "zh-hans" else "zh-Hans": HOST + shareable_path(flow, "check-activation", other),
            "x-default": canonical.replace(f"/{language}/", "/", 1),
        }
        assert robots is None, "an outcome page may be indexed, under its canonical address"


def test_outcome_page_describes_itself_for_search_engines_and_sharing(client):
    outcome = Outcome.objects.get(flow__slug=MAIN, slug="deposit-not-activated")
    html = head(
        client.get(
            f"/en/guide/{MAIN}/result/deposit-not-activated/?money-source=deposited-myself&activated=no"
        ).content.decode()
    )
    assert f'<meta property="og:title" content="{escape(outcome.heading_en)}">' in html
    description = re.search(r'<meta name="description" content="([^"]+)">', html).group(1)
    assert unescape(description).startswith("Money you put on the card yourself goes to the card")
    assert "<" not in unescape(description) and "**" not in description and "\n" not in description
    assert len(unescape(description)) <= 160


def test_the_x_default_outcome_address_keeps_the_answers(client):
    response = client.get(
        f"/guide/{MAIN}/result/deposit-not-activated/?money-source=deposited-myself&activated=no",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"/en/guide/{MAIN}/result/deposit-not-activated/?money-source=deposited-myself&activated=no"
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "path",
    [
        "money-source/",
        "activated/?money-source=deposited-myself",
        "activated/answer/?money-source=deposited-myself",  # continuing without an answer: the 400 page
    ],
)
def test_question_pages_are_noindex_with_the_start_page_as_canonical(client, language, path):
    response = client.get(f"/{language}/guide/{MAIN}/{path}")
    assert response.status_code in (200, 400)
    canonical, alternates, robots, og_url = link_tags(head(response.content.decode()))
    assert robots == "noindex"
    assert canonical == og_url == f"{HOST}/{language}/guide/{MAIN}/"
    assert alternates == {
        "zh-Hans": f"{HOST}/zh-hans/guide/{MAIN}/",
        "en": f"{HOST}/en/guide/{MAIN}/",
        "x-default": f"{HOST}/guide/{MAIN}/",
    }


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["", f"{MAIN}/"])
def test_guide_index_and_start_pages_are_indexed_under_their_own_address(client, language, path):
    url = f"/{language}/guide/{path}"
    canonical, alternates, robots, _og_url = link_tags(head(client.get(url).content.decode()))
    assert canonical == HOST + url and robots is None
    assert alternates["x-default"] == f"{HOST}/guide/{path}"


@pytest.mark.parametrize(
    "url",
    [
        "/en/guide/",
        f"/en/guide/{MAIN}/",
        f"/zh-hans/guide/{MAIN}/money-source/",
        f"/zh-hans/guide/{MAIN}/result/deposit-not-activated/?money-source=deposited-myself&activated=no",
    ],
)
def test_guide_pages_carry_no_structured_data_and_no_script(client, url):
    """No schema.org type fits a guide step or outcome well enough (HowTo is not for advice on a case
    and is no longer shown by search engines), so none is invented: no JSON-LD, and no script but the
    site's own deferred file (larger text, Print and Copy link), with nothing inline."""
    html = client.get(url).content.decode()
    assert re.findall(r"<script\b[^>]*>", html) == ['<script src="/static/js/site.js" defer>']
    assert "application/ld+json" not in html
