"""Texts the public pages show as plain text (titles, short answers, labels) must not hold Markdown.

A short answer is printed as typed: an editor's `**本人**` would go live with its asterisks. So every
translated text field without a rendered `<name>_html` twin is checked, on the model (`EditableContent.clean`,
which admin forms and proposals run) and in the write service (the shipped-content loader), and a text with
Markdown marks is refused with the marks it found.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

# (pattern, how the mark is named to the editor)
MARKS = [
    (re.compile(r"\*\*[^*\n]+?\*\*"), "**…**"),
    (re.compile(r"(?<![\w_])__[^_\n]+?__(?![\w_])"), "__…__"),
    (re.compile(r"(?<!\*)\*(?=[^\s*])[^*\n]*?[^\s*]\*(?!\*)"), "*…*"),
    (re.compile(r"`[^`\n]+`"), "`…`"),
    (re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"), "[…](…)"),
    (re.compile(r"^[ ]{0,3}#{1,6}[ \t]", re.M), "# …"),
]


def markdown_marks(text):
    """The Markdown marks in `text`, named as an editor would recognise them (empty if none)."""
    if not text or not isinstance(text, str):
        return []
    return [name for pattern, name in MARKS if pattern.search(text)]


def plain_text_fields(model):
    """The localized names of `model`'s translated text fields that pages print as plain text."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    names = {field.name for field in model._meta.get_fields()}
    found = []
    for base in options.all_fields:
        field = model._meta.get_field(base)
        if not isinstance(field, (models.CharField, models.TextField)) or isinstance(field, models.SlugField):
            continue
        if base.endswith("_html") or f"{base}_html" in names or field.choices:
            continue
        found.extend(translated.name for translated in options.all_fields[base])
    return found


def validate_plain_text(instance):
    """Raise ValidationError ({field: message}) if a plain-text field of `instance` holds Markdown marks."""
    errors = {}
    for name in plain_text_fields(type(instance)):
        marks = markdown_marks(getattr(instance, name, ""))
        if marks:
            errors[name] = ValidationError(
                _(
                    "This text is shown as plain text, so these Markdown marks would appear on the page as "
                    "typed: %(marks)s. Please write it without them (the detail, which is Markdown, can "
                    "emphasise and link)."
                ),
                params={"marks": " ".join(marks)},
                code="markdown_in_plain_text",
            )
    if errors:
        raise ValidationError(errors)
