"""How fast a colleague's comment reaches the open story's Review tab, and what reading the
open article's threads adds to each look of the desk watch (SQLite and PostgreSQL).

The window is the real one, offscreen; the colleague is another process that adds a
comment every ~1.2 s and notes the wall-clock time of each commit. The delay is from
that commit to the card being in the Review tab (the watch's `comments_changed_elsewhere`).
The article carries `--threads` threads with two replies each (a busy story).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_review_live.py
        [--comments N] [--threads N] [--url POSTGRES_URL] [--no-postgres]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:  # the preview's Chromium, as `newsroom` does
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from sqlalchemy import create_engine, text

from editor.services.newsroom import Newsroom
from editor.services.review import selection_anchor
from editor.ui.main_window import MainWindow
from editor.ui.settings import Preferences, WindowState

BODY = "\n\n".join(f"Paragraph {n} of the story, with words to comment on." for n in range(60))
POSTGRES = os.environ.get("NEWSROOM_TEST_POSTGRES", "postgresql+psycopg://root@127.0.0.1/test")


def _anchor(n: int) -> dict[str, object]:
    passage = f"Paragraph {n} of the story"
    start = BODY.index(passage)
    return selection_anchor(BODY, start, start + len(passage))


def busy_story(room: Newsroom, threads: int) -> str:
    article = room.create_article("Budget row", BODY)
    for n in range(threads):
        thread = room.add_comment(article.id, body=f"Note {n}", **_anchor(n % 60))
        room.reply(thread.id, "Agreed.")
        room.reply(thread.id, "Fixed.")
    return article.id


def look_cost(room: Newsroom, article_id: str, repeat: int = 50) -> float:
    room.list_comments(article_id)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        room.list_comments(article_id)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


COLLEAGUE = """
import sys, time
from editor.services.newsroom import Newsroom
from editor.services.review import selection_anchor
location, article_id, count, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
room = Newsroom.open(location, "elena")
body = room.get_article(article_id).body
with open(out, "w") as times:
    for n in range(count):
        time.sleep(1.2)
        start = body.index(f"Paragraph {n} of")
        room.add_comment(article_id, body=f"Live {n}", **selection_anchor(body, start, start + 12))
        times.write(f"{time.time()}\\n")
        times.flush()
room.close()
"""


def delays(app: QApplication, location: str, room: Newsroom, article_id: str, count: int):
    window = MainWindow(room, Preferences(), WindowState(QSettings()))
    window.show()
    window.start()
    window.open_article(article_id)
    watch = window.desk_watch
    wants_listening = room.presence.can_listen
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (
        watch._seen is None or (wants_listening and not watch.listening)
    ):
        app.processEvents()
        time.sleep(0.01)
    base = len(window.review.threads)
    seen: dict[int, float] = {}  # thread count -> when the Review tab first showed it

    def arrived(_article_id: str) -> None:
        seen.setdefault(len(window.review.threads), time.time())

    watch.comments_changed_elsewhere.connect(arrived)
    with tempfile.NamedTemporaryFile("r", suffix=".times") as out:
        child = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(COLLEAGUE), location, article_id,
             str(count), out.name]
        )  # fmt: skip
        deadline = time.monotonic() + count * 1.2 + 30
        while time.monotonic() < deadline and (child.poll() is None or base + count not in seen):
            app.processEvents()
            time.sleep(0.005)
        child.wait(30)
        commits = [float(line) for line in Path(out.name).read_text().split()]
    window.close()
    result = []
    for n, committed in enumerate(commits):
        shown = min((when for total, when in seen.items() if total >= base + n + 1), default=None)
        result.append(None if shown is None else (shown - committed) * 1000)
    return result


def report(label: str, values: list[float | None], cost: float) -> None:
    shown = sorted(v for v in values if v is not None)
    missed = len(values) - len(shown)
    print(
        f"{label:<10} commit -> card: median {statistics.median(shown):6.0f} ms,"
        f" max {max(shown):6.0f} ms over {len(shown)} comments"
        + (f", {missed} never shown" if missed else "")
        + f"; the look's extra read of the threads: median {cost:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=10)
    parser.add_argument("--threads", type=int, default=40)
    parser.add_argument("--url", default=POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    settings = tempfile.mkdtemp(prefix="bench-review-settings-")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, settings)
    app = QApplication(sys.argv)
    app.setOrganizationName("NewsroomBench")
    app.setApplicationName("bench_review_live")

    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "desk.db")
        room = Newsroom.open(path)
        room.add_user("elena", "editor")
        article_id = busy_story(room, args.threads)
        cost = look_cost(room, article_id)
        report("SQLite", delays(app, path, room, article_id, args.comments), cost)
        room.close()

    if args.no_postgres:
        return
    admin = create_engine(args.url, isolation_level="AUTOCOMMIT")
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        url = f"{args.url}?options=-csearch_path%3D{schema}"
        room = Newsroom.open(url)
        room.add_user("elena", "editor")
        article_id = busy_story(room, args.threads)
        cost = look_cost(room, article_id)
        report("PostgreSQL", delays(app, url, room, article_id, args.comments), cost)
        room.close()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
