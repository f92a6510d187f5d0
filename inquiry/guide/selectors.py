"""Reads for the guide: a flow as a graph for the engine, and what its pages show.

Each function costs a fixed number of queries, whatever the size of the flow.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404

from inquiry.faq.models import Article
from inquiry.law.models import LawArticle

from .engine import OUTCOME, QUESTION, ChoiceNode, FlowGraph, QuestionNode, canonical_answers
from .links import outcome_url
from .models import Choice, Flow, Outcome, OutcomeProcedure, Question

# What could be a slug that a row once had: anything else (10 kB of junk, broken bytes) is not looked up.
OLD_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")
MAX_OLD_SLUGS = 20


def graph_from_models(flow, questions, choices, outcomes) -> FlowGraph:
    """The plain graph of a flow from its rows. Links go by id, so a choice pointing into another
    flow is marked `outside` even if that flow happens to use the same slug."""
    question_slugs = {question.pk: question.slug for question in questions}
    outcome_slugs = {outcome.pk: outcome.slug for outcome in outcomes}
    by_question = defaultdict(list)
    for choice in choices:
        by_question[choice.question_id].append(
            ChoiceNode(
                slug=choice.slug,
                next_question=question_slugs.get(choice.next_question_id),
                outcome=outcome_slugs.get(choice.outcome_id),
                outside=(choice.next_question_id is not None and choice.next_question_id not in question_slugs)
                or (choice.outcome_id is not None and choice.outcome_id not in outcome_slugs),
            )
        )
    return FlowGraph(
        slug=flow.slug,
        first_question=question_slugs.get(flow.first_question_id),
        questions=[QuestionNode(question.slug, by_question[question.pk]) for question in questions],
        outcomes=[outcome.slug for outcome in outcomes],
    )


def flow_graphs(flows, using="default"):
    """[(flow, graph)] for a queryset of flows: four queries for any number of flows."""
    flows = list(flows)
    ids = [flow.pk for flow in flows]
    questions, outcomes, choices = defaultdict(list), defaultdict(list), defaultdict(list)
    for question in Question.objects.using(using).filter(flow_id__in=ids).only("id", "flow_id", "slug", "order"):
        questions[question.flow_id].append(question)
    for outcome in Outcome.objects.using(using).filter(flow_id__in=ids).only("id", "flow_id", "slug"):
        outcomes[outcome.flow_id].append(outcome)
    for choice in (
        Choice.objects.using(using)
        .filter(question__flow_id__in=ids)
        .only("id", "question_id", "slug", "order", "next_question_id", "outcome_id")
        .order_by("order", "id")
    ):
        choices[choice.question_id].append(choice)
    result = []
    for flow in flows:
        flow_choices = [choice for question in questions[flow.pk] for choice in choices[question.pk]]
        result.append((flow, graph_from_models(flow, questions[flow.pk], flow_choices, outcomes[flow.pk])))
    return result


def flow_graph(flow) -> FlowGraph:
    return flow_graphs([flow])[0][1]


@dataclass(frozen=True)
class FlowForPages:
    """A published flow with everything its question pages show, and its graph for the engine."""

    flow: Flow
    graph: FlowGraph
    questions: dict  # slug → Question, with `choices` prefetched in order
    outcomes: dict  # slug → Outcome (slug and heading only)

    def choice_label(self, question_slug, choice_slug):
        question = self.questions.get(question_slug)
        for choice in question.choices.all() if question else ():
            if choice.slug == choice_slug:
                return choice.label
        return choice_slug


def published_flows():
    return Flow.objects.published().only(
        "id", "slug", "title_zh_hans", "title_en", "summary_zh_hans", "summary_en", "order"
    )


def _flows(include_drafts):
    """Published flows; every flow for staff previewing drafts."""
    return Flow.objects.all() if include_drafts else Flow.objects.published()


def published_flow(slug, include_drafts=False):
    return get_object_or_404(_flows(include_drafts).select_related("first_question"), slug=slug)


def flow_for_pages(slug, include_drafts=False) -> FlowForPages:
    """Four queries: the flow, its questions, their choices, its outcomes."""
    flow = get_object_or_404(_flows(include_drafts), slug=slug)
    questions = list(
        Question.objects.filter(flow=flow).prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("order", "id"))
        )
    )
    outcomes = list(Outcome.objects.filter(flow=flow).only("id", "flow_id", "slug", "heading_zh_hans", "heading_en"))
    choices = [choice for question in questions for choice in question.choices.all()]
    return FlowForPages(
        flow=flow,
        graph=graph_from_models(flow, questions, choices, outcomes),
        questions={question.slug: question for question in questions},
        outcomes={outcome.slug: outcome for outcome in outcomes},
    )


def outcome_for_page(flow, slug):
    """One outcome with its account state, procedures (with steps), legal basis, sources and related
    questions: six queries."""
    links = OutcomeProcedure.objects.select_related("procedure").order_by("order", "id")
    outcome = get_object_or_404(
        Outcome.objects.filter(flow=flow)
        .select_related("account_state__account")
        .prefetch_related(
            Prefetch("procedure_links", queryset=links),
            Prefetch("citations", queryset=LawArticle.objects.with_law()),
            "sources",
            Prefetch(
                "faq_articles", queryset=Article.objects.published().only("id", "slug", "title_zh_hans", "title_en")
            ),
        ),
        slug=slug,
    )
    procedures = [link.procedure for link in outcome.procedure_links.all()]
    # Steps for every procedure in one query (the procedure's own citations are not shown here).
    prefetch_related_objects(procedures, "steps")
    outcome.ordered_procedures = procedures
    outcome.first_visit = first_visit(procedures)
    return outcome


@dataclass(frozen=True)
class FirstVisit:
    """The first place the holder must go, shown at the top of an outcome: a step with its number."""

    procedure: object
    step: object
    number: int
    before: tuple = ()  # the steps to do first (at home: gather the papers), shown by title


def first_visit(procedures):
    """The first step, in the first procedure that has steps, that says where to go (or that
    procedure's first step if none does). No query: the steps are prefetched."""
    for procedure in procedures:
        steps = list(procedure.steps.all())
        if steps:
            number, step = next(((n, s) for n, s in enumerate(steps, 1) if s.where), (1, steps[0]))
            return FirstVisit(procedure=procedure, step=step, number=number, before=tuple(steps[: number - 1]))
    return None


def shortest_answers(flows):
    """{flow id: {outcome slug: the shortest answers that lead to it}} for the given flows (loaded
    with their slug and first question): three queries, whatever their number. An outcome no path
    leads to is not in its flow's mapping."""
    return {flow.pk: canonical_answers(graph) for flow, graph in flow_graphs(flows)}


@dataclass(frozen=True)
class ShareableOutcome:
    outcome: Outcome
    answers: tuple  # the shortest answers that lead to it

    def get_absolute_url(self):
        return outcome_url(self.outcome.flow.slug, self.outcome.slug, self.answers)


def shareable_outcomes():
    """Every outcome of the published flows with its shortest answers, in flow order: five queries,
    whatever the number of flows and outcomes. An outcome no path leads to is left out."""
    flows = list(Flow.objects.published().only("id", "slug", "first_question_id", "order"))
    shortest = shortest_answers(flows)
    outcomes = (
        Outcome.objects.filter(flow__in=flows)
        .select_related("flow")
        .only("id", "slug", "updated_at", "flow__id", "flow__slug", "flow__order")
        .order_by("flow__order", "flow_id", "id")
    )
    return [
        ShareableOutcome(outcome, shortest[outcome.flow_id][outcome.slug])
        for outcome in outcomes
        if outcome.slug in shortest[outcome.flow_id]
    ]


def current_slugs(model, scope_field, wanted):
    """{(scope id, old slug): current slug} for rows of `model` that had an old slug before being renamed.

    `wanted` holds (scope id, old slug) pairs, the scope being the field within which slugs are unique
    (`flow_id` for questions and outcomes, `question_id` for answers). Read from the history, where
    each version keeps the slug it had, so renamed rows are found without a table of their own.
    Two queries; when several rows once used a slug, the latest to use it wins.
    """
    if not wanted:
        return {}
    owners = {}
    history = model.history.filter(
        **{f"{scope_field}__in": {scope for scope, _ in wanted}, "slug__in": {slug for _, slug in wanted}}
    )
    for scope, slug, pk in history.order_by("history_date", "history_id").values_list(scope_field, "slug", "id"):
        if (scope, slug) in wanted:
            owners[(scope, slug)] = pk
    current = {
        pk: (scope, slug)
        for pk, scope, slug in model.objects.filter(pk__in=set(owners.values())).values_list("pk", scope_field, "slug")
    }
    return {
        key: current[pk][1]
        for key, pk in owners.items()
        if pk in current and current[pk][0] == key[0] and current[pk][1] != key[1]
    }


def _old_slugs(pairs):
    """The (scope, slug) pairs worth looking up, a bounded number of them."""
    return set(sorted(pair for pair in pairs if OLD_SLUG.fullmatch(pair[1]))[:MAX_OLD_SLUGS])


def renamed_address(pages: FlowForPages, kind, page_slug, answers):
    """(page slug, answers) under the current slugs if the address names a question, answer or outcome
    of this flow that has since been renamed; None if nothing in it was renamed.

    No query when every slug in the address is current (any link the site made since); at most six
    when some are not. What is still unknown is left as it is, for the engine to drop.
    """
    graph, flow_id = pages.graph, pages.flow.pk
    unknown = {(flow_id, key) for key, _ in answers if graph.question(key) is None}
    if kind == QUESTION and graph.question(page_slug) is None:
        unknown.add((flow_id, page_slug))
    questions = {old: new for (_, old), new in current_slugs(Question, "flow_id", _old_slugs(unknown)).items()}
    outcomes = {}
    if kind == OUTCOME and not graph.has_outcome(page_slug):
        found = current_slugs(Outcome, "flow_id", _old_slugs({(flow_id, page_slug)}))
        outcomes = {old: new for (_, old), new in found.items()}
    answers = [(questions.get(key, key), value) for key, value in answers]
    unknown_choices = {
        (pages.questions[key].pk, value)
        for key, value in answers
        if graph.question(key) is not None and graph.question(key).choice(value) is None
    }
    choices = current_slugs(Choice, "question_id", _old_slugs(unknown_choices))
    if not (questions or outcomes or choices):
        return None
    answers = [
        (key, choices.get((pages.questions[key].pk, value), value) if key in pages.questions else value)
        for key, value in answers
    ]
    renamed = questions if kind == QUESTION else outcomes
    return renamed.get(page_slug, page_slug), answers
