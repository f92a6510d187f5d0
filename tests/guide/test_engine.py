"""The engine: pure functions over a graph and the answers from a URL. Only one test needs a database
(the loaded shipped guides are the graphs of their YAML, which the other tests walk)."""

import itertools
import random

import pytest

from inquiry.guide import engine
from inquiry.guide.engine import (
    NEEDS_ANSWER,
    NOT_FOUND,
    OUTCOME,
    QUESTION,
    REDIRECT,
    RENDER,
    Answer,
    ChoiceNode,
    FlowGraph,
    Node,
    QuestionNode,
)
from inquiry.guide.models import Flow
from inquiry.guide.selectors import flow_graph
from tests.support.builders import shipped_flows_yaml, shipped_graph
from tests.support.paths_through_guides import enumerate_paths

from .flows import EXPECTED_PATHS, MAIN, SECOND, graph

# deposit → activated → (look) → outcome; plus a branch straight to an outcome.
FLOW = graph(
    "source",
    {
        "source": [("myself", "activated"), ("employer", "@pension"), ("not-sure", "look")],
        "activated": [("yes", "look"), ("no", "@activate"), ("not-sure", "@activate")],
        "look": [("bank", "@trace"), ("app", "@wrong-place")],
    },
    ["pension", "activate", "trace", "wrong-place"],
)


def test_replay_follows_the_answers_to_an_outcome():
    walked = engine.replay(FLOW, [("source", "myself"), ("activated", "no")])
    assert walked.path == (Answer("source", "myself"), Answer("activated", "no"))
    assert walked.outcome == "activate" and walked.question is None and not walked.broken
    assert walked.position == Node(OUTCOME, "activate")


def test_replay_stops_at_the_first_question_needing_an_answer():
    walked = engine.replay(FLOW, [("source", "myself")])
    assert walked.question == "activated" and walked.invalid is None
    walked = engine.replay(FLOW, [("source", "myself"), ("activated", "maybe")])
    assert walked.question == "activated" and walked.invalid == "maybe"
    assert ("activated", "maybe") in walked.dropped


def test_unknown_foreign_repeated_and_off_path_answers_are_dropped():
    pairs = [
        ("source", "myself"),
        ("source", "employer"),  # repeated: the first counts
        ("nonsense", "x"),  # unknown question
        ("which-money", "bank-account"),  # another flow's question
        ("look", "bank"),  # off the path: "activated" comes first
        ("activated", "yes"),
    ]
    walked = engine.replay(FLOW, pairs)
    # "look" is on the path again once "activated" is answered, so it is kept.
    assert walked.path == (Answer("source", "myself"), Answer("activated", "yes"), Answer("look", "bank"))
    assert set(walked.dropped) == {("source", "employer"), ("nonsense", "x"), ("which-money", "bank-account")}
    walked = engine.replay(FLOW, [("source", "employer"), ("look", "bank"), ("activated", "no")])
    assert walked.outcome == "pension"
    assert set(walked.dropped) == {("look", "bank"), ("activated", "no")}


def test_question_page_renders_only_on_the_path_with_clean_answers():
    assert engine.resolve_page(FLOW, [], (QUESTION, "source")).action == RENDER
    decision = engine.resolve_page(FLOW, [("source", "myself")], (QUESTION, "activated"))
    assert decision.action == RENDER and decision.answers == (Answer("source", "myself"),)
    # Off the path: sent to the first question still needing an answer, keeping the valid answers.
    decision = engine.resolve_page(FLOW, [("source", "myself"), ("junk", "1")], (QUESTION, "look"))
    assert (decision.action, decision.node, decision.answers) == (
        REDIRECT,
        Node(QUESTION, "activated"),
        (Answer("source", "myself"),),
    )
    # On the path but carrying junk: the same page with the junk removed.
    decision = engine.resolve_page(FLOW, [("source", "myself"), ("junk", "1")], (QUESTION, "activated"))
    assert (decision.action, decision.node) == (REDIRECT, Node(QUESTION, "activated"))
    assert decision.answers == (Answer("source", "myself"),)
    # Unknown question: not found.
    assert engine.resolve_page(FLOW, [], (QUESTION, "nope")).action == NOT_FOUND


def test_an_answered_question_renders_with_later_answers_kept_for_the_change_link():
    answers = [("source", "myself"), ("activated", "yes"), ("look", "bank")]
    decision = engine.resolve_page(FLOW, answers, (QUESTION, "source"))
    assert decision.action == RENDER
    assert decision.answers == tuple(Answer(*pair) for pair in answers)
    assert engine.answers_before(decision.answers, "look") == (Answer("source", "myself"), Answer("activated", "yes"))
    assert engine.previous_question(decision.answers, Node(QUESTION, "look")) == "activated"
    assert engine.previous_question(decision.answers, Node(QUESTION, "source")) is None
    assert engine.previous_question(decision.answers, Node(OUTCOME, "trace")) == "look"


def test_changing_an_earlier_answer_keeps_later_answers_still_on_the_path():
    # Was: myself → activated=yes → look=bank. Change the first answer to "not-sure", which leads to
    # "look" directly: the answer to "look" is still on the path and is kept; "activated" is dropped.
    sent = [("activated", "yes"), ("look", "bank"), ("source", "not-sure")]
    decision = engine.resolve_answer(FLOW, sent, "source")
    assert (decision.action, decision.node) == (REDIRECT, Node(OUTCOME, "trace"))
    assert decision.answers == (Answer("source", "not-sure"), Answer("look", "bank"))
    # Change it to "employer": nothing later is on the path any more.
    decision = engine.resolve_answer(FLOW, [("activated", "yes"), ("look", "bank"), ("source", "employer")], "source")
    assert (decision.node, decision.answers) == (Node(OUTCOME, "pension"), (Answer("source", "employer"),))


def test_answer_without_a_choice_asks_again_and_carries_later_answers():
    decision = engine.resolve_answer(FLOW, [("source", "myself"), ("look", "bank")], "activated")
    assert decision.action == NEEDS_ANSWER and decision.node == Node(QUESTION, "activated")
    assert decision.answers == (Answer("source", "myself"), Answer("look", "bank"))
    decision = engine.resolve_answer(FLOW, [("source", "myself"), ("activated", "bogus")], "activated")
    assert decision.action == NEEDS_ANSWER
    # A form for a question that is not on the path: go where the answers lead.
    decision = engine.resolve_answer(FLOW, [("look", "bank")], "look")
    assert (decision.action, decision.node, decision.answers) == (REDIRECT, Node(QUESTION, "source"), ())


def test_outcome_page_renders_only_for_answers_that_lead_there():
    answers = [("source", "myself"), ("activated", "no")]
    assert engine.resolve_page(FLOW, answers, (OUTCOME, "activate")).action == RENDER
    decision = engine.resolve_page(FLOW, answers, (OUTCOME, "trace"))
    assert (decision.action, decision.node) == (REDIRECT, Node(OUTCOME, "activate"))
    decision = engine.resolve_page(FLOW, [("source", "myself")], (OUTCOME, "activate"))
    assert (decision.action, decision.node) == (REDIRECT, Node(QUESTION, "activated"))
    assert engine.resolve_page(FLOW, answers, (OUTCOME, "nope")).action == NOT_FOUND


def test_bare_outcome_address_redirects_to_its_shortest_answers():
    decision = engine.resolve_page(FLOW, [], (OUTCOME, "trace"))
    assert (decision.action, decision.node) == (REDIRECT, Node(OUTCOME, "trace"))
    assert decision.answers == (Answer("source", "not-sure"), Answer("look", "bank"))
    assert engine.canonical_answers(FLOW) == {
        "pension": (Answer("source", "employer"),),
        "activate": (Answer("source", "myself"), Answer("activated", "no")),
        "trace": (Answer("source", "not-sure"), Answer("look", "bank")),
        "wrong-place": (Answer("source", "not-sure"), Answer("look", "app")),
    }
    unreachable = graph("q", {"q": [("a", "@one"), ("b", "@one")]}, ["one", "lonely"])
    assert engine.resolve_page(unreachable, [], (OUTCOME, "lonely")).action == NOT_FOUND


def test_a_broken_flow_is_reported_not_raised():
    loop = graph("a", {"a": [("x", "b"), ("y", "@end")], "b": [("x", "a"), ("y", "@end")]}, ["end"])
    walked = engine.replay(loop, [("a", "x"), ("b", "x")])
    assert walked.broken and walked.position is None
    assert engine.resolve_page(loop, [("a", "x"), ("b", "x")], (QUESTION, "a")).action == NOT_FOUND
    nowhere = FlowGraph("f", "a", [QuestionNode("a", [ChoiceNode("x"), ChoiceNode("y", outcome="end")])], ["end"])
    assert engine.replay(nowhere, [("a", "x")]).broken
    assert engine.replay(nowhere, [("a", "y")]).outcome == "end"
    assert engine.replay(FlowGraph("f", None), []).broken
    assert engine.replay(FlowGraph("f", "missing"), []).broken


def test_replace_question_keeps_links_to_a_renamed_question():
    renamed = engine.replace_question(
        FLOW,
        "activated",
        QuestionNode("is-active", [ChoiceNode("yes", next_question="look"), ChoiceNode("no", outcome="activate")]),
    )
    assert renamed.question("source").choice("myself").next_question == "is-active"
    assert engine.replay(renamed, [("source", "myself"), ("is-active", "no")]).outcome == "activate"
    added = engine.replace_question(FLOW, None, QuestionNode("extra"))
    assert added.question("extra") is not None and len(added.questions) == 4


# --- No input makes the engine raise -------------------------------------------------------------

JUNK = [
    None,
    "",
    "source",
    b"source=myself",
    42,
    3.5,
    object(),
    ["source", "myself"],
    [("source",)],
    [("source", "myself", "extra")],
    [(1, 2)],
    [("source", None)],
    [(None, "myself")],
    {"source": "myself"},
    {"source": ["myself"]},
    [("\x00", "\ufffd"), ("%ff%fe", "\udcff")],
    [("source", "myself")] * 500,
    [("a" * 10_000, "b" * 10_000)],
    iter([("source", "myself")]),
]


class Exploding:
    def __iter__(self):
        raise RuntimeError("boom")


def all_pages(flow):
    pages = [(QUESTION, q.slug) for q in flow.questions] + [(OUTCOME, o) for o in flow.outcomes]
    return [*pages, (QUESTION, "nope"), (OUTCOME, "nope"), ("elsewhere", "x"), None, "source", (QUESTION,), 7]


def assert_sound_decision(flow, decision):
    """A redirect must land on a page that renders: no loops, no dead ends."""
    assert decision.action in {RENDER, REDIRECT, NEEDS_ANSWER, NOT_FOUND}
    if decision.action == REDIRECT:
        landing = engine.resolve_page(flow, list(decision.answers), decision.node)
        assert landing.action == RENDER, (decision, landing)
    if decision.action == RENDER:
        walked = engine.replay(flow, list(decision.answers))
        assert walked.path == decision.answers


@pytest.mark.parametrize("raw", [*JUNK, Exploding()], ids=lambda raw: type(raw).__name__)
def test_junk_answers_never_raise(raw):
    engine.replay(FLOW, raw)
    engine.answer_pairs(raw)
    for page in all_pages(FLOW):
        assert_sound_decision(FLOW, engine.resolve_page(FLOW, raw, page))
    for question in ["source", "look", "nope", None, 5]:
        assert_sound_decision(FLOW, engine.resolve_answer(FLOW, raw, question))


@pytest.mark.parametrize("not_a_graph", [None, "flow", {}, 5, object()])
def test_anything_but_a_graph_never_raises(not_a_graph):
    assert engine.replay(not_a_graph, [("a", "b")]).broken
    assert engine.resolve_page(not_a_graph, [], (QUESTION, "a")).action == NOT_FOUND
    assert engine.resolve_answer(not_a_graph, [], "a").action == NOT_FOUND
    assert engine.canonical_answers(not_a_graph) == {}
    assert enumerate_paths(not_a_graph) == []


def random_graph(rng):
    questions = [f"q{i}" for i in range(rng.randint(0, 7))]
    outcomes = [f"o{i}" for i in range(rng.randint(0, 4))]
    targets = [*questions, *outcomes, "ghost", None]
    nodes = []
    for slug in questions + rng.sample(questions, k=min(len(questions), rng.randint(0, 1))):  # maybe a duplicate
        choices = []
        for index in range(rng.randint(0, 4)):
            target = rng.choice(targets)
            kind = rng.random()
            choices.append(
                ChoiceNode(
                    slug=rng.choice([f"c{index}", "c0", "yes"]),
                    next_question=target if target in questions or (target == "ghost" and kind < 0.5) else None,
                    outcome=target if target in outcomes or (target == "ghost" and kind >= 0.5) else None,
                    outside=rng.random() < 0.05,
                )
            )
            if rng.random() < 0.05:  # both targets set
                choices[-1] = ChoiceNode(
                    choices[-1].slug, rng.choice(questions or ["x"]), rng.choice(outcomes or ["y"])
                )
        nodes.append(QuestionNode(slug, choices))
    first = rng.choice([*questions, None, "ghost"]) if questions else rng.choice([None, "ghost"])
    return FlowGraph("random", first, nodes, outcomes)


def random_pairs(rng, flow):
    """Noise, or a real path with noise mixed in (so pages also get to render)."""
    keys = [q.slug for q in flow.questions] + ["ghost", "", "q1 ", "\ufffd", "a" * 300]
    values = ["c0", "c1", "c2", "c3", "yes", "", "x", "\x00"]
    noise = [(rng.choice(keys), rng.choice(values)) for _ in range(rng.randint(0, 4))]
    paths = enumerate_paths(flow, limit=50)
    if not paths or rng.random() < 0.3:
        return noise
    path = [tuple(answer) for answer in rng.choice(paths)[0]]
    path = path[: rng.randint(0, len(path))] if rng.random() < 0.4 else path
    pairs = path + (noise if rng.random() < 0.5 else [])
    if rng.random() < 0.3:
        rng.shuffle(pairs)
    return pairs


def test_fuzz_random_graphs_and_answers_never_raise_and_redirects_always_land():
    rng = random.Random(20261127)
    for _ in range(1500):
        flow = random_graph(rng)
        pairs = random_pairs(rng, flow)
        walked = engine.replay(flow, pairs)
        # The path is a real walk from the first question.
        current = flow.first_question
        for answer in walked.path:
            assert answer.question == current
            choice = flow.question(current).choice(answer.choice)
            target = flow.target(choice)
            current = target.slug if target and target.kind == QUESTION else None
        for page in all_pages(flow):
            assert_sound_decision(flow, engine.resolve_page(flow, pairs, page))
        for question in flow.questions:
            assert_sound_decision(flow, engine.resolve_answer(flow, pairs, question.slug))
        for outcome, answers in engine.canonical_answers(flow).items():
            assert engine.replay(flow, list(answers)).outcome == outcome
        for answers, outcome in enumerate_paths(flow, limit=200):
            assert engine.replay(flow, list(answers)).outcome == outcome


# --- The shipped flows ---------------------------------------------------------------------------
# As graphs read from flows.yaml (no database); the first test shows the loaded guides are these graphs.


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_content")
def test_the_loaded_shipped_flows_are_the_graphs_of_their_yaml():
    slugs = [item["slug"] for item in shipped_flows_yaml()]
    assert set(EXPECTED_PATHS) <= set(slugs)
    for slug in slugs:
        assert flow_graph(Flow.objects.get(slug=slug)) == shipped_graph(slug)


@pytest.mark.parametrize("slug", list(EXPECTED_PATHS))
def test_every_path_of_each_shipped_flow_reaches_its_outcome(slug):
    flow = shipped_graph(slug)
    paths = {tuple(tuple(answer) for answer in path): outcome for path, outcome in enumerate_paths(flow)}
    assert paths == EXPECTED_PATHS[slug]
    for path, outcome in paths.items():
        assert engine.replay(flow, list(path)).outcome == outcome
        assert engine.resolve_page(flow, list(path), (OUTCOME, outcome)).action == RENDER
    # Every outcome is reached by some path, in at most four questions.
    assert set(paths.values()) == set(flow.outcomes)
    assert max(len(path) for path in paths) <= 4


def answer_options(flow):
    return [[None, "bogus", *(c.slug for c in q.choices)] for q in flow.questions]


def check_all_pages(flow, pairs):
    for page in all_pages(flow):
        assert_sound_decision(flow, engine.resolve_page(flow, pairs, page))
    for question in flow.questions:
        assert_sound_decision(flow, engine.resolve_answer(flow, pairs, question.slug))


def test_every_answer_combination_of_the_small_shipped_flow_is_handled():
    """Exhaustive: each question unanswered, answered with each choice, or with a bogus value."""
    flow = shipped_graph(SECOND)
    combinations = list(itertools.product(*answer_options(flow)))
    assert len(combinations) >= 100
    for values in combinations:
        check_all_pages(flow, [(q.slug, v) for q, v in zip(flow.questions, values, strict=True) if v is not None])


def test_random_answer_sets_of_the_main_shipped_flow_are_handled():
    """The main flow has millions of combinations: a fixed random sample, in random key order."""
    flow = shipped_graph(MAIN)
    rng = random.Random(3)
    options = answer_options(flow)
    for _ in range(400):
        pairs = [(q.slug, rng.choice(values)) for q, values in zip(flow.questions, options, strict=True)]
        pairs = [pair for pair in pairs if pair[1] is not None]
        rng.shuffle(pairs)
        check_all_pages(flow, pairs)
