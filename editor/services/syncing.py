"""Sync and story packages at the service seam: the workflow's rights on every change.

`sync_with(newsroom, location)` exchanges what changed with another store (the shared
desk, usually): see `editor.store.sync` for how. `check_incoming` is the rights check the
receiving side applies to every incoming revision and event, with the rules of
`editor.services.workflow` and the receiving side's roles, as if the change were made there:
a laptop cannot push an approval its user had no right to make, nor a save of a
submitted article by a reporter, nor a status changed by a save.

On a shared PostgreSQL desk reached with a person's own login, two more checks hold,
both below this layer: the store's sync refuses, article by article, rows in someone
else's name that the login would carry up (`editor.store.sync`, `foreign_rows`), and the
desk's receiver (`newsroom_sync_receive`, migration 0007) checks every row again as if
made there and refuses the whole sync (`SyncRefused`) when any would not be allowed, so
a client that skips these checks gains nothing.

Story packages (`.nrpkg`): a small SQLite store holding one article with its history,
events, comments, assets and the users they name. `send_story` writes one;
`import_story` syncs one into the newsroom's store (only into it: the package file is
never written), so importing twice is harmless, and a package from a newer schema is
refused with a clear message.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from editor.core import lineage
from editor.core.errors import NewsroomError, NotAStoreError, StoreError, StoreTooNewError
from editor.core.model import Role, Status
from editor.services.workflow import (
    TRANSITIONS,
    Action,
    Situation,
    decide,
    decide_delete,
    decide_edit,
    target_status,
)

if TYPE_CHECKING:
    from editor.services.newsroom import Newsroom
    from editor.store.store import Store
    from editor.store.sync import IncomingArticle, SyncReport

PACKAGE_SUFFIX = ".nrpkg"
#: The shared store `newsroom sync` uses when `--with` is not given.
DESK_ENV = "NEWSROOM_DESK"

_DESK = frozenset({Role.EDITOR, Role.ADMIN})
_TRANSITION_REASONS = frozenset(a.value for a in TRANSITIONS)
#: Revision reasons of transitions that keep the text (as `WorkflowRepository.text_writers`).
_NO_TEXT_REASONS = frozenset({"submit", "return", "approve", "publish", "spike", "reopen"})
_PUBLIC = frozenset({"published", "corrected"})


class SyncError(NewsroomError):
    """Sync or a package could not be used; the message says why and what to do."""


# -- the rights check -----------------------------------------------------------------


def _text_meta(meta: dict) -> dict:
    return {k: v for k, v in (meta or {}).items() if k != "status"}


def check_incoming(incoming: IncomingArticle) -> str | None:
    """Why the receiver refuses the incoming changes of one article (None: accepted)."""
    title = f"“{incoming.headline}”"
    revisions = incoming.revisions

    def role_of(user_id: str | None) -> Role:
        return Role(incoming.roles.get(user_id or "", "reporter"))

    def owner(user_id: str | None, role: Role) -> bool:
        created_by = incoming.created_by
        return created_by == user_id or (created_by is None and role in _DESK)

    def wrote_text(revision) -> bool:
        if revision.reason not in _NO_TEXT_REASONS or revision.parent_id not in revisions:
            return True
        body, meta = incoming.text(revision.id)
        parent_body, parent_meta = incoming.text(revision.parent_id)
        return (body, _text_meta(meta)) != (parent_body, _text_meta(parent_meta))

    def writers(head: str | None) -> list[str | None]:
        """As the store's `text_writers`: every parent back to the last approval."""
        return lineage.writers(lineage.since_approval(head, revisions), wrote_text)

    for revision_id in incoming.new_revisions:
        revision = revisions[revision_id]
        body, meta = incoming.text(revision_id)
        status = meta.get("status", "draft")
        role = role_of(revision.author_id)
        if revision.parent_id is None or revision.parent_id not in revisions:
            if status != Status.DRAFT.value:
                return f"{title} arrived created as {status}, not as a draft"
            continue
        parent_body, parent_meta = incoming.text(revision.parent_id)
        parent_status = parent_meta.get("status", "draft")
        if revision.second_parent_id:  # a merge made by a sync: no new status, no new text
            other_body, other_meta = incoming.text(revision.second_parent_id)
            parents = ((parent_body, parent_meta), (other_body, other_meta))
            allowed = {parent_status, other_meta.get("status"), Status.SUBMITTED.value}
            if status not in allowed:
                return f"a merge of {title} moved it to {status}"
            if status == Status.APPROVED.value or status in _PUBLIC:
                same = any(
                    m.get("status") == status and (b, _text_meta(m)) == (body, _text_meta(meta))
                    for b, m in parents
                )
                if not same:
                    return f"a merge of {title} kept it {status} with text nobody reviewed"
            continue
        same_text = (body, _text_meta(meta)) == (parent_body, _text_meta(parent_meta))
        who = "someone" if revision.author_id is None else "its author"
        if revision.reason in _TRANSITION_REASONS:
            action = Action(revision.reason)
            if target_status(action, Status(parent_status)) != Status(status):
                return f"{title}: a {action.value} cannot lead from {parent_status} to {status}"
            if not same_text and action is not Action.CORRECT:
                return f"{title}: a {action.value} changed the text (only a correction may)"
            found = writers(revision.parent_id)
            situation = Situation(
                role=role,
                status=Status(parent_status),
                is_owner=owner(revision.author_id, role),
                wrote_last_revision=bool(found) and found[0] == revision.author_id,
                wrote_text=revision.author_id in found,
                legal_hold=incoming.legal_hold,
                not_for_publication=incoming.not_for_publication,
                embargo_until=incoming.embargo_until,
                now=revision.created_at.replace(tzinfo=UTC),
            )
            decision = decide(action, situation)
            if not decision.allowed:
                return f"{title}: {who}'s {action.value} is refused here: {decision.reason}"
            continue
        if status != parent_status:
            return f"{title}: a {revision.reason} changed the status to {status}"
        if same_text:
            continue
        situation = Situation(
            role=role, status=Status(parent_status), is_owner=owner(revision.author_id, role)
        )
        decision = decide_edit(situation)
        if not decision.allowed:
            return f"{title}: {who}'s edit is refused here: {decision.reason}"
    for event in incoming.new_events:
        role = role_of(event.actor_id)
        if event.action in ("flags", "override") and role not in _DESK:
            what = "set flags" if event.action == "flags" else "submit for its author"
            return f"{title}: only an editor can {what}"
        if event.action in ("delete", "restore"):
            situation = Situation(
                role=role,
                status=Status(event.from_status or "draft"),
                is_owner=owner(event.actor_id, role),
            )
            decision = decide_delete(situation, restore=event.action == "restore")
            if not decision.allowed:
                return f"{title}: the {event.action} is refused here: {decision.reason}"
    return None


# -- sync -----------------------------------------------------------------------------


def desk_location(explicit: str | None = None) -> str:
    """The store to sync with: `--with`, else `$NEWSROOM_DESK`; a clear error without."""
    location = (explicit or os.environ.get(DESK_ENV, "")).strip()
    if not location:
        raise SyncError(
            f"Say which store to sync with: --with URL (or set {DESK_ENV} to the shared "
            "store's URL)."
        )
    return location


def _same_store(a: Store, location: str) -> bool:
    if a.path is not None and "://" not in location:
        return a.path == Path(location).expanduser().resolve()
    return a.location == location


def sync_with(
    newsroom: Newsroom, location: str, *, interrupt: Callable[[str], None] | None = None
) -> SyncReport:
    """Exchange what changed between the newsroom's store and the store at `location`.

    The other store is the authority on users and roles (it is the shared desk).
    """
    from editor.store.store import Store  # SQLAlchemy: imported when first used
    from editor.store.sync import sync_stores

    if _same_store(newsroom.store, location):
        raise SyncError("That is this store: sync with another one (the shared desk).")
    remote = Store.open(location)
    try:
        return sync_stores(
            newsroom.store, remote, checker=check_incoming, authority="remote", interrupt=interrupt
        )
    finally:
        remote.close()


# -- story packages -------------------------------------------------------------------


def send_story(newsroom: Newsroom, id_or_slug: str, path: str | Path) -> Path:
    """Write the article with its history, comments and assets to a `.nrpkg` file.

    The file appears whole or not at all (written beside it, then renamed).
    """
    from editor.store.store import Store  # SQLAlchemy: imported when first used
    from editor.store.sync import sync_stores

    article = newsroom.find_article(id_or_slug, include_deleted=True)
    target = Path(path).expanduser()
    if target.suffix != PACKAGE_SUFFIX:
        target = target.with_name(target.name + PACKAGE_SUFFIX)
    if target.is_dir():
        raise SyncError(f"{target} is a folder: name the package file to write.")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise SyncError(f"Cannot write {target}: the folder {folder} does not exist.")
    handle, scratch = tempfile.mkstemp(prefix=".sending-", suffix=PACKAGE_SUFFIX, dir=folder)
    os.close(handle)
    scratch_path = Path(scratch)
    scratch_path.unlink()
    try:
        package = Store.open(scratch_path)
        try:
            sync_stores(
                package,
                newsroom.store,
                authority="remote",
                articles={article.id},
                push=False,
                pull=True,
            )
        finally:
            package.close()
        _single_file(scratch_path)
        os.replace(scratch_path, target)
    except OSError as error:
        raise SyncError(f"Cannot write {target}: {error.strerror or error}.") from None
    finally:
        for leftover in (scratch_path, *_sidecars(scratch_path)):
            leftover.unlink(missing_ok=True)
    return target


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _single_file(path: Path) -> None:
    """Fold the write-ahead log into the file: a package is one file to email."""
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode = DELETE")
    finally:
        db.close()


def import_story(newsroom: Newsroom, path: str | Path) -> SyncReport:
    """Sync a `.nrpkg` package into the newsroom's store; the package is only read.

    Its changes are checked like any incoming sync (`check_incoming`); the newsroom's
    store is the authority on users and roles. Importing it again changes nothing.
    """
    from editor.store.store import Store  # SQLAlchemy: imported when first used
    from editor.store.sync import sync_stores

    source = Path(path).expanduser()
    if not source.is_file():
        raise SyncError(f"No story package at {source}.")
    with tempfile.TemporaryDirectory(prefix="newsroom-package-") as folder:
        copy = Path(folder) / "package.db"
        try:
            shutil.copyfile(source, copy)
        except OSError as error:
            raise SyncError(f"Cannot read {source}: {error.strerror or error}.") from None
        try:
            package = Store.open(copy)
        except StoreTooNewError:
            raise StoreTooNewError(
                f"{source.name} was written by a newer version of Newsroom Editor; update "
                "the app to import it. Nothing was imported."
            ) from None
        except NotAStoreError:
            raise NotAStoreError(
                f"{source.name} is not a story package (not a Newsroom store). Nothing was "
                "imported."
            ) from None
        except StoreError as error:
            raise StoreError(
                f"{source.name} cannot be read as a story package: "
                f"{str(error).replace(str(copy), source.name)}"
            ) from None
        try:
            return sync_stores(
                newsroom.store,
                package,
                checker=check_incoming,
                authority="local",
                push=False,
                pull=True,
            )
        finally:
            package.close()
