from inquiry.core.shipped import content_dir, read_yaml, translated_fields

from .models import Law, LawArticle


def load(loader):
    data = read_yaml(content_dir(__file__) / "laws.yaml")
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
