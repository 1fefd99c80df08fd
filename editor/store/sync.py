"""Sync between two stores (any two SQLAlchemy URLs or files), both ways, and story packages.

How it works:

- Every row that travels has a UUID key, so "what changed since the last sync" is the
  difference of the two sides' key sets (revisions, events, comments, assets, users,
  dictionary words), plus the few columns that change in place (article state, comment
  resolution, asset captions). Running it twice changes nothing; a sync interrupted at
  any point is simply run again.
- Watermarks (`_Watermarks`, table `sync_peers` of migration 0007, in the store that
  runs the sync): per peer, a digest of each article on both sides as the last sync
  left them, and each side's change-mark watermark (migration 0010's `sync_changes`,
  kept by triggers). A full sync reads only the articles marked changed since the
  watermarks on either side (and those the last sync refused), then their rows and a few
  grouped counts; an article whose digests on both sides are still the recorded ones is
  not loaded or compared. A sync with nothing to do reads no article at all. They are
  hints only, never the truth: a digest that differs (or none) means the whole article
  is compared, and without watermarks (a first sync) every article's digests are.
- One transaction per side (on PostgreSQL REPEATABLE READ: one snapshot for every
  read). Both sides are written and flushed, then the remote commits, then the local
  one. A dropped connection before the remote commit leaves both sides as they were;
  one between the two commits leaves the remote complete and the local side as it was,
  and the next sync brings the local side level (nothing half-applied).
- Revisions travel as a DAG. A side that only moved ahead is fast-forwarded; when both
  moved, `editor.core.merge` merges the two heads against their best common ancestor
  into a merge revision with both parents. The merge is deterministic (its id, author,
  time and text follow from the two heads), so replicas that meet in any order agree.
- A workflow transition made on both sides resolves by `merge.merge_status`; an approval
  does not survive merged-in text (`merge.review_guard`: back to submitted); a published
  text is never changed by a sync (the other side's edits stay in the history and an
  event says so). When statuses met, a "merge" event records both sides' transitions
  with their notes.
- Rights: every incoming change of an article is handed to the `RightsChecker` given by
  the service layer (`editor.services.syncing`), which applies the workflow rules of
  `editor.services.workflow` as if the change were made on the receiving side, with the
  receiving side's roles. An article with a refused change is not synced at all (either
  way) and is reported.
- A shared PostgreSQL store reached with a person's own login (not the server's keys)
  receives through `newsroom_sync_receive` (migration 0007), which checks every row
  again in the database, as if that login made it there, and writes all or nothing
  (`SyncRefused`). Before that, `foreign_rows` refuses per article what such a
  receiver would: rows in someone else's name (a sync's own merges excepted).
- A merge revision carries only its parents' words (`merge_own_words`, the rule of
  migration 0009's receiver): every incoming merge, in anyone's name and into any
  store, is refused per article when a line or a detail of it is in neither parent.
- Users and roles: one side is the *authority* (the shared desk when syncing; the store
  importing a package). Users are united by id, or by name when the same person was
  created separately on both sides (their rows are mapped to the authority's id). Roles
  come from the authority; a user the authority does not know arrives there as a
  reporter, so a laptop cannot make itself an editor.
- Settings and sections travel in every full sync, the value set last winning per key,
  taken only from someone who may set it (`editor.store.sync_settings` says the rule).
  Dismissed findings do not travel.
- Row-only article fields (not kept in revisions) merge by rule: the flags follow the
  side with the latest "flags" event, deletion the side with the latest delete or
  restore, the first publication time is the earliest, the rest follow the side written
  last. Two articles that end up with one slug: the older keeps it, the other gets its
  id's first six characters appended, on both sides.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, Protocol

from sqlalchemy import delete, func, insert, or_, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from editor.core.errors import StoreError
from editor.core.merge import Side, has_conflicts, merge_article, merge_status, review_guard
from editor.core.model import METADATA_FIELDS
from editor.core.text import word_count
from editor.store import sync_settings
from editor.store.merge_words import merge_own_words
from editor.store.models import Base, SyncChangeRow, SyncPeerRow
from editor.store.rows import utc_now
from editor.store.search import pg_vector_texts

_T = Base.metadata.tables
ARTICLES, REVISIONS, EVENTS = _T["articles"], _T["revisions"], _T["events"]
COMMENTS, ASSETS, USERS, WORDS = _T["comments"], _T["assets"], _T["users"], _T["dictionary_words"]

#: Namespace of the ids a sync makes (merge revisions and their events): the same heads
#: give the same merge on every replica.
SYNC_NAMESPACE = uuid.UUID("6f1d7a52-8a59-4a39-9a43-3b0f1c3c9e27")

#: Columns that name a user, per table (mapped between the sides' user ids).
_USER_COLUMNS = {
    "articles": ("created_by",),
    "revisions": ("author_id",),
    "events": ("actor_id",),
    "comments": ("author_id", "resolved_by"),
    "assets": ("created_by",),
    "dictionary_words": ("added_by",),
    "settings": ("updated_by",),
    "sections": ("updated_by",),
}
#: Article columns a revision holds (the rest are "row-only").
_TEXT_COLUMNS = (*METADATA_FIELDS, "status")
#: Article columns that are never compared or copied as state.
_LOCAL_COLUMNS = ("id", "version", "search_rowid", "head_revision_id")
_FLAG_COLUMNS = ("legal_hold", "not_for_publication", "embargo_until")
_PUBLIC = frozenset({"published", "corrected"})
_REV_HEADER = ("id", "article_id", "parent_id", "second_parent_id", "author_id", "created_at")
_IN_CHUNK = 500
#: Past this many articles to look at, their history is read whole, not by id.
_DETAIL_IN_MAX = 2000
#: Migration 0007's watermarks: per peer store, the digests of each article on both
#: sides when the last sync left it equal (kept in the store that runs the sync).
PEERS = SyncPeerRow.__table__
#: Migration 0010's change marks, kept by triggers (`_Side.changed_since`).
CHANGES = SyncChangeRow.__table__
#: The keys of the rows of no article in `CHANGES`.
_LOOSE = frozenset({"~words", "~assets"})
#: The `PEERS` row that holds a peer's watermarks (no article has this id).
_MARKS = "~marks"


# -- what the rights checker sees ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    id: str
    parent_id: str | None
    second_parent_id: str | None
    author_id: str | None
    created_at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class EventInfo:
    id: str
    actor_id: str | None
    created_at: datetime
    action: str
    from_status: str | None
    to_status: str | None
    note: str


@dataclass(slots=True)
class IncomingArticle:
    """The changes to one article that a side is about to receive, for the rights check.

    `revisions` is the whole DAG of the article (both sides); `new_revisions` the ids the
    receiver lacks, parents first. `text(revision_id)` gives (body, metadata). `roles`
    are the receiver's roles by user id (after the authority's rule).
    """

    article_id: str
    headline: str
    receiver: str
    created_by: str | None
    legal_hold: bool
    not_for_publication: bool
    embargo_until: datetime | None
    revisions: dict[str, RevisionInfo]
    new_revisions: list[str]
    new_events: list[EventInfo]
    roles: dict[str, str]
    text: Callable[[str], tuple[str, dict]]


class RightsChecker(Protocol):
    def __call__(self, incoming: IncomingArticle) -> str | None:
        """Why the receiver refuses these changes, or None when it accepts them."""


def accept_all(incoming: IncomingArticle) -> str | None:
    return None


# -- the report ------------------------------------------------------------------------


@dataclass(slots=True)
class Conflict:
    article_id: str
    headline: str
    what: str


@dataclass(slots=True)
class SyncReport:
    finished_at: datetime
    #: Articles written on the remote side (sent up) and on the local side (brought down).
    up: list[str] = field(default_factory=list)
    down: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    refused: list[Conflict] = field(default_factory=list)
    #: Rows written on each side (every kind), to tell "nothing to do" from a sync.
    rows_up: int = 0
    rows_down: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.rows_up or self.rows_down)


class SyncInterrupted(StoreError):
    """The sync stopped part way (a dropped connection); no side kept half of it."""


class SyncRefused(StoreError):
    """The shared store's receiver refused the sync (a row its login could not make);
    nothing was synced on either side."""


# -- one side, loaded -----------------------------------------------------------------


class _Side:
    def __init__(self, name: str, store: Any, session: Session, authority: bool) -> None:
        self.name = name
        self.store = store
        self.db = store.db
        self.session = session
        self.authority = authority
        #: On a shared PostgreSQL store reached with a person's own login (not the
        #: server's keys): that person's user id (canonical once users are united). Such
        #: a side receives through `newsroom_sync_receive` (migration 0007), which takes
        #: only rows in that person's own name (and the merges a sync makes).
        self.login_user: str | None = None
        #: This side's user id -> the canonical (authority's) id, and back.
        self.to_canon: dict[str, str] = {}
        self.from_canon: dict[str, str] = {}
        self.users: dict[str, dict] = {}
        self.articles: dict[str, dict] = {}
        self.revs: dict[str, RevisionInfo] = {}
        self.rev_sessions: dict[str, str] = {}
        self.revs_by_article: dict[str, list[str]] = {}
        self.events: dict[str, tuple[str, str, datetime]] = {}  # id -> article, action, time
        self.comments: dict[str, dict] = {}
        self.assets: dict[str, dict] = {}
        self.words: dict[str, dict] = {}
        #: Articles not loaded whose slug a planned article wants (id -> row).
        self.slug_holders: dict[str, dict] = {}
        self._texts: dict[str, tuple[str, dict]] = {}
        # writes, applied by `_write`
        self.out_users: list[dict] = []
        self.out_roles: dict[str, str] = {}
        self.out_new_articles: list[dict] = []
        self.out_updated_articles: list[dict] = []
        self.out_revisions: list[dict] = []
        self.out_seal: list[str] = []
        self.out_events: list[dict] = []
        self.out_comments: list[dict] = []
        self.out_comment_updates: list[dict] = []
        self.out_assets: list[str] = []  # ids, read from the other side when written
        self.out_asset_updates: list[dict] = []
        self.out_words: list[dict] = []
        #: Settings and sections rows to write: (table, row, whether it is new here).
        self.out_settings: list[tuple[str, dict, bool]] = []
        #: What this side holds of them, by key ("settings": key, "sections": id).
        self.shared: dict[str, dict[str, dict]] = {}
        self.changed_articles: set[str] = set()

    # loading
    def load_users(self) -> None:
        for row in self.session.execute(select(USERS)).mappings():
            self.users[row["id"]] = dict(row)

    def canon(self, table: str, row: dict) -> dict:
        row = dict(row)
        for column in _USER_COLUMNS.get(table, ()):
            if row.get(column) is not None:
                row[column] = self.to_canon.get(row[column], row[column])
        return row

    def local(self, table: str, row: dict) -> dict:
        row = dict(row)
        for column in _USER_COLUMNS.get(table, ()):
            if row.get(column) is not None:
                row[column] = self.from_canon.get(row[column], row[column])
        return row

    def load(self, only: set[str] | None, detail: set[str] | None = None) -> None:
        """Load the articles (`only` those, or all) and the history of `detail` of them
        (default: all loaded); a full sync (`only` None) loads the loose rows too."""
        self.load_articles(only)
        self.load_details(only if detail is None else detail, loose=only is None)

    def load_slug_holders(self, slugs: set[str]) -> None:
        wanted = sorted(slugs)
        for start in range(0, len(wanted), _IN_CHUNK):
            statement = select(ARTICLES.c.id, ARTICLES.c.slug, ARTICLES.c.created_at).where(
                ARTICLES.c.slug.in_(wanted[start : start + _IN_CHUNK])
            )
            for row in self.session.execute(statement).mappings():
                if row["id"] not in self.articles:
                    self.slug_holders[row["id"]] = dict(row)

    def keeps_marks(self) -> bool:
        """Whether this store keeps change marks (migration 0010)."""
        if self.db.dialect == "postgresql":
            found = "SELECT to_regclass('sync_changes') IS NOT NULL"
        else:
            found = "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'sync_changes'"
        return bool(self.session.execute(text(found)).scalar())

    def watermark(self) -> int:
        """Every change with a mark below this one was seen by this sync (migration 0010
        says why): on PostgreSQL the snapshot's oldest running transaction, on SQLite
        (whose write lock the sync holds) the next mark, after this sync's own writes."""
        if self.db.dialect == "postgresql":
            found = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
        else:
            found = "SELECT coalesce(max(mark), 0) + 1 FROM sync_changes"
        return int(self.session.execute(text(found)).scalar())

    def changed_since(self, mark: int) -> set[str]:
        """The articles (and `~words`, `~assets`) with a change at or past `mark`."""
        statement = select(CHANGES.c.article_id).where(CHANGES.c.mark >= mark)
        return set(self.session.scalars(statement))

    def load_articles(self, only: set[str] | None) -> None:
        statement = select(ARTICLES)
        if only is not None:
            statement = statement.where(ARTICLES.c.id.in_(sorted(only)))
        for row in self.session.execute(statement).mappings():
            self.articles[row["id"]] = self.canon("articles", row)

    def load_details(self, ids: set[str] | None, *, loose: bool) -> None:
        if ids is not None and len(ids) > _DETAIL_IN_MAX:
            ids = None  # many: one read of everything beats a long IN list (plans use `ids`)

        def chosen(statement, column):
            return statement if ids is None else statement.where(column.in_(sorted(ids)))

        columns = [REVISIONS.c[n] for n in _REV_HEADER] + [
            REVISIONS.c.reason,
            REVISIONS.c.session_id,
        ]
        for row in self.session.execute(chosen(select(*columns), REVISIONS.c.article_id)):
            author = self.to_canon.get(row.author_id, row.author_id)
            self.revs[row.id] = RevisionInfo(
                row.id, row.parent_id, row.second_parent_id, author, row.created_at, row.reason
            )
            self.revs_by_article.setdefault(row.article_id, []).append(row.id)
            if row.session_id is not None:
                self.rev_sessions[row.id] = row.session_id
        statement = select(EVENTS.c.id, EVENTS.c.article_id, EVENTS.c.action, EVENTS.c.created_at)
        for row in self.session.execute(chosen(statement, EVENTS.c.article_id)):
            self.events[row.id] = (row.article_id, row.action, row.created_at)
        for row in self.session.execute(chosen(select(COMMENTS), COMMENTS.c.article_id)).mappings():
            self.comments[row["id"]] = self.canon("comments", row)
        asset_columns = [c for c in ASSETS.c if c.name != "data"]
        statement = select(*asset_columns)
        if ids is not None:
            chosen_ids = ASSETS.c.article_id.in_(sorted(ids))
            statement = statement.where(
                or_(chosen_ids, ASSETS.c.article_id.is_(None)) if loose else chosen_ids
            )
        for row in self.session.execute(statement).mappings():
            self.assets[row["id"]] = self.canon("assets", row)
        if loose:
            for row in self.session.execute(select(WORDS)).mappings():
                self.words[row["word"].lower()] = self.canon("dictionary_words", row)

    def fingerprints(self, ids: set[str] | None = None, *, fresh: bool = False) -> dict[str, str]:
        """A digest per article of all a sync compares on this side: its row, and how many
        revisions, events and comments (and resolutions) it has, and its images' words.
        Cheap next to `load_details`: counts, not rows. With `fresh`, the article rows
        are read again (after this side was written); else the loaded ones are used."""

        def chosen(statement, column):
            return statement if ids is None else statement.where(column.in_(sorted(ids)))

        if fresh:
            rows = {
                r["id"]: self.canon("articles", r)
                for r in self.session.execute(chosen(select(ARTICLES), ARTICLES.c.id)).mappings()
            }
        else:
            rows = {a: r for a, r in self.articles.items() if ids is None or a in ids}
        # The row's values in column order (one select, one order), bar the local rowid.
        parts: dict[str, list] = {
            aid: [repr(tuple(v for k, v in row.items() if k != "search_rowid"))]
            for aid, row in rows.items()
        }
        for table in (REVISIONS, EVENTS):
            statement = select(table.c.article_id, func.count()).group_by(table.c.article_id)
            for aid, count in self.session.execute(chosen(statement, table.c.article_id)):
                if aid in parts:
                    parts[aid].append((table.name, count))
        statement = select(
            COMMENTS.c.article_id,
            func.count(),
            func.count(COMMENTS.c.resolved_at),
            func.max(COMMENTS.c.resolved_at),
        ).group_by(COMMENTS.c.article_id)
        for aid, *counts in self.session.execute(chosen(statement, COMMENTS.c.article_id)):
            if aid in parts:
                parts[aid].append(("comments", *(repr(c) for c in counts)))
        statement = select(
            ASSETS.c.article_id, ASSETS.c.id, ASSETS.c.alt, ASSETS.c.caption, ASSETS.c.credit
        ).order_by(ASSETS.c.id)
        for aid, *words in self.session.execute(chosen(statement, ASSETS.c.article_id)):
            if aid in parts:
                parts[aid].append(("asset", *words))
        return {
            aid: hashlib.sha1(repr(part).encode(), usedforsecurity=False).hexdigest()
            for aid, part in parts.items()
        }

    def text(self, revision_id: str) -> tuple[str, dict]:
        if revision_id not in self._texts:
            self.fetch_texts([revision_id])
        return self._texts[revision_id]

    def fetch_texts(self, ids: Iterable[str]) -> None:
        wanted = [i for i in dict.fromkeys(ids) if i not in self._texts]
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start : start + _IN_CHUNK]
            statement = select(REVISIONS.c.id, REVISIONS.c.body, REVISIONS.c.metadata)
            for row in self.session.execute(statement.where(REVISIONS.c.id.in_(chunk))):
                self._texts[row.id] = (row.body or "", dict(row.metadata or {}))

    def latest(self, article_id: str, actions: tuple[str, ...]) -> datetime | None:
        times = [t for a, act, t in self._events_of(article_id) if act in actions]
        return max(times) if times else None

    def _events_of(self, article_id: str):
        if not hasattr(self, "_by_article"):
            self._by_article: dict[str, list] = {}
            for event_id, (aid, action, moment) in self.events.items():
                self._by_article.setdefault(aid, []).append((event_id, action, moment))
        return self._by_article.get(article_id, [])

    def event_ids(self, article_id: str) -> set[str]:
        return {e for e, _a, _t in self._events_of(article_id)}

    @property
    def rows_written(self) -> int:
        return (
            len(self.out_users)
            + len(self.out_roles)
            + len(self.out_new_articles)
            + len(self.out_updated_articles)
            + len(self.out_settings)
            + len(self.out_revisions)
            + len(self.out_events)
            + len(self.out_comments)
            + len(self.out_comment_updates)
            + len(self.out_assets)
            + len(self.out_asset_updates)
            + len(self.out_words)
        )


def _ancestors(revs: dict[str, RevisionInfo], head: str | None) -> set[str]:
    seen: set[str] = set()
    stack = [head] if head else []
    while stack:
        current = stack.pop()
        if current in seen or current not in revs:
            continue
        seen.add(current)
        info = revs[current]
        stack.extend(p for p in (info.parent_id, info.second_parent_id) if p)
    return seen


def _topological(revs: dict[str, RevisionInfo], ids: Iterable[str]) -> list[str]:
    wanted = set(ids)
    done: set[str] = set()
    order: list[str] = []
    for start in sorted(wanted, key=lambda i: (revs[i].created_at, i)):
        stack = [(start, False)]
        while stack:
            current, expanded = stack.pop()
            if current in done or current not in wanted:
                continue
            if expanded:
                done.add(current)
                order.append(current)
                continue
            stack.append((current, True))
            info = revs[current]
            stack.extend((p, False) for p in (info.second_parent_id, info.parent_id) if p)
    return order


def _stamp(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment else ""


# -- the sync -------------------------------------------------------------------------


class _Sync:
    def __init__(
        self,
        local: _Side,
        remote: _Side,
        checker: RightsChecker,
        articles: set[str] | None,
        push: bool,
        pull: bool,
    ) -> None:
        self.local, self.remote = local, remote
        self.checker = checker
        self.only = articles
        self.push, self.pull = push, pull
        self.report = SyncReport(finished_at=utc_now())
        self.authority = local if local.authority else remote
        self.other = remote if local.authority else local
        self.roles: dict[str, str] = {}
        #: The articles to plan (None: every loaded one); the others are unchanged on
        #: both sides since the last sync with this peer (`PEERS`).
        self.detail: set[str] | None = None
        #: Whether only some articles were loaded (their slugs are checked in the store).
        self.partial = articles is not None
        self.names: dict[str, str] = {}

    # users ---------------------------------------------------------------------
    def unite_users(self) -> None:
        authority, other = self.authority, self.other
        by_name = {u["name"].lower(): uid for uid, u in authority.users.items()}
        for uid, row in other.users.items():
            canon = uid if uid in authority.users else by_name.get(row["name"].lower(), uid)
            other.to_canon[uid] = canon
            other.from_canon[canon] = uid
        for uid, row in authority.users.items():
            self.roles[uid] = row["role"]
            self.names[uid] = row["name"]
        for uid, row in other.users.items():
            canon = other.to_canon[uid]
            self.names.setdefault(canon, row["name"])
            self.roles.setdefault(canon, "reporter")  # unknown to the authority
        for side in (authority, other):
            if side.login_user is not None:
                side.login_user = side.to_canon.get(side.login_user, side.login_user)

    def plan_users(self, wanted: set[str] | None) -> None:
        authority, other = self.authority, self.other
        known = set(other.to_canon.values())
        for uid, row in authority.users.items():
            if wanted is not None and uid not in wanted:
                continue
            if not self._receives(other):
                continue
            if uid not in known:
                other.out_users.append(dict(row))
            elif other.users[other.from_canon[uid]]["role"] != row["role"]:
                other.out_roles[other.from_canon[uid]] = row["role"]
        for uid, row in other.users.items():
            canon = other.to_canon[uid]
            if canon in authority.users or (wanted is not None and canon not in wanted):
                continue
            if authority.login_user is not None:
                continue  # people join a shared desk through its admin, never by a sync
            if self._receives(authority):
                authority.out_users.append({**row, "role": "reporter"})
                if row["role"] != "reporter" and self._receives(other):
                    other.out_roles[uid] = "reporter"  # what the authority will say

    def _receives(self, side: _Side) -> bool:
        return self.pull if side is self.local else self.push

    def _peer(self, side: _Side) -> _Side:
        return self.remote if side is self.local else self.local

    # articles -----------------------------------------------------------------
    def plan_articles(self) -> None:
        ids = sorted(set(self.local.articles) | set(self.remote.articles))
        if self.detail is not None:
            ids = [aid for aid in ids if aid in self.detail]
        revs = {**self.local.revs, **self.remote.revs}
        self.revs = revs
        # The texts the rights check and the merges read, in a few queries, not one each.
        for side in (self.local, self.remote):
            peer = self._peer(side)
            missing = [r for r in side.revs if r not in peer.revs]
            parents = {
                p
                for r in missing
                for p in (side.revs[r].parent_id, side.revs[r].second_parent_id)
                if p in side.revs
            }
            side.fetch_texts([*missing, *parents])
        finals: dict[str, dict] = {}
        for aid in ids:
            final = self.plan_article(aid)
            if final is not None:
                finals[aid] = final
        self.fix_slugs(finals)
        for aid, final in finals.items():
            for side in (self.local, self.remote):
                self.place(side, aid, final)

    def plan_article(self, aid: str) -> dict | None:
        local_row, remote_row = self.local.articles.get(aid), self.remote.articles.get(aid)
        rows = [r for r in (local_row, remote_row) if r is not None]
        headline = rows[0]["headline"] or "Untitled"
        extra_revisions: list[dict] = []
        extra_events: list[dict] = []
        if local_row is None or remote_row is None:
            final = dict(rows[0])
        else:
            final = self.resolve(aid, local_row, remote_row, extra_revisions, extra_events)
        # rights: each receiver checks what it is about to get
        for receiver in (self.local, self.remote):
            if not self._receives(receiver):
                continue
            sender = self._peer(receiver)
            new_revs = [r for r in sender.revs_by_article.get(aid, []) if r not in receiver.revs]
            new_events = sorted(sender.event_ids(aid) - receiver.event_ids(aid))
            reason = None
            if new_revs or new_events:
                reason = self.check(aid, headline, final, receiver, sender, new_revs, new_events)
            if not reason:
                reason = self.merge_words(new_revs)
            if not reason and receiver.login_user is not None:
                reason = self.foreign_rows(aid, receiver, sender, new_revs, new_events)
            if reason:
                self.report.refused.append(Conflict(aid, headline, reason))
                return None
        final["_extra_revisions"] = extra_revisions
        final["_extra_events"] = extra_events
        return final

    def check(self, aid, headline, final, receiver, sender, new_revs, new_events) -> str | None:
        texts = {}

        def text_of(revision_id: str) -> tuple[str, dict]:
            if revision_id not in texts:
                side = sender if revision_id in sender.revs else receiver
                texts[revision_id] = side.text(revision_id)
            return texts[revision_id]

        article_revs = {
            r: self.revs[r]
            for side in (self.local, self.remote)
            for r in side.revs_by_article.get(aid, [])
        }
        events = self._event_rows(sender, new_events)
        incoming = IncomingArticle(
            article_id=aid,
            headline=headline,
            receiver=receiver.name,
            created_by=final.get("created_by"),
            legal_hold=bool(final.get("legal_hold")),
            not_for_publication=bool(final.get("not_for_publication")),
            embargo_until=final.get("embargo_until"),
            revisions=article_revs,
            new_revisions=_topological(article_revs, new_revs),
            new_events=[
                EventInfo(
                    e["id"],
                    e["actor_id"],
                    e["created_at"],
                    e["action"],
                    e["from_status"],
                    e["to_status"],
                    e["note"],
                )
                for e in events
            ],
            roles=dict(self.roles),
            text=text_of,
        )
        return self.checker(incoming)

    def merge_words(self, new_revs: list[str]) -> str | None:
        """Why an incoming merge revision is refused: words neither parent has (0009)."""
        for rid in new_revs:
            info = self.revs[rid]
            if not info.second_parent_id or info.parent_id not in self.revs:
                continue
            if info.second_parent_id not in self.revs:
                continue
            sides = []
            for parent_id in (info.parent_id, info.second_parent_id):
                parent = self.revs[parent_id]
                body, meta = self._text(parent_id)
                sides.append(
                    Side(body, meta, self._name(parent.author_id), _stamp(parent.created_at))
                )
            said = merge_own_words(self._text(rid), *sides)
            if said is not None:
                return (
                    f"a merge in the name of {self._name(info.author_id)} says what neither "
                    f"of its parents says ({said[:80]})"
                )
        return None

    def foreign_rows(self, aid, receiver, sender, new_revs, new_events) -> str | None:
        """Why a receiver reached with a person's login refuses this article's rows: one
        in someone else's name (what `newsroom_sync_receive` refuses, said per article so
        the other articles still sync). A sync's own merges travel in their author's name.
        """
        me = receiver.login_user
        mine = self._name(me)

        def refused(user_id, what: str) -> str:
            who = self._name(user_id)
            return (
                f"{who}'s {what} cannot be sent under {mine}'s login: {who} syncs it with their own"
            )

        for rid in new_revs:
            info = self.revs[rid]
            parent = self.revs.get(info.parent_id or "")
            merge = (
                parent is not None
                and info.second_parent_id in new_revs
                and info.author_id == parent.author_id
            )
            if info.author_id != me and not merge:
                return refused(info.author_id, f"revision ({info.reason})")
        for event in self._event_rows(sender, new_events):
            if event["actor_id"] == me:
                continue
            merge = self.revs.get(event["revision_id"] or "")
            if not (
                event["action"] == "merge"
                and merge is not None
                and merge.second_parent_id is not None
                and merge.author_id == event["actor_id"]
            ):
                return refused(event["actor_id"], f"{event['action']} event")
        for comment in sender.comments.values():
            if comment["article_id"] != aid:
                continue
            held = receiver.comments.get(comment["id"])
            if held is None:
                if comment["author_id"] != me:
                    return refused(comment["author_id"], "comment")
                if comment["resolved_by"] not in (None, me):
                    return refused(comment["resolved_by"], "resolution of a comment")
                continue
            resolution = _resolution(held, comment)
            if resolution != (held["resolved_at"], held["resolved_by"]) and resolution[1] != me:
                return refused(resolution[1], "resolution of a comment")
        desk = self.roles.get(me or "") in ("editor", "admin")
        for asset in sender.assets.values():
            if asset["article_id"] != aid:
                continue
            held = receiver.assets.get(asset["id"])
            if held is None:
                if asset["created_by"] != me:
                    return refused(asset["created_by"], "image")
                continue
            words = ("alt", "caption", "credit")
            if all(held[w] == asset[w] for w in words) or desk or held["created_by"] == me:
                continue
            if self._asset_winner(aid, receiver, sender, held, asset) is asset:
                return refused(asset["created_by"], "image caption")
        return None

    def _event_rows(self, side: _Side, ids: list[str]) -> list[dict]:
        if not hasattr(side, "_event_cache"):
            side._event_cache = {}
        missing = [i for i in ids if i not in side._event_cache]
        for start in range(0, len(missing), _IN_CHUNK):
            chunk = missing[start : start + _IN_CHUNK]
            for row in side.session.execute(
                select(EVENTS).where(EVENTS.c.id.in_(chunk))
            ).mappings():
                side._event_cache[row["id"]] = side.canon("events", row)
        return sorted((side._event_cache[i] for i in ids), key=lambda e: (e["created_at"], e["id"]))

    def resolve(self, aid, local_row, remote_row, extra_revisions, extra_events) -> dict:
        """The article's state after the sync, merging when both sides moved."""
        revs = self.revs
        head_l, head_r = local_row["head_revision_id"], remote_row["head_revision_id"]
        final = self.merge_row_only(aid, local_row, remote_row)
        if head_l == head_r or head_r in _ancestors(revs, head_l):
            ahead = local_row
        elif head_l in _ancestors(revs, head_r):
            ahead = remote_row
        else:
            ahead = None
        if ahead is not None:
            for column in (*_TEXT_COLUMNS, "word_count", "head_revision_id", "slug_locked"):
                final[column] = ahead[column]
            return final
        merged = self.merge(aid, head_l, head_r, final, extra_events)
        extra_revisions.append(merged)
        meta = merged["metadata"]
        for column in _TEXT_COLUMNS:
            if column in meta:
                final[column] = meta[column]
        final["story_date"] = _as_date(meta.get("story_date"))
        final["word_count"] = word_count(merged["body"])
        final["head_revision_id"] = merged["id"]
        final["updated_at"] = max(final["updated_at"], merged["created_at"])
        return final

    def merge_row_only(self, aid: str, local_row: dict, remote_row: dict) -> dict:
        final = dict(self.authority.articles[aid])
        later = max(
            (local_row, remote_row),
            key=lambda r: (r["updated_at"], r is self.authority.articles[aid]),
        )
        for column, value in later.items():
            if column in _LOCAL_COLUMNS or column in _TEXT_COLUMNS:
                continue
            final[column] = value
        for columns, actions in (
            (_FLAG_COLUMNS, ("flags",)),
            (("deleted_at",), ("delete", "restore")),
        ):
            times = {
                id(side): side.latest(aid, actions) or datetime.min
                for side in (self.local, self.remote)
            }
            winner = local_row if times[id(self.local)] > times[id(self.remote)] else remote_row
            if times[id(self.local)] == times[id(self.remote)]:
                winner = self.authority.articles[aid]
            for column in columns:
                final[column] = winner[column]
        published = [r["published_at"] for r in (local_row, remote_row) if r["published_at"]]
        final["published_at"] = min(published) if published else None
        final["created_at"] = min(local_row["created_at"], remote_row["created_at"])
        final["updated_at"] = max(local_row["updated_at"], remote_row["updated_at"])
        return final

    def _text(self, revision_id: str) -> tuple[str, dict]:
        side = self.local if revision_id in self.local.revs else self.remote
        return side.text(revision_id)

    def merge(self, aid, head_l, head_r, final, extra_events) -> dict:
        revs = self.revs
        common = _ancestors(revs, head_l) & _ancestors(revs, head_r)
        base_id = max(common, key=lambda r: (revs[r].created_at, r)) if common else None
        first_id, second_id = sorted(
            (head_l, head_r), key=lambda r: (revs[r].created_at, r), reverse=True
        )
        first_rev, second_rev = revs[first_id], revs[second_id]
        base_body, base_meta = self._text(base_id) if base_id else ("", {})
        first_body, first_meta = self._text(first_id)
        second_body, second_meta = self._text(second_id)
        first = Side(
            first_body, first_meta, self._name(first_rev.author_id), _stamp(first_rev.created_at)
        )
        second = Side(
            second_body,
            second_meta,
            self._name(second_rev.author_id),
            _stamp(second_rev.created_at),
        )
        result = merge_article(base_body, base_meta, first, second)
        statuses = (first_meta.get("status"), second_meta.get("status"))
        status = merge_status(base_meta.get("status"), *statuses)
        merge_id = str(uuid.uuid5(SYNC_NAMESPACE, f"merge:{first_id}:{second_id}"))
        created = max(first_rev.created_at, second_rev.created_at) + timedelta(microseconds=1)
        headline = final.get("headline") or first_meta.get("headline") or "Untitled"
        notes: list[str] = []
        body, meta = result.body, result.meta
        if status in _PUBLIC:
            public_body, public_meta = (
                (first_body, first_meta) if statuses[0] == status else (second_body, second_meta)
            )
            other = second if statuses[0] == status else first
            if (body, meta) != (public_body, _without_status(public_meta)):
                notes.append(
                    f"{other.name}'s changes made while apart were not applied to the published "
                    f"text; they are kept in the history (revision {merge_id[:8]}'s other "
                    "parent): an editor can apply them with a correction."
                )
                self.report.conflicts.append(
                    Conflict(aid, headline, "changes to a published article kept in history")
                )
            body, meta = public_body, _without_status(public_meta)
        else:
            approved = [
                (b, m)
                for s, b, m in (
                    (statuses[0], first_body, first_meta),
                    (statuses[1], second_body, second_meta),
                )
                if s == "approved"
            ]
            reviewed = status == "approved" and any(
                (body, meta) == (b, _without_status(m)) for b, m in approved
            )
            guarded = review_guard(status, not reviewed)
            if guarded != status:
                notes.append(
                    "The approval did not cover text merged in from the other side: back "
                    "to submitted for review."
                )
                status = guarded
            if result.body_conflicts:
                self.report.conflicts.append(
                    Conflict(
                        aid,
                        headline,
                        f"{result.body_conflicts} passage"
                        f"{'s' if result.body_conflicts != 1 else ''} changed on both sides",
                    )
                )
            if result.field_conflicts:
                self.report.conflicts.append(
                    Conflict(
                        aid,
                        headline,
                        f"changed on both sides: {', '.join(result.field_conflicts)}",
                    )
                )
        moved_both = statuses[0] != statuses[1] and base_meta.get("status") not in statuses
        if moved_both:
            notes.insert(0, self._both_moved_note(aid, base_id, statuses, status))
        meta = {**meta, "status": status}
        merged = {
            "id": merge_id,
            "article_id": aid,
            "parent_id": first_id,
            "second_parent_id": second_id,
            "author_id": first_rev.author_id,
            "created_at": created,
            "reason": "merge",
            "session_id": None,
            "body": body,
            "metadata": meta,
        }
        if notes:
            extra_events.append(
                {
                    "id": str(uuid.uuid5(SYNC_NAMESPACE, f"merge-event:{merge_id}")),
                    "article_id": aid,
                    "actor_id": first_rev.author_id,
                    "created_at": created,
                    "action": "merge",
                    "from_status": statuses[0],
                    "to_status": status,
                    "note": " ".join(notes),
                    "revision_id": merge_id,
                }
            )
        self.report.merged.append(aid)
        return merged

    def _both_moved_note(self, aid, base_id, statuses, status) -> str:
        since = self.revs[base_id].created_at if base_id else datetime.min
        said: list[str] = []
        for side in (self.local, self.remote):
            ids = [e for e, _a, t in side._events_of(aid) if t > since]
            for event in self._event_rows(side, ids):
                if event["to_status"] and event["to_status"] != event["from_status"]:
                    who = self._name(event["actor_id"])
                    note = f" (“{event['note']}”)" if event["note"] else ""
                    said.append(f"{who}: {event['action']}{note}")
        said = list(dict.fromkeys(said))
        return (
            f"Moved on both sides while apart ({'; '.join(said) or ', '.join(statuses)}). "
            f"Kept: {status} (the status furthest from publication wins)."
        )

    def _name(self, user_id: str | None) -> str:
        return self.names.get(user_id or "", "") or "someone"

    def fix_slugs(self, finals: dict[str, dict]) -> None:
        """One slug, one article: the older keeps it, the others get their id's start.

        An article that does not travel (refused) keeps its slug where it is.
        """
        owners: dict[str, dict[str, tuple]] = {}
        if self.partial:  # the articles not loaded that hold one of these slugs
            slugs = {f["slug"] for f in finals.values()}
            for side in (self.local, self.remote):
                side.load_slug_holders(slugs)
        for side in (self.local, self.remote):
            for aid, row in [*side.articles.items(), *side.slug_holders.items()]:
                state = finals.get(aid, row)
                stays = aid not in finals
                owners.setdefault(state["slug"], {})[aid] = (not stays, state["created_at"], aid)
        for slug, keys in owners.items():
            if len(keys) < 2:
                continue
            for _travels, _created, aid in sorted(keys.values())[1:]:
                if aid in finals:
                    finals[aid]["slug"] = f"{slug}-{aid[:6]}"

    def place(self, side: _Side, aid: str, final: dict) -> None:
        """Plan what `side` must write to hold the article's final state."""
        if not self._receives(side):
            return
        peer = self._peer(side)
        current = side.articles.get(aid)
        wanted = {k: v for k, v in final.items() if not k.startswith("_")}
        extra_revisions = final["_extra_revisions"]
        missing = [r for r in peer.revs_by_article.get(aid, []) if r not in side.revs]
        if missing or extra_revisions:
            peer.fetch_texts(missing)
            for rid in _topological(self.revs, missing):
                info = self.revs[rid]
                body, meta = peer.text(rid)
                side.out_revisions.append(
                    {
                        "id": rid,
                        "article_id": aid,
                        "parent_id": info.parent_id,
                        "second_parent_id": info.second_parent_id,
                        "author_id": info.author_id,
                        "created_at": info.created_at,
                        "reason": info.reason,
                        "session_id": None,
                        "body": body,
                        "metadata": meta,
                    }
                )
                if rid in peer.rev_sessions:
                    peer.out_seal.append(rid)
            side.out_revisions.extend(dict(r) for r in extra_revisions)
        events = sorted(peer.event_ids(aid) - side.event_ids(aid))
        side.out_events.extend(self._event_rows(peer, events))
        side.out_events.extend(
            dict(e) for e in final["_extra_events"] if e["id"] not in side.events
        )
        if current is None:
            side.out_new_articles.append({**wanted, "version": 1})
            side.changed_articles.add(aid)
        else:
            changed = {
                k: v
                for k, v in wanted.items()
                if k not in ("id", "version", "search_rowid") and current.get(k) != v
            }
            if changed:
                side.out_updated_articles.append(
                    {"id": aid, "_version": current["version"], **changed}
                )
                side.changed_articles.add(aid)
        self.place_comments(side, peer, aid)
        self.place_assets(side, peer, aid)

    def place_comments(self, side: _Side, peer: _Side, aid: str) -> None:
        theirs = [c for c in peer.comments.values() if c["article_id"] == aid]
        for comment in sorted(theirs, key=lambda c: (c["parent_id"] is not None, c["created_at"])):
            mine = side.comments.get(comment["id"])
            if mine is None:
                side.out_comments.append(dict(comment))
                continue
            resolution = _resolution(mine, comment)
            if resolution != (mine["resolved_at"], mine["resolved_by"]):
                side.out_comment_updates.append(
                    {
                        "id": comment["id"],
                        "resolved_at": resolution[0],
                        "resolved_by": resolution[1],
                    }
                )

    def place_assets(self, side: _Side, peer: _Side, aid: str | None) -> None:
        theirs = [a for a in peer.assets.values() if a["article_id"] == aid]
        for asset in theirs:
            mine = side.assets.get(asset["id"])
            if mine is None:
                side.out_assets.append(asset["id"])
                continue
            words = ("alt", "caption", "credit")
            if all(mine[w] == asset[w] for w in words):
                continue
            # The words of the side whose article was written last (the authority on a tie).
            winner = self._asset_winner(aid, side, peer, mine, asset)
            if winner is asset:
                side.out_asset_updates.append({"id": asset["id"], **{w: asset[w] for w in words}})

    def _asset_winner(self, aid, side, peer, mine, theirs):
        def moment(s: _Side):
            row = s.articles.get(aid or "")
            return row["updated_at"] if row else datetime.min

        if moment(side) == moment(peer):
            return mine if side.authority else theirs
        return mine if moment(side) > moment(peer) else theirs

    def plan_loose(self) -> None:
        """Assets with no article, and the newsroom dictionary (a full sync only)."""
        for side in (self.local, self.remote):
            if not self._receives(side):
                continue
            peer = self._peer(side)
            me = side.login_user
            self.place_assets(side, peer, None)
            if me is not None:  # a person's login takes only what is in their name
                side.out_assets = [a for a in side.out_assets if peer.assets[a]["created_by"] == me]
                side.out_asset_updates = [
                    u
                    for u in side.out_asset_updates
                    if side.assets[u["id"]]["created_by"] == me
                    or self.roles.get(me) in ("editor", "admin")
                ]
            for word, row in peer.words.items():
                if word not in side.words and (me is None or row["added_by"] == me):
                    side.out_words.append(dict(row))


def _without_status(meta: dict) -> dict:
    return {k: v for k, v in meta.items() if k != "status"}


def _as_date(value):
    from datetime import date

    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _resolution(a: dict, b: dict) -> tuple:
    """Comment resolution: resolved wins over open; two resolutions, the later one."""
    found = [(c["resolved_at"], c["resolved_by"]) for c in (a, b) if c["resolved_at"]]
    if not found:
        return (None, None)
    return max(found, key=lambda r: (r[0], r[1] or ""))


# -- writing ---------------------------------------------------------------------------


def _write(side: _Side, peer: _Side) -> None:
    _write_rows(side, peer)
    sync_settings.write(side)


def _write_rows(side: _Side, peer: _Side) -> None:
    if side.login_user is not None:
        _write_through_receiver(side, peer)
        return
    session = side.session
    if side.out_users:
        session.execute(insert(USERS), side.out_users)
    for uid, role in side.out_roles.items():
        session.execute(update(USERS).where(USERS.c.id == uid).values(role=role))
    rowid = None
    if side.db.fts and side.out_new_articles:
        rowid = session.scalar(text("SELECT MAX(search_rowid) FROM articles")) or 0
    slug_moves = [a for a in side.out_updated_articles if "slug" in a]
    for row in slug_moves:  # out of the way first: the slugs may swap between articles
        session.execute(
            update(ARTICLES).where(ARTICLES.c.id == row["id"]).values(slug=f"~sync-{row['id']}")
        )
    for row in side.out_new_articles:
        values = side.local("articles", row)
        if rowid is not None:
            rowid += 1
            values["search_rowid"] = rowid
        else:
            values["search_rowid"] = None
        session.execute(insert(ARTICLES), [values])
    if side.out_revisions:
        rows = [side.local("revisions", r) for r in side.out_revisions]
        for start in range(0, len(rows), _IN_CHUNK):
            session.execute(insert(REVISIONS), rows[start : start + _IN_CHUNK])
    for row in side.out_updated_articles:
        values = side.local("articles", {k: v for k, v in row.items() if k != "_version"})
        values.pop("id")
        swapped = session.execute(
            update(ARTICLES)
            .where(ARTICLES.c.id == row["id"], ARTICLES.c.version == row["_version"])
            .values(version=row["_version"] + 1, **values)
        )
        if swapped.rowcount != 1:
            raise SyncInterrupted(
                f"An article in {side.db.name} changed while the sync ran; nothing was "
                "synced. Run the sync again."
            )
    _seal(side, peer)
    if side.out_events:
        session.execute(insert(EVENTS), [side.local("events", e) for e in side.out_events])
    if side.out_comments:
        session.execute(insert(COMMENTS), [side.local("comments", c) for c in side.out_comments])
    for row in side.out_comment_updates:
        values = side.local("comments", row)
        session.execute(
            update(COMMENTS)
            .where(COMMENTS.c.id == row["id"])
            .values(resolved_at=values["resolved_at"], resolved_by=values["resolved_by"])
        )
    for start in range(0, len(side.out_assets), 50):
        chunk = side.out_assets[start : start + 50]
        rows = peer.session.execute(select(ASSETS).where(ASSETS.c.id.in_(chunk))).mappings()
        session.execute(
            insert(ASSETS), [side.local("assets", peer.canon("assets", r)) for r in rows]
        )
    for row in side.out_asset_updates:
        asset_id = row["id"]
        session.execute(
            update(ASSETS)
            .where(ASSETS.c.id == asset_id)
            .values(**{k: v for k, v in row.items() if k != "id"})
        )
    existing = {r[0].lower() for r in session.execute(select(WORDS.c.word)) if side.out_words}
    words = [w for w in side.out_words if w["word"].lower() not in existing]
    if words:
        session.execute(insert(WORDS), [side.local("dictionary_words", w) for w in words])
    _reindex(side)


def _seal(side: _Side, peer: _Side) -> None:
    """A revision that left `peer` is never rewritten there by an autosave."""
    for start in range(0, len(peer.out_seal), _IN_CHUNK):
        chunk = peer.out_seal[start : start + _IN_CHUNK]
        peer.session.execute(
            update(REVISIONS).where(REVISIONS.c.id.in_(chunk)).values(session_id=None)
        )


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return "\\x" + bytes(value).hex()
    raise TypeError(f"cannot send {type(value).__name__} to the desk")


def _receiver_payload(side: _Side, peer: _Side) -> dict:
    """What `newsroom_sync_receive` takes: the rows `side` must write, in its user ids."""
    bodies = {r["id"]: r["body"] for r in side.out_revisions}

    def body_of(revision_id: str | None) -> str:
        if not revision_id:
            return ""
        if revision_id in bodies:
            return bodies[revision_id] or ""
        holder = side if revision_id in side.revs else peer
        return holder.text(revision_id)[0]

    finals: dict[str, dict] = {}
    for row in side.out_new_articles:
        finals[row["id"]] = dict(row)
    for row in side.out_updated_articles:
        finals[row["id"]] = {**side.articles[row["id"]], **row}
    index = []
    for aid, row in finals.items():
        texts = pg_vector_texts(
            row["headline"], row["standfirst"], row["byline"], row["tags"],
            body_of(row["head_revision_id"]),
        )  # fmt: skip
        index.append({"id": aid, **texts})
    assets = []
    for start in range(0, len(side.out_assets), 50):
        chunk = side.out_assets[start : start + 50]
        rows = peer.session.execute(select(ASSETS).where(ASSETS.c.id.in_(chunk))).mappings()
        assets += [side.local("assets", peer.canon("assets", r)) for r in rows]
    words = {w["word"].lower(): side.local("dictionary_words", w) for w in side.out_words}
    return {
        "users": side.out_users,
        "new_articles": [
            {**side.local("articles", r), "search_rowid": None} for r in side.out_new_articles
        ],
        "revisions": [side.local("revisions", r) for r in side.out_revisions],
        "updated_articles": [
            {
                **side.local("articles", {k: v for k, v in r.items() if k != "_version"}),
                "_version": r["_version"],
            }
            for r in side.out_updated_articles
        ],
        "events": [side.local("events", e) for e in side.out_events],
        "comments": [side.local("comments", c) for c in side.out_comments],
        "comment_updates": [side.local("comments", c) for c in side.out_comment_updates],
        "assets": assets,
        "asset_updates": side.out_asset_updates,
        "words": list(words.values()),
        "index": index,
    }


def _write_through_receiver(side: _Side, peer: _Side) -> None:
    """Hand what `side` must write to the shared store's receiver (migration 0007), which
    checks every row as if made there by the session's login and writes all or nothing."""
    if side.out_roles:
        raise SyncRefused(
            f"This sync would change people's roles in {side.db.name}, which only its admin "
            "does: nothing was synced."
        )
    payload = json.dumps(_receiver_payload(side, peer), default=_json_value)
    if side.rows_written:
        try:
            with side.session.begin_nested():
                side.session.execute(
                    text("SELECT newsroom_sync_receive(CAST(:payload AS jsonb))"),
                    {"payload": payload},
                )
        except DBAPIError as error:
            code = getattr(error.orig, "sqlstate", None)
            diag = getattr(error.orig, "diag", None)
            message = getattr(diag, "message_primary", None) or str(error.orig).splitlines()[0]
            if code == "42501":
                raise SyncRefused(message) from None
            raise
    _seal(side, peer)


def _reindex(side: _Side) -> None:
    """The search index of every article this side wrote (each engine's own way)."""
    session = side.session
    changed = sorted(side.changed_articles)
    for start in range(0, len(changed), _IN_CHUNK):
        chunk = changed[start : start + _IN_CHUNK]
        rows = session.execute(
            select(ARTICLES, REVISIONS.c.body.label("_body"))
            .outerjoin(REVISIONS, REVISIONS.c.id == ARTICLES.c.head_revision_id)
            .where(ARTICLES.c.id.in_(chunk))
        ).mappings()
        for row in list(rows):
            values = {k: v for k, v in row.items() if k != "_body"}
            side.db.index(session, SimpleNamespace(**values), row["_body"] or "")


# -- entry points ---------------------------------------------------------------------

Interrupt = Callable[[str], None]


def sync_stores(
    local: Any,
    remote: Any,
    *,
    checker: RightsChecker = accept_all,
    authority: str = "remote",
    articles: Iterable[str] | None = None,
    push: bool = True,
    pull: bool = True,
    interrupt: Interrupt | None = None,
) -> SyncReport:
    """Exchange what differs between two open `Store`s; see the module docstring.

    `authority` ("remote" or "local") says whose users and roles count. `articles`
    limits the sync to those articles (and the users their rows name). `push` / `pull`
    say which sides may be written (a package import only pulls). `interrupt(stage)` is
    called at each stage ("loaded", "planned", "remote-written", "local-written",
    "remote-committed"); what it raises aborts the sync there (tests drop the connection).
    """
    only = set(articles) if articles is not None else None
    stage = interrupt or (lambda _stage: None)
    local_session = Session(local.db.engine, expire_on_commit=False)
    remote_session = Session(remote.db.engine, expire_on_commit=False)
    try:
        with local.db.guard(), remote.db.guard(), _changed_meanwhile():
            for session, store in ((local_session, local), (remote_session, remote)):
                session.begin()
                if store.db.dialect == "sqlite":
                    # Take the write lock now: what is read stays what is written over.
                    session.execute(text("UPDATE articles SET version = version WHERE 1 = 0"))
                elif store.db.dialect == "postgresql":
                    # One snapshot for all the reads (and the watermarks taken after the
                    # writes): nothing committed meanwhile by others is taken as seen.
                    session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            ours = _Side("local", local, local_session, authority == "local")
            theirs = _Side("remote", remote, remote_session, authority != "local")
            for side in (ours, theirs):
                side.login_user = _login_user(side)
            job = _Sync(ours, theirs, checker, only, push, pull)
            ours.load_users()
            theirs.load_users()
            job.unite_users()
            marks = _Watermarks(ours, theirs) if only is None and push and pull else None
            loose = only is None
            if marks is not None and marks.usable:
                job.detail = marks.plan()
                job.partial = marks.marked
                loose = marks.loose
                ours.load_details(job.detail, loose=loose)
                theirs.load_details(job.detail, loose=loose)
            else:
                ours.load(only)
                theirs.load(only)
            stage("loaded")
            job.plan_articles()
            if only is None:
                if loose:
                    job.plan_loose()
                job.plan_users(None)
                for side in (ours, theirs):
                    sync_settings.load(side)
                sync_settings.plan(ours, theirs, job.roles, job._receives)
            else:
                job.plan_users(_named_users(ours, theirs))
            stage("planned")
            _write(theirs, ours)
            remote_session.flush()
            stage("remote-written")
            _write(ours, theirs)
            local_session.flush()
            if marks is not None and marks.usable:
                marks.record(job.detail, {c.article_id for c in job.report.refused})
                local_session.flush()
            stage("local-written")
            remote_session.commit()
            stage("remote-committed")
            local_session.commit()
            report = job.report
            report.up = sorted(theirs.changed_articles)
            report.down = sorted(ours.changed_articles)
            report.rows_up = theirs.rows_written
            report.rows_down = ours.rows_written
            report.finished_at = utc_now()
            return report
    finally:
        for session in (local_session, remote_session):
            session.rollback()
            session.close()


class _Watermarks:
    """Per-peer watermarks (`PEERS`, kept in the local store): a sync with little to do
    reads what changed, not the stores.

    For each article the last sync left equal on both sides, the digests of both sides'
    `fingerprints` then; and, in the row `_MARKS`, each side's change-mark watermark
    (migration 0010) and the articles that sync refused. The next sync looks only at the
    articles with a change mark at or past a watermark on either side, and the refused
    ones; of those, an article whose two digests are still the recorded ones is not
    loaded or compared. Without watermarks yet (a first sync, a store just upgraded) every
    article's digests are compared, as before 0010. Marks and digests are hints, never
    the truth: what they do not rule out is compared whole. Only a full two-way sync run
    by a local side it may write directly uses them (what it records it has made equal);
    they are written in the local transaction, after the remote side is written and
    before either commits, so a sync that does not finish records none.
    """

    def __init__(self, local: _Side, remote: _Side) -> None:
        self.local, self.remote = local, remote
        self.usable = local.login_user is None
        where = remote.store.path or remote.store.location
        self.peer = hashlib.sha256(str(where).encode()).hexdigest()[:40]
        self.marked = False
        #: Whether the loose rows (dictionary, pictures of no article) may differ.
        self.loose = True
        self.pending: set[str] = set()

    def _seen(self, ids: set[str] | None) -> dict[str, str]:
        where = PEERS.c.peer == self.peer
        if ids is None:
            return dict(
                self.local.session.execute(
                    select(PEERS.c.article_id, PEERS.c.fingerprint).where(where)
                ).all()
            )
        seen: dict[str, str] = {}
        wanted = sorted(ids | {_MARKS})
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start : start + _IN_CHUNK]
            statement = select(PEERS.c.article_id, PEERS.c.fingerprint).where(
                where, PEERS.c.article_id.in_(chunk)
            )
            seen.update(self.local.session.execute(statement).all())
        return seen

    def plan(self) -> set[str]:
        """Load the article rows a sync must look at; the articles it must compare."""
        self.marked = self.local.keeps_marks() and self.remote.keeps_marks()
        marks = self._seen(set()).get(_MARKS) if self.marked else None
        if marks is None:
            self.local.load_articles(None)
            self.remote.load_articles(None)
            return self.changed(None)
        kept = json.loads(marks)
        self.pending = set(kept["pending"])
        candidates = (
            self.local.changed_since(kept["local"])
            | self.remote.changed_since(kept["remote"])
            | self.pending
        )
        self.loose = bool(candidates & _LOOSE)
        candidates -= _LOOSE
        many = len(candidates) > _DETAIL_IN_MAX
        for side in (self.local, self.remote):
            side.load_articles(None if many else candidates)
        return self.changed(candidates)

    def changed(self, ids: set[str] | None) -> set[str]:
        """Of `ids` (None: all loaded), those not unchanged on both sides since the marks."""
        mine, theirs = self.local.fingerprints(ids), self.remote.fingerprints(ids)
        seen = self._seen(ids)
        every = set(mine) | set(theirs)
        return {
            aid
            for aid in (every if ids is None else every & ids)
            if aid not in mine or aid not in theirs or seen.get(aid) != f"{mine[aid]}:{theirs[aid]}"
        }

    def record(self, synced: set[str] | None, refused: set[str]) -> None:
        """Mark what this sync made equal (read back from both sides, in their
        transactions); forget the marks of refused articles, and keep them to look at
        next time; move the watermarks on."""
        session = self.local.session
        ids = synced if synced is not None else set(self.local.articles) | set(self.remote.articles)
        ids = ids - refused
        stale = sorted(ids | refused | ({_MARKS} if self.marked else set()))
        if ids:
            narrow = ids if len(ids) <= _DETAIL_IN_MAX else None
            mine = self.local.fingerprints(narrow, fresh=True)
            theirs = self.remote.fingerprints(narrow, fresh=True)
        for start in range(0, len(stale), _IN_CHUNK):
            chunk = stale[start : start + _IN_CHUNK]
            session.execute(
                delete(PEERS).where(PEERS.c.peer == self.peer, PEERS.c.article_id.in_(chunk))
            )
        rows = [
            {"peer": self.peer, "article_id": aid, "fingerprint": f"{mine[aid]}:{theirs[aid]}"}
            for aid in sorted(ids)
            if aid in mine and aid in theirs
        ]
        if self.marked:
            kept = {
                "local": self.local.watermark(),
                "remote": self.remote.watermark(),
                "pending": sorted((self.pending - ids) | refused),
            }
            rows.append({"peer": self.peer, "article_id": _MARKS, "fingerprint": json.dumps(kept)})
        for start in range(0, len(rows), _IN_CHUNK):
            session.execute(insert(PEERS), rows[start : start + _IN_CHUNK])


@contextmanager
def _changed_meanwhile() -> Iterator[None]:
    """PostgreSQL's refusal to write over a row changed since the sync's snapshot
    (SQLSTATE 40001) is a sync to run again, as a stale version is."""
    try:
        yield
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) == "40001":
            raise SyncInterrupted(
                "An article changed on the other side while the sync ran; nothing was "
                "synced. Run the sync again."
            ) from None
        raise


def _login_user(side: _Side) -> str | None:
    """The newsroom user of a shared store's session when it is a person's own login
    (writes then go through the receiver); None for SQLite and for the server's keys."""
    if side.db.dialect != "postgresql":
        return None
    row = side.session.execute(
        text(
            "SELECT session_user, newsroom_user_id(), newsroom_privileged(), "
            "to_regprocedure('newsroom_sync_receive(jsonb)') IS NOT NULL"
        )
    ).one()
    login, user_id, privileged, receiver = row
    if privileged:
        return None
    if user_id is None:
        raise SyncRefused(
            f"The database login {login} is not a user of {side.db.name}: ask its admin to "
            "add you (newsroom user add NAME --login LOGIN). Nothing was synced."
        )
    if not receiver:
        raise SyncRefused(f"{side.db.name} is too old to receive a sync: upgrade it first.")
    return user_id


def _named_users(*sides: _Side) -> set[str]:
    """The users the rows of a limited sync name (canonical ids)."""
    wanted: set[str | None] = set()
    for side in sides:
        wanted.update(row.get("created_by") for row in side.articles.values())
        wanted.update(r.author_id for r in side.revs.values())
        wanted.update(c["author_id"] for c in side.comments.values())
        wanted.update(c["resolved_by"] for c in side.comments.values())
        wanted.update(a["created_by"] for a in side.assets.values())
        ids = list(side.events)
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            for actor in side.session.scalars(
                select(EVENTS.c.actor_id).where(EVENTS.c.id.in_(chunk))
            ):
                wanted.add(side.to_canon.get(actor, actor))
    wanted.discard(None)
    return wanted  # type: ignore[return-value]


def conflicted_articles(store: Any) -> list[tuple[str, str]]:
    """(id, headline) of live articles whose body still holds a merge conflict block."""
    with store.db.read() as session:
        rows = session.execute(
            select(ARTICLES.c.id, ARTICLES.c.headline, REVISIONS.c.body)
            .join(REVISIONS, REVISIONS.c.id == ARTICLES.c.head_revision_id)
            .where(ARTICLES.c.deleted_at.is_(None), REVISIONS.c.body.like("%**CONFLICT %"))
        ).all()
    return [(r.id, r.headline) for r in rows if has_conflicts(r.body)]
