from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from inquiry.core.language import mark_chinese_runs_unless_chinese_page

register = template.Library()


@register.filter(needs_autoescape=True)
def chinese_runs(value, autoescape=True):
    """Escape the value, then mark the Chinese words in it when the page is not in Chinese."""
    text = conditional_escape(value) if autoescape else str(value)
    return mark_safe(mark_chinese_runs_unless_chinese_page(str(text)))  # noqa: S308 - escaped above
