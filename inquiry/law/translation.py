from modeltranslation.translator import TranslationOptions, register

from inquiry.editorial.history import track_history

from .models import Chapter, Law, LawArticle, Source


@register(Law)
class LawTranslation(TranslationOptions):
    fields = ("title", "short_title", "edition", "source_note")


@register(Chapter)
class ChapterTranslation(TranslationOptions):
    fields = ("title",)


@register(LawArticle)
class LawArticleTranslation(TranslationOptions):
    fields = ("label", "text", "summary", "summary_html")


@register(Source)
class SourceTranslation(TranslationOptions):
    fields = ("title", "publisher")


# After the translations, so the history copies every language's fields (see track_history).
track_history(Law)
track_history(Chapter)
track_history(LawArticle)
track_history(Source)
