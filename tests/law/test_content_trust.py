"""What issue 11 fixed in the shipped content stays fixed: answers agree, cite what carries them."""

import re

import pytest
from django.core.management import call_command

from inquiry.cards.models import Procedure, StateTransition
from inquiry.faq.models import Article
from inquiry.guide.models import Outcome
from inquiry.law.models import Chapter, LawArticle
from tests.support.paths import REGULATION_JSON

pytestmark = pytest.mark.usefixtures("shipped_content")

MAIN = "what-happened-to-my-money"
REGULATION = "social-insurance-handling-regulation"


def keys(item):
    return {cited.citation_key for cited in item.citations.select_related("law")}


def procedure_text(procedure):
    parts = [procedure.summary_zh_hans, procedure.summary_en]
    for step in procedure.steps.all():
        parts += [step.title_zh_hans, step.title_en, step.where_zh_hans, step.where_en]
        parts += [step.bring_zh_hans, step.bring_en, step.outcome_zh_hans, step.outcome_en]
    return "\n".join(part or "" for part in parts)


def answers():
    """(name, item, its text in both languages) for every article, outcome and procedure."""
    for article in Article.objects.published():
        text = [article.short_answer_zh_hans, article.short_answer_en, article.body_zh_hans, article.body_en]
        yield f"faq:{article.slug}", article, "\n".join(part or "" for part in text)
    for outcome in Outcome.objects.select_related("flow"):
        yield f"outcome:{outcome.slug}", outcome, f"{outcome.what_happened_zh_hans}\n{outcome.what_happened_en}"
    for procedure in Procedure.objects.prefetch_related("steps"):
        yield f"procedure:{procedure.slug}", procedure, procedure_text(procedure)


@pytest.mark.django_db
def test_a_formal_report_can_be_cancelled_before_a_replacement_everywhere_it_is_explained():
    outcome = Outcome.objects.get(flow__slug=MAIN, slug="lost-get-new-card")
    assert "还没申请补卡时找到了卡" in outcome.what_happened_zh_hans and "解除挂失" in outcome.what_happened_zh_hans
    assert "before you apply for a new one, you can cancel the report" in outcome.what_happened_en
    assert not outcome.what_happened_en.startswith("After a formal report the old card can no longer be used")
    assert "mohrss-loss-report" in set(outcome.sources.values_list("slug", flat=True))
    formal = Procedure.objects.get(slug="report-lost-card-formal")
    assert "before you apply for a replacement" in formal.summary_en
    faq = Article.objects.get(slug="found-card-after-reporting")
    assert "whether the report was temporary or formal, you can cancel it" in faq.body_en


@pytest.mark.django_db
def test_cancelling_a_loss_report_links_the_procedure_that_cancels_it():
    into_use = StateTransition.objects.filter(
        source__slug__in=[
            "financial-reported-lost-temporary",
            "financial-reported-lost-formal",
            "social-security-reported-lost",
        ],
        target__slug__in=["financial-active", "social-security-enabled"],
    ).select_related("procedure")
    assert into_use.count() == 3
    assert {transition.procedure.slug for transition in into_use} == {"cancel-loss-report"}
    spare = StateTransition.objects.get(
        source__slug="social-security-enabled", target__slug="social-security-cancelled"
    )
    assert spare.procedure.slug == "cancel-card"
    steps = Procedure.objects.get(slug="cancel-loss-report").steps.all()
    assert len(steps) == 3 and all(step.sources.carrying().exists() for step in steps)


@pytest.mark.django_db
def test_the_unemployment_benefit_outcome_cites_what_carries_it():
    outcome = Outcome.objects.get(flow__slug=MAIN, slug="benefit-not-arrived")
    assert {
        f"{REGULATION}:24",
        "social-insurance-law:45",
        "social-insurance-law:46",
        "social-insurance-law:47",
    } <= keys(outcome)
    assert "10个工作日" in outcome.what_happened_zh_hans and "10 working days" in outcome.what_happened_en


COMPLAINT = re.compile(r"投诉|行政复议|仲裁|complain|reconsideration|arbitration", re.I)
HOME_SERVICE = re.compile(r"上门|home service", re.I)


@pytest.mark.django_db
def test_complaint_routes_cite_law_articles_82_and_83_where_they_are_stated():
    stated = [(name, item) for name, item, text in answers() if COMPLAINT.search(text)]
    assert stated
    for name, item in stated:
        assert {"social-insurance-law:82", "social-insurance-law:83"} & keys(item), name


@pytest.mark.django_db
def test_help_for_the_elderly_and_disabled_cites_regulation_article_30():
    stated = [(name, item) for name, item, text in answers() if HOME_SERVICE.search(text)]
    assert len(stated) >= 4
    for name, item in stated:
        assert f"{REGULATION}:30" in keys(item), name


@pytest.mark.django_db
def test_regulation_article_7_is_cited_only_where_the_answer_is_what_the_card_is():
    article_7 = LawArticle.objects.get(law__slug=REGULATION, number=7)
    citing = {name for name, item, _ in answers() if article_7 in item.citations.all()}
    # The seed (the card's two accounts), the two answers about the electronic card's standing, and the
    # three that set the card beside the medical insurance e-voucher (Art. 7's second paragraph: when the
    # code fails, the card is the other credential).
    assert citing <= {
        "faq:accidentally-put-money-on-card",
        "faq:e-card-after-loss",
        "faq:electronic-card-only",
        "faq:e-card-vs-medical-e-voucher",
        "faq:medical-e-voucher-vs-card",
        "faq:medical-code-not-working",
    }


@pytest.mark.django_db
def test_every_cited_law_article_has_a_summary_in_both_languages():
    cited = LawArticle.objects.filter(faq_articles__isnull=False) | LawArticle.objects.filter(
        guide_outcomes__isnull=False
    )
    cited = cited | LawArticle.objects.filter(procedures__isnull=False)
    for article in cited.distinct():
        assert article.summary_zh_hans and article.summary_en, article


@pytest.mark.django_db
def test_the_regulations_chapters_have_english_titles_and_keep_them_across_imports():
    chapters = Chapter.objects.filter(law__slug=REGULATION).order_by("number")
    assert [chapter.number for chapter in chapters] == list(range(1, 8))
    assert all(chapter.title_en.startswith("Chapter ") for chapter in chapters)
    assert chapters[1].title_en == "Chapter II Social Insurance Registration and Transfer"
    if REGULATION_JSON.exists():
        call_command("import_law", str(REGULATION_JSON), verbosity=0)
        assert Chapter.objects.get(law__slug=REGULATION, number=7).title_en == "Chapter VII Supplementary Provisions"
        # The article page shows the chapter in English and says there is no English text.
        assert LawArticle.objects.get(law__slug=REGULATION, number=30).chapter.number == 4


@pytest.mark.django_db
def test_a_regulation_article_without_english_says_so_and_links_the_chinese(client):
    article = LawArticle.objects.get(law__slug=REGULATION, number=30)
    html = client.get(f"/en/law/{REGULATION}/30/").content.decode()
    assert article.summary_en.split("\n")[0][:40] in html
    if article.text_zh_hans:
        assert "No English translation of this article is available" in html
        assert f'href="/zh-hans/law/{REGULATION}/30/"' in html
        assert "Chapter IV Social Insurance Services and Their Management" in html
