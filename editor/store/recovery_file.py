"""The recovery journal's own files, beside the store: unsaved text that survives a kill.

The editor keeps what is on screen here, not in the store, so that text typed while the
store is locked by another program, read-only, or on a disk that filled up is still kept.
Nothing here needs the store to be writable, or even reachable.

Where
-----
A SQLite store `news.db` keeps its journal in the folder `news.db.recovery/` beside it,
made on the first write. A PostgreSQL store (or a SQLite store whose folder cannot be
written) uses `<state dir>/recovery/<16 hex digits of the store's SHA-256>/`, where the
state dir is the platform's user state folder (`platformdirs.user_state_path`), or
`NEWSROOM_RECOVERY_DIR` when set. Readers look in both places.

One file per running editor
---------------------------
Each process that journals owns one file, `<pid>-<8 hex>.journal`, and holds an exclusive
`flock` on it for as long as it runs. A file whose lock can be taken belongs to a process
that has ended (exited, crashed or was killed: the kernel drops the lock): its entries are
what that run did not save, and `SideJournal.entries()` lists them. A file still locked
belongs to a running editor and is left alone. A file is made under a hidden
`.<name>.creating` name, locked, filled and fsynced, then renamed into place, so nobody
ever reads a half-made one.

File format (version 1; integers little-endian)
-----------------------------------------------
    offset 0        header, 4096 bytes:
                      0  26  b"NEWSROOM RECOVERY JOURNAL\\n"
                     26   4  format version (1)
                     30   8  slot size S in bytes
                     38   4  CRC-32 of bytes 0..38
                     (the rest zero)
    offset 4096     slot 0, S bytes
    offset 4096+S   slot 1, S bytes

A slot holds one complete state of the file's journal:

     0  4  b"NRJS"
     4  8  sequence number n (1, 2, 3, ...; 0 never written)
    12  4  payload length L
    16  4  CRC-32 of bytes 4..16 followed by the payload
    20  L  payload: zlib-compressed UTF-8 JSON
           {"entries": [{"article_id", "session_id", "user_id", "base_version", "body",
                         "meta", "written_at" (ISO 8601, UTC)}, ...]}

State n is written into slot n % 2, over the state n-2, and fsynced (`fdatasync`) before
the write returns. A reader takes the valid slot (magic, length within S, CRC, payload that
decompresses and parses) with the higher sequence number.

Guarantees
----------
- When `SideJournal.put` returns, the entry is on disk (written and fdatasynced). A kill
  (SIGKILL, power cut after the fsync) at any moment leaves either the new state or the one
  before it readable: a torn write damages only the slot being written, whose CRC then
  fails, and the other slot still holds the previous complete state. After a failed write
  the next one goes to the same slot again, so the last good state is never overwritten.
- The file is made at its full size and every byte of it written (zeros) once, so later
  writes reuse blocks already allocated: they need no free space on the disk and go on
  working when the disk is full (on copy-on-write file systems such as btrfs or ZFS an
  overwrite still allocates, so this part holds only on ext4, XFS and the like). Slots
  start at 1 MiB (the payload is compressed, so that is some 2.5 MB of Markdown); a state
  that does not fit grows the file: a bigger one is made, written and fsynced, then the
  old one is removed. Growing needs space; when there is none, `put` raises `StoreError`
  and the previous state stays readable.
- Only the owning process writes its file, except that a later run rewrites (or deletes)
  a dead run's file when its entries are restored or discarded, holding its lock.
- No store, no SQLAlchemy, no Qt: the store may be locked, damaged or unreachable.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import secrets
import struct
import threading
import weakref
import zlib
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from editor.core.errors import StoreError
from editor.core.values import JournalEntry

MAGIC = b"NEWSROOM RECOVERY JOURNAL\n"
FORMAT_VERSION = 1
HEADER_SIZE = 4096
SLOT_MAGIC = b"NRJS"
MIN_SLOT_SIZE = 1 << 20
SUFFIX = ".journal"
_HEADER = struct.Struct("<26sIQ")  # magic, version, slot size
_SLOT_HEAD = struct.Struct("<4sQI")  # magic, sequence, payload length
_SLOT_HEAD_SIZE = _SLOT_HEAD.size + 4  # and the CRC
_ZEROS = bytes(1 << 16)

#: Overrides the platform's state folder for the journals of stores that are no file.
DIRECTORY_ENV = "NEWSROOM_RECOVERY_DIR"


def journal_directories(path: Path | None, name: str) -> list[Path]:
    """Where a store's journal files live: the preferred folder first, then the fallback.

    `path` is a SQLite store's file (None for a URL store), `name` how the store is named
    (its file, or its URL without the password).
    """
    base = os.environ.get(DIRECTORY_ENV)
    state = Path(base) if base else platformdirs.user_state_path("newsroom-editor", "Newsroom")
    keyed = (state if base else state / "recovery") / hashlib.sha256(name.encode()).hexdigest()[:16]
    if path is None:
        return [keyed]
    return [path.with_name(path.name + ".recovery"), keyed]


# -- one file --------------------------------------------------------------------------


class _TooBig(Exception):
    """The state does not fit in the file's slots."""


@dataclass
class _Read:
    sequence: int
    entries: list[JournalEntry]


class JournalFile:
    """One open journal file (locked by whoever opened it): read and write its state."""

    def __init__(self, path: Path, fd: int, slot_size: int, sequence: int) -> None:
        self.path = path
        self.fd = fd
        self.slot_size = slot_size
        self.sequence = sequence

    @classmethod
    def create(cls, directory: Path, slot_size: int = MIN_SLOT_SIZE) -> JournalFile:
        """A new file of this process in `directory`, full size, locked, fsynced."""
        directory.mkdir(parents=True, exist_ok=True)
        name = f"{os.getpid()}-{secrets.token_hex(4)}{SUFFIX}"
        creating = directory / f".{name}.creating"
        fd = os.open(creating, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            size = HEADER_SIZE + 2 * slot_size
            offset = 0
            while offset < size:  # every block written once: later writes allocate nothing
                offset += os.pwrite(fd, _ZEROS[: min(len(_ZEROS), size - offset)], offset)
            head = _HEADER.pack(MAGIC, FORMAT_VERSION, slot_size)
            os.pwrite(fd, head + struct.pack("<I", zlib.crc32(head)), 0)
            os.fsync(fd)
            final = directory / name
            os.rename(creating, final)
            _fsync_directory(directory)
        except BaseException:
            os.close(fd)
            with suppress(OSError):
                os.unlink(creating)
            raise
        return cls(final, fd, slot_size, 0)

    @classmethod
    def open_orphan(cls, path: Path, *, exclusive: bool) -> JournalFile | None:
        """Open another process's file if that process has ended (its lock is free);
        None when it still runs or the file went meanwhile. Raises OSError otherwise."""
        try:
            fd = os.open(path, (os.O_RDWR if exclusive else os.O_RDONLY) | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd, 0, 0)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # drops the lock
            self.fd = -1

    def read(self) -> _Read | None:
        """The newest valid state, or None when the header is not a journal's."""
        head = os.pread(self.fd, _HEADER.size + 4, 0)
        if len(head) < _HEADER.size + 4:
            return None
        magic, version, slot_size = _HEADER.unpack(head[: _HEADER.size])
        (crc,) = struct.unpack("<I", head[_HEADER.size :])
        if magic != MAGIC or version != FORMAT_VERSION or zlib.crc32(head[: _HEADER.size]) != crc:
            return None
        self.slot_size = slot_size
        best: _Read | None = None
        for slot in (0, 1):
            state = self._read_slot(slot)
            if state is not None and (best is None or state.sequence > best.sequence):
                best = state
        if best is None:
            best = _Read(0, [])
        self.sequence = best.sequence
        return best

    def _read_slot(self, slot: int) -> _Read | None:
        offset = HEADER_SIZE + slot * self.slot_size
        head = os.pread(self.fd, _SLOT_HEAD_SIZE, offset)
        if len(head) < _SLOT_HEAD_SIZE:
            return None
        magic, sequence, length = _SLOT_HEAD.unpack(head[: _SLOT_HEAD.size])
        if magic != SLOT_MAGIC or sequence == 0 or length > self.slot_size - _SLOT_HEAD_SIZE:
            return None
        payload = os.pread(self.fd, length, offset + _SLOT_HEAD_SIZE)
        (crc,) = struct.unpack("<I", head[_SLOT_HEAD.size :])
        if len(payload) != length or zlib.crc32(payload, zlib.crc32(head[4:16])) != crc:
            return None
        try:
            document = json.loads(zlib.decompress(payload).decode("utf-8"))
            entries = [_entry(item) for item in document["entries"]]
        except (ValueError, KeyError, TypeError, zlib.error):
            return None
        return _Read(sequence, entries)

    def write(self, entries: list[JournalEntry]) -> None:
        """Write `entries` as the next state and fsync it; `_TooBig` when it cannot fit."""
        document = {"entries": [_record(entry) for entry in entries]}
        payload = zlib.compress(json.dumps(document, ensure_ascii=False).encode("utf-8"), 1)
        if len(payload) > self.slot_size - _SLOT_HEAD_SIZE:
            raise _TooBig(len(payload) + _SLOT_HEAD_SIZE)
        sequence = self.sequence + 1  # after a failed write: the same slot again
        head = _SLOT_HEAD.pack(SLOT_MAGIC, sequence, len(payload))
        crc = zlib.crc32(payload, zlib.crc32(head[4:]))
        offset = HEADER_SIZE + (sequence % 2) * self.slot_size
        data = head + struct.pack("<I", crc) + payload
        written = os.pwrite(self.fd, data, offset)
        if written != len(data):
            raise OSError(f"short write to {self.path}")
        os.fdatasync(self.fd)
        self.sequence = sequence


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _record(entry: JournalEntry) -> dict:
    written = entry.written_at
    return {
        "article_id": entry.article_id,
        "session_id": entry.session_id,
        "user_id": entry.user_id,
        "base_version": entry.base_version,
        "body": entry.body,
        "meta": entry.meta,
        "written_at": written.isoformat() if written is not None else None,
    }


def _entry(item: dict) -> JournalEntry:
    written = item.get("written_at")
    moment = datetime.fromisoformat(written) if isinstance(written, str) else None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return JournalEntry(
        article_id=str(item["article_id"]),
        session_id=str(item["session_id"]),
        user_id=item.get("user_id"),
        base_version=int(item["base_version"]),
        body=str(item["body"]),
        meta=dict(item.get("meta") or {}),
        written_at=moment,
    )


# -- the journal of one store -----------------------------------------------------------


class SideJournal:
    """A store's recovery journal in files: this process's entries and dead runs' ones.

    Thread-safe: the editor writes from a worker thread and reads or clears from the GUI
    thread. Errors come out as `StoreError` with a message for a person.
    """

    def __init__(self, directories: list[Path]) -> None:
        self.directories = directories
        self._lock = threading.RLock()
        self._file: JournalFile | None = None
        self._state: dict[tuple[str, str], JournalEntry] = {}
        self._finalizer: weakref.finalize | None = None

    @property
    def path(self) -> Path | None:
        """This process's file, once made."""
        return self._file.path if self._file is not None else None

    # -- this process's file ----------------------------------------------------------

    def prepare(self) -> None:
        """Make this process's file now (full size), so writes work on a full disk later."""
        with self._lock:
            self._own_file()

    def put(self, entry: JournalEntry) -> None:
        """Keep `entry` (replacing the one of its article and session); on disk on return."""
        with self._lock:
            state = dict(self._state)
            state[(entry.article_id, entry.session_id)] = entry
            self._write(state)

    def drop(self, article_id: str, session_id: str | None = None) -> int:
        """Forget the entries of an article (of one session): this process's and those dead
        runs left; how many went."""
        with self._lock:
            state = {
                key: entry
                for key, entry in self._state.items()
                if not _matches(entry, article_id, session_id)
            }
            dropped = len(self._state) - len(state)
            if dropped:
                self._write(state)
            return dropped + self._drop_orphaned(article_id, session_id)

    def entries(self) -> list[JournalEntry]:
        """This process's entries and those of every run that has ended, oldest first."""
        with self._lock:
            found = list(self._state.values())
        for path in self._orphan_paths():
            try:
                orphan = JournalFile.open_orphan(path, exclusive=False)
                if orphan is None:
                    continue
                try:
                    state = orphan.read()
                finally:
                    orphan.close()
            except OSError:
                continue  # unreadable now: tried again at the next start
            if state is None:
                continue
            if not state.entries:
                self._remove_if_orphaned(path)
                continue
            found.extend(state.entries)
        return sorted(found, key=_written_key)

    def close(self) -> None:
        """Close this process's file: removed when it holds nothing, else left for the next
        start to offer."""
        with self._lock:
            file, self._file = self._file, None
            if self._finalizer is not None:
                self._finalizer.detach()
                self._finalizer = None
            if file is None:
                return
            if not self._state:
                with suppress(OSError):
                    os.unlink(file.path)
            file.close()
            if not self._state:
                with suppress(OSError):
                    file.path.parent.rmdir()  # only when empty
            self._state = {}

    def _write(self, state: dict[tuple[str, str], JournalEntry]) -> None:
        file = self._own_file()
        entries = list(state.values())
        try:
            try:
                file.write(entries)
            except _TooBig as too_big:
                self._grow(file, too_big.args[0], entries)
        except OSError as error:
            raise StoreError(_message(error, file.path)) from None
        self._state = state

    def _own_file(self) -> JournalFile:
        if self._file is not None:
            return self._file
        errors: list[str] = []
        for directory in self.directories:
            try:
                file = JournalFile.create(directory)
            except OSError as error:
                errors.append(_message(error, directory))
                continue
            self._adopt(file)
            return file
        raise StoreError(errors[0] if errors else "No folder for the recovery journal.")

    def _adopt(self, file: JournalFile) -> None:
        self._file = file
        if self._finalizer is not None:
            self._finalizer.detach()
        self._finalizer = weakref.finalize(self, os.close, file.fd)

    def _grow(self, file: JournalFile, needed: int, entries: list[JournalEntry]) -> None:
        """Move to a bigger file holding `entries`; the old one goes once it is written."""
        slot = max(MIN_SLOT_SIZE, file.slot_size)
        while slot < 2 * needed:
            slot *= 2
        bigger = JournalFile.create(file.path.parent, slot)
        try:
            bigger.write(entries)
        except BaseException:
            with suppress(OSError):
                os.unlink(bigger.path)
            bigger.close()
            raise
        self._adopt(bigger)
        with suppress(OSError):
            os.unlink(file.path)
        file.close()

    # -- dead runs' files -----------------------------------------------------------------

    def _orphan_paths(self) -> Iterator[Path]:
        own = self.path
        for directory in self.directories:
            try:
                names = sorted(os.listdir(directory))
            except OSError:
                continue
            for name in names:
                path = directory / name
                if name.startswith(".") and name.endswith(".creating"):
                    self._remove_if_orphaned(path)  # a run killed while making its file
                elif name.endswith(SUFFIX) and path != own:
                    yield path

    def _remove_if_orphaned(self, path: Path) -> None:
        try:
            orphan = JournalFile.open_orphan(path, exclusive=True)
        except OSError:
            return
        if orphan is None:
            return
        try:
            state = orphan.read() if not path.name.endswith(".creating") else None
            if state is None and not path.name.endswith(".creating"):
                return  # not a journal we can read: left alone
            if state is None or not state.entries:
                os.unlink(path)
        except OSError:
            pass
        finally:
            orphan.close()

    def _drop_orphaned(self, article_id: str, session_id: str | None) -> int:
        dropped = 0
        for path in self._orphan_paths():
            try:
                orphan = JournalFile.open_orphan(path, exclusive=True)
            except OSError:
                continue
            if orphan is None:
                continue
            try:
                state = orphan.read()
                if state is None:
                    continue
                kept = [e for e in state.entries if not _matches(e, article_id, session_id)]
                if len(kept) == len(state.entries):
                    continue
                dropped += len(state.entries) - len(kept)
                if kept:
                    orphan.write(kept)
                else:
                    os.unlink(path)
            except OSError as error:
                raise StoreError(_message(error, path)) from None
            finally:
                orphan.close()
        return dropped


def _matches(entry: JournalEntry, article_id: str, session_id: str | None) -> bool:
    return entry.article_id == article_id and session_id in (None, entry.session_id)


def _written_key(entry: JournalEntry) -> datetime:
    return entry.written_at or datetime.min.replace(tzinfo=UTC)


def _message(error: OSError, where: Path) -> str:
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the disk is read-only",
    }.get(error.errno or 0, error.strerror or str(error))
    return f"The recovery journal could not be written ({reason}): {where}."
