"""A readable, field-by-field difference between two versions of an object.

Text is compared line by line with difflib; the template escapes every line (nothing here is
marked safe), so an old version holding markup shows it as text.
"""

import difflib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .history import content_fields, history_m2m_fields, m2m_values

LANGUAGE_NAMES = dict(settings.LANGUAGES)
# Unchanged lines kept around each change; longer unchanged runs fold into one "… n lines" row.
CONTEXT_LINES = 2


@dataclass
class DiffLine:
    op: str  # "equal", "delete", "insert", "skip"
    text: str = ""
    count: int = 0


@dataclass
class FieldChange:
    name: str
    label: str
    kind: str  # "text": lines; "value": old → new; "set": added / removed
    old: object = None
    new: object = None
    lines: list = field(default_factory=list)
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)


def field_label(model_field):
    # A modeltranslation field's own verbose name carries a raw "[en]"; use the original's and say the language.
    label = capfirst(str(getattr(model_field, "translated_field", model_field).verbose_name))
    language = _language_of(model_field)
    return f"{label} ({LANGUAGE_NAMES[language]})" if language else label


def _language_of(model_field):
    code = getattr(model_field, "language", None)
    return code if code in LANGUAGE_NAMES else None


def text_lines(old, new):
    """Line-by-line difference of two texts, with unchanged runs folded."""
    old_lines = (old or "").splitlines()
    new_lines = (new or "").splitlines()
    rows = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend(_fold(old_lines[a1:a2], first=a1 == 0, last=a2 == len(old_lines)))
            continue
        rows.extend(DiffLine("delete", line) for line in old_lines[a1:a2])
        rows.extend(DiffLine("insert", line) for line in new_lines[b1:b2])
    return rows


def _fold(lines, *, first, last):
    keep_before = 0 if first else CONTEXT_LINES
    keep_after = 0 if last else CONTEXT_LINES
    if len(lines) <= keep_before + keep_after + 1:
        return [DiffLine("equal", line) for line in lines]
    head = [DiffLine("equal", line) for line in lines[:keep_before]]
    tail = [DiffLine("equal", line) for line in lines[len(lines) - keep_after :]] if keep_after else []
    skipped = len(lines) - keep_before - keep_after
    return [*head, DiffLine("skip", count=skipped), *tail]


def _same(before, after):
    """Equal values, treating empty as empty and CRLF as LF (texts saved before line breaks were normalised)."""
    if before in (None, "") and after in (None, ""):
        return True
    if isinstance(before, str) and isinstance(after, str):
        return before.replace("\r\n", "\n") == after.replace("\r\n", "\n")
    return before == after


def _display(model_field, value, related):
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return related.get((model_field.related_model, value), f"#{value}")
    if isinstance(model_field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    return value


def _related_labels(model, records):
    """{(related model, pk): str} for every foreign key value in `records`: one query per related model."""
    wanted = {}
    for model_field in content_fields(model):
        if isinstance(model_field, models.ForeignKey):
            ids = {getattr(record, model_field.attname) for record in records} - {None}
            wanted.setdefault(model_field.related_model, set()).update(ids)
    labels = {}
    for related_model, ids in wanted.items():
        for obj in related_model._default_manager.filter(pk__in=ids):
            labels[(related_model, obj.pk)] = str(obj)
    return labels


def diff_records(model, old, new):
    """[FieldChange] from historical record `old` to `new` (either may be None: all fields then)."""
    records = [record for record in (old, new) if record is not None]
    related = _related_labels(model, records)
    changes = []
    for model_field in content_fields(model):
        before = getattr(old, model_field.attname, None) if old is not None else None
        after = getattr(new, model_field.attname, None) if new is not None else None
        if _same(before, after):
            continue
        label = field_label(model_field)
        if isinstance(model_field, (models.TextField, models.CharField)) and not model_field.choices:
            changes.append(FieldChange(model_field.name, label, "text", before, after, lines=text_lines(before, after)))
        else:
            changes.append(
                FieldChange(
                    model_field.name,
                    label,
                    "value",
                    _display(model_field, before, related),
                    _display(model_field, after, related),
                )
            )
    changes.extend(_m2m_changes(model, old, new))
    return changes


def _m2m_changes(model, old, new):
    changes = []
    records = [record for record in (old, new) if record is not None]
    for m2m_field in history_m2m_fields(model):
        values = m2m_values(records, m2m_field)
        before = values.get(getattr(old, "history_id", None), set())
        after = values.get(getattr(new, "history_id", None), set())
        if before == after:
            continue
        target = m2m_field.related_model
        names = {obj.pk: str(obj) for obj in target._default_manager.filter(pk__in=before | after)}
        changes.append(
            FieldChange(
                m2m_field.name,
                capfirst(str(m2m_field.verbose_name)),
                "set",
                added=sorted(names.get(pk, f"#{pk}") for pk in after - before),
                removed=sorted(names.get(pk, f"#{pk}") for pk in before - after),
            )
        )
    return changes


def changed_field_labels(model, records):
    """For a list of records newest first: {history_id: [labels of fields changed from the one before]}."""
    labels = {}
    by_age = list(reversed(records))
    m2m = {m2m_field: m2m_values(by_age, m2m_field) for m2m_field in history_m2m_fields(model)}
    fields = content_fields(model)
    for previous, record in zip([None, *by_age], by_age, strict=False):
        if previous is None:
            labels[record.history_id] = []
            continue
        changed = [
            field_label(model_field)
            for model_field in fields
            if not _same(getattr(previous, model_field.attname), getattr(record, model_field.attname))
        ]
        changed += [
            capfirst(str(m2m_field.verbose_name))
            for m2m_field, values in m2m.items()
            if values.get(previous.history_id) != values.get(record.history_id)
        ]
        labels[record.history_id] = changed
    return labels
