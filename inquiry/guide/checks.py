"""Checking a flow as a graph before it goes public.

`flow_problems(graph)` lists every problem of a flow; it is pure, like the engine. The same list is
used by a Django system check over the published flows (below), by the admin (a published flow with
problems cannot be saved), by the shipped-content loader and by the tests.

One problem the design names cannot arise here: "more than one path to a node per answer set". A
visitor's answers hold at most one choice per question (repeated keys are dropped, choice slugs are
unique within a question), and the walk from the first question is deterministic, so a set of answers
always describes exactly one path.
"""

from collections import defaultdict, deque
from dataclasses import dataclass

from django.core.checks import Error, Tags, register
from django.db import connections
from django.utils.translation import gettext, ngettext

from .engine import OUTCOME, QUESTION, FlowGraph, Node

MAX_QUESTIONS_ON_PATH = 4

NO_START = "no-start"
DUPLICATE_SLUG = "duplicate-slug"
DUPLICATE_CHOICE = "duplicate-choice"
TOO_FEW_CHOICES = "too-few-choices"
LEADS_NOWHERE = "leads-nowhere"
UNREACHABLE = "unreachable"
CYCLE = "cycle"
TOO_DEEP = "too-deep"

CHECK_IDS = {
    NO_START: "guide.E001",
    LEADS_NOWHERE: "guide.E002",
    UNREACHABLE: "guide.E003",
    CYCLE: "guide.E004",
    TOO_FEW_CHOICES: "guide.E005",
    DUPLICATE_CHOICE: "guide.E006",
    TOO_DEEP: "guide.E007",
    DUPLICATE_SLUG: "guide.E008",
}


@dataclass(frozen=True)
class Problem:
    code: str
    node: Node | None = None  # the question or outcome concerned; None for the flow as a whole
    choice: str | None = None  # the choice concerned, for problems of one answer
    detail: object = None  # the loop's target question, the number of questions, the choice count

    @property
    def message(self) -> str:
        slug = self.node.slug if self.node else ""
        params = {"question": slug, "outcome": slug, "choice": self.choice or "", "detail": self.detail}
        if self.code == NO_START:
            return gettext("The guide has no first question, or its first question belongs to another guide.")
        if self.code == DUPLICATE_SLUG:
            if self.node.kind == QUESTION:
                return gettext("More than one question has the slug “%(question)s”.") % params
            return gettext("More than one outcome has the slug “%(outcome)s”.") % params
        if self.code == DUPLICATE_CHOICE:
            return gettext("Question “%(question)s” has more than one answer with the slug “%(choice)s”.") % params
        if self.code == TOO_FEW_CHOICES:
            return (
                ngettext(
                    "Question “%(question)s” has %(detail)s answer; it needs at least two.",
                    "Question “%(question)s” has %(detail)s answers; it needs at least two.",
                    self.detail,
                )
                % params
            )
        if self.code == LEADS_NOWHERE:
            return gettext("Answer “%(choice)s” of question “%(question)s” leads nowhere in this guide.") % params
        if self.code == UNREACHABLE:
            if self.node.kind == QUESTION:
                return gettext("Question “%(question)s” cannot be reached from the first question.") % params
            return gettext("Outcome “%(outcome)s” cannot be reached from the first question.") % params
        if self.code == CYCLE:
            return (
                gettext(
                    "Answer “%(choice)s” of question “%(question)s” leads back to question “%(detail)s”: "
                    "the questions go round in a loop."
                )
                % params
            )
        if self.code == TOO_DEEP:
            return gettext(
                "Outcome “%(outcome)s” can take %(detail)s questions to reach; the most allowed is %(max)s."
            ) % {**params, "max": MAX_QUESTIONS_ON_PATH}
        return self.code


def _reachable(graph: FlowGraph) -> set[Node]:
    start = graph.question(graph.first_question)
    if start is None:
        return set()
    seen, queue = {Node(QUESTION, start.slug)}, deque([start])
    while queue:
        question = queue.popleft()
        for choice in graph.first_choices(question):
            target = graph.target(choice)
            if target is not None and target not in seen:
                seen.add(target)
                if target.kind == QUESTION:
                    queue.append(graph.question(target.slug))
    return seen


def _back_edges(graph: FlowGraph):
    """(question, choice, target question) for every answer that closes a loop, found depth-first."""
    found, state = [], {}  # state: 1 = on the current walk, 2 = finished
    for root in [q.slug for q in graph.questions]:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(list(graph.first_choices(graph.question(root)))))]
        while stack:
            slug, choices = stack[-1]
            for choice in choices:
                target = graph.target(choice)
                if target is None or target.kind != QUESTION:
                    continue
                if state.get(target.slug) == 1:
                    found.append((slug, choice.slug, target.slug))
                elif target.slug not in state:
                    state[target.slug] = 1
                    stack.append((target.slug, iter(list(graph.first_choices(graph.question(target.slug))))))
                    break
            else:
                state[slug] = 2
                stack.pop()
    return found


def _deepest(graph: FlowGraph) -> dict[str, int]:
    """The most questions on a path to each reachable outcome. Only meaningful without loops."""
    start = graph.question(graph.first_question)
    if start is None:
        return {}
    reachable = [node.slug for node in _reachable(graph) if node.kind == QUESTION]
    incoming = defaultdict(int)
    for slug in reachable:
        for choice in graph.first_choices(graph.question(slug)):
            target = graph.target(choice)
            if target is not None and target.kind == QUESTION:
                incoming[target.slug] += 1
    depth = {start.slug: 1}
    outcome_depth = {}
    queue = deque(slug for slug in reachable if incoming[slug] == 0)
    while queue:
        slug = queue.popleft()
        for choice in graph.first_choices(graph.question(slug)):
            target = graph.target(choice)
            if target is None:
                continue
            if target.kind == OUTCOME:
                outcome_depth[target.slug] = max(outcome_depth.get(target.slug, 0), depth.get(slug, 1))
            else:
                depth[target.slug] = max(depth.get(target.slug, 0), depth.get(slug, 1) + 1)
                incoming[target.slug] -= 1
                if incoming[target.slug] == 0:
                    queue.append(target.slug)
    return outcome_depth


def flow_problems(graph: FlowGraph) -> list[Problem]:
    """Every problem of the flow as a graph, in a stable order (empty when the flow is sound)."""
    problems = []
    if graph.question(graph.first_question) is None:
        problems.append(Problem(NO_START))

    seen_questions, seen_outcomes = set(), set()
    for question in graph.questions:
        if question.slug in seen_questions:
            problems.append(Problem(DUPLICATE_SLUG, Node(QUESTION, question.slug)))
        seen_questions.add(question.slug)
    for outcome in graph.outcomes:
        if outcome in seen_outcomes:
            problems.append(Problem(DUPLICATE_SLUG, Node(OUTCOME, outcome)))
        seen_outcomes.add(outcome)

    for question in graph.questions:
        node = Node(QUESTION, question.slug)
        if len(question.choices) < 2:
            problems.append(Problem(TOO_FEW_CHOICES, node, detail=len(question.choices)))
        slugs = set()
        for choice in question.choices:
            if choice.slug in slugs:
                problems.append(Problem(DUPLICATE_CHOICE, node, choice.slug))
                continue
            slugs.add(choice.slug)
            if graph.target(choice) is None:
                problems.append(Problem(LEADS_NOWHERE, node, choice.slug))

    loops = _back_edges(graph)
    for question, choice, target in loops:
        problems.append(Problem(CYCLE, Node(QUESTION, question), choice, detail=target))

    reachable = _reachable(graph)
    if reachable:
        for question in graph.questions:
            if Node(QUESTION, question.slug) not in reachable:
                problems.append(Problem(UNREACHABLE, Node(QUESTION, question.slug)))
        for outcome in dict.fromkeys(graph.outcomes):
            if Node(OUTCOME, outcome) not in reachable:
                problems.append(Problem(UNREACHABLE, Node(OUTCOME, outcome)))

    if not loops:
        for outcome, depth in _deepest(graph).items():
            if depth > MAX_QUESTIONS_ON_PATH:
                problems.append(Problem(TOO_DEEP, Node(OUTCOME, outcome), detail=depth))
    return problems


def problems_by_node(problems) -> dict[Node | None, list[Problem]]:
    grouped = defaultdict(list)
    for problem in problems:
        grouped[problem.node].append(problem)
    return dict(grouped)


@register(Tags.database)
def check_published_flows(app_configs=None, databases=None, **kwargs):
    """Every published guide must be sound.

    Like Django's own database checks this runs only when databases are named: `manage.py check
    --database default`, and `migrate` (before it migrates, so a fresh database is skipped).
    """
    if not databases or (app_configs is not None and not any(config.label == "guide" for config in app_configs)):
        return []
    from .models import Flow
    from .selectors import flow_graphs

    errors = []
    for alias in databases:
        with connections[alias].cursor() as cursor:
            tables = connections[alias].introspection.table_names(cursor)
        if Flow._meta.db_table not in tables:
            continue
        flows = Flow.objects.using(alias).filter(status=Flow.Status.PUBLISHED)
        for flow, graph in flow_graphs(flows, using=alias):
            for problem in flow_problems(graph):
                errors.append(
                    Error(
                        f"Published guide “{flow.slug}”: {problem.message}",
                        hint="Fix the flow in the admin, or set it back to draft.",
                        obj=flow,
                        id=CHECK_IDS[problem.code],
                    )
                )
    return errors
