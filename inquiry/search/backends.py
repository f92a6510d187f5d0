"""The full-text index itself, for each database: FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL.

Both index the same token columns of `Document` (see `text.py`) and answer the same question:
which visible documents of one language contain every term, title matches first, then by relevance.
Everything sent to the database is built from tokens (word characters only) and passed as parameters.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from .models import Document

DOCUMENT_TABLE = Document._meta.db_table


@dataclass(frozen=True)
class Hit:
    id: int
    kind: str
    object_id: int
    title: str
    body: str
    url: str
    in_title: bool


@dataclass(frozen=True)
class HitPage:
    total: int
    hits: list


def _hit_rows(cursor):
    # Tiers 0 and 1 are the title matches (answers', then law articles').
    return [Hit(*row[:6], in_title=row[6] in (0, 1)) for row in cursor.fetchall()]


def _not_visible_sql(now):
    """SQL and parameters for the ids of documents that are not visible yet (few: scheduled pages)."""
    return Document.objects.filter(visible_from__gt=now).values("id").query.sql_with_params()


# Kinds of page that state the law rather than answer a question: when answers and law articles both
# match, the answers come first (a law article's title still beats an answer that only mentions the
# words in its text).
LAW_KINDS = ("law",)


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


def _all_tokens(terms):
    return dict.fromkeys(token for term in terms for phrasing in term.phrasings for token in phrasing.tokens)


class SqliteIndex:
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
    def _expression(terms, relaxed):
        if relaxed:
            # Any token will do; BM25 (title counted ten times) puts pages with more, rarer ones first.
            return " OR ".join(f'"{token}"' for token in _all_tokens(terms))
        return " AND ".join(
            "(" + " OR ".join('"' + " ".join(phrasing.tokens) + '"' for phrasing in term.phrasings) + ")"
            for term in terms
        )

    def search(self, *, language, terms, now, offset, limit, exclude_ids=(), relaxed=False):
        full_table, title_table = self.tables(language)
        match = self._expression(terms, relaxed)
        hidden_sql, hidden_params = _not_visible_sql(now)
        visible = f"rowid NOT IN ({hidden_sql})"
        if exclude_ids:
            visible += " AND rowid NOT IN ({})".format(", ".join("%s" for _ in exclude_ids))
        visible_params = [*hidden_params, *exclude_ids]
        kinds = ", ".join("%s" for _ in LAW_KINDS)
        law_ids = f"SELECT id FROM {DOCUMENT_TABLE} WHERE kind IN ({kinds})"
        # Answers (every kind but law) and law articles, each counted in full and in titles.
        groups = (f"rowid NOT IN ({law_ids})", f"rowid IN ({law_ids})")
        with connection.cursor() as cursor:
            counts, params = [], []
            for group in groups:
                for table in (full_table, title_table):
                    counts.append(f"(SELECT count(*) FROM {table} WHERE {table} MATCH %s AND {visible} AND {group})")
                    params += [match, *visible_params, *LAW_KINDS]
            cursor.execute("SELECT " + ", ".join(counts), params)
            answers, answers_in_titles, laws, laws_in_titles = cursor.fetchone()
            total = answers + laws
            if relaxed:
                # With any word enough, ranking by BM25 alone serves better than tiers.
                answers_in_titles = laws_in_titles = 0
            if not total or offset >= total:
                return HitPage(total=total, hits=[])
            # Answers with the words in their title, law articles with them in theirs, then the other
            # answers and law articles, each ranked by BM25. Each segment is cut to what this page
            # needs before anything is joined, and a segment is only ranked when the page reaches into
            # it: a common word's first pages rank its (fewer, shorter) title matches only.
            segments = (
                (groups[0], True, answers_in_titles),
                (groups[1], True, laws_in_titles),
                (groups[0], False, answers - answers_in_titles),
                (groups[1], False, laws - laws_in_titles),
            )
            parts, params = [], []
            for tier, segment_offset, segment_limit in _segments([size for *_x, size in segments], offset, limit):
                group, in_title, _size = segments[tier]
                titled = segments[tier - 2][2] if not in_title else 0  # this group's title matches
                if in_title:
                    parts.append(
                        f"""SELECT * FROM (SELECT rowid AS id, {tier} AS tier, bm25({title_table}) AS score
                        FROM {title_table} WHERE {title_table} MATCH %s AND {visible} AND {group}
                        ORDER BY score, id LIMIT %s OFFSET %s)"""
                    )
                    params += [match, *visible_params, *LAW_KINDS, segment_limit, segment_offset]
                    continue
                not_in_title, not_in_title_params = "", []
                if titled:
                    not_in_title = f"AND rowid NOT IN (SELECT rowid FROM {title_table} WHERE {title_table} MATCH %s)"
                    not_in_title_params = [match]
                parts.append(
                    f"""SELECT * FROM (SELECT rowid AS id, {tier} AS tier, bm25({full_table}, 10.0, 1.0) AS score
                    FROM {full_table} WHERE {full_table} MATCH %s AND {visible} AND {group} {not_in_title}
                    ORDER BY score, id LIMIT %s OFFSET %s)"""
                )
                params += [match, *visible_params, *LAW_KINDS, *not_in_title_params, segment_limit, segment_offset]
            cursor.execute(
                f"""SELECT d.id, d.kind, d.object_id, d.title, d.body, d.url, ranked.tier
                FROM ({" UNION ALL ".join(parts)}) AS ranked JOIN {DOCUMENT_TABLE} AS d ON d.id = ranked.id
                ORDER BY ranked.tier, ranked.score, ranked.id""",
                params,
            )
            return HitPage(total=total, hits=_hit_rows(cursor))


class PostgresIndex:
    """A narrow companion table of tsvectors (title and body together, title weighted A; and the title
    alone) with GIN indexes, written by triggers on the documents table, so a document row and its
    vectors change in the same transaction. Narrow rows keep counting and the title tier cheap: the
    long texts stay in the documents table, which is read only for the page shown."""

    vendor = "postgresql"
    VECTORS = "search_document_vector"

    def install(self, cursor):
        vectors = self.VECTORS
        cursor.execute(
            f"""CREATE TABLE IF NOT EXISTS {vectors} (
                document_id bigint PRIMARY KEY,
                language varchar(10) NOT NULL,
                visible_from timestamp with time zone NOT NULL,
                title_vector tsvector NOT NULL,
                search_vector tsvector NOT NULL)"""
        )
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {vectors}_search ON {vectors} USING gin (search_vector)")
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {vectors}_title ON {vectors} USING gin (title_vector)")
        cursor.execute(
            f"""CREATE OR REPLACE FUNCTION {vectors}_write() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    DELETE FROM {vectors} WHERE document_id = OLD.id;
                    RETURN NULL;
                END IF;
                IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN
                    DELETE FROM {vectors} WHERE document_id = OLD.id;
                END IF;
                INSERT INTO {vectors} (document_id, language, visible_from, title_vector, search_vector)
                VALUES (
                    NEW.id, NEW.language, NEW.visible_from,
                    to_tsvector('simple'::regconfig, NEW.title_tokens),
                    setweight(to_tsvector('simple'::regconfig, NEW.title_tokens), 'A')
                        || setweight(to_tsvector('simple'::regconfig, NEW.body_tokens), 'B'))
                ON CONFLICT (document_id) DO UPDATE SET
                    language = EXCLUDED.language, visible_from = EXCLUDED.visible_from,
                    title_vector = EXCLUDED.title_vector, search_vector = EXCLUDED.search_vector;
                RETURN NULL;
            END $$"""
        )
        cursor.execute(
            f"""CREATE OR REPLACE FUNCTION {vectors}_empty() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                TRUNCATE {vectors};
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

    def uninstall(self, cursor):
        vectors = self.VECTORS
        cursor.execute(f"DROP TRIGGER IF EXISTS {vectors}_write ON {DOCUMENT_TABLE}")
        cursor.execute(f"DROP TRIGGER IF EXISTS {vectors}_empty ON {DOCUMENT_TABLE}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {vectors}_write()")
        cursor.execute(f"DROP FUNCTION IF EXISTS {vectors}_empty()")
        cursor.execute(f"DROP TABLE IF EXISTS {vectors}")

    def reset(self, cursor):
        self.install(cursor)
        cursor.execute(f"DELETE FROM {DOCUMENT_TABLE}")
        cursor.execute(f"DELETE FROM {self.VECTORS}")

    def rebuilt(self, cursor):
        cursor.execute(f"ANALYZE {DOCUMENT_TABLE}")
        cursor.execute(f"ANALYZE {self.VECTORS}")

    @staticmethod
    def _expression(terms, relaxed):
        if relaxed:
            # Any token will do; ts_rank (title weighted) puts pages with more, rarer ones first.
            return " | ".join(f"'{token}'" for token in _all_tokens(terms))

        def phrase(phrasing):
            return "(" + " <-> ".join(f"'{token}'" for token in phrasing.tokens) + ")"

        return " & ".join("(" + " | ".join(map(phrase, term.phrasings)) + ")" for term in terms)

    def search(self, *, language, terms, now, offset, limit, exclude_ids=(), relaxed=False):
        query = self._expression(terms, relaxed)
        table = self.VECTORS
        visible = "v.language = %s AND v.visible_from <= %s AND NOT (v.document_id = ANY(%s))"
        visible_params = [language, now, list(exclude_ids)]
        law_ids = f"SELECT id FROM {DOCUMENT_TABLE} WHERE kind = ANY(%s)"
        groups = (f"v.document_id NOT IN ({law_ids})", f"v.document_id IN ({law_ids})")
        kinds = [list(LAW_KINDS)]
        with connection.cursor() as cursor:
            # One pass over the matches counts all four: whether each is a law article and whether its
            # (short) title matches too are checked row by row, instead of four index scans.
            cursor.execute(
                f"""SELECT count(*) FILTER (WHERE NOT m.law), count(*) FILTER (WHERE NOT m.law AND m.in_title),
                       count(*) FILTER (WHERE m.law), count(*) FILTER (WHERE m.law AND m.in_title)
                FROM (SELECT {groups[1]} AS law, v.title_vector @@ to_tsquery('simple', %s) AS in_title
                      FROM {table} AS v WHERE v.search_vector @@ to_tsquery('simple', %s) AND {visible}) AS m""",
                [*kinds, query, query, *visible_params],
            )
            answers, answers_in_titles, laws, laws_in_titles = cursor.fetchone()
            total = answers + laws
            if relaxed:
                answers_in_titles = laws_in_titles = 0
            if not total or offset >= total:
                return HitPage(total=total, hits=[])
            # As on SQLite: answers' titles, law articles' titles, then the rest of each, every segment
            # cut to what the page needs; the body segments (whose long vectors are costly to rank)
            # only when the page reaches them.
            segments = (
                (groups[0], True, answers_in_titles),
                (groups[1], True, laws_in_titles),
                (groups[0], False, answers - answers_in_titles),
                (groups[1], False, laws - laws_in_titles),
            )
            parts, params = [], []
            for tier, segment_offset, segment_limit in _segments([size for *_x, size in segments], offset, limit):
                group, in_title, _size = segments[tier]
                titled = segments[tier - 2][2] if not in_title else 0  # this group's title matches
                if in_title:
                    parts.append(
                        f"""(SELECT v.document_id AS id, {tier} AS tier,
                               ts_rank(v.title_vector, to_tsquery('simple', %s)) AS score
                        FROM {table} AS v WHERE v.title_vector @@ to_tsquery('simple', %s) AND {visible} AND {group}
                        ORDER BY score DESC, v.document_id LIMIT %s OFFSET %s)"""
                    )
                    params += [query, query, *visible_params, *kinds, segment_limit, segment_offset]
                    continue
                parts.append(
                    f"""(SELECT v.document_id AS id, {tier} AS tier,
                           ts_rank(v.search_vector, to_tsquery('simple', %s)) AS score
                    FROM {table} AS v WHERE v.search_vector @@ to_tsquery('simple', %s) AND {visible} AND {group}
                      AND NOT (%s AND v.title_vector @@ to_tsquery('simple', %s))
                    ORDER BY score DESC, v.document_id LIMIT %s OFFSET %s)"""
                )
                params += [query, query, *visible_params, *kinds, bool(titled), query, segment_limit, segment_offset]
            cursor.execute(
                f"""SELECT d.id, d.kind, d.object_id, d.title, d.body, d.url, ranked.tier
                FROM ({" UNION ALL ".join(parts)}) AS ranked JOIN {DOCUMENT_TABLE} AS d ON d.id = ranked.id
                ORDER BY ranked.tier, ranked.score DESC, ranked.id""",
                params,
            )
            return HitPage(total=total, hits=_hit_rows(cursor))


def index_for(conn=None):
    vendor = (conn or connection).vendor
    if vendor == "sqlite":
        return SqliteIndex()
    if vendor == "postgresql":
        return PostgresIndex()
    raise NotImplementedError(f"search has no index for the {vendor} database")
