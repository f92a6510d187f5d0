"""Small helpers for diagrams drawn on the server as inline SVG (no script, no external service)."""

import unicodedata

from django.utils.html import escape


def text_width(text: str, size: float) -> float:
    """Rough rendered width: CJK characters are square, Latin ones about half as wide."""
    width = 0.0
    for char in text:
        wide = unicodedata.east_asian_width(char) in ("W", "F")
        width += size if wide else size * 0.56
    return width


def wrap(text: str, size: float, max_width: float, max_lines: int = 3) -> list[str]:
    """Break a label into lines that fit: at spaces for English, anywhere for Chinese."""
    tokens = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    lines, current = [], ""
    for token in tokens:
        candidate = f"{current}{joiner}{token}" if current else token
        if current and text_width(candidate, size) > max_width:
            lines.append(current)
            current = token
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [joiner.join(lines[max_lines - 1 :])]
    return lines


def text_block(lines, x, y, size, line_height=1.25, anchor="middle", css_class=""):
    """<text> with one <tspan> per line, vertically centred on y."""
    first = y - (len(lines) - 1) * size * line_height / 2 + size * 0.35
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + index * size * line_height:.1f}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    class_attr = f' class="{css_class}"' if css_class else ""
    return f'<text text-anchor="{anchor}" font-size="{size}"{class_attr}>{spans}</text>'
