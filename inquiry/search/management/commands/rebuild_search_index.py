import time

from django.core.management.base import BaseCommand

from inquiry.search.services import rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the content: every published FAQ article, every law article and "
        "every outcome of a published guide, in each language. The index normally follows each edit by "
        "itself; run this after bulk changes made outside the admin and the content commands, or after "
        "restoring a database."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        counts = rebuild_index()
        if options["verbosity"] >= 1:
            summary = ", ".join(f"{kind}: {count}" for kind, count in counts.items())
            elapsed = time.perf_counter() - started
            self.stdout.write(self.style.SUCCESS(f"Search index rebuilt ({summary} documents) in {elapsed:.1f} s."))
