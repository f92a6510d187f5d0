"""History for content models (django-simple-history), one version per save.

`track_history(Model, m2m_fields=[...])` is called from each app's `translation.py`, right after
modeltranslation has added the per-language fields, so the historical model copies
`title_zh_hans` and `title_en` too (registered earlier, it would only see `title`).
"""

from django.conf import settings
from django.db import models
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname
from simple_history.models import HistoricalRecords

_records: dict[type, HistoricalRecords] = {}


def track_history(model, *, m2m_fields=()):
    """Keep every version of `model` (and of the listed many-to-many fields) in a historical table."""
    # simple_history.register(), keeping hold of the records object so `record_version` can use it.
    records = HistoricalRecords(m2m_fields=m2m_fields, excluded_fields=[])
    records.manager_name = "history"
    records.table_name = None
    records.module = model.__module__
    records.cls = model
    records.add_extra_methods(model)
    records.finalize(model)
    _records[model] = records
    return model


def is_tracked(model):
    return model in _records


def tracked_models():
    return list(_records)


def record_version(obj, *, user=None, reason=None, history_type="~"):
    """Write one historical record of `obj` as it is now, with its many-to-many values.

    The admin saves an object with `skip_history_when_saving` set and calls this once its
    many-to-many fields and inlines are saved, so one save is one version in the history
    (simple-history alone would add a record for every many-to-many change as well).
    """
    records = _records[type(obj)]
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj._change_reason = reason
    try:
        records.create_historical_record(obj, history_type)
    finally:
        obj.__dict__.pop("_change_reason", None)


def version_record(model, pk, version):
    """The last historical record of object `pk` at `version`, or None."""
    return (
        model.history.filter(**{model._meta.pk.attname: pk}, version=version)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )


def translated_fields(model):
    """{base field name: [localized field names in language order]} for a modeltranslation model."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return {}
    return {
        name: [build_localized_fieldname(name, code) for code in settings.MODELTRANSLATION_LANGUAGES]
        for name in options.all_fields
    }


BOOKKEEPING = {"created_at", "updated_at", "created_by", "updated_by", "version"}


def content_fields(model):
    """The fields an editor writes, in form order, each language of a translated field separately.

    Derived fields (rendered HTML, stamps, the version counter) are left out: they follow from the rest.
    """
    translated = translated_fields(model)
    localized = {name for names in translated.values() for name in names}
    result = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in BOOKKEEPING or field.name in localized or not field.editable:
            continue
        if field.name in translated:
            result.extend(model._meta.get_field(name) for name in translated[field.name])
        else:
            result.append(field)
    return result


def history_m2m_fields(model):
    history_model = model.history.model
    return list(getattr(history_model, "_history_m2m_fields", []))


def m2m_values(records, field):
    """{history_id: set of related ids} for `field` across `records`, in one query."""
    if not records:
        return {}
    m2m_model = HistoricalRecords.m2m_models[field]
    target = field.m2m_reverse_field_name()
    values = {record.history_id: set() for record in records}
    rows = m2m_model.objects.filter(history_id__in=list(values)).values_list("history_id", f"{target}_id")
    for history_id, target_id in rows:
        values[history_id].add(target_id)
    return values


def markdown_fields(model):
    """Base names of the Markdown fields of `model`: a text field with a rendered `<name>_html` twin."""
    names = {field.name for field in model._meta.get_fields()}
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField) and f"{field.name}_html" in names and not field.name.endswith("_html")
    ]
