"""A SQLite store's file as a look at it can tell, before it is opened: the room on its
disk, whether it is cut short, and the `-wal` and `-shm` files beside it.

Standard library only: both the full open's check (`editor.store.integrity`) and the
command line's direct reads (`editor.store.direct_reads`, which must not load
SQLAlchemy) use these, so the two cannot disagree.

A connection that opens a store takes over stale stubs beside it (an empty `-wal`, a
`-shm` smaller than SQLite ever makes a live one) and removes or writes into them; a
refusal that follows (a damaged store) must leave the folder as it was (`Sidecars`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

#: Free bytes below which a disk counts as full (SQLite needs 32 KiB for its `-shm`
#: file and room for the `-wal` file's first frames).
FULL_DISK_BYTES = 256 * 1024
#: Stores up to this size are checked before they open; bigger ones (quick_check reads
#: every page: 2.6 s for 100,000 articles, 1.3 GB) get a fast look at their structure
#: before and the full check on a thread after, and writes stop the moment it fails.
SYNC_CHECK_BYTES = 64 * 2**20

#: A `-shm` file smaller than this belongs to no connection: SQLite maps the first 32 KiB
#: of the wal-index as soon as a connection reads, so a smaller one is a stub that a
#: process left when it died or failed on a full disk (stale: it does not stop a read).
SHM_LIVE_BYTES = 32 * 1024


@dataclass
class Sidecars:
    """The `-wal` and `-shm` beside a store as a check found them, to put back on refusal."""

    wal: Path
    shm: Path
    existed: dict[Path, bool]
    #: The bytes of each stub (an empty `-wal`, a `-shm` under `SHM_LIVE_BYTES`).
    stubs: dict[Path, bytes]

    @classmethod
    def of(cls, path: Path) -> Sidecars:
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        existed = {s: s.exists() for s in (wal, shm)}
        stubs: dict[Path, bytes] = {}
        for sidecar, limit in ((wal, 1), (shm, SHM_LIVE_BYTES)):
            with contextlib.suppress(OSError):
                if existed[sidecar] and sidecar.stat().st_size < limit:
                    stubs[sidecar] = sidecar.read_bytes()
        return cls(wal, shm, existed, stubs)

    def restore(self) -> None:
        """Remove the empty `-wal` and the stub `-shm` the check made (they were not there)
        and put back the bytes of a stub SQLite wrote into: the folder as it was. A file
        that became live meanwhile (another program opened the store) is left alone."""
        wal, shm = self.wal, self.shm
        try:
            if not self.existed[wal] and wal.exists() and wal.stat().st_size == 0:
                wal.unlink()
            if not self.existed[shm] and shm.exists() and not wal.exists():
                shm.unlink()
            for stub, was in self.stubs.items():
                limit = SHM_LIVE_BYTES if stub == shm else 1
                if not stub.exists():  # SQLite's last connection removed it on closing
                    stub.write_bytes(was)
                elif stub.stat().st_size < limit and stub.read_bytes() != was:
                    with stub.open("r+b") as handle:  # shrinking needs no room on the disk
                        handle.truncate(0)
                        handle.write(was)
        except OSError:
            pass


def free_bytes(path: Path) -> int | None:
    """Free bytes on the disk holding `path` (None when it cannot be told)."""
    folder = path if path.is_dir() else path.parent
    try:
        if hasattr(os, "statvfs"):  # what shutil.disk_usage asks, without its import
            found = os.statvfs(folder)
            return found.f_bavail * found.f_frsize
        import shutil

        return shutil.disk_usage(folder).free
    except OSError:
        return None


def disk_is_full(path: Path) -> bool:
    free = free_bytes(path)
    return free is not None and free < FULL_DISK_BYTES


def cut_short(db: sqlite3.Connection, path: Path) -> str | None:
    """The problem when the store at `path` (open as `db`) is shorter than its page count
    says and no `-wal` holds the rest; None when it is whole."""
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    wal = Path(f"{path}-wal")
    size = path.stat().st_size
    if pages * page_size > size and not (wal.exists() and wal.stat().st_size > 0):
        return f"the file is cut short: {size} of {pages * page_size} bytes"
    return None
