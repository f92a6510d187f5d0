"""`[[local:key]]` in saved HTML, filled in at render time with the active region's value.

The saved HTML stays the same for every region (it is prepared on save, once); only this step differs.
Everything a value brings is escaped: its text, its source's title and address (http and https only).
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .context import current_region
from .keys import KEYS, MARKER

SAFE_SCHEMES = ("https://", "http://")


def fill_local_values(html, region=None):
    """`html` (sanitised HTML or escaped text) with each marker replaced; a safe string."""
    html = str(html)
    if "[[local:" not in html:
        return mark_safe(html)  # noqa: S308 - sanitised on save or escaped by the template (see the docstring)
    region = current_region() if region is None else region
    # The same trusted HTML, each marker replaced by format_html output (every value escaped).
    return mark_safe(MARKER.sub(lambda match: render_key(match.group(1), region), html))  # noqa: S308


def render_key(slug, region):
    key = KEYS.get(slug)
    if key is None:
        return format_html('<span class="local-value local-national">{}</span>', _("set locally: ask 12333"))
    value = region.value(slug) if region is not None else None
    if value is None:
        if region is None:
            return format_html('<span class="local-value local-national">{}</span>', key.national)
        return format_html(
            '<span class="local-value local-national">{} {}</span>',
            key.national,
            _("(No value for %(region)s on this site yet.)") % {"region": region.region.name()},
        )
    return render_value(value, region)


def render_value(value, region):
    english = (get_language() or "").startswith("en")
    source = value.source
    title = source.title_en if english and source.title_en else source.title
    place = region.region if value.region_slug == region.slug else region.parent
    if source.url.startswith(SAFE_SCHEMES):
        cited = format_html('<a href="{}" rel="noopener noreferrer">{}</a>', source.url, title)
    else:
        cited = format_html("{}", title)
    note = format_html(
        '<span class="local-source">({})</span>',
        format_html(
            _("source: {source} [{strength}], checked on {date}"),
            source=cited,
            strength=source.strength,
            date=value.checked_on.isoformat() if value.checked_on else "?",
        ),
    )
    unconfirmed = ""
    if source.strength not in ("A", "B"):
        unconfirmed = format_html(
            ' <strong class="local-unconfirmed">{}</strong>',
            _("Not confirmed by an official source: check with 12333."),
        )
    return format_html(
        '<span class="local-value" data-region="{}"><span class="local-place">{}</span> {} {}{}</span>',
        place.slug,
        format_html(_("{place}:"), place=place.name()),
        value.text(),
        note,
        unconfirmed,
    )
