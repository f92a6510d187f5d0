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

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, url):
        return self._open(urllib.request.Request(url))

    def post(self, url, data):
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(url, data=body, headers={"Referer": url}))

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=30) as response:
                return HttpResponse(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return HttpResponse(error.code, error.read().decode())


def fetch(url):
    return HttpSession().get(url)
