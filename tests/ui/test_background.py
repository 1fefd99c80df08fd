"""`editor.ui.background.Background`: work off the GUI thread, outcomes back on it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
import shiboken6
from PySide6.QtCore import QObject

from editor.ui.background import Background, Job


@pytest.fixture
def owner(app):
    owner = QObject()
    yield owner
    if shiboken6.isValid(owner):
        shiboken6.delete(owner)


def _on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def test_success_arrives_on_the_gui_thread(owner, qtbot) -> None:
    tasks = Background(owner)
    seen: list[tuple[str, object, bool]] = []
    where: list[bool] = []

    def work(job: Job) -> int:
        where.append(_on_gui_thread())
        return 6 * 7

    tasks.run(
        work,
        success=lambda value: seen.append(("success", value, _on_gui_thread())),
        finished=lambda: seen.append(("finished", None, _on_gui_thread())),
    )
    assert tasks.busy()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=5000)
    assert where == [False]
    assert seen == [("success", 42, True), ("finished", None, True)]


def test_failure_carries_the_exception(owner, qtbot) -> None:
    tasks = Background(owner)
    failures: list[BaseException] = []
    successes: list[object] = []

    def work(job: Job) -> None:
        raise ValueError("no such section")

    tasks.run(work, success=successes.append, failure=failures.append)
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=5000)
    assert successes == []
    assert len(failures) == 1 and isinstance(failures[0], ValueError)
    assert str(failures[0]) == "no such section"


def test_progress_arrives_in_order_before_the_outcome(owner, qtbot) -> None:
    tasks = Background(owner)
    events: list[object] = []

    def work(job: Job) -> str:
        for step in range(1, 4):
            job.progress(step, 3, f"file {step}")
        return "done"

    tasks.run(
        work,
        progress=lambda done, total, name: events.append((done, total, name, _on_gui_thread())),
        success=events.append,
    )
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=5000)
    assert events == [
        (1, 3, "file 1", True),
        (2, 3, "file 2", True),
        (3, 3, "file 3", True),
        "done",
    ]


def test_newest_result_wins_in_a_lane(owner, qtbot) -> None:
    tasks = Background(owner)
    gate = threading.Event()
    shown: list[str] = []
    stopped: list[bool] = []

    def slow(job: Job) -> str:
        gate.wait(5)
        stopped.append(job.should_stop())
        return "old"

    first = tasks.run(slow, lane="stats", success=shown.append)
    second = tasks.run(lambda job: "new", lane="stats", success=shown.append)
    other = tasks.run(lambda job: "other lane", lane="counts", success=shown.append)
    assert first.should_stop() and first.dropped
    assert not second.should_stop() and not other.should_stop()
    gate.set()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=5000)
    assert shown == ["new", "other lane"]
    assert stopped == [True]  # the superseded function could see it was no longer wanted


def test_queue_keeps_one_in_flight_and_only_the_newest_waiting(owner, qtbot) -> None:
    tasks = Background(owner, threads=4)
    gate = threading.Event()
    running = 0
    most = 0
    lock = threading.Lock()
    shown: list[str] = []
    order: list[str] = []

    def start(name: str) -> None:
        def work(job: Job) -> str:
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
            if name == "first":
                gate.wait(5)
            time.sleep(0.01)
            with lock:
                running -= 1
            return name

        order.append(name)
        tasks.run(work, lane="render", success=shown.append)

    tasks.queue("render", lambda: start("first"))
    for name in ("second", "third", "fourth"):
        tasks.queue("render", lambda name=name: start(name))
    assert tasks.running("render") and tasks.waiting("render")
    gate.set()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=5000)
    assert order == ["first", "fourth"]  # the waiting start was replaced, read at its turn
    assert shown == ["first", "fourth"]  # the one in flight is still delivered
    assert most == 1


def test_cancel_drops_the_result_and_the_function_can_stop(owner, qtbot) -> None:
    tasks = Background(owner)
    started = threading.Event()
    delivered: list[object] = []
    polls: list[int] = []

    def work(job: Job) -> str:
        started.set()
        count = 0
        while not job.should_stop() and count < 500:
            job.progress(count)
            count += 1
            time.sleep(0.01)
        polls.append(count)
        return "finished anyway"

    job = tasks.run(
        work,
        success=delivered.append,
        failure=delivered.append,
        finished=lambda: delivered.append("finished"),
    )
    assert started.wait(5)
    job.cancel()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=5000)
    # Progress reported before the cancel may have arrived; nothing after, and no outcome.
    assert all(isinstance(item, int) for item in delivered)
    assert "finished anyway" not in delivered and "finished" not in delivered
    assert polls and polls[0] < 500


def test_stop_asks_the_function_to_stop_and_keeps_its_answer(owner, qtbot) -> None:
    tasks = Background(owner)
    started = threading.Event()
    delivered: list[object] = []

    def work(job: Job) -> str:
        started.set()
        while not job.should_stop():
            time.sleep(0.005)
        return "stopped after 3 files"

    job = tasks.run(work, success=delivered.append)
    assert started.wait(5)
    job.stop()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=5000)
    assert delivered == ["stopped after 3 files"]


def test_results_after_the_owner_is_destroyed_are_dropped(app, qtbot) -> None:
    owner = QObject()
    tasks = Background(owner, pool=None)
    started = threading.Event()
    delivered: list[object] = []

    def work(job: Job) -> str:
        started.set()
        time.sleep(0.2)
        job.progress("late")
        return "late"

    tasks.run(work, success=delivered.append, progress=delivered.append)
    assert started.wait(5)
    shiboken6.delete(owner)  # the Background and its pool go with it (waiting for the job)
    assert not shiboken6.isValid(tasks)
    qtbot.wait(100)  # the job's outcome reaches the GUI thread's event queue, and is dropped
    assert delivered == []


def test_shutdown_waits_for_the_job_stops_it_and_drops_its_outcome(owner, qtbot) -> None:
    tasks = Background(owner)
    started = threading.Event()
    ended: list[bool] = []
    delivered: list[object] = []

    def work(job: Job) -> str:
        started.set()
        while not job.should_stop():
            time.sleep(0.005)
        time.sleep(0.05)
        ended.append(True)
        return "too late"

    tasks.run(work, success=delivered.append)
    tasks.queue("later", lambda: delivered.append("started at once"))  # runs now
    waiting = tasks.run(lambda job: time.sleep(0.3), lane="busy")
    tasks.queue("busy", lambda: delivered.append("waiting start"))
    assert started.wait(5)
    assert tasks.shutdown(5000)
    assert ended == [True] and waiting.done  # shutdown returned after both ended
    assert not tasks.busy()
    tasks.run(lambda job: delivered.append("ran after shutdown"))
    qtbot.wait(100)
    assert delivered == ["started at once"]


def test_busy_changed_follows_the_whole_background(owner, qtbot) -> None:
    tasks = Background(owner)
    states: list[bool] = []
    tasks.busy_changed.connect(states.append)
    tasks.run(lambda job: 1, lane="a")
    tasks.run(lambda job: 2, lane="b")
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=5000)
    assert states == [True, False]


def test_an_unhandled_failure_goes_to_the_excepthook(owner, qtbot, monkeypatch) -> None:
    tasks = Background(owner)
    hooked: list[BaseException] = []
    monkeypatch.setattr("sys.excepthook", lambda kind, error, tb: hooked.append(error))
    tasks.run(lambda job: 1 / 0)
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=5000)
    assert len(hooked) == 1 and isinstance(hooked[0], ZeroDivisionError)


def test_wait_then_deliver_arrived_outside_an_event_loop(owner) -> None:
    tasks = Background(owner)
    delivered: list[object] = []
    tasks.run(lambda job: (job.progress("half"), "whole")[1], progress=delivered.append,
              success=delivered.append)  # fmt: skip
    assert tasks.wait(5000)
    assert delivered == []  # on its way: no event loop has run
    tasks.deliver_arrived()
    assert delivered == ["half", "whole"]
    assert not tasks.busy()


def test_a_queue_from_inside_a_delivery_replaces_the_waiting_start(owner, qtbot) -> None:
    tasks = Background(owner)
    gate = threading.Event()
    order: list[str] = []

    def start(name: str, then: Callable[[], object] | None = None) -> None:
        def work(job: Job) -> str:
            if name == "first":
                gate.wait(5)
            return name

        def success(value: str) -> None:
            order.append(value)
            if then is not None:
                then()  # e.g. a list result whose handler asks for another reload

        tasks.run(work, lane="reset", success=success)

    tasks.queue("reset", lambda: start("first", then=lambda: tasks.queue(
        "reset", lambda: start("newest"))))  # fmt: skip
    tasks.queue("reset", lambda: start("older waiting"))
    gate.set()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=5000)
    assert order == ["first", "newest"]
