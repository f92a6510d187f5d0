from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from inquiry.law.models import LawArticle

from .models import Account, AccountState, Procedure, StateTransition


def accounts_with_states():
    """Both accounts, their states and state changes: three queries."""
    transitions = StateTransition.objects.select_related("target", "procedure")
    states = AccountState.objects.prefetch_related(Prefetch("transitions_out", queryset=transitions))
    return Account.objects.prefetch_related(Prefetch("states", queryset=states))


def procedures_with_steps(queryset=None):
    """Procedures with their steps and legal basis: three queries for any number of procedures."""
    queryset = Procedure.objects.all() if queryset is None else queryset
    return queryset.prefetch_related("steps", Prefetch("citations", queryset=LawArticle.objects.with_law()))


def procedure(slug):
    return get_object_or_404(procedures_with_steps(), slug=slug)


def procedures_leading_to(procedure_obj):
    """The state changes a procedure brings about, with their accounts: one query."""
    return StateTransition.objects.filter(procedure=procedure_obj).select_related("source__account", "target")
