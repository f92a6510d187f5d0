import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from inquiry.core.models import EditableContent


class Document(models.Model):
    """One page in one language, as the search index sees it.

    Derived data: rows are written by `services` whenever the content they come from is saved or
    deleted, and `manage.py rebuild_search_index` recreates them all. Only public pages (and
    published ones waiting for their publish date) have rows. The full-text index over the token
    columns is not a Django field: it is an FTS5 table on SQLite and a generated tsvector column with
    a GIN index on PostgreSQL (see `backends.py` and the migrations).
    """

    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("object id"))
    language = models.CharField(_("language"), max_length=10)
    title = models.TextField(_("title"))
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=300)
    visible_from = models.DateTimeField(_("visible from"))
    # The questions the page answers, one per line: its title and the other phrasings of its question
    # (also asked), as written; the first pages of results are re-ranked by them (see `questions`).
    questions = models.TextField(editable=False, default="")
    title_tokens = models.TextField(editable=False)
    body_tokens = models.TextField(editable=False)
    indexed_at = models.DateTimeField(_("indexed"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "language"], name="search_document_unique_page")
        ]
        indexes = [
            models.Index(fields=["visible_from"], name="search_doc_visible_from"),
            models.Index(fields=["url"], name="search_doc_url"),
            # Counting a language's visible documents (for word weights) from the index alone.
            models.Index(fields=["language", "visible_from"], name="search_doc_language_visible"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id}:{self.language} {self.title}"


class Recommendation(EditableContent):
    """An editor's pick: for these exact search words, show this page first ("best bet").

    Ranking puts title matches first, but the page a person needs is not always the one whose title
    holds their word: 激活 / activation is asked most by people whose money "disappeared" after paying
    it onto an unactivated card, and the answer for them is the seed article.
    """

    words = models.CharField(
        _("search words"),
        max_length=500,
        help_text=_(
            "Separate with commas, in either language, e.g. 激活, activation. A search for one of these "
            "(any word form, in any order) shows the page first."
        ),
    )
    page = models.CharField(
        _("page address"),
        max_length=300,
        help_text=_("The page's address on this site in either language, e.g. /zh-hans/faq/lost-card-what-to-do/."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("recommended result")
        verbose_name_plural = _("recommended results")

    def __str__(self):
        return f"{self.words} → {self.page}"


class SynonymGroup(EditableContent):
    """Words that mean the same for search: a query with one of them also finds pages with another.

    People write 公交 where a page says 地铁, 医保卡 for 社保卡, "metro" for "bus". Applied when a query
    is read (never to the index), so an edit changes the next search without re-indexing anything.
    """

    class Language(models.TextChoices):
        ANY = "", _("both languages")
        ZH_HANS = "zh-hans", _("Chinese searches only")
        EN = "en", _("English searches only")

    terms = models.CharField(
        _("words"),
        max_length=500,
        help_text=_(
            "Two or more words or short phrases, separated by commas, e.g. 公交, 地铁, 乘车 or bus, metro, "
            "public transport. English words match every word form (activate, activated)."
        ),
    )
    language = models.CharField(
        _("applies to"), max_length=10, choices=Language.choices, blank=True, default=Language.ANY
    )
    note = models.CharField(_("note for editors"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonyms")

    def __str__(self):
        return self.terms

    def words(self):
        return [word.strip() for word in WORD_SEPARATORS.split(self.terms) if word.strip()]


WORD_SEPARATORS = re.compile(r"[,，、;；\n]+")

# What the unmet-needs report keeps of a search: the words (trimmed, capped), nothing else typed.
LOGGED_QUERY_CHARS = 100
# Searches with at most this many results are logged ("no or few results"); the rest are not needed.
FEW_RESULTS = 2
# Rows older than this are dropped.
LOG_KEEP_DAYS = 90


class UnansweredSearch(models.Model):
    """How often, on one day, a search in one language found no or few pages.

    One row per (day, language, words), counted up by one upsert per search. Deliberately nothing
    about who searched: no address, no browser, no time of day, no cookie.
    """

    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=10)
    query = models.CharField(_("search words"), max_length=LOGGED_QUERY_CHARS)
    results = models.PositiveIntegerField(_("results"))
    searches = models.PositiveIntegerField(_("searches"), default=1)

    class Meta:
        ordering = ["-day", "-searches", "query"]
        verbose_name = _("search with few results")
        verbose_name_plural = _("what visitors did not find")
        constraints = [
            models.UniqueConstraint(fields=["day", "language", "query"], name="search_unanswered_one_row_a_day")
        ]

    def __str__(self):
        return f"{self.day} {self.language} {self.query} ({self.results})"
