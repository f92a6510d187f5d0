"""The flow checks: one broken flow per kind of problem, the system check, the shipped flows."""

import pytest
from django.core import checks as django_checks
from django.utils import translation

from inquiry.guide.checks import (
    CYCLE,
    DUPLICATE_CHOICE,
    DUPLICATE_SLUG,
    LEADS_NOWHERE,
    NO_START,
    TOO_DEEP,
    TOO_FEW_CHOICES,
    UNREACHABLE,
    check_published_flows,
    flow_problems,
)
from inquiry.guide.engine import OUTCOME, QUESTION, ChoiceNode, FlowGraph, Node, QuestionNode
from inquiry.guide.models import Choice, Question
from inquiry.guide.selectors import flow_graph
from tests.support.builders import shipped_graph

from .flows import EXPECTED_PATHS, graph, make_flow

SOUND = graph(
    "a",
    {"a": [("x", "b"), ("y", "@one")], "b": [("x", "@one"), ("y", "@two")]},
    ["one", "two"],
)


def codes(flow):
    return {(problem.code, problem.node, problem.choice) for problem in flow_problems(flow)}


def test_a_sound_flow_has_no_problems():
    assert flow_problems(SOUND) == []


def test_no_first_question():
    assert (NO_START, None, None) in codes(FlowGraph("f", None, SOUND.questions, SOUND.outcomes))
    assert (NO_START, None, None) in codes(FlowGraph("f", "missing", SOUND.questions, SOUND.outcomes))
    assert (NO_START, None, None) in codes(FlowGraph("f", None))


def test_a_choice_leading_nowhere():
    flows = [
        graph("a", {"a": [("x", "ghost"), ("y", "@one")]}, ["one"]),  # a question that does not exist
        graph("a", {"a": [("x", "@ghost"), ("y", "@one")]}, ["one"]),  # an outcome that does not exist
        FlowGraph("f", "a", [QuestionNode("a", [ChoiceNode("x"), ChoiceNode("y", outcome="one")])], ["one"]),
        FlowGraph(
            "f", "a", [QuestionNode("a", [ChoiceNode("x", "a", "one"), ChoiceNode("y", outcome="one")])], ["one"]
        ),
        FlowGraph(
            "f",
            "a",
            [QuestionNode("a", [ChoiceNode("x", outcome="one", outside=True), ChoiceNode("y", outcome="one")])],
            ["one"],
        ),
    ]
    for flow in flows:
        assert (LEADS_NOWHERE, Node(QUESTION, "a"), "x") in codes(flow)


def test_unreachable_question_and_outcome():
    flow = graph(
        "a",
        {"a": [("x", "@one"), ("y", "@one")], "island": [("x", "@one"), ("y", "@lost")]},
        ["one", "lost", "never"],
    )
    found = codes(flow)
    assert (UNREACHABLE, Node(QUESTION, "island"), None) in found
    assert (UNREACHABLE, Node(OUTCOME, "lost"), None) in found
    assert (UNREACHABLE, Node(OUTCOME, "never"), None) in found
    assert (UNREACHABLE, Node(OUTCOME, "one"), None) not in found


def test_a_cycle():
    flow = graph(
        "a",
        {"a": [("x", "b"), ("y", "@one")], "b": [("x", "c"), ("y", "@one")], "c": [("back", "a"), ("y", "@one")]},
        ["one"],
    )
    problems = [p for p in flow_problems(flow) if p.code == CYCLE]
    assert [(p.node, p.choice, p.detail) for p in problems] == [(Node(QUESTION, "c"), "back", "a")]
    # A loop among questions nobody reaches is still a loop.
    island = graph("a", {"a": [("x", "@one"), ("y", "@one")], "p": [("x", "q")], "q": [("x", "p")]}, ["one"])
    assert any(p.code == CYCLE for p in flow_problems(island))


def test_a_question_with_fewer_than_two_choices():
    flow = graph("a", {"a": [("x", "b"), ("y", "@one")], "b": [("only", "@one")], "c": []}, ["one"])
    found = {(p.code, p.node, p.detail) for p in flow_problems(flow)}
    assert (TOO_FEW_CHOICES, Node(QUESTION, "b"), 1) in found
    assert (TOO_FEW_CHOICES, Node(QUESTION, "c"), 0) in found


def test_a_duplicate_choice_slug():
    flow = graph("a", {"a": [("x", "@one"), ("x", "@two"), ("y", "@one")]}, ["one", "two"])
    found = codes(flow)
    assert (DUPLICATE_CHOICE, Node(QUESTION, "a"), "x") in found
    # The duplicate can never be chosen, so what only it leads to is unreachable.
    assert (UNREACHABLE, Node(OUTCOME, "two"), None) in found


def test_duplicate_question_and_outcome_slugs():
    flow = FlowGraph(
        "f",
        "a",
        [
            QuestionNode("a", [ChoiceNode("x", outcome="one"), ChoiceNode("y", outcome="one")]),
            QuestionNode("a", [ChoiceNode("x", outcome="one"), ChoiceNode("y", outcome="one")]),
        ],
        ["one", "one"],
    )
    found = codes(flow)
    assert (DUPLICATE_SLUG, Node(QUESTION, "a"), None) in found
    assert (DUPLICATE_SLUG, Node(OUTCOME, "one"), None) in found


def test_an_outcome_deeper_than_four_questions():
    chain = {f"q{i}": [("next", f"q{i + 1}"), ("stop", "@near")] for i in range(1, 5)}
    chain["q5"] = [("next", "@far"), ("stop", "@near")]
    found = {(p.code, p.node, p.detail) for p in flow_problems(graph("q1", chain, ["near", "far"]))}
    assert (TOO_DEEP, Node(OUTCOME, "far"), 5) in found
    assert (TOO_DEEP, Node(OUTCOME, "near"), 5) in found  # "near" is also reachable after five questions
    del chain["q5"]
    chain["q4"] = [("next", "@far"), ("stop", "@near")]
    assert not [p for p in flow_problems(graph("q1", chain, ["near", "far"])) if p.code == TOO_DEEP]


def test_every_problem_has_a_message_in_both_languages():
    broken = graph(
        None,
        {"a": [("x", "ghost"), ("x", "@one")], "b": [("x", "b")]},
        ["one", "one"],
    )
    problems = flow_problems(broken)
    assert {p.code for p in problems} >= {NO_START, LEADS_NOWHERE, DUPLICATE_CHOICE, CYCLE, TOO_FEW_CHOICES}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for problem in problems:
                assert problem.message and problem.message != problem.code


# --- In the database --------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", list(EXPECTED_PATHS))
def test_shipped_flows_are_sound(slug):
    """From flows.yaml, no database: tests/guide/test_engine.py shows the loaded guides are these graphs."""
    assert flow_problems(shipped_graph(slug)) == []


def guide_errors():
    return django_checks.run_checks(tags=[django_checks.Tags.database], databases=["default"])


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_content")
def test_system_check_passes_for_the_shipped_flows():
    assert [error for error in guide_errors() if error.id.startswith("guide.")] == []


@pytest.mark.django_db
def test_system_check_reports_each_problem_of_a_published_flow():
    make_flow(
        "broken-published",
        {
            "a": [("x", "b"), ("y", "@one")],
            "b": [("back", "a")],  # a loop, and only one choice
            "island": [("x", "@one"), ("y", "@one")],
        },
        ["one", "lonely"],
        "a",
    )
    make_flow("broken-draft", {"a": [("x", "@one")]}, ["one"], "a", published=False)
    errors = [error for error in guide_errors() if error.id.startswith("guide.")]
    ids = sorted(error.id for error in errors)
    assert ids == ["guide.E003", "guide.E003", "guide.E004", "guide.E005"]
    assert all("broken-published" in error.msg for error in errors)
    assert all(error.level == django_checks.ERROR for error in errors)
    # Like Django's own database checks, it only runs when a database is named.
    assert check_published_flows(databases=None) == []


@pytest.mark.django_db
def test_a_choice_pointing_into_another_flow_leads_nowhere():
    here = make_flow("here", {"a": [("x", "@one"), ("y", "@one")]}, ["one"], "a")
    there = make_flow("there", {"a": [("x", "@one"), ("y", "@one")]}, ["one"], "a")
    # Same slug "a" in both flows: only the link by id tells them apart.
    Choice.objects.filter(question__flow=here, slug="x").update(
        outcome=None, next_question=Question.objects.get(flow=there, slug="a")
    )
    problems = flow_problems(flow_graph(here))
    assert [(p.code, p.choice) for p in problems] == [(LEADS_NOWHERE, "x")]
