"""The guide engine: pure functions over a flow's graph and the answers from a URL.

No request and no database here. `selectors.flow_graph` builds a `FlowGraph` from the models; the
views turn the query string into (key, value) pairs. A page is a function of (graph, answers): the
answers are replayed from the first question to find where the visitor is.

Every public function accepts any input and never raises: answers that are unknown, belong to another
question or flow, repeat, or lie off the path are dropped, and a graph that cannot be walked (no first
question, a cycle, a choice leading nowhere) is reported as broken instead of failing.
"""

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

QUESTION = "question"
OUTCOME = "outcome"

# What a page does with a request (see `resolve_page` and `resolve_answer`).
RENDER = "render"
REDIRECT = "redirect"
NEEDS_ANSWER = "needs_answer"
NOT_FOUND = "not_found"


class Node(NamedTuple):
    kind: str  # QUESTION or OUTCOME
    slug: str


class Answer(NamedTuple):
    question: str
    choice: str


@dataclass(frozen=True)
class ChoiceNode:
    slug: str
    next_question: str | None = None
    outcome: str | None = None
    # The choice points at a question or outcome of another flow (the database cannot rule that out).
    outside: bool = False


@dataclass(frozen=True)
class QuestionNode:
    slug: str
    choices: tuple[ChoiceNode, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "choices", tuple(self.choices))

    def choice(self, slug) -> ChoiceNode | None:
        """The first choice with this slug (a duplicate slug can never be chosen: see checks.py)."""
        for choice in self.choices:
            if choice.slug == slug:
                return choice
        return None


@dataclass(frozen=True)
class FlowGraph:
    slug: str
    first_question: str | None
    questions: tuple[QuestionNode, ...] = ()
    outcomes: tuple[str, ...] = ()
    _by_slug: Mapping = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "questions", tuple(self.questions))
        object.__setattr__(self, "outcomes", tuple(self.outcomes))
        by_slug = {}
        for question in self.questions:
            by_slug.setdefault(question.slug, question)
        object.__setattr__(self, "_by_slug", MappingProxyType(by_slug))

    def __reduce__(self):
        # Pickled (a flow kept by inquiry/core/fragments.py) without its index, which is built again.
        return (FlowGraph, (self.slug, self.first_question, self.questions, self.outcomes))

    def question(self, slug) -> QuestionNode | None:
        if not isinstance(slug, str):
            return None
        return self._by_slug.get(slug)

    def has_outcome(self, slug) -> bool:
        return isinstance(slug, str) and slug in self.outcomes

    def target(self, choice: ChoiceNode) -> Node | None:
        """Where a choice leads, or None if it leads nowhere (no target, both targets, a missing one)."""
        if choice.outside:
            return None
        if choice.next_question is not None and choice.outcome is None:
            return Node(QUESTION, choice.next_question) if self.question(choice.next_question) else None
        if choice.outcome is not None and choice.next_question is None:
            return Node(OUTCOME, choice.outcome) if self.has_outcome(choice.outcome) else None
        return None

    def first_choices(self, question: QuestionNode):
        """The choices a visitor can actually pick: the first of each slug."""
        seen = set()
        for choice in question.choices:
            if choice.slug not in seen:
                seen.add(choice.slug)
                yield choice


@dataclass(frozen=True)
class Replay:
    """Where a set of answers leads.

    `path` holds the answers on the way, in order. `question` is the first question still needing an
    answer (its answer was missing, or `invalid` holds the value given that is not one of its
    choices); `outcome` is set instead when the answers reach one. `dropped` lists every pair that
    was not used. `broken` means the flow itself could not be walked along these answers.
    """

    path: tuple[Answer, ...] = ()
    question: str | None = None
    outcome: str | None = None
    invalid: str | None = None
    dropped: tuple[tuple[str, str], ...] = ()
    broken: bool = False

    @property
    def position(self) -> Node | None:
        if self.outcome is not None:
            return Node(OUTCOME, self.outcome)
        if self.question is not None:
            return Node(QUESTION, self.question)
        return None

    def on_path(self, question_slug) -> bool:
        return question_slug == self.question or any(answer.question == question_slug for answer in self.path)


@dataclass(frozen=True)
class Decision:
    """What a page should do: render `node` with `answers`, or redirect there."""

    action: str
    node: Node | None = None
    answers: tuple[Answer, ...] = ()
    replay: Replay = field(default_factory=Replay)


def answer_pairs(raw) -> list[tuple[str, str]]:
    """(key, value) string pairs from whatever came in; anything else is ignored."""
    if raw is None or isinstance(raw, str | bytes):
        return []
    items = raw.items() if isinstance(raw, Mapping) else raw
    pairs = []
    try:
        for item in items:
            if isinstance(item, tuple | list) and len(item) == 2:
                key, value = item
                if isinstance(key, str) and isinstance(value, str):
                    pairs.append((key, value))
    except Exception:  # noqa: BLE001 - any input: something that cannot be iterated counts as no answers
        return []
    return pairs


def replay(graph: FlowGraph, raw_pairs) -> Replay:
    """Walk the flow from its first question, taking each question's answer from the pairs."""
    if not isinstance(graph, FlowGraph):
        return Replay(broken=True)
    given, dropped = {}, []
    for key, value in answer_pairs(raw_pairs):
        if key in given:
            dropped.append((key, value))  # a repeated key: the first value counts
        else:
            given[key] = value
    path, invalid, outcome, broken = [], None, None, False
    current = graph.first_question if graph.question(graph.first_question) else None
    if current is None:
        broken = True
    seen = set()
    while current is not None:
        if current in seen:  # a cycle: the flow is broken, not the visitor's input
            broken, current = True, None
            break
        seen.add(current)
        value = given.get(current)
        choice = graph.question(current).choice(value) if value is not None else None
        if choice is None:
            invalid = value
            break
        path.append(Answer(current, choice.slug))
        target = graph.target(choice)
        if target is None:
            broken, current = True, None
        elif target.kind == OUTCOME:
            outcome, current = target.slug, None
        else:
            current = target.slug
    used = {answer.question for answer in path}
    dropped.extend((key, value) for key, value in given.items() if key not in used)
    return Replay(
        path=tuple(path),
        question=current,
        outcome=outcome,
        invalid=invalid,
        dropped=tuple(dropped),
        broken=broken,
    )


def canonical_answers(graph: FlowGraph) -> dict[str, tuple[Answer, ...]]:
    """For each reachable outcome, the shortest answers leading to it (ties go to the earlier choice)."""
    if not isinstance(graph, FlowGraph) or graph.question(graph.first_question) is None:
        return {}
    found, seen, queue = {}, {graph.first_question}, deque([(graph.first_question, ())])
    while queue:
        slug, path = queue.popleft()
        for choice in graph.first_choices(graph.question(slug)):
            target = graph.target(choice)
            if target is None:
                continue
            step = (*path, Answer(slug, choice.slug))
            if target.kind == OUTCOME:
                found.setdefault(target.slug, step)
            elif target.slug not in seen:
                seen.add(target.slug)
                queue.append((target.slug, step))
    return found


def _as_page(page) -> Node | None:
    if isinstance(page, tuple) and len(page) == 2 and page[0] in (QUESTION, OUTCOME) and isinstance(page[1], str):
        return Node(*page)
    return None


def resolve_page(graph: FlowGraph, raw_pairs, page) -> Decision:
    """What the page for `page` (a question or an outcome) does with these answers.

    It renders when the answers lead through (or to) that page and carry nothing else; otherwise it
    redirects to the same page with the answers cleaned, or to where the valid answers lead: the first
    question still needing an answer, or the outcome they reach. A bare outcome address (no answers
    at all, as linked from a law article's page) redirects to that outcome's shortest answers.
    """
    page = _as_page(page)
    if page is None or not isinstance(graph, FlowGraph):
        return Decision(NOT_FOUND)
    if (page.kind == QUESTION and graph.question(page.slug) is None) or (
        page.kind == OUTCOME and not graph.has_outcome(page.slug)
    ):
        return Decision(NOT_FOUND)
    pairs = answer_pairs(raw_pairs)
    if page.kind == OUTCOME and not pairs:
        answers = canonical_answers(graph).get(page.slug)
        if answers is None:
            return Decision(NOT_FOUND)
        return Decision(REDIRECT, page, answers, replay(graph, answers))
    walked = replay(graph, pairs)
    if walked.broken:
        return Decision(NOT_FOUND, replay=walked)
    here = page.slug == walked.outcome if page.kind == OUTCOME else walked.on_path(page.slug)
    if not here:
        return Decision(REDIRECT, walked.position, walked.path, walked)
    if pairs != [tuple(answer) for answer in walked.path]:
        return Decision(REDIRECT, page, walked.path, walked)
    return Decision(RENDER, page, walked.path, walked)


def resolve_answer(graph: FlowGraph, raw_pairs, question_slug) -> Decision:
    """A question's form was sent: go where the answers now lead, or ask again if it has no valid answer.

    Later answers that are still on the path after a change are kept, so changing an earlier answer
    does not make the visitor answer everything again.
    """
    if not isinstance(graph, FlowGraph) or graph.question(question_slug) is None:
        return Decision(NOT_FOUND)
    walked = replay(graph, raw_pairs)
    if walked.broken:
        return Decision(NOT_FOUND, replay=walked)
    if question_slug == walked.question:
        # Keep the answers to later questions that the form carried, for when this one is answered.
        carried, keys = list(walked.path), {question_slug} | {answer.question for answer in walked.path}
        for key, value in walked.dropped:
            question = graph.question(key)
            if key not in keys and question is not None and question.choice(value) is not None:
                carried.append(Answer(key, value))
                keys.add(key)
        return Decision(NEEDS_ANSWER, Node(QUESTION, question_slug), tuple(carried), walked)
    return Decision(REDIRECT, walked.position, walked.path, walked)


def answers_before(path, question_slug) -> tuple[Answer, ...]:
    """The answers given before reaching `question_slug` (all of them if it is not on the path)."""
    answers = []
    for answer in path:
        if answer.question == question_slug:
            break
        answers.append(answer)
    return tuple(answers)


def previous_question(path, page: Node) -> str | None:
    """The question to go back to from `page`: the one answered just before it on the path."""
    before = answers_before(path, page.slug) if page.kind == QUESTION else tuple(path)
    return before[-1].question if before else None


def replace_question(graph: FlowGraph, original_slug, node: QuestionNode) -> FlowGraph:
    """The graph with one question replaced (or added, when `original_slug` is None or unknown).

    Used to check an edit before it is saved. A renamed question keeps the answers that lead to it.
    """
    renamed = original_slug is not None and original_slug != node.slug

    def follow(choice):
        if renamed and choice.next_question == original_slug:
            return ChoiceNode(choice.slug, node.slug, choice.outcome, choice.outside)
        return choice

    questions, replaced = [], False
    for question in graph.questions:
        if not replaced and original_slug is not None and question.slug == original_slug:
            questions.append(QuestionNode(node.slug, tuple(follow(choice) for choice in node.choices)))
            replaced = True
        else:
            questions.append(QuestionNode(question.slug, tuple(follow(choice) for choice in question.choices)))
    if not replaced:
        questions.append(node)
    first = node.slug if renamed and graph.first_question == original_slug else graph.first_question
    return FlowGraph(graph.slug, first, tuple(questions), graph.outcomes)
