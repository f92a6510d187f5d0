"""Two editors, one article: the second save over a newer version is refused and loses nothing."""

import re

import pytest
from django.test import Client
from django.utils.html import escape

from inquiry.cards.models import Procedure
from inquiry.faq.models import Article

from .conftest import SEED, create_user, form_data, in_english, sign_in

pytestmark = pytest.mark.usefixtures("shipped_content")

EDITOR = "Editor"


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def as_list(value):
    return value if isinstance(value, list) else ([] if value is None else [value])


def errors_of(response):
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S))


@pytest.mark.django_db
def test_second_editor_is_refused_keeps_their_text_and_can_merge():
    create_user("alice", groups=["Publisher"])
    create_user("bob", groups=["Publisher"])
    alice = sign_in(Client(), "alice")
    bob = sign_in(Client(), "bob")
    article = Article.objects.get(slug=SEED)
    url = change_url(article)
    started_at = article.version

    # Both open the same article, at the same version.
    alice_form = form_data(alice.get(url))
    bob_form = form_data(bob.get(url))
    assert alice_form["seen_version"] == bob_form["seen_version"] == str(started_at)

    alice_form["body_en"] = "Alice's first line.\n" + alice_form["body_en"]
    response = alice.post(url, alice_form)
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.version == started_at + 1
    alice_body = article.body_en

    bob_text = "Bob rewrote the detail.\n\nA second paragraph from Bob."
    bob_form["body_en"] = bob_text
    bob_form["title_zh_hans"] = "鲍勃改过的问题"
    response = bob.post(url, bob_form)

    # Refused: nothing of Bob's is written, Alice's version stands.
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.version == started_at + 1
    assert article.body_en == alice_body
    assert article.title_zh_hans != "鲍勃改过的问题"
    html = response.content.decode()
    # Told who saved, and what they saved (Alice's line, as a difference from where Bob started).
    assert "alice" in errors_of(response)
    assert "editorial-conflict" in html
    mark = '<span class="diff-mark" aria-hidden="true">+</span>'
    assert f'<ins class="diff-line diff-ins">{mark}Alice&#x27;s first line.</ins>' in html
    # Bob's own text is still in the form, to merge.
    again = form_data(response)
    assert again["body_en"] == bob_text
    assert again["title_zh_hans"] == "鲍勃改过的问题"
    # The form's merge now starts from Alice's version: after merging, Bob's save goes through.
    again["body_en"] = "Alice's first line.\n" + bob_text
    again["merge__body_en"] = "field"  # the text in the field: the two combined
    response = bob.post(url, again)
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.version == started_at + 2
    assert article.body_en.startswith("Alice's first line.\nBob rewrote")

    # Both versions are in the history, each with who saved it.
    saved = {record.version: record for record in article.history.all()}
    assert saved[started_at + 1].history_user.username == "alice"
    assert saved[started_at + 1].body_en == alice_body
    assert saved[started_at + 2].history_user.username == "bob"
    history = alice.get(f"/admin/faq/article/{article.pk}/history/").content.decode()
    assert "alice" in history and "bob" in history


@pytest.mark.django_db
def test_saving_again_after_a_refusal_keeps_the_colleagues_changes_to_other_fields():
    """Three-way: what Alice changed and Bob did not touch comes into Bob's form, so his next save keeps it."""
    create_user("alice", groups=["Publisher"])
    create_user("bob", groups=["Publisher"])
    alice = sign_in(Client(), "alice")
    bob = sign_in(Client(), "bob")
    article = Article.objects.get(slug=SEED)
    url = change_url(article)
    alice_form = form_data(alice.get(url))
    bob_form = form_data(bob.get(url))

    from inquiry.law.models import LawArticle

    extra = LawArticle.objects.filter(law__slug="social-insurance-law").exclude(faq_articles=article).first()
    alice_form["title_en"] = "Alice's clearer question?"
    alice_form["citations"] = [*as_list(alice_form.get("citations")), str(extra.pk)]
    assert alice.post(url, alice_form).status_code == 302

    bob_form["short_answer_en"] = "Bob's shorter answer."
    refused = bob.post(url, bob_form)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Their changes to fields you had not touched are now in the form" in html
    again = form_data(refused)
    assert again["short_answer_en"] == "Bob's shorter answer."
    assert again["title_en"] == "Alice's clearer question?"
    assert str(extra.pk) in as_list(again.get("citations"))

    # Bob saves again without touching anything: Alice's changes survive, Bob's is added.
    saved = bob.post(url, again)
    assert saved.status_code == 302, errors_of(saved)
    article.refresh_from_db()
    assert article.title_en == "Alice's clearer question?"
    assert article.short_answer_en == "Bob's shorter answer."
    assert article.citations.filter(pk=extra.pk).exists()


def two_editors_open(article):
    create_user("alice", groups=["Publisher"])
    create_user("bob", groups=["Publisher"])
    alice = sign_in(Client(), "alice")
    bob = sign_in(Client(), "bob")
    url = change_url(article)
    return alice, bob, url, form_data(alice.get(url)), form_data(bob.get(url))


def both_change(article, field, alice_text, bob_text):
    """Alice and Bob open `article`; Alice saves her text of `field`, then Bob his: (bob, url, the conflict
    page Bob gets back)."""
    alice, bob, url, alice_form, bob_form = two_editors_open(article)
    alice_form[field] = alice_text
    assert alice.post(url, alice_form).status_code == 302
    bob_form[field] = bob_text
    return bob, url, bob.post(url, bob_form)


@pytest.mark.django_db
def test_a_field_both_editors_changed_is_marked_to_merge():
    article = Article.objects.get(slug=SEED)
    _bob, _url, refused = both_change(article, "title_en", "Alice's title?", "Bob's title?")
    assert refused.status_code == 200
    assert "Changed by you and by the other editor" in errors_of(refused)
    assert form_data(refused)["title_en"] == "Bob's title?"
    html = refused.content.decode()
    # Both texts are shown side by side, with the choice to make.
    assert 'class="editorial-merge"' in html
    assert "Alice&#x27;s title?" in html and "Bob&#x27;s title?" in html
    assert 'name="merge__title_en"' in html
    article.refresh_from_db()
    assert article.title_en == "Alice's title?"


@pytest.mark.django_db
def test_a_second_click_after_the_conflict_page_overwrites_nothing():
    """Saving the conflict page again without deciding is refused: the colleague's change stays live."""
    article = Article.objects.get(slug=SEED)
    alice, bob, url, alice_form, bob_form = two_editors_open(article)
    alice_form["title_en"] = "Alice's title?"
    alice_form["body_en"] = "Alice's paragraph.\n\n" + alice_form["body_en"]
    assert alice.post(url, alice_form).status_code == 302
    article.refresh_from_db()
    alice_version, alice_body = article.version, article.body_en

    bob_form["title_en"] = "Bob's title?"
    bob_form["body_en"] = "Bob's paragraph.\n\n" + bob_form["body_en"]
    refused = bob.post(url, bob_form)
    assert refused.status_code == 200

    # The second click: the same form, saved again as it came back.
    again = bob.post(url, form_data(refused))
    assert again.status_code == 200
    assert "Nothing was saved yet" in again.content.decode()
    assert "Choose which text to keep." in again.content.decode()
    article.refresh_from_db()
    assert (article.version, article.title_en, article.body_en) == (alice_version, "Alice's title?", alice_body)

    # Deciding one field is not enough.
    data = form_data(again)
    data["merge__title_en"] = "theirs"
    half = bob.post(url, data)
    assert half.status_code == 200
    article.refresh_from_db()
    assert article.version == alice_version

    # Their title, and both paragraphs combined by hand in the body: saved, and no word of either is lost.
    data = form_data(half)
    assert data["merge__title_en"] == "theirs"
    assert data["title_en"] == "Alice's title?"  # their text is put in the field as soon as it is chosen
    data["body_en"] = "Bob's paragraph.\n\n" + alice_body
    data["merge__body_en"] = "field"
    saved = bob.post(url, data)
    assert saved.status_code == 302, errors_of(saved)
    article.refresh_from_db()
    assert article.version == alice_version + 1
    assert article.title_en == "Alice's title?"
    assert "Alice's paragraph." in article.body_en and "Bob's paragraph." in article.body_en


@pytest.mark.django_db
def test_keeping_their_text_puts_it_back_whatever_the_field_holds():
    article = Article.objects.get(slug=SEED)
    bob, url, refused = both_change(article, "short_answer_en", "Alice's short answer.", "Bob's short answer.")
    data = form_data(refused)
    data["merge__short_answer_en"] = "theirs"
    saved = bob.post(url, data)
    assert saved.status_code == 302, errors_of(saved)
    article.refresh_from_db()
    assert article.short_answer_en == "Alice's short answer."


@pytest.mark.django_db
def test_a_third_save_while_merging_asks_again():
    """Carol saves while Bob is deciding: Bob's decisions were about Alice's version, so he is asked again."""
    article = Article.objects.get(slug=SEED)
    bob, url, refused = both_change(article, "title_en", "Alice's title?", "Bob's title?")
    data = form_data(refused)

    article.refresh_from_db()
    article.body_en = "Carol's body."
    article.save()
    data["merge__title_en"] = "theirs"
    refused = bob.post(url, data)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "editorial-conflict" in html and 'name="merge__title_en"' in html
    article.refresh_from_db()
    assert article.title_en == "Alice's title?" and article.body_en == "Carol's body."
    data = form_data(refused)
    assert "merge__title_en" not in data  # the earlier decision is not carried over
    assert data["body_en"] == "Carol's body."  # Bob had not touched the body: Carol's comes in
    data["merge__title_en"] = "field"
    assert bob.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.title_en == "Bob's title?" and article.body_en == "Carol's body."


@pytest.mark.django_db
def test_an_altered_merge_record_saves_nothing():
    article = Article.objects.get(slug=SEED)
    bob, url, refused = both_change(article, "title_en", "Alice's title?", "Bob's title?")
    data = form_data(refused)
    data["merge_fields"] = "not-a-token"
    response = bob.post(url, data)
    assert response.status_code == 200
    assert "record of the fields left to merge was changed" in response.content.decode()
    del data["merge_fields"]  # without it, the form is still at the version Bob started from: a conflict again
    response = bob.post(url, data)
    assert response.status_code == 200 and 'name="merge__title_en"' in response.content.decode()
    article.refresh_from_db()
    assert article.title_en == "Alice's title?"


@pytest.mark.django_db
def test_revert_restores_the_old_text_on_the_public_page():
    create_user("alice", groups=["Publisher"])
    alice = sign_in(Client(), "alice")
    article = Article.objects.get(slug=SEED)
    url = change_url(article)
    original_line = article.body_en.splitlines()[0]
    form = form_data(alice.get(url))
    form["body_en"] = "Replaced by mistake."
    assert alice.post(url, form).status_code == 302
    public = Client().get(f"/en/faq/{SEED}/").content.decode()
    assert "Replaced by mistake." in public and escape(original_line) not in public

    article.refresh_from_db()
    before = article.history.filter(version=article.version - 1).order_by("-history_id").first()
    revert_url = f"/admin/faq/article/{article.pk}/history/{before.history_id}/"
    page = alice.get(revert_url)
    assert page.status_code == 200
    assert "Replaced by mistake." in page.content.decode()  # what will change is shown first
    response = alice.post(revert_url, {"seen_version": article.version})
    assert response.status_code == 302

    article.refresh_from_db()
    assert article.version == before.version + 2  # a revert is a new version, not a rewind
    assert article.updated_by.username == "alice"
    latest = article.history.first()
    assert latest.history_user.username == "alice" and str(before.version) in latest.history_change_reason
    public = Client().get(f"/en/faq/{SEED}/").content.decode()
    assert "Replaced by mistake." not in public
    assert escape(original_line)[:40] in public


@pytest.mark.django_db
def test_a_stale_revert_is_refused(publisher_client):
    article = Article.objects.get(slug=SEED)
    first = article.history.first()
    seen = article.version
    article.body_en = "Someone else saved this meanwhile."
    article.save()
    response = publisher_client.post(
        f"/admin/faq/article/{article.pk}/history/{first.history_id}/", {"seen_version": seen}
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.body_en == "Someone else saved this meanwhile."


@pytest.mark.django_db
def test_inline_rows_carry_their_versions():
    """A step changed elsewhere (its own page) after the procedure page was opened: the inline save is refused."""
    create_user("alice", groups=["Publisher"])
    create_user("bob", groups=["Publisher"])
    alice = sign_in(Client(), "alice")
    bob = sign_in(Client(), "bob")
    procedure = Procedure.objects.filter(steps__isnull=False).first()
    step = procedure.steps.first()
    url = change_url(procedure)
    bob_form = form_data(bob.get(url))
    prefix = next(
        key[: -len("-id")] for key, value in bob_form.items() if key.endswith("-id") and value == str(step.pk)
    )
    assert bob_form[f"{prefix}-seen_version"] == str(step.version)

    alice_form = form_data(alice.get(change_url(step)))
    alice_form["title_en"] = "Alice's step title"
    assert alice.post(change_url(step), alice_form).status_code == 302

    bob_form[f"{prefix}-title_en"] = "Bob's step title"
    response = bob.post(url, bob_form)
    assert response.status_code == 200
    step.refresh_from_db()
    assert step.title_en == "Alice's step title"
    again = form_data(response)
    assert again[f"{prefix}-title_en"] == "Bob's step title"
    assert "Alice&#x27;s step title" in response.content.decode()  # what Alice saved is shown
    assert bob.post(url, again).status_code == 200  # saved again without deciding: refused
    step.refresh_from_db()
    assert step.title_en == "Alice's step title"
    again[f"{prefix}-merge__title_en"] = "field"
    response = bob.post(url, again)
    assert response.status_code == 302, errors_of(response)
    step.refresh_from_db()
    assert step.title_en == "Bob's step title"
    assert step.updated_by.username == "bob"


@pytest.mark.django_db
def test_deleting_an_inline_row_that_changed_meanwhile_is_refused(superuser, client):
    in_english(client).force_login(superuser)
    procedure = Procedure.objects.filter(steps__isnull=False).first()
    step = procedure.steps.first()
    url = change_url(procedure)
    form = form_data(client.get(url))
    prefix = next(key[: -len("-id")] for key, value in form.items() if key.endswith("-id") and value == str(step.pk))
    step.title_en = "Changed meanwhile"
    step.save()
    form[f"{prefix}-DELETE"] = "on"
    response = client.post(url, form)
    assert response.status_code == 200
    assert procedure.steps.filter(pk=step.pk).exists()


@pytest.mark.django_db
def test_a_form_without_its_version_is_refused(editor_client):
    article = Article.objects.get(slug=SEED)
    url = change_url(article)
    form = form_data(editor_client.get(url))
    del form["seen_version"]
    form["body_en"] = "No version sent."
    assert editor_client.post(url, form).status_code == 200
    article.refresh_from_db()
    assert article.body_en != "No version sent."


@pytest.mark.django_db
def test_created_by_and_updated_by_are_set_by_the_admin(editor, editor_client):
    topic = Article.objects.get(slug=SEED).topic
    response = editor_client.post(
        "/admin/faq/article/add/",
        {
            "title_zh_hans": "新问题？",
            "title_en": "A new question?",
            "slug": "a-new-question",
            "topic": topic.pk,
            "short_answer_zh_hans": "简短回答。",
            "short_answer_en": "Short answer.",
            "body_zh_hans": "",
            "body_en": "",
            "order": 0,
        },
    )
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(slug="a-new-question")
    assert article.created_by == editor and article.updated_by == editor
    assert article.status == Article.Status.DRAFT
    assert article.history.get().history_type == "+"


@pytest.mark.django_db
def test_the_conflict_is_explained_in_chinese_to_a_chinese_editor(editor, client):
    client.force_login(editor)  # no Accept-Language: the admin speaks Chinese, the site's first language
    article = Article.objects.get(slug=SEED)
    url = change_url(article)
    form = form_data(client.get(url))
    article.body_en = "Saved meanwhile."
    article.save()
    form["body_en"] = "Mine."
    html = client.post(url, form).content.decode()
    assert "没有保存任何内容" in html and "您输入的内容也没有丢失" in html
