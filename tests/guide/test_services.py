"""flow_ensure_sound: the one rule that a published guide stays a sound graph, on small worlds."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from inquiry.core.shipped import ContentLoader, ShippedContentError
from inquiry.guide import content_loader
from inquiry.guide.checks import flow_problems
from inquiry.guide.models import Choice, Flow, Outcome, Question
from inquiry.guide.services import (
    UnsoundFlow,
    answer_replaced,
    first_question_set,
    flow_ensure_sound,
    outcome_added,
    question_replaced,
)

from .flows import graph, make_flow

pytestmark = pytest.mark.django_db

HEADER = "This guide is published, and this change would leave it with the problems below."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def small_flow(slug="svc-flow", *, published=True):
    """start → (a: next, b: @done); next → (y: @done, n: @other)."""
    return make_flow(
        slug,
        {"start": [("a", "next"), ("b", "@done")], "next": [("y", "@done"), ("n", "@other")]},
        ["done", "other"],
        "start",
        published=published,
    )


def refusal(call):
    with pytest.raises(UnsoundFlow) as raised:
        call()
    return raised.value


def test_the_stored_graph_of_a_sound_published_flow_passes():
    assert flow_ensure_sound(small_flow()) is None


def test_an_answer_leading_nowhere_is_refused_on_a_published_flow():
    flow = small_flow()
    start = Question.objects.get(flow=flow, slug="start")
    done = Outcome.objects.get(flow=flow, slug="done")
    change = question_replaced(start, [("a", None, None), ("b", None, done)])
    error = refusal(lambda: flow_ensure_sound(flow, change))
    assert isinstance(error, ValidationError)
    assert error.messages[0].startswith(HEADER)
    assert error.messages[1:] == [problem.message for problem in error.problems]
    assert "Answer “a” of question “start” leads nowhere in this guide." in error.messages
    # Nothing was written: the check is of the graph as it would be.
    assert Choice.objects.filter(question=start, slug="a", next_question__slug="next").exists()


def test_the_first_question_removed_is_refused():
    flow = small_flow()
    error = refusal(lambda: flow_ensure_sound(flow.pk, first_question_set(None)))
    assert "The guide has no first question, or its first question belongs to another guide." in error.messages


def test_a_first_question_of_another_guide_counts_as_none():
    flow, other = small_flow(), small_flow("svc-other")
    foreign = Question.objects.get(flow=other, slug="start")
    error = refusal(lambda: flow_ensure_sound(flow, first_question_set(foreign)))
    assert [problem.code for problem in error.problems][0] == "no-start"


def test_the_same_changes_pass_on_a_draft_flow():
    flow = small_flow(published=False)
    start = Question.objects.get(flow=flow, slug="start")
    assert flow_ensure_sound(flow, question_replaced(start, [("a", None, None)])) is None
    assert flow_ensure_sound(flow, first_question_set(None)) is None
    assert flow_ensure_sound(flow, outcome_added("nowhere")) is None


def test_a_draft_about_to_be_published_is_checked_with_status():
    flow = small_flow(published=False)
    error = refusal(lambda: flow_ensure_sound(flow, first_question_set(None), status=Flow.Status.PUBLISHED))
    assert error.messages[0].startswith(HEADER)


def test_a_sound_change_passes():
    flow = small_flow()
    start = Question.objects.get(flow=flow, slug="start")
    done, other = Outcome.objects.get(flow=flow, slug="done"), Outcome.objects.get(flow=flow, slug="other")
    nxt = Question.objects.get(flow=flow, slug="next")
    change = question_replaced(start, [("a", nxt, None), ("b", None, done), ("c", None, other)])
    assert flow_ensure_sound(flow, change) is None
    assert flow_ensure_sound(flow, first_question_set(start)) is None


def test_a_renamed_question_keeps_the_answers_that_lead_to_it():
    flow = small_flow()
    nxt = Question.objects.get(flow=flow, slug="next")
    done, other = Outcome.objects.get(flow=flow, slug="done"), Outcome.objects.get(flow=flow, slug="other")
    nxt.slug = "then"  # as the question's form leaves it, before it is saved
    assert flow_ensure_sound(flow, question_replaced(nxt, [("y", None, done), ("n", None, other)])) is None


def test_an_answer_on_its_own_page_that_closes_a_loop_is_refused():
    flow = small_flow()
    start = Question.objects.get(flow=flow, slug="start")
    choice = Choice.objects.get(question__flow=flow, question__slug="next", slug="n")
    error = refusal(lambda: flow_ensure_sound(flow, answer_replaced(choice, "n", start, None)))
    assert [problem.code for problem in error.problems] == ["cycle", "unreachable"]


def test_an_answer_leading_into_another_guide_is_refused():
    flow, other = small_flow(), small_flow("svc-other")
    foreign = Outcome.objects.get(flow=other, slug="done")
    choice = Choice.objects.get(question__flow=flow, question__slug="next", slug="n")
    error = refusal(lambda: flow_ensure_sound(flow, answer_replaced(choice, "n", None, foreign)))
    assert "Answer “n” of question “next” leads nowhere in this guide." in error.messages


def test_an_added_outcome_nothing_leads_to_is_refused():
    flow = small_flow()
    error = refusal(lambda: flow_ensure_sound(flow, outcome_added("orphan")))
    assert error.messages[1:] == ["Outcome “orphan” cannot be reached from the first question."]


def test_a_change_already_written_is_checked_from_the_stored_rows():
    flow = small_flow()
    start = Question.objects.get(flow=flow, slug="start")
    loop = Choice.objects.filter(question__flow=flow, question__slug="next", slug="n")
    loop.update(outcome=None, next_question=start)
    error = refusal(lambda: flow_ensure_sound(flow.pk))
    assert [problem.code for problem in error.problems] == ["cycle", "unreachable"]


def test_the_publish_action_is_refused_with_its_own_message_whatever_the_status():
    flow = small_flow(published=False)
    Question.objects.create(flow=flow, slug="orphan", prompt_zh_hans="孤儿？", prompt_en="Orphan?")
    error = refusal(lambda: flow_ensure_sound(flow, publishing=True))
    assert error.messages[0] == f"“{flow.title}” was not published: it has the problems below. See its map."


def test_a_graph_given_as_is_for_an_unsaved_flow():
    broken = graph("a", {"a": [("x", "@o")]}, ["o"])
    error = refusal(lambda: flow_ensure_sound(Flow(slug="unsaved", status=Flow.Status.PUBLISHED), broken))
    assert error.problems == flow_problems(broken)
    assert flow_ensure_sound(Flow(slug="unsaved"), broken) is None  # a draft


def test_a_missing_flow_has_nothing_to_check():
    assert flow_ensure_sound(10**9, first_question_set(None)) is None


SMALL_YAML = """
flows:
  - slug: {slug}
    title: {{zh_hans: 小向导, en: Small guide}}
    intro: {{zh_hans: 介绍, en: Introduction}}
    published_at: 2026-11-27
    first_question: a
    questions:
      - slug: a
        prompt: {{zh_hans: 问题, en: Question}}
        choices:
{choices}
    outcomes:
      - slug: agreed
        heading: {{zh_hans: 是, en: "Yes"}}
        what_happened: {{zh_hans: 发生了, en: It happened.}}
      - slug: refused
        heading: {{zh_hans: 否, en: "No"}}
        what_happened: {{zh_hans: 没有, en: It did not.}}
"""
SOUND_CHOICES = """          - {slug: "y", label: {zh_hans: 是, en: "Yes"}, outcome: "agreed"}
          - {slug: "n", label: {zh_hans: 否, en: "No"}, outcome: "refused"}"""


def write_yaml(tmp_path, slug, choices):
    path = tmp_path / "flows.yaml"
    path.write_text(SMALL_YAML.format(slug=slug, choices=choices), encoding="utf-8")
    return path


def test_the_loader_refuses_a_broken_shipped_flow_with_its_own_message(tmp_path):
    choices = '          - {slug: "y", label: {zh_hans: 是, en: "Yes"}, outcome: "maybe"}'
    path = write_yaml(tmp_path, "svc-shipped", choices)
    item = content_loader.read_yaml(path)["flows"][0]
    details = "; ".join(problem.message for problem in flow_problems(content_loader.graph_from_yaml(item)))
    with pytest.raises(ShippedContentError) as raised:
        content_loader.load(ContentLoader(verbosity=0), path=path)
    assert str(raised.value) == f"guide 'svc-shipped' has problems in flows.yaml: {details}"
    assert "at least two" in details and "leads nowhere" in details
    assert not Flow.objects.filter(slug="svc-shipped").exists()


def test_the_loader_refuses_a_flow_left_broken_by_an_editors_kept_change(tmp_path):
    path = write_yaml(tmp_path, "svc-shipped", SOUND_CHOICES)
    content_loader.load(ContentLoader(verbosity=0), path=path)
    flow = Flow.objects.get(slug="svc-shipped", status=Flow.Status.PUBLISHED)
    # A question with no answers, written past the admin's checks (the loader keeps rows it did not ship).
    Question.objects.create(flow=flow, slug="orphan", prompt_zh_hans="孤儿？", prompt_en="Orphan?")
    with pytest.raises(ShippedContentError) as raised:
        content_loader.load(ContentLoader(verbosity=0), path=path)
    assert str(raised.value) == (
        "guide 'svc-shipped' would be published with problems after loading (with the editors' changes): "
        "Question “orphan” has 0 answers; it needs at least two.; "
        "Question “orphan” cannot be reached from the first question."
    )
    assert HEADER not in str(raised.value)


def test_the_loader_leaves_a_flow_an_editor_set_back_to_draft_unchecked(tmp_path):
    path = write_yaml(tmp_path, "svc-shipped", SOUND_CHOICES)
    content_loader.load(ContentLoader(verbosity=0), path=path)
    flow = Flow.objects.get(slug="svc-shipped")
    Flow.objects.filter(pk=flow.pk).update(status=Flow.Status.DRAFT)
    Question.objects.create(flow=flow, slug="orphan", prompt_zh_hans="孤儿？", prompt_en="Orphan?")
    content_loader.load(ContentLoader(verbosity=0), path=path)
    assert Flow.objects.get(pk=flow.pk).status == Flow.Status.DRAFT
