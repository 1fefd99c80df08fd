"""How long the GUI thread is blocked when the store is locked by another program.

A real window (offscreen unless QT_QPA_PLATFORM says otherwise) on a real store; another
process holds the store's write lock (the `sqlite3` shell in `BEGIN EXCLUSIVE`, or a
Python process in `BEGIN IMMEDIATE`) for LOCK_S seconds. A heartbeat timer ticks every
5 ms on the GUI thread; the longest gap between two ticks is how long the window froze.

Scenarios:
  ctrl-s     type, then Ctrl+S while the store is locked
  autosave   type, let the pause autosave start (it waits on the lock), then Ctrl+S
  focus      type, then the window loses focus (the focus-loss autosave)

Printed per scenario: the longest heartbeat gap, how long the save call took on the GUI
thread, when "Waiting for the store" first showed in the status bar, and whether (and
when after the lock went) the text reached the store.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_locked_save.py [--lock-s 6]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent, QEventLoop, QSettings, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest

from editor.services.newsroom import Newsroom
from editor.ui import dialogs
from editor.ui.app import make_application
from editor.ui.main_window import MainWindow
from editor.ui.settings import Preferences, WindowState

HEARTBEAT_MS = 5


def hold_lock(path: Path, seconds: float, how: str) -> subprocess.Popen:
    """Another program holding the store's write lock for `seconds`."""
    if how == "sqlite3" and shutil.which("sqlite3"):
        holder = subprocess.Popen(
            ["sqlite3", str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.write(
            "BEGIN EXCLUSIVE;\nUPDATE users SET name = name;\nSELECT 'locked';\n"
            f".shell sleep {seconds}\nCOMMIT;\n"
        )
        holder.stdin.close()  # it runs the lines, sleeps, commits and ends
    else:
        script = (
            "import sqlite3, time\n"
            f"db = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
            "db.execute('BEGIN IMMEDIATE'); db.execute('UPDATE users SET name = name')\n"
            f"print('locked', flush=True); time.sleep({seconds}); db.execute('COMMIT')\n"
        )
        holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    return holder


def run(scenario: str, lock_s: float, how: str, folder: Path) -> dict[str, object]:
    app = make_application()
    path = folder / f"{scenario}-{how}.db"
    room = Newsroom.open(path)
    article = room.create_article("Locked store", "The first paragraph.\n")
    window = MainWindow(room, Preferences(autosave_delay_ms=1500), WindowState(QSettings()))
    shown: list[str] = []
    dialogs.show_error = lambda _p, _t, text: shown.append(text)  # no modal box here
    dialogs.ask_quit_without_saving = lambda _p, _text: True
    window.show()
    window.start()
    QTest.qWait(800)
    window.open_article(article.id)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(window.editor, " Typed while locked.")

    gaps: list[float] = []
    last = [time.perf_counter()]
    seen_waiting: list[float] = []
    started = [0.0]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
        if (
            not seen_waiting
            and started[0]
            and "Waiting for the store" in window.status.currentMessage()
        ):
            seen_waiting.append(now - started[0])

    heart = QTimer()
    heart.setInterval(HEARTBEAT_MS)
    heart.timeout.connect(beat)

    holder = hold_lock(path, lock_s, how)
    lock_gone = time.perf_counter() + lock_s
    call = [0.0]

    def act() -> None:
        started[0] = time.perf_counter()
        if scenario == "focus":
            app.sendEvent(window, QEvent(QEvent.Type.WindowDeactivate))
        else:
            window.actions["file_save"].trigger()
        call[0] = time.perf_counter() - started[0]
        if os.environ.get("BENCH_DEBUG"):
            print("act", started[0], call[0], "beats", len(gaps), last[0])

    delay = 2200 if scenario == "autosave" else 50  # the pause autosave starts at 1.5 s
    heart.start()
    last[0] = time.perf_counter()
    QTimer.singleShot(delay, act)
    saved_at = [None]
    deadline = time.perf_counter() + lock_s + 25
    loop = QEventLoop()

    def check() -> None:
        if started[0] and "Typed while locked." in room.get_article(article.id).body:
            saved_at[0] = time.perf_counter()
            loop.quit()
        elif time.perf_counter() > deadline:
            loop.quit()

    checker = QTimer()
    checker.setInterval(50)
    checker.timeout.connect(check)
    checker.start()
    loop.exec()
    beat()  # the gap up to now counts too (the loop may end right after a long block)
    heart.stop()
    checker.stop()
    if os.environ.get("BENCH_DEBUG"):
        print("gaps>0.1", [(round(g, 3), i) for i, g in enumerate(gaps) if g > 0.1], len(gaps))
    holder.wait(30)
    window.close()
    window.deleteLater()
    QTest.qWait(50)
    room.close()
    return {
        "scenario": scenario,
        "holder": how,
        "max_gap_s": max(gaps) if gaps else None,
        "save_call_s": call[0],
        "waiting_shown_s": seen_waiting[0] if seen_waiting else None,
        "saved_after_lock_s": None if saved_at[0] is None else saved_at[0] - lock_gone,
        "dialogs": len(shown),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock-s", type=float, default=6.0)
    parser.add_argument("--scenario", action="append", choices=["ctrl-s", "autosave", "focus"])
    parser.add_argument("--holder", action="append", choices=["sqlite3", "python"])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-locked-"))
    settings = folder / "settings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings))
    os.environ["NEWSROOM_BACKUP_KEEP"] = "0"
    print(f"load average: {os.getloadavg()[0]:.2f} (lock held {args.lock_s:.0f} s)")
    for how in args.holder or ["sqlite3", "python"]:
        for scenario in args.scenario or ["ctrl-s", "autosave", "focus"]:
            result = run(scenario, args.lock_s, how, folder)
            shown = result["waiting_shown_s"]
            after = result["saved_after_lock_s"]
            print(
                f"{scenario:<9} {how:<8} longest GUI gap {result['max_gap_s']:6.3f} s, "
                f"save call {result['save_call_s']:6.3f} s, 'Waiting' shown "
                + ("never" if shown is None else f"after {shown * 1000:.0f} ms")
                + ", text in the store "
                + ("never" if after is None else f"{after:+.2f} s after the lock went")
                + f", dialogs {result['dialogs']}"
            )
    print(f"load average: {os.getloadavg()[0]:.2f}")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
