"""schema.org FAQPage data for an article page (shown to search engines as JSON-LD)."""

from inquiry.core.context_processors import html_lang
from inquiry.core.markdown import html_to_text


def faq_page(article, *, url, language):
    answer = "\n\n".join(part for part in (article.short_answer, html_to_text(article.body_html)) if part)
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "url": url,
        "inLanguage": html_lang(language),
        "dateModified": article.updated_at.isoformat(),
        "mainEntity": [
            {
                "@type": "Question",
                "name": article.title,
                "acceptedAnswer": {"@type": "Answer", "text": answer, "url": url},
            }
        ],
    }
