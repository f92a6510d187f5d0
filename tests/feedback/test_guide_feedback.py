"""'Was this page helpful?' under the guide's outcomes: asked as under FAQ articles, with the outcome
page still cacheable for everyone, and reported to editors with working links."""

import re
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from inquiry.feedback.models import Feedback
from inquiry.guide.models import Flow, Outcome
from tests.guide.flows import MAIN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]

ANSWERS = "money-source=deposited-myself&activated=no"
OUTCOME = "deposit-not-activated"


def outcome_url(language="en", answers=ANSWERS):
    return f"/{language}/guide/{MAIN}/result/{OUTCOME}/?{answers}"


@pytest.fixture
def outcome():
    return Outcome.objects.select_related("flow").get(flow__slug=MAIN, slug=OUTCOME)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_outcome_page_asks_without_a_cookie_and_stays_cached(client, outcome, language):
    first = client.get(outcome_url(language))
    html = first.content.decode()
    assert first.status_code == 200
    assert first.cookies == {} and "Set-Cookie" not in first
    assert "csrfmiddlewaretoken" not in html
    assert f'<form method="get" action="/{language}/feedback/guide/{outcome.pk}/" class="feedback-ask-form">' in html
    assert 'name="answer" value="yes"' in html and 'name="answer" value="no"' in html
    # The whole-page cache keeps it for the next anonymous visitor.
    assert first["X-Page-Cache"] == "miss"
    second = client.get(outcome_url(language))
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_every_path_to_an_outcome_asks_about_the_same_outcome(client, outcome):
    other = Outcome.objects.get(flow__slug=MAIN, slug="check-activation")
    for answers in (
        "money-source=deposited-myself&activated=not-sure",
        "money-source=payment-not-arrived&payment-account-activated=not-sure",
    ):
        html = client.get(f"/en/guide/{MAIN}/result/check-activation/?{answers}").content.decode()
        assert f'action="/en/feedback/guide/{other.pk}/"' in html


def test_the_whole_journey_without_javascript(outcome):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9")
    page = client.get(outcome_url("zh-hans")).content.decode()
    action = re.search(r'<form method="get" action="([^"]+)" class="feedback-ask-form">', page).group(1)
    form_page = client.get(action, {"answer": "no"})
    form_html = form_page.content.decode()
    assert form_page.status_code == 200
    # The form says which page it is about, and links back to it.
    link = re.search(r'<a href="([^"]+)">' + re.escape(outcome.heading_zh_hans) + "</a>", form_html).group(1)
    assert client.get(unescape(link), follow=True).redirect_chain[-1][0] == outcome_url("zh-hans")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_html).group(1)
    done = client.post(action, {"csrfmiddlewaretoken": token, "helpful": "no", "comment": "第二步不清楚"}, follow=True)
    assert done.status_code == 200
    assert done.redirect_chain[-1][0] == f"/zh-hans/feedback/guide/{outcome.pk}/thanks/?answer=no"
    answer = Feedback.objects.get()
    assert (answer.page_kind, answer.object_id, answer.language, answer.helpful, answer.comment) == (
        "guide",
        outcome.pk,
        "zh-hans",
        False,
        "第二步不清楚",
    )


def test_outcomes_of_draft_or_scheduled_guides_cannot_be_rated(client, outcome):
    url = f"/en/feedback/guide/{outcome.pk}/"
    assert client.get(url).status_code == 200
    Flow.objects.filter(pk=outcome.flow_id).update(status=Flow.Status.DRAFT)
    assert client.get(url).status_code == 404
    Flow.objects.filter(pk=outcome.flow_id).update(
        status=Flow.Status.PUBLISHED, published_at=timezone.now() + timezone.timedelta(days=1)
    )
    assert client.get(url).status_code == 404
    assert client.post(url, {"helpful": "yes"}).status_code == 404
    assert not Feedback.objects.exists()
    assert client.get("/en/feedback/guide/999999/").status_code == 404


def test_staff_previewing_a_draft_guide_are_not_asked(admin_client, outcome):
    Flow.objects.filter(pk=outcome.flow_id).update(status=Flow.Status.DRAFT)
    response = admin_client.get(outcome_url())
    assert response.status_code == 200
    assert "preview-banner" in response.content.decode()
    assert "feedback-ask" not in response.content.decode()


def test_report_lists_outcome_pages_with_working_links(admin_client, outcome):
    lowest = Outcome.objects.get(flow__slug=MAIN, slug="lost-report-now")
    Feedback.objects.bulk_create(
        [Feedback(page_kind="guide", object_id=outcome.pk, language="en", helpful=True) for _ in range(6)]
        + [Feedback(page_kind="guide", object_id=lowest.pk, language="zh-hans", helpful=False) for _ in range(5)]
        + [Feedback(page_kind="guide", object_id=lowest.pk, language="zh-hans", helpful=False, comment="没用")]
    )
    html = admin_client.get("/admin/feedback/feedback/report/").content.decode()
    pages = html[html.index('id="feedback-pages"') :]
    row = re.search(r'<a href="([^"]+)">' + re.escape(outcome.heading) + r"</a></th><td>6</td><td>6</td>", pages)
    assert row, "the outcome is listed by its heading with its answers"
    lowest_table = html[html.index('id="feedback-lowest"') : html.index('id="feedback-pages"')]
    assert lowest.heading in lowest_table
    comments = html[html.index('class="feedback-comments"') :]
    assert lowest.heading in comments and "没用" in comments
    # Each link leads to the outcome's page (through its shareable address) for any visitor.
    links = {unescape(link) for link in re.findall(r'<a href="(/[^"]*/guide/[^"]+/result/[^"]+)">', html)}
    assert len(links) == 2
    for link in links:
        response = Client().get(link, follow=True)
        assert response.status_code == 200, link
        assert response.redirect_chain and "/result/" in response.redirect_chain[-1][0]
