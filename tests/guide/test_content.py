"""The shipped flows: complete in both languages, accurate where it matters, loaded safely."""

import re

import pytest
from django.core.management import call_command
from django.utils import translation

from inquiry.core.shipped import ContentLoader, ShippedContentError
from inquiry.guide import content_loader
from inquiry.guide.models import Choice, Flow, Outcome, Question

from .flows import EXPECTED_PATHS, MAIN, SECOND

pytestmark = pytest.mark.usefixtures("shipped_content")

# Questions whose answer everyone knows, so "I'm not sure" would only add noise.
NO_NOT_SURE = {(MAIN, "card-problem"), (SECOND, "pension-situation")}


@pytest.mark.django_db
def test_both_flows_are_published_with_every_text_in_both_languages():
    for slug in (MAIN, SECOND):
        flow = Flow.objects.published().get(slug=slug)
        assert flow.title_zh_hans and flow.title_en and flow.intro_html_zh_hans and flow.intro_html_en
    for question in Question.objects.filter(flow__slug__in=[MAIN, SECOND]):
        assert question.prompt_zh_hans and question.prompt_en, question.slug
        assert bool(question.hint_zh_hans) == bool(question.hint_en), question.slug
        assert bool(question.why_we_ask_zh_hans) == bool(question.why_we_ask_en), question.slug
    for choice in Choice.objects.filter(question__flow__slug__in=[MAIN, SECOND]):
        assert choice.label_zh_hans and choice.label_en, choice.slug
        assert re.fullmatch(r"[a-z0-9-]+", choice.slug)
    for outcome in Outcome.objects.filter(flow__slug__in=[MAIN, SECOND]):
        assert outcome.heading_zh_hans and outcome.heading_en, outcome.slug
        assert outcome.what_happened_html_zh_hans and outcome.what_happened_html_en, outcome.slug
        # A law article or an [A]/[B] source carries it (the content audit, inquiry.law.audit).
        assert outcome.citations.exists() or outcome.sources.carrying().exists(), f"{outcome.slug} cites nothing"
        assert outcome.procedure_links.exists(), f"{outcome.slug} has no steps"
        assert outcome.faq_articles.exists(), f"{outcome.slug} links no question"
        for cited in outcome.citations.all():
            assert cited.summary_zh_hans and cited.summary_en, cited


@pytest.mark.django_db
def test_not_sure_is_offered_wherever_a_person_might_not_know():
    for question in Question.objects.filter(flow__slug__in=[MAIN, SECOND]).select_related("flow"):
        has_not_sure = question.choices.filter(slug="not-sure").exists()
        assert has_not_sure != ((question.flow.slug, question.slug) in NO_NOT_SURE), question.slug


@pytest.mark.django_db
def test_main_flow_covers_what_the_issue_lists():
    labels = " ".join(Choice.objects.filter(question__flow__slug=MAIN).values_list("label_en", flat=True)).lower()
    for words in ["myself", "employer", "pension", "medical", "has not arrived", "lost", "damaged", "not sure"]:
        assert words in labels, words
    outcomes = set(Outcome.objects.filter(flow__slug=MAIN).values_list("slug", flat=True))
    assert outcomes == set(EXPECTED_PATHS[MAIN].values())
    # Activated / not activated / not sure, and where the balance was seen.
    activated = Question.objects.get(flow__slug=MAIN, slug="activated")
    assert set(activated.choices.values_list("slug", flat=True)) == {"yes", "no", "not-sure"}
    look = Question.objects.get(flow__slug=MAIN, slug="where-you-look")
    assert {"bank", "social-insurance"} <= set(look.choices.values_list("slug", flat=True))


@pytest.mark.django_db
def test_the_required_outcome_says_where_to_go_and_what_to_bring():
    outcome = Outcome.objects.get(flow__slug=MAIN, slug="deposit-not-activated")
    assert outcome.account_state.slug == "financial-not-activated"
    zh, en = outcome.what_happened_zh_hans, outcome.what_happened_en
    for word in ["服务银行", "网点", "社保卡", "有效身份证件", "激活", "使用", "取出"]:
        assert word in zh, word
    for word in ["branch of the service bank", "the card", "valid ID", "activate", "use the money", "take it out"]:
        assert word in en, word
    assert [link.procedure.slug for link in outcome.procedure_links.order_by("order")] == [
        "activate-financial-account",
        "withdraw-financial-balance",
    ]
    cited = {article.citation_key for article in outcome.citations.select_related("law")}
    assert "social-insurance-handling-regulation:62" in cited


ZERO = re.compile(r"(余额|显示)[^。；\n]{0,6}(为)?(0|零)|zero", re.I)
HEDGED = re.compile(r"没有官方|不一定|no official|not necessarily|wrong account|查错|sometimes|有时", re.I)


@pytest.mark.django_db
def test_no_outcome_says_an_inactive_account_shows_zero():
    """No official source says so: an outcome may mention a zero only as a possible mix-up, never as fact."""
    for outcome in Outcome.objects.all():
        for text in (
            outcome.heading_zh_hans,
            outcome.heading_en,
            outcome.what_happened_zh_hans,
            outcome.what_happened_en,
        ):
            for sentence in re.split(r"(?<=[。.!?！？])\s*|\n", text or ""):
                if ZERO.search(sentence) and re.search(r"激活|activat", sentence, re.I):
                    assert HEDGED.search(sentence), (outcome.slug, sentence)


BROKEN_YAML = """
flows:
  - slug: broken-shipped
    title: {zh_hans: 坏的向导, en: Broken guide}
    intro: {zh_hans: 介绍, en: Introduction}
    published_at: 2026-11-27
    first_question: a
    questions:
      - slug: a
        prompt: {zh_hans: 问题, en: Question}
        choices:
          - {slug: "x", label: {zh_hans: 甲, en: X}, next: a}
    outcomes: []
"""


@pytest.mark.django_db
def test_a_broken_shipped_flow_is_refused_before_anything_is_written(tmp_path):
    path = tmp_path / "flows.yaml"
    path.write_text(BROKEN_YAML, encoding="utf-8")
    with translation.override("en"), pytest.raises(ShippedContentError, match="broken-shipped") as raised:
        content_loader.load(ContentLoader(verbosity=0), path=path)
    assert "loop" in str(raised.value) and "at least two" in str(raised.value)
    assert not Flow.objects.filter(slug="broken-shipped").exists()


@pytest.mark.django_db
def test_an_editors_change_to_a_flow_is_kept_on_reload(capsys):
    choice = Choice.objects.get(question__flow__slug=MAIN, question__slug="card-problem", slug="lost")
    choice.label_en = "Lost, or someone took it"
    choice.save()
    call_command("load_content")
    choice.refresh_from_db()
    assert choice.label_en == "Lost, or someone took it"
    assert f"kept the edited version of guide:flow:{MAIN}:question:card-problem:choice:lost" in capsys.readouterr().out
