"""One way to run work off the GUI thread: `Background`, after Anki's `QueryOp`/`CollectionOp`.

A widget with slow work (a store query, a render, the checks, an import, an export) owns
one `Background` and hands it functions; nothing else in the ui subclasses `QRunnable` or
`QThread` or keeps a signals object of its own::

    self._tasks = Background(self)  # a child of its owner: dies with it
    self._tasks.run(lambda job: newsroom.desk_stats(), lane="stats",
                    success=self.show_stats, failure=self._show_error)

**Where things run.** The function runs on the Background's `QThreadPool` (one thread unless
`threads=` says otherwise, so jobs run in the order they were asked for; `pool=` shares a
pool, such as `QThreadPool.globalInstance()`). It gets the `Job` as its one argument and
must never touch a widget. What it returns comes back on the GUI thread as `success(value)`;
an exception it raises comes back as `failure(exception)` (without a `failure` callback
the exception goes to `sys.excepthook`: never lost in a thread); `finished()` follows
either. `job.progress(*args)`, called from the function, arrives as `progress(*args)` on
the GUI thread, always before the outcome.

**Lanes: newest wins.** `run(..., lane=name)` supersedes every job of that lane still
running: their stop flag is set and whatever they report is dropped, so a refresh asked
for twice shows the second answer only. `lane=None` (the default) is never superseded.

**At most one in flight.** `queue(lane, start)` calls `start()` now when nothing of the
lane is running, else once the running job's outcome has been delivered; a later
`queue()` replaces an earlier waiting one (one running, one waiting: Ghostwriter's
coalescing). `start` runs on the GUI thread and calls `run(..., lane=lane)` itself, so it
reads the newest state (the article as it is when the render starts). The running job's
outcome is still delivered; `waiting(lane)` tells a callback that another is on its way.

**Stop and cancel.** `job.should_stop()` is the cooperative flag the function polls (hand
`job.should_stop` to APIs that take an "is cancelled" callable). `job.stop()` only sets it:
what the function then returns is still delivered (an import reports the files done so
far). `job.cancel()` (or `cancel(lane)`) sets it and drops the outcome and any later
progress.

**Teardown.** Anything arriving after the owner (and so the Background) is destroyed is
dropped. `shutdown(timeout_ms)` starts nothing more, forgets waiting starts, stops and
drops the running jobs and waits for them to end (before the store closes under them);
`wait(timeout_ms)` only waits (the preview's renderer belongs to a running job), and
`deliver_arrived()` then delivers what the jobs sent without waiting for the event loop.

`busy(lane)` is true while a job of the lane (any lane, without one) runs or waits, and
`busy_changed(bool)` says when that changes for the whole Background.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThreadPool, Signal, Slot

Callback = Callable[..., object] | None


class Job:
    """One function handed to a `Background`: its stop flag and its way to report progress."""

    def __init__(self, background: Background, lane: str | None, work: Callable[[Job], Any],
                 success: Callback, failure: Callback, progress: Callback,
                 finished: Callback) -> None:  # fmt: skip
        self.lane = lane
        self._background = background
        self._work = work
        self._success, self._failure = success, failure
        self._progress, self._finished = progress, finished
        self._stop = threading.Event()
        self._done = threading.Event()  # set in the worker when the function has returned
        self.dropped = False  # GUI thread only: nothing more is delivered

    # -- from the worker thread --------------------------------------------------

    def should_stop(self) -> bool:
        """True once the job was stopped, cancelled or superseded, or its owner shut down."""
        return self._stop.is_set()

    def progress(self, *args: object) -> None:
        """Report progress; `progress(*args)` is called on the GUI thread (unless dropped)."""
        _relay().progressed.emit(self, args)

    # -- from the GUI thread -----------------------------------------------------

    def stop(self) -> None:
        """Ask the function to stop early; what it returns is still delivered."""
        self._stop.set()

    def cancel(self) -> None:
        """Ask the function to stop and drop whatever it reports from now on."""
        self._stop.set()
        self.dropped = True

    @property
    def done(self) -> bool:
        """The function has returned (its outcome may still be on its way to the GUI)."""
        return self._done.is_set()

    def _execute(self) -> None:  # on the pool's thread
        try:
            value, ok = self._work(self), True
        except BaseException as error:  # the GUI must hear that the job ended
            value, ok = error, False
        try:
            relay = _relay()
            if shiboken6.isValid(relay):  # not once the application has gone (a quick quit)
                relay.ended.emit(self, ok, value)
        finally:  # after the outcome is posted, so `wait()` then `deliver_arrived()` hears it
            self._done.set()


class _Relay(QObject):
    """Lives on the GUI thread for good: workers emit here, never on an owner that may die."""

    ended = Signal(object, bool, object)  # job, ok, value or exception
    progressed = Signal(object, object)  # job, args

    def __init__(self) -> None:
        super().__init__()
        self.ended.connect(self._on_ended)
        self.progressed.connect(self._on_progressed)

    @Slot(object, bool, object)
    def _on_ended(self, job: Job, ok: bool, value: object) -> None:
        background = job._background
        if shiboken6.isValid(background):
            background._ended(job, ok, value)

    @Slot(object, object)
    def _on_progressed(self, job: Job, args: tuple) -> None:
        background = job._background
        live = shiboken6.isValid(background) and not background._closed and not job.dropped
        if live and job._progress is not None:
            job._progress(*args)


_RELAY: _Relay | None = None


def _relay() -> _Relay:
    global _RELAY
    if _RELAY is None:  # the first Background is made on the GUI thread, so is the relay
        _RELAY = _Relay()
    return _RELAY


class Background(QObject):
    """Runs functions off the GUI thread for one owner; see the module docstring."""

    #: True when the first job starts or waits, False when the last has been delivered.
    busy_changed = Signal(bool)

    def __init__(self, owner: QObject | None = None, threads: int = 1,
                 pool: QThreadPool | None = None) -> None:  # fmt: skip
        super().__init__(owner)
        _relay()
        if pool is None:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(threads)
        self._pool = pool
        self._jobs: list[Job] = []  # started and not yet delivered, in start order
        self._waiting: dict[str | None, Callable[[], object]] = {}
        self._closed = False
        self._was_busy = False

    # -- starting ------------------------------------------------------------------

    def run(self, work: Callable[[Job], Any], *, lane: str | None = None,
            success: Callback = None, failure: Callback = None, progress: Callback = None,
            finished: Callback = None) -> Job:  # fmt: skip
        """Run `work(job)` on the pool; a job of the same lane still running is superseded."""
        job = Job(self, lane, work, success, failure, progress, finished)
        if self._closed:
            job.cancel()  # never started: nothing will come
            return job
        if lane is not None:
            for older in self._jobs:
                if older.lane == lane:
                    older.cancel()
            self._waiting.pop(lane, None)
        self._jobs.append(job)
        self._pool.start(job._execute)
        self._notify()
        return job

    def queue(self, lane: str, start: Callable[[], object]) -> None:
        """`start()` now if nothing of `lane` runs, else after it (replacing a waiting one)."""
        if self._closed:
            return
        # Waiting already (asked again while the lane's outcome is being delivered): the
        # newer start replaces it, and runs once that delivery is over.
        if self.running(lane) or lane in self._waiting:
            self._waiting[lane] = start
            self._notify()
        else:
            start()

    # -- state ---------------------------------------------------------------------

    def running(self, lane: str | None = None) -> bool:
        """A job of `lane` (any job, without one) has started and not been delivered."""
        return any(lane is None or job.lane == lane for job in self._jobs)

    def waiting(self, lane: str | None = None) -> bool:
        """A `queue()`d start of `lane` (of any lane, without one) waits for its turn."""
        return bool(self._waiting) if lane is None else lane in self._waiting

    def busy(self, lane: str | None = None) -> bool:
        return self.running(lane) or self.waiting(lane)

    @property
    def closed(self) -> bool:
        return self._closed

    # -- stopping ------------------------------------------------------------------

    def cancel(self, lane: str | None = None) -> None:
        """Cancel the jobs of `lane` (every job, without one) and forget its waiting start."""
        for job in self._jobs:
            if lane is None or job.lane == lane:
                job.cancel()
        if lane is None:
            self._waiting.clear()
        else:
            self._waiting.pop(lane, None)
        self._notify()

    def wait(self, timeout_ms: int = 5000) -> bool:
        """Block until the running functions have returned; False when time ran out."""
        deadline = time.monotonic() + timeout_ms / 1000
        for job in list(self._jobs):
            if not job._done.wait(max(0.0, deadline - time.monotonic())):
                return False
        return True

    def deliver_arrived(self) -> None:
        """Deliver now what finished jobs sent and the event loop has not delivered yet.

        After `wait()` outside an event loop (a dialog's `exec()` has returned), so the
        caller hears how the job ended before going on. Other Backgrounds' outcomes that
        have arrived are delivered too, as the event loop would.
        """
        QCoreApplication.sendPostedEvents(_relay(), QEvent.Type.MetaCall)

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Start nothing more, drop what is running and wait for it (before the store closes)."""
        self._closed = True
        self._waiting.clear()
        for job in self._jobs:
            job.cancel()
        done = self.wait(timeout_ms)
        self._jobs = [job for job in self._jobs if not job.done]
        self._notify()
        return done

    # -- delivery (GUI thread) -----------------------------------------------------

    def _ended(self, job: Job, ok: bool, value: object) -> None:
        if job not in self._jobs:
            return  # forgotten at shutdown
        self._jobs.remove(job)
        try:
            if not job.dropped and not self._closed:
                if ok:
                    if job._success is not None:
                        job._success(value)
                elif job._failure is not None:
                    job._failure(value)
                elif isinstance(value, BaseException):
                    sys.excepthook(type(value), value, value.__traceback__)
                if job._finished is not None:
                    job._finished()
        finally:
            start = None
            if not self._closed and not self.running(job.lane):
                start = self._waiting.pop(job.lane, None)
            if start is not None:
                start()
            self._notify()

    def _notify(self) -> None:
        busy = self.busy()
        if busy != self._was_busy:
            self._was_busy = busy
            self.busy_changed.emit(busy)
