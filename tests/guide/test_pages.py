"""The guide's pages over real HTTP (Django's client), in both languages."""

import re

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from inquiry.guide.models import Choice, Flow, Outcome, Question

from .flows import EXPECTED_PATHS, MAIN, SECOND, query

pytestmark = pytest.mark.usefixtures("shipped_content")

LANGUAGES = ["zh-hans", "en"]
BASE = f"/{{lang}}/guide/{MAIN}"
REQUIRED = (("money-source", "deposited-myself"), ("activated", "no"))


def text(value, lang):
    return escape(value[0] if lang == "zh-hans" else value[1])


def localized(obj, field, lang):
    return escape(getattr(obj, f"{field}_{'zh_hans' if lang == 'zh-hans' else 'en'}"))


def main_of(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_index_lists_published_flows_only(client, lang):
    Flow.objects.filter(slug=SECOND).update(status=Flow.Status.DRAFT)
    html = main_of(client.get(f"/{lang}/guide/"))
    assert f'href="/{lang}/guide/{MAIN}/"' in html
    assert f"/{lang}/guide/{SECOND}/" not in html
    assert client.get(f"/{lang}/guide/{SECOND}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_start_page(client, lang):
    response = client.get(BASE.format(lang=lang) + "/")
    assert response.status_code == 200
    html = main_of(response)
    flow = Flow.objects.get(slug=MAIN)
    assert f"<h1>{localized(flow, 'title', lang)}</h1>" in html
    assert f'href="/{lang}/guide/{MAIN}/money-source/"' in html
    assert text(("大约一分钟", "about a minute"), lang) in html
    assert text(("个人信息", "personal data"), lang) in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_question_page_follows_the_pattern(client, lang):
    url = BASE.format(lang=lang) + "/activated/?money-source=deposited-myself"
    response = client.get(url)
    assert response.status_code == 200
    html = main_of(response)
    question = Question.objects.get(flow__slug=MAIN, slug="activated")
    # The question is the page's only h1, inside the fieldset's legend.
    assert html.count("<h1") == 1
    assert re.search(r"<legend[^>]*>.*<h1[^>]*>" + re.escape(localized(question, "prompt", lang)) + "</h1>", html, re.S)
    assert 'aria-describedby="question-hint"' in html
    for choice in question.choices.all():
        assert f'type="radio" id="answer-{choice.slug}" name="activated" value="{choice.slug}"' in html
        assert localized(choice, "label", lang) in html
    # Earlier answers travel as hidden fields; the form is a GET form to the answer address.
    assert f'method="get" action="/{lang}/guide/{MAIN}/activated/answer/"' in html
    assert '<input type="hidden" name="money-source" value="deposited-myself">' in html
    # Back link, answers so far with a change link, start again.
    assert f'class="back-link" href="/{lang}/guide/{MAIN}/money-source/?money-source=deposited-myself"' in html
    assert f'href="/{lang}/guide/{MAIN}/money-source/?money-source=deposited-myself">' in html
    assert f'href="/{lang}/guide/{MAIN}/"' in html
    assert "error-summary" not in html
    assert 'name="robots" content="noindex"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_first_question_goes_back_to_the_start_page(client, lang):
    html = main_of(client.get(BASE.format(lang=lang) + "/money-source/"))
    assert f'class="back-link" href="/{lang}/guide/{MAIN}/"' in html
    assert "guide-answers" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_continuing_without_a_choice_shows_the_error_summary(client, lang):
    url = BASE.format(lang=lang) + "/activated/answer/?money-source=deposited-myself"
    response = client.get(url)
    assert response.status_code == 400
    html = main_of(response)
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#answer-yes"' in html and 'id="answer-yes"' in html
    assert 'aria-describedby="question-hint question-error"' in html
    assert '<input type="hidden" name="money-source" value="deposited-myself">' in html
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)
    assert title.startswith(text(("错误", "Error"), lang))


@pytest.mark.django_db
def test_an_answer_moves_on_and_an_answered_question_shows_its_choice(client):
    response = client.get(f"/en/guide/{MAIN}/money-source/answer/?money-source=deposited-myself")
    assert response.status_code == 302
    assert response["Location"] == f"/en/guide/{MAIN}/activated/?money-source=deposited-myself"
    # Changing the first answer, with later answers in the address: the radio is checked.
    html = main_of(client.get(f"/en/guide/{MAIN}/money-source/?{query(REQUIRED)}"))
    assert 'value="deposited-myself" checked' in html
    assert '<input type="hidden" name="activated" value="no">' in html


@pytest.mark.django_db
def test_change_link_keeps_later_answers_still_on_the_path(client):
    path = [("money-source", "deposited-myself"), ("activated", "yes"), ("where-you-look", "bank")]
    html = main_of(client.get(f"/en/guide/{MAIN}/result/active-not-showing/?{query(path)}"))
    change = f"/en/guide/{MAIN}/money-source/?{query(path)}".replace("&", "&amp;")
    assert f'href="{change}"' in html
    # Same first answer again: straight back to the outcome, nothing asked twice.
    response = client.get(
        f"/en/guide/{MAIN}/money-source/answer/?activated=yes&where-you-look=bank&money-source=deposited-myself"
    )
    assert response["Location"] == f"/en/guide/{MAIN}/result/active-not-showing/?{query(path)}"
    # A different first answer: the later answers are off the path and dropped.
    response = client.get(
        f"/en/guide/{MAIN}/money-source/answer/?activated=yes&where-you-look=bank&money-source=not-sure"
    )
    assert response["Location"] == f"/en/guide/{MAIN}/where-seen/?money-source=not-sure"


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_required_outcome_deposited_myself_and_not_activated(client, lang):
    response = client.get(BASE.format(lang=lang) + f"/activated/answer/?{query(REQUIRED)}")
    assert response["Location"] == BASE.format(lang=lang) + f"/result/deposit-not-activated/?{query(REQUIRED)}"
    response = client.get(response["Location"])
    assert response.status_code == 200
    html = main_of(response)
    outcome = Outcome.objects.get(flow__slug=MAIN, slug="deposit-not-activated")
    assert f"<h1>{localized(outcome, 'heading', lang)}</h1>" in html
    what = html[html.index("guide-what-happened") : html.index("guide-state")]
    for words in [
        ("服务银行", "service bank"),
        ("身份证件", "valid ID"),
        ("激活", "activate"),
        ("取出", "take it out"),
    ]:
        assert text(words, lang) in what, words
    # What to do now comes first (the procedures, linked to their steps), then what happened, the account
    # state, the steps in detail, the legal basis.
    markers = ("guide-next", "guide-what-happened", "guide-state", "guide-steps", '<aside class="legal-basis"')
    order = [html.index(marker) for marker in markers]
    assert order == sorted(order)
    assert f'href="/{lang}/card/#state-financial-not-activated"' in html
    assert f'href="/{lang}/law/social-insurance-handling-regulation/62/"' in html
    assert 'class="steps"' in html and text(("带", "Bring"), lang) in html
    assert f'href="/{lang}/faq/money-into-inactive-account/"' in html
    assert f'href="/{lang}/guide/{MAIN}/"' in html  # start again
    assert f"/{lang}/guide/{MAIN}/result/deposit-not-activated/?" in html  # shareable address shown


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("slug", list(EXPECTED_PATHS))
def test_every_outcome_page_renders_with_steps_and_legal_basis(client, lang, slug):
    for path, outcome_slug in EXPECTED_PATHS[slug].items():
        response = client.get(f"/{lang}/guide/{slug}/result/{outcome_slug}/?{query(path)}")
        assert response.status_code == 200, (path, outcome_slug)
        html = main_of(response)
        outcome = Outcome.objects.get(flow__slug=slug, slug=outcome_slug)
        assert localized(outcome, "heading", lang) in html
        assert 'class="legal-basis"' in html
        assert 'class="steps"' in html
        # The same address gives the same page: it can be shared.
        assert client.get(f"/{lang}/guide/{slug}/result/{outcome_slug}/?{query(path)}").content == response.content


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_question_page_of_every_flow_renders(client, lang):
    for slug, paths in EXPECTED_PATHS.items():
        for path in paths:
            for index, (question, _) in enumerate(path):
                response = client.get(f"/{lang}/guide/{slug}/{question}/?{query(path[:index])}")
                assert response.status_code == 200, (slug, question)


@pytest.mark.django_db
def test_outcome_url_without_answers_lands_on_the_outcome(client):
    outcome = Outcome.objects.select_related("flow").get(flow__slug=MAIN, slug="lost-get-new-card")
    with translation.override("zh-hans"):
        url = outcome.get_absolute_url()
    assert url == f"/zh-hans/guide/{MAIN}/result/lost-get-new-card/"
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(url + "?money-source=card-lost-or-damaged")
    assert escape(outcome.heading_zh_hans) in main_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_law_article_page_lists_the_outcomes_that_cite_it(client, lang, no_page_cache):
    html = main_of(client.get(f"/{lang}/law/social-insurance-handling-regulation/62/"))
    cited_by = html[html.index('class="cited-by"') :]
    assert f'href="/{lang}/guide/{MAIN}/result/deposit-not-activated/"' in cited_by
    assert text(("引导式解答", "Guided answers"), lang) in cited_by
    Flow.objects.filter(slug=MAIN).update(published_at=timezone.now() + timezone.timedelta(days=1))
    html = main_of(client.get(f"/{lang}/law/social-insurance-handling-regulation/62/"))
    assert f"/guide/{MAIN}/result/" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_page_and_navigation_lead_to_the_guide(client, lang):
    html = client.get(f"/{lang}/").content.decode()
    start = f'href="/{lang}/guide/{MAIN}/"'
    assert 'class="btn btn-primary btn-lg start-button" href="/' + f'{lang}/guide/{MAIN}/"' in html
    nav = html[html.index('class="site-nav"') : html.index("</nav>", html.index('class="site-nav"'))]
    assert f'href="/{lang}/guide/"' in nav  # the list of guides, whichever are published
    # The home page lists every published guide, the second one included.
    guides = html[html.index('id="guides-heading"') : html.index("</section>", html.index('id="guides-heading"'))]
    assert start in guides and f'href="/{lang}/guide/can-i-take-money-out/"' in guides


@pytest.mark.django_db
def test_home_page_button_never_leads_to_an_unpublished_guide(client):
    Flow.objects.filter(slug=MAIN).update(status=Flow.Status.DRAFT)
    html = client.get("/en/").content.decode()
    assert 'class="btn btn-primary btn-lg start-button" href="/en/guide/"' in html
    assert f"/guide/{MAIN}/" not in html


@pytest.mark.django_db
def test_draft_and_future_flows_are_not_public(client):
    Flow.objects.filter(slug=MAIN).update(status=Flow.Status.DRAFT)
    for url in ["/", "/money-source/", f"/result/deposit-not-activated/?{query(REQUIRED)}"]:
        assert client.get(f"/en/guide/{MAIN}{url}").status_code == 404, url
    Flow.objects.filter(slug=MAIN).update(
        status=Flow.Status.PUBLISHED, published_at=timezone.now() + timezone.timedelta(hours=1)
    )
    assert client.get(f"/en/guide/{MAIN}/money-source/").status_code == 404


@pytest.mark.django_db
def test_editor_html_is_never_passed_through(client):
    choice = Choice.objects.get(question__flow__slug=MAIN, question__slug="money-source", slug="not-sure")
    choice.label_en = '<script>alert("x")</script>Not sure'
    choice.save()
    outcome = Outcome.objects.get(flow__slug=MAIN, slug="deposit-not-activated")
    outcome.what_happened_en = 'Hello <img src=x onerror="alert(1)"> **bold** [link](javascript:alert(1))'
    outcome.save()
    html = client.get(f"/en/guide/{MAIN}/money-source/").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    html = client.get(f"/en/guide/{MAIN}/result/deposit-not-activated/?{query(REQUIRED)}").content.decode()
    assert "<img" not in html and "<strong>bold</strong>" in html
    assert "javascript:" not in html
