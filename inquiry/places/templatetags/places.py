from django import template
from django.utils.translation import get_language

from ..context import current_region
from ..rendering import fill_local_values
from ..selectors import region_choices

register = template.Library()


@register.filter
def with_local_values(html):
    """In place of `|safe` on a sanitised `*_html` field (or after `|linebreaksbr` on plain text): the
    same HTML with `[[local:key]]` filled in for this page's region."""
    return fill_local_values(html)


@register.inclusion_tag("places/region_chooser.html", takes_context=True)
def region_chooser(context):
    """The "Your city" GET form. On a regional page the regions came with the region (no query); on a
    national page one query lists them."""
    request = context.get("request")
    # The site's chrome is rendered once without a request (inquiry/core/chrome.py): `next` is filled in later.
    kept = context.get("region_chooser_next")
    if (request is None and kept is None) or context.get("without_database"):
        # The error pages (the 503 page when the database is down) must not need the database: no chooser.
        return {"choices": None}
    region = current_region()
    choices = region.choices if region is not None else region_choices()
    path = kept if kept is not None else request.get_full_path()
    return {
        "choices": choices,
        "current": region.slug if region is not None else "",
        "next": path,
        "language": get_language(),
    }
