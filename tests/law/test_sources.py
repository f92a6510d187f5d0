"""Sources as data: shipped, shown under "Where this comes from" with their strength, in both languages."""

import pytest
from django.utils.html import escape

from inquiry.cards.models import AccountState, Procedure
from inquiry.core.shipped import read_content
from inquiry.faq.models import Article
from inquiry.guide.models import Outcome
from inquiry.law.models import Source
from tests.support.paths import REPO

pytestmark = pytest.mark.usefixtures("shipped_content")

CONTRACT_SLUGS = {
    "people-daily-card-qa", "sz12333-card-functions", "hrss-card-qa-2022", "mohrss-loss-report",
    "mohrss-cross-province-2023", "mohrss-qa-2024-moving", "gxhrss-card-nationwide-2025",
    "people-daily-third-generation-2024", "nangong-third-generation-qa-2023", "cxs-e-card-2024",
    "xinhua-family-sharing-2024", "xinhua-card-scale-2024", "mohrss-12333-notice-2003",
    "beijing-foreigners-e-card-2024", "shanghai-foreigners-insurance-faq-2024", "beijing-jjj-card-rules-2024",
    "civil-code-inheritance", "gov-office-2021-14-medical-accounts", "mohrss-order-13-2011",
    "chengdu-temporary-loss", "qingyuan-minors-activation", "changchun-card-rules", "bank-proxy-documents",
    "xian-loss-report", "zero-balance-mixup", "inactive-account-money-in", "chongqing-expiry-qa", "e-card-password",
}  # fmt: skip


@pytest.mark.django_db
def test_every_source_of_the_contract_is_shipped_in_both_languages():
    shipped = {source.slug: source for source in Source.objects.all()}
    assert set(shipped) >= CONTRACT_SLUGS
    for source in shipped.values():
        assert source.title_zh_hans and source.title_en, source.slug
        assert source.publisher_zh_hans and source.publisher_en, source.slug
        assert source.url.startswith(("https://", "http://")), source.slug  # as the page is served
        assert source.strength in {"A", "B", "C"} and source.seen_on is not None
    assert shipped["sz12333-card-functions"].kind == "mirror"  # a copy, not the official site (issue 19)
    assert shipped["civil-code-inheritance"].strength == "A"
    assert shipped["zero-balance-mixup"].strength == "C"
    assert set(Source.objects.carrying().values_list("strength", flat=True)) == {"A", "B"}


def test_the_strengths_in_the_file_follow_the_contract():
    data = read_content(REPO / "inquiry/law/content", "sources")
    third_party = {item["slug"] for item in data["sources"] if item["strength"] == "C"}
    assert "gov-office-2021-14-medical-accounts" in third_party and "mohrss-order-13-2011" in third_party
    assert "mohrss-loss-report" not in third_party


def third_party():
    return Source.objects.create(
        slug="test-third-party",
        title_zh_hans="某网站的说法",
        title_en="What a website says",
        publisher_zh_hans="某网站",
        publisher_en="A website",
        url="https://example.com/page",
        kind=Source.Kind.OTHER,
        strength=Source.Strength.THIRD_PARTY,
    )


@pytest.mark.django_db
def test_an_articles_sources_show_with_their_strength(client):
    article = Article.objects.published().first()
    article.sources.set([third_party(), Source.objects.get(slug="sz12333-card-functions")])
    html = client.get(f"/zh-hans/faq/{article.slug}/").content.decode()
    aside = html[html.index('<aside class="legal-basis"') :]
    aside = aside[: aside.index("</aside>")]
    assert "依据和来源" in aside
    assert 'href="https://example.com/page"' in aside and "某网站的说法" in aside
    assert "第三方（仅供参考）" in aside and "官方" in aside and "sz12333.net.cn" in aside
    english = client.get(f"/en/faq/{article.slug}/").content.decode()
    assert "Where this comes from" in english and "Third party (for reference only)" in english
    assert "What a website says" in english


@pytest.mark.django_db
def test_an_outcome_a_state_and_a_procedure_step_show_their_sources(client):
    source = third_party()
    outcome = Outcome.objects.filter(flow__status="published").select_related("flow").first()
    outcome.sources.set([source])
    # The outcome page without answers sends the visitor on to answers that lead there.
    response = client.get(outcome.get_absolute_url(), follow=True)
    assert "What a website says" in response.content.decode()

    state = AccountState.objects.first()
    state.sources.set([source])
    card = client.get("/en/card/").content.decode()
    section = card[card.index(f'id="state-{state.slug}"') :]
    section = section[: section.index("</section>")]
    assert "Where this comes from" in section and "What a website says" in section

    procedure = Procedure.objects.filter(steps__isnull=False).first()
    procedure.steps.first().sources.set([source])
    page = client.get(f"/en/card/procedures/{procedure.slug}/").content.decode()
    assert "What a website says" in page[page.index('<aside class="legal-basis"') :]


@pytest.mark.django_db
def test_content_loaded_before_sources_existed_gets_them_on_the_next_load(capsys):
    """An upgrade: the record was written by a loader without `sources`; nobody edited the state."""
    from django.core.management import call_command

    from inquiry.core.models import ShippedRecord
    from inquiry.core.shipped import fingerprint

    state = AccountState.objects.get(slug="financial-reported-lost-formal")
    assert state.sources.exists()
    state.sources.clear()
    names = [
        *(
            f"{field}_{language}"
            for field in ("name", "what_you_see", "what_you_can_do")
            for language in ("zh_hans", "en")
        ),
        "account",
        "is_initial",
        "order",
    ]
    old = fingerprint({name: getattr(state, name) for name in names}, {})
    ShippedRecord.objects.filter(key=f"cards:state:{state.slug}").update(fingerprint=old)
    call_command("load_content")
    assert "mohrss-loss-report" in set(state.sources.values_list("slug", flat=True))
    assert "kept the edited version of cards:state" not in capsys.readouterr().out


@pytest.mark.django_db
def test_a_law_article_page_lists_the_procedures_that_cite_it(client):
    html = client.get("/en/law/social-insurance-law/16/").content.decode()
    cited_by = html[html.index('class="cited-by"') :]
    assert "Step-by-step procedures" in cited_by
    assert 'href="/en/card/procedures/draw-pension/"' in cited_by


@pytest.mark.django_db
def test_the_sources_page_lists_every_source_by_strength(client):
    html = client.get("/zh-hans/law/sources/").content.decode()
    assert "本站回答的依据和来源" in html and "请您向12333或当地社保部门核实" in html
    for source in Source.objects.all():
        assert f'href="{escape(source.url)}"' in html, source.slug  # an & in an address arrives as &amp;
    assert html.index('id="sources-a"') < html.index('id="sources-b"') < html.index('id="sources-c"')
    english = client.get("/en/law/sources/").content.decode()
    assert "Where our answers come from" in english and "[C] third party" in english
    assert 'href="/en/law/sources/"' in client.get("/en/law/").content.decode()
