"""Matched words marked in titles and snippets.

The text is escaped piece by piece and only our own <mark> tags are put between the pieces, so
nothing from the content or the query reaches the page as markup.
"""

import functools
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .text import CJK, fold_with_offsets, stem

ELLIPSIS = "…"


def _find_spans(folded, terms):
    """(start, end) in `folded` of every place a term matches, merged where they touch."""
    needles, stems = set(), set()
    for phrasing in (phrasing for term in terms for phrasing in term.phrasings):
        if phrasing.cjk:
            needles.add(phrasing.text)
        else:
            stems.update(phrasing.tokens)
    spans = []
    for needle in needles:
        spans.extend((match.start(), match.end()) for match in re.finditer(re.escape(needle), folded))
    if stems:
        # A word's stem starts with the word's first two letters (Snowball only changes endings), so
        # only words starting like one of the stems are stemmed: the regular expression finds them (the
        # runs of word characters other than CJK that `_runs_with_spans` gives, with such a start) without
        # a step of Python per word of a long text.
        for match in _candidates(frozenset(word[:2] for word in stems)).finditer(folded):
            if stem(match.group()) in stems:
                spans.append(match.span())
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@functools.lru_cache(maxsize=256)
def _candidates(starts):
    other = f"[^\\W_{CJK}]"
    alternatives = "|".join(sorted(map(re.escape, starts)))
    return re.compile(f"(?<!{other})(?:{alternatives}){other}*")


def _width(char):
    return 1 if char < "\u1100" else 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _window(text, spans, width):
    """The stretch of `text` about `width` columns wide that starts a little before the first match."""
    if not spans:
        start = 0
    else:
        lead, start = 0, spans[0][0]
        while start > 0 and lead < width // 4:
            start -= 1
            lead += _width(text[start])
        # Start at a word boundary rather than in the middle of an English word.
        while 0 < start < spans[0][0] and text[start - 1].isalnum() and text[start].isascii():
            start += 1
    end, used = start, 0
    while end < len(text) and used < width:
        used += _width(text[end])
        end += 1
    if end < len(text):
        cut = text.rfind(" ", start, end)
        if cut > start + (end - start) // 2:
            end = cut
    return start, end


def highlight(text, terms, *, width=None) -> SafeString:
    """`text` escaped, with each match in <mark>. With `width`, only a snippet about that many columns
    wide (a CJK character counts two) around the first match, with … where text was left out."""
    text = " ".join((text or "").split())
    folded, offsets = fold_with_offsets(text)
    spans = _find_spans(folded, terms)
    if offsets is not None:
        spans = [(offsets[start], offsets[end - 1] + 1) for start, end in spans]
    start, end = (0, len(text)) if width is None else _window(text, spans, width)
    parts = [ELLIPSIS] if start > 0 else []
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above went through escape()
