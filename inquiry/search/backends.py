"""The full-text index itself, for each database: FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL.

Both index the same token columns of `Document` (see `text.py`). Each backend only says how to ask
its index for the visible documents matching an expression (with a relevance score) and how to write
an expression; the ranking built on top (`Index`) is written once, in SQL that both databases run:

- `search`: the documents holding every term, in four tiers (answers with every term in the title,
  law articles with every term in the title, the other answers, the other law articles), each
  ranked by BM25 (SQLite) / ts_rank (PostgreSQL);
- `document_frequencies`: how many documents hold each term (and how many there are), for weights;
- `search_some`: the documents holding some of the terms, ranked by the summed weights of the terms
  each holds (inverse document frequency: the rarer a word, the more it counts).

Everything sent to the database is built from tokens (word characters only) and passed as
parameters; the only numbers written into the SQL are weights computed here (whole millionths).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from .models import Document

DOCUMENT_TABLE = Document._meta.db_table

# Kinds of page that state the law rather than answer a question: when answers and law articles both
# match, the answers come first (a law article's title still beats an answer that only mentions the
# words in its text).
LAW_KINDS = ("law",)


@dataclass(frozen=True)
class Hit:
    id: int
    kind: str
    object_id: int
    title: str
    body: str
    url: str
    tier: int | None = None  # with every term: 0-3 (see Index.search); with some of them: None
    # With some of the terms: the indexed tokens of the title and of the text (with the other phrasings
    # of the question), for re-ranking the page shown (selectors.rerank).
    tokens: tuple[str, str] | None = None
    # The questions the page answers, one per line (Document.questions), for re-ranking the first pages.
    questions: str = ""

    @property
    def in_title(self):
        return self.tier in (0, 1)


@dataclass(frozen=True)
class HitPage:
    total: int
    hits: list


@dataclass(frozen=True)
class WeightedTerm:
    term: object  # text.Term
    weight: float
    finds: bool  # whether holding it makes a page a result (see Index.search_some)
    scored: bool = True  # False: so common that it would not change the order, left out of it


@dataclass(frozen=True)
class Frequencies:
    """How many visible documents of a language there are, and how many hold each term."""

    documents: int
    terms: tuple[int, ...]


def _segments(sizes, offset, limit):
    """Where the window [offset, offset + limit) falls in consecutive ranked segments of these sizes:
    [(segment index, offset inside it, how many)], for the segments it touches."""
    found, start = [], 0
    for index, size in enumerate(sizes):
        low, high = max(offset, start), min(offset + limit, start + size)
        if high > low:
            found.append((index, low - start, high - low))
        start += size
    return found


def _law_ids():
    placeholders = ", ".join("%s" for _ in LAW_KINDS)
    return f"SELECT id FROM {DOCUMENT_TABLE} WHERE kind IN ({placeholders})", list(LAW_KINDS)


def _page_sql(ranked, order):
    """The ranked ids joined to their documents' text (only the rows of the page shown)."""
    return (
        f"SELECT d.id, d.kind, d.object_id, d.title, d.body, d.url, r.tier, d.questions FROM ({ranked}) AS r "
        f"JOIN {DOCUMENT_TABLE} AS d ON d.id = r.id ORDER BY {order}"
    )


def _millionths(weight):
    """A weight as a whole number of millionths (6 decimals), as the queries sum it: whole numbers add up
    exactly on both databases (SQLite would add decimals as floating point, and break ties that are not)."""
    return int(f"{float(weight):.6f}".replace(".", ""))


def _hits(rows):
    return [Hit(*row[:7], questions=row[7]) for row in rows]


def _kept_page(scored, params, *, keep_share, limit, offset):
    """The page of a relaxed search: `scored` is SQL of common table expressions ending in one named
    `scored` (id, weight, law, in_title); the pages scoring at least `keep_share` of the best are kept, and
    the page [offset, offset + limit) of them is returned, best first, with how many were kept."""
    sql = f"""{scored},
            kept AS (SELECT * FROM scored WHERE weight >= (SELECT max(weight) FROM scored) * %s),
            ranked AS (SELECT * FROM kept ORDER BY weight DESC, law, in_title, id LIMIT %s OFFSET %s)
            SELECT d.id, d.kind, d.object_id, d.title, d.body, d.url, (SELECT count(*) FROM kept),
                   d.title_tokens, d.body_tokens, d.questions
            FROM ranked AS r JOIN {DOCUMENT_TABLE} AS d ON d.id = r.id
            ORDER BY r.weight DESC, r.law, r.in_title, r.id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, keep_share, limit, offset])
        rows = cursor.fetchall()
    hits = [Hit(*row[:6], tier=None, tokens=(row[7], row[8]), questions=row[9]) for row in rows]
    return HitPage(total=rows[0][6] if rows else 0, hits=hits)


class Index:
    """The ranking, written once. Subclasses provide:

    - `matching(language, expression, now, exclude_ids, title=False, scored=True)`: SQL and parameters
      selecting `id, score` of the visible documents matching `expression` (in the title only, with
      `title`); a lower score ranks first (0 for all without `scored`);
    - `containing(language, expression, title=False)`: SQL and parameters selecting the ids of the
      documents matching (visible or not: used inside queries that only see visible ones);
    - `all_of(terms)`, `any_of(terms)`: an expression in the index's query language; `both(a, b)`,
      `but_not(a, b)`: two expressions joined.
    """

    def search(self, *, language, terms, now, offset, limit, exclude_ids=()):
        """The page [offset, offset + limit) of the visible documents holding every term, in tiers."""
        expression = self.all_of(terms)
        full, full_params = self.matching(language, expression, now, exclude_ids)
        title, title_params = self.matching(language, expression, now, exclude_ids, title=True)
        in_title, in_title_params = self.containing(language, expression, title=True)
        law, law_params = _law_ids()
        with connection.cursor() as cursor:
            answers, answers_in_titles, laws, laws_in_titles = self.tier_counts(
                cursor, language=language, expression=expression, now=now, exclude_ids=exclude_ids
            )
            total = answers + laws
            if offset >= total:
                return HitPage(total=total, hits=[])
            # (is law, in the title, size): each tier is cut to what this page needs before anything
            # is joined, and a tier is only ranked when the page reaches into it, so a common word's
            # first pages rank its (fewer, shorter) title matches only.
            tiers = (
                (False, True, answers_in_titles),
                (True, True, laws_in_titles),
                (False, False, answers - answers_in_titles),
                (True, False, laws - laws_in_titles),
            )
            parts, params = [], []
            for tier, tier_offset, tier_limit in _segments([size for *_x, size in tiers], offset, limit):
                is_law, is_title, _size = tiers[tier]
                source, source_params = (title, title_params) if is_title else (full, full_params)
                # `+m.id`: a plain value, not the index's rowid, so SQLite does not look each law id up
                # in the full-text index and run the MATCH once per id (150 ms at 200 law articles).
                group = f"+m.id {'IN' if is_law else 'NOT IN'} ({law})"
                not_in_title, not_in_title_params = "", []
                if not is_title and tiers[tier - 2][2]:  # leave out this group's title matches
                    not_in_title, not_in_title_params = f"AND m.id NOT IN ({in_title})", in_title_params
                parts.append(
                    f"""SELECT * FROM (SELECT m.id, {tier} AS tier, m.score FROM ({source}) AS m
                        WHERE {group} {not_in_title} ORDER BY m.score, m.id LIMIT %s OFFSET %s) AS t{tier}"""
                )
                params += [*source_params, *law_params, *not_in_title_params, tier_limit, tier_offset]
            cursor.execute(_page_sql(" UNION ALL ".join(parts), "r.tier, r.score, r.id"), params)
            return HitPage(total=total, hits=_hits(cursor.fetchall()))

    def tier_counts(self, cursor, *, language, expression, now, exclude_ids):
        """(answers, answers with every term in the title, law articles, law articles with every term
        in the title), in one pass over the matches."""
        matches, matches_params = self.matching(language, expression, now, exclude_ids, scored=False)
        in_title, in_title_params = self.containing(language, expression, title=True)
        law, law_params = _law_ids()
        cursor.execute(
            f"""SELECT count(*) FILTER (WHERE m.law = 0), count(*) FILTER (WHERE m.law = 0 AND m.in_title = 1),
                   count(*) FILTER (WHERE m.law = 1), count(*) FILTER (WHERE m.law = 1 AND m.in_title = 1)
            FROM (SELECT CASE WHEN f.id IN ({law}) THEN 1 ELSE 0 END AS law,
                         CASE WHEN f.id IN ({in_title}) THEN 1 ELSE 0 END AS in_title
                  FROM ({matches}) AS f) AS m""",
            [*law_params, *in_title_params, *matches_params],
        )
        return cursor.fetchone()

    def document_frequencies(self, *, language, terms, now):
        """The number of visible documents in `language` and, for each term, how many documents hold
        it (or one of its synonyms). One query."""
        counts, params = [], []
        for term in terms:
            sql, term_params = self.containing(language, self.all_of([term]))
            counts.append(f"(SELECT count(*) FROM ({sql}) AS t)")
            params += term_params
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT count(*) FROM {DOCUMENT_TABLE} WHERE language = %s AND visible_from <= %s)"
                + "".join(f", {count}" for count in counts),
                [language, now, *params],
            )
            documents, *frequencies = cursor.fetchone()
        return Frequencies(documents=documents, terms=tuple(frequencies))

    def search_some(self, *, language, weighted, now, offset, limit, exclude_ids=(), keep_share=0.0, title_weight=0.0):
        """The page [offset, offset + limit) of the visible documents holding at least one of the
        `weighted` terms that `finds`, ranked by the sum of the weights of every term each holds, each
        term in the title adding `title_weight` times its weight again; then answers before law
        articles, then pages with one of the words in the title.

        `weighted`: [WeightedTerm]; a term that does not find (a common word, one character) adds its
        weight to the documents found by the others but does not make a document a result; one that
        is not `scored` (on nearly every page) is left out of the sum.
        Documents scoring less than `keep_share` of the best are left out: the long tail. One query.
        """
        finders = [item.term for item in weighted if item.finds]
        if not finders:
            return HitPage(total=0, hits=[])
        candidates, candidate_params = self.matching(language, self.any_of(finders), now, exclude_ids, scored=False)
        scores, score_params = [], []
        for item in (item for item in weighted if item.scored):
            if finders == [item.term]:  # every candidate holds the only word that finds
                scores.append(f"{_millionths(item.weight)}")
                continue
            sql, params = self.containing(language, self.all_of([item.term]))
            scores.append(f"CASE WHEN c.id IN ({sql}) THEN {_millionths(item.weight)} ELSE 0 END")
            score_params += params
        for item in (item for item in weighted if item.scored and title_weight):
            # A word in the title counts again: a page titled with the question's words is about them.
            sql, params = self.containing(language, self.all_of([item.term]), title=True)
            scores.append(f"CASE WHEN c.id IN ({sql}) THEN {_millionths(float(item.weight) * title_weight)} ELSE 0 END")
            score_params += params
        in_title, in_title_params = self.containing(language, self.any_of(finders), title=True)
        law, law_params = _law_ids()
        # Ties (pages holding the same words) go to answers, then to pages with a word in the title.
        # The scores are worked out once (MATERIALIZED), then the best one, the pages kept and the page.
        sql = f"""WITH scored AS MATERIALIZED (
                SELECT c.id, ({" + ".join(scores)}) AS weight,
                       CASE WHEN c.id IN ({law}) THEN 1 ELSE 0 END AS law,
                       CASE WHEN c.id IN ({in_title}) THEN 0 ELSE 1 END AS in_title
                FROM ({candidates}) AS c)"""
        params = [*score_params, *law_params, *in_title_params, *candidate_params]
        return _kept_page(sql, params, keep_share=keep_share, limit=limit, offset=offset)

    # How the summed query's matches are read (see _search_summed): as plain common table expressions
    # by default; PostgreSQL overrides it.
    MATCHES = "{name} AS NOT MATERIALIZED ({union})"

    def _search_summed(self, *, language, weighted, now, offset, limit, exclude_ids, keep_share, title_weight):
        """search_some when several words find, with the same results, order and counts, in less time
        (at 20,000 articles, 金融账户 余额: 13,000 candidates; SQLite 22 ms → 12 ms, PostgreSQL a third less):

        - each finding word's matches, and its matches in the titles, are read once and summed by page
          (GROUP BY over UNION ALL), rather than every candidate being read and then looked up in each
          word's set (which read each finding word's matches twice and hashed or probed them);
        - the weights are summed as whole millionths (`_millionths`), as in Index.search_some: the same
          sums, order and share kept;
        - each row of a title match also adds 1 (`step` counts more than the finding words), so one sum
          says both the weight and whether a finding word is in the page's title;
        - the commonest finding words (`_weak_finders`) are first read only on the pages that hold one of
          the others: a page holding none of the others scores at most what the weak words and the words
          that do not find add up to, and when that is less than the share kept of the best page found
          first, none of those pages is kept and they are not read at all (余额, on 9,400 pages, is read on
          the 3,400 of them that hold 金融账户). Otherwise they are read and summed too, as without it.

        A word that does not find is looked up for the candidates only (a common word's matches can be
        many more than the candidates), as in Index.search_some.
        """
        finders = [item for item in weighted if item.finds]
        weak, most_of_rest = _weak_finders(weighted, keep_share, title_weight)
        is_weak = {id(item) for item in weak}
        strong = self.any_of([item.term for item in finders if id(item) not in is_weak])
        # Pages holding none of the strong words are read only when one of them could be kept.
        could_keep = f"(SELECT weight FROM best_first) * %s <= {most_of_rest + 1}"
        step = len(finders) + 1
        first, first_params, rest, rest_params, lookups, lookup_params = [], [], [], [], [], []
        for item in weighted:
            weight = _millionths(item.weight) if item.scored else 0
            title = _millionths(float(item.weight) * title_weight) if item.scored and title_weight else 0
            expression = self.all_of([item.term])
            if item.finds:
                # The visible matches in the title are matches too: every page summed is a candidate.
                for in_title, value in ((False, weight * step), (True, title * step + 1)):
                    parts = [(first, first_params, expression, "", [])]
                    if id(item) in is_weak:
                        # A weak word's matches in the text are split by the strong words; its (fewer)
                        # matches in the title are read in both parts, for the pages each part holds.
                        only = (self.but_not(expression, strong), f" WHERE {could_keep}", [keep_share])
                        if in_title:
                            parts.append((rest, rest_params, expression, *only[1:]))
                        else:
                            parts = [
                                (first, first_params, self.both(expression, strong), "", []),
                                (rest, rest_params, *only),
                            ]
                    for arms, arm_params, found, condition, condition_params in parts:
                        sql, params = self.matching(language, found, now, exclude_ids, title=in_title, scored=False)
                        arms.append(
                            f"SELECT m.id, {value} AS value, {int(not in_title)} AS text FROM ({sql}) AS m{condition}"
                        )
                        arm_params += [*params, *condition_params]
                continue
            for in_title, value in ((False, weight), (True, title)):
                if value:
                    sql, params = self.containing(language, expression, title=in_title)
                    lookups.append(f" + CASE WHEN c.id IN ({sql}) THEN {value} ELSE 0 END")
                    lookup_params += params
        law, law_params = _law_ids()
        # With weak words, a page found only by a weak word's title is another part's (the part holding
        # its match in the text, which holds its title too).
        having = " HAVING max(text) = 1" if weak else ""
        score = f"""SELECT c.id, c.value / {step}{"".join(lookups)} AS weight,
                       CASE WHEN c.id IN ({law}) THEN 1 ELSE 0 END AS law,
                       CASE WHEN c.value %% {step} = 0 THEN 1 ELSE 0 END AS in_title
                FROM (SELECT id, CAST(sum(value) AS bigint) AS value FROM {{matches}} GROUP BY id{having}) AS c"""
        params = [*first_params, *lookup_params, *law_params]
        if not rest:
            sql = f"""WITH {self.MATCHES.format(name="matches_first", union=" UNION ALL ".join(first))},
                scored AS MATERIALIZED ({score.format(matches="matches_first")})"""
            return _kept_page(sql, params, keep_share=keep_share, limit=limit, offset=offset)
        # The best page of the first part is worked out once, for every arm of the second.
        sql = f"""WITH {self.MATCHES.format(name="matches_first", union=" UNION ALL ".join(first))},
            scored_first AS MATERIALIZED ({score.format(matches="matches_first")}),
            best_first AS MATERIALIZED (SELECT coalesce(max(weight), 0) AS weight FROM scored_first),
            {self.MATCHES.format(name="matches_rest", union=" UNION ALL ".join(rest))},
            scored AS MATERIALIZED (
                SELECT * FROM scored_first UNION ALL {score.format(matches="matches_rest")})"""
        params += [*rest_params, *lookup_params, *law_params]
        return _kept_page(sql, params, keep_share=keep_share, limit=limit, offset=offset)


def _most(item, title_weight):
    """The most a word adds to a page's weight (in its text and its title), in millionths."""
    if not item.scored:
        return 0
    return _millionths(item.weight) + (_millionths(float(item.weight) * title_weight) if title_weight else 0)


def _weak_finders(weighted, keep_share, title_weight):
    """([the commonest finding words], the most a page holding only them adds up to, in millionths): the
    words adding least, as long as they and the words that do not find add up to less than `keep_share`
    of a page holding every word in its title (a guess at the best page: Index._search_summed checks
    the best page it finds) and at least one finding word is left."""
    finders = sorted((item for item in weighted if item.finds), key=lambda item: _most(item, title_weight))
    every = sum(_most(item, title_weight) for item in weighted)
    most = sum(_most(item, title_weight) for item in weighted if not item.finds)
    weak = []
    for item in finders[:-1]:
        if most + _most(item, title_weight) >= keep_share * every:
            break
        weak.append(item)
        most += _most(item, title_weight)
    return weak, most


class SqliteIndex(Index):
    """Two FTS5 tables per language over the documents table (external content): one over title and
    body, one over the title alone, so the title tier is ranked from short entries. Triggers keep
    them in step, so a document row and its index entries change in the same transaction."""

    vendor = "sqlite"

    @staticmethod
    def tables(language):
        """(title and body table, title table) for a site language."""
        codes = [code for code, _name in settings.LANGUAGES]
        if language not in codes:
            raise ValueError(f"not a site language: {language!r}")
        suffix = language.replace("-", "_").lower()
        return f"search_fts_{suffix}", f"search_fts_title_{suffix}"

    def _each_table(self):
        for code, _name in settings.LANGUAGES:
            full, title = self.tables(code)
            yield code, full, ("title_tokens", "body_tokens")
            yield code, title, ("title_tokens",)

    def install(self, cursor):
        for code, table, columns in self._each_table():
            names = ", ".join(columns)
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5({names}, content='{DOCUMENT_TABLE}', "
                "content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
            )
            new_values = ", ".join(f"new.{column}" for column in columns)
            old_values = ", ".join(f"old.{column}" for column in columns)
            add = f"INSERT INTO {table}(rowid, {names}) VALUES (new.id, {new_values});"
            remove = f"INSERT INTO {table}({table}, rowid, {names}) VALUES ('delete', old.id, {old_values});"
            for suffix, event, row, action in (
                ("ai", "INSERT", "new", add),
                ("ad", "DELETE", "old", remove),
                ("au_old", "UPDATE", "old", remove),
                ("au_new", "UPDATE", "new", add),
            ):
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_{suffix} AFTER {event} ON {DOCUMENT_TABLE} "
                    f"WHEN {row}.language = '{code}' BEGIN {action} END"
                )

    def uninstall(self, cursor):
        for _code, table, _columns in self._each_table():
            for suffix in ("ai", "ad", "au_old", "au_new"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
            cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def reset(self, cursor):
        """Empty the documents and their index. The index is dropped and made again rather than emptied
        row by row, so a full rebuild also repairs an index that had fallen out of step."""
        self.uninstall(cursor)
        cursor.execute(f"DELETE FROM {DOCUMENT_TABLE}")
        self.install(cursor)

    def rebuilt(self, cursor):
        """After a full rebuild: merge each index into one b-tree, which makes queries faster."""
        for _code, table, _columns in self._each_table():
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")

    @staticmethod
    def _phrase(phrasing):
        return '"' + " ".join(phrasing.tokens) + '"'

    def all_of(self, terms):
        return " AND ".join("(" + " OR ".join(map(self._phrase, term.phrasings)) + ")" for term in terms)

    def any_of(self, terms):
        return " OR ".join(self._phrase(phrasing) for term in terms for phrasing in term.phrasings)

    def both(self, expression, other):
        return f"({expression}) AND ({other})"

    def but_not(self, expression, other):
        return f"({expression}) NOT ({other})"

    def matching(self, language, expression, now, exclude_ids=(), *, title=False, scored=True):
        full_table, title_table = self.tables(language)
        table, rank = (title_table, f"bm25({title_table})") if title else (full_table, f"bm25({full_table}, 10.0, 1.0)")
        rank = rank if scored else "0"
        # The documents not visible yet, with `now` written as the ORM writes a datetime for SQLite (text
        # in UTC): built here rather than compiled by the ORM, which took 0.4 ms a call, a dozen calls a search.
        hidden = f"SELECT id FROM {DOCUMENT_TABLE} WHERE visible_from > %s"
        hidden_params = [connection.ops.adapt_datetimefield_value(now)]
        excluded = ""
        if exclude_ids:
            excluded = " AND rowid NOT IN ({})".format(", ".join("%s" for _ in exclude_ids))
        return (
            f"SELECT rowid AS id, {rank} AS score FROM {table} WHERE {table} MATCH %s "
            f"AND rowid NOT IN ({hidden}){excluded}",
            [expression, *hidden_params, *exclude_ids],
        )

    def search_some(self, *, language, weighted, now, offset, limit, exclude_ids=(), keep_share=0.0, title_weight=0.0):
        """As Index.search_some, with the same results, order and counts: with several finding words, the
        summed query (Index._search_summed)."""
        arguments = {"language": language, "weighted": weighted, "now": now, "offset": offset, "limit": limit}
        arguments.update(exclude_ids=exclude_ids, keep_share=keep_share, title_weight=title_weight)
        if sum(item.finds for item in weighted) < 2:
            return super().search_some(**arguments)
        return self._search_summed(**arguments)

    def tier_counts(self, cursor, *, language, expression, now, exclude_ids):
        """As Index.tier_counts, as four counts straight on the FTS tables: twice as fast on SQLite as
        one pass that checks each match against the title matches."""
        law, law_params = _law_ids()
        counts, params = [], []
        # `+m.id`: see Index.search (otherwise SQLite runs the MATCH once per law article's id).
        for group in (f"NOT IN ({law})", f"IN ({law})"):
            for title in (False, True):
                sql, sql_params = self.matching(language, expression, now, exclude_ids, title=title, scored=False)
                counts.append(f"(SELECT count(*) FROM ({sql}) AS m WHERE +m.id {group})")
                params += [*sql_params, *law_params]
        cursor.execute("SELECT " + ", ".join(counts), params)
        return cursor.fetchone()

    def containing(self, language, expression, *, title=False):
        table = self.tables(language)[1 if title else 0]
        return f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [expression]


class PostgresIndex(Index):
    """Two companion tables with GIN indexes, written by a trigger on the documents table, so a document
    row and its vectors change in the same transaction:

    - `search_document_vector`: narrow rows with the vectors of title and body together (title weighted
      A) and of the title alone, both kept out of line, so counting the matches of a common word, and
      checking which of them hold a word, read few pages;
    - `search_document_title`: the title vectors again, kept in the row, for ranking the title tier
      only: ts_rank then reads each matching title in its row rather than from the TOAST table (at
      20,000 articles, a one-character word's 3,100 title matches: 13,600 buffers before, 1,400 now).

    The long texts stay in the documents table, which is read only for the page shown."""

    vendor = "postgresql"
    VECTORS = "search_document_vector"
    TITLES = "search_document_title"
    # search_some with one finding word: its matches are split by at most this many other words.
    MAX_SPLIT = 2
    # The summed query's matches are read first (MATERIALIZED) and summed, in this process:
    # pg_backend_pid() is parallel restricted, so the scans stay out of parallel workers, which (each
    # reading and summing a part of the matches) cost more than they saved: 养老金 挂失 密码, 20 ms → 12 ms.
    MATCHES = "{name} AS MATERIALIZED (SELECT * FROM ({union}) AS u WHERE pg_backend_pid() > 0)"

    def install(self, cursor):
        vectors, titles = self.VECTORS, self.TITLES
        cursor.execute(
            f"""CREATE TABLE IF NOT EXISTS {vectors} (
                document_id bigint PRIMARY KEY,
                language varchar(10) NOT NULL,
                visible_from timestamp with time zone NOT NULL,
                title_vector tsvector NOT NULL,
                search_vector tsvector NOT NULL)"""
        )
        cursor.execute(
            f"""CREATE TABLE IF NOT EXISTS {titles} (
                document_id bigint PRIMARY KEY,
                language varchar(10) NOT NULL,
                visible_from timestamp with time zone NOT NULL,
                title_vector tsvector NOT NULL)"""
        )
        # In the row (compressed if ever needed, out of line only as a last resort, a title of pages).
        cursor.execute(f"ALTER TABLE {titles} ALTER COLUMN title_vector SET STORAGE MAIN")
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {vectors}_search ON {vectors} USING gin (search_vector)")
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {vectors}_title ON {vectors} USING gin (title_vector)")
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {titles}_vector ON {titles} USING gin (title_vector)")
        # Narrow rows: any vector longer than a few dozen bytes is kept out of line, so counting the
        # matches reads ~1,000 pages at 20,000 articles rather than ~2,700 (the vectors are only read
        # for the page shown, and a query without phrases never rechecks them). PostgreSQL only moves
        # values out of a row longer than ~2 kB, whatever the target: the title vector, in this table
        # too, takes most rows past that, so most search vectors leave the row (without it, 4,400 rows
        # of 40,000 kept theirs, 1.8 kB each, and the table grew by 80%).
        cursor.execute(f"ALTER TABLE {vectors} SET (toast_tuple_target = 128)")
        # New entries wait in a GIN index's pending list, which every search reads from end to end
        # until it is merged (by autovacuum, or a full list): keep the list short.
        for index in (f"{vectors}_search", f"{vectors}_title", f"{titles}_vector"):
            cursor.execute(f"ALTER INDEX {index} SET (gin_pending_list_limit = 256)")
        cursor.execute(
            f"""CREATE OR REPLACE FUNCTION {vectors}_write() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                title tsvector;
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    DELETE FROM {vectors} WHERE document_id = OLD.id;
                    DELETE FROM {titles} WHERE document_id = OLD.id;
                    RETURN NULL;
                END IF;
                IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN
                    DELETE FROM {vectors} WHERE document_id = OLD.id;
                    DELETE FROM {titles} WHERE document_id = OLD.id;
                END IF;
                title := to_tsvector('simple'::regconfig, NEW.title_tokens);
                INSERT INTO {vectors} (document_id, language, visible_from, title_vector, search_vector)
                VALUES (
                    NEW.id, NEW.language, NEW.visible_from, title,
                    setweight(title, 'A') || setweight(to_tsvector('simple'::regconfig, NEW.body_tokens), 'B'))
                ON CONFLICT (document_id) DO UPDATE SET
                    language = EXCLUDED.language, visible_from = EXCLUDED.visible_from,
                    title_vector = EXCLUDED.title_vector, search_vector = EXCLUDED.search_vector;
                INSERT INTO {titles} (document_id, language, visible_from, title_vector)
                VALUES (NEW.id, NEW.language, NEW.visible_from, title)
                ON CONFLICT (document_id) DO UPDATE SET
                    language = EXCLUDED.language, visible_from = EXCLUDED.visible_from,
                    title_vector = EXCLUDED.title_vector;
                RETURN NULL;
            END $$"""
        )
        cursor.execute(
            f"""CREATE OR REPLACE FUNCTION {vectors}_empty() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                TRUNCATE {vectors}, {titles};
                RETURN NULL;
            END $$"""
        )
        cursor.execute(f"DROP TRIGGER IF EXISTS {vectors}_write ON {DOCUMENT_TABLE}")
        cursor.execute(
            f"CREATE TRIGGER {vectors}_write AFTER INSERT OR UPDATE OR DELETE ON {DOCUMENT_TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION {vectors}_write()"
        )
        cursor.execute(f"DROP TRIGGER IF EXISTS {vectors}_empty ON {DOCUMENT_TABLE}")
        cursor.execute(
            f"CREATE TRIGGER {vectors}_empty AFTER TRUNCATE ON {DOCUMENT_TABLE} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {vectors}_empty()"
        )

    def _values(self, table):
        """An INSERT writing `table`'s rows from the documents table, as the trigger writes them, one
        language after the other (see `rebuilt`); rows already there are kept."""
        title = "to_tsvector('simple'::regconfig, title_tokens)"
        columns, vectors = "title_vector", title
        if table == self.VECTORS:
            columns += ", search_vector"
            vectors += f", setweight({title}, 'A') || setweight(to_tsvector('simple'::regconfig, body_tokens), 'B')"
        return (
            f"INSERT INTO {table} (document_id, language, visible_from, {columns}) "
            f"SELECT id, language, visible_from, {vectors} FROM {DOCUMENT_TABLE} ORDER BY language, id "
            "ON CONFLICT (document_id) DO NOTHING"
        )

    def fill_titles(self, cursor):
        """Write the title vectors of the documents indexed before the titles had their own table
        (search.0009)."""
        cursor.execute(self._values(self.TITLES))

    def uninstall(self, cursor):
        vectors = self.VECTORS
        cursor.execute(f"DROP TRIGGER IF EXISTS {vectors}_write ON {DOCUMENT_TABLE}")
        cursor.execute(f"DROP TRIGGER IF EXISTS {vectors}_empty ON {DOCUMENT_TABLE}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {vectors}_write()")
        cursor.execute(f"DROP FUNCTION IF EXISTS {vectors}_empty()")
        cursor.execute(f"DROP TABLE IF EXISTS {vectors}")
        cursor.execute(f"DROP TABLE IF EXISTS {self.TITLES}")

    def reset(self, cursor):
        self.install(cursor)
        cursor.execute(f"DELETE FROM {DOCUMENT_TABLE}")
        cursor.execute(f"DELETE FROM {self.VECTORS}")
        cursor.execute(f"DELETE FROM {self.TITLES}")
        # The rebuild's documents are indexed all at once after they are written (`rebuilt`), not row
        # by row: the trigger comes back then, in the same transaction.
        cursor.execute(f"DROP TRIGGER IF EXISTS {self.VECTORS}_write ON {DOCUMENT_TABLE}")

    def rebuilt(self, cursor):
        """After a full rebuild: every document's vectors in one pass, one language after the other.
        A language's rows then share pages: at 20,000 articles a Chinese word's matches are read from
        ~490 of the table's ~1,020 pages rather than from all of them (written by the trigger, each
        page held both languages of the documents written together). The Chinese rows, written after
        the English ones, also fill the room English rows left in their pages (~290 of the 490: a row
        whose vectors stay in it takes 1.8 kB)."""
        for table in (self.VECTORS, self.TITLES):
            cursor.execute(self._values(table))
        self.install(cursor)  # the trigger again
        # Merge the GIN pending lists into the indexes now (searches read a pending list row by row:
        # 35-45 ms each at 20,000 articles before this).
        for index in (f"{self.VECTORS}_search", f"{self.VECTORS}_title", f"{self.TITLES}_vector"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        for table in (DOCUMENT_TABLE, self.VECTORS, self.TITLES):
            cursor.execute(f"ANALYZE {table}")

    @staticmethod
    def _phrase(phrasing):
        # A Chinese word's bigrams are asked for together (&), not in a row (<->): a phrase makes the
        # GIN index's answer lossy, so PostgreSQL reads and decompresses every matching row's vector to
        # check positions (220 ms for a common four-character word at 20,000 articles, 70 ms without).
        # Bigrams pin a word's characters: a page holding 金融, 融账 and 账户 holds 金融账户. English
        # phrases of the synonym table keep their order.
        joiner = " & " if phrasing.cjk else " <-> "
        return "(" + joiner.join(f"'{token}'" for token in phrasing.tokens) + ")"

    def all_of(self, terms):
        return " & ".join("(" + " | ".join(map(self._phrase, term.phrasings)) + ")" for term in terms)

    def any_of(self, terms):
        return " | ".join(self._phrase(phrasing) for term in terms for phrasing in term.phrasings)

    def both(self, expression, other):
        return f"({expression}) & ({other})"

    def but_not(self, expression, other):
        return f"({expression}) & !({other})"

    def matching(self, language, expression, now, exclude_ids=(), *, title=False, scored=True):
        # Ranking the title tier reads the titles kept in their rows; everything else, the narrow rows.
        table = self.TITLES if title and scored else self.VECTORS
        vector = "title_vector" if title else "search_vector"
        # A title is ranked over its length (normalisation 2), as BM25 does on SQLite: the short title that
        # is the question ("社保卡丢了怎么办？") comes before a long one that holds more of its synonyms.
        rank = f"-ts_rank(v.{vector}, q.query{', 2' if title else ''})" if scored else "0"
        return (
            f"SELECT v.document_id AS id, {rank} AS score "
            f"FROM {table} AS v, to_tsquery('simple', %s) AS q(query) "
            f"WHERE v.{vector} @@ q.query AND v.language = %s AND v.visible_from <= %s "
            "AND NOT (v.document_id = ANY(%s))",
            [expression, language, now, list(exclude_ids)],
        )

    def containing(self, language, expression, *, title=False):
        vector = "title_vector" if title else "search_vector"
        return (
            f"SELECT document_id FROM {self.VECTORS} WHERE language = %s AND {vector} @@ to_tsquery('simple', %s)",
            [language, expression],
        )

    def search_some(self, *, language, weighted, now, offset, limit, exclude_ids=(), keep_share=0.0, title_weight=0.0):
        """As Index.search_some, with the same results, order and counts: with several finding words, the
        summed query (Index._search_summed); with one, its matches split by the other words
        (`_search_one`), as long as there are few of them."""
        finders = [item for item in weighted if item.finds]
        others = [item for item in weighted if item.scored and not item.finds]
        arguments = {"language": language, "weighted": weighted, "now": now, "offset": offset, "limit": limit}
        arguments.update(exclude_ids=exclude_ids, keep_share=keep_share, title_weight=title_weight)
        if len(finders) == 1 and len(others) <= self.MAX_SPLIT:
            return self._search_one(**arguments)
        if len(finders) < 2:
            return super().search_some(**arguments)
        return self._search_summed(**arguments)

    def _search_one(self, *, language, weighted, now, offset, limit, exclude_ids, keep_share, title_weight):
        """search_some when one word finds: its matches split by which of the other scored words they
        hold (`a & b`, `a & !b`: GIN works that out from the words' entries), each part with its own
        weight, rather than every candidate looked up in each other word's matches (a common word's:
        at 20,000 articles, 'card' is on 15,000 English pages, 'lost' on 6,000). 2 ** len(others) parts."""
        (finder,) = [item for item in weighted if item.finds]
        others = [item for item in weighted if item.scored and not item.finds]
        parts, part_params = [], []
        found = self.all_of([finder.term])
        for mask in range(2 ** len(others)):
            expression, weight = found, _millionths(finder.weight) if finder.scored else 0
            for bit, item in enumerate(others):
                if mask >> bit & 1:
                    expression += " & " + self.all_of([item.term])
                    weight += _millionths(item.weight)
                else:
                    expression += " & !" + self.all_of([item.term])
            sql, params = self.matching(language, expression, now, exclude_ids, scored=False)
            parts.append(f"SELECT m.id, {weight} AS weight FROM ({sql}) AS m")
            part_params += params
        scores, score_params = ["c.weight"], []
        for item in (item for item in weighted if item.scored and title_weight):
            sql, params = self.containing(language, self.all_of([item.term]), title=True)
            scores.append(f"CASE WHEN c.id IN ({sql}) THEN {_millionths(float(item.weight) * title_weight)} ELSE 0 END")
            score_params += params
        in_title, in_title_params = self.containing(language, found, title=True)
        law, law_params = _law_ids()
        sql = f"""WITH scored AS MATERIALIZED (
                SELECT c.id, ({" + ".join(scores)}) AS weight,
                       CASE WHEN c.id IN ({law}) THEN 1 ELSE 0 END AS law,
                       CASE WHEN c.id IN ({in_title}) THEN 0 ELSE 1 END AS in_title
                FROM ({" UNION ALL ".join(parts)}) AS c)"""
        params = [*score_params, *law_params, *in_title_params, *part_params]
        return _kept_page(sql, params, keep_share=keep_share, limit=limit, offset=offset)


def index_for(conn=None):
    vendor = (conn or connection).vendor
    if vendor == "sqlite":
        return SqliteIndex()
    if vendor == "postgresql":
        return PostgresIndex()
    raise NotImplementedError(f"search has no index for the {vendor} database")
