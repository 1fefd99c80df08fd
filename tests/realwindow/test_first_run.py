"""The README's first start: `make run` in a fresh HOME, as whoever runs the tests (root on CI).

Nothing is prepared: no store, no settings, no NEWSROOM_STORE, no
QTWEBENGINE_CHROMIUM_FLAGS (as root the app has to add --no-sandbox itself). The
first-run dialog ("who are you?") is answered with Return, which works as the admin the
new store made for the login; then the main window must appear and the default store
hold the four samples.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from tests.realwindow.xsession import REPO, App, person_env, problem_lines, wait_for, x_server

# The main window's title: "<headline> — Newsroom Editor" (the dialog's title starts with
# "Welcome: who are you? — Newsroom Editor").
MAIN_WINDOW = "^[^:]+ — Newsroom Editor$|^Newsroom Editor$"


def _venv_is_current() -> bool:
    """`make run` would reinstall into .venv when its stamp is older than pyproject.toml."""
    result = subprocess.run(
        ["make", "-q", ".venv/.installed"], cwd=REPO, capture_output=True, check=False
    )
    return result.returncode == 0


def test_make_run_first_start_in_a_fresh_home(tmp_path: Path, shots_dir: Path) -> None:
    # A .venv older than pyproject.toml would be reinstalled by `make run`: while other
    # work edits it, run the window without remaking the stamp (make's -o).
    command = ["make", "run"] if _venv_is_current() else ["make", "-o", ".venv/.installed", "run"]
    home = tmp_path / "home"
    home.mkdir()
    with x_server(1920, 1080, tmp_path / "x") as x:
        env = person_env(home, os.environ)
        env["DISPLAY"] = x.display
        env.pop("MAKEFLAGS", None)
        env.pop("MAKELEVEL", None)
        app = App(command, env, tmp_path).start()
        try:
            app.mark("first start")
            dialog = x.find_window("who are you", timeout=60, alive=app.check_alive)
            x.screenshot(tmp_path / "first-run-dialog.png")
            app.mark("answer the first-run dialog")
            notes: list[str] = []
            x.key(dialog, "Return")  # the default button, "Work as <login>"
            try:
                window = x.find_window(MAIN_WINDOW, timeout=5, alive=app.check_alive)
            except TimeoutError:
                notes.append("Return did not accept the first-run dialog; clicked Work as")
                # "Work as ..." sits left of Cancel at the dialog's bottom right.
                left, top, width, height = x.geometry(dialog)
                x.xdotool("mousemove", "--sync", left + width - 161, top + height - 47, "click", 1)
                window = x.find_window(MAIN_WINDOW, timeout=60, alive=app.check_alive)
            wait_for("an article to open (its headline in the title)",
                     lambda: app.check_alive() or "—" in x.window_name(window),
                     timeout=30)  # fmt: skip
            app.check_alive()
            shot = x.screenshot(tmp_path / "first-run-window.png")
            (shots_dir / "first-run.png").write_bytes(shot.read_bytes())

            store = home / ".local/share/newsroom-editor/newsroom.db"
            assert store.is_file(), f"the default store {store} was not created"
            with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=5) as db:
                articles = db.execute(
                    "SELECT count(*) FROM articles WHERE deleted_at IS NULL"
                ).fetchone()[0]
            assert articles == 4, f"the samples: 4 articles expected, the store holds {articles}"

            (shots_dir / "first-run-notes.txt").write_text(
                "".join(f"{note}\n" for note in notes), encoding="utf-8"
            )
            app.mark("quit")
            x.key(window, "ctrl+q")
            try:
                code = app.process.wait(15) if app.process else None
            except subprocess.TimeoutExpired:
                x.screenshot(tmp_path / "first-run-quit.png")
                code = app.stop(timeout=0.1)
            assert code == 0, f"make run exited with {code}; stderr:\n{app.stderr()[-4000:]}"
        finally:
            app.stop(timeout=0.1)
    stderr = app.stderr()
    tracebacks = [line for line in problem_lines(stderr) if "Traceback" in line]
    assert not tracebacks, f"a traceback on stderr:\n{stderr[-4000:]}"
    print("first run notes:", *notes, "stderr warnings:", *app.problems_by_step(), sep="\n  ")
