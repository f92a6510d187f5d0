from modeltranslation.translator import TranslationOptions, register

from inquiry.editorial.history import track_history

from .models import Article, Topic


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "short_answer", "body", "body_html", "also_asked")


# After the translations, so the history copies every language's fields (see track_history).
track_history(Topic)
track_history(Article, m2m_fields=["citations", "sources", "procedures", "states", "related"])
