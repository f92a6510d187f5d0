"""The content audit: a published answer that cites nothing carrying it fails `manage.py check`."""

import io

import pytest
from django.core.checks import Error, Warning, run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from inquiry.faq.models import Article, Topic
from inquiry.guide.models import Outcome
from inquiry.law.audit import (
    COPIED_LAW_WORDING,
    UNCITED,
    UNHEDGED_THIRD_PARTY,
    UNSOURCED_FIGURE,
    audited_answers,
    copied_summaries,
    findings,
)
from inquiry.law.models import LawArticle, Source
from tests.guide.flows import make_flow

pytestmark = pytest.mark.usefixtures("shipped_content")


def source(slug, strength):
    return Source.objects.create(
        slug=slug, title_zh_hans=slug, title_en=slug, url="https://example.com/", strength=strength
    )


def article(slug, *, published=True, zh="简短回答。", en="Short answer."):
    return Article.objects.create(
        slug=slug,
        topic=Topic.objects.first(),
        title_zh_hans=f"问题 {slug}",
        title_en=f"Question {slug}",
        short_answer_zh_hans=zh,
        short_answer_en=en,
        status=Article.Status.PUBLISHED if published else Article.Status.DRAFT,
        published_at=timezone.now() - timezone.timedelta(minutes=1) if published else None,
    )


def messages_about(obj):
    return [(message.id, type(message)) for message in findings(audited_answers()) if message.obj == obj]


@pytest.mark.django_db
def test_the_shipped_content_passes_the_audit_with_no_warning():
    assert [message.msg for message in findings(audited_answers())] == []
    assert [message.msg for message in copied_summaries()] == []


@pytest.mark.django_db
def test_a_published_article_citing_nothing_fails_and_a_draft_is_not_audited():
    uncited = article("audit-uncited")
    draft = article("audit-draft", published=False)
    assert messages_about(uncited) == [(UNCITED, Error)]
    assert messages_about(draft) == []
    # It shows in `manage.py check`, which then fails.
    with pytest.raises(SystemCheckError, match="audit-uncited"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
    assert any(message.id == UNCITED for message in run_checks(tags=["content"]))


@pytest.mark.django_db
def test_a_law_article_or_an_official_source_carries_an_answer():
    by_law = article("audit-by-law")
    by_law.citations.add(LawArticle.objects.get(law__slug="social-insurance-law", number=14))
    by_official = article("audit-by-official")
    by_official.sources.add(source("audit-official", Source.Strength.OFFICIAL))
    by_statute = article("audit-by-statute")
    by_statute.sources.add(source("audit-statute", Source.Strength.LAW))
    assert messages_about(by_law) == messages_about(by_official) == messages_about(by_statute) == []


@pytest.mark.django_db
def test_third_party_sources_alone_do_not_carry_an_answer():
    third = source("audit-third", Source.Strength.THIRD_PARTY)
    hedged = article("audit-third-hedged", zh="很多地方可以这样做，请以当地规定为准。", en="In many places; ask 12333.")
    hedged.sources.add(third)
    assert messages_about(hedged) == [(UNCITED, Error)]
    unhedged = article("audit-third-unhedged")
    unhedged.sources.add(third)
    assert messages_about(unhedged) == [(UNCITED, Error), (UNHEDGED_THIRD_PARTY, Warning)]


@pytest.mark.django_db
def test_a_third_party_claim_beside_the_law_must_still_send_the_reader_to_check():
    law = LawArticle.objects.get(law__slug="social-insurance-law", number=14)
    third = source("audit-third-beside-law", Source.Strength.THIRD_PARTY)
    unhedged = article("audit-law-and-third")
    unhedged.citations.add(law)
    unhedged.sources.add(third)
    assert messages_about(unhedged) == [(UNHEDGED_THIRD_PARTY, Warning)]
    # Hedged in one language only: still flagged, each reader sees one language.
    english_only = article("audit-law-and-third-en", en="Ask your local bureau.")
    english_only.citations.add(law)
    english_only.sources.add(third)
    [warning] = [m for m in findings(audited_answers()) if m.obj == english_only]
    assert "zh_hans" in warning.msg and "en)" not in warning.msg
    hedged = article("audit-law-and-third-hedged", zh="请拨打12333确认。", en="Check with 12333.")
    hedged.citations.add(law)
    hedged.sources.add(third)
    # One official source beside the third party: the claim is carried, no hedge needed.
    backed = article("audit-law-third-and-official")
    backed.sources.add(third, source("audit-official-2", Source.Strength.OFFICIAL))
    assert messages_about(hedged) == messages_about(backed) == []


@pytest.mark.django_db
def test_every_reachable_outcome_of_a_published_guide_is_audited():
    flow = make_flow("audit-flow", {"q1": [("a", "@cited"), ("b", "@uncited")]}, ["cited", "uncited", "stray"], "q1")
    outcomes = {outcome.slug: outcome for outcome in Outcome.objects.filter(flow=flow)}
    outcomes["cited"].sources.add(source("audit-outcome-official", Source.Strength.OFFICIAL))
    assert messages_about(outcomes["cited"]) == []
    assert messages_about(outcomes["uncited"]) == [(UNCITED, Error)]
    # No answer leads to it: never shown, so not audited (the flow check reports it).
    assert messages_about(outcomes["stray"]) == []

    draft = make_flow("audit-draft-flow", {"q1": [("a", "@x"), ("b", "@y")]}, ["x", "y"], "q1", published=False)
    assert all(messages_about(outcome) == [] for outcome in Outcome.objects.filter(flow=draft))


@pytest.mark.django_db
def test_a_finding_never_stops_another_command(monkeypatch):
    """migrate, runserver and load_content run the checks first: content must not block a deploy."""
    article("audit-blocking")
    monkeypatch.setattr("sys.argv", ["manage.py", "migrate"])
    assert not [message for message in run_checks() if message.id == UNCITED]
    monkeypatch.setattr("sys.argv", ["manage.py", "check"])
    assert [message for message in run_checks() if message.id == UNCITED]


@pytest.mark.django_db
def test_a_figure_needs_a_source_or_a_law_article_that_holds_it():
    bare = article("audit-figure-bare", zh="挂失有效期7天。", en="The report lasts 7 days.")
    bare.citations.add(LawArticle.objects.get(law__slug="social-insurance-law", number=58))
    assert (UNSOURCED_FIGURE, Warning) in messages_about(bare)
    [message] = [m for m in findings(audited_answers()) if m.obj == bare and m.id == UNSOURCED_FIGURE]
    assert "7天" in message.msg and "7 days" in message.msg

    # The law article it cites holds the number (Art. 16: 十五年, written in Chinese numerals).
    by_law = article("audit-figure-law", zh="累计缴费满15年。", en="After 15 years of contributions.")
    by_law.citations.add(LawArticle.objects.get(law__slug="social-insurance-law", number=16))
    assert (UNSOURCED_FIGURE, Warning) not in messages_about(by_law)

    # A source listed on the item carries its figures; a count of things or 12333 is no figure.
    sourced = article("audit-figure-source", zh="有的地方是5天。", en="In some places 5 days.")
    sourced.sources.add(source("audit-figure-source", Source.Strength.THIRD_PARTY))
    sourced.citations.add(LawArticle.objects.get(law__slug="social-insurance-law", number=58))
    assert (UNSOURCED_FIGURE, Warning) not in messages_about(sourced)
    counts = article("audit-figure-none", zh="卡上有两个账户，请打12333。", en="The card has 2 accounts; call 12333.")
    counts.citations.add(LawArticle.objects.get(law__slug="social-insurance-law", number=58))
    assert messages_about(counts) == []


@pytest.mark.django_db
def test_a_date_with_nothing_behind_it_is_flagged():
    dated = article("audit-figure-date", zh="2024年6月起实行。", en="In force since 2024.")
    dated.citations.add(LawArticle.objects.get(law__slug="social-insurance-law", number=58))
    [message] = [m for m in findings(audited_answers()) if m.obj == dated]
    assert message.id == UNSOURCED_FIGURE and "2024年6月" in message.msg and "since 2024" in message.msg


@pytest.mark.django_db
def test_an_answer_that_repeats_the_cited_laws_wording_at_length_is_flagged():
    law_article = LawArticle.objects.get(law__slug="social-insurance-law", number=58)
    words = "".join(law_article.text_zh_hans.split())
    run = words[3:26]  # 23 characters of the article's own text
    copied = article("audit-copied", zh=f"法律说：{run[:10]} {run[10:]}。请打12333。")
    copied.citations.add(law_article)
    [message] = [m for m in findings(audited_answers()) if m.obj == copied]
    assert message.id == COPIED_LAW_WORDING and run in message.msg
    # The law's terms, shorter than a run, are how anyone says it.
    terms = article("audit-terms", zh=f"{words[3:18]}，请打12333。")
    terms.citations.add(law_article)
    assert messages_about(terms) == []
    # The same words with no citation of that article: nothing to compare them with.
    uncited = article("audit-copied-elsewhere", zh=f"{run}。请打12333。")
    uncited.citations.add(LawArticle.objects.get(law__slug="social-insurance-law", number=16))
    assert (COPIED_LAW_WORDING, Warning) not in messages_about(uncited)


@pytest.mark.django_db
def test_a_summary_that_repeats_its_articles_wording_is_flagged():
    law_article = LawArticle.objects.get(law__slug="social-insurance-law", number=16)
    assert not [m for m in copied_summaries() if m.obj == law_article]
    law_article.summary_zh_hans = "".join(law_article.text_zh_hans.split())[:30]
    law_article.save()
    [message] = [m for m in copied_summaries() if m.obj == law_article]
    assert message.id == COPIED_LAW_WORDING and str(law_article) in message.msg
