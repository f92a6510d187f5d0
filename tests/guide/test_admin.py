"""Editing guides in the admin: a published flow cannot be saved with problems; the map shows them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from inquiry.guide.models import Choice, Flow, Outcome, Question

from .flows import MAIN, make_flow

pytestmark = pytest.mark.usefixtures("shipped_content")


@pytest.fixture
def admin_client(admin_client):
    """The admin in English, so the tests can read its messages (it follows Accept-Language)."""
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin_client


def flow_form(flow, **changes):
    data = {
        "title_zh_hans": flow.title_zh_hans,
        "title_en": flow.title_en,
        "slug": flow.slug,
        "summary_zh_hans": flow.summary_zh_hans,
        "summary_en": flow.summary_en,
        "intro_zh_hans": flow.intro_zh_hans,
        "intro_en": flow.intro_en,
        "first_question": flow.first_question_id or "",
        "status": flow.status,
        "published_at_0": "",
        "published_at_1": "",
        "order": flow.order,
        # The version the form was opened at, as the admin's form carries it (no lost edits).
        "seen_version": flow.version if flow.pk else "",
    }
    if flow.published_at:
        local = timezone.localtime(flow.published_at)
        data["published_at_0"], data["published_at_1"] = local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")
    data.update(changes)
    return {key: "" if value is None else value for key, value in data.items()}


def question_form(question, choices, **changes):
    data = {
        "slug": question.slug,
        "prompt_zh_hans": question.prompt_zh_hans,
        "prompt_en": question.prompt_en,
        "hint_zh_hans": question.hint_zh_hans,
        "hint_en": question.hint_en,
        "why_we_ask_zh_hans": question.why_we_ask_zh_hans,
        "why_we_ask_en": question.why_we_ask_en,
        "order": question.order,
        "seen_version": question.version if question.pk else "",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": sum(1 for c in choices if c.get("id")),
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for index, choice in enumerate(choices):
        for key, value in choice.items():
            data[f"choices-{index}-{key}"] = value
        data[f"choices-{index}-question"] = question.pk or ""
    data.update(changes)
    return {key: "" if value is None else value for key, value in data.items()}


def existing_choices(question):
    return [
        {
            "id": c.pk,
            "slug": c.slug,
            "label_zh_hans": c.label_zh_hans,
            "label_en": c.label_en,
            "hint_zh_hans": c.hint_zh_hans,
            "hint_en": c.hint_en,
            "order": c.order,
            "next_question": c.next_question_id or "",
            "outcome": c.outcome_id or "",
            "seen_version": c.version,
        }
        for c in question.choices.all()
    ]


def errors_of(response):
    html = response.content.decode()
    return html[html.find("errornote") : html.find('id="content-main"') + 20000]


@pytest.mark.django_db
def test_a_broken_flow_cannot_be_published(admin_client):
    flow = make_flow(
        "half-done", {"a": [("x", "b"), ("y", "@one")], "b": [("only", "@one")]}, ["one", "spare"], "a", published=False
    )
    url = reverse("admin:guide_flow_change", args=[flow.pk])
    response = admin_client.post(url, flow_form(flow, status="published"))
    assert response.status_code == 200  # the form again, with the problems listed
    html = response.content.decode()
    assert "this change would leave it with the problems below" in html
    assert "Question “b” has 1 answer; it needs at least two." in html
    assert "Outcome “spare” cannot be reached from the first question." in html
    flow.refresh_from_db()
    assert flow.status == Flow.Status.DRAFT
    # As a draft it saves.
    response = admin_client.post(url, flow_form(flow, title_en="Half done"))
    assert response.status_code == 302
    flow.refresh_from_db()
    assert flow.title_en == "Half done" and flow.status == Flow.Status.DRAFT


@pytest.mark.django_db
def test_a_sound_flow_can_be_published_and_gets_a_publish_date(admin_client):
    flow = make_flow("ready", {"a": [("x", "@one"), ("y", "@two")]}, ["one", "two"], "a", published=False)
    response = admin_client.post(
        reverse("admin:guide_flow_change", args=[flow.pk]), flow_form(flow, status="published")
    )
    assert response.status_code == 302
    flow.refresh_from_db()
    assert flow.status == Flow.Status.PUBLISHED and flow.published_at is not None


@pytest.mark.django_db
def test_a_new_flow_cannot_be_published_before_it_has_questions(admin_client):
    data = flow_form(Flow(slug="brand-new", title_zh_hans="新向导", title_en="New"), status="published")
    response = admin_client.post(reverse("admin:guide_flow_add"), data)
    assert response.status_code == 200
    assert "The guide has no first question" in response.content.decode()
    assert not Flow.objects.filter(slug="brand-new").exists()


@pytest.mark.django_db
def test_removing_the_first_question_of_a_published_flow_is_refused(admin_client):
    flow = Flow.objects.get(slug=MAIN)
    response = admin_client.post(reverse("admin:guide_flow_change", args=[flow.pk]), flow_form(flow, first_question=""))
    assert response.status_code == 200
    assert "no first question" in response.content.decode()


@pytest.mark.django_db
def test_editing_choices_of_a_published_flow_cannot_break_it(admin_client):
    question = Question.objects.get(flow__slug=MAIN, slug="card-problem")
    url = reverse("admin:guide_question_change", args=[question.pk])
    choices = existing_choices(question)
    # Deleting one of its two choices leaves one, and makes an outcome unreachable.
    choices[1]["DELETE"] = "on"
    response = admin_client.post(url, question_form(question, choices))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Question “card-problem” has 1 answer; it needs at least two." in html
    assert "Outcome “damaged-replace-card” cannot be reached" in html
    assert question.choices.count() == 2
    # Pointing a choice back at the first question makes a loop.
    choices = existing_choices(question)
    choices[1]["outcome"] = ""
    choices[1]["next_question"] = Question.objects.get(flow__slug=MAIN, slug="money-source").pk
    response = admin_client.post(url, question_form(question, choices))
    assert response.status_code == 200
    assert "go round in a loop" in response.content.decode()
    assert Choice.objects.get(question=question, slug="damaged").outcome.slug == "damaged-replace-card"


@pytest.mark.django_db
def test_a_harmless_edit_of_a_published_flow_saves(admin_client):
    question = Question.objects.get(flow__slug=MAIN, slug="card-problem")
    choices = existing_choices(question)
    choices[0]["label_en"] = "It is lost, or someone took it"
    response = admin_client.post(
        reverse("admin:guide_question_change", args=[question.pk]),
        question_form(question, choices, prompt_en="What happened to your card?"),
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.prompt_en == "What happened to your card?"
    assert question.choices.get(slug="lost").label_en == "It is lost, or someone took it"


@pytest.mark.django_db
def test_a_choice_needs_exactly_one_target_in_its_own_flow(admin_client):
    flow = make_flow(
        "drafty", {"a": [("x", "b"), ("y", "@one")], "b": [("x", "@one"), ("y", "@one")]}, ["one"], "a", published=False
    )
    question = flow.questions.get(slug="a")
    url = reverse("admin:guide_question_change", args=[question.pk])

    def post(**change):
        choices = existing_choices(question)
        choices[1].update(change)
        return admin_client.post(url, question_form(question, choices))

    both = post(next_question=flow.questions.get(slug="b").pk)  # a question and an outcome
    assert both.status_code == 200 and "An answer leads to exactly one thing" in both.content.decode()
    neither = post(outcome="")
    assert neither.status_code == 200 and "An answer leads to exactly one thing" in neither.content.decode()
    itself = post(outcome="", next_question=question.pk)
    assert itself.status_code == 200 and "cannot lead back to its own question" in itself.content.decode()
    # Another guide's outcome is not among the ones offered.
    elsewhere = post(outcome=Outcome.objects.filter(flow__slug=MAIN).first().pk)
    assert elsewhere.status_code == 200 and "Select a valid choice" in elsewhere.content.decode()
    assert Choice.objects.get(question=question, slug="y").outcome.slug == "one"


@pytest.mark.django_db
def test_map_page_needs_permission_to_view_guides(client, django_user_model):
    staff = django_user_model.objects.create_user("clerk", password="not-a-guide-editor-1", is_staff=True)
    client.force_login(staff)
    flow = Flow.objects.get(slug=MAIN)
    assert client.get(reverse("admin:guide_flow_map", args=[flow.pk])).status_code == 403


@pytest.mark.django_db
def test_adding_an_unreachable_question_or_outcome_to_a_published_flow_is_refused(admin_client):
    flow = Flow.objects.get(slug=MAIN)
    data = question_form(
        Question(flow=flow, slug="extra", prompt_zh_hans="多余？", prompt_en="Extra?"), [], flow=flow.pk
    )
    response = admin_client.post(reverse("admin:guide_question_add") + f"?flow={flow.pk}", data)
    assert response.status_code == 200
    assert "Question “extra” cannot be reached" in response.content.decode()
    assert not Question.objects.filter(flow=flow, slug="extra").exists()
    data = {
        "flow": flow.pk,
        "slug": "extra-outcome",
        "heading_zh_hans": "多余",
        "heading_en": "Extra",
        "what_happened_zh_hans": "说明",
        "what_happened_en": "Text",
        "procedure_links-TOTAL_FORMS": 0,
        "procedure_links-INITIAL_FORMS": 0,
        "procedure_links-MIN_NUM_FORMS": 0,
        "procedure_links-MAX_NUM_FORMS": 1000,
    }
    response = admin_client.post(reverse("admin:guide_outcome_add"), data)
    assert response.status_code == 200
    assert "Outcome “extra-outcome” cannot be reached" in response.content.decode()
    # In a draft flow the same additions are fine.
    Flow.objects.filter(pk=flow.pk).update(status=Flow.Status.DRAFT)
    assert admin_client.post(reverse("admin:guide_outcome_add"), data).status_code == 302


@pytest.mark.django_db
def test_a_question_that_choices_lead_to_cannot_be_deleted_alone(admin_client):
    question = Question.objects.get(flow__slug=MAIN, slug="lost-reported")
    response = admin_client.post(reverse("admin:guide_question_delete", args=[question.pk]), {"post": "yes"})
    assert Question.objects.filter(pk=question.pk).exists()
    assert response.status_code == 200
    # Deleting the whole flow removes everything in it.
    flow = make_flow("to-delete", {"a": [("x", "b"), ("y", "@one")], "b": [("x", "@one"), ("y", "@one")]}, ["one"], "a")
    response = admin_client.post(reverse("admin:guide_flow_delete", args=[flow.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Question.objects.filter(flow_id=flow.pk).exists()


@pytest.mark.django_db
def test_map_page_draws_the_flow_with_problems_marked(admin_client):
    flow = make_flow(
        "messy",
        {"a": [("x", "b"), ("y", "@one")], "b": [("back", "a")], "island": [("x", "@one"), ("y", "@one")]},
        ["one"],
        "a",
        published=False,
    )
    response = admin_client.get(reverse("admin:guide_flow_map", args=[flow.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<svg class="flow-diagram"')
    svg = html[start : html.index("</svg>", start)]
    assert 'role="group"' in svg and "<title" in svg  # a group of links: an image cannot hold them
    assert svg.count("flow-node-problem") >= 2  # "b" (loop, one choice) and "island" (unreachable)
    assert "flow-edge-problem" in svg
    assert "<script" not in svg
    assert reverse("admin:guide_question_change", args=[flow.questions.get(slug="island").pk]) in svg
    assert "cannot be reached" in html and "go round in a loop" in html
    assert "style=" not in svg


@pytest.mark.django_db
def test_map_page_speaks_chinese_to_a_chinese_editor(admin_client):
    flow = make_flow("stray", {"a": [("x", "@one"), ("y", "@one")], "island": [("x", "@one")]}, ["one"], "a")
    url = reverse("admin:guide_flow_map", args=[flow.pk])
    html = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    svg = html[html.index('<svg class="flow-diagram"') :]
    assert "向导“stray”的流程图" in svg  # the picture's accessible name
    assert ">开始</text>" in svg
    assert "从第一个问题出发无法到达：" in svg
    assert "Map of the guide" not in svg and ">Start<" not in svg and "Not reachable" not in svg


@pytest.mark.django_db
def test_map_page_of_a_shipped_flow_has_no_problems(admin_client):
    flow = Flow.objects.get(slug=MAIN)
    html = admin_client.get(reverse("admin:guide_flow_map", args=[flow.pk])).content.decode()
    assert "No problems" in html
    assert "flow-node-problem" not in html
    for outcome in flow.outcomes.all():
        assert reverse("admin:guide_outcome_change", args=[outcome.pk]) in html
    # The change page links to the map and lists what the flow holds.
    html = admin_client.get(reverse("admin:guide_flow_change", args=[flow.pk])).content.decode()
    assert reverse("admin:guide_flow_map", args=[flow.pk]) in html
    assert reverse("admin:guide_question_change", args=[flow.first_question_id]) in html


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["flow", "question", "outcome"])
def test_admin_lists_and_forms_render(admin_client, model):
    assert admin_client.get(reverse(f"admin:guide_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:guide_{model}_add")).status_code == 200
    obj = {"flow": Flow, "question": Question, "outcome": Outcome}[model].objects.first()
    assert admin_client.get(reverse(f"admin:guide_{model}_change", args=[obj.pk])).status_code == 200
