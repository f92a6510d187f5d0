"""The 12-week feedback chart as inline SVG drawn on the server: no script, no external service."""

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from inquiry.core.svg import text_block

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 20, 40


def weekly_chart(weeks):
    """Stacked bars, "yes" below "no", one per week; a <title> and <desc> say what it shows."""
    peak = max([week.total for week in weeks] + [1])
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / len(weeks)
    title = _("Answers per week, last 12 weeks")
    parts = [
        f'<svg class="feedback-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="feedback-chart-title feedback-chart-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="feedback-chart-title">{escape(title)}</title>',
        '<desc id="feedback-chart-desc">{}</desc>'.format(
            escape(_("Green: helpful. Grey: not helpful. The table below has the numbers."))
        ),
        f'<line x1="{LEFT}" y1="{TOP + plot_height}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_height}" stroke="#555"/>',
        text_block([str(peak)], LEFT - 6, TOP, 11, anchor="end"),
        text_block(["0"], LEFT - 6, TOP + plot_height, 11, anchor="end"),
    ]
    for index, week in enumerate(weeks):
        x = LEFT + index * slot + slot * 0.15
        width = slot * 0.7
        yes_height = plot_height * week.yes / peak
        no_height = plot_height * week.no / peak
        base = TOP + plot_height
        label = escape(f"{date_format(week.start, 'm-d')}: {week.yes} / {week.no}")
        parts.append(f"<g><title>{label}</title>")
        parts.append(
            f'<rect x="{x:.1f}" y="{base - yes_height:.1f}" width="{width:.1f}" '
            f'height="{yes_height:.1f}" fill="#2f7d4a"/>'
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{base - yes_height - no_height:.1f}" width="{width:.1f}" '
            f'height="{no_height:.1f}" fill="#9aa4ad"/></g>'
        )
        if index % 2 == 0:
            parts.append(text_block([date_format(week.start, "m-d")], x + width / 2, base + 16, 11))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers we computed and text passed through escape()
