"""Loads inquiry/guide/content/flows/ (shape: docs/shipped-content.md).

A shipped flow is checked as a graph before anything is written, and again after loading (an editor's
kept changes and the shipped ones together must still make a sound flow), both times by the guide's
one rule, `services.flow_ensure_sound`. Either failure stops the whole `load_content` run, which then
changes nothing.
"""

import datetime

from django.utils import timezone

from inquiry.cards.content_loader import procedure_lookup, resolve, state_lookup
from inquiry.core.shipped import ShippedContentError, content_dir, read_content, read_yaml, translated_fields
from inquiry.faq.models import Article
from inquiry.law.content_loader import article_lookup, source_lookup

from .engine import ChoiceNode, FlowGraph, QuestionNode
from .models import Choice, Flow, Outcome, OutcomeProcedure, Question
from .services import UnsoundFlow, flow_ensure_sound


def _start_of_day(value):
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time(0, 0)))


def graph_from_yaml(item) -> FlowGraph:
    return FlowGraph(
        slug=item.get("slug", ""),
        first_question=item.get("first_question"),
        questions=[
            QuestionNode(
                question["slug"],
                [
                    ChoiceNode(choice["slug"], next_question=choice.get("next"), outcome=choice.get("outcome"))
                    for choice in question.get("choices", [])
                ],
            )
            for question in item.get("questions", [])
        ],
        outcomes=[outcome["slug"] for outcome in item.get("outcomes", [])],
    )


def _ensure_sound(slug, when, flow, graph=None):
    """`services.flow_ensure_sound`, its refusal told as the loader tells it (the problems, not the admin's header)."""
    try:
        flow_ensure_sound(flow, graph)
    except UnsoundFlow as error:
        details = "; ".join(problem.message for problem in error.problems)
        raise ShippedContentError(f"guide {slug!r} {when}: {details}") from error


def load(loader, path=None):
    data = read_yaml(path) if path else read_content(content_dir(__file__), "flows")
    citations, procedures, states = article_lookup(), procedure_lookup(), state_lookup()
    sources = source_lookup()
    faq_articles = {article.slug: article for article in Article.objects.all()}
    for order, item in enumerate(data.get("flows", [])):
        slug = item["slug"]
        # Every shipped flow is published, so its graph in the file is checked as a published one.
        shipped = Flow(slug=slug, status=Flow.Status.PUBLISHED)
        _ensure_sound(slug, "has problems in flows.yaml", shipped, graph_from_yaml(item))
        key = f"guide:flow:{slug}"
        flow = loader.sync(
            key,
            Flow,
            {"slug": slug},
            {
                **translated_fields(item, "title", "summary", "intro", required=("title", "intro")),
                "status": Flow.Status.PUBLISHED,
                "published_at": _start_of_day(item["published_at"]),
                "order": order,
            },
        )

        outcomes = {}
        for outcome_item in item.get("outcomes", []):
            outcome_key = f"{key}:outcome:{outcome_item['slug']}"
            state = outcome_item.get("account_state")
            outcome = loader.sync(
                outcome_key,
                Outcome,
                {"flow": flow, "slug": outcome_item["slug"]},
                {
                    **translated_fields(
                        outcome_item, "heading", "what_happened", required=("heading", "what_happened")
                    ),
                    "account_state": resolve(states, [state], "account state", outcome_key)[0] if state else None,
                },
                {
                    "citations": resolve(citations, outcome_item.get("citations"), "law article", outcome_key),
                    "sources": resolve(sources, outcome_item.get("sources"), "source", outcome_key),
                    "faq_articles": resolve(faq_articles, outcome_item.get("faq"), "FAQ article", outcome_key),
                },
            )
            outcomes[outcome_item["slug"]] = outcome
            # Looked up by procedure, so reordering in the file updates `order` instead of clashing.
            for position, procedure in enumerate(
                resolve(procedures, outcome_item.get("procedures"), "procedure", outcome_key), start=1
            ):
                loader.sync(
                    f"{outcome_key}:procedure:{procedure.slug}",
                    OutcomeProcedure,
                    {"outcome": outcome, "procedure": procedure},
                    {"order": position},
                )

        questions = {}
        for position, question_item in enumerate(item.get("questions", [])):
            questions[question_item["slug"]] = loader.sync(
                f"{key}:question:{question_item['slug']}",
                Question,
                {"flow": flow, "slug": question_item["slug"]},
                {
                    **translated_fields(question_item, "prompt", "hint", "why_we_ask", required=("prompt",)),
                    "order": position,
                },
            )
        for question_item in item.get("questions", []):
            question = questions[question_item["slug"]]
            for position, choice_item in enumerate(question_item.get("choices", [])):
                loader.sync(
                    f"{key}:question:{question.slug}:choice:{choice_item['slug']}",
                    Choice,
                    {"question": question, "slug": choice_item["slug"]},
                    {
                        **translated_fields(choice_item, "label", "hint", required=("label",)),
                        "order": position,
                        "next_question": questions[choice_item["next"]] if choice_item.get("next") else None,
                        "outcome": outcomes[choice_item["outcome"]] if choice_item.get("outcome") else None,
                    },
                )
        # The start is set once its question exists (and kept if an editor chose another one).
        flow = loader.sync(f"{key}:start", Flow, {"slug": slug}, {"first_question": questions[item["first_question"]]})

        # Checked if it is published (an editor may have set it back to draft), with its row locked.
        _ensure_sound(slug, "would be published with problems after loading (with the editors' changes)", flow)
