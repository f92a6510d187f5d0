from modeltranslation.translator import TranslationOptions, register

from .models import Article, Topic


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "short_answer", "body", "body_html")
