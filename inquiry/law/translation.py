from modeltranslation.translator import TranslationOptions, register

from .models import Chapter, Law, LawArticle


@register(Law)
class LawTranslation(TranslationOptions):
    fields = ("title", "short_title", "edition", "source_note")


@register(Chapter)
class ChapterTranslation(TranslationOptions):
    fields = ("title",)


@register(LawArticle)
class LawArticleTranslation(TranslationOptions):
    fields = ("label", "text", "summary", "summary_html")
