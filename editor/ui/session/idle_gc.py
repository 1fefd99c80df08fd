"""Python's full garbage collections, moved out of typing into idle time.

With a 20,000-word article open, a generation-2 collection walks every live Python object
(the window's wrappers, SQLAlchemy, the spell and Markdown caches...) and stalled the GUI
thread for 120-180 ms at a random moment while typing (benchmarks/bench_window_typing.py).
So once an article has opened, the heap that exists is frozen (`gc.freeze()`: frozen
objects are never scanned; it costs nothing), and automatic collections only look at what
is younger. Cyclic garbage among frozen objects is reclaimed by a full collection when the
editor has been idle for a while (no edit, no open), where a pause is not felt.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from editor.ui.timers import debounce_timer

#: No edit for this long counts as idle: a full collection then goes unnoticed.
IDLE_COLLECT_MS = 45_000


class IdleCollector(QObject):
    """`opened()` after an article loads; `active()` on each edit."""

    def __init__(self, parent: QObject | None = None, idle_ms: int = IDLE_COLLECT_MS) -> None:
        super().__init__(parent)
        self.full_collections = 0
        self._idle = debounce_timer(self, idle_ms, self.collect_now)

    def opened(self, *_args: object) -> None:
        # After the slots still queued for the open (spell pass, preview) have run.
        QTimer.singleShot(0, gc.freeze)
        self._idle.start()

    def active(self) -> None:
        self._idle.start()

    def shutdown(self) -> None:
        """The window is closing: what was frozen may be collected again."""
        self._idle.stop()
        gc.unfreeze()

    def collect_now(self) -> None:
        """A full collection of everything, then the survivors are frozen again."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.full_collections += 1
