"""Chinese words inside English text carry their own language, so a screen reader says them in Chinese.

An English answer may quote a term as the card or the bank shows it — "sealed" (封存). Each run of
Chinese characters in English text is wrapped in `<span lang="zh-Hans">`, in Markdown output when it is
rendered (on save) and in plain fields through the `chinese_runs` template filter.
"""

import re

from django.utils.translation import get_language

_IDEOGRAPH = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCTUATION = "\u3000-\u303f\uff00-\uffef"
# A run holds at least one ideograph, with any Chinese punctuation around or inside it.
CHINESE_RUN = re.compile(f"[{_CJK_PUNCTUATION}]*[{_IDEOGRAPH}][{_IDEOGRAPH}{_CJK_PUNCTUATION}]*")
_TAG = re.compile(r"(<[^>]*>)")


def is_chinese(language):
    return (language or "").lower().startswith("zh")


def mark_chinese_runs(html: str) -> str:
    """Wrap each run of Chinese characters in the text of safe HTML (never inside a tag) in a zh-Hans span."""
    if not html or not CHINESE_RUN.search(html):
        return html
    parts = _TAG.split(html)
    for index in range(0, len(parts), 2):  # the even parts are text; the odd ones are the tags
        parts[index] = CHINESE_RUN.sub(lambda match: f'<span lang="zh-Hans">{match.group(0)}</span>', parts[index])
    return "".join(parts)


def mark_chinese_runs_unless_chinese_page(html: str) -> str:
    return html if is_chinese(get_language()) else mark_chinese_runs(html)
