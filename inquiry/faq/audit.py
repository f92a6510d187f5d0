"""What the content audit (inquiry.law.audit) checks for the FAQ: every published article."""

from inquiry.law.audit import AuditedAnswer, cited_text, law_wording

from .models import Article

TEXT_FIELDS = ("title", "short_answer", "body")


def published_articles(using):
    articles = Article.objects.using(using).published().prefetch_related("sources", "citations").order_by("slug")
    for article in articles:
        yield AuditedAnswer(
            name=f"FAQ article “{article.slug}”",
            obj=article,
            law_articles=len(article.citations.all()),
            strengths=frozenset(source.strength for source in article.sources.all()),
            sources=len(article.sources.all()),
            cited_text=cited_text(article.citations.all()),
            law_wording=law_wording(article.citations.all()),
            texts={
                language: "\n".join(getattr(article, f"{name}_{language}") or "" for name in TEXT_FIELDS)
                for language in ("zh_hans", "en")
            },
        )
