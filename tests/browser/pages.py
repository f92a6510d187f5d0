"""Every public page type, in both languages: one address each, for the checks that sweep the site.

The accessibility, HTML, weight, screenshot and language-switch tests all take their pages from here,
so a page type added to the site needs one line here to be checked everywhere.
"""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

LANGUAGES = ("zh-hans", "en")
HTML_LANG = {"zh-hans": "zh-Hans", "en": "en"}

SEED = "accidentally-put-money-on-card"
FLOW = "what-happened-to-my-money"
ANSWERS = "money-source=deposited-myself&activated=yes&where-you-look=bank"
SEARCH_WORDS = {"zh-hans": "激活", "en": "activation"}


@dataclass(frozen=True)
class PageType:
    name: str
    path: str  # after the language prefix; `{search}` and `{feedback}` are filled in per language and site
    status: int = 200
    # The feedback form sent without an answer: a POST, so it is reached by submitting the form.
    submit_empty_form: bool = False

    def url_path(self, language, feedback_path=""):
        path = self.path.format(search=urllib.parse.quote(SEARCH_WORDS[language]), feedback=feedback_path)
        return f"/{language}{path}"


PAGE_TYPES = [
    PageType("home", "/"),
    PageType("faq-index", "/faq/"),
    PageType("faq-topic", "/faq/topic/activation/"),
    PageType("faq-article", f"/faq/{SEED}/"),
    PageType("law-index", "/law/"),
    PageType("law", "/law/social-insurance-law/"),
    PageType("law-article", "/law/social-insurance-law/14/"),
    PageType("card", "/card/"),
    PageType("procedure", "/card/procedures/activate-financial-account/"),
    PageType("guide-index", "/guide/"),
    PageType("guide-start", f"/guide/{FLOW}/"),
    PageType("guide-question", f"/guide/{FLOW}/activated/?money-source=deposited-myself"),
    PageType("guide-question-error", f"/guide/{FLOW}/activated/answer/?money-source=deposited-myself", status=400),
    PageType("guide-outcome", f"/guide/{FLOW}/result/active-not-showing/?{ANSWERS}"),
    PageType("search-results", "/search/?q={search}"),
    PageType("search-no-results", "/search/?q=qzxqzv"),
    PageType("feedback", "{feedback}?answer=no"),
    PageType("feedback-error", "{feedback}", status=400, submit_empty_form=True),
    PageType("feedback-thanks", "{feedback}thanks/?answer=no"),
    PageType("not-found", "/no-such-page/", status=404),
    # Regional pages (issue 20): the local values with their sources, and the "Your city" form selected.
    PageType("regional-faq-article", "/beijing/faq/lost-card-what-to-do/"),
    PageType("regional-guide-outcome", f"/guangzhou/guide/{FLOW}/result/active-not-showing/?{ANSWERS}"),
]
PAGE_TYPE_NAMES = [page_type.name for page_type in PAGE_TYPES]
BY_NAME = {page_type.name: page_type for page_type in PAGE_TYPES}


class Catalogue:
    """The page types' addresses on one running site (the feedback form's address holds a database id)."""

    def __init__(self, site, same_database_as=None):
        self.site = site
        if same_database_as is not None:  # another server on the same database: the same ids
            self.feedback_path = same_database_as.feedback_path
            return
        article = fetch(site.url(f"/en/faq/{SEED}/")).body
        action = re.search(r'<form method="get" action="/en(/feedback/[^"]+)" class="feedback-ask-form"', article)
        assert action, "the seed article has no feedback form"
        self.feedback_path = action.group(1)

    def path(self, page_type, language):
        if isinstance(page_type, str):
            page_type = BY_NAME[page_type]
        return page_type.url_path(language, self.feedback_path)

    def url(self, page_type, language):
        return self.site.url(self.path(page_type, language))

    def open(self, page, page_type, language):
        """Show a page type in a Playwright page; returns the HTTP status."""
        if isinstance(page_type, str):
            page_type = BY_NAME[page_type]
        response = page.goto(self.url(page_type, language))
        if page_type.submit_empty_form:
            with page.expect_navigation() as navigation:
                page.locator("form.feedback-form button[type=submit]").click()
            response = navigation.value
        return response.status

    def html(self, page_type, language):
        """The page's HTML as the server sends it, over plain HTTP (a POST for the form with errors)."""
        url = self.url(page_type, language)
        if not page_type.submit_empty_form:
            return fetch(url)
        session = HttpSession()
        form = session.get(url).body
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        return session.post(url, {"csrfmiddlewaretoken": token, "comment": ""})


@dataclass
class HttpResponse:
    status: int
    body: str


class HttpSession:
    """Cookies kept between requests, as a browser does (for the CSRF cookie and token)."""

    def __init__(self, headers=None):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.headers = headers or {}

    def get(self, url):
        return self._open(urllib.request.Request(url, headers=self.headers))

    def post(self, url, data):
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(url, data=body, headers={**self.headers, "Referer": url}))

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=30) as response:
                return HttpResponse(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return HttpResponse(error.code, error.read().decode())


def fetch(url):
    return HttpSession().get(url)


# --- pages that only a fault shows -------------------------------------------------------------------
# Served by a second server (the `faulty_site` fixture) whose database is not there and whose URLs add a
# page that fails with a bug (tests/support/faulty_urls.py): the 500 page, and the 503 page that any
# page needing the database gives. Checked by the same axe and HTML checks as the page types above.
FAULT_PAGE_TYPES = [
    PageType("server-error", "/broken-page/", status=500),
    PageType("service-unavailable", f"/faq/{SEED}/", status=503),
]
UNREACHABLE_DATABASE_URL = "sqlite:////nonexistent-socsec-dir/socsec.sqlite3"


# --- the admin, signed in as a superuser -------------------------------------------------------------
ADMIN_LANGUAGES = {"zh-hans": "zh-CN,zh;q=0.9", "en": "en-GB,en;q=0.9"}

# Every content model the admin edits (issue 12: each one's change form is swept by axe in both languages).
CONTENT_MODELS = (
    "law.law",
    "law.chapter",
    "law.lawarticle",
    "cards.procedure",
    "cards.procedurestep",
    "cards.account",
    "cards.accountstate",
    "cards.statetransition",
    "faq.topic",
    "faq.article",
    "guide.flow",
    "guide.question",
    "guide.choice",
    "guide.outcome",
    "guide.outcomeprocedure",
    "search.recommendation",
)  # (core.slugredirect rows are written by the site when a slug changes; the admin only lists them)

# Run in the server's database by `manage.py shell`: the objects the admin pages below are about. The
# article (not the seed article other tests edit) gets a second version, so two versions can be compared.
ADMIN_OBJECTS_SCRIPT = f"""
import json
SEED, FLOW = {SEED!r}, {FLOW!r}
from inquiry.faq.models import Article
from inquiry.guide.models import Flow
article = Article.objects.exclude(slug=SEED).order_by("pk").first()
if article.history.count() < 2:
    article.body_en += "\\n\\nA second version, for the admin checks."
    article.save()
versions = list(article.history.order_by("history_id").values_list("history_id", flat=True))
flow = Flow.objects.get(slug=FLOW)
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from inquiry.editorial.models import Proposal
proposal = Proposal.objects.filter(object_id=str(article.pk)).first() or Proposal.objects.create(
    content_type=ContentType.objects.get_for_model(Article),
    object_id=str(article.pk),
    object_repr=str(article)[:200],
    data={{"title_en": [article.title_en + " (proposed)"], "title_zh_hans": [article.title_zh_hans]}},
    base_version=article.version,
    proposed_by=get_user_model().objects.filter(is_superuser=True).first(),
)
from django.apps import apps
# Each content model's change form (its first row's), or its add form where it has no row yet.
forms = {{}}
for label in {CONTENT_MODELS!r}:
    pk = apps.get_model(label)._default_manager.order_by("pk").values_list("pk", flat=True).first()
    forms[label.replace(".", "_")] = f"{{pk}}/change/" if pk is not None else "add/"
print(json.dumps(dict(
    article=article.pk, older=versions[0], newer=versions[-1], flow=flow.pk, proposal=proposal.pk, forms=forms
)))
"""


@dataclass(frozen=True)
class AdminPage:
    name: str
    path: str  # with {article}, {older}, {newer}, {flow}, {proposal} filled in from ADMIN_OBJECTS_SCRIPT
    ours: bool  # a page whose markup is our own template (checked by vnu too), not Django's alone


ADMIN_PAGES = [
    AdminPage("admin-index", "/admin/", ours=False),
    AdminPage("article-change", "/admin/faq/article/{article}/change/", ours=True),  # no hidden field label
    AdminPage("article-history", "/admin/faq/article/{article}/history/", ours=True),
    AdminPage(
        "article-compare", "/admin/faq/article/{article}/history/compare/?older={older}&newer={newer}", ours=True
    ),
    AdminPage("feedback-report", "/admin/feedback/feedback/report/", ours=True),
    AdminPage("flow-map", "/admin/guide/flow/{flow}/map/", ours=True),
    AdminPage("articles-due-for-review", "/admin/faq/article/?review=due", ours=False),
    AdminPage("proposals", "/admin/editorial/proposal/", ours=False),
    AdminPage("proposal-review", "/admin/editorial/proposal/{proposal}/change/", ours=True),
    # The change form of every content model (Django's markup with our inline, widget and app-list
    # templates), and the add forms whose empty rows and date fields differ from a change form's.
    *(
        AdminPage(
            f"{label.replace('.', '-')}-form",
            f"/admin/{label.replace('.', '/')}/{{forms[{label.replace('.', '_')}]}}",
            ours=False,
        )
        for label in CONTENT_MODELS
    ),
    AdminPage("guide-question-add", "/admin/guide/question/add/", ours=False),
    AdminPage("guide-outcome-add", "/admin/guide/outcome/add/", ours=False),
    AdminPage("faq-article-add", "/admin/faq/article/add/", ours=True),
]


def admin_objects(site):
    import json

    return json.loads(site.manage("shell", "-c", ADMIN_OBJECTS_SCRIPT).stdout.strip().splitlines()[-1])


def admin_session(site, language):
    """An HTTP session signed in to the admin as the test server's superuser, in `language`."""
    from tests.support.server import ADMIN_PASSWORD, ADMIN_USERNAME

    session = HttpSession(headers={"Accept-Language": ADMIN_LANGUAGES[language]})
    url = site.url("/admin/login/?next=/admin/")
    form = session.get(url).body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    answer = session.post(url, {"csrfmiddlewaretoken": token, "username": ADMIN_USERNAME, "password": ADMIN_PASSWORD})
    assert answer.status == 200 and 'id="login-form"' not in answer.body, "could not sign in to the admin"
    return session


def open_legal_basis(page):
    """On a phone the legal basis is folded (a <details>): open it as a visitor would, by its summary."""
    summary = page.locator("details.legal-basis-fold > summary")
    folded = page.locator("details.legal-basis-fold[open]").count() == 0
    if summary.count() and summary.first.is_visible() and folded:
        summary.first.click()
    return page.locator("aside.legal-basis")
