"""Backups as the window sees them: list, make, restore (the seam over `editor.store.backup`).

The ui never imports the store; File > Restore from Backup… and the damaged-store
prompt at startup go through these functions. `on_damage(listener)` tells the window
(on the checking thread: hop to the GUI thread with a queued signal) when the check a
big store gets after it opened finds damage; writes are refused from then on. A store
is named by its location (a file path; a PostgreSQL URL has no backups the window can
restore).
"""

from __future__ import annotations

from pathlib import Path

from editor.core.errors import StoreError
from editor.store import backup as _backup
from editor.store import opening
from editor.store.backup import BackupInfo as BackupInfo
from editor.store.backup import RestoreReport as RestoreReport
from editor.store.integrity import DamagedStoreError as DamagedStoreError
from editor.store.integrity import DiskFullError as DiskFullError
from editor.store.integrity import on_damage as on_damage


def store_file(location: str | Path | None) -> Path:
    """The store's file; a shared (PostgreSQL) store is refused with a clear message."""
    text = str(location) if location is not None else opening.default_store_location()
    if opening.is_url(text):
        raise StoreError(
            "A shared (PostgreSQL) store is backed up and restored on its server "
            "(`newsroom backup` runs pg_dump; whoever runs the server restores with "
            "pg_restore)."
        )
    return Path(text).expanduser().resolve()


def list_backups(location: str | Path | None) -> list[BackupInfo]:
    """The store's backups (and stores put aside by a restore), newest first."""
    return _backup.list_backups(store_file(location))


def make_backup(location: str | Path | None) -> BackupInfo:
    """A checked backup made now, kept until deleted by hand."""
    return _backup.make_backup(store_file(location))


def latest_good_backup(location: str | Path | None) -> Path | None:
    return _backup.latest_good_backup(store_file(location))


def restore(location: str | Path | None, backup: Path) -> RestoreReport:
    """Put `backup` in the store's place; the store that was there is kept, renamed.

    The store must be closed in this process first (the window closes its newsroom).
    """
    return _backup.restore_backup(store_file(location), Path(backup))
