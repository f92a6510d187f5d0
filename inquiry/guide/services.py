"""The guide's own write rule: a published guide stays a sound graph.

`flow_ensure_sound(flow, graph=None)` is the one place that applies it. It locks the flow's row,
builds the graph as it would be after the change, and raises `UnsoundFlow` (a ValidationError whose
first message says what happened and whose others are the problems) if a published flow would be left
with problems. `checks.flow_problems` stays the pure, engine-level check it calls.

Every path that changes a published guide calls it:

- the admin forms (`admin/forms.py`): a flow's form (its first question, or its status set to
  published), the answers on a question's page, one answer's own page, a new outcome;
- revert (the `validate_revert` hooks of the flow, question, answer and outcome admins), with the
  reverted row already saved: the stored graph is checked;
- the publish action (`FlowAdmin.check_publishable`), with `publishing=True`;
- the shipped-content loader (`content_loader.py`), before writing (the graph of flows.yaml) and after
  (the stored graph, with the editors' kept changes).

"The graph as it would be" is the stored graph of the flow with one change applied, read only once
the row is locked: `first_question_set(question)`, `question_replaced(question, answers)`,
`answer_replaced(choice, slug, next_question, outcome)`, `outcome_added(slug)`. A ready `FlowGraph`
can be passed instead (the loader's graph of flows.yaml).
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from .checks import flow_problems
from .engine import ChoiceNode, FlowGraph, QuestionNode, replace_question
from .models import Flow, Question
from .selectors import flow_graph


class UnsoundFlow(ValidationError):
    """A published flow would be left with problems. `problems` are the `checks.Problem`s found;
    the messages are a header (what was refused) followed by one message per problem."""

    def __init__(self, header, problems):
        super().__init__([header, *[problem.message for problem in problems]])
        self.problems = list(problems)


def locked_flow(flow_id):
    """The flow as stored, its row locked until the transaction ends (where the database can lock rows).

    Every check of a flow's graph takes this lock first, and the publish action locks the flows it
    publishes: an edit of a flow's answers and the publishing of that flow cannot interleave.
    """
    queryset = Flow.objects.filter(pk=flow_id)
    if transaction.get_connection().in_atomic_block:
        queryset = queryset.select_for_update()
    return queryset.first()


def choice_node(flow, slug, next_question, outcome) -> ChoiceNode:
    """One answer as the engine sees it, from the values of a form (targets are model instances)."""
    return ChoiceNode(
        slug=slug,
        next_question=next_question.slug if next_question else None,
        outcome=outcome.slug if outcome else None,
        outside=any(target is not None and target.flow_id != flow.pk for target in (next_question, outcome)),
    )


# --- The graph as it would be: one change to the stored graph, applied once the row is locked --------


@dataclasses.dataclass(frozen=True)
class GraphChange:
    """A change to a flow's stored graph; `apply(flow, graph)` returns the graph with it."""

    def apply(self, flow, graph: FlowGraph) -> FlowGraph:
        raise NotImplementedError


@dataclasses.dataclass(frozen=True)
class _FirstQuestionSet(GraphChange):
    question: Question | None

    def apply(self, flow, graph):
        question = self.question
        slug = question.slug if question is not None and question.flow_id == flow.pk else None
        return dataclasses.replace(graph, first_question=slug)


@dataclasses.dataclass(frozen=True)
class _QuestionReplaced(GraphChange):
    question: Question
    answers: tuple  # (slug, next_question, outcome), targets as model instances

    def apply(self, flow, graph):
        question = self.question
        original = (
            Question.objects.filter(pk=question.pk).values_list("slug", flat=True).first() if question.pk else None
        )
        nodes = [choice_node(flow, *answer) for answer in self.answers]
        return replace_question(graph, original, QuestionNode(question.slug, nodes))


@dataclasses.dataclass(frozen=True)
class _AnswerReplaced(GraphChange):
    choice: object  # a stored Choice
    values: tuple  # its new (slug, next_question, outcome)

    def apply(self, flow, graph):
        question = self.choice.question
        stored = question.choices.select_related("next_question", "outcome").order_by("order", "id")
        nodes = [
            choice_node(flow, *self.values)
            if choice.pk == self.choice.pk
            else choice_node(flow, choice.slug, choice.next_question, choice.outcome)
            for choice in stored
        ]
        return replace_question(graph, question.slug, QuestionNode(question.slug, nodes))


@dataclasses.dataclass(frozen=True)
class _OutcomeAdded(GraphChange):
    slug: str

    def apply(self, flow, graph):
        return dataclasses.replace(graph, outcomes=(*graph.outcomes, self.slug))


def first_question_set(question) -> GraphChange:
    """The flow starting at `question` (a question of another guide, or None, leaves it without a start)."""
    return _FirstQuestionSet(question)


def question_replaced(question, answers) -> GraphChange:
    """`question` (its slug as edited; a new one when unsaved) with exactly these answers,
    each `(slug, next_question, outcome)`. Answers that led to its stored slug follow a rename."""
    return _QuestionReplaced(question, tuple(tuple(answer) for answer in answers))


def answer_replaced(choice, slug, next_question, outcome) -> GraphChange:
    """One stored answer with new values, beside its question's other stored answers."""
    return _AnswerReplaced(choice, (slug, next_question, outcome))


def outcome_added(slug) -> GraphChange:
    """The flow with one more outcome."""
    return _OutcomeAdded(slug)


# --- The rule ------------------------------------------------------------------------------------


def flow_ensure_sound(flow, graph=None, *, status=None, publishing=False):
    """Raise `UnsoundFlow` if a published flow would be left with problems; otherwise return None.

    `flow` is a Flow, or the id of one. A stored flow's row is locked first (inside the caller's
    transaction) and read again; an unsaved Flow is checked as it is, its stored graph empty.
    `graph` is None (the stored graph: a change already written), a `GraphChange` (the stored graph
    with that change) or a `FlowGraph` (checked as given).
    `status` is the status the flow will have (by default its stored one): only a published flow is
    checked. `publishing=True` is the publish action: the flow is checked whatever its status, and the
    message says it was not published.
    """
    flow_id = flow if isinstance(flow, int) else flow.pk
    if flow_id is not None:
        stored = locked_flow(flow_id)
        if stored is None:
            return
        flow = stored
    if not publishing and (status or flow.status) != Flow.Status.PUBLISHED:
        return
    if not isinstance(graph, FlowGraph):
        stored_graph = flow_graph(flow) if flow.pk is not None else FlowGraph(slug=flow.slug, first_question=None)
        graph = graph.apply(flow, stored_graph) if graph is not None else stored_graph
    problems = flow_problems(graph)
    if not problems:
        return
    if publishing:
        header = gettext("“%(title)s” was not published: it has the problems below. See its map.") % {
            "title": flow.title
        }
    else:
        header = gettext(
            "This guide is published, and this change would leave it with the problems below. "
            "Fix them, or set the guide back to draft while you rework it."
        )
    raise UnsoundFlow(header, problems)
