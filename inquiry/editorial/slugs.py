"""Addresses made from titles: a slug from the English title, else from the Chinese title in pinyin.

Editors no longer type a slug by hand: left empty, it is made on save (and stays editable until the page
is first published). Chinese becomes pinyin word by word (jieba cuts the words, pypinyin reads them), so
“社保卡怎么激活？” gives `shebaoka-zenme-jihuo`, not one hyphen per character.
"""

import jieba
from django.conf import settings
from django.utils.text import slugify
from modeltranslation.utils import build_localized_fieldname
from pypinyin import lazy_pinyin

ENGLISH = "en"


def pinyin_words(text):
    """Chinese text as pinyin, one word per jieba word (Latin letters and digits kept as they are)."""
    words = []
    for word in jieba.lcut(text or ""):
        spelled = "".join(lazy_pinyin(word)).strip()
        if spelled:
            words.append(spelled)
    return " ".join(words)


def slug_from_titles(english, chinese, max_length=100):
    """A slug from the English title if it has one, else from the Chinese title in pinyin ("" if neither)."""
    slug = slugify(english or "")
    if not slug:
        slug = slugify(pinyin_words(chinese))
    return slug[:max_length].strip("-")


def unique_slug(base, taken, max_length=100):
    """`base`, or `base-2`, `base-3` … the first one `taken(slug)` does not refuse."""
    candidate, number = base, 1
    while taken(candidate):
        number += 1
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate


def title_field_names(source):
    """(English form field name, first-language form field name) of a translated field `source`."""
    first = settings.MODELTRANSLATION_LANGUAGES[0]
    return build_localized_fieldname(source, ENGLISH), build_localized_fieldname(source, first)
