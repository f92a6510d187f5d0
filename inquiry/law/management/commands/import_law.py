import json

from django.core.management.base import BaseCommand, CommandError

from inquiry.law.services import LawImportError, import_law


class Command(BaseCommand):
    help = (
        "Create or update a law, its chapters and articles from a JSON file "
        "({title_zh, title_en, version, source_zh, source_en, articles: [...]}). "
        "Re-importing updates the text and keeps summaries and citations. A bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the law's JSON file")
        parser.add_argument("--slug", help="the law's URL slug (default: an existing law with the same Chinese title)")

    def handle(self, *args, file, slug=None, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text: {error}") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{file} is not valid JSON: {error}") from error

        verbosity = options["verbosity"]

        def progress(position, total, article):
            if verbosity >= 1 and (position == total or position % 10 == 0):
                self.stdout.write(f"  {position}/{total} articles ({article.label_zh_hans})")

        try:
            result = import_law(data=data, slug=slug, progress=progress)
        except LawImportError as error:
            lines = "\n".join(f"  - {problem}" for problem in error.problems)
            raise CommandError(f"{file} was not imported; nothing changed:\n{lines}") from error
        verb = "Created" if result.created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {result.law.slug}: {result.chapters} chapters, "
                f"{result.articles_created} articles added, {result.articles_updated} updated, "
                f"{result.articles_unchanged} unchanged."
            )
        )
