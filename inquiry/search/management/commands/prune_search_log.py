from django.core.management.base import BaseCommand

from inquiry.search.models import LOG_KEEP_DAYS
from inquiry.search.services import prune_unanswered_searches


class Command(BaseCommand):
    help = f"Drop the log of searches with few results older than {LOG_KEEP_DAYS} days (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        deleted = prune_unanswered_searches()
        if options["verbosity"]:
            self.stdout.write(f"{deleted} rows older than {LOG_KEEP_DAYS} days dropped.")
