"""The `-wal` and `-shm` files beside a SQLite store, as a look at the store found them.

A connection that opens a store takes over stale stubs beside it (an empty `-wal`, a
`-shm` smaller than SQLite ever makes a live one) and removes or writes into them; a
refusal that follows (a damaged store) must leave the folder as it was. Standard library
only: the command line's direct reads use it without loading SQLAlchemy.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

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
