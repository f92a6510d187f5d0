"""Editor and Publisher groups come from a migration; superusers do the rest."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from inquiry.faq.models import Article

from .conftest import SEED, create_user, sign_in

pytestmark = pytest.mark.usefixtures("shipped_content")


@pytest.mark.django_db
def test_the_groups_exist_with_their_permissions():
    editor = set(Group.objects.get(name="Editor").permissions.values_list("content_type__app_label", "codename"))
    publisher = set(Group.objects.get(name="Publisher").permissions.values_list("content_type__app_label", "codename"))
    for app_label, model in [
        ("law", "law"),
        ("law", "chapter"),
        ("law", "lawarticle"),
        ("cards", "procedure"),
        ("cards", "procedurestep"),
        ("cards", "account"),
        ("cards", "accountstate"),
        ("cards", "statetransition"),
        ("faq", "topic"),
        ("faq", "article"),
        ("guide", "flow"),
        ("guide", "question"),
        ("guide", "choice"),
        ("guide", "outcome"),
        ("guide", "outcomeprocedure"),
    ]:
        for action in ("add", "change", "view"):
            assert (app_label, f"{action}_{model}") in editor
    assert ("faq", "publish_article") not in editor
    assert ("faq", "delete_article") not in editor
    assert ("cards", "delete_procedurestep") in editor  # removing a step is part of editing a procedure
    assert ("guide", "publish_flow") not in editor
    assert ("guide", "delete_choice") in editor and ("guide", "delete_outcomeprocedure") in editor
    assert ("guide", "delete_flow") not in editor and ("guide", "delete_question") not in editor
    # Both see proposed changes to live content; only Publishers approve them.
    assert ("editorial", "view_proposal") in editor and ("editorial", "approve_proposal") not in editor
    assert publisher == editor | {
        ("faq", "publish_article"),
        ("guide", "publish_flow"),
        ("editorial", "approve_proposal"),
    }
    assert not any(app_label in ("auth", "axes", "sessions", "admin") for app_label, _codename in publisher)


@pytest.mark.django_db
@pytest.mark.parametrize("group", ["Editor", "Publisher"])
def test_editors_and_publishers_cannot_manage_users_groups_or_sign_in_records(group):
    create_user("someone", groups=[group])
    client = sign_in(Client(), "someone")
    assert client.get("/admin/faq/article/").status_code == 200
    for url in ("/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/", "/admin/axes/accessattempt/"):
        assert client.get(url).status_code == 403, url
    index = client.get("/admin/").content.decode()
    assert "/admin/auth/" not in index


@pytest.mark.django_db
def test_an_editor_cannot_delete_a_page(editor_client):
    article = Article.objects.get(slug=SEED)
    assert editor_client.get(f"/admin/faq/article/{article.pk}/delete/").status_code == 403
    assert editor_client.post(f"/admin/faq/article/{article.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_no_account_exists_until_an_administrator_is_created(django_user_model):
    # The migrations and the shipped content create groups, never users.
    assert not django_user_model.objects.exists()


@pytest.mark.django_db
def test_a_system_check_fails_when_a_content_model_is_not_in_both_groups():
    """The list above is written by hand; the check (editorial.E004) covers every content model."""
    from django.contrib.auth.models import Permission
    from django.core import checks

    def findings():
        return [
            message
            for message in checks.run_checks(tags=[checks.Tags.database], databases=["default"])
            if message.id == "editorial.E004"
        ]

    assert findings() == []
    # As if a new model's app forgot its grant migration: its permissions exist but no group has them.
    Group.objects.get(name="Publisher").permissions.remove(Permission.objects.get(codename="change_synonymgroup"))
    Group.objects.get(name="Editor").permissions.remove(Permission.objects.get(codename="view_source"))
    found = findings()
    assert sorted(message.msg for message in found) == [
        "The Editor group cannot edit law.Source: it lacks view_source.",
        "The Publisher group cannot edit search.SynonymGroup: it lacks change_synonymgroup.",
    ]
