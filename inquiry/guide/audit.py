"""What the content audit (inquiry.law.audit) checks for the guides: every outcome a published guide
can reach (an outcome no answer leads to is never shown, and the flow check reports it already)."""

from inquiry.law.audit import AuditedAnswer, cited_text, law_wording

from .engine import canonical_answers
from .models import Flow, Outcome
from .selectors import flow_graphs

TEXT_FIELDS = ("heading", "what_happened")


def reachable_outcomes(using):
    flows = Flow.objects.using(using).filter(status=Flow.Status.PUBLISHED)
    reachable = {flow.pk: set(canonical_answers(graph)) for flow, graph in flow_graphs(flows, using=using)}
    outcomes = (
        Outcome.objects.using(using)
        .filter(flow_id__in=reachable)
        .select_related("flow")
        .prefetch_related("sources", "citations")
        .order_by("flow__slug", "slug")
    )
    for outcome in outcomes:
        if outcome.slug not in reachable[outcome.flow_id]:
            continue
        yield AuditedAnswer(
            name=f"Outcome “{outcome.slug}” of the guide “{outcome.flow.slug}”",
            obj=outcome,
            law_articles=len(outcome.citations.all()),
            strengths=frozenset(source.strength for source in outcome.sources.all()),
            sources=len(outcome.sources.all()),
            cited_text=cited_text(outcome.citations.all()),
            law_wording=law_wording(outcome.citations.all()),
            texts={
                language: "\n".join(getattr(outcome, f"{name}_{language}") or "" for name in TEXT_FIELDS)
                for language in ("zh_hans", "en")
            },
        )
