from modeltranslation.translator import TranslationOptions, register

from inquiry.editorial.history import track_history

from .models import Account, AccountState, Procedure, ProcedureStep, StateTransition


@register(Procedure)
class ProcedureTranslation(TranslationOptions):
    fields = ("title", "summary", "summary_html")


@register(ProcedureStep)
class ProcedureStepTranslation(TranslationOptions):
    fields = ("title", "where", "bring", "bring_html", "outcome")


@register(Account)
class AccountTranslation(TranslationOptions):
    fields = ("name", "description", "description_html")


@register(AccountState)
class AccountStateTranslation(TranslationOptions):
    fields = ("name", "what_you_see", "what_you_see_html", "what_you_can_do", "what_you_can_do_html")


@register(StateTransition)
class StateTransitionTranslation(TranslationOptions):
    fields = ("label",)


# After the translations, so the history copies every language's fields (see track_history).
track_history(Procedure, m2m_fields=["citations"])
track_history(ProcedureStep, m2m_fields=["sources"])
track_history(Account)
track_history(AccountState, m2m_fields=["sources"])
track_history(StateTransition)
