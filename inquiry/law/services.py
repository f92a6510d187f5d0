"""Writes that touch many law rows: importing a whole law from its JSON file."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from .models import Chapter, Law, LawArticle


class LawImportError(ValueError):
    """The file is not a law in the expected shape; `problems` names each bad part."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class LawImportResult:
    law: Law
    created: bool
    articles_created: int
    articles_updated: int
    articles_unchanged: int
    chapters: int


def _text(value):
    return isinstance(value, str) and value.strip() != ""


def validate_law_data(data) -> list[str]:
    """Every problem in the file, each naming the article it is in. Empty when the file is good."""
    if not isinstance(data, dict):
        return ["the file must hold a JSON object with a title and a list of articles"]
    problems = []
    if not _text(data.get("title_zh")):
        problems.append("title_zh is missing or empty")
    for key in ("title_en", "version", "source_zh", "source_en"):
        if key in data and data[key] is not None and not isinstance(data[key], str):
            problems.append(f"{key} must be text")
    articles = data.get("articles")
    if not isinstance(articles, list) or not articles:
        problems.append("articles must be a non-empty list")
        return problems
    seen = set()
    for index, article in enumerate(articles, start=1):
        if not isinstance(article, dict):
            problems.append(f"article #{index} (position {index}) is not an object")
            continue
        number = article.get("number")
        name = f"article {number}" if isinstance(number, int) else f"article at position {index}"
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            problems.append(f"{name}: number must be a positive whole number, not {number!r}")
        elif number in seen:
            problems.append(f"{name}: the number appears twice")
        else:
            seen.add(number)
        if not _text(article.get("text_zh")):
            problems.append(f"{name}: text_zh is missing or empty")
        for key in ("label_zh", "chapter_zh", "label_en", "chapter_en", "text_en_unofficial"):
            if key in article and article[key] is not None and not isinstance(article[key], str):
                problems.append(f"{name}: {key} must be text")
    return problems


def _assign_changes(obj, values) -> bool:
    """Set the values that differ; True if any did (so unchanged rows are not saved again)."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed or obj.pk is None


def find_law_for(data, slug=None):
    if slug:
        return Law.objects.filter(slug=slug).first()
    return Law.objects.filter(title_zh_hans=data["title_zh"].strip()).first()


def default_slug(data) -> str:
    title = (data.get("title_en") or "").replace(" of the People's Republic of China", "")
    return slugify(title)[:100]


@transaction.atomic
def import_law(*, data, slug=None, progress=None) -> LawImportResult:
    """Create or update a law, its chapters and articles from parsed JSON.

    Text, labels and chapters are replaced; summaries and whatever cites the articles stay.
    All or nothing: a bad file raises LawImportError before anything is written.
    """
    problems = validate_law_data(data)
    law = find_law_for(data, slug) if not problems else None
    if not problems and law is None and not (slug or default_slug(data)):
        problems.append("the law has no English title to make a URL slug from: pass --slug")
    if problems:
        raise LawImportError(problems)

    created = law is None
    if created:
        law = Law(slug=slug or default_slug(data))
    incoming = {
        "title_zh_hans": data["title_zh"].strip(),
        "title_en": (data.get("title_en") or law.title_en or "").strip(),
        # The files give the version in English; a Chinese one written by the editors is kept.
        "edition_en": (data.get("version") or law.edition_en or "").strip()[:200],
        "edition_zh_hans": (law.edition_zh_hans or data.get("version") or "").strip()[:200],
        "source_note_zh_hans": (data.get("source_zh") or "").strip(),
        "source_note_en": (data.get("source_en") or "").strip(),
    }
    if _assign_changes(law, incoming):
        law.save()

    chapters = {}
    for article in data["articles"]:
        title_zh = (article.get("chapter_zh") or "").strip()
        if title_zh and title_zh not in chapters:
            chapter = Chapter.objects.filter(law=law, number=len(chapters) + 1).first()
            chapter = chapter or Chapter(law=law, number=len(chapters) + 1)
            # A file without English chapter titles keeps the editors' translation (laws/) of the
            # same chapter; a chapter whose Chinese title changed loses it.
            kept_en = chapter.title_en if chapter.title_zh_hans == title_zh else ""
            english = (article.get("chapter_en") or kept_en or "").strip()
            if _assign_changes(chapter, {"title_zh_hans": title_zh, "title_en": english}):
                chapter.save()
            chapters[title_zh] = chapter
    Chapter.objects.filter(law=law, number__gt=len(chapters)).delete()

    existing = {article.number: article for article in LawArticle.objects.filter(law=law)}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    total = len(data["articles"])
    for position, item in enumerate(data["articles"], start=1):
        number = item["number"]
        article = existing.get(number) or LawArticle(law=law, number=number)
        incoming = {
            "chapter_id": getattr(chapters.get((item.get("chapter_zh") or "").strip()), "pk", None),
            "label_zh_hans": (item.get("label_zh") or f"第{number}条").strip(),
            "label_en": (item.get("label_en") or f"Article {number}").strip(),
            "text_zh_hans": item["text_zh"].strip(),
            "text_en": (item.get("text_en_unofficial") or "").strip(),
            "english_is_unofficial": True,
        }
        if article.pk is None:
            counts["created"] += 1
            _assign_changes(article, incoming)
            article.save()
        elif _assign_changes(article, incoming):
            counts["updated"] += 1
            article.save()
        else:
            counts["unchanged"] += 1
        if progress:
            progress(position, total, article)
    return LawImportResult(
        law=law,
        created=created,
        articles_created=counts["created"],
        articles_updated=counts["updated"],
        articles_unchanged=counts["unchanged"],
        chapters=len(chapters),
    )
