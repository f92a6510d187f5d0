"""The guide in the editorial admin: history, compare and revert, no lost edits, publishing, preview,
slug changes — with the guide's own rule kept on every path: a published guide never has problems."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from inquiry.editorial.history import tracked_models
from inquiry.guide.models import Choice, Flow, Outcome, Question
from tests.guide.flows import MAIN, SECOND, make_flow

from .conftest import create_user, form_data, sign_in

pytestmark = pytest.mark.usefixtures("shipped_content")

LANGUAGES = ["zh-hans", "en"]
DEPOSIT = "?money-source=deposited-myself"
OUTCOME = "/result/deposit-not-activated/?money-source=deposited-myself&activated=no"


def admin_url(obj, view="change"):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/{view}/"


def errors_of(response):
    html = response.content.decode()
    found = re.findall(r'<ul class="(?:errorlist|messagelist)[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return " ".join(found)


def save_through_admin(client, obj, **changes):
    form = form_data(client.get(admin_url(obj)))
    form.update(changes)
    response = client.post(admin_url(obj), form)
    assert response.status_code == 302, errors_of(response)
    obj.refresh_from_db()
    return obj


def row_prefix(form, pk):
    """The inline prefix ("choices-0") of the row holding object `pk` in a change form's data."""
    return next(key[: -len("-id")] for key, value in form.items() if key.endswith("-id") and value == str(pk))


def public(url, lang="en"):
    return Client().get(f"/{lang}/guide/{MAIN}{url}")


def revert(client, obj, record):
    return client.post(f"{admin_url(obj, 'history')}{record.history_id}/", {"seen_version": obj.version}, follow=True)


def test_guide_models_keep_history_in_both_languages():
    labels = {model._meta.label for model in tracked_models()}
    assert {"guide.Flow", "guide.Question", "guide.Choice", "guide.Outcome", "guide.OutcomeProcedure"} <= labels
    fields = {field.name for field in Outcome.history.model._meta.fields}
    assert {"heading_zh_hans", "heading_en", "what_happened_zh_hans", "what_happened_en"} <= fields


# --- history, compare, revert -------------------------------------------------------------------

PAGES = {
    "flow": (lambda: Flow.objects.get(slug=MAIN), "title_en", "/"),
    "question": (lambda: Question.objects.get(flow__slug=MAIN, slug="activated"), "prompt_en", f"/activated/{DEPOSIT}"),
    "outcome": (lambda: Outcome.objects.get(flow__slug=MAIN, slug="deposit-not-activated"), "heading_en", OUTCOME),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", PAGES)
def test_history_compare_and_revert(publisher_client, kind):
    get, field, url = PAGES[kind]
    obj = get()
    old_text, first = getattr(obj, field), obj.history.first()
    save_through_admin(publisher_client, obj, **{field: "Changed <b>by</b> Erin"})
    assert "Changed &lt;b&gt;by&lt;/b&gt; Erin" in public(url).content.decode()

    latest = obj.history.first()
    assert (latest.version, latest.history_user.username) == (obj.version, "pat-publisher")
    history = publisher_client.get(admin_url(obj, "history")).content.decode()
    assert "pat-publisher" in history and f"{admin_url(obj, 'history')}{first.history_id}/" in history
    compare = publisher_client.get(
        f"{admin_url(obj, 'history')}compare/", {"older": first.history_id, "newer": latest.history_id}
    ).content.decode()
    assert escape(old_text) in compare and "Changed &lt;b&gt;by&lt;/b&gt; Erin" in compare

    response = revert(publisher_client, obj, first)
    assert response.status_code == 200 and "Reverted to version" in response.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, field) == old_text and obj.version == latest.version + 1
    assert obj.history.first().history_user.username == "pat-publisher"
    html = public(url).content.decode()
    assert escape(old_text) in html and "Changed" not in html


@pytest.mark.django_db
def test_an_outcomes_legal_basis_is_in_its_history_and_comes_back_with_a_revert(publisher_client):
    outcome = Outcome.objects.get(flow__slug=MAIN, slug="deposit-not-activated")
    cited = sorted(outcome.citations.values_list("pk", flat=True))
    assert len(cited) >= 2
    first = outcome.history.first()
    save_through_admin(publisher_client, outcome, citations=[str(cited[0])])
    assert list(outcome.citations.values_list("pk", flat=True)) == [cited[0]]
    latest = outcome.history.first()
    assert {row.lawarticle_id for row in latest.citations.all()} == {cited[0]}
    compare = publisher_client.get(
        f"{admin_url(outcome, 'history')}compare/", {"older": first.history_id, "newer": latest.history_id}
    ).content.decode()
    dropped = outcome.citations.model.objects.get(pk=cited[1])
    assert escape(str(dropped)) in compare

    revert(publisher_client, outcome, first)
    assert sorted(outcome.citations.values_list("pk", flat=True)) == cited
    assert f"/en/law/{dropped.law.slug}/{dropped.number}/" in public(OUTCOME).content.decode()


@pytest.mark.django_db
def test_an_answer_edited_inline_has_its_own_history_compare_and_revert(publisher_client):
    question = Question.objects.get(flow__slug=MAIN, slug="activated")
    choice = question.choices.get(slug="no")
    old_label, first = choice.label_en, choice.history.first()
    form = form_data(publisher_client.get(admin_url(question)))
    prefix = row_prefix(form, choice.pk)
    assert form[f"{prefix}-seen_version"] == str(choice.version)
    form[f"{prefix}-label_en"] = "No, never activated"
    response = publisher_client.post(admin_url(question), form)
    assert response.status_code == 302, errors_of(response)
    choice.refresh_from_db()
    assert choice.label_en == "No, never activated" and choice.updated_by.username == "pat-publisher"
    assert "No, never activated" in public(f"/activated/{DEPOSIT}").content.decode()

    # The question's history lists the change to its answer, with a link to the answer's own history.
    history = publisher_client.get(admin_url(question, "history")).content.decode()
    assert admin_url(choice, "history") in history
    latest = choice.history.first()
    compare = publisher_client.get(
        f"{admin_url(choice, 'history')}compare/", {"older": first.history_id, "newer": latest.history_id}
    ).content.decode()
    assert escape(old_label) in compare and "No, never activated" in compare
    # The answer's own page is not in the admin's index, but its history and revert work.
    assert "/admin/guide/choice/" not in publisher_client.get("/admin/").content.decode()
    revert(publisher_client, choice, first)
    choice.refresh_from_db()
    assert choice.label_en == old_label
    assert escape(old_label) in public(f"/activated/{DEPOSIT}").content.decode()


@pytest.mark.django_db
def test_an_outcomes_procedures_are_versioned_rows_with_history(publisher_client):
    outcome = Outcome.objects.get(flow__slug=MAIN, slug="deposit-not-activated")
    first, second = outcome.procedure_links.order_by("order")
    form = form_data(publisher_client.get(admin_url(outcome)))
    one, two = row_prefix(form, first.pk), row_prefix(form, second.pk)
    assert form[f"{one}-seen_version"] == str(first.version)
    form[f"{one}-order"], form[f"{two}-order"] = "2", "1"  # the visitor should follow the second one first
    assert publisher_client.post(admin_url(outcome), form).status_code == 302
    html = public(OUTCOME).content.decode()
    assert html.index(escape(second.procedure.title_en)) < html.index(escape(first.procedure.title_en))
    first.refresh_from_db()
    assert first.history.first().history_user.username == "pat-publisher"
    assert publisher_client.get(admin_url(first, "history")).status_code == 200
    revert(publisher_client, first, first.history.filter(version=first.version - 1).first())
    first.refresh_from_db()
    assert first.order == 1


# --- no lost edits ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("same_row", [True, False], ids=["same-answer", "other-answer"])
def test_two_editors_editing_a_questions_answers_lose_nothing(same_row):
    create_user("alice", groups=["Publisher"])
    create_user("bob", groups=["Publisher"])
    alice, bob = sign_in(Client(), "alice"), sign_in(Client(), "bob")
    question = Question.objects.get(flow__slug=MAIN, slug="activated")
    yes, no = question.choices.get(slug="yes"), question.choices.get(slug="no")
    url = admin_url(question)
    alice_form, bob_form = form_data(alice.get(url)), form_data(bob.get(url))
    assert alice_form["seen_version"] == bob_form["seen_version"] == str(question.version)

    alice_form[f"{row_prefix(alice_form, yes.pk)}-label_en"] = "Yes (Alice)"
    assert alice.post(url, alice_form).status_code == 302
    bobs_row = row_prefix(bob_form, (yes if same_row else no).pk)
    bob_form[f"{bobs_row}-label_en"] = "Bob's answer"
    bob_form["hint_en"] = "Bob's hint"
    response = bob.post(url, bob_form)

    # Refused: Alice's save stands, nothing of Bob's is written, and Bob is told who saved.
    assert response.status_code == 200
    yes.refresh_from_db()
    no.refresh_from_db()
    question.refresh_from_db()
    assert yes.label_en == "Yes (Alice)" and "Bob" not in no.label_en and question.hint_en != "Bob's hint"
    html = response.content.decode()
    assert "alice" in errors_of(response) and "editorial-conflict" in html
    assert "Yes (Alice)" in html  # what Alice saved is shown
    # Bob's text is still in the form, now starting from Alice's versions: after merging, it saves.
    again = form_data(response)
    assert again[f"{bobs_row}-label_en"] == "Bob's answer" and again["hint_en"] == "Bob's hint"
    assert again["seen_version"] == str(question.version)
    if same_row:
        # Both changed the answer: Bob keeps the text in the field (he chose to; Alice's is shown beside it).
        again[f"{bobs_row}-merge__label_en"] = "field"
    else:
        # The row Bob did not touch still shows the text he opened: he brings Alice's change in.
        again[f"{row_prefix(again, yes.pk)}-label_en"] = "Yes (Alice)"
    response = bob.post(url, again)
    assert response.status_code == 302, errors_of(response)
    (yes if same_row else no).refresh_from_db()
    assert (yes if same_row else no).label_en == "Bob's answer"
    if not same_row:
        yes.refresh_from_db()
        assert yes.label_en == "Yes (Alice)"
    users = [record.history_user.username for record in question.history.all()[:2]]
    assert users == ["bob", "alice"]


@pytest.mark.django_db
def test_a_flow_form_opened_before_a_colleagues_save_is_refused(editor_client):
    flow = Flow.objects.get(slug=MAIN)
    form = form_data(editor_client.get(admin_url(flow)))
    flow.summary_en = "Saved meanwhile."
    flow.save()
    form["summary_en"] = "Mine."
    assert editor_client.post(admin_url(flow), form).status_code == 200
    flow.refresh_from_db()
    assert flow.summary_en == "Saved meanwhile."


# --- publishing ---------------------------------------------------------------------------------

CHANGELIST = "/admin/guide/flow/"


def run_action(client, name, flows):
    page = client.get(CHANGELIST).content.decode()
    data = dict(re.findall(r'<input type="hidden" name="(_seen_version_\d+)" value="(\d+)">', page))
    data.update({"action": name, "_selected_action": [flow.pk for flow in flows], "index": 0})
    return client.post(CHANGELIST, data, follow=True)


def sound_draft(slug="sound-draft"):
    return make_flow(slug, {"a": [("x", "@one"), ("y", "@two")]}, ["one", "two"], "a", published=False)


@pytest.mark.django_db
def test_an_editor_can_edit_a_draft_flow_but_not_publish_it(editor_client):
    flow = sound_draft()
    form = form_data(editor_client.get(admin_url(flow)))
    assert "status" not in form and "published_at_0" not in form  # shown, not editable
    form.update({"status": "published", "published_at_0": "2020-01-01", "published_at_1": "00:00", "title_en": "Ok"})
    assert editor_client.post(admin_url(flow), form).status_code == 302
    flow.refresh_from_db()
    assert flow.title_en == "Ok" and flow.status == Flow.Status.DRAFT and flow.published_at is None
    assert "publish_selected" not in editor_client.get(CHANGELIST).content.decode()
    run_action(editor_client, "publish_selected", [flow])
    flow.refresh_from_db()
    assert flow.status == Flow.Status.DRAFT
    assert Client().get(f"/en/guide/{flow.slug}/").status_code == 404
    # Nor by reverting to a published version.
    Flow.objects.filter(pk=flow.pk).update(status=Flow.Status.PUBLISHED, published_at=timezone.now())
    flow.refresh_from_db()
    flow.save()  # a published version in the history
    published = flow.history.first()
    flow.status = Flow.Status.DRAFT
    flow.save()
    revert(editor_client, flow, published)
    flow.refresh_from_db()
    assert flow.status == Flow.Status.DRAFT


@pytest.mark.django_db
def test_a_publisher_publishes_a_flow_from_its_form_or_the_list(publisher_client, publisher):
    by_form, by_action = sound_draft("by-form"), sound_draft("by-action")
    form = form_data(publisher_client.get(admin_url(by_form)))
    form["status"] = "published"
    assert publisher_client.post(admin_url(by_form), form).status_code == 302
    run_action(publisher_client, "publish_selected", [by_action])
    for flow in (by_form, by_action):
        flow.refresh_from_db()
        assert flow.is_public and flow.updated_by == publisher
        assert Client().get(f"/en/guide/{flow.slug}/").status_code == 200
    run_action(publisher_client, "unpublish_selected", [by_action])
    assert Client().get("/en/guide/by-action/").status_code == 404


@pytest.mark.django_db
def test_the_publish_action_refuses_a_broken_flow_and_lists_its_problems(publisher_client):
    sound = sound_draft()
    broken = make_flow("broken", {"a": [("x", "@one"), ("y", "@one")]}, ["one", "spare"], "a", published=False)
    response = run_action(publisher_client, "publish_selected", [sound, broken])
    html = response.content.decode()
    assert "was not published" in html and "Outcome “spare” cannot be reached from the first question." in html
    for flow in (sound, broken):  # all or nothing
        flow.refresh_from_db()
        assert flow.status == Flow.Status.DRAFT


@pytest.mark.django_db
def test_an_editor_cannot_break_a_published_flow_either(editor_client):
    """The status is read-only for an Editor, and the graph is checked all the same."""
    flow = Flow.objects.get(slug=MAIN)
    form = form_data(editor_client.get(admin_url(flow)))
    form["first_question"] = str(Question.objects.get(flow=flow, slug="activated").pk)
    response = editor_client.post(admin_url(flow), form)
    assert response.status_code == 200
    assert "cannot be reached from the first question" in response.content.decode()
    flow.refresh_from_db()
    assert flow.first_question.slug == "money-source"


@pytest.mark.django_db
def test_overdue_guides_are_listed_for_review(editor_client, editor):
    flow = Flow.objects.get(slug=MAIN)
    assert f"/admin/guide/flow/{flow.pk}/change/" in editor_client.get(CHANGELIST, {"review": "due"}).content.decode()
    run_action(editor_client, "mark_reviewed", [flow])
    flow.refresh_from_db()
    assert flow.last_reviewed_on == timezone.localdate() and flow.reviewed_by == editor
    assert (
        f"/admin/guide/flow/{flow.pk}/change/" not in editor_client.get(CHANGELIST, {"review": "due"}).content.decode()
    )


# --- a revert never leaves a published flow broken ----------------------------------------------


def grown_flow():
    """A published flow whose history holds versions that would break it now: it grew a question."""
    flow = make_flow("grown", {"a": [("x", "@one"), ("y", "@two")]}, ["one", "two", "three"], "a", published=False)
    a = flow.questions.get(slug="a")
    x = a.choices.get(slug="x")
    x.save()  # a first version in the history: "x" leads to outcome one
    flow.save()  # ... and the flow starts at "a"
    b = Question.objects.create(flow=flow, slug="b", prompt_zh_hans="问题 b？", prompt_en="Question b?")
    Choice.objects.create(question=b, slug="p", label_zh_hans="p", label_en="p", outcome=flow.outcomes.get(slug="one"))
    Choice.objects.create(
        question=b, slug="q", label_zh_hans="q", label_en="q", outcome=flow.outcomes.get(slug="three")
    )
    x.outcome, x.next_question = None, b
    x.save()  # now "x" leads to question b, the only way to outcome three
    flow.status, flow.published_at = Flow.Status.PUBLISHED, timezone.now()
    flow.save()
    return flow, x


@pytest.mark.django_db
def test_a_revert_that_would_break_a_published_flow_is_refused_with_its_problems(publisher_client):
    flow, x = grown_flow()
    old = x.history.filter(outcome__isnull=False).first()
    response = revert(publisher_client, x, old)
    html = response.content.decode()
    assert "This version cannot be brought back" in html
    assert "Question “b” cannot be reached from the first question." in html
    assert "Outcome “three” cannot be reached from the first question." in html
    x.refresh_from_db()
    assert x.next_question.slug == "b" and x.history.first().next_question_id == x.next_question_id
    # Set back to draft, the same revert is allowed (a draft may be broken while it is reworked).
    Flow.objects.filter(pk=flow.pk).update(status=Flow.Status.DRAFT)
    x.refresh_from_db()
    revert(publisher_client, x, old)
    x.refresh_from_db()
    assert x.outcome.slug == "one"


@pytest.mark.django_db
def test_a_flow_revert_that_would_break_it_is_refused(publisher_client):
    flow, _x = grown_flow()
    start = Question.objects.create(flow=flow, slug="start", prompt_zh_hans="开始？", prompt_en="Start?")
    Choice.objects.create(
        question=start, slug="go", label_zh_hans="去", label_en="Go", next_question=flow.first_question
    )
    Choice.objects.create(
        question=start, slug="done", label_zh_hans="好", label_en="Done", outcome=flow.outcomes.get(slug="two")
    )
    before = flow.history.first()
    flow.first_question = start
    flow.save()
    response = revert(publisher_client, flow, before)
    assert "Question “start” cannot be reached from the first question." in response.content.decode()
    flow.refresh_from_db()
    assert flow.first_question == start


@pytest.mark.django_db
def test_one_answers_own_page_cannot_break_a_published_flow(editor_client):
    choice = Choice.objects.get(question__flow__slug=MAIN, question__slug="card-problem", slug="damaged")
    form = form_data(editor_client.get(admin_url(choice)))
    form["outcome"] = str(Outcome.objects.get(flow__slug=MAIN, slug="lost-report-now").pk)
    response = editor_client.post(admin_url(choice), form)
    assert response.status_code == 200
    assert "Outcome “damaged-replace-card” cannot be reached" in response.content.decode()
    # Another guide's outcome is not offered.
    form["outcome"] = str(Outcome.objects.filter(flow__slug=SECOND).first().pk)
    assert "Select a valid choice" in editor_client.post(admin_url(choice), form).content.decode()
    choice.refresh_from_db()
    assert choice.outcome.slug == "damaged-replace-card"
    # Answers are added and deleted on their question's page, where they are checked together.
    assert editor_client.get("/admin/guide/choice/add/").status_code == 403
    response = editor_client.post(admin_url(choice, "delete"), {"post": "yes"})
    assert response.status_code == 302 and response["Location"] == admin_url(choice.question)
    assert Choice.objects.filter(pk=choice.pk).exists()


# --- slug changes -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_flow_slug_change_leaves_301s_from_every_old_url_in_both_languages(publisher_client):
    flow = save_through_admin(publisher_client, Flow.objects.get(slug=MAIN), slug="my-money")
    anonymous = Client()
    for lang in LANGUAGES:
        for path in (
            "/",
            "/money-source/",
            f"/activated/{DEPOSIT}",
            f"/activated/answer/{DEPOSIT}&activated=no",
            OUTCOME,
        ):
            response = anonymous.get(f"/{lang}/guide/{MAIN}{path}")
            assert response.status_code == 301, path
            assert response["Location"] == f"/{lang}/guide/my-money{path}"
            assert anonymous.get(response["Location"]).status_code in (200, 302)
    assert flow.slug == "my-money"


@pytest.mark.django_db
def test_shared_links_survive_renamed_questions_answers_and_outcomes(publisher_client):
    question = Question.objects.get(flow__slug=MAIN, slug="activated")
    save_through_admin(publisher_client, question, slug="account-activated")
    form = form_data(publisher_client.get(admin_url(question)))
    form[f"{row_prefix(form, question.choices.get(slug='no').pk)}-slug"] = "not-activated"
    assert publisher_client.post(admin_url(question), form).status_code == 302
    outcome = Outcome.objects.get(flow__slug=MAIN, slug="deposit-not-activated")
    save_through_admin(publisher_client, outcome, slug="activate-first")

    anonymous = Client()
    for lang in LANGUAGES:
        # A shared outcome link from before: one permanent redirect to the same outcome, current names.
        response = anonymous.get(f"/{lang}/guide/{MAIN}{OUTCOME}")
        assert response.status_code == 301
        assert response["Location"] == (
            f"/{lang}/guide/{MAIN}/result/activate-first/?money-source=deposited-myself&account-activated=not-activated"
        )
        assert anonymous.get(response["Location"]).status_code == 200
        # An old question address.
        response = anonymous.get(f"/{lang}/guide/{MAIN}/activated/{DEPOSIT}")
        assert response.status_code == 301
        assert response["Location"] == f"/{lang}/guide/{MAIN}/account-activated/{DEPOSIT}"
    # What never existed still gets the engine's treatment: dropped, or a 404 for a page.
    assert anonymous.get(f"/en/guide/{MAIN}/never-was/").status_code == 404
    response = anonymous.get(f"/en/guide/{MAIN}/account-activated/{DEPOSIT}&account-activated=bogus")
    assert (response.status_code, response["Location"]) == (302, f"/en/guide/{MAIN}/account-activated/{DEPOSIT}")


# --- staff preview of draft flows ---------------------------------------------------------------


def draft_main():
    Flow.objects.filter(slug=MAIN).update(status=Flow.Status.DRAFT)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", ["/", "/money-source/", f"/activated/{DEPOSIT}", OUTCOME])
def test_staff_preview_a_draft_flow_at_its_public_urls(editor_client, lang, path):
    draft_main()
    url = f"/{lang}/guide/{MAIN}{path}"
    assert Client().get(url).status_code == 404
    response = editor_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="preview-banner"' in html and '<meta name="robots" content="noindex, nofollow">' in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.django_db
def test_a_previews_redirects_are_not_cached_and_published_pages_are_not_previews(editor_client):
    draft_main()
    response = editor_client.get(f"/en/guide/{MAIN}/activated/answer/{DEPOSIT}&activated=no")
    assert response.status_code == 302 and "no-store" in response["Cache-Control"]
    Flow.objects.filter(slug=MAIN).update(status=Flow.Status.PUBLISHED)
    response = editor_client.get(f"/en/guide/{MAIN}{OUTCOME}")
    assert 'class="preview-banner"' not in response.content.decode() and "X-Robots-Tag" not in response


@pytest.mark.django_db
def test_staff_who_may_not_see_guides_get_no_preview(client, django_user_model):
    draft_main()
    clerk = django_user_model.objects.create_user("clerk", password="x-long-password-1", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(clerk)
    assert client.get(f"/en/guide/{MAIN}/").status_code == 404
    assert client.get(f"/en/guide/{MAIN}{OUTCOME}").status_code == 404
