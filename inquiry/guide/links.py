"""Addresses of guide pages: a question or outcome page with the answers that lead there.

An outcome's *shareable* address carries the shortest answers that reach it (`engine.canonical_answers`).
It renders at once (no redirect), so it is the address search results, the sitemap and the page's
canonical link use. `Outcome.get_absolute_url()` (no answers) also works, through a redirect to it.
"""

from urllib.parse import urlencode

from django.urls import reverse

from .engine import OUTCOME, QUESTION, Node


def page_url(flow_slug, node, answers=()):
    """The page of `node` in the active language, with `answers` as its query string."""
    name = "guide:question" if node.kind == QUESTION else "guide:outcome"
    url = reverse(name, kwargs={"flow_slug": flow_slug, f"{node.kind}_slug": node.slug})
    query = urlencode([tuple(answer) for answer in answers])
    return f"{url}?{query}" if query else url


def outcome_url(flow_slug, outcome_slug, answers):
    return page_url(flow_slug, Node(OUTCOME, outcome_slug), answers)
