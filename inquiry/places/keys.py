"""The local keys: the facts that differ from city to city and that people ask about (the question
inventory's clusters: lost card, replacement, activation, hotline, renewal, pension day, medical account).

Each key has a label and a national wording: what a page says where no region is chosen, or where the
region (and its province) has no value. The keys live in code, not in the database: content names them
(`[[local:replacement-fee]]`), so a key is a contract between the text and the renderer, and a page with
no region needs no query to say what the national rule is.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inquiry.core.markdown import PLACEHOLDER

# `[[local:replacement-fee]]` in Markdown or plain text. Survives Markdown and the sanitiser as text.
MARKER = PLACEHOLDER


@dataclass(frozen=True)
class LocalKey:
    slug: str
    label: Promise
    national: Promise


KEYS = {
    key.slug: key
    for key in (
        LocalKey(
            "hotline",
            _("Service hotline and official app"),
            _(
                "the local social security hotline is 12333 (from a mobile, add the area code); the official app or "
                "mini-program is set by your province"
            ),
        ),
        LocalKey(
            "activation",
            _("Where and how to activate the bank account"),
            _(
                "in person at a branch of the bank named on your card, with the card and your ID card; some cities "
                "also allow it in the bank's app: ask 12333"
            ),
        ),
        LocalKey(
            "loss-report",
            _("How to report a lost card"),
            _(
                "by phone (12333 or the bank's hotline), online (the electronic social security card) or at a branch; "
                "how long a temporary report lasts is set by your city: ask 12333"
            ),
        ),
        LocalKey(
            "replacement-where",
            _("Where to get a replacement card"),
            _(
                "at a branch of the card's bank or a social security service point, and in many places online; "
                "set by your city: ask 12333"
            ),
        ),
        LocalKey(
            "replacement-fee",
            _("What a replacement card costs"),
            _("set by your city (often about 10 to 20 yuan, free in some places): ask 12333"),
        ),
        LocalKey(
            "replacement-time",
            _("How long a replacement card takes"),
            _("set by your city (from the same day to a few weeks): ask 12333"),
        ),
        LocalKey(
            "renewal",
            _("Renewing an expiring card"),
            _("how and where an expiring card is renewed is set by your province: ask 12333"),
        ),
        LocalKey(
            "pension-day",
            _("When the pension is paid each month"),
            _("the day of the month is set by your province or city: ask 12333"),
        ),
        LocalKey(
            "medical-credit",
            _("Monthly credit to the medical account"),
            _(
                "how much goes into the medical insurance individual account each month is set by your province or "
                "city: ask the medical insurance bureau (12393) or 12333"
            ),
        ),
    )
}


def keys_named(text):
    """The key slugs `text` names with `[[local:…]]`, in order, each once."""
    return list(dict.fromkeys(MARKER.findall(text or "")))


def unknown_keys(text):
    return [slug for slug in keys_named(text) if slug not in KEYS]


def national_wording(slug):
    """What a page says for `slug` where no region is chosen (search text and structured data use it too)."""
    key = KEYS.get(slug)
    return key.national if key is not None else _("set locally: ask 12333")
