"""Is a SQLite store sound, and if not, what is wrong: damaged, full disk, locked, read-only.

`check_store(path)` runs `PRAGMA quick_check` when a store is opened and raises
`DamagedStoreError` (nothing is written into a damaged store), or `DiskFullError` when
the disk holding it is full (SQLite cannot even set up its shared-memory file then),
before any engine exists. It leaves the folder as it was: the check's connection is an
ordinary read-write one, so the last one to close removes the `-wal` and `-shm` files
it made, and a refused store gets back exactly the files it had.

`wait_until_writable(path, notice=...)` tells a program that is about to write whether
another program holds the store's write lock: it says "waiting for ... (locked by
another program)" at once and gives up with `StoreBusyError` after `timeout` seconds.

Every connection here is a normal SQLite connection, never a bare file descriptor: on
Linux, closing any descriptor of a file drops every POSIX lock the process holds on it,
including those of the store's open connections. SQLite keeps its own descriptors of a
file open while another connection of the process holds a lock on it; a plain
`open()`/`close()` does not. `open_in_this_process(path)` says whether such a
connection may exist, so a caller knows when a plain read of the file is unsafe.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, event

from editor.core.errors import DamagedStoreError, StoreBusyError, StoreError
from editor.store.sqlite_file import (  # noqa: F401 - integrity's names for its callers
    FULL_DISK_BYTES,
    SHM_LIVE_BYTES,
    SYNC_CHECK_BYTES,
    Sidecars,
    cut_short,
    disk_is_full,
    free_bytes,
)

log = logging.getLogger(__name__)

#: How many problems a check reports at most.
MAX_PROBLEMS = 20
#: How long `wait_until_writable` waits for another program's write lock by default.
LOCK_WAIT_SECONDS = 5.0

_DAMAGE_WORDS = ("malformed", "not a database", "corrupt", "disk image")


class DiskFullError(StoreError):
    """The disk holding the store is full; the store itself may be fine.

    `reader_url`: a SQLAlchemy URL that reads the store as it is without writing a byte
    (`full_disk_reader_url`), when that is safe; None when it is not.
    """

    def __init__(self, message: str, path: Path, free: int, reader_url: str | None = None):
        super().__init__(message)
        self.path = path
        self.free = free
        self.reader_url = reader_url


def full_disk_reader_url(path: Path) -> str | None:
    """A URL that reads the store on a full disk, where SQLite cannot make its `-shm` file.

    `immutable=1` reads the file as it stands, with no locks and no `-shm`. That is safe
    only while nobody else has the store open, which on a full disk is known: a store
    another connection has open (in this process or another) has a `-shm` file beside it,
    and then SQLite reads it normally and this is not needed (None). Nothing can write
    through this URL; a reader opened with it sees the store as it was when the disk
    filled (its `-wal`, when one is left, must be empty: else None). A `-shm` stub smaller
    than `SHM_LIVE_BYTES` is stale and does not count.
    """
    if has_live_sidecars(path):
        return None
    return f"sqlite:///file:{path}?mode=ro&immutable=1&uri=true"


def has_live_sidecars(path: Path) -> bool:
    """Whether the store may be open somewhere: a `-shm` of a real wal-index beside it, or a
    `-wal` holding frames not yet in the file."""
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    try:
        return (shm.exists() and shm.stat().st_size >= SHM_LIVE_BYTES) or (
            wal.exists() and wal.stat().st_size > 0
        )
    except OSError:
        return True


@dataclass(frozen=True)
class CheckResult:
    """What `PRAGMA quick_check` / `integrity_check` said about one file."""

    path: Path
    ok: bool
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: The SQLite error that stopped the check, when it could not run to its end.
    error: str | None = None

    @property
    def summary(self) -> str:
        if self.ok:
            return "ok"
        first = self.error or (self.problems[0] if self.problems else "unknown damage")
        more = len(self.problems) - 1 if not self.error and len(self.problems) > 1 else 0
        return first + (f" (and {more} more problems)" if more else "")


def quick_check(path: Path, *, immutable: bool = False) -> CheckResult:
    """`PRAGMA quick_check` of the SQLite file at `path` (its B-tree pages and records);
    `immutable` reads the file as it stands, touching nothing beside it (see `_connect`)."""
    return _check(path, "quick_check", immutable=immutable)


def integrity_check(path: Path) -> CheckResult:
    """`PRAGMA integrity_check` of the file at `path`: quick_check, and every index too."""
    return _check(path, "integrity_check")


def _check(path: Path, pragma: str, *, immutable: bool = False) -> CheckResult:
    started = time.perf_counter()
    try:
        db = _connect(path, immutable=immutable)
    except sqlite3.Error as error:
        return CheckResult(path, False, [], time.perf_counter() - started, str(error))
    try:
        rows = db.execute(f"PRAGMA {pragma}({MAX_PROBLEMS})").fetchall()
        problems = [str(r[0]) for r in rows if r and r[0] != "ok"]
        return CheckResult(path, not problems, problems, time.perf_counter() - started)
    except sqlite3.Error as error:
        return CheckResult(path, False, [], time.perf_counter() - started, str(error))
    finally:
        db.close()


def _connect(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    """A read-write connection that creates nothing: the last connection to close
    removes the `-wal`/`-shm` files it made (a read-only one would leave them behind).

    `immutable`: no locks, no `-wal` or `-shm` opened or made, for a full disk where the
    store cannot be open anywhere else (`has_live_sidecars` says no), and nothing else
    could be done without touching the files beside it.
    """
    if immutable:
        return sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    return sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=0.2)


def is_damage(message: str) -> bool:
    """Whether a SQLite error message says the file is damaged."""
    lowered = message.lower()
    return any(word in lowered for word in _DAMAGE_WORDS)


def check_store(path: Path, latest_good_backup: Callable[[Path], Path | None]) -> CheckResult:
    """Check an existing store file before it is opened; raise when it must not be used.

    `DamagedStoreError` names the newest good backup (`latest_good_backup(path)`);
    `DiskFullError` says the disk is full (nothing is damaged then). A store locked by
    another program in a way that stops even reading is not checked now (the open
    that follows reports the lock). Any `-wal`/`-shm` file the check made on a refused
    store is removed, so the folder is left as it was.

    A store bigger than `SYNC_CHECK_BYTES` gets `structure_check` now and `quick_check`
    on a thread (`start_background_check`): when that fails, every write to the store
    from this process is refused from then on (`damage_found`).
    """
    known = _DAMAGED.get(str(path))
    if known is not None:
        raise known
    sidecars = Sidecars.of(path)
    # On a full disk with no live `-wal`/`-shm`, SQLite could neither make its `-shm` nor
    # tell damage from a full disk (and would write into a stale stub): read the file as
    # it stands instead, touching nothing beside it.
    full = disk_is_full(path) and not has_live_sidecars(path)
    big = path.stat().st_size > SYNC_CHECK_BYTES
    result = structure_check(path, immutable=full) if big else quick_check(path, immutable=full)
    if result.ok and not full:
        if big:
            start_background_check(path, latest_good_backup)
        return result
    message = result.error or ""
    lowered = message.lower()
    if result.error and ("locked" in lowered or "busy" in lowered):
        return result
    sidecars.restore()
    if (full and result.ok) or (disk_is_full(path) and not is_damage(message)):
        free = free_bytes(path) or 0
        raise DiskFullError(
            f"The disk holding the store {path} is full ({_size(free)} free): SQLite needs "
            "a little room beside the store even to read it. The store itself was not "
            "changed; free some space and open it again.",
            path,
            free,
            full_disk_reader_url(path),
        )
    if result.error and not is_damage(message):
        raise StoreError(f"The store {path} cannot be read: {message}. Nothing was changed.")
    raise damaged_error(path, result, latest_good_backup)


def damaged_error(
    path: Path, result: CheckResult, latest_good_backup: Callable[[Path], Path | None]
) -> DamagedStoreError:
    backup = latest_good_backup(path)
    return DamagedStoreError(
        damage_message(path, result.summary, backup),
        path,
        result.problems or [result.error or "damaged"],
        backup,
    )


def structure_check(path: Path, *, immutable: bool = False) -> CheckResult:
    """The fast look at a big store: its header and schema read, and no page missing.

    Finds a truncated file (SQLite's page count says it is longer than it is) and a
    damaged first page, in milliseconds; damage in the middle needs `quick_check`.
    """
    started = time.perf_counter()
    try:
        db = _connect(path, immutable=immutable)
    except sqlite3.Error as error:
        return CheckResult(path, False, [], time.perf_counter() - started, str(error))
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        problem = cut_short(db, path)
    except sqlite3.Error as error:
        return CheckResult(path, False, [], time.perf_counter() - started, str(error))
    finally:
        db.close()
    problems = [problem] if problem else []
    return CheckResult(path, not problems, problems, time.perf_counter() - started)


# -- the check on a thread, and writes stopped the moment it fails ------------------

#: Stores this process found damaged, by path: writes to them are refused.
_DAMAGED: dict[str, DamagedStoreError] = {}
_CHECKS: dict[str, threading.Thread] = {}
_LISTENERS: list[Callable[[DamagedStoreError], object]] = []
_LOCK = threading.Lock()


def start_background_check(
    path: Path, latest_good_backup: Callable[[Path], Path | None]
) -> threading.Thread:
    """`quick_check` of `path` on a daemon thread (one per store at a time)."""
    key = str(path)
    with _LOCK:
        running = _CHECKS.get(key)
        if running is not None and running.is_alive():
            return running
        thread = threading.Thread(
            target=_check_in_background,
            args=(path, latest_good_backup),
            name=f"quick_check {path.name}",
            daemon=True,
        )
        _CHECKS[key] = thread
    thread.start()
    return thread


def _check_in_background(path: Path, latest_good_backup: Callable[[Path], Path | None]) -> None:
    result = quick_check(path)
    if result.ok or (result.error and not is_damage(result.error)):
        return
    damage_found(damaged_error(path, result, latest_good_backup))


def damage_found(error: DamagedStoreError) -> None:
    """From now on this process writes nothing to `error.path`; the listeners are told."""
    with _LOCK:
        _DAMAGED[str(error.path)] = error
        listeners = list(_LISTENERS)
    log.error("%s", error)
    for listener in listeners:
        try:
            listener(error)
        except Exception:  # a listener's failure must not hide the damage from others
            log.exception("a damaged-store listener failed")


def on_damage(listener: Callable[[DamagedStoreError], object]) -> Callable[[], None]:
    """Call `listener(error)` (on the checking thread) when a store is found damaged;
    returns the function that stops it."""
    with _LOCK:
        _LISTENERS.append(listener)

    def remove() -> None:
        with _LOCK:
            if listener in _LISTENERS:
                _LISTENERS.remove(listener)

    return remove


def damage_of(path: Path | str) -> DamagedStoreError | None:
    """The damage this process found in the store at `path` (None: none found)."""
    return _DAMAGED.get(str(path))


def forget_damage(path: Path | str) -> None:
    """The store at `path` was replaced (a restore): it may be written again."""
    with _LOCK:
        _DAMAGED.pop(str(path), None)


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


@event.listens_for(Engine, "before_cursor_execute")
def _refuse_writes_to_damaged(conn, _cursor, statement, _parameters, _context, _many) -> None:
    """Every engine: a write to a SQLite store found damaged is refused before it runs."""
    if not _DAMAGED or conn.dialect.name != "sqlite":
        return
    found = _DAMAGED.get(str(conn.engine.url.database))
    if found is not None and statement.lstrip()[:7].upper().startswith(_WRITES):
        raise found


def damage_message(path: Path, what: str, backup: Path | None) -> str:
    text = (
        f"The store {path} is damaged ({what}); Newsroom Editor will not write into it, "
        "so nothing more is lost. "
    )
    if backup is not None:
        return text + (
            f"The latest good backup is {backup}: restore it with "
            f"`newsroom restore-backup {backup}` or File > Restore from Backup (the damaged "
            "store is kept aside, renamed)."
        )
    return text + (
        "There is no backup of it: copy the file somewhere safe, then try "
        f"`sqlite3 {path} .recover` to save what can be saved."
    )


def wait_until_writable(
    path: Path,
    notice: Callable[[str], None] | None = None,
    timeout: float = LOCK_WAIT_SECONDS,
) -> float:
    """Wait until no other program holds the store's write lock; the seconds waited.

    When the lock is held, `notice` is told "waiting for PATH (locked by another
    program)..." at once; after `timeout` seconds `StoreBusyError` says who to ask.
    The probe takes the write lock and gives it back at once: it writes nothing.
    """
    if not path.exists():
        return 0.0
    started = time.monotonic()
    told = False
    while True:
        state = _try_write_lock(path)
        waited = time.monotonic() - started
        if state is None:
            return waited
        if not told and notice is not None:
            notice(f"waiting for {path} (locked by another program)...")
            told = True
        if waited >= timeout:
            raise StoreBusyError(
                f"The store {path} is locked by another program (still after {timeout:.0f} "
                "s); nothing was changed. Close the other program (another Newsroom "
                "window, a sync, a database tool) or wait until it is done, then try again."
            )
        time.sleep(0.1)


def _try_write_lock(path: Path) -> str | None:
    """None when the write lock could be taken (and was given back), else SQLite's error.

    Stale stubs beside the store (`Sidecars`) are put back as they were: the probe's
    connection takes them over and removes them on closing, and a refusal that follows
    (a damaged store) must find the folder as it was."""
    sidecars = Sidecars.of(path)
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=0, isolation_level=None)
    except sqlite3.Error as error:
        return None if not _busy(error) else str(error)
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("ROLLBACK")
        return None
    except sqlite3.Error as error:
        # Damage, a full disk or a read-only file are reported by the write itself.
        return str(error) if _busy(error) else None
    finally:
        db.close()
        if sidecars.stubs:
            sidecars.restore()


def _busy(error: sqlite3.Error) -> bool:
    message = str(error).lower()
    return "locked" in message or "busy" in message


def open_in_this_process(path: Path) -> bool:
    """Whether this process has a descriptor of the file at `path` open already.

    Closing another descriptor of that file would drop the POSIX locks the open one's
    connection holds (SQLite's documentation, "How To Corrupt An SQLite Database
    File", 2.2.1). Looks through /proc/self/fd (Linux) or /dev/fd (macOS, BSD) with
    fstat only; on Windows, where locks are not lost that way, it says False.
    """
    if sys.platform == "win32":
        return False
    try:
        target = path.stat()
    except OSError:
        return False
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            try:
                info = os.fstat(int(name))
            except (OSError, ValueError):
                continue
            if info.st_ino == target.st_ino and info.st_dev == target.st_dev:
                return True
        return False
    return True  # cannot tell: assume it is, and read nothing through a bare descriptor


def _size(count: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} GB"
