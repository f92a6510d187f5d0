"""Reads for the guide: a flow as a graph for the engine, and what its pages show.

Each function costs a fixed number of queries, whatever the size of the flow.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404

from inquiry.faq.models import Article
from inquiry.law.models import LawArticle

from .engine import ChoiceNode, FlowGraph, QuestionNode
from .models import Choice, Flow, Outcome, OutcomeProcedure, Question


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


def published_flow(slug):
    return get_object_or_404(Flow.objects.published().select_related("first_question"), slug=slug)


def flow_for_pages(slug) -> FlowForPages:
    """Four queries: the flow, its questions, their choices, its outcomes."""
    flow = get_object_or_404(Flow.objects.published(), slug=slug)
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
    """One outcome with its account state, procedures (with steps), legal basis and related questions:
    five queries."""
    links = OutcomeProcedure.objects.select_related("procedure").order_by("order", "id")
    outcome = get_object_or_404(
        Outcome.objects.filter(flow=flow)
        .select_related("account_state__account")
        .prefetch_related(
            Prefetch("procedure_links", queryset=links),
            Prefetch("citations", queryset=LawArticle.objects.with_law()),
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
    return outcome
