from modeltranslation.translator import TranslationOptions, register

from inquiry.editorial.history import track_history

from .models import LocalValue, Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)


@register(LocalValue)
class LocalValueTranslation(TranslationOptions):
    fields = ("text",)


# After the translations, so the history copies every language's fields (see track_history).
track_history(Region)
track_history(LocalValue, m2m_fields=["other_sources"])
