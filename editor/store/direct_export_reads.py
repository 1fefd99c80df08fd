"""The static-site export's reads of a SQLite store with the sqlite3 module alone.

`newsroom export` only reads the store, and re-exporting a 10,000-article site after one
change is mostly reading: loading SQLAlchemy's ORM and the models (0.35 s) and building
10,000 articles from ORM rows (0.4 s) cost more than the rendering. `DirectExportReads`
gives what `ExportReads` gives (`editor.store.export_reads`; a test holds the two equal)
and `DirectSettings` what `SettingsRepository` reads (the site settings and the managed
sections), over `DirectReader`'s `query_only` connection (`editor.store.direct_reads`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime

from editor.core.model import Article, Status
from editor.core.settings_model import Section

#: Ids per `IN (...)` list, as `export_reads.CHUNK`.
CHUNK = 500

_ARTICLES = (
    "SELECT id, headline, standfirst, slug, byline, section, tags, dateline, story_date, "
    "status, version, head_revision_id, word_count, created_at, updated_at, embargo_until, "
    "legal_hold, not_for_publication, featured_asset_id, published_at "
    "FROM articles WHERE deleted_at IS NULL"
)
_ASSETS = "id, media_type, sha256, alt, caption, credit, width, height"
_ASSET_KEYS = tuple(_ASSETS.split(", "))

Guard = Callable[[Callable[[], object]], object]


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _in(ids: Sequence[str]) -> str:
    return f"({', '.join('?' * len(ids))})"


def moment(value: str | None) -> datetime | None:
    """A DateTime column's text (naive UTC) as an aware datetime, as the ORM reads it."""
    return datetime.fromisoformat(value).replace(tzinfo=UTC) if value else None


class DirectExportReads:
    """`ExportReads`'s four reads on one sqlite3 connection; `guard` turns a
    `sqlite3.Error` into the store error a person can act on (`DirectReader._guarded`)."""

    def __init__(self, db: sqlite3.Connection, guard: Guard) -> None:
        self._db = db
        self._guard = guard

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self._guard(lambda: self._db.execute(sql, params).fetchall())

    def export_articles(self, status: str | None, ids: Sequence[str] | None) -> list[Article]:
        """Live articles (of `status`, or among `ids` when given), without their bodies."""
        sql, params = _ARTICLES, []
        if status is not None:
            sql, params = f"{sql} AND status = ?", [Status(status).value]
        if ids is None:
            return [_article(r) for r in self._rows(sql, params)]
        articles: list[Article] = []
        for chunk in _chunks(ids):
            rows = self._rows(f"{sql} AND id IN {_in(chunk)}", [*params, *chunk])
            articles.extend(_article(r) for r in rows)
        return articles

    def revision_bodies(self, revision_ids: Sequence[str]) -> dict[str, str]:
        """Body Markdown by revision id."""
        bodies: dict[str, str] = {}
        for chunk in _chunks(revision_ids):
            sql = f"SELECT id, coalesce(body, '') FROM revisions WHERE id IN {_in(chunk)}"
            bodies.update(self._rows(sql, chunk))
        return bodies

    def correction_notes(self, article_ids: Iterable[str]) -> list[tuple[str, datetime, str]]:
        """(article id, when, note) of the "correct" events of those articles, oldest first."""
        found: list[tuple[str, datetime, str]] = []
        for chunk in _chunks(sorted(set(article_ids))):
            sql = (
                "SELECT article_id, created_at, coalesce(note, '') FROM events "
                f"WHERE action = 'correct' AND article_id IN {_in(chunk)}"
            )
            found.extend((a, moment(when), note) for a, when, note in self._rows(sql, chunk))
        found.sort(key=lambda item: item[1])
        return found

    def asset_rows(self, asset_ids: Iterable[str] | None, *, with_data: bool) -> list[dict]:
        """Asset columns by row (all assets when `asset_ids` is None); bytes with `with_data`."""
        keys = (*_ASSET_KEYS, "data") if with_data else _ASSET_KEYS
        sql = f"SELECT {', '.join(keys)} FROM assets"
        if asset_ids is None:
            return [dict(zip(keys, r, strict=True)) for r in self._rows(sql)]
        rows: list[dict] = []
        for chunk in _chunks(sorted(set(asset_ids))):
            found = self._rows(f"{sql} WHERE id IN {_in(chunk)}", chunk)
            rows.extend(dict(zip(keys, r, strict=True)) for r in found)
        return rows


class DirectSettings:
    """The reads of `SettingsRepository` that the export makes: values and sections."""

    def __init__(self, db: sqlite3.Connection, guard: Guard) -> None:
        self._db = db
        self._guard = guard

    def values(self) -> dict[str, object]:
        """Every setting that has been set, by key (a JSON value each)."""
        rows = self._guard(lambda: self._db.execute("SELECT key, value FROM settings").fetchall())
        return {key: None if value is None else json.loads(value) for key, value in rows}

    def sections(self, *, include_retired: bool = True) -> list[Section]:
        """The managed list in menu order."""
        where = "" if include_retired else " WHERE NOT retired"
        sql = f"SELECT id, name, position, retired FROM sections{where} ORDER BY position, name_key"
        rows = self._guard(lambda: self._db.execute(sql).fetchall())
        return [Section(id=i, name=n, position=p, retired=bool(r)) for i, n, p, r in rows]


def _article(r: tuple) -> Article:
    return Article(
        id=r[0], headline=r[1] or "", standfirst=r[2] or "", slug=r[3] or "",
        byline=r[4] or "", section=r[5] or "", tags=list(json.loads(r[6]) or []) if r[6] else [],
        dateline=r[7] or "", story_date=date.fromisoformat(r[8]) if r[8] else None,
        status=Status(r[9]), version=r[10], head_revision_id=r[11], word_count=r[12] or 0,
        created_at=moment(r[13]), updated_at=moment(r[14]), embargo_until=moment(r[15]),
        legal_hold=bool(r[16]), not_for_publication=bool(r[17]), featured_asset_id=r[18],
        published_at=moment(r[19]),
    )  # fmt: skip
