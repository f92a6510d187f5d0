"""Print the shipped regions and their local values, read from the content files (no database needed).

    .venv/bin/python manage.py places_coverage

A line per region: how many keys it fills itself, the strength of each value's source ([A]/[B]/[C]),
and how many keys a visitor sees once the province's values are counted. The key counts at the foot
say which keys are filled least.
"""

from collections import Counter

from django.core.management.base import BaseCommand

from inquiry.core.shipped import content_dir, read_content
from inquiry.law import content_loader as law_loader
from inquiry.places import content_loader as places_loader
from inquiry.places.keys import KEYS


def shipped_coverage():
    """(region slug, parent slug, {key: strength}) for each shipped region, in content order."""
    strengths = {
        item["slug"]: item["strength"]
        for item in read_content(content_dir(law_loader.__file__), "sources").get("sources", [])
    }
    regions = read_content(content_dir(places_loader.__file__), "places").get("regions", [])
    return [
        (
            item["slug"],
            item.get("parent"),
            {key: strengths.get(value.get("source"), "?") for key, value in (item.get("values") or {}).items()},
        )
        for item in regions
    ]


class Command(BaseCommand):
    help = "Print each shipped region's own local values and their strengths (from the content files)."

    def handle(self, *args, **options):
        rows = shipped_coverage()
        own = {slug: values for slug, _parent, values in rows}
        out = self.stdout
        out.write(f"{'region':<12} {'own':>3} {'shown':>5}  A/B/C    keys (strength)")
        total, filled = Counter(), Counter()
        for slug, parent, values in rows:
            shown = set(values) | set(own.get(parent) or {})
            counts = Counter(values.values())
            total.update(counts)
            filled.update(values.keys())
            detail = " ".join(f"{key}[{strength}]" for key, strength in values.items())
            out.write(
                f"{slug:<12} {len(values):>3} {len(shown):>5}  {counts['A']}/{counts['B']}/{counts['C']:<4}  {detail}"
            )
        strengths = ", ".join(f"{strength} {total[strength]}" for strength in "ABC")
        out.write(f"\n{sum(total.values())} values in {len(rows)} regions: {strengths}")
        out.write("keys filled: " + ", ".join(f"{key} {filled[key]}" for key in KEYS))
