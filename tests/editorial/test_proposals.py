"""An Editor's change to live content is a proposal; a Publisher approves (replays) or rejects it."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from inquiry.cards.models import Procedure
from inquiry.editorial.models import Proposal
from inquiry.faq.models import Article
from inquiry.guide.models import Flow, Question
from tests.guide.flows import MAIN

from .conftest import SEED, form_data, in_english
from .test_publishing import make_draft

pytestmark = pytest.mark.usefixtures("shipped_content")

ARTICLE = "/admin/faq/article/{}/change/"


def proposal_url(proposal):
    return f"/admin/editorial/proposal/{proposal.pk}/change/"


def messages_of(response):
    return " ".join(re.findall(r'<ul class="messagelist">(.*?)</ul>', response.content.decode(), re.S))


def public_article(article):
    return Client().get(f"/en/faq/{article.slug}/").content.decode()


def propose_article_edit(editor_client, article, **changes):
    url = ARTICLE.format(article.pk)
    form = form_data(editor_client.get(url))
    form.update(changes)
    return editor_client.post(url, form)


@pytest.fixture
def editor_client(editor):
    """Its own client: the shared `client` fixture would be signed in as whoever signed in last."""
    client = Client()
    client.force_login(editor)
    return in_english(client)


@pytest.fixture
def publisher_client(publisher):
    client = Client()
    client.force_login(publisher)
    return in_english(client)


@pytest.fixture
def live_article(db):
    article = Article.objects.get(slug=SEED)
    assert article.status == Article.Status.PUBLISHED
    return article


def test_an_editors_edit_of_a_published_article_waits_for_a_publisher(editor_client, publisher_client, live_article):
    assert (
        "When you save, your change goes to a Publisher"
        in editor_client.get(ARTICLE.format(live_article.pk)).content.decode()
    )
    versions = live_article.history.count()
    log_entries = LogEntry.objects.count()
    old_answer = live_article.short_answer_en
    response = propose_article_edit(editor_client, live_article, short_answer_en="A proposed new answer.")

    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal_url(proposal)
    assert proposal.status == Proposal.Status.PENDING and proposal.proposed_by.username == "erin-editor"
    assert proposal.base_version == live_article.version and "csrfmiddlewaretoken" not in proposal.data
    live_article.refresh_from_db()
    assert live_article.short_answer_en == old_answer and live_article.history.count() == versions
    assert LogEntry.objects.count() == log_entries
    assert "A proposed new answer." not in public_article(live_article)
    assert "Sent for approval" in messages_of(editor_client.get(proposal_url(proposal)))

    # The Publisher sees the text now and as proposed, and approves.
    page = publisher_client.get(proposal_url(proposal)).content.decode()
    # The comparison shows a long text line by line (the seed's answer has two paragraphs).
    assert all(line in page for line in old_answer.splitlines() if line)
    assert "A proposed new answer." in page and 'name="_approve"' in page
    response = publisher_client.post(proposal_url(proposal), {"_approve": "1"}, follow=True)
    assert "is now on the site" in messages_of(response)
    live_article.refresh_from_db()
    assert live_article.short_answer_en == "A proposed new answer."
    assert live_article.status == Article.Status.PUBLISHED and live_article.published_at is not None
    assert "A proposed new answer." in public_article(live_article)
    latest = live_article.history.first()
    assert live_article.history.count() == versions + 1
    assert latest.history_user.username == "pat-publisher"
    assert latest.history_change_reason == f"Approved proposal #{proposal.pk} by erin-editor"
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED and proposal.decided_by.username == "pat-publisher"


def test_an_editors_edit_of_a_draft_saves_at_once(editor_client):
    draft = make_draft()
    url = ARTICLE.format(draft.pk)
    assert "goes to a Publisher" not in editor_client.get(url).content.decode()
    form = form_data(editor_client.get(url))
    form["short_answer_en"] = "Changed in the draft."
    assert editor_client.post(url, form).status_code == 302
    draft.refresh_from_db()
    assert draft.short_answer_en == "Changed in the draft." and not Proposal.objects.exists()


def test_a_publishers_edit_of_live_content_saves_at_once(publisher_client, live_article):
    response = propose_article_edit(publisher_client, live_article, short_answer_en="Straight to the site.")
    assert response.status_code == 302
    live_article.refresh_from_db()
    assert live_article.short_answer_en == "Straight to the site." and not Proposal.objects.exists()


def test_an_inline_step_edit_is_a_proposal_and_approval_applies_it(editor_client, publisher_client):
    procedure = Procedure.objects.filter(steps__isnull=False).first()
    step = procedure.steps.first()
    old_title = step.title_en
    url = f"/admin/cards/procedure/{procedure.pk}/change/"
    form = form_data(editor_client.get(url))
    prefix = next(key[:-3] for key, value in form.items() if key.endswith("-id") and value == str(step.pk))
    form[f"{prefix}-title_en"] = "A step title proposed inline"
    assert editor_client.post(url, form).status_code == 302
    step.refresh_from_db()
    assert step.title_en == old_title
    proposal = Proposal.objects.get()

    page = publisher_client.get(proposal_url(proposal)).content.decode()
    assert "A step title proposed inline" in page and "Changed:" in page
    publisher_client.post(proposal_url(proposal), {"_approve": "1"})
    step.refresh_from_db()
    assert step.title_en == "A step title proposed inline"
    assert step.history.first().history_change_reason == f"Approved proposal #{proposal.pk} by erin-editor"
    assert "A step title proposed inline" in Client().get(f"/en/card/procedures/{procedure.slug}/").content.decode()


def test_adding_a_procedure_is_a_proposal_and_approval_creates_it(editor_client, publisher_client):
    page = editor_client.get("/admin/cards/procedure/add/")
    assert "goes to a Publisher for approval" in page.content.decode()
    form = form_data(page)
    form.update({"slug": "a-proposed-procedure", "title_zh_hans": "提议的手续", "title_en": "A proposed procedure"})
    response = editor_client.post("/admin/cards/procedure/add/", form)
    assert response.status_code == 302, messages_of(response)
    assert not Procedure.objects.filter(slug="a-proposed-procedure").exists()
    proposal = Proposal.objects.get()
    assert proposal.object_id is None and "A proposed procedure" in str(proposal)

    assert "A proposed procedure" in publisher_client.get(proposal_url(proposal)).content.decode()
    publisher_client.post(proposal_url(proposal), {"_approve": "1"})
    created = Procedure.objects.get(slug="a-proposed-procedure")
    assert created.title_en == "A proposed procedure" and created.history.count() == 1
    assert Proposal.objects.get().status == Proposal.Status.APPROVED


def test_a_proposal_made_on_an_older_version_is_refused_and_changes_nothing(
    editor_client, publisher_client, live_article
):
    propose_article_edit(editor_client, live_article, short_answer_en="Proposed on the old version.")
    proposal = Proposal.objects.get()
    # Someone else saves the next version meanwhile.
    assert propose_article_edit(publisher_client, live_article, title_en="A colleague's title").status_code == 302
    live_article.refresh_from_db()
    versions = live_article.history.count()

    page = publisher_client.get(proposal_url(proposal)).content.decode()
    assert "The page changed since this proposal" in page
    response = publisher_client.post(proposal_url(proposal), {"_approve": "1"}, follow=True)
    assert response.status_code == 200
    text = messages_of(response)
    assert "The page changed since the proposal" in text and f"version {proposal.base_version}" in text
    live_article.refresh_from_db()
    assert live_article.short_answer_en != "Proposed on the old version."
    assert live_article.title_en == "A colleague's title" and live_article.history.count() == versions
    assert Proposal.objects.get().status == Proposal.Status.PENDING


def test_reject_leaves_the_page_unchanged(editor_client, publisher_client, live_article):
    old_answer = live_article.short_answer_en
    propose_article_edit(editor_client, live_article, short_answer_en="Not wanted.")
    proposal = Proposal.objects.get()
    response = publisher_client.post(proposal_url(proposal), {"_reject": "1"}, follow=True)
    assert "Rejected" in messages_of(response)
    live_article.refresh_from_db()
    assert live_article.short_answer_en == old_answer
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED and proposal.decided_by.username == "pat-publisher"
    # A decided proposal cannot be approved afterwards.
    publisher_client.post(proposal_url(proposal), {"_approve": "1"})
    live_article.refresh_from_db()
    assert live_article.short_answer_en == old_answer


def test_an_editor_cannot_approve_or_reject_but_can_withdraw_their_own(editor_client, live_article):
    old_answer = live_article.short_answer_en
    propose_article_edit(editor_client, live_article, short_answer_en="Self-approved?")
    proposal = Proposal.objects.get()
    page = editor_client.get(proposal_url(proposal)).content.decode()
    assert 'name="_approve"' not in page and 'name="_reject"' not in page and 'name="_withdraw"' in page
    assert editor_client.post(proposal_url(proposal), {"_approve": "1"}).status_code == 403
    assert editor_client.post(proposal_url(proposal), {"_reject": "1"}).status_code == 403
    live_article.refresh_from_db()
    assert live_article.short_answer_en == old_answer and Proposal.objects.get().status == Proposal.Status.PENDING
    editor_client.post(proposal_url(proposal), {"_withdraw": "1"})
    assert Proposal.objects.get().status == Proposal.Status.WITHDRAWN


def test_only_the_author_withdraws(publisher_client, editor_client, live_article):
    propose_article_edit(editor_client, live_article, short_answer_en="Mine.")
    proposal = Proposal.objects.get()
    assert publisher_client.post(proposal_url(proposal), {"_withdraw": "1"}).status_code == 403
    assert Proposal.objects.get().status == Proposal.Status.PENDING


def test_a_proposers_revert_of_a_live_article_is_refused(editor_client, publisher_client, live_article):
    propose_article_edit(publisher_client, live_article, short_answer_en="Second version.")
    live_article.refresh_from_db()
    older = live_article.history.filter(version=live_article.version - 1).first()
    url = f"/admin/faq/article/{live_article.pk}/history/{older.history_id}/"
    page = editor_client.get(url)
    assert page.status_code == 200 and "only a Publisher can bring back" in page.content.decode()
    response = editor_client.post(url, {"seen_version": live_article.version}, follow=True)
    assert "only a Publisher can bring back" in messages_of(response)
    live_article.refresh_from_db()
    assert live_article.short_answer_en == "Second version."


@pytest.mark.parametrize(
    "data",
    [
        "not a dict",
        {"short_answer_en": "not a list"},
        {"short_answer_en": [1, 2]},
        {"seen_version": ["abc"], "INVALID-TOTAL_FORMS": ["x"]},
        {},
    ],
)
def test_tampered_proposal_data_gives_a_clear_message_not_an_error(publisher_client, editor, live_article, data):
    versions = live_article.history.count()
    proposal = Proposal.objects.create(
        content_type=ContentType.objects.get_for_model(Article),
        object_id=str(live_article.pk),
        object_repr=str(live_article),
        data=data,
        base_version=live_article.version,
        proposed_by=editor,
    )
    page = publisher_client.get(proposal_url(proposal))
    assert page.status_code == 200
    response = publisher_client.post(proposal_url(proposal), {"_approve": "1"}, follow=True)
    assert response.status_code == 200
    assert "cannot" in messages_of(response)
    assert live_article.history.count() == versions
    assert Proposal.objects.get().status == Proposal.Status.PENDING


def test_a_proposal_for_a_deleted_object_or_unknown_id_is_handled(publisher_client, editor):
    proposal = Proposal.objects.create(
        content_type=ContentType.objects.get_for_model(Article),
        object_id="999999",
        object_repr="gone",
        data={},
        proposed_by=editor,
    )
    assert "has been deleted since" in publisher_client.get(proposal_url(proposal)).content.decode()
    response = publisher_client.post(proposal_url(proposal), {"_approve": "1"}, follow=True)
    assert "has been deleted since" in messages_of(response)
    assert publisher_client.get("/admin/editorial/proposal/abc/change/").status_code == 404


def test_the_proposal_list_shows_waiting_ones_first_with_a_status_filter(editor_client, publisher_client, live_article):
    propose_article_edit(editor_client, live_article, short_answer_en="First.")
    first = Proposal.objects.get()
    publisher_client.post(proposal_url(first), {"_reject": "1"})
    propose_article_edit(editor_client, live_article, short_answer_en="Second.")
    second = Proposal.objects.exclude(pk=first.pk).get()
    page = publisher_client.get("/admin/editorial/proposal/").content.decode()
    assert page.index(proposal_url(second)) < page.index(proposal_url(first))
    pending = publisher_client.get("/admin/editorial/proposal/", {"status__exact": "pending"}).content.decode()
    assert proposal_url(second) in pending and proposal_url(first) not in pending
    assert "/admin/editorial/proposal/" in editor_client.get("/admin/").content.decode()


def test_a_guides_answer_is_proposed_while_the_guide_is_published_and_saved_directly_in_a_draft(
    editor_client, publisher_client
):
    question = Question.objects.get(flow__slug=MAIN, slug="activated")
    assert question.flow.status == Flow.Status.PUBLISHED
    choice = question.choices.get(slug="no")
    old_label = choice.label_en
    url = f"/admin/guide/question/{question.pk}/change/"
    form = form_data(editor_client.get(url))
    prefix = next(key[:-3] for key, value in form.items() if key.endswith("-id") and value == str(choice.pk))
    form[f"{prefix}-label_en"] = "No, never (proposed)"
    assert editor_client.post(url, form).status_code == 302
    choice.refresh_from_db()
    assert choice.label_en == old_label
    proposal = Proposal.objects.get()
    assert "No, never (proposed)" in publisher_client.get(proposal_url(proposal)).content.decode()
    publisher_client.post(proposal_url(proposal), {"_approve": "1"})
    choice.refresh_from_db()
    assert choice.label_en == "No, never (proposed)"

    # The same guide as a draft: the Editor's save goes straight in.
    Flow.objects.filter(pk=question.flow_id).update(status=Flow.Status.DRAFT)
    form = form_data(editor_client.get(url))
    form[f"{prefix}-label_en"] = "No, straight into the draft"
    assert editor_client.post(url, form).status_code == 302
    choice.refresh_from_db()
    assert choice.label_en == "No, straight into the draft" and Proposal.objects.count() == 1


def test_a_proposers_form_opened_before_a_colleagues_save_shows_the_conflict_first(
    editor_client, publisher_client, live_article
):
    url = ARTICLE.format(live_article.pk)
    form = form_data(editor_client.get(url))
    assert propose_article_edit(publisher_client, live_article, title_en="Saved meanwhile").status_code == 302
    form["short_answer_en"] = "Proposed on a stale form."
    response = editor_client.post(url, form)
    assert response.status_code == 200 and "editorial-conflict" in response.content.decode()
    assert not Proposal.objects.exists()


def test_publishers_are_told_on_the_admin_index_what_waits_for_them(editor_client, publisher_client, live_article):
    assert "wait for your approval" not in publisher_client.get("/admin/").content.decode()
    propose_article_edit(editor_client, live_article, short_answer_en="One.")
    propose_article_edit(editor_client, live_article, short_answer_en="Two.")
    assert "2 proposed changes wait for your approval." in publisher_client.get("/admin/").content.decode()
    assert "wait for your approval" not in editor_client.get("/admin/").content.decode()


def test_approving_a_guide_answer_offers_the_targets_of_its_own_guide_whatever_the_proposals_number(
    editor_client, publisher_client
):
    # The answers' lists of next questions come from the question's guide, not from the number in the
    # page's address (a proposal's number once picked another guide's questions, and the approval failed).
    question = Question.objects.get(flow__slug=MAIN, slug="activated")
    choice = question.choices.exclude(next_question=None).first() or question.choices.first()
    url = f"/admin/guide/question/{question.pk}/change/"
    form = form_data(editor_client.get(url))
    prefix = next(key[:-3] for key, value in form.items() if key.endswith("-id") and value == str(choice.pk))
    form[f"{prefix}-label_en"] = "Proposed under another number"
    assert editor_client.post(url, form).status_code == 302
    proposal = Proposal.objects.get()
    # Renumber the proposal to another guide's question (one whose number is not already the proposal's).
    other = Question.objects.exclude(flow=question.flow).exclude(pk=proposal.pk).order_by("-pk").first()
    Proposal.objects.filter(pk=proposal.pk).update(id=other.pk)
    proposal = Proposal.objects.get()
    assert "Proposed under another number" in publisher_client.get(proposal_url(proposal)).content.decode()
    response = publisher_client.post(proposal_url(proposal), {"_approve": "1"}, follow=True)
    assert "is now on the site" in messages_of(response)
    choice.refresh_from_db()
    assert choice.label_en == "Proposed under another number"
