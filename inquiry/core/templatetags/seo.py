"""Structured data (schema.org JSON-LD) in a page.

A <script type="application/ld+json"> is a data block, never executed, so a strict
Content-Security-Policy without 'unsafe-inline' allows it. The JSON is escaped so that nothing in the
text (a "</script>", an HTML comment) can end the block early: <, > and & become \\u escapes, which
JSON parsers read back as the same characters.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_ld_text(data) -> str:
    return json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":")).translate(_ESCAPES)


@register.simple_tag
def json_ld(data):
    if not data:
        return ""
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(json_ld_text(data)))  # noqa: S308
