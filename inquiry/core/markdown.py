"""Markdown for long texts: rendered once when saved, then sanitised with an allow-list.

Nothing an editor types reaches a page as raw HTML: Markdown's HTML output goes through nh3, which
keeps only the tags and attributes below and only http(s), mailto and tel links.
"""

import html
import re

import markdown as markdown_lib
import nh3
from django.conf import settings
from django.utils.html import strip_tags
from modeltranslation.utils import build_localized_fieldname

from inquiry.core.language import is_chinese, mark_chinese_runs

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str) -> str:
    """Markdown source to safe HTML. Raw HTML in the source is escaped, never passed through."""
    if not text:
        return ""
    md = markdown_lib.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    # Escape any raw HTML before Markdown sees it, so tags show as text instead of vanishing.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    html = md.convert(text)
    return sanitize_html(html)


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown_fields(instance, field_names, languages=None):
    """Fill `<field>_html_<lang>` from `<field>_<lang>` for every translated Markdown field."""
    for lang in languages or settings.MODELTRANSLATION_LANGUAGES:
        for name in field_names:
            source = getattr(instance, build_localized_fieldname(name, lang)) or ""
            rendered = render_markdown(source)
            if not is_chinese(lang):
                rendered = mark_chinese_runs(rendered)  # a Chinese term in English text is read in Chinese
            setattr(instance, build_localized_fieldname(f"{name}_html", lang), rendered)


# `[[local:key]]`: a value that differs by region, filled in when a page renders (inquiry.places). Text
# for machines (search, structured data) gets the national wording an app registers here instead.
PLACEHOLDER = re.compile(r"\[\[local:([a-z0-9-]{1,50})\]\]")
_placeholder_text = []


def register_placeholder_text(function):
    """`function(key) -> str`: the national wording of a placeholder, for `html_to_text`."""
    _placeholder_text[:] = [function]


def html_to_text(rendered_html: str) -> str:
    """Text a person reads, from sanitised HTML: tags dropped, entities decoded, paragraphs kept apart."""
    text = rendered_html.replace("</p>", "</p>\n").replace("<br>", "\n").replace("</li>", "</li>\n")
    text = html.unescape(strip_tags(text)).strip()
    if "[[local:" in text:
        wording = _placeholder_text[0] if _placeholder_text else (lambda key: "")
        text = PLACEHOLDER.sub(lambda match: str(wording(match.group(1))), text)
    return text
