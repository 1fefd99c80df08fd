"""Backups of a store: written with SQLite's online backup API, checked, rotated, restored.

Where: beside the store (the same folder), or in the folder `NEWSROOM_BACKUPS` names.
Each backup is one self-contained SQLite file named after the store and the time it was
made (UTC), so `newsroom.db` gets:

    newsroom.daily-20261202T041500.db            automatic, on the first open of a day
    newsroom.before-upgrade-0003_search-20261202T041500.db   automatic, before a migration
    newsroom.backup-20261202T041500.db           `newsroom backup` (never rotated away)
    newsroom.replaced-20261202T041500.db         the store a restore put aside

The automatic ones (daily, before-upgrade) are rotated: the newest `NEWSROOM_BACKUP_KEEP`
(default 7) are kept; 0 turns the daily backup off (a migration still makes its backup
and keeps it). Every backup is checked with `PRAGMA integrity_check` after it is
written; a copy that fails the check is deleted and the failure reported, so a file in
the list is a backup that was good when it was made.

`restore_backup` never overwrites the current store: it renames it (with its `-wal`
and `-shm` files) to `<stem>.replaced-<time><suffix>`, then copies the backup in its
place. A PostgreSQL store is backed up with `pg_dump` (custom format, checked with
`pg_restore --list`); it is restored by whoever runs the server, with `pg_restore`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from editor.core.errors import NotAStoreError, StoreBusyError, StoreError
from editor.store import integrity

log = logging.getLogger(__name__)

#: Automatic backups kept (daily and before-upgrade), unless `NEWSROOM_BACKUP_KEEP` says.
DEFAULT_KEEP = 7
KEEP_VARIABLE = "NEWSROOM_BACKUP_KEEP"
FOLDER_VARIABLE = "NEWSROOM_BACKUPS"
AUTOMATIC = ("daily", "before-upgrade")
_STAMP = "%Y%m%dT%H%M%S"
#: Pages copied per step of the online backup: all of them, in one read transaction
#: (WAL: writers go on meanwhile). In steps, every write by another connection between
#: two steps would restart the copy, and a window autosaving every few seconds could
#: keep a big store's backup from ever finishing.
_PAGES_PER_STEP = -1
#: Stores up to this size get their daily backup before they open; a bigger one (1.3 GB
#: of 100,000 articles takes ~25 s to copy and check) gets it from a process of its own.
SYNC_BACKUP_BYTES = 64 * 2**20


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where, when (UTC), how big, and why it was made."""

    path: Path
    made_at: datetime
    size: int
    kind: str  # daily | before-upgrade | backup | replaced | pg_dump
    revision: str | None = None

    @property
    def automatic(self) -> bool:
        return self.kind in AUTOMATIC

    @property
    def label(self) -> str:
        return {
            "daily": "daily",
            "before-upgrade": f"before upgrade from {self.revision}",
            "backup": "made by hand",
            "replaced": "store put aside by a restore",
            "pg_dump": "pg_dump",
        }.get(self.kind, self.kind)


@dataclass(frozen=True)
class RestoreReport:
    restored: Path
    backup: Path
    #: The store that was there, renamed (None when there was none).
    kept_aside: Path | None


def keep_count() -> int:
    """How many automatic backups to keep: `NEWSROOM_BACKUP_KEEP`, else 7."""
    value = os.environ.get(KEEP_VARIABLE, "").strip()
    if not value:
        return DEFAULT_KEEP
    try:
        return max(0, int(value))
    except ValueError:
        raise StoreError(
            f"{KEEP_VARIABLE} must be a whole number of backups to keep (not '{value}')."
        ) from None


def backup_folder(store_path: Path) -> Path:
    """Where the store's backups go: `NEWSROOM_BACKUPS`, else the store's own folder."""
    env = os.environ.get(FOLDER_VARIABLE, "").strip()
    return Path(env).expanduser() if env else store_path.parent


def _pattern(store_path: Path) -> re.Pattern[str]:
    stem, suffix = re.escape(store_path.stem), re.escape(store_path.suffix)
    return re.compile(
        rf"^{stem}\.(?P<kind>daily|backup|replaced|before-upgrade-(?P<rev>.+))"
        rf"-(?P<stamp>\d{{8}}T\d{{6}})(?:-(?P<count>\d+))?{suffix}$"
    )


def list_backups(store_path: Path) -> list[BackupInfo]:
    """The store's backups (and stores put aside by a restore), newest first."""
    folder = backup_folder(store_path)
    pattern = _pattern(store_path)
    found: list[BackupInfo] = []
    order: dict[Path, tuple[datetime, int, int]] = {}
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None or not entry.is_file():
            continue
        kind = match["kind"]
        revision = match["rev"]
        if revision is not None:
            kind = "before-upgrade"
        made = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
        stat = entry.stat()
        order[entry] = (made, stat.st_mtime_ns, int(match["count"] or 1))
        found.append(BackupInfo(entry, made, stat.st_size, kind, revision))
    # Within one second: the file written last first.
    found.sort(key=lambda b: order[b.path], reverse=True)
    return found


def latest_good_backup(store_path: Path) -> Path | None:
    """The newest backup that passes `quick_check` (stores put aside are not offered)."""
    for info in list_backups(store_path):
        if info.kind != "replaced" and integrity.quick_check(info.path).ok:
            return info.path
    return None


def new_backup_path(store_path: Path, kind: str, revision: str | None = None) -> Path:
    """A file name for a backup made now that no file has yet."""
    stamp = datetime.now(UTC).strftime(_STAMP)
    label = f"before-upgrade-{revision}" if kind == "before-upgrade" else kind
    folder = backup_folder(store_path)
    target = folder / f"{store_path.stem}.{label}-{stamp}{store_path.suffix}"
    count = 2
    while target.exists():
        target = folder / f"{store_path.stem}.{label}-{stamp}-{count}{store_path.suffix}"
        count += 1
    return target


def write_backup(source: sqlite3.Connection, target: Path) -> Path:
    """Copy the database of `source` to `target` with the online backup API, then check it.

    Written to a temporary file first and renamed when good: `target` is either a whole,
    checked backup or absent. The copy is one self-contained file (no `-wal`).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination, pages=_PAGES_PER_STEP)
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
    except (sqlite3.Error, OSError) as error:
        partial.unlink(missing_ok=True)
        if integrity.disk_is_full(target):
            raise StoreError(
                f"Cannot write the backup {target}: the disk is full. Nothing was changed."
            ) from None
        raise StoreError(f"Cannot write the backup {target}: {error}.") from None
    check = integrity.integrity_check(partial)
    if not check.ok:
        partial.unlink(missing_ok=True)
        raise StoreError(
            f"The backup written to {target} failed its check ({check.summary}), so it was "
            "deleted: the store itself is probably damaged."
        )
    os.replace(partial, target)
    return target


def backup_sqlite(store_path: Path, target: Path) -> Path:
    """Back up the SQLite store at `store_path` into `target` (a checked copy)."""
    if not store_path.is_file():
        raise StoreError(f"There is no store at {store_path} to back up.")
    try:
        source = sqlite3.connect(f"{store_path.as_uri()}?mode=rw", uri=True, timeout=5)
    except sqlite3.Error as error:
        raise StoreError(f"Cannot read the store {store_path}: {error}.") from None
    try:
        written = write_backup(source, target)
    finally:
        source.close()
    _copy_mode(store_path, written)
    return written


def make_backup(
    store_path: Path,
    kind: str = "backup",
    revision: str | None = None,
    source: sqlite3.Connection | None = None,
) -> BackupInfo:
    """Write a backup of the store into its backup folder; automatic ones are rotated.

    `source`: an open connection to copy from (the engine's, before a migration).
    """
    target = new_backup_path(store_path, kind, revision)
    if source is None:
        backup_sqlite(store_path, target)
    else:
        write_backup(source, target)
        _copy_mode(store_path, target)
    if kind in AUTOMATIC:
        rotate(store_path, keep=max(1, keep_count()), spare=target)
    stamp = datetime.now(UTC).replace(microsecond=0)
    return BackupInfo(target, stamp, target.stat().st_size, kind, revision)


def rotate(store_path: Path, keep: int | None = None, spare: Path | None = None) -> list[Path]:
    """Delete the oldest automatic backups beyond the newest `keep` (never `spare`, the one
    just made); the deleted files."""
    keep = keep_count() if keep is None else keep
    automatic = [b for b in list_backups(store_path) if b.automatic]
    automatic.sort(key=lambda b: b.path != spare)  # stable: the one just made counts first
    removed = []
    for info in automatic[keep:]:
        try:
            info.path.unlink()
            removed.append(info.path)
        except OSError as error:
            log.warning("could not remove the old backup %s: %s", info.path, error)
    return removed


def automatic_backup(
    store_path: Path, now: datetime | None = None, background: bool | None = None
) -> BackupInfo | subprocess.Popen | None:
    """The first open of a day backs the store up (unless `NEWSROOM_BACKUP_KEEP` is 0).

    A day is the local calendar day; any backup made that day counts. A store bigger
    than `SYNC_BACKUP_BYTES` is backed up by a process of its own (`background` forces
    it one way or the other), which is returned: it goes on when the command that opened
    the store has ended (a `newsroom list` lasts less than the copy of a big store, so a
    thread would die with it, and the next command would start the copy again), and it
    takes nothing from the window's own process. One such process a store at a time
    (a lock file beside the backups). A backup that cannot be written does not stop the
    store from opening: it is logged.
    """
    if keep_count() == 0 or not store_path.is_file() or store_path.stat().st_size == 0:
        return None
    if _made_today(store_path, now):
        return None
    if background is None:
        background = store_path.stat().st_size > SYNC_BACKUP_BYTES
    if not background:
        return _daily(store_path)
    if _lock_holder(store_path) is not None:
        return None  # another process is making it
    process = subprocess.Popen(
        [sys.executable, "-m", "editor.store.backup", "daily", str(store_path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # not stopped by the terminal's Ctrl+C of the command
    )
    # Reaped when it ends, so a long-lived window leaves no zombie behind.
    threading.Thread(target=process.wait, name="daily backup", daemon=True).start()
    return process


def _made_today(store_path: Path, now: datetime | None = None) -> bool:
    today = (now or datetime.now(UTC)).astimezone().date()
    return any(
        info.kind != "replaced" and info.made_at.astimezone().date() == today
        for info in list_backups(store_path)
    )


def _lock_path(store_path: Path) -> Path:
    return backup_folder(store_path) / f"{store_path.stem}.daily-backup.lock"


def _lock_holder(store_path: Path) -> int | None:
    """The process id making the store's daily backup now, or None (a stale lock goes)."""
    lock = _lock_path(store_path)
    try:
        pid = int(lock.read_text(encoding="ascii").strip() or 0)
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
        return pid
    except ProcessLookupError:
        with contextlib.suppress(OSError):
            lock.unlink()
        return None
    except PermissionError:
        return pid  # alive, someone else's


def make_daily_backup(store_path: Path) -> BackupInfo | None:
    """The daily backup, made by one process at a time (`python -m editor.store.backup`)."""
    lock = _lock_path(store_path)
    for _attempt in range(2):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            if _lock_holder(store_path) is not None:
                return None
        except OSError as error:
            log.warning("the daily backup of %s was not made: %s", store_path, error)
            return None
    else:
        return None
    try:
        os.write(handle, str(os.getpid()).encode("ascii"))
        os.close(handle)
        if _made_today(store_path):
            return None
        _remove_stale_partials(store_path)
        return _daily(store_path)
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()


def _daily(store_path: Path) -> BackupInfo | None:
    try:
        return make_backup(store_path, "daily")
    except StoreError as error:
        log.warning("the daily backup of %s was not made: %s", store_path, error)
        return None


def _remove_stale_partials(store_path: Path) -> None:
    """Partial copies (and their journals) a process that ended mid-backup left behind."""
    pattern = _pattern(store_path)
    folder = backup_folder(store_path)
    for ending in (".partial", ".partial-journal"):
        for partial in folder.glob(f"{store_path.stem}.*{ending}"):
            if pattern.match(partial.name.removesuffix(ending)):
                with contextlib.suppress(OSError):
                    partial.unlink()


def resolve_backup(store_path: Path, name: str | os.PathLike[str]) -> Path:
    """A backup named as a path, or by its file name in the store's backup folder."""
    given = Path(name).expanduser()
    if given.is_file():
        return given.resolve()
    in_folder = backup_folder(store_path) / given.name
    if given.name == str(name) and in_folder.is_file():
        return in_folder.resolve()
    raise StoreError(
        f"There is no backup {name}: `newsroom backups` lists the backups of {store_path}."
    )


def restore_backup(store_path: Path, backup: Path) -> RestoreReport:
    """Put the backup in the store's place; the current store is kept aside, renamed.

    Refused, changing nothing, when the backup is not a sound Newsroom store or when
    another program has the current store open.
    """
    backup = backup.resolve()
    if backup == store_path.resolve():
        raise StoreError(f"{backup} is the store itself, not a backup of it.")
    check = integrity.integrity_check(backup)
    if not check.ok:
        raise StoreError(
            f"The backup {backup} is damaged or not a SQLite file ({check.summary}); "
            "nothing was changed. Pick another one (`newsroom backups`)."
        )
    if not _is_newsroom_store(backup):
        raise NotAStoreError(f"{backup} is not a Newsroom store; nothing was changed.")
    kept: Path | None = None
    if store_path.exists():
        _settle_for_restore(store_path)
        kept = new_backup_path(store_path, "replaced")
        _move_with_sidecars(store_path, kept)
    try:
        source = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
        try:
            write_backup(source, store_path)
        finally:
            source.close()
    except BaseException:
        if kept is not None:
            _move_with_sidecars(kept, store_path)
        raise
    if kept is not None:
        _copy_mode(kept, store_path)
    integrity.forget_damage(store_path)
    return RestoreReport(restored=store_path, backup=backup, kept_aside=kept)


def _is_newsroom_store(path: Path) -> bool:
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return {"alembic_version", "articles", "revisions"} <= names


def _settle_for_restore(store_path: Path) -> None:
    """Make sure nobody else has the store open, and fold its `-wal` into the file.

    Leaving WAL mode needs the store to itself: SQLite refuses while another connection
    is open. A damaged store cannot be settled; it is moved aside as it is, with its
    `-wal` and `-shm` files.
    """
    try:
        db = sqlite3.connect(f"{store_path.as_uri()}?mode=rw", uri=True, timeout=1)
    except sqlite3.Error:
        return
    try:
        mode = db.execute("PRAGMA journal_mode = DELETE").fetchone()
        if mode and str(mode[0]).lower() == "wal":
            raise StoreBusyError(_in_use(store_path))
    except sqlite3.OperationalError as error:
        message = str(error).lower()
        if "locked" in message or "busy" in message:
            raise StoreBusyError(_in_use(store_path)) from None
    except sqlite3.DatabaseError:
        pass  # damaged: moved aside as it is
    finally:
        db.close()


def _in_use(store_path: Path) -> str:
    return (
        f"The store {store_path} is open in another program (a Newsroom window, a sync or "
        "a database tool): close it, then restore again. Nothing was changed."
    )


def _move_with_sidecars(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-journal", "-shm"):
        here = Path(f"{source}{suffix}")
        if here.exists():
            os.replace(here, Path(f"{target}{suffix}"))


def _copy_mode(source: Path, target: Path) -> None:
    with contextlib.suppress(OSError):
        shutil.copymode(source, target)


# -- PostgreSQL ---------------------------------------------------------------


def pg_dump_available() -> str | None:
    return shutil.which("pg_dump")


def backup_postgres(url: str, target: Path, password: str | None = None) -> Path:
    """`pg_dump --format=custom` of the store at `url` into `target`, checked after.

    The schema the URL's `options=-csearch_path=...` names is dumped (else the whole
    database). The password comes from `password`, else libpq's usual sources
    (PGPASSWORD, ~/.pgpass, a service file); it never appears on a command line.
    """
    dump = pg_dump_available()
    if dump is None:
        raise StoreError(
            "Cannot back up a PostgreSQL store without `pg_dump`, which is not on PATH: "
            "install the PostgreSQL client tools (Debian/Ubuntu: `apt install "
            "postgresql-client`, macOS: `brew install libpq`) or ask whoever runs the "
            "server for a dump. Nothing was written."
        )
    uri, schema = libpq_uri(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    command = [dump, "--format=custom", f"--file={partial}", f"--dbname={uri}"]
    if schema:
        command.append(f"--schema={schema}")
    env = dict(os.environ)
    if password is None:
        from sqlalchemy import make_url

        password = make_url(url).password
    if password is not None:
        env["PGPASSWORD"] = password
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        why = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "no reason given"
        raise StoreError(f"pg_dump could not back up the store: {why}")
    restore = shutil.which("pg_restore")
    if restore is not None:
        listed = subprocess.run(
            [restore, "--list", str(partial)], capture_output=True, text=True, check=False
        )
        if listed.returncode != 0:
            partial.unlink(missing_ok=True)
            raise StoreError(f"The dump written to {target} cannot be read back; deleted.")
    os.replace(partial, target)
    return target


def libpq_uri(url: str) -> tuple[str, str | None]:
    """A SQLAlchemy PostgreSQL URL as libpq takes it, and the schema its search_path names."""
    from sqlalchemy import make_url
    from sqlalchemy.engine import URL

    parsed = make_url(url)
    plain = URL.create(
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    uri = plain.render_as_string(hide_password=False)
    schema = None
    query = parse_qs(urlsplit(uri).query)
    for option in query.get("options", []):
        match = re.search(r"-c\s*search_path\s*=\s*([^\s,]+)", option)
        if match:
            schema = match.group(1)
    return uri, schema


if __name__ == "__main__":  # python -m editor.store.backup daily STORE (automatic_backup)
    if len(sys.argv) == 3 and sys.argv[1] == "daily":
        made = make_daily_backup(Path(sys.argv[2]))
        sys.exit(0 if made is not None or _made_today(Path(sys.argv[2])) else 1)
    sys.exit("usage: python -m editor.store.backup daily STORE")
