"""The search itself: from what a visitor typed to a page of highlighted results."""

import difflib
import math
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from inquiry.core.generation import current_generation

from .backends import LAW_KINDS, WeightedTerm, index_for
from .highlight import highlight
from .models import WORD_SEPARATORS, Document, Recommendation, SynonymGroup
from .providers import all_providers, provider_for_kind
from .questions import QuestionWeights, audiences, features
from .segment import segmenter
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
        return last_page(self.total)

    @property
    def partial(self):
        """With `relaxed`: how many pages have only some of the words."""
        return self.total - self.complete if self.relaxed else 0

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


# Per content generation and language: each editors' pick as (the term keys of its words, its path), so
# a search neither reads the picks nor cuts their words into terms again (40 picks: 7 ms a search).
_pick_store = _PerGeneration(dict)


def _picks(language):
    kept = _pick_store.get()
    if language not in kept:
        words_of = thesaurus(language)
        kept[language] = [
            (
                frozenset(_term_key(query_terms(words, words_of)) for words in WORD_SEPARATORS.split(pick.words)),
                urlsplit(pick.page.strip()).path,
            )
            for pick in Recommendation.objects.only("words", "page")
        ]
    return kept[language]


def recommended_documents(terms, language, now):
    """Editors' picks for exactly these terms, as this language's visible documents, in the editors'
    order. One query when a pick matches (and one per content generation to read the picks), whatever
    the number of picks or pages."""
    key = _term_key(terms)
    paths = [path for keys, path in _picks(language) if key in keys]
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


def _result(hit, terms, recommended=False):
    provider = provider_for_kind(hit.kind)
    return Result(
        kind_label=provider.label if provider else hit.kind,
        url=hit.url,
        title=highlight(hit.title, terms),
        snippet=highlight(hit.body, terms, width=SNIPPET_WIDTH),
        recommended=recommended,
    )


# --- Weighing the words of a query --------------------------------------------------------------------

# A word on more than about 60% of the pages (IDF below this) says too little to make a page a result
# on its own when no page has every word; it still adds its (small) weight to the others.
MIN_FINDING_IDF = 0.5
# A word on more than about 80% of the pages (社保卡 here; 卡 in most texts) is left out of the sum:
# it would add nearly the same to every page, and checking which pages hold it costs the most.
MIN_SCORED_IDF = 0.2
# Pages with some of the words are kept while they score at least this share of the best one.
KEEP_SHARE = 0.5
# A word in a page's title adds this share of its weight again (at most 1, so that a page with every
# word, in its text only, keeps at least half the best score and is never cut by KEEP_SHARE).
# (Measured on the tuning part of the question inventory: 205 → 225 of 294 in the top 3.)
TITLE_WEIGHT = 1.0


# A place name (北京, 深圳, 江门) says where the asker lives, rarely what they ask: the answers are
# national, with the local rules inside them, and a page that happens to give a city as an example would
# otherwise win on that one rare word. It adds this share of its weight and makes no page a result alone.
# (Shown and tuning questions in the top 3: 399 of 473 without, 402 with 0.3, 401 with 0 or 0.6; left
# out of the words every result must hold as well: 399.)
PLACE_WEIGHT = 0.3


def _is_place(term):
    return term.cjk and segmenter().is_place(term.text)


def idf(documents, holding):
    """Inverse document frequency as BM25 weighs it: near 0 for a word on every page, 0.5 for a word
    on 60% of them, 1.1 on a third, growing as a word gets rarer."""
    return math.log(1 + (documents - holding + 0.5) / (holding + 0.5))


def weigh(terms, frequencies) -> list[WeightedTerm]:
    """Each term with its weight, and whether holding it is enough for a page to be shown: a word that
    is on some page and not on most, of two or more characters (a single character only when no
    longer word of the query qualifies: 存 in 不小心往社保卡里存了钱)."""
    places = [_is_place(term) for term in terms]
    weights = [
        idf(frequencies.documents, holding) * (PLACE_WEIGHT if place else 1.0)
        for holding, place in zip(frequencies.terms, places, strict=True)
    ]
    telling = [
        holding > 0 and weight >= MIN_FINDING_IDF and not place
        for holding, weight, place in zip(frequencies.terms, weights, places, strict=True)
    ]
    longer = any(ok and len(term.text) > 1 for term, ok in zip(terms, telling, strict=True))
    return [
        WeightedTerm(
            term=term,
            weight=weight,
            finds=ok and (len(term.text) > 1 or not longer),
            scored=holding > 0 and weight >= MIN_SCORED_IDF,
        )
        for term, holding, weight, ok in zip(terms, frequencies.terms, weights, telling, strict=True)
    ]


# --- The steps of a search --------------------------------------------------------------------------


@dataclass
class Found:
    """What the index found for one page of results (editors' picks not included)."""

    total: int
    hits: list
    page: int
    relaxed: bool = False
    complete: int = 0  # with `relaxed`: how many pages have every word


def window(page, pinned):
    """(offset, limit) of the ranked results shown on `page` when `pinned` results come before them
    on page 1 (editors' picks)."""
    if page == 1:
        return 0, PER_PAGE - pinned
    return (page - 1) * PER_PAGE - pinned, PER_PAGE


def last_page(total):
    return max(1, min(MAX_PAGE, -(-total // PER_PAGE)))


def _pages_with_every_word(index, terms, *, language, now, page, picks, pooled=False):
    """The page of results holding every term (a stale link past the end shows the last page); with
    `pooled`, the first POOL_PAGES pages together when the page is one of them."""
    exclude = [document.id for document in picks]

    def fetch(number):
        offset, limit = _pool(number, len(picks)) if pooled else window(number, len(picks))
        return index.search(language=language, terms=terms, now=now, offset=offset, limit=limit, exclude_ids=exclude)

    found = fetch(page)
    last = last_page(found.total + len(picks))
    if page > last and found.total:
        page, found = last, fetch(last)
    return Found(total=found.total, hits=found.hits, page=page)


# Document frequencies of the terms searched, per content generation (they change only with content;
# a page becoming visible at its publish date shifts them by one, which the weights can bear).
_frequency_store = _PerGeneration(dict)
MAX_KEPT_FREQUENCIES = 10_000


def document_frequencies(index, terms, *, language, now):
    """How many documents hold each term: one query, then kept in the process until content changes."""
    kept = _frequency_store.get()
    key = (language, tuple((term.tokens, tuple(s.tokens for s in term.synonyms)) for term in terms))
    if key not in kept:
        if len(kept) >= MAX_KEPT_FREQUENCIES:
            kept.clear()
        kept[key] = index.document_frequencies(language=language, terms=terms, now=now)
    return kept[key]


def _pages_with_some_words(index, terms, *, language, now, page, complete, pooled=False):
    """The page of results holding some of the terms, ranked by the weights of those they hold (the
    `complete` pages, which hold them all, first when the first page is not re-ranked as a whole, see
    `find`); None when the rarer words are on no page. With `pooled`, the first POOL_PAGES pages
    together when the page is one of them."""
    weighted = weigh(terms, document_frequencies(index, terms, language=language, now=now))

    def fetch(number):
        offset, limit = _pool(number, 0) if pooled else window(number, 0)
        return index.search_some(
            language=language,
            weighted=weighted,
            now=now,
            offset=offset,
            limit=limit,
            keep_share=KEEP_SHARE,
            title_weight=TITLE_WEIGHT,
        )

    found = fetch(page)
    if page > 1 and not found.hits:  # past the end (a stale link): the first page says how many
        found = fetch(1)
    if page > last_page(found.total):  # past the end: the last page (already fetched in the pool)
        page = last_page(found.total)
        if page > 1 and not (pooled and page <= POOL_PAGES):
            found = fetch(page)
    if found.total <= complete:
        return None
    hits = found.hits
    if page == 1 or (pooled and page <= POOL_PAGES):
        # The pages with every word stay first (the caption counts them); each group is re-ranked.
        first = min(complete, len(hits))
        hits = rerank(hits[:first], weighted) + rerank(hits[first:], weighted)
    return Found(total=found.total, hits=hits, page=page, relaxed=True, complete=complete)


# Re-ranking the first page of a relaxed search (BM25 over the page's own pages): the index ranks them
# by which words each holds, not how often or where. A page that says 余额 ten times, in its title and
# in the other phrasings of its question, is more about it than one that says it once in passing.
# (Shown and tuning questions in the top 3: 389 of 473 before, 399-403 for k1 2-5, b 0.75-0.9, title
# 3-6 times, the index's order 0.2-0.5; these are the middle of that plateau.)
RERANK_K1 = 3.0
RERANK_B = 0.75
RERANK_TITLE = 6.0
# The index's own order still counts: the first page gets this much (of the best page's score) more
# than the last, in steps.
RERANK_ORDER = 0.2


def rerank(hits, weighted):
    """`hits` (from Index.search_some, with their tokens) in the order of BM25 over them, each word
    weighed as `weighted` says (its inverse document frequency), the title's words counting
    RERANK_TITLE times, lengths against the mean of these pages; plus their index order's share."""
    if len(hits) < 2:
        return list(hits)
    # Each word as what stands in a token string: its token, or its CJK bigrams in a row, or a synonym's.
    words = [
        (item.weight, [f" {' '.join(phrasing.tokens)} " for phrasing in item.term.phrasings])
        for item in weighted
        if item.scored
    ]
    texts = [(f" {hit.tokens[0]} ", f" {hit.tokens[1]} ") for hit in hits]
    lengths = [title.count(" ") + body.count(" ") for title, body in texts]
    mean = sum(lengths) / len(lengths) or 1.0
    scores = []
    for (title, body), length in zip(texts, lengths, strict=True):
        norm = RERANK_K1 * (1 - RERANK_B + RERANK_B * length / mean)
        score = 0.0
        for weight, needles in words:
            frequency = sum(RERANK_TITLE * title.count(needle) + body.count(needle) for needle in needles)
            if frequency:
                score += weight * frequency * (RERANK_K1 + 1) / (frequency + norm)
        scores.append(score)
    best = max(scores) or 1.0
    count = len(hits)
    order = sorted(range(count), key=lambda i: (-(scores[i] / best + RERANK_ORDER * (1 - i / count)), i))
    return [hits[i] for i in order]


def _several_tokens(terms):
    return sum(len(term.tokens) for term in terms) > 1


# Pages with some of the words join those with every word when these do not fill the pages re-ranked
# by the questions they answer (POOL_PAGES): a few pages holding every word by chance (失业 要 满足 条件
# 领 失业金) need not be the answer, and a page missing one word of a long question may be ("How does
# China's medical insurance system for employees work?": 11 pages hold every word, none the answer,
# which does not say "system"). (Shown and tuning questions in the top 3: 421 of 473 at 2, 424 at 9 and
# at 15 on earlier content; 431 at 9 and 433 at 29, none lost, on the 532 articles of 2026-12-07.)
POOL_PAGES = 3
RELAX_AT_MOST = POOL_PAGES * PER_PAGE - 1


def _says_more(query, terms):
    """Whether what was typed says more than its one search term: 社会保障卡没了怎么办理 searches
    社会保障卡 alone (没了 and 办理 carry no subject for the index), yet it is a question that the
    questions pages answer can tell apart. A word typed alone (激活, activation) says no more."""
    return len(features(query)) > len(features(terms[0].text))


def find(terms, *, language, now, page=1, picks=(), query="") -> Found:
    """The index's results for one page: the pages with every term; when at most RELAX_AT_MOST have
    them all (and no editors' pick answers the words), those and the pages with some of them. With
    the `query` as typed and several terms (or one term and more typed, `_says_more`), the first
    POOL_PAGES pages are re-ranked together by the questions their pages answer (`by_questions`)."""
    index = index_for(connection)
    pooled = bool(query) and (len(terms) > 1 or _says_more(query, terms))
    every = _pages_with_every_word(index, terms, language=language, now=now, page=page, picks=picks, pooled=pooled)
    found = every
    if not (every.total > RELAX_AT_MOST or picks or not _several_tokens(terms)):
        some = _pages_with_some_words(
            index, terms, language=language, now=now, page=page, complete=every.total, pooled=pooled
        )
        found = some or every
    if pooled and found.page <= POOL_PAGES:
        weights = _question_weights.get()
        # A place name weighs as little here as in the index (PLACE_WEIGHT): where the asker lives.
        places = frozenset(feature for term in terms if _is_place(term) for feature in features(term.text))
        vector = weights.vector(query, language, light=places, light_share=PLACE_WEIGHT)
        offset, limit = window(found.page, len(picks))
        hits = by_questions(found.hits, vector, language, weights, audiences(query), _links_in.get())
        found.hits = hits[offset : offset + limit]
    return found


# --- Re-ranking the first pages by the questions their pages answer -----------------------------------

# A visitor's question is often close, as a whole, to one of the questions a page answers (its title,
# the other phrasings editors list) while sharing few exact words with it. The first pages of results
# (POOL_PAGES of them, re-ranked together so that paging through them shows each page once) are
# ordered by how close the query is to each page's nearest question (see `questions`), QUESTION_SHARE,
# and by the index's own order, the rest.
QUESTION_SHARE = 0.7
# A page for foreigners, say, ranks below the general page for a question that does not name them.
# (Shown and tuning questions in the top 3: 423 of 473 at 1, 425 at 0.85, 426 at 0.7 and at 0.5.)
AUDIENCE_SHARE = 0.7
# A page that many other pages send readers to (an FAQ article listed among many articles' related
# questions) answers a broader question than one no page points to: "交满多久可以领失业金" wants the
# page on claiming unemployment benefit (22 pages link to it), not the one for flexible workers (none)
# that shares more of its characters. It adds up to LINKS_SHARE, by the logarithm of its links against
# the most linked page's. (Shown and tuning questions in the top 3: 426 of 473 at 0, 431 at 0.05, 433
# at 0.1 and 0.15, 434 at 0.2, 431 at 0.3, 424 at 0.4.)
LINKS_SHARE = 0.15

_question_weights = _PerGeneration(lambda: QuestionWeights(Document.objects.values_list("language", "questions")))


class LinksIn:
    """How many public pages point to each page: {(kind, object id): count}, from the providers."""

    def __init__(self, counts):
        self.counts = counts
        self._most = math.log1p(max(counts.values(), default=0)) or 1.0

    def share(self, hit):
        """0 for a page nothing points to, 1 for the most linked page, by the logarithm of the count."""
        return math.log1p(self.counts.get((hit.kind, hit.object_id), 0)) / self._most


def _build_links_in():
    return LinksIn(
        {
            (provider.kind, object_id): count
            for provider in all_providers()
            if provider.links_in
            for object_id, count in provider.links_in().items()
        }
    )


_links_in = _PerGeneration(_build_links_in)


def _pool(number, pinned):
    """(offset, limit) in the ranked results: the first POOL_PAGES pages together for page `number`
    when it is one of them, else its own window."""
    if number > POOL_PAGES:
        return window(number, pinned)
    return 0, POOL_PAGES * PER_PAGE - pinned


def by_questions(hits, vector, language, weights, typed, links):
    """`hits` in the order of QUESTION_SHARE × the closeness of the query (its `vector`) to the
    nearest question each page answers, plus the rest × their place in the index's order (1 for the
    first, down to 0); `weights`: the QuestionWeights of this content. A page whose title names a
    group of people (`questions.AUDIENCES`) that the query does not (`typed`: those it names) counts
    AUDIENCE_SHARE of its closeness. A page adds LINKS_SHARE × its share of the links to pages
    (`links`, a LinksIn)."""
    if len(hits) < 2:
        return list(hits)
    count = len(hits)

    def closeness(hit):
        found = weights.closeness(vector, hit.questions, language)
        meant = audiences(hit.title)
        return found * AUDIENCE_SHARE if meant and not meant & typed else found

    scores = [
        QUESTION_SHARE * closeness(hit) + (1 - QUESTION_SHARE) * (1 - i / count) + LINKS_SHARE * links.share(hit)
        for i, hit in enumerate(hits)
    ]
    return [hits[i] for i in sorted(range(count), key=lambda i: (-scores[i], i))]


def _corrected(query, language, page, now):
    """The results for the closest spelling of an unknown English word, or None."""
    suggestion = spelling_suggestion(query)
    if not suggestion:
        return None
    corrected = search(query=suggestion, language=language, page=page, now=now, correct=False)
    if not corrected.total:
        return None
    corrected.query, corrected.corrected = query, suggestion
    return corrected


def search(*, query, language, page=1, now=None, correct=True) -> SearchResults:
    """Visible pages in `language` containing every term of `query` (or one of its synonyms), answers
    before law articles and title matches first (see `backends`).

    When at most RELAX_AT_MOST pages have them all and the query has several words or characters, the
    pages with some of them join those, the rarer words first (`relaxed`; `complete` says how many
    have them all). When nothing at all matches and an English word looks misspelt, the results for
    the closest spelling are shown (`corrected`). The number of database queries is fixed for each
    of these cases.
    """
    terms = query_terms(query, thesaurus(language))
    results = SearchResults(query=query, terms=terms, page=page, total=0)
    if not terms:
        return results
    now = now or timezone.now()
    picks = recommended_documents(terms, language, now)[: PER_PAGE // 2]
    found = find(terms, language=language, now=now, page=page, picks=picks, query=query)
    if not found.total and not picks and correct:
        corrected = _corrected(query, language, page, now)
        if corrected:
            return corrected
    results.page = found.page
    results.total = found.total + len(picks)
    results.relaxed, results.complete = found.relaxed, found.complete
    if found.page == 1:
        results.results = [_result(document, terms, recommended=True) for document in picks]
    results.results += [_result(hit, terms) for hit in found.hits]
    return results
