"""Reading a SQLite store with the sqlite3 module alone, for the command line's reading
verbs (`list`, `list --search`, `show`) and the window's first paint
(`editor.services.deferred_open`): no SQLAlchemy, nothing written, rows streamed.

Importing SQLAlchemy's ORM and the store's models costs more than half a second; these
verbs need neither. `DirectReader.open(path)` gives None whenever the full open
(`Store.open`) has something to do or to say first, and the caller takes that road:
a file that is missing or empty (it would be created), one that cannot be opened for
writing (refused as read-only), a full disk (read through another URL, with a
warning), a schema other than this version's newest (migrated, or refused as too new),
a store the checks below find damaged (refused, naming the latest good backup).

The checks keep issue 12's rule: nothing is written here at all (the connection is
`query_only`), and a store the full open would refuse as damaged is not read either. A
store up to `SYNC_CHECK_BYTES` gets `PRAGMA quick_check` first, as the full open gives
it; a bigger one the same fast look at its structure (a file cut short). The full open
then runs `quick_check` on a thread, only so that writes stop the moment it fails: a
reading command writes nothing, so it is not started here, and a damaged page met
while reading is reported as damage (`StoreError`, naming the latest good backup).
Nor is the day's first backup made here (`backup.automatic_backup`): a reading command
changes nothing, and the next command or window that opens the store fully makes it.

The listing is `Store.iter_articles`'s, in SQL: the same filters, the same order (newest
first, then id), the same ranking (headline matches first) and the same search syntax
and FTS5 matches (`editor.store.search_syntax`); a test holds the two equal.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from datetime import date
from itertools import islice
from json.encoder import encode_basestring_ascii
from pathlib import Path

from editor.core.errors import AmbiguousIdError, NotFoundError, StoreError
from editor.core.model import Article, ArticleQuery, ArticleSummary, Event, Role, Status, User
from editor.core.spelling import dictionary_order
from editor.store import search_syntax
from editor.store.direct_export_reads import DirectExportReads, DirectSettings
from editor.store.direct_export_reads import moment as _moment
from editor.store.schema_version import schema_revisions
from editor.store.sqlite_file import (
    FULL_DISK_BYTES,
    SYNC_CHECK_BYTES,
    Sidecars,
    cut_short,
    free_bytes,
)

#: How long a read waits for another program's lock (`opening.BUSY_TIMEOUT_MS`).
BUSY_TIMEOUT_S = 5.0

_SUMMARY = (
    "a.id, a.headline, a.slug, a.status, a.section, a.byline, a.word_count, a.updated_at, "
    "a.deleted_at IS NOT NULL"
)
_U = "a.updated_at"
#: A `list --json` item written by SQLite: `json.dumps(item, separators=(",", ":"))` of
#: the article's object, but for non-ASCII characters (`_escaped` escapes them after).
#: Its `updated_at` is `utc_isoformat` in SQL: NULL when the column is not the text
#: SQLAlchemy writes (`_json_item` writes that one in Python). One string a row costs
#: less than fetching the nine columns alone, and `json_object` escapes as `json.dumps`
#: does (a test holds them equal).
_JSON_ITEM = (
    f"iif(substr({_U}, 11, 1) = ' ' AND (length({_U}) = 19 "
    f"OR (length({_U}) = 26 AND substr({_U}, 20, 1) = '.')), json_object("
    "'id', a.id, 'headline', a.headline, 'slug', a.slug, 'status', a.status, "
    "'section', coalesce(a.section, ''), 'byline', a.byline, 'word_count', a.word_count, "
    f"'updated_at', substr({_U}, 1, 10) || 'T' || substr({_U}, 12, 8) "
    f"|| iif(length({_U}) = 19 OR substr({_U}, 21) = '000000', '', substr({_U}, 20)) "
    "|| '+00:00', 'deleted', json(iif(a.deleted_at IS NULL, 'false', 'true'))), NULL), a.id"
)
#: What `ensure_ascii` escapes beyond what `json_object` does: DEL and every character
#: beyond ASCII.
_NON_ASCII = re.compile(r"[^\x00-\x7e]+")
_NEWEST_FIRST = "a.updated_at DESC, a.id DESC"
#: The same order through an expression no index has: a few headline hits are fetched
#: and sorted, not found by walking the whole list (`Store._listing`).
_NEWEST_FIRST_UNINDEXED = "coalesce(a.updated_at, a.updated_at) DESC, a.id DESC"
_ARTICLE = (
    "SELECT a.id, a.headline, a.standfirst, a.slug, a.slug_locked, a.byline, a.section, "
    "a.tags, a.dateline, a.story_date, a.status, a.word_count, a.version, "
    "a.head_revision_id, a.created_at, a.updated_at, a.deleted_at, a.source_name, "
    "a.priority, a.embargo_until, a.legal_hold, a.not_for_publication, a.length_target, "
    "a.created_by, a.import_notes, a.source_hash, a.featured_asset_id, a.published_at, "
    "coalesce(r.body, '') FROM articles AS a LEFT JOIN revisions AS r "
    "ON r.id = a.head_revision_id WHERE a.id = ?"
)
_EVENTS = (
    "SELECT e.id, e.article_id, coalesce(u.name, ''), e.created_at, e.action, "
    "e.from_status, e.to_status, e.note, e.revision_id FROM events AS e "
    "LEFT JOIN users AS u ON u.id = e.actor_id WHERE e.article_id = ? ORDER BY e.created_at"
)


class DirectReader:
    """One SQLite store read through one `query_only` sqlite3 connection."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    @classmethod
    def open(cls, path: Path, *, any_thread: bool = False) -> DirectReader | None:
        """The store at `path` opened for these reads, or None: open it fully instead
        (see the module's docstring for when). With `any_thread` the connection may be
        used from other threads than this one (one at a time: the caller locks)."""
        try:
            size = path.stat().st_size
        except OSError:
            return None
        free = free_bytes(path)  # None: cannot tell, and the full open finds out
        if size == 0 or not path.is_file() or free is None or free < FULL_DISK_BYTES:
            return None
        sidecars = Sidecars.of(path)
        try:
            db = sqlite3.connect(
                f"{path.as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S,
                check_same_thread=not any_thread,
            )  # fmt: skip
        except sqlite3.Error:
            return None
        try:
            db.execute("PRAGMA query_only = 1")
            if _is_current(db) and _looks_sound(db, path, size):
                return cls(path, db)
        except sqlite3.Error:
            pass
        db.close()
        sidecars.restore()  # the full open looks again, at the folder as it was
        return None

    def close(self) -> None:
        self._db.close()

    @property
    def export_reads(self) -> DirectExportReads:
        """What `newsroom export` reads (`Store.export_reads`'s reads)."""
        return DirectExportReads(self._db, self._guarded)

    @property
    def settings(self) -> DirectSettings:
        """The site settings and managed sections (`Store.settings`'s reads)."""
        return DirectSettings(self._db, self._guarded)

    # -- the list -----------------------------------------------------------

    def iter_listing(self, query: ArticleQuery) -> Iterator[tuple[ArticleSummary, bool]]:
        """Every article `Store.iter_articles(query)` gives, in its order, each with
        whether it is deleted; read as it goes. Not for a desk view (`query.desk`) or
        another sort than the list's default: those take the full open."""
        for row in self.iter_listing_rows(query):
            yield _summary(row), bool(row[8])

    def iter_listing_rows(self, query: ArticleQuery) -> Iterator[tuple]:
        """`iter_listing` as the rows SQLite gives: id, headline, slug, status, section,
        byline, word_count, updated_at (the column's text: `utc_isoformat` reads it) and
        1 for a deleted article, else 0. For printing 100,000 rows at SQLite's pace."""
        for rows in self._listing_batches(query, _SUMMARY):
            yield from rows

    def iter_listing_json(self, query: ArticleQuery) -> Iterator[str]:
        """`iter_listing` as `list --json` prints it: each article as
        `json.dumps(summary, separators=(",", ":"))` writes it, on a line of its own, in
        runs of up to 500 lines (without the last line break). For printing 100,000 hits
        at SQLite's pace."""
        for rows in self._listing_batches(query, _JSON_ITEM):
            text = ",\n".join([item or self._json_item(id_) for item, id_ in rows])
            if not text.isascii() or "\x7f" in text:
                text = _NON_ASCII.sub(_escaped, text)
            yield text

    def _listing_batches(self, query: ArticleQuery, columns: str) -> Iterator[list[tuple]]:
        """The `columns` of `iter_listing`'s articles, 500 rows at a time."""
        if query.desk or query.sort_key != "updated_at" or not query.descending:
            raise ValueError("direct reads list newest first, without a desk view")
        for sql, params in self._listing(query, columns=columns):
            cursor = self._guarded(lambda s=sql, p=params: self._db.execute(s, p))
            while rows := self._guarded(lambda c=cursor: c.fetchmany(500)):
                yield rows

    def _json_item(self, article_id: str) -> str:
        """A `_JSON_ITEM` SQLite did not write (an `updated_at` of another form), in Python."""
        row = self._guarded(lambda: self._db.execute(
            f"SELECT {_SUMMARY} FROM articles AS a WHERE a.id = ?", (article_id,)
        ).fetchone())  # fmt: skip
        item = {
            "id": row[0],
            "headline": row[1],
            "slug": row[2],
            "status": row[3],
            "section": row[4] or "",
            "byline": row[5],
            "word_count": row[6],
            "updated_at": utc_isoformat(row[7]),
            "deleted": bool(row[8]),
        }
        return json.dumps(item, separators=(",", ":"), ensure_ascii=False)

    def listing_page(
        self, query: ArticleQuery, offset: int = 0, limit: int = 200
    ) -> list[ArticleSummary]:
        """One page of `iter_listing`, as `Store.list_articles(query, offset, limit)`."""
        rows = islice(self.iter_listing(query), offset, offset + limit)
        return [summary for summary, _deleted in rows]

    def count_listing(self, query: ArticleQuery) -> int:
        """How many articles `iter_listing(query)` gives (`Store.count_articles`)."""
        if query.desk:
            raise ValueError("direct reads count no desk view")
        return sum(
            self._guarded(lambda s=sql, p=params: self._db.execute(s, p).fetchone()[0])
            for sql, params in self._listing(query, count=True)
        )

    def _listing(
        self, query: ArticleQuery, *, count: bool = False, columns: str = _SUMMARY
    ) -> list[tuple[str, dict[str, object]]]:
        where = [] if query.include_deleted else ["a.deleted_at IS NULL"]
        params: dict[str, object] = {}
        if query.status is not None:
            where.append("a.status = :status")
            params["status"] = query.status.value
        terms = search_syntax.parse(query.search)
        select = f"SELECT {'count(*)' if count else columns} FROM articles AS a"
        if not terms:
            return [(_select(select, where, "" if count else _NEWEST_FIRST), params)]
        params["match"] = search_syntax.fts5_expression(terms)
        whole, headline = search_syntax.FTS5_TABLE, search_syntax.FTS5_HEADLINE_TABLE
        many = self._has_many_hits(whole, params["match"])
        many_in_headline = self._has_many_hits(headline, params["match"])
        in_headline = _hits_of(headline, many_in_headline)
        first_order = _NEWEST_FIRST if many_in_headline else _NEWEST_FIRST_UNINDEXED
        first = _select(select, [*where, in_headline], "" if count else first_order)
        elsewhere = [_hits_of(whole, many), f"NOT ({_hits_of(headline, False)})"]
        rest = _select(select, [*where, *elsewhere], "" if count else _NEWEST_FIRST)
        return [(first, params), (rest, params)]

    def _has_many_hits(self, table: str, expression: object) -> bool:
        sql = search_syntax.fts5_count_sql(table, limit=search_syntax.MANY_HITS)
        found = self._guarded(lambda: self._db.execute(sql, {"match": expression}).fetchone())
        return (found[0] or 0) >= search_syntax.MANY_HITS

    # -- people and articles ----------------------------------------------------

    def user_named(self, name: str) -> User | None:
        """The user called `name`, in any case, as `Store.get_user_by_name` finds them."""
        row = self._guarded(lambda: self._db.execute(
            "SELECT id, name, role FROM users WHERE lower(name) = ?", (name.strip().lower(),)
        ).fetchone())  # fmt: skip
        return User(id=row[0], name=row[1], role=Role(row[2])) if row else None

    def dictionary_words(self) -> list[str]:
        """The newsroom dictionary, as `DictionaryRepository.list_words` lists it."""
        rows = self._guarded(
            lambda: self._db.execute("SELECT word FROM dictionary_words").fetchall()
        )
        return dictionary_order(r[0] for r in rows)

    def find_article(self, id_or_slug: str) -> Article:
        """By id, by slug, or by a unique id prefix of six characters or more, as
        `Store.find_article` finds it (deleted articles are not found)."""
        key = id_or_slug.strip()
        live = "deleted_at IS NULL"

        def one(sql: str, *params: object) -> list[tuple]:
            return self._guarded(lambda: self._db.execute(sql, params).fetchall())

        found = one(f"SELECT id FROM articles WHERE {live} AND id = ?", key)
        found = found or one(f"SELECT id FROM articles WHERE {live} AND slug = ?", key)
        if not found and len(key) >= 6:
            # What `startswith` makes of it: LIKE with its wildcards escaped.
            pattern = key.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
            matches = one(
                f"SELECT id, headline FROM articles WHERE {live} AND id LIKE ? ESCAPE '/' "
                "ORDER BY id LIMIT 6",
                pattern,
            )
            if len(matches) > 1:
                shown = ", ".join(f"{i[:12]} “{h or 'Untitled'}”" for i, h in matches[:5])
                more = ", ..." if len(matches) > 5 else ""
                raise AmbiguousIdError(
                    f"'{key}' is the start of several articles' ids ({shown}{more}): "
                    "give more of the id.",
                    [i for i, _h in matches],
                )
            found = matches[:1]
        if not found:
            raise NotFoundError(f"No article with id or slug '{key}'.")
        rows = one(_ARTICLE, found[0][0])
        return _article(rows[0])

    def events(self, article_id: str) -> list[Event]:
        """The article's audit log, oldest first (`Store.list_events`)."""
        rows = self._guarded(lambda: self._db.execute(_EVENTS, (article_id,)).fetchall())
        return [
            Event(
                id=r[0], article_id=r[1], actor=r[2], created_at=_moment(r[3]), action=r[4],
                from_status=r[5], to_status=r[6], note=r[7] or "", revision_id=r[8],
            )
            for r in rows
        ]  # fmt: skip

    # -- errors a person can act on ---------------------------------------------

    def _guarded(self, read):
        try:
            return read()
        except sqlite3.Error as error:
            raise self._explain(error) from None

    def _explain(self, error: sqlite3.Error) -> StoreError:
        message = str(error)
        lowered = message.lower()
        if "locked" in lowered or "busy" in lowered:
            from editor.core.errors import StoreBusyError

            return StoreBusyError(
                f"The store {self.path} is locked by another program. Try again in a moment."
            )
        from editor.store import backup, integrity  # only now: they load SQLAlchemy

        undecodable = _UNDECODABLE.match(message)
        if undecodable:  # bytes that are not text: damage, unless the check finds none
            message = self._quick_check()
            if message == "ok":  # not the text itself in the message: it can be a body
                column = undecodable.group(1)
                plain = _COALESCED.fullmatch(column)
                return StoreError(
                    f"The store {self.path} holds text that is not UTF-8 (column "
                    f"{plain.group(1) if plain else column}), written there by another "
                    "program (Newsroom Editor writes only UTF-8); nothing was changed."
                )
        if undecodable or integrity.is_damage(message):
            result = integrity.CheckResult(self.path, False, [], 0.0, message)
            return integrity.damaged_error(self.path, result, backup.latest_good_backup)
        return StoreError(f"The store {self.path} cannot be used: {message}.")

    def _quick_check(self) -> str:
        """`PRAGMA quick_check`'s first finding on one line ("ok" when it finds none)."""
        try:
            rows = self._db.execute("PRAGMA quick_check(1)").fetchall()
        except sqlite3.Error as error:
            return str(error)
        lines = str(rows[0][0]).splitlines() if rows else ["ok"]
        return " ".join(line for line in lines if not line.startswith("*** in database"))


#: sqlite3's error for a text column whose bytes are not UTF-8 (the text follows).
_UNDECODABLE = re.compile(r"Could not decode to UTF-8 column '(.*?)' with text ", re.DOTALL)
#: A column as the reads name it, `coalesce(r.body, '')`: the person is told `body`.
_COALESCED = re.compile(r"coalesce\((?:\w+\.)?(\w+), ''\)")


def _select(select: str, where: list[str], order: str) -> str:
    """`select` with the `where` conditions and the `order` ("": none, for a count)."""
    sql = f"{select} WHERE {' AND '.join(where)}" if where else select
    return f"{sql} ORDER BY {order}" if order else sql


def _hits_of(table: str, many: bool) -> str:
    # `+ 0` when there are many hits: SQLite walks the list's order and tests each
    # article, rather than sorting every hit (`Fts5Index.matches`).
    rowid = "(a.search_rowid + 0)" if many else "a.search_rowid"
    return f"{rowid} IN ({search_syntax.fts5_hits_sql(table)})"


def _is_current(db: sqlite3.Connection) -> bool:
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "alembic_version" not in tables:
        return False
    row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    return row is not None and row[0] == schema_revisions()[0]


def _looks_sound(db: sqlite3.Connection, path: Path, size: int) -> bool:
    """What the full open's check (`integrity.check_store`) would pass before opening."""
    if size <= SYNC_CHECK_BYTES:
        rows = db.execute("PRAGMA quick_check(1)").fetchall()
        return [r[0] for r in rows] == ["ok"]
    return cut_short(db, path) is None


def utc_isoformat(value: str) -> str:
    """`isoformat()` of the aware datetime a DateTime column's text stands for.

    Read from the text itself when it is as SQLAlchemy writes it (`2026-03-11
    10:39:12.123456`, or without the fraction), four times faster than a datetime.
    """
    if value[10:11] == " " and (len(value) == 19 or (len(value) == 26 and value[19] == ".")):
        fraction = value[19:] if value[20:] != "000000" else ""
        return f"{value[:10]}T{value[11:19]}{fraction}+00:00"
    return _moment(value).isoformat()


def _escaped(match: re.Match) -> str:
    """A run of DEL and non-ASCII characters as `json.dumps` writes it (`ensure_ascii`)."""
    return encode_basestring_ascii(match.group())[1:-1]


def _summary(row: tuple) -> ArticleSummary:
    return ArticleSummary(
        id=row[0],
        headline=row[1],
        slug=row[2],
        status=Status(row[3]),
        section=row[4] or "",
        byline=row[5],
        word_count=row[6],
        updated_at=_moment(row[7]),
    )


def _article(r: tuple) -> Article:
    return Article(
        id=r[0], headline=r[1], standfirst=r[2], slug=r[3], slug_locked=bool(r[4]),
        byline=r[5], section=r[6], tags=list(json.loads(r[7]) or []) if r[7] else [],
        dateline=r[8], story_date=date.fromisoformat(r[9]) if r[9] else None,
        status=Status(r[10]), word_count=r[11], version=r[12], head_revision_id=r[13],
        created_at=_moment(r[14]), updated_at=_moment(r[15]), deleted_at=_moment(r[16]),
        source_name=r[17], priority=r[18], embargo_until=_moment(r[19]),
        legal_hold=bool(r[20]), not_for_publication=bool(r[21]), length_target=r[22],
        created_by=r[23], import_notes=list(json.loads(r[24]) or []) if r[24] else [],
        source_hash=r[25], featured_asset_id=r[26], published_at=_moment(r[27]), body=r[28],
    )  # fmt: skip
