import datetime

from django.utils import timezone

from inquiry.cards.content_loader import procedure_lookup, resolve, state_lookup
from inquiry.core.shipped import content_dir, read_content, translated, translated_fields
from inquiry.law.content_loader import article_lookup, source_lookup

from .models import Article, Topic


def _start_of_day(value):
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time(0, 0)))


def _first_version(item):
    """The fields an article had as first published (`first_version:` in the file), in one or both
    languages: kept in its history, not on the live page (the seed article's original wording)."""
    values = {}
    for name, texts in (item.get("first_version") or {}).items():
        given = translated(name, texts)
        values.update({field: text for field, text in given.items() if text})
    return values


def load(loader):
    data = read_content(content_dir(__file__), "faq")
    articles, procedures, states = article_lookup(), procedure_lookup(), state_lookup()
    sources = source_lookup()
    topics = {}
    for order, item in enumerate(data.get("topics", [])):
        topics[item["slug"]] = loader.sync(
            f"faq:topic:{item['slug']}",
            Topic,
            {"slug": item["slug"]},
            {**translated_fields(item, "title", "description", required=("title",)), "order": order},
        )
    loaded = {}
    for order, item in enumerate(data.get("articles", [])):
        slug = item["slug"]
        loaded[slug] = loader.sync(
            f"faq:article:{slug}",
            Article,
            {"slug": slug},
            {
                **translated_fields(item, "title", "short_answer", "body", required=("title", "short_answer")),
                **translated_fields(item, "also_asked"),
                "topic": resolve(topics, [item["topic"]], "topic", slug)[0],
                "status": Article.Status.PUBLISHED,
                "published_at": _start_of_day(item["published_at"]),
                "last_reviewed_on": item.get("last_reviewed_on"),
                "order": order,
            },
            {
                "citations": resolve(articles, item.get("citations"), "law article", slug),
                "sources": resolve(sources, item.get("sources"), "source", slug),
                "procedures": resolve(procedures, item.get("procedures"), "procedure", slug),
                "states": resolve(states, item.get("states"), "account state", slug),
            },
            first_version=_first_version(item),
        )
    # Related questions point at each other, so they are set once every article exists.
    for item in data.get("articles", []):
        if item.get("related"):
            loader.sync(
                f"faq:article:{item['slug']}:related",
                Article,
                {"slug": item["slug"]},
                {},
                {"related": resolve(loaded, item["related"], "related article", item["slug"])},
            )
