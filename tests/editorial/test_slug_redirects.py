"""A changed slug leaves a permanent redirect from the old URL, in both languages."""

import pytest
from django.test import Client

from inquiry.cards.models import Procedure
from inquiry.core.models import SlugRedirect
from inquiry.faq.models import Article, Topic
from inquiry.law.models import Law

from .conftest import SEED, form_data, in_english

pytestmark = pytest.mark.usefixtures("shipped_content")

LANGUAGES = ["zh-hans", "en"]


def change_slug(client, obj, new_slug):
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    form = form_data(client.get(url))
    form["slug"] = new_slug
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    obj.refresh_from_db()
    return obj


@pytest.mark.django_db
def test_article_slug_change_redirects_in_both_languages_and_chains_collapse(publisher_client):
    article = Article.objects.get(slug=SEED)
    change_slug(publisher_client, article, "money-put-on-card")
    change_slug(publisher_client, article, "money-on-my-card")
    public = Client()
    for lang in LANGUAGES:
        for old in (SEED, "money-put-on-card"):
            response = public.get(f"/{lang}/faq/{old}/?from=search")
            assert response.status_code == 301
            # One hop to the current URL, language and query kept.
            assert response["Location"] == f"/{lang}/faq/money-on-my-card/?from=search"
        assert public.get(f"/{lang}/faq/money-on-my-card/").status_code == 200


@pytest.mark.django_db
def test_giving_a_slug_back_does_not_loop(publisher_client):
    article = Article.objects.get(slug=SEED)
    change_slug(publisher_client, article, "temporary-slug")
    change_slug(publisher_client, article, SEED)
    public = Client()
    assert public.get(f"/en/faq/{SEED}/").status_code == 200
    response = public.get("/en/faq/temporary-slug/")
    assert response.status_code == 301 and response["Location"] == f"/en/faq/{SEED}/"
    assert not SlugRedirect.objects.filter(old_slug=SEED).exists()


@pytest.mark.django_db
def test_unknown_slugs_and_drafts_still_404(publisher_client):
    article = Article.objects.get(slug=SEED)
    change_slug(publisher_client, article, "renamed")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    public = Client()
    assert public.get(f"/en/faq/{SEED}/").status_code == 404  # a draft's new address is not given away
    assert public.get("/en/faq/never-existed/").status_code == 404


@pytest.mark.django_db
def test_topic_procedure_and_law_slugs_redirect(superuser, client):
    in_english(client).force_login(superuser)
    topic = Topic.objects.first()
    old_topic = topic.slug
    change_slug(client, topic, "renamed-topic")
    procedure = Procedure.objects.get(slug="activate-financial-account")
    change_slug(client, procedure, "open-the-bank-account")
    law = Law.objects.get(slug="social-insurance-law")
    change_slug(client, law, "social-insurance-law-2018")
    public = Client()
    for lang in LANGUAGES:
        assert public.get(f"/{lang}/faq/topic/{old_topic}/")["Location"] == f"/{lang}/faq/topic/renamed-topic/"
        assert (
            public.get(f"/{lang}/card/procedures/activate-financial-account/")["Location"]
            == f"/{lang}/card/procedures/open-the-bank-account/"
        )
        assert public.get(f"/{lang}/law/social-insurance-law/")["Location"] == f"/{lang}/law/social-insurance-law-2018/"
        # Every article page under the law moves with it.
        response = public.get(f"/{lang}/law/social-insurance-law/14/")
        assert response.status_code == 301
        assert response["Location"] == f"/{lang}/law/social-insurance-law-2018/14/"
        assert public.get(response["Location"]).status_code == 200
