import datetime

from django.core.exceptions import ValidationError

from inquiry.core.shipped import ShippedContentError, content_dir, read_content, translated_fields
from inquiry.law.content_loader import source_lookup

from .keys import KEYS
from .models import LocalValue, Region, validate_plain_text, validate_region_slug


def load(loader):
    data = read_content(content_dir(__file__), "places")
    sources = source_lookup()
    regions = {}
    for order, item in enumerate(data.get("regions", [])):
        slug = item["slug"]
        try:
            validate_region_slug(slug)
        except ValidationError as error:
            raise ShippedContentError(f"region {slug}: {error.messages[0]}") from None
        parent = item.get("parent")
        if parent and parent not in regions:
            raise ShippedContentError(f"region {slug}: its province {parent!r} must come first")
        regions[slug] = loader.sync(
            f"places:region:{slug}",
            Region,
            {"slug": slug},
            {
                **translated_fields(item, "name", required=("name",)),
                "code": str(item["code"]),
                "kind": item["kind"],
                "parent": regions[parent] if parent else None,
                "order": order,
            },
        )
        for key, value in (item.get("values") or {}).items():
            where = f"region {slug}, key {key}"
            if key not in KEYS:
                raise ShippedContentError(f"{where}: unknown key (known: {', '.join(KEYS)})")
            if value.get("source") not in sources:
                raise ShippedContentError(f"{where}: unknown or missing source {value.get('source')!r}")
            text = translated_fields(value, "text", required=("text",))
            for written in text.values():
                try:
                    validate_plain_text(written)
                except ValidationError as error:
                    raise ShippedContentError(f"{where}: {error.messages[0]}") from None
            checked = value.get("checked_on")
            if not isinstance(checked, datetime.date):
                raise ShippedContentError(f"{where}: checked_on must be a date")
            others = value.get("other_sources") or []
            unknown = [name for name in others if name not in sources]
            if unknown:
                raise ShippedContentError(f"{where}: unknown source {unknown[0]!r}")
            loader.sync(
                f"places:value:{slug}:{key}",
                LocalValue,
                {"region": regions[slug], "key": key},
                {
                    **text,
                    "source": sources[value["source"]],
                    "checked_on": checked,
                    "editor_note": value.get("editor_note", ""),
                },
                {"other_sources": [sources[name] for name in others]},
            )
