"""`newsroom backup`, `newsroom backups` and `newsroom restore-backup`.

    newsroom backup [--out FILE]       a checked copy of the store (default: a new file
                                       in the backup folder, kept until deleted by hand)
    newsroom backups [--json]          the store's backups, newest first: time, size, why
    newsroom restore-backup FILE       put a backup in the store's place; the store that
                                       was there is kept, renamed <stem>.replaced-<time>

These verbs work on the store file itself, so they also work on a damaged store (which
every other verb refuses): `newsroom backups` then `newsroom restore-backup FILE`.

Where backups go: `NEWSROOM_BACKUPS` (a folder), else beside the store. The store is
backed up by itself on the first open of each day and before every upgrade of its
schema; the newest `NEWSROOM_BACKUP_KEEP` (default 7, 0: no daily backup) of those are
kept. A PostgreSQL store is backed up with `pg_dump` (custom format, into
`NEWSROOM_BACKUPS` or the user data folder's `backups`), and restored by whoever runs
the server with `pg_restore`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from editor.core.errors import StoreError

if TYPE_CHECKING:
    from editor.store import backup

#: The verbs this module runs (`run` takes them).
COMMANDS = ("backup", "backups", "restore-backup")


def add_parsers(commands, common: argparse.ArgumentParser) -> None:
    """Add `backup`, `backups` and `restore-backup` to the `newsroom` command's subparsers."""

    sub = commands.add_parser(
        "backup",
        parents=[common],
        help="write a checked copy of the store",
        description="Copy the store with SQLite's online backup API (other programs may "
        "keep working) and check the copy with PRAGMA integrity_check; a PostgreSQL "
        "store is dumped with pg_dump.",
    )
    sub.add_argument(
        "--out", type=Path, metavar="FILE", help="where to write it (default: the backup folder)"
    )
    sub = commands.add_parser(
        "backups", parents=[common], help="list the store's backups, newest first"
    )
    sub.add_argument("--json", action="store_true", help="print the list as JSON")
    sub = commands.add_parser(
        "restore-backup",
        parents=[common],
        help="put a backup in the store's place (the current store is kept aside)",
        description="Replace the store with a backup. The store that was there is not "
        "overwritten: it is renamed <stem>.replaced-<time> and listed by `newsroom "
        "backups`, so the restore can itself be undone. Close the window first.",
    )
    sub.add_argument("file", metavar="FILE", help="a backup file, or its name in the list")


def run(args: argparse.Namespace, store: str | None) -> int:
    """Run one of `COMMANDS` on the store (None: the default store)."""
    from editor.store import opening

    location = str(store) if store is not None else opening.default_store_location()
    if opening.is_url(location):
        return _run_postgres(args, location)
    path = Path(location).expanduser().resolve()
    if args.command == "backup":
        return run_backup(path, args.out)
    if args.command == "backups":
        return run_backups(path, args.json)
    return run_restore(path, args.file)


def run_backup(path: Path, out: Path | None) -> int:
    from editor.store import backup

    if not path.is_file():
        raise StoreError(f"There is no store at {path} to back up.")
    if out is not None:
        target = out.expanduser().resolve()
        if target == path:
            raise StoreError("--out names the store itself: give the backup another name.")
        if target.exists():
            raise StoreError(f"{target} already exists; nothing was written. Name a new file.")
        written = backup.backup_sqlite(path, target)
    else:
        written = backup.make_backup(path).path
    size = _size(written.stat().st_size)
    print(f"backed up {path} to {written} ({size}, checked)")
    return 0


def run_backups(path: Path, as_json: bool) -> int:
    from editor.store import backup

    found = backup.list_backups(path)
    if as_json:
        print(json.dumps([backup_json(b) for b in found], indent=2))
        return 0
    if not found:
        print(f"no backups of {path} in {backup.backup_folder(path)}")
        return 0
    for info in found:
        when = _local(info.made_at)
        print(f"{when}  {_size(info.size):>9}  {info.label:<28}  {info.path}")
    return 0


def backup_json(info: backup.BackupInfo) -> dict:
    """One backup as `newsroom backups --json` prints it."""

    return {
        "path": str(info.path),
        "made_at": info.made_at.isoformat(),
        "size": info.size,
        "kind": info.kind,
        "revision": info.revision,
    }


def run_restore(path: Path, name: str) -> int:
    from editor.store import backup, integrity

    chosen = backup.resolve_backup(path, name)
    if path.exists():
        integrity.wait_until_writable(path, _notice, integrity.LOCK_WAIT_SECONDS)
    report = backup.restore_backup(path, chosen)
    print(f"restored {path} from {report.backup}")
    if report.kept_aside is not None:
        print(f"the store that was there is kept as {report.kept_aside}")
    return 0


def wait_if_locked(store: str | None) -> None:
    """Before a writing verb: a store another program holds the write lock of is said at
    once ("waiting for ... (locked by another program)...") and given up on after
    `integrity.LOCK_WAIT_SECONDS` with one clear line, instead of each write waiting
    out SQLite's busy timeout in turn. Nothing to do for a PostgreSQL or a new store."""
    from editor.store import integrity, opening

    location = str(store) if store is not None else opening.default_store_location()
    if opening.is_url(location):
        return
    path = Path(location).expanduser().resolve()
    if path.is_file():
        integrity.wait_until_writable(path, _notice, integrity.LOCK_WAIT_SECONDS)


def _run_postgres(args: argparse.Namespace, url: str) -> int:
    from sqlalchemy import make_url  # only here: `newsroom --help` loads no SQLAlchemy

    from editor.store import backup

    shown = make_url(url).render_as_string(hide_password=True)
    folder = postgres_backup_folder()
    if args.command == "backup":
        target = args.out.expanduser().resolve() if args.out else _new_dump(folder, url)
        if target.exists():
            raise StoreError(f"{target} already exists; nothing was written. Name a new file.")
        written = backup.backup_postgres(url, target)
        print(f"backed up {shown} to {written} ({_size(written.stat().st_size)}, pg_dump)")
        return 0
    if args.command == "backups":
        found = sorted(folder.glob(f"{_dump_stem(url)}.backup-*.pgdump"), reverse=True)
        if args.json:
            print(json.dumps([{"path": str(p), "size": p.stat().st_size} for p in found]))
        elif not found:
            print(f"no pg_dump backups of {shown} in {folder}")
        for dump in [] if args.json else found:
            print(f"{_size(dump.stat().st_size):>9}  {dump}")
        return 0
    raise StoreError(
        f"A PostgreSQL store is restored on its server by whoever runs it: `pg_restore "
        f"--clean --if-exists --dbname URL {args.file}`, with everyone disconnected. "
        "Nothing was changed."
    )


def postgres_backup_folder() -> Path:
    """`NEWSROOM_BACKUPS`, else `backups` in the user data folder."""
    from editor.store import backup, opening

    env = os.environ.get(backup.FOLDER_VARIABLE, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path(opening.APP_NAME, opening.APP_AUTHOR) / "backups"


def _dump_stem(url: str) -> str:
    from sqlalchemy import make_url

    from editor.store import backup

    parsed = make_url(url)
    _uri, schema = backup.libpq_uri(url)
    parts = [parsed.host or "local", parsed.database or "postgres", schema or ""]
    return "-".join(p for p in parts if p)


def _new_dump(folder: Path, url: str) -> Path:

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return folder / f"{_dump_stem(url)}.backup-{stamp}.pgdump"


def _notice(message: str) -> None:
    print(f"newsroom: {message}", file=sys.stderr, flush=True)


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _size(count: int) -> str:
    value = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{count} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"
