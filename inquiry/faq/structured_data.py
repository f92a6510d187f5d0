"""schema.org FAQPage data for an article page (shown to search engines as JSON-LD)."""

from inquiry.core.context_processors import html_lang


def faq_page(article, *, url, language):
    """`article`: what the article page shows of it (`inquiry.faq.views.article_page`)."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "url": url,
        "inLanguage": html_lang(language),
        "dateModified": article["updated_at"],
        "mainEntity": [
            {
                "@type": "Question",
                "name": article["title"],
                "acceptedAnswer": {"@type": "Answer", "text": article["answer_text"], "url": url},
            }
        ],
    }
