"""Loading the content the site ships with, without ever overwriting an editor's work.

Each app keeps YAML files in `inquiry/<app>/content/` and an `AppConfig.load_shipped_content(loader)`
hook; `manage.py load_content` calls the hooks in INSTALLED_APPS order (law, cards, faq, guide).
See docs/shipped-content.md for the file format and the rules.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import models
from modeltranslation.utils import build_localized_fieldname

from .models import ShippedRecord

LANGUAGE_KEYS = {"zh_hans": "zh-hans", "en": "en"}


class ShippedContentError(Exception):
    """The shipped files are inconsistent (a bad reference, a missing translation)."""


def read_yaml(path: Path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def read_content(folder: Path, name: str) -> dict:
    """An app's shipped content: `folder/name.yaml`, or else every `folder/name/*.yaml` as one.

    The files of a folder are read in sorted file-name order (hence the number each name starts with).
    Their top-level keys must hold lists (`topics`, `articles`, `flows`, …), which are joined in file
    order. An item whose `slug` an earlier file already gave (one long guided inquiry, say) continues
    that item: its lists (`questions`, `outcomes`) are appended to the earlier item's, and any other key
    it repeats is an error. See docs/shipped-content.md.
    """
    folder = Path(folder)
    single, parts = folder / f"{name}.yaml", folder / name
    if single.exists() and parts.is_dir():
        raise ShippedContentError(f"both {single} and {parts}/ exist: keep one")
    if single.exists():
        return read_yaml(single)
    files = sorted(parts.glob("*.yaml")) if parts.is_dir() else []
    if not files:
        raise ShippedContentError(f"neither {single} nor any {parts}/*.yaml exists")
    merged: dict = {}
    first_seen: dict = {}  # (top-level key, slug) -> (item, the file that gave it)
    for path in files:
        data = read_yaml(path)
        if not isinstance(data, dict):
            raise ShippedContentError(f"{path}: expected a mapping of lists at the top, got {type(data).__name__}")
        for key, items in data.items():
            if not isinstance(items, list):
                raise ShippedContentError(f"{path}: top-level {key!r} is not a list (only lists can be joined)")
            joined = merged.setdefault(key, [])
            for item in items:
                slug = item.get("slug") if isinstance(item, dict) else None
                earlier, earlier_path = first_seen.get((key, slug), (None, None))
                if slug is None or earlier is None or earlier_path == path:
                    joined.append(item)
                    if slug is not None:
                        first_seen.setdefault((key, slug), (item, path))
                    continue
                _continue_item(earlier, item, f"{path}: {key} {slug!r} (begun in {earlier_path.name})")
    return merged


def _continue_item(earlier: dict, later: dict, where: str):
    for field_name, value in later.items():
        if field_name == "slug":
            continue
        if field_name not in earlier:
            earlier[field_name] = value
        elif isinstance(earlier[field_name], list) and isinstance(value, list):
            earlier[field_name] = earlier[field_name] + value
        else:
            raise ShippedContentError(f"{where}: {field_name!r} is given twice (only lists can be continued)")


def translated(field_name: str, mapping) -> dict:
    """`{zh_hans: …, en: …}` from a YAML file to `{field_zh_hans: …, field_en: …}` for a model."""
    if mapping is None:
        mapping = {}
    if not isinstance(mapping, dict):
        raise ShippedContentError(f"{field_name}: expected a mapping of languages, got {mapping!r}")
    values = {}
    for key, lang in LANGUAGE_KEYS.items():
        text = mapping.get(key) or ""
        values[build_localized_fieldname(field_name, lang)] = text.strip()
    return values


def translated_fields(data: dict, *names: str, required=()) -> dict:
    """Model values for several translated fields; `required` ones must exist in both languages."""
    values = {}
    for name in names:
        values.update(translated(name, data.get(name)))
    for name in required:
        for key in LANGUAGE_KEYS:
            if not (data.get(name) or {}).get(key):
                raise ShippedContentError(f"{name}.{key} is missing in {data.get('slug') or data.get('number')!r}")
    return values


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


# Relations the files gained after content had shipped. An empty one is left out of the fingerprint, so
# an object loaded before the relation existed still matches its record (and is refreshed, not kept).
LATER_RELATIONS = {"sources"}


# Fields the files gained after content had shipped: likewise, an empty one is left out.
LATER_FIELDS = {"also_asked"}


def _later_field(name):
    return any(name == base or name.startswith(f"{base}_") for base in LATER_FIELDS)


def fingerprint(values: dict, relations: dict) -> str:
    payload = {name: _plain(value) for name, value in values.items() if not (_later_field(name) and not value)}
    payload.update(
        {
            name: sorted(_plain(item) for item in items)
            for name, items in relations.items()
            if name not in LATER_RELATIONS or len(items)
        }
    )
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


# The history's note on a version written from an item's `first_version` (see ContentLoader.sync).
FIRST_VERSION_REASON = "The original page, word for word (shipped as the first version)"


@dataclass
class ContentLoader:
    """Creates what is missing; refreshes what no editor has touched; reports what it kept."""

    verbosity: int = 1
    write: callable = print
    # How an object and its relations are written: `save(obj=, relations=)`. `manage.py load_content`
    # passes `inquiry.editorial.services.content_save` (one history version per object); by default, a
    # plain save.
    save: callable = None
    counts: dict = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0, "kept": 0})
    kept: list = field(default_factory=list)

    def sync(
        self,
        key: str,
        model,
        lookup: dict,
        values: dict,
        relations: dict | None = None,
        initial=None,
        first_version=None,
    ):
        """Bring one shipped object into the database.

        `values` and `relations` are what the files say the object holds; `initial` holds values
        written only when the object is created (text another command keeps current, say).
        `first_version` holds values the object had before the shipped text (an original page kept
        word for word): on creation it is written first, as a version of its own in the history, and
        the shipped values follow as the next version, which is what the site shows.
        """
        relations = relations or {}
        shipped = fingerprint(values, relations)
        obj = model._default_manager.filter(**lookup).first()
        record = ShippedRecord.objects.filter(key=key).first()
        if obj is None:
            if first_version:
                obj = model(**lookup, **(initial or {}), **{**values, **first_version})
                self._write(obj, relations, reason=FIRST_VERSION_REASON)
                for name, value in values.items():
                    setattr(obj, name, value)
            else:
                obj = model(**lookup, **(initial or {}), **values)
            self._write(obj, relations)
            self._record(record, key, shipped)
            return self._count(obj, "created", key)
        current = self._current(obj, values, relations)
        if current == shipped:
            if record is None or record.fingerprint != shipped:
                self._record(record, key, shipped)
            return self._count(obj, "unchanged", key)
        if record is None:
            # Made by someone else first (an import, an editor): only fill what is still empty.
            if self._fill_empty(obj, values, relations) and self._current(obj, values, relations) == shipped:
                self._record(record, key, shipped)
                return self._count(obj, "updated", key)
            self.kept.append(key)
            return self._count(obj, "kept", key)
        if record.fingerprint == current:
            # Nobody edited it since the last load: the newer shipped text may replace it.
            for name, value in values.items():
                setattr(obj, name, value)
            self._write(obj, relations)
            self._record(record, key, shipped)
            return self._count(obj, "updated", key)
        self.kept.append(key)
        return self._count(obj, "kept", key)

    @staticmethod
    def _current(obj, values, relations):
        return fingerprint(
            {name: getattr(obj, name) for name in values},
            {name: list(getattr(obj, name).all()) for name in relations},
        )

    def _fill_empty(self, obj, values, relations):
        changed = False
        for name, value in values.items():
            if getattr(obj, name) in (None, "") and value not in (None, ""):
                setattr(obj, name, value)
                changed = True
        if changed:
            obj.save()
        for name, items in relations.items():
            if items and not getattr(obj, name).exists():
                getattr(obj, name).set(items)
                changed = True
        return changed

    def _write(self, obj, relations, reason=None):
        if self.save is not None:
            self.save(obj=obj, relations=relations, reason=reason)
            return
        obj.save()
        for name, items in relations.items():
            getattr(obj, name).set(items)

    def _record(self, record, key, fingerprint_value):
        if record is None:
            ShippedRecord.objects.create(key=key, fingerprint=fingerprint_value)
        else:
            record.fingerprint = fingerprint_value
            record.save(update_fields=["fingerprint", "loaded_at"])

    def _count(self, obj, outcome, key):
        self.counts[outcome] += 1
        if self.verbosity >= 2 or (outcome == "kept" and self.verbosity >= 1):
            label = {"kept": "kept the edited version of"}.get(outcome, outcome)
            self.write(f"  {label} {key}")
        return obj


def content_dir(app_module_file: str) -> Path:
    return Path(app_module_file).resolve().parent / "content"
