"""'Was this page helpful?': anonymous answers, spam protection, and the editors' report."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inquiry.faq.models import Article
from inquiry.feedback import ratelimit
from inquiry.feedback.models import Feedback
from tests.support.server import free_port

SEED = "accidentally-put-money-on-card"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]


@pytest.fixture
def seed():
    return Article.objects.get(slug=SEED)


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")


def form_url(article, language="en"):
    return f"/{language}/feedback/faq/{article.pk}/"


def csrf_token(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


def send(client, url, **data):
    token = csrf_token(client, url)
    return client.post(url, {"csrfmiddlewaretoken": token, **data})


def test_article_page_asks_without_setting_a_cookie(client, seed):
    response = client.get(f"/en/faq/{SEED}/")
    html = response.content.decode()
    assert response.cookies == {} and "Set-Cookie" not in response
    assert "csrfmiddlewaretoken" not in html
    assert f'<form method="get" action="/en/feedback/faq/{seed.pk}/"' in html
    assert 'name="answer" value="yes"' in html and 'name="answer" value="no"' in html


def test_feedback_page_carries_the_token_and_is_never_cached(client, seed):
    response = client.get(form_url(seed), {"answer": "no"})
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert 'value="no" id="id_helpful_1" checked' in response.content.decode()
    assert 'name="robots" content="noindex' in response.content.decode()


def test_answer_is_stored_without_personal_data(csrf_client, seed):
    response = send(csrf_client, form_url(seed, "zh-hans"), helpful="no", comment="  第三步写得不清楚。\x07  ")
    assert response.status_code == 302
    assert response["Location"] == f"/zh-hans/feedback/faq/{seed.pk}/thanks/?answer=no"
    answer = Feedback.objects.get()
    assert (answer.page_kind, answer.object_id, answer.language, answer.helpful) == ("faq", seed.pk, "zh-hans", False)
    assert answer.comment == "第三步写得不清楚。"
    # Nothing about the sender exists to be stored: no such columns, and no value holds the address.
    columns = {field.name for field in Feedback._meta.get_fields()}
    assert columns == {"id", "page_kind", "object_id", "language", "helpful", "comment", "created_at"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM feedback_feedback")
        assert "203.0.113.7" not in repr(cursor.fetchall())
    thanks = csrf_client.get(response["Location"])
    assert thanks.status_code == 200
    assert "12333" in thanks.content.decode()


def test_yes_without_a_comment(csrf_client, seed):
    assert send(csrf_client, form_url(seed), helpful="yes").status_code == 302
    assert Feedback.objects.get().helpful is True


def test_honeypot_stores_nothing_and_looks_like_success(csrf_client, seed):
    response = send(csrf_client, form_url(seed), helpful="yes", website="http://spam.example")
    assert response.status_code == 302
    assert "/thanks/" in response["Location"]
    assert Feedback.objects.count() == 0


def test_rate_limit_per_client(settings, seed):
    settings.FEEDBACK_RATE_LIMIT = 3
    first = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.1")
    statuses = [send(first, form_url(seed), helpful="yes").status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert Feedback.objects.count() == 3
    # Another client is not held back by the first one.
    other = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.2")
    assert send(other, form_url(seed), helpful="no").status_code == 302
    assert Feedback.objects.count() == 4


def test_filling_the_page_cache_does_not_reset_the_rate_limit(settings, seed):
    """The counts live in the "state" alias: a page cache emptied by eviction (here, all of it) keeps them."""
    settings.FEEDBACK_RATE_LIMIT = 2
    visitor = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.3")
    assert [send(visitor, form_url(seed), helpful="yes").status_code for _ in range(3)] == [302, 302, 429]
    caches["default"].clear()
    assert send(visitor, form_url(seed), helpful="yes").status_code == 429


def test_answers_are_taken_while_the_cache_is_down(settings, seed):
    """Redis unreachable (a closed port, for real) makes the site slower, never stops people answering."""
    unreachable = {
        "BACKEND": "inquiry.core.cache.ResilientRedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "retry_after": 5},
    }
    settings.CACHES = {"default": unreachable, "state": unreachable}
    settings.FEEDBACK_RATE_LIMIT = 1
    visitor = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.9")
    statuses = [send(visitor, form_url(seed), helpful="yes").status_code for _ in range(2)]
    assert statuses == [302, 302]  # nothing can be counted, so nothing is refused
    assert Feedback.objects.count() == 2


def test_rate_limit_key_does_not_hold_the_address(rf):
    request = rf.post("/", REMOTE_ADDR="192.0.2.55")
    key = ratelimit.client_key(request)
    assert "192.0.2.55" not in key
    assert key == ratelimit.client_key(rf.post("/", REMOTE_ADDR="192.0.2.55"))
    assert key != ratelimit.client_key(rf.post("/", REMOTE_ADDR="192.0.2.56"))


def test_client_address_behind_trusted_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.9")
    assert ratelimit.client_address(request) == "10.0.0.1"
    settings.SOCSEC_TRUSTED_PROXY_COUNT = 1
    # The proxy appended the address it saw; anything before it is what the client claimed.
    assert ratelimit.client_address(request) == "192.0.2.9"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"helpful": "maybe"},
        {"helpful": ""},
        {"helpful": "yes", "comment": "x" * 2001},
        {"helpful": "yes", "comment": "nul\x00byte"},
    ],
    ids=["nothing", "not yes or no", "empty", "comment too long", "NUL byte"],
)
def test_bad_posts_get_a_400_page_and_store_nothing(csrf_client, seed, data):
    response = send(csrf_client, form_url(seed), **data)
    assert response.status_code == 400
    # The error summary names each problem and links to its field; the title says there is an error.
    html = response.content.decode()
    assert '<div class="error-summary" role="alert"' in html
    field = "id_comment" if "comment" in data else "id_helpful_0"
    assert f'<li><a href="#{field}">' in html and f'id="{field}"' in html
    assert "<title>Error:" in html
    assert Feedback.objects.count() == 0


def test_non_utf8_body_gets_a_clear_answer(csrf_client, seed):
    token = csrf_token(csrf_client, form_url(seed))
    body = b"csrfmiddlewaretoken=" + token.encode() + b"&helpful=yes&comment=\xff\xfe%ff"
    response = csrf_client.post(form_url(seed), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 400)
    for answer in Feedback.objects.all():
        answer.comment.encode("utf-8")  # stored as valid text, never as broken bytes


def test_post_without_csrf_token_is_refused(seed):
    client = Client(enforce_csrf_checks=True)
    response = client.post(form_url(seed), {"helpful": "yes"})
    assert response.status_code == 403
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize("path", ["/en/feedback/faq/999999/", "/en/feedback/nosuchkind/1/", "/en/feedback/faq/abc/"])
def test_unknown_pages_give_404(client, path):
    assert client.get(path).status_code == 404
    assert client.post(path, {"helpful": "yes"}).status_code in (403, 404)


def test_draft_article_cannot_be_rated(client, seed):
    Article.objects.filter(pk=seed.pk).update(status=Article.Status.DRAFT)
    assert client.get(form_url(seed)).status_code == 404


def test_works_without_javascript_end_to_end(seed):
    """The whole journey with plain GET and POST forms, as a browser without JavaScript does it."""
    client = Client(enforce_csrf_checks=True)
    article = client.get(f"/zh-hans/faq/{SEED}/").content.decode()
    action = re.search(r'<form method="get" action="([^"]+)" class="feedback-ask-form">', article).group(1)
    form_page = client.get(action, {"answer": "yes"})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.content.decode()).group(1)
    done = client.post(action, {"csrfmiddlewaretoken": token, "helpful": "yes", "comment": ""}, follow=True)
    assert done.status_code == 200
    assert done.redirect_chain[-1][0].endswith("/thanks/?answer=yes")
    assert Feedback.objects.filter(helpful=True, language="zh-hans").count() == 1


# --- The admin report ----------------------------------------------------------------------------


def add_answers(article, yes, no, language="zh-hans", comment="", days_ago=0):
    created = Feedback.objects.bulk_create(
        [Feedback(page_kind="faq", object_id=article.pk, language=language, helpful=True) for _ in range(yes)]
        + [
            Feedback(page_kind="faq", object_id=article.pk, language=language, helpful=False, comment=comment)
            for _ in range(no)
        ]
    )
    if days_ago:
        Feedback.objects.filter(pk__in=[item.pk for item in created]).update(
            created_at=timezone.now() - timezone.timedelta(days=days_ago)
        )


def test_report_counts_shares_chart_and_comments(admin_client, seed):
    other = Article.objects.exclude(pk=seed.pk).first()
    add_answers(seed, yes=8, no=2)
    add_answers(other, yes=1, no=5, comment="<script>alert(1)</script> 没看懂")
    add_answers(seed, yes=3, no=0, days_ago=20)
    add_answers(seed, yes=4, no=4, days_ago=200)  # older than 12 weeks: counted, not charted

    response = admin_client.get("/admin/feedback/feedback/report/")
    assert response.status_code == 200
    html = response.content.decode()
    # Per page: answers and share of yes.
    pages = html[html.index('id="feedback-pages"') :]
    assert re.search(rf"{re.escape(seed.title_zh_hans)}</a></th><td>21</td><td>15</td><td>71%</td>", pages)
    # Lowest share first.
    lowest = html[html.index('id="feedback-lowest"') : html.index('id="feedback-pages"')]
    assert lowest.index(other.title_zh_hans) < lowest.index(seed.title_zh_hans)
    # The chart: an SVG image with a title and one bar group per week.
    start = html.index('<svg class="feedback-chart"')
    svg = html[start : html.index("</svg>", start)]
    assert 'role="img"' in svg and "<title" in svg
    assert svg.count("<g><title>") == 12
    assert svg.rstrip().count(": 9 / 7</title>") == 1  # this week: 8 + 1 yes, 2 + 5 no
    assert svg.count(": 3 / 0</title>") == 1  # twenty days ago
    # Comments are shown as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 没看懂" in html
    assert "<script>alert(1)" not in html


def test_report_week_buckets(seed):
    from inquiry.feedback.selectors import weekly_answers

    add_answers(seed, yes=2, no=1)
    add_answers(seed, yes=5, no=0, days_ago=14)
    add_answers(seed, yes=9, no=9, days_ago=100)
    weeks = weekly_answers()
    assert len(weeks) == 12
    assert (weeks[-1].yes, weeks[-1].no) == (2, 1)
    assert sum(week.yes for week in weeks) == 7
    assert all(later.start > earlier.start for earlier, later in zip(weeks, weeks[1:], strict=False))


def test_report_query_budget(admin_client, seed):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get("/admin/feedback/feedback/report/").status_code == 200
        return len(captured)

    add_answers(seed, yes=2, no=2, comment="a")
    few = queries()
    for article in Article.objects.all():
        add_answers(article, yes=5, no=5, comment="b", days_ago=3)
    assert queries() == few


def test_answers_can_be_read_and_deleted_but_not_edited_or_added(admin_client, seed):
    add_answers(seed, yes=1, no=0)
    answer = Feedback.objects.get()
    assert admin_client.get("/admin/feedback/feedback/").status_code == 200
    assert admin_client.get("/admin/feedback/feedback/add/").status_code == 403
    assert admin_client.post(f"/admin/feedback/feedback/{answer.pk}/change/", {"helpful": "False"}).status_code == 403
    Feedback.objects.get(pk=answer.pk)
    response = admin_client.post(f"/admin/feedback/feedback/{answer.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Feedback.objects.exists()
