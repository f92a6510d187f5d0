"""Places and their local rules: regions (provinces, municipalities, cities) and, per region and key,
the local value with the source it rests on and the day an editor last checked it."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from inquiry.core.models import EditableContent
from inquiry.law.models import Source

from .keys import KEYS, unknown_keys

# Slugs a region may not take: the first segment of the site's own addresses and the languages.
RESERVED_SLUGS = {"faq", "law", "card", "guide", "search", "feedback", "region", "admin", "static", "en", "zh-hans"}

HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
SCRIPT_LINK = re.compile(r"(?:javascript|data|vbscript)\s*:", re.IGNORECASE)


def validate_region_slug(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is one of the site's own addresses; choose another."), params={"slug": value}
        )


def validate_plain_text(value):
    """A local value is plain text: shown escaped, but HTML or a script link is refused outright, so an
    editor sees at once that it will not work."""
    if HTML_TAG.search(value or ""):
        raise ValidationError(_("Plain text only: no HTML tags."))
    if SCRIPT_LINK.search(value or ""):
        raise ValidationError(_("Plain text only: no javascript: or data: links."))


def validate_local_keys(value):
    """Text naming `[[local:…]]` may only name keys the site knows (see inquiry/places/keys.py)."""
    unknown = unknown_keys(value) if isinstance(value, str) else []
    if unknown:
        raise ValidationError(
            _("Unknown local key %(keys)s. Known keys: %(known)s."),
            params={"keys": ", ".join(unknown), "known": ", ".join(KEYS)},
        )


class Region(EditableContent):
    """A province-level unit (province, municipality, autonomous region) or a city under one."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        PROVINCE = "province", _("province or autonomous region")
        CITY = "city", _("city")

    slug = models.SlugField(
        _("slug"),
        max_length=40,
        unique=True,
        validators=[validate_region_slug],
        help_text=_("Pinyin, lower case, stable: it is part of the region's addresses (beijing, guangzhou)."),
    )
    code = models.CharField(
        _("administrative code"),
        max_length=6,
        unique=True,
        help_text=_("The six-digit code of the administrative division (GB/T 2260), e.g. 110000, 440100."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("For a city: its province. A city without a value of its own shows the province's."),
    )
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.code and not re.fullmatch(r"\d{6}", self.code):
            raise ValidationError({"code": _("Six digits.")})
        if self.kind == self.Kind.CITY and self.parent_id is None:
            raise ValidationError({"parent": _("A city belongs to a province.")})
        if self.kind != self.Kind.CITY and self.parent_id is not None:
            raise ValidationError({"parent": _("Only a city has a province above it.")})
        if self.parent_id is not None and self.parent.parent_id is not None:
            raise ValidationError({"parent": _("The province must be province-level.")})


class LocalValueQuerySet(models.QuerySet):
    def due_for_review(self, cutoff):
        return self.filter(checked_on__lt=cutoff)


class LocalValue(EditableContent):
    """What one region says about one key, in both languages, resting on one shown source.

    Where sources disagree the stronger or newer one is `source` (shown to visitors); the others are kept
    in `other_sources` with the editor's note saying what they say.
    """

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="values")
    key = models.CharField(_("key"), max_length=50, choices=[(slug, key.label) for slug, key in KEYS.items()])
    text = models.TextField(
        _("value"),
        validators=[validate_plain_text],
        help_text=_("Plain text, one or two sentences, as a visitor reads it after the key's label."),
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source shown"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The strongest or newest source; [C] alone shows the value as unconfirmed."),
    )
    other_sources = models.ManyToManyField(
        Source, verbose_name=_("other sources"), blank=True, related_name="+", help_text=_("Not shown to visitors.")
    )
    checked_on = models.DateField(_("checked on"), help_text=_("When an editor last checked the value at its source."))
    editor_note = models.TextField(
        _("editor's note"), blank=True, help_text=_("Not shown to visitors: where sources disagree, what each says.")
    )

    objects = LocalValueQuerySet.as_manager()

    class Meta:
        ordering = ["region__order", "region__code", "key"]
        constraints = [models.UniqueConstraint(fields=["region", "key"], name="places_one_value_per_region_key")]
        verbose_name = _("local value")
        verbose_name_plural = _("local values")

    def __str__(self):
        key = KEYS.get(self.key)
        return f"{self.region}: {key.label if key else self.key}"

    @property
    def is_confirmed(self):
        return self.source.strength in Source.CARRYING_STRENGTHS
