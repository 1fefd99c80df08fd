"""File > Sync with Desk and story packages in the window: off the GUI thread, the list and
the open article follow, the status bar says what moved, and bad input gets a message."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from editor.services.newsroom import Newsroom
from editor.services.syncing import sync_with
from editor.ui import dialogs
from editor.ui.import_export import sync_actions
from editor.ui.import_export.sync_actions import DESK_KEY


@pytest.fixture
def desk(tmp_path: Path):
    room = Newsroom.init(tmp_path / "desk.db", "ada")
    room.add_user("rita", "reporter")
    yield room
    room.close()


@pytest.fixture
def laptop(tmp_path: Path, desk: Newsroom):
    room = Newsroom.open(tmp_path / "laptop.db", bootstrap=False, reader=True)
    sync_with(room, str(desk.store.path))
    room.switch_user("rita")
    yield room
    room.close()


@pytest.fixture
def errors(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, _t, message: shown.append(message))
    monkeypatch.setattr(dialogs, "show_warning", lambda _p, _t, message: shown.append(message))
    return shown


def _synced(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.status.currentMessage().startswith("Synced"), timeout=15000)


def test_sync_sends_the_draft_up_and_brings_the_desks_edit_down(
    make_window, laptop, desk, qtbot, errors
) -> None:
    article = laptop.create_article("Fire at the mill", "The mill burned.\n", section="Local")
    QSettings().setValue(DESK_KEY, str(desk.store.path))
    window = make_window(room=laptop)
    window.open_article(article.id)

    assert window.sync.sync()
    _synced(qtbot, window)
    assert "1 article up, 0 down" in window.status.currentMessage()
    assert desk.get_article(article.id).body == "The mill burned.\n"

    desk.switch_user("rita")
    theirs = desk.get_article(article.id)
    desk.save_article(
        theirs.id, expected_version=theirs.version, changes={"headline": "Fire at the old mill"}
    )
    assert window.sync.sync()
    _synced(qtbot, window)
    assert "0 articles up, 1 down" in window.status.currentMessage()
    qtbot.waitUntil(lambda: window.headline_field.text() == "Fire at the old mill", timeout=5000)
    row = window.list_model.row_of(article.id)
    qtbot.waitUntil(
        lambda: (
            window.list_model.summary(window.list_model.row_of(article.id)).headline
            == "Fire at the old mill"
        ),
        timeout=5000,
    )
    assert row is not None
    assert errors == []


def test_typing_before_a_sync_is_saved_and_goes_up(make_window, laptop, desk, qtbot) -> None:
    article = laptop.create_article("Fire at the mill", "The mill burned.\n", section="Local")
    QSettings().setValue(DESK_KEY, str(desk.store.path))
    window = make_window(room=laptop)
    window.open_article(article.id)
    window.headline_field.setText("Fire at the mill, twice")
    window.edit_field("headline", "Fire at the mill, twice")

    assert window.sync.sync()
    _synced(qtbot, window)
    assert desk.get_article(article.id).headline == "Fire at the mill, twice"


def test_an_unreachable_desk_says_so_and_keeps_everything(
    make_window, laptop, tmp_path, qtbot, errors
) -> None:
    article = laptop.create_article("Fire at the mill", "The mill burned.\n")
    (tmp_path / "not-a-store.db").write_bytes(b"\x00\x01 this is no database " * 64)
    QSettings().setValue(DESK_KEY, str(tmp_path / "not-a-store.db"))
    window = make_window(room=laptop)
    window.open_article(article.id)

    assert window.sync.sync()
    qtbot.waitUntil(lambda: bool(errors), timeout=15000)
    assert "not-a-store.db" in errors[0]
    assert window.status.currentMessage() == "Sync with Desk failed"
    assert laptop.get_article(article.id).body == "The mill burned.\n"
    assert window.actions["file_sync"].isEnabled()


def test_without_a_desk_the_window_asks_for_one_and_remembers_it(
    make_window, laptop, desk, qtbot, monkeypatch
) -> None:
    asked: list[str] = []

    def ask(*_args):
        asked.append("asked")
        return str(desk.store.path), True

    monkeypatch.delenv("NEWSROOM_DESK", raising=False)
    monkeypatch.setattr(sync_actions.QInputDialog, "getText", ask)
    window = make_window(room=laptop)
    assert window.sync.sync()
    _synced(qtbot, window)
    assert asked == ["asked"]
    assert QSettings().value(DESK_KEY) == str(desk.store.path)


def test_a_story_package_sent_and_opened_twice_is_one_article(
    make_window, laptop, desk, tmp_path, qtbot, monkeypatch, errors
) -> None:
    article = laptop.create_article("Fire at the mill", "The mill burned.\n", section="Local")
    window = make_window(room=laptop)
    window.open_article(article.id)
    package = tmp_path / "fire.nrpkg"
    monkeypatch.setattr(sync_actions.QFileDialog, "getSaveFileName", lambda *_a: (str(package), ""))
    assert window.sync.send()
    qtbot.waitUntil(package.exists, timeout=15000)
    qtbot.waitUntil(lambda: "Story package written" in window.status.currentMessage(), timeout=5000)

    desk_window = make_window(room=desk)
    assert desk_window.sync.receive([package])
    qtbot.waitUntil(
        lambda: "1 article new or changed" in desk_window.status.currentMessage(), timeout=15000
    )
    assert desk.get_article(article.id).headline == "Fire at the mill"
    assert desk_window.sync.receive([package])
    qtbot.waitUntil(lambda: "nothing new" in desk_window.status.currentMessage(), timeout=15000)
    assert errors == []
