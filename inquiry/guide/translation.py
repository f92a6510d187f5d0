from modeltranslation.translator import TranslationOptions, register

from inquiry.editorial.history import track_history

from .models import Choice, Flow, Outcome, OutcomeProcedure, Question


@register(Flow)
class FlowTranslation(TranslationOptions):
    fields = ("title", "summary", "intro", "intro_html")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("prompt", "hint", "why_we_ask")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("label", "hint")


@register(Outcome)
class OutcomeTranslation(TranslationOptions):
    fields = ("heading", "what_happened", "what_happened_html")


# After the translations, so the history copies every language's fields (see track_history).
track_history(Flow)
track_history(Question)
track_history(Choice)
# An outcome's procedures are ordered rows (OutcomeProcedure), content with their own history: a
# many-to-many history would keep which procedures, but not in what order.
track_history(Outcome, m2m_fields=["citations", "sources", "faq_articles"])
track_history(OutcomeProcedure)
