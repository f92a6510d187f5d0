"""XSS payloads saved through every text field in the admin leave no executable markup on any public page."""

import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from inquiry.cards.models import Account, AccountState, Procedure
from inquiry.core.plain_text import markdown_marks
from inquiry.faq.models import Article
from inquiry.guide.engine import canonical_answers
from inquiry.guide.models import Flow, Outcome, Question
from inquiry.guide.selectors import flow_graph
from inquiry.law.models import Law, LawArticle
from tests.guide.flows import MAIN
from tests.support.html_safety import executable_markup
from tests.support.paths_through_guides import enumerate_paths

from .conftest import SEED, form_data, in_english
from .xss_payloads import PAYLOADS, SHORT_PAYLOADS

pytestmark = pytest.mark.usefixtures("shipped_content")

TRANSLATED = re.compile(r"^(?:[\w]+-\d+-)?\w+_(?:zh_hans|en)$")
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}


def max_lengths(html):
    return {
        name: int(length)
        for name, length in re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?maxlength="(\d+)"', html)
        + [(n, m) for m, n in re.findall(r'<input[^>]*?maxlength="(\d+)"[^>]*?name="([^"]+)"', html)]
    }


def markdown_names(html):
    """The names of the Markdown text areas on an admin page (the others are printed as plain text)."""
    return {
        re.search(r'name="([^"]+)"', tag).group(1)
        for tag in re.findall(r"<textarea[^>]*>", html)
        if "data-markdown-preview" in tag and 'name="' in tag
    }


def save_payloads(client, obj, counter):
    """Fill every text field on the object's admin page (inlines too) with payloads, and save."""
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    page = client.get(url)
    html = page.content.decode()
    limits = max_lengths(html)
    markdown = markdown_names(html)
    # Plain-text fields refuse Markdown marks (inquiry/core/plain_text.py): they get every other payload.
    plain_payloads = [payload for payload in PAYLOADS if not markdown_marks(payload)]
    form = form_data(page)
    filled = 0
    for name in list(form):
        if not TRANSLATED.match(name) or isinstance(form[name], list):
            continue
        row = re.match(r"^(.+-\d+)-", name)
        if row and not form.get(f"{row.group(1)}-id"):
            continue  # a blank row for adding one stays blank
        if name in limits:
            choices = [
                payload for payload in SHORT_PAYLOADS if len(payload) <= limits[name] and not markdown_marks(payload)
            ]
            form[name] = choices[(counter + filled) % len(choices)]
        else:
            payloads = PAYLOADS if name in markdown else plain_payloads
            form[name] = "Safe first line.\n\n" + "\n\n".join(payloads)
        filled += 1
    response = client.post(url, form)
    assert response.status_code == 302, re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    return filled


class ExecutableMarkup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.external_links = []
        self.in_script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # The site's own deferred script (static/js/site.js, from /static/js/) is not content; any other is.
        own_script = set(attributes) == {"src", "defer"} and (attributes["src"] or "").startswith("/static/js/")
        if tag == "script" and attributes.get("type") != "application/ld+json" and not own_script:
            self.problems.append(f"<script {attrs}>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            if name in URL_ATTRIBUTES and value:
                cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
                if cleaned.startswith(BAD_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "a" and (attributes.get("href") or "").startswith(("http://", "https://")):
            host = urlsplit(attributes["href"]).hostname
            if host not in ("testserver", "localhost", "127.0.0.1"):
                self.external_links.append(attributes)


def public_urls():
    seed = Article.objects.get(slug=SEED)
    urls = ["/", "/faq/", f"/faq/topic/{seed.topic.slug}/", "/law/", "/card/"]
    urls += [f"/faq/{article.slug}/" for article in Article.objects.published()]
    urls += [f"/card/procedures/{procedure.slug}/" for procedure in Procedure.objects.all()]
    urls += [f"/law/{law.slug}/" for law in Law.objects.all()]
    urls += [f"/law/{article.law.slug}/{article.number}/" for article in LawArticle.objects.filter(summary_en__gt="")]
    urls += guide_urls()
    return [f"/{lang}{url}" for lang in ("zh-hans", "en") for url in urls]


def guide_urls():
    """The guide's index and start pages, every question page along every path, every outcome page."""
    urls = ["/guide/"]
    for flow in Flow.objects.published():
        base = f"/guide/{flow.slug}"
        graph = flow_graph(flow)
        urls.append(f"{base}/")
        pages = set()
        for path, _outcome in enumerate_paths(graph):
            for index, answer in enumerate(path):
                pages.add((answer.question, tuple(path[:index])))
        urls += [f"{base}/{question}/?{urlencode(answers)}" for question, answers in sorted(pages)]
        urls += [f"{base}/result/{slug}/?{urlencode(answers)}" for slug, answers in canonical_answers(graph).items()]
    return urls


@pytest.mark.django_db
def test_payloads_in_every_text_field_leave_no_executable_markup(superuser, client):
    in_english(client).force_login(superuser)
    seed = Article.objects.get(slug=SEED)
    targets = [
        seed,
        seed.topic,
        *Procedure.objects.filter(pk__in=seed.procedures.values("pk")),
        *Account.objects.all(),
        *AccountState.objects.filter(transitions_out__isnull=False).distinct(),
        Law.objects.get(slug="social-insurance-law"),
        *seed.citations.all(),
        # The guide: the flow, every question with its answers (inline), outcomes with procedures and law.
        Flow.objects.get(slug=MAIN),
        *Question.objects.filter(flow__slug=MAIN),
        *Outcome.objects.filter(flow__slug=MAIN, slug__in=["deposit-not-activated", "check-activation"]),
    ]
    filled = sum(save_payloads(client, obj, index) for index, obj in enumerate(targets))
    assert filled > 200  # every language of every text field on those pages, inlines included

    # The guide's Markdown was rendered on save with nothing executable in it.
    flow = Flow.objects.get(slug=MAIN)
    outcome = Outcome.objects.get(flow=flow, slug="deposit-not-activated")
    for html in (flow.intro_html_en, flow.intro_html_zh_hans, outcome.what_happened_html_en):
        assert "alert(1)" in html and executable_markup(html) == []

    # The Markdown was rendered on save, and the payloads are on the pages as text (the test is not empty).
    seed.refresh_from_db()
    assert "alert(1)" in seed.body_html_en and "<script" not in seed.body_html_en

    public = Client()
    checked, guide_pages = 0, []
    for url in public_urls():
        response = public.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        parser = ExecutableMarkup()
        parser.feed(html)
        assert parser.problems == [], (url, parser.problems[:10])
        for link in parser.external_links:
            assert "noopener" in (link.get("rel") or ""), (url, link)
        checked += "alert(1)" in html
        if f"/guide/{MAIN}/" in url:
            guide_pages.append("alert(1)" in html)
    assert checked >= 10
    assert len(guide_pages) >= 50 and all(guide_pages)  # every page of the edited guide shows payloads, inert
    # The one harmless external link in the payloads survives, with rel="noopener".
    html = public.get(f"/en/faq/{SEED}/").content.decode()
    assert re.search(r'<a href="https://example.org/page" rel="[^"]*noopener[^"]*">an external link</a>', html)
