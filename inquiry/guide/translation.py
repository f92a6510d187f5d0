from modeltranslation.translator import TranslationOptions, register

from .models import Choice, Flow, Outcome, Question


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
