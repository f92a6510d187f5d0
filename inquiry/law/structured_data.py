"""schema.org Legislation data for a law article page (shown to search engines as JSON-LD)."""


def legislation(article, *, url, law_url, language):
    english = language == "en" and bool(article.text_en)
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": f"{article.law.title} {article.label}",
        "legislationIdentifier": f"{article.law.title_zh_hans} {article.label_zh_hans}",
        "legislationJurisdiction": "CN",
        "legislationType": article.law.short_title or article.law.title,
        "inLanguage": "en" if english else "zh-Hans",
        "url": url,
        "isPartOf": {"@type": "Legislation", "name": article.law.title, "url": law_url},
        "text": article.text_en if english else (article.text_zh_hans or ""),
    }
    if article.law.source_url:
        data["isBasedOn"] = article.law.source_url
    if english:
        # The English text is ours and unofficial; the Chinese one is the law.
        data["translationOfWork"] = {
            "@type": "Legislation",
            "inLanguage": "zh-Hans",
            "name": data["legislationIdentifier"],
        }
    if article.summary:
        data["abstract"] = article.summary

    return data
