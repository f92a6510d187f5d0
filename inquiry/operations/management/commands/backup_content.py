import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inquiry.operations.backup import BackupError, open_for_writing, read_backup, write_backup


class Command(BaseCommand):
    help = (
        "Write every row people made on the site (content, its history, feedback, proposals, users and "
        "groups, sign-in records) to FILE as JSON, gzip-compressed when FILE ends in .gz. "
        "With --check, read FILE instead and print what it holds."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the backup (FILE.json or FILE.json.gz)")
        parser.add_argument(
            "--check", action="store_true", help="read FILE, verify it and print its row counts; write nothing"
        )

    def handle(self, *args, file, check, **options):
        if check:
            return self.check_backup(file)
        path = Path(file)
        # Written beside the target and renamed at the end: a failed backup never replaces a good one.
        partial = path.with_name(path.name + ".partial")
        started = time.perf_counter()
        try:
            with open_for_writing(partial, compress=path.suffix == ".gz") as stream:
                counts = write_backup(stream)
            os.replace(partial, path)
        except Exception:
            partial.unlink(missing_ok=True)
            raise
        if options["verbosity"] >= 1:
            total = sum(counts.values())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backed up {total} rows of {len(counts)} models to {path} "
                    f"({path.stat().st_size / 1024:.0f} KB) in {time.perf_counter() - started:.1f} s."
                )
            )

    def check_backup(self, file):
        try:
            document = read_backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = document["counts"]
        self.stdout.write(f"{file}: a socsec backup made {document['created']} on {document['database']},")
        self.stdout.write(f"at {len(document['migrations'])} migrations; {sum(counts.values())} rows:")
        width = max((len(label) for label in counts), default=0)
        for label, count in counts.items():
            if count:
                self.stdout.write(f"  {label:<{width}}  {count:>7}")
        self.stdout.write(self.style.SUCCESS("The file is complete: every model holds the rows it announces."))
