from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from inquiry.law.models import LawArticle

from .models import Account, AccountState, Procedure, StateTransition


def accounts_with_states():
    """Both accounts, their states, the states' sources and state changes: four queries."""
    transitions = StateTransition.objects.select_related("target", "procedure")
    states = AccountState.objects.prefetch_related(Prefetch("transitions_out", queryset=transitions), "sources")
    return Account.objects.prefetch_related(Prefetch("states", queryset=states))


def procedures_with_steps(queryset=None):
    """Procedures with their steps (and the steps' sources) and legal basis: four queries for any number
    of procedures."""
    queryset = Procedure.objects.all() if queryset is None else queryset
    return queryset.prefetch_related(
        "steps", "steps__sources", Prefetch("citations", queryset=LawArticle.objects.with_law())
    )


def step_sources(procedure_obj):
    """The sources of a procedure's steps, each once, in step order (from the prefetch: no query)."""
    seen = {}
    for step in procedure_obj.steps.all():
        for source in step.sources.all():
            seen.setdefault(source.pk, source)
    return list(seen.values())


def procedure(slug):
    return get_object_or_404(procedures_with_steps(), slug=slug)


def procedures_leading_to(procedure_obj):
    """The state changes a procedure brings about, with their accounts: one query."""
    return StateTransition.objects.filter(procedure=procedure_obj).select_related("source__account", "target")
