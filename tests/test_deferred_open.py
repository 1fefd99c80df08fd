"""`editor.services.deferred_open`: a newsroom whose store opens after the window's first
paint answers what that paint asks from the file, as the opened store answers it, opens
the real store for anything else, and is refused whenever the full open must speak."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from editor.cli import main
from editor.core.errors import NewsroomError
from editor.core.model import ArticleQuery, Desk, Status
from editor.services import deferred_open
from editor.services.deferred_open import DeferredNewsroom, open_soon
from editor.services.newsroom import Newsroom
from editor.store.direct_reads import DirectReader

ROOT = Path(__file__).resolve().parents[1]

#: Before each script of `_run_app`: offscreen, settings in the test's folder.
_PREAMBLE = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
from PySide6.QtCore import QSettings
from editor.ui import app
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
    QSettings.setPath(QSettings.Format.IniFormat, scope, {settings!r})
"""


def _run_app(script: str, settings: Path) -> subprocess.CompletedProcess[str]:
    """`script` in a fresh process, as the app starts (nothing imported before it)."""
    code = _PREAMBLE.format(settings=str(settings)) + script
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A store with a few articles (one deleted, one submitted) and dictionary words."""
    monkeypatch.delenv("NEWSROOM_STORE", raising=False)
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    path = tmp_path / "soon.db"
    assert main(["--store", str(path), "init", "--admin", "Ada"]) == 0
    room = Newsroom.open(path, "Ada")
    room.add_user("Rita Reporter", "reporter")
    made = [
        room.create_article(f"Story {n}", f"Body {n} of the day.", sign=False) for n in range(7)
    ]
    room.transition(made[1].id, "submit", note="Submitted anyway.")
    room.delete_article(made[2].id)
    for word in ("zebra", "Aardvark", "aardvark", "Ngāti"):
        room.add_dictionary_word(word)
    room.close()
    return path


def test_what_the_first_paint_asks_is_what_the_open_store_says(store):
    soon = open_soon(store, "rita reporter")
    assert isinstance(soon, DeferredNewsroom) and not soon.is_open
    real = Newsroom.open(store, "Rita Reporter")
    try:
        assert soon.user == real.user and soon.has_user and not soon.fixed_identity
        assert soon.store.path == real.store.path
        assert soon.dictionary_words() == real.dictionary_words()
        for query in (ArticleQuery(), ArticleQuery(include_deleted=True),
                      ArticleQuery(status=Status.SUBMITTED)):  # fmt: skip
            assert soon.reads_directly(query)
            assert soon.count_articles(query) == real.count_articles(query)
            for offset, limit in ((0, 200), (0, 3), (2, 3), (6, 5)):
                assert soon.list_articles(query, offset, limit) == real.list_articles(
                    query, offset, limit
                )
        assert not soon.is_open  # all of it read from the file
    finally:
        real.close()
        soon.close()


def test_anything_else_opens_the_store(store):
    soon = open_soon(store, "Ada")
    try:
        searched = ArticleQuery(search="story")
        desk = ArticleQuery(desk=Desk.WAITING.value)
        assert not soon.reads_directly(searched) and not soon.reads_directly(desk)
        assert soon.count_articles(desk) == 1 and soon.is_open  # a desk view: the store
        assert soon.list_articles(searched)  # and, open, it answers all of it
        assert soon.store.path == store.resolve()
        assert soon.user.name == "Ada" and soon.user is soon.open().user
        assert soon.open() is soon.open()  # opened once
    finally:
        soon.close()


def test_the_store_place_opens_the_store_for_the_rest(store):
    soon = open_soon(store, "Ada")
    try:
        assert soon.store.path == store.resolve() and not soon.is_open
        assert soon.store.list_users() and soon.is_open  # not a place's: the store's
    finally:
        soon.close()


def test_the_full_open_speaks_first(store, tmp_path):
    assert open_soon(store, "Nobody Here") is None  # the full open names who is there
    assert open_soon(tmp_path / "missing.db", "Ada") is None  # it would be created
    assert open_soon("postgresql://127.0.0.1/test", "Ada") is None  # a shared desk
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a store at all" * 100)
    assert open_soon(junk, "Ada") is None  # refused, by the full open


def test_an_open_that_fails_says_so_every_time(store, monkeypatch):
    soon = open_soon(store, "Ada")

    def refuse(*_args, **_kwargs):
        raise NewsroomError("The store went away.")

    monkeypatch.setattr(Newsroom, "open", refuse)
    for _ in range(2):
        with pytest.raises(NewsroomError, match="went away"):
            soon.list_articles(ArticleQuery(search="x"))
    with pytest.raises(NewsroomError, match="went away"):
        soon.count_articles()  # the file is not read after the open failed
    soon.close()


def test_another_thread_waits_for_the_window_to_open_it(store, monkeypatch):
    monkeypatch.setattr(deferred_open, "OTHERS_WAIT_S", 10.0)
    soon = open_soon(store, "Ada")
    opened_by: list[str] = []
    real_open = Newsroom.open

    def recording(*args, **kwargs):
        opened_by.append(threading.current_thread().name)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(Newsroom, "open", recording)
    counted: list[int] = []
    worker = threading.Thread(
        target=lambda: counted.append(soon.count_articles(ArticleQuery(desk="waiting"))),
        name="worker",
    )
    worker.start()
    worker.join(0.3)
    assert worker.is_alive() and not soon.is_open  # waiting, not opening
    soon.open()
    worker.join(5)
    assert counted == [1] and opened_by == ["MainThread"]
    soon.close()


def test_a_thread_waiting_when_it_closes_opens_nothing(store, monkeypatch):
    monkeypatch.setattr(deferred_open, "OTHERS_WAIT_S", 10.0)
    soon = open_soon(store, "Ada")
    failed: list[BaseException] = []

    def count() -> None:
        try:
            soon.count_articles(ArticleQuery(desk="waiting"))
        except NewsroomError as error:
            failed.append(error)

    worker = threading.Thread(target=count)
    worker.start()
    worker.join(0.2)
    soon.close()  # the window closed before the store opened
    worker.join(5)
    assert not worker.is_alive() and "closed" in str(failed[0]) and not soon.is_open


def test_the_window_paints_before_sqlalchemy_is_imported(store, tmp_path):
    """The whole start-up to a painted window, in a fresh process, offscreen: the list's
    rows and the article it opens with are in it, SQLAlchemy is not loaded, and what is
    typed before the store opens is saved at close (opened then, if it was not yet)."""
    script = f"""
import json
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from editor.ui import main_window
seen = {{}}
paint = main_window.MainWindow.paintEvent
def painted(self, event):
    paint(self, event)
    if not seen:
        seen["rows"] = self.list_model.rowCount()
        seen["sqlalchemy"] = "sqlalchemy" in sys.modules
        seen["open"] = self.newsroom.is_open
        seen["shown"] = (self.headline_field.text(), self.editor.toPlainText())
        QTest.keyClicks(self.editor, "Early. ")  # before the store is open
        QTimer.singleShot(800, self.close)
close = main_window.MainWindow.closeEvent
def closing(self, event):
    seen["article"] = self.session.article.headline if self.session.article else None
    close(self, event)
main_window.MainWindow.paintEvent = painted
main_window.MainWindow.closeEvent = closing
code = app.run_gui({str(store)!r}, "Ada")
print(code, json.dumps(seen))
"""
    done = _run_app(script, tmp_path)
    assert done.stdout.startswith("0 {"), done.stderr[-3000:]
    seen = json.loads(done.stdout[2:])
    assert seen["rows"] == 6 and not seen["sqlalchemy"] and not seen["open"]
    assert seen["shown"] == ["Story 1", "Body 1 of the day."]  # the newest, in the first paint
    assert seen["article"] in ("Story 1", None)  # the store may still be opening at 0.8 s
    room = Newsroom.open(store, "Ada")
    try:
        story = next(s for s in room.list_articles() if s.headline == "Story 1")
        saved = room.get_article(story.id).body
        assert saved == "Early. Body 1 of the day.\n"  # kept, and saved at close
    finally:
        room.close()


def test_a_store_that_will_not_open_after_the_paint_is_said_as_before(store, tmp_path):
    """The file looked fine, the full open refuses it: the window closes and the person
    reads why, as when the open came first (exit code 2)."""
    script = f"""
from PySide6.QtWidgets import QMessageBox
from editor.core.errors import StoreError
from editor.services.newsroom import Newsroom
def refuse(*_args, **_kwargs):
    raise StoreError("The store is held by a program that will not let go.")
Newsroom.open = classmethod(refuse)
said = []
QMessageBox.critical = lambda _parent, title, text: said.append((title, text))
print(app.run_gui({str(store)!r}, "Ada"), said)
"""
    done = _run_app(script, tmp_path)
    assert done.stdout.startswith("2 [("), done.stderr[-3000:]
    assert "will not let go" in done.stdout


@pytest.mark.parametrize("search", ["", "story", "body OR day", '"of the"', "zzz"])
def test_the_file_counts_as_the_store_counts(store, search):
    """`DirectReader.count_listing`, searches too, against the store's own count."""
    reader = DirectReader.open(store.resolve())
    real = Newsroom.open(store, "Ada")
    try:
        for deleted in (False, True):
            query = ArticleQuery(search=search, include_deleted=deleted)
            assert reader.count_listing(query) == real.count_articles(query)
            assert reader.count_listing(query) == len(list(reader.iter_listing(query)))
    finally:
        real.close()
        reader.close()
