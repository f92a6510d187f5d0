from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from .models import Chapter, Law, LawArticle


def law_with_chapters(slug):
    """The law, its chapters and their articles in three queries whatever the law's size."""
    articles = LawArticle.objects.only(
        "id", "law_id", "chapter_id", "number", "label_zh_hans", "label_en", "summary_zh_hans", "summary_en"
    )
    return get_object_or_404(
        Law.objects.prefetch_related(
            Prefetch("chapters", queryset=Chapter.objects.prefetch_related(Prefetch("articles", queryset=articles))),
            Prefetch("articles", queryset=articles.filter(chapter__isnull=True), to_attr="unchaptered"),
        ),
        slug=slug,
    )


def law_article(law_slug, number):
    return get_object_or_404(LawArticle.objects.with_law(), law__slug=law_slug, number=number)


def neighbours(article):
    """The previous and next article of the same law, in one query."""
    around = LawArticle.objects.filter(law_id=article.law_id, number__in=[article.number - 1, article.number + 1]).only(
        "id", "law_id", "number", "label_zh_hans", "label_en"
    )
    by_number = {item.number: item for item in around}
    return by_number.get(article.number - 1), by_number.get(article.number + 1)
