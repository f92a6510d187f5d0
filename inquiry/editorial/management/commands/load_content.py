from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from inquiry.core.generation import one_change
from inquiry.core.shipped import ContentLoader, ShippedContentError
from inquiry.editorial.services import content_save


class Command(BaseCommand):
    help = (
        "Load the content the site ships with (inquiry/<app>/content/*.yaml). Creates what is missing, "
        "refreshes what no editor has changed, and never overwrites an editor's work. Safe to run again."
    )

    def handle(self, *args, **options):
        # Each object is written as an editor's save is (one version, its relations included); the whole
        # load is one change of the page cache. The command lives here, not in core, because of that.
        loader = ContentLoader(verbosity=options["verbosity"], write=self.stdout.write, save=content_save)
        try:
            with transaction.atomic(), one_change(site_wide=True):
                for app_config in apps.get_app_configs():
                    hook = getattr(app_config, "load_shipped_content", None)
                    if hook is not None:
                        hook(loader)
        except ShippedContentError as error:
            raise CommandError(f"The shipped content is inconsistent; nothing was loaded: {error}") from error
        counts = loader.counts
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    "Shipped content: {created} created, {updated} updated, {unchanged} unchanged, "
                    "{kept} kept as edited.".format(**counts)
                )
            )
