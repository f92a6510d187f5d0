"""The search itself: from what a visitor typed to a page of highlighted results."""

import difflib
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from inquiry.core.generation import current_generation

from .backends import LAW_KINDS, HitPage, index_for
from .highlight import highlight
from .models import FEW_RESULTS, WORD_SEPARATORS, Document, Recommendation, SynonymGroup
from .providers import provider_for_kind
from .text import _LATIN_WORD, Term, Thesaurus, fold, query_terms

PER_PAGE = 10
MAX_PAGE = 100  # deeper pages are not useful to anyone, and each costs a ranking of every match
SNIPPET_WIDTH = 220  # columns; a CJK character counts two


@dataclass(frozen=True)
class Result:
    kind_label: object
    url: str
    title: str
    snippet: str
    recommended: bool = False


@dataclass
class SearchResults:
    query: str
    terms: list[Term]
    page: int
    total: int
    results: list[Result] = field(default_factory=list)
    # No page had every term, so these are pages with some of them.
    relaxed: bool = False
    # Nothing matched what was typed, so these are the results for this spelling ("did you mean").
    corrected: str = ""
    # With `relaxed`: how many of the results (the first ones) have every word.
    complete: int = 0

    @property
    def num_pages(self):
        return max(1, min(MAX_PAGE, -(-self.total // PER_PAGE)))

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages

    @property
    def page_numbers(self):
        """Page numbers to link, with None for a gap: 1 … 4 5 [6] 7 8 … 20."""
        numbers, last = [], self.num_pages
        for number in range(1, last + 1):
            if number in (1, last) or abs(number - self.page) <= 2:
                numbers.append(number)
            elif numbers[-1] is not None:
                numbers.append(None)
        return numbers

    @property
    def first_number(self):
        return (self.page - 1) * PER_PAGE + 1


def page_number(raw) -> int:
    """The page asked for, 1 if the value is not a sensible page number."""
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 4:
        return min(max(int(raw), 1), MAX_PAGE)
    return 1


def _term_key(terms):
    return frozenset(token for term in terms for token in term.tokens)


class _PerGeneration:
    """A value built from content, rebuilt when the content generation changes (any admin save,
    load_content). Kept in this process: most searches then cost no query for it at all. Without a
    usable cache (no generation), it is rebuilt at most once a minute rather than on every search."""

    WITHOUT_CACHE_SECONDS = 60

    def __init__(self, build):
        self._build = build
        self._kept = (None, 0.0, None)  # generation, when built, value

    def get(self):
        generation = current_generation()
        key = generation["id"] if generation else None
        kept_key, built, value = self._kept
        now = time.monotonic()
        stale = key != kept_key if key is not None else now - built > self.WITHOUT_CACHE_SECONDS or kept_key
        if value is None or stale:
            value = self._build()
            self._kept = (key, now, value)
        return value


def _build_thesauri():
    groups = [(group.words(), group.language) for group in SynonymGroup.objects.only("terms", "language")]
    return {
        code: Thesaurus(words for words, language in groups if language in ("", code))
        for code, _name in settings.LANGUAGES
    }


_thesauri = _PerGeneration(_build_thesauri)


def thesaurus(language) -> Thesaurus:
    """The editors' synonym groups for searches in `language` (one query when content changed)."""
    return _thesauri.get().get(language) or Thesaurus()


def _build_vocabulary():
    # English words of the answers' titles and of the synonym table: what a misspelt word is
    # compared with. Titles, not texts: they name what the site is about, and they are few.
    words = set()
    titles = Document.objects.filter(language="en").exclude(kind__in=LAW_KINDS).values_list("title", flat=True)
    for text in [*titles, *SynonymGroup.objects.values_list("terms", flat=True)]:
        words.update(word for word in _LATIN_WORD.findall(fold(text)) if len(word) > 2)
    return sorted(words)


_vocabulary = _PerGeneration(_build_vocabulary)


def spelling_suggestion(query) -> str:
    """The query with each unknown English word replaced by the closest known one, or "" when no
    word changes. Chinese is left as typed: its "misspellings" are other characters, not letters."""
    vocabulary = _vocabulary.get()
    known = set(vocabulary)
    changed, words = False, []
    for piece in re.split(r"([a-z]+)", fold(query)):
        if len(piece) > 3 and _LATIN_WORD.fullmatch(piece) and piece not in known:
            close = difflib.get_close_matches(piece, vocabulary, n=1, cutoff=0.8)
            if close:
                piece, changed = close[0], True
        words.append(piece)
    return "".join(words) if changed else ""


def recommended_documents(terms, language, now):
    """Editors' picks for exactly these terms, as this language's visible documents, in the editors'
    order. Two queries at most, whatever the number of picks or pages."""
    key = _term_key(terms)
    words_of = thesaurus(language)
    paths = [
        urlsplit(recommendation.page.strip()).path
        for recommendation in Recommendation.objects.only("words", "page")
        if any(_term_key(query_terms(words, words_of)) == key for words in WORD_SEPARATORS.split(recommendation.words))
    ]
    if not paths:
        return []
    # Every language's document of each picked page: the address may be given in either language.
    picked = Document.objects.filter(url__in=paths)
    same_page = picked.filter(kind=OuterRef("kind"), object_id=OuterRef("object_id"))
    documents = list(
        # The kind and object id narrow the rows to check through the (kind, object id, language) index
        # (without them, every document would be checked, hundreds of milliseconds at 20,000 pages).
        Document.objects.filter(
            Exists(same_page),
            kind__in=picked.values("kind"),
            object_id__in=picked.values("object_id"),
        ).only("id", "kind", "object_id", "language", "title", "body", "url", "visible_from")
    )
    page_of_path = {document.url: (document.kind, document.object_id) for document in documents}
    shown = {
        (document.kind, document.object_id): document
        for document in documents
        if document.language == language and document.visible_from <= now
    }
    ordered = []
    for path in paths:
        document = shown.get(page_of_path.get(path))
        if document is not None and document not in ordered:
            ordered.append(document)
    return ordered


def _result(hit, terms, relaxed, recommended=False):
    provider = provider_for_kind(hit.kind)
    return Result(
        kind_label=provider.label if provider else hit.kind,
        url=hit.url,
        title=highlight(hit.title, terms, relaxed=relaxed),
        snippet=highlight(hit.body, terms, relaxed=relaxed, width=SNIPPET_WIDTH),
        recommended=recommended,
    )


def search(*, query, language, page=1, now=None, correct=True) -> SearchResults:
    """Visible pages in `language` containing every term of `query` (or one of its synonyms), answers
    before law articles and title matches first (see `backends`).

    When at most FEW_RESULTS pages have them all and the query has several words or characters, the
    pages with some of them follow those (`relaxed`; `complete` says how many have them all): a
    question typed in full often holds one word no page has. When nothing at all matches and an
    English word looks misspelt, the results for the closest spelling are shown (`corrected`). The
    number of database queries is fixed for each of these cases.
    """
    terms = query_terms(query, thesaurus(language))
    results = SearchResults(query=query, terms=terms, page=page, total=0)
    if not terms:
        return results
    now = now or timezone.now()
    index = index_for(connection)
    picks = recommended_documents(terms, language, now)[: PER_PAGE // 2]
    pinned, exclude = len(picks), [document.id for document in picks]

    def run(relaxed, wanted_page):
        # Pages shown first (editors' picks, pages with every word before the others) take the first
        # places of page 1; the ranked results fill the rest.
        offset = max(0, (wanted_page - 1) * PER_PAGE - pinned)
        limit = PER_PAGE - pinned if wanted_page == 1 else PER_PAGE
        return index.search(
            language=language, terms=terms, now=now, offset=offset, limit=limit, exclude_ids=exclude, relaxed=relaxed
        )

    relaxed, complete = False, []
    found = run(False, page)
    if found.total <= FEW_RESULTS and not picks and sum(len(term.tokens) for term in terms) > 1:
        if found.total:
            complete = found.hits if page == 1 else run(False, 1).hits
        pinned += len(complete)
        exclude += [hit.id for hit in complete]
        partial = run(True, page)
        if partial.total:
            relaxed, found = True, partial
        elif not complete:
            found = partial
    if found.total == 0 and not complete and not picks and correct:
        suggestion = spelling_suggestion(query)
        if suggestion:
            corrected = search(query=suggestion, language=language, page=page, now=now, correct=False)
            if corrected.total:
                corrected.query, corrected.corrected = query, suggestion
                return corrected
    if not relaxed and complete:  # nothing to add after them: they are the results
        found, pinned, exclude = HitPage(total=len(complete), hits=complete), len(picks), exclude[: len(picks)]
        complete = []
    results.total = found.total + pinned
    results.relaxed = relaxed
    results.complete = len(complete)
    if page > results.num_pages and results.total:
        # Past the last page (a stale or edited link): show the last one.
        results.page = page = results.num_pages
        found = run(relaxed, page)
    if page == 1:
        results.results = [_result(document, terms, False, recommended=True) for document in picks]
        results.results += [_result(hit, terms, False) for hit in complete]
    results.results += [_result(hit, terms, relaxed) for hit in found.hits]
    return results
