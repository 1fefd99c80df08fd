"""Another program's lock on the store, as a window needs to know it: at once, never waiting.

SQLite lets one program write at a time; another program (a second editor, a sync, the
`sqlite3` shell in a transaction) can hold that lock for seconds or minutes. A command
line program may wait (`newsroom import` says "waiting for ..." and gives up after a
few seconds), but a window must not freeze meanwhile: the window asks
`locked_by_another_program` before it writes on its GUI thread (a millisecond), bounds
SQLite's own wait there with `waiting_at_most`, and leaves the waiting to a worker
thread that calls `wait_until_free`. A PostgreSQL store is never "locked" in this sense.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.services.newsroom import Newsroom

#: How often a waiting worker looks whether the lock is gone.
POLL_S = 0.1
#: How often a waiting worker says again that it is still waiting.
NOTICE_EVERY_S = 10.0


#: A lock given back within this long is a short write, not one to wait for.
PATIENCE_S = 0.05


def locked_by_another_program(newsroom: Newsroom) -> bool:
    """Whether a write to the store would wait for another program's lock now (a
    millisecond when it is free, `PATIENCE_S` when it is held)."""
    return newsroom.store.db.locked_by_another_program(PATIENCE_S)


@contextmanager
def waiting_at_most(seconds: float) -> Iterator[None]:
    """On this thread, a write waits at most `seconds` for another program's lock, then
    raises `StoreBusyError` (instead of SQLite's busy timeout of several seconds)."""
    from editor.store.database import Database  # the store's half: after the first paint

    with Database.waiting_at_most(seconds):
        yield


def wait_until_free(
    newsroom: Newsroom,
    cancelled: threading.Event,
    notice: Callable[[float], object] | None = None,
) -> bool:
    """Wait while another program holds the store's write lock (on a worker thread).

    `notice(seconds_waited)` is called at once when the lock is held, then every
    `NOTICE_EVERY_S`. True when the lock is free; False when it is held and `cancelled`
    is set (before or while waiting): cancelling means "do not wait", never "do not
    write", so a caller that wants the write done without waiting sets it beforehand.
    """
    started = time.monotonic()
    told_at: float | None = None
    while locked_by_another_program(newsroom):
        if cancelled.is_set():
            return False
        now = time.monotonic()
        if notice is not None and (told_at is None or now - told_at >= NOTICE_EVERY_S):
            notice(now - started)
            told_at = now
        if cancelled.wait(POLL_S):
            return False
    return True
