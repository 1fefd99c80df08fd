"""Full-text search: one query syntax, one ranking rule, one index per database engine.

The syntax (`parse`, in `editor.store.search_syntax`, which has no SQLAlchemy so the
command line's direct reads share it): prefix words, all of them (AND); double-quoted
phrases of whole words inside one field; everything else a separator.

The ranking rule: articles whose headline alone matches the whole query come first,
then the other hits; within each group the list's own order (newest first by default).

The indexes, behind one interface (`SearchIndex`) that the store uses:

- SQLite (`Fts5Index`): a contentless FTS5 table `articles_fts` keyed by
  `articles.search_rowid`. It keeps the index only, never a copy of the text: the text
  of an entry is the revision it was made from, recorded in `articles_fts_entries`
  (search_rowid -> revision id). Revisions are immutable (the one exception, an
  autosave that rewrites its own revision, calls `forget` first), so an entry is always
  removed with exactly the text it was indexed with, as FTS5 requires. A second small
  contentless table, `articles_fts_headline`, indexes the headlines for the ranking.
- PostgreSQL (`PostgresIndex`): a `tsvector` column `articles.search_vector` with a GIN
  index, written in the same transaction as the save: headline weight A, standfirst B,
  body C, byline and tags D; `articles.search_headline` holds the headline alone (GIN
  too) for the ranking; the 'simple' configuration (no stemming: names stay
  names), over text folded here the same way as the query (`fold`), so accents and case
  behave as on SQLite.
- Any other database (`LikeIndex`): case-insensitive substring matches, slow but right
  enough for the three articles of a test.
"""

from __future__ import annotations

import re

from sqlalchemy import (
    ColumnElement,
    Integer,
    TextualSelect,
    and_,
    bindparam,
    column,
    func,
    literal_column,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.orm import Session

from editor.store.models import ArticleRow, RevisionRow
from editor.store.search_syntax import (  # noqa: F401 - the syntax, as it always was here
    FTS5_HEADLINE_TABLE,
    FTS5_TABLE,
    MANY_HITS,
    SearchQuery,
    Term,
    fold,
    fts5_count_sql,
    fts5_expression,
    fts5_hits_sql,
    parse,
    words,
)

#: PostgreSQL refuses a tsvector over 1 MB; the indexed text of one field is cut here
#: (about 50,000 words; an article that long is found by its first 50,000 words).
_PG_FIELD_CHARS = 300_000
#: A query with at least this many hits is "many" (`SearchIndex.has_many_hits`).
_MANY_HITS = MANY_HITS


class SearchIndex:
    """What the store asks of a full-text index; one subclass per engine."""

    def index(self, session: Session, row: ArticleRow, body: str) -> None:
        """Bring the article's entry up to date with its row and head revision."""

    def index_new(self, session: Session, rows: list[tuple[ArticleRow, str]]) -> None:
        """Index articles created in this session (flushed, no entry yet), all at once."""
        for row, body in rows:
            self.index(session, row, body)

    def forget(self, session: Session, row: ArticleRow) -> None:
        """Drop the article's entry before its indexed revision is rewritten in place."""

    def matches(self, query: SearchQuery, *, many: bool = False) -> ColumnElement[bool]:
        """Articles where the whole query matches (headline, standfirst, byline, tags, body).

        `many`: the query matches many articles (`has_many_hits`), so the database should
        walk the list's order and test each article rather than sort every hit.
        """
        raise NotImplementedError

    def has_many_hits(self, session: Session, query: SearchQuery, headline: bool = False) -> bool:
        """Whether the query matches more articles (in their headline) than a page is
        worth sorting."""
        return False

    def headline_matches(self, query: SearchQuery, *, many: bool = False) -> ColumnElement[bool]:
        """Articles whose headline alone matches the whole query (they rank first)."""
        raise NotImplementedError


# -- SQLite ------------------------------------------------------------------

#: The text of one FTS5 entry, read from the revision it is made from (`:revision`).
#: Inserting and deleting an entry both read it here, so a delete always hands FTS5
#: exactly the text the entry was made from. Changing these expressions needs a
#: migration that rebuilds the index (`fts5_rebuild`).
FTS5_ENTRY_COLUMNS = (
    "coalesce(json_extract(r.metadata, '$.headline'), ''), "
    "coalesce(json_extract(r.metadata, '$.standfirst'), ''), "
    "r.body, "
    "coalesce(json_extract(r.metadata, '$.byline'), '') || ' ' || "
    "coalesce((SELECT group_concat(t.value, ' ') FROM "
    "(SELECT value FROM json_each(r.metadata, '$.tags') ORDER BY key) AS t), '')"
)
#: The indexed fields; a phrase matches inside one of them. "credits" is the byline and
#: the tags, one after the other (as PostgreSQL's weight D holds them).
FTS5_COLUMNS = "headline, standfirst, body, credits"
#: The headline alone, for the ranking rule: a small index that answers "which hits
#: have it in the headline" without reading the body's position lists.
FTS5_HEADLINE_COLUMN = "coalesce(json_extract(r.metadata, '$.headline'), '')"
FTS5_CREATE = (
    f"CREATE VIRTUAL TABLE articles_fts USING fts5({FTS5_COLUMNS}, content='', "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE articles_fts_headline USING fts5(headline, content='', "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TABLE articles_fts_entries (rowid INTEGER PRIMARY KEY, revision_id TEXT NOT NULL)",
)
#: Each index and the text of its entry, read from the revision `r`.
_FTS5_TABLES = (
    (FTS5_TABLE, FTS5_COLUMNS, FTS5_ENTRY_COLUMNS),
    (FTS5_HEADLINE_TABLE, "headline", FTS5_HEADLINE_COLUMN),
)


def fts5_rebuild(connection) -> None:
    """Index every article's head revision afresh (a migration, a benchmark's bulk load).

    Articles without a `search_rowid` (written by a version that did not number them)
    are numbered first.
    """
    # Numbered in Python: one UPDATE counting the rows still unnumbered gave two the same
    # number (the count shrinks as the statement numbers them).
    top = connection.exec_driver_sql("SELECT coalesce(max(search_rowid), 0) FROM articles")
    first = top.scalar() + 1
    unnumbered = connection.exec_driver_sql(
        "SELECT id FROM articles WHERE search_rowid IS NULL ORDER BY id"
    ).all()
    if unnumbered:
        connection.exec_driver_sql(
            "UPDATE articles SET search_rowid = ? WHERE id = ?",
            [(first + n, row[0]) for n, row in enumerate(unnumbered)],
        )
    connection.exec_driver_sql("DELETE FROM articles_fts_entries")
    connection.exec_driver_sql(
        "INSERT INTO articles_fts_entries (rowid, revision_id) SELECT a.search_rowid, "
        "a.head_revision_id FROM articles AS a JOIN revisions AS r ON r.id = a.head_revision_id"
    )
    for table, columns, values in _FTS5_TABLES:
        connection.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('delete-all')")
        connection.exec_driver_sql(
            f"INSERT INTO {table} (rowid, {columns}) SELECT e.rowid, {values} "
            "FROM articles_fts_entries AS e JOIN revisions AS r ON r.id = e.revision_id"
        )


_ENTRY = text("SELECT revision_id FROM articles_fts_entries WHERE rowid = :rowid")


class Fts5Index(SearchIndex):
    """SQLite: a contentless FTS5 index over each article's head revision."""

    def index(self, session: Session, row: ArticleRow, body: str) -> None:
        if row.search_rowid is None:
            row.search_rowid = (session.scalar(select(func.max(ArticleRow.search_rowid))) or 0) + 1
            session.flush()
        params = {"rowid": row.search_rowid, "revision": row.head_revision_id}
        indexed = session.scalar(_ENTRY, params)
        if indexed is not None and indexed == row.head_revision_id:
            return  # that revision's text is indexed already (revisions do not change)
        if indexed is not None:
            self._delete(session, params)
        if row.head_revision_id is None:
            return
        for table, columns, values in _FTS5_TABLES:
            session.execute(
                text(
                    f"INSERT INTO {table} (rowid, {columns}) SELECT :rowid, {values} "
                    "FROM revisions AS r WHERE r.id = :revision"
                ),
                params,
            )
        session.execute(
            text(
                "INSERT INTO articles_fts_entries (rowid, revision_id) "
                "SELECT :rowid, id FROM revisions WHERE id = :revision"
            ),
            params,
        )

    def index_new(self, session: Session, rows: list[tuple[ArticleRow, str]]) -> None:
        """One statement per index for the whole batch (a bulk import's new articles)."""
        entries = [
            {"rowid": row.search_rowid, "revision": row.head_revision_id}
            for row, _body in rows
            if row.search_rowid is not None and row.head_revision_id is not None
        ]
        if len(entries) != len(rows):
            super().index_new(session, rows)
            return
        if not entries:
            return
        entry = "INSERT INTO articles_fts_entries (rowid, revision_id) VALUES (:rowid, :revision)"
        session.execute(text(entry), entries)
        rowids = [entry["rowid"] for entry in entries]
        for start in range(0, len(rowids), 500):
            chunk = {f"r{i}": rowid for i, rowid in enumerate(rowids[start : start + 500])}
            wanted = ", ".join(f":{name}" for name in chunk)
            for table, columns, values in _FTS5_TABLES:
                session.execute(
                    text(
                        f"INSERT INTO {table} (rowid, {columns}) SELECT e.rowid, {values} "
                        "FROM articles_fts_entries AS e JOIN revisions AS r "
                        f"ON r.id = e.revision_id WHERE e.rowid IN ({wanted})"
                    ),
                    chunk,
                )

    def forget(self, session: Session, row: ArticleRow) -> None:
        if row.search_rowid is not None:
            self._delete(session, {"rowid": row.search_rowid})

    @staticmethod
    def _delete(session: Session, params: dict) -> None:
        for table, columns, values in _FTS5_TABLES:
            session.execute(
                text(
                    f"INSERT INTO {table} ({table}, rowid, {columns}) "
                    f"SELECT 'delete', e.rowid, {values} FROM articles_fts_entries AS e "
                    "JOIN revisions AS r ON r.id = e.revision_id WHERE e.rowid = :rowid"
                ),
                params,
            )
        session.execute(text("DELETE FROM articles_fts_entries WHERE rowid = :rowid"), params)

    def matches(self, query: SearchQuery, *, many: bool = False) -> ColumnElement[bool]:
        hits = self._select(FTS5_TABLE, fts5_expression(query))
        if many:
            # `+ 0` keeps SQLite off the search_rowid index: it walks the sort index
            # instead, testing each article against the hits, and stops at the page's end
            # (otherwise it looks up every hit and sorts them all: seconds for a common word).
            return (ArticleRow.search_rowid + 0).in_(hits)
        return ArticleRow.search_rowid.in_(hits)

    def has_many_hits(self, session: Session, query: SearchQuery, headline: bool = False) -> bool:
        table = FTS5_HEADLINE_TABLE if headline else FTS5_TABLE
        count = text(fts5_count_sql(table, limit=_MANY_HITS))
        found = session.scalar(count, {"match": fts5_expression(query)})
        return (found or 0) >= _MANY_HITS

    def headline_matches(self, query: SearchQuery, *, many: bool = False) -> ColumnElement[bool]:
        hits = self._select(FTS5_HEADLINE_TABLE, fts5_expression(query))
        if many:
            return (ArticleRow.search_rowid + 0).in_(hits)
        return ArticleRow.search_rowid.in_(hits)

    @staticmethod
    def _select(table: str, expression: str) -> TextualSelect:
        # A unique parameter: one statement may hold both tables' matches.
        return (
            text(fts5_hits_sql(table))
            .bindparams(bindparam("match", expression, unique=True))
            .columns(column("rowid", Integer))
        )


# -- PostgreSQL --------------------------------------------------------------

#: The article's `search_headline`: the headline alone, for the ranking rule.
PG_HEADLINE = "to_tsvector('simple', :headline)"
#: The article's `search_vector`, from four folded texts (`pg_vector_texts`).
PG_VECTOR = (
    "setweight(to_tsvector('simple', :headline), 'A') || "
    "setweight(to_tsvector('simple', :standfirst), 'B') || "
    "setweight(to_tsvector('simple', :body), 'C') || "
    "setweight(to_tsvector('simple', :credits), 'D')"
)

PG_UPDATE = (
    f"UPDATE articles SET search_vector = {PG_VECTOR}, search_headline = {PG_HEADLINE} "
    "WHERE id = :id"
)


def pg_vector_texts(
    headline: str, standfirst: str, byline: str, tags: list | None, body: str
) -> dict[str, str]:
    """The folded words of each weighted field, as `PG_VECTOR` takes them."""

    def joined(value: str) -> str:
        return " ".join(words(value or ""))[:_PG_FIELD_CHARS]

    return {
        "headline": joined(headline),
        "standfirst": joined(standfirst),
        "body": joined(body),
        "credits": joined(" ".join([byline or "", *(str(t) for t in tags or [])])),
    }


def tsquery_text(query: SearchQuery, fields: str = "ABCD") -> str:
    """The `to_tsquery` text of a parsed query: quoted folded words, `:*` prefixes,
    `<->` phrases inside one of `fields` (the weights of `search_vector`; "" for a vector
    of one field, `search_headline`). Never a syntax error: the words hold letters and
    digits only."""
    parts = []
    for term in query.terms:
        if term.phrase and len(term.words) > 1 and fields:
            # One phrase per weight: the fields follow each other in the vector, and a
            # phrase must not run from the end of one into the start of the next.
            per_field = (" <-> ".join(f"'{w}':{field}" for w in term.words) for field in fields)
            parts.append("(" + " | ".join(f"({p})" for p in per_field) + ")")
        elif term.phrase:
            parts.append("(" + " <-> ".join(f"'{w}'" for w in term.words) + ")")
        else:
            parts.append(f"'{term.words[0]}':*")
    return " & ".join(parts)


class PostgresIndex(SearchIndex):
    """PostgreSQL: `articles.search_vector`, a weighted tsvector with a GIN index."""

    vector = literal_column("articles.search_vector")
    headline = literal_column("articles.search_headline")

    def index(self, session: Session, row: ArticleRow, body: str) -> None:
        texts = pg_vector_texts(row.headline, row.standfirst, row.byline, row.tags, body)
        session.execute(text(PG_UPDATE), {**texts, "id": row.id})

    def index_new(self, session: Session, rows: list[tuple[ArticleRow, str]]) -> None:
        params = [
            {**pg_vector_texts(row.headline, row.standfirst, row.byline, row.tags, body),
             "id": row.id}
            for row, body in rows
        ]  # fmt: skip
        if params:
            session.execute(text(PG_UPDATE), params)  # one executemany

    def matches(self, query: SearchQuery, *, many: bool = False) -> ColumnElement[bool]:
        return self.vector.op("@@")(func.to_tsquery("simple", tsquery_text(query)))

    def headline_matches(self, query: SearchQuery, *, many: bool = False) -> ColumnElement[bool]:
        return self.headline.op("@@")(func.to_tsquery("simple", tsquery_text(query, "")))


# -- anything else -----------------------------------------------------------


class LikeIndex(SearchIndex):
    """Other databases: substring matches over the fields and the head revision's body."""

    def matches(self, query: SearchQuery, *, many: bool = False) -> ColumnElement[bool]:
        conditions = []
        for term in query.terms:
            pattern = _like_pattern(term)
            bodies = select(RevisionRow.id).where(RevisionRow.body.ilike(pattern, escape="\\"))
            conditions.append(
                or_(
                    ArticleRow.headline.ilike(pattern, escape="\\"),
                    ArticleRow.standfirst.ilike(pattern, escape="\\"),
                    ArticleRow.byline.ilike(pattern, escape="\\"),
                    ArticleRow.head_revision_id.in_(bodies),
                )
            )
        return and_(true(), *conditions)

    def headline_matches(self, query: SearchQuery, *, many: bool = False) -> ColumnElement[bool]:
        return and_(
            true(),
            *(ArticleRow.headline.ilike(_like_pattern(t), escape="\\") for t in query.terms),
        )


def _like_pattern(term: Term) -> str:
    escaped = [re.sub(r"([\\%_])", r"\\\1", w) for w in term.words]
    return "%" + " ".join(escaped) + "%"


def search_index_for(dialect: str) -> SearchIndex:
    """The index of a database engine, by its dialect name."""
    if dialect == "sqlite":
        return Fts5Index()
    if dialect == "postgresql":
        return PostgresIndex()
    return LikeIndex()
