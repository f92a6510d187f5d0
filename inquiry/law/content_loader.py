from inquiry.core.shipped import content_dir, read_content, translated_fields

from .models import Chapter, Law, LawArticle, Source


def load_sources(loader):
    """The sources first: every other app's content may cite them."""
    data = read_content(content_dir(__file__), "sources")
    for item in data.get("sources", []):
        loader.sync(
            f"law:source:{item['slug']}",
            Source,
            {"slug": item["slug"]},
            {
                **translated_fields(item, "title", "publisher", required=("title",)),
                "url": item.get("url", ""),
                "kind": item["kind"],
                "strength": item["strength"],
                "seen_on": item.get("seen_on"),
            },
        )


def load(loader):
    load_sources(loader)
    data = read_content(content_dir(__file__), "laws")
    for order, item in enumerate(data.get("laws", [])):
        law = loader.sync(
            f"law:{item['slug']}",
            Law,
            {"slug": item["slug"]},
            {
                **translated_fields(item, "title", "short_title", required=("title",)),
                "source_url": item.get("source_url", ""),
                "order": order,
            },
            initial=translated_fields(item, "edition"),
        )
        # Chapter titles an official text lacks in English (the Handling Regulation has none): the
        # numbers match the chapters `import_law` makes, which keeps an English title it is not given.
        for chapter in item.get("chapters", []):
            loader.sync(
                f"law:{item['slug']}:chapter:{chapter['number']}",
                Chapter,
                {"law": law, "number": chapter["number"]},
                translated_fields(chapter, "title", required=("title",)),
            )
        for article in item.get("articles", []):
            loader.sync(
                f"law:{item['slug']}:{article['number']}",
                LawArticle,
                {"law": law, "number": article["number"]},
                translated_fields(article, "label", "summary", required=("label", "summary")),
                initial=translated_fields(article, "text"),
            )


def article_lookup():
    """`law-slug:number` → LawArticle, for the other apps' loaders to resolve citations."""
    return {article.citation_key: article for article in LawArticle.objects.select_related("law")}


def source_lookup():
    """`slug` → Source, for the other apps' loaders to resolve `sources:` lists."""
    return {source.slug: source for source in Source.objects.all()}
