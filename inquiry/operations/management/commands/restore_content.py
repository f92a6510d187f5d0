import time

from django.core.management.base import BaseCommand, CommandError

from inquiry.operations.backup import BackupError, read_backup, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_content into this database, in one transaction: all of it or "
        "nothing. Refuses a database that holds data unless --replace is given. Migrate first (to the "
        "release that made the backup). Rebuilds the search index and retires every cached page."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a backup written by backup_content (FILE.json or FILE.json.gz)")
        parser.add_argument(
            "--replace", action="store_true", help="delete everything the database holds before restoring"
        )

    def handle(self, *args, file, replace, **options):
        started = time.perf_counter()
        try:
            counts = restore_backup(read_backup(file), replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored {sum(counts.values())} rows of {len(counts)} models from {file} "
                    f"in {time.perf_counter() - started:.1f} s; search index rebuilt."
                )
            )
