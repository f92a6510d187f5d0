"""The third shipped guide, "My card does not work", and the routes added to the money guide.

Sound as a graph, every outcome within four questions and reached by the paths listed in flows.py,
complete in both languages, and a few real paths walked over HTTP to the outcome they must give.
"""

import pytest
from django.utils.html import escape

from inquiry.core.shipped import content_dir, read_content
from inquiry.guide import content_loader
from inquiry.guide.checks import MAX_QUESTIONS_ON_PATH, flow_problems
from inquiry.guide.models import Choice, Flow, Outcome, Question
from inquiry.guide.selectors import flow_graph

from .flows import EXPECTED_PATHS, MAIN, THIRD, query

pytestmark = pytest.mark.usefixtures("shipped_content")

LANGUAGES = ["zh-hans", "en"]
FLOWS = read_content(content_dir(content_loader.__file__), "flows")


def main_of(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def all_paths(graph, question_slug, answered=()):
    """Every (path, outcome) from a question, walking the graph itself rather than the list in flows.py."""
    for choice in graph.question(question_slug).choices:
        path = (*answered, (question_slug, choice.slug))
        if choice.outcome:
            yield path, choice.outcome
        else:
            yield from all_paths(graph, choice.next_question, path)


@pytest.mark.django_db
def test_the_flow_is_published_sound_and_every_outcome_is_within_four_questions():
    flow = Flow.objects.published().get(slug=THIRD)
    graph = flow_graph(flow)
    assert flow_problems(graph) == []
    walked = dict(all_paths(graph, graph.first_question))
    # The list in flows.py is exactly the set of paths the flow has: no path missing, none extra.
    assert walked == EXPECTED_PATHS[THIRD]
    assert max(len(path) for path in walked) <= MAX_QUESTIONS_ON_PATH
    assert set(walked.values()) == set(Outcome.objects.filter(flow=flow).values_list("slug", flat=True))


@pytest.mark.django_db
def test_the_money_guide_paths_are_exactly_the_listed_ones():
    graph = flow_graph(Flow.objects.get(slug=MAIN))
    assert dict(all_paths(graph, graph.first_question)) == EXPECTED_PATHS[MAIN]


@pytest.mark.django_db
def test_every_text_is_in_both_languages_and_every_outcome_is_complete():
    for question in Question.objects.filter(flow__slug=THIRD):
        assert question.prompt_zh_hans and question.prompt_en, question.slug
        assert bool(question.hint_zh_hans) == bool(question.hint_en), question.slug
        assert bool(question.why_we_ask_zh_hans) == bool(question.why_we_ask_en), question.slug
        # Each of these is a question a person may not be able to answer.
        assert question.choices.filter(slug="not-sure").exists(), question.slug
    for choice in Choice.objects.filter(question__flow__slug=THIRD):
        assert choice.label_zh_hans and choice.label_en, choice.slug
    for outcome in Outcome.objects.filter(flow__slug=THIRD):
        assert outcome.heading_zh_hans and outcome.heading_en, outcome.slug
        assert outcome.what_happened_html_zh_hans and outcome.what_happened_html_en, outcome.slug
        # What carries it, as the content audit says: a law article or an [A]/[B] source (card-sealed and the
        # password outcomes rest on the provincial Q&A, not on a law article).
        assert outcome.citations.exists() or outcome.sources.carrying().exists(), outcome.slug
        assert outcome.procedure_links.exists(), outcome.slug
        assert outcome.faq_articles.exists(), outcome.slug
        # Only the "check the status first" outcome cannot name a state: it is what the visitor finds out.
        assert (outcome.account_state is None) == (outcome.slug == "check-status-first"), outcome.slug
        for cited in outcome.citations.all():
            assert cited.summary_zh_hans and cited.summary_en, cited
        assert "你" not in outcome.what_happened_zh_hans + outcome.heading_zh_hans, outcome.slug  # 您 only


def test_every_new_outcome_names_its_sources_in_the_shipped_file():
    """The loader on this branch ignores `sources:`; the shipped file must still carry them."""
    flows = {flow["slug"]: flow for flow in FLOWS["flows"]}
    new = list(flows[THIRD]["outcomes"])
    new += [o for o in flows[MAIN]["outcomes"] if o["slug"] in set(EXPECTED_PATHS[MAIN].values()) - OLD_MAIN]
    assert len(new) == 13 + 5
    for outcome in new:
        assert outcome.get("sources"), outcome["slug"]


OLD_MAIN = {
    "deposit-not-activated",
    "check-activation",
    "active-not-showing",
    "check-at-the-bank",
    "pension-individual-account",
    "medical-individual-account",
    "check-contribution-records",
    "payment-not-activated",
    "pension-not-arrived",
    "benefit-not-arrived",
    "lost-report-now",
    "lost-reported-temporary",
    "lost-get-new-card",
    "damaged-replace-card",
    "find-which-money",
}


def answer(client, lang, flow, path):
    """Submit the last answer of `path` the way the form does, and follow to where it leads."""
    question = path[-1][0]
    response = client.get(f"/{lang}/guide/{flow}/{question}/answer/?{query(path)}")
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    ("path", "outcome", "state", "faq"),
    [
        (
            (("what-fails", "services"), ("card-status", "sealed")),
            "card-sealed",
            "social-security-sealed",
            "card-status-sealed",
        ),
        (
            (("what-fails", "password"), ("where-password", "bank")),
            "bank-password-locked",
            "financial-active",
            "bank-pin-vs-social-insurance-password",
        ),
        ((("what-fails", "expired"),), "card-expired", "financial-expired", "renew-expiring-card"),
        (
            (("what-fails", "e-card"), ("physical-card", "cancelled")),
            "card-cancelled",
            "social-security-cancelled",
            "e-card-after-loss",
        ),
        ((("what-fails", "several-cards"),), "several-cards", "social-security-enabled", "several-cards-other-city"),
    ],
)
def test_real_paths_lead_to_the_expected_outcome(client, lang, path, outcome, state, faq):
    location = answer(client, lang, THIRD, path)
    assert location == f"/{lang}/guide/{THIRD}/result/{outcome}/?{query(path)}"
    response = client.get(location)
    assert response.status_code == 200
    html = main_of(response)
    row = Outcome.objects.get(flow__slug=THIRD, slug=outcome)
    heading = row.heading_zh_hans if lang == "zh-hans" else row.heading_en
    assert f"<h1>{escape(heading)}</h1>" in html
    assert f'href="/{lang}/card/#state-{state}"' in html
    assert f'href="/{lang}/faq/{faq}/"' in html
    assert 'class="legal-basis"' in html and 'class="steps"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    ("path", "outcome", "faq"),
    [
        (
            (
                ("money-source", "payment-not-arrived"),
                ("payment-account-activated", "yes"),
                ("payment-kind", "unemployment"),
            ),
            "unemployment-benefit-not-arrived",
            "claim-unemployment-benefit",
        ),
        (
            (
                ("money-source", "payment-not-arrived"),
                ("payment-account-activated", "yes"),
                ("payment-kind", "subsidy"),
            ),
            "subsidy-not-arrived",
            "subsidies-paid-to-card",
        ),
        (
            (("money-source", "payment-not-arrived"), ("payment-account-activated", "no-cannot-go")),
            "activate-cannot-go-in-person",
            "elderly-cannot-travel",
        ),
        (
            (("money-source", "payment-not-arrived"), ("payment-account-activated", "no-away-from-home")),
            "activate-away-from-home",
            "activate-in-another-city",
        ),
    ],
)
def test_money_guide_routes_to_the_new_answers(client, lang, path, outcome, faq):
    location = answer(client, lang, MAIN, path)
    assert location == f"/{lang}/guide/{MAIN}/result/{outcome}/?{query(path)}"
    html = main_of(client.get(location))
    assert f'href="/{lang}/faq/{faq}/"' in html


@pytest.mark.django_db
def test_tampered_answers_give_a_clear_page_or_the_question_to_answer(client):
    # "sealed" answers card-status, not what-fails: the form is shown again with its error (400), never a 500.
    assert client.get(f"/en/guide/{THIRD}/what-fails/answer/?what-fails=sealed").status_code == 400
    # An outcome address whose answers lead elsewhere sends the visitor to the question still to answer.
    response = client.get(f"/en/guide/{THIRD}/result/card-sealed/?what-fails=password")
    assert response.status_code == 302
    assert response["Location"] == f"/en/guide/{THIRD}/where-password/?what-fails=password"


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_page_and_guide_index_list_the_new_guide(client, lang):
    home = client.get(f"/{lang}/").content.decode()
    guides = home[home.index('id="guides-heading"') : home.index("</section>", home.index('id="guides-heading"'))]
    assert f'href="/{lang}/guide/{THIRD}/"' in guides
    assert f'href="/{lang}/guide/{THIRD}/"' in main_of(client.get(f"/{lang}/guide/"))
    start = client.get(f"/{lang}/guide/{THIRD}/")
    assert start.status_code == 200
    title = Flow.objects.get(slug=THIRD).title_zh_hans if lang == "zh-hans" else "My card does not work"
    assert escape(title) in main_of(start)
