"""File > Restore from Backup…: the list, the restore that keeps the store aside, the reopen."""

from __future__ import annotations

import os

import pytest

from editor.core.errors import StoreError
from editor.services import backups
from editor.services.newsroom import Newsroom
from editor.ui.import_export import backup_dialog
from editor.ui.import_export.backup_dialog import RestoreBackupDialog


@pytest.fixture(autouse=True)
def _no_daily_backups(monkeypatch):
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")


def _headlines(path) -> list[str]:
    room = Newsroom.open(path, reader=True)
    try:
        return sorted(a.headline for a in room.list_articles())
    finally:
        room.close()


@pytest.fixture
def store_with_backup(store_path):
    room = Newsroom.open(store_path)
    room.create_article("In the backup", "Body.")
    room.close()
    made = backups.make_backup(store_path)
    room = Newsroom.open(store_path)
    room.create_article("Written after the backup", "Body.")
    room.close()
    return store_path, made


def test_the_dialog_lists_the_backups_newest_first(app, qtbot, store_with_backup):
    store, made = store_with_backup
    newer = backups.make_backup(store)
    dialog = RestoreBackupDialog(store, backups.list_backups(store))
    qtbot.addWidget(dialog)
    table = dialog.table
    assert table.topLevelItemCount() == 2
    assert [table.topLevelItem(i).text(3) for i in range(2)] == [newer.path.name, made.path.name]
    assert table.topLevelItem(0).text(2) == "made by hand"
    assert "KB" in table.topLevelItem(0).text(1)
    assert dialog.selected_backup() == newer.path
    assert dialog.restore_button.isEnabled()
    table.clearSelection()
    assert not dialog.restore_button.isEnabled()


def test_with_no_backups_the_dialog_says_so_and_cannot_restore(app, qtbot, store_path):
    Newsroom.open(store_path).close()
    dialog = RestoreBackupDialog(store_path, [])
    qtbot.addWidget(dialog)
    assert not dialog.empty.isHidden() and "no backups" in dialog.empty.text()
    assert not dialog.restore_button.isEnabled()


def test_restore_closes_restores_keeps_the_store_aside_and_reopens(app, qtbot, store_with_backup):
    store, made = store_with_backup
    steps = []
    messages = []
    report = backup_dialog.restore_from_backup(
        None,
        store,
        close_store=lambda: steps.append("close") or True,
        reopen=lambda: steps.append(("reopen", _headlines(store))),
        choose=lambda parent, path, found: found[0].path,
        inform=lambda parent, title, text: messages.append((title, text)),
    )
    assert report is not None and report.backup == made.path
    assert steps == ["close", ("reopen", ["In the backup"])]
    assert report.kept_aside is not None
    assert _headlines(report.kept_aside) == ["In the backup", "Written after the backup"]
    assert messages[0][0] == "Backup restored"
    assert str(report.kept_aside) in messages[0][1]


def test_a_person_who_keeps_an_unsaved_change_stops_the_restore(app, store_with_backup):
    store, made = store_with_backup
    reopened = []
    report = backup_dialog.restore_from_backup(
        None,
        store,
        close_store=lambda: False,
        reopen=lambda: reopened.append(True),
        choose=lambda parent, path, found: made.path,
    )
    assert report is None and reopened == []
    assert _headlines(store) == ["In the backup", "Written after the backup"]


def test_a_failed_restore_reopens_the_store_as_it_was(app, store_with_backup, tmp_path):
    store, _made = store_with_backup
    bad = tmp_path / "bad.db"
    bad.write_bytes(os.urandom(8192))
    messages, reopened = [], []
    report = backup_dialog.restore_from_backup(
        None,
        store,
        close_store=lambda: True,
        reopen=lambda: reopened.append(_headlines(store)),
        choose=lambda parent, path, found: bad,
        inform=lambda parent, title, text: messages.append((title, text)),
    )
    assert report is None
    assert reopened == [["In the backup", "Written after the backup"]]
    assert messages[0][0] == "The backup was not restored"
    assert "as it was" in messages[0][1]


def test_a_damaged_store_at_start_offers_its_latest_good_backup(app, store_with_backup):
    store, made = store_with_backup
    with store.open("r+b") as handle:
        handle.seek(4096)
        handle.write(os.urandom(4096))
    with pytest.raises(backups.DamagedStoreError) as refused:
        Newsroom.open(store)
    asked = []
    report = backup_dialog.offer_backup_for_damaged_store(
        None, refused.value, ask=lambda parent, title, text: asked.append(text) or True
    )
    assert str(made.path) in asked[0]
    assert report is not None and report.backup == made.path
    assert _headlines(store) == ["In the backup"]


def test_the_work_runs_off_the_gui_thread_and_its_error_comes_back(app):
    import threading

    seen = []

    def work():
        seen.append(threading.current_thread() is threading.main_thread())
        return 42

    assert backup_dialog.run_with_progress(None, "Working…", work) == 42
    assert seen == [False]

    def failing():
        raise StoreError("no room")

    with pytest.raises(StoreError, match="no room"):
        backup_dialog.run_with_progress(None, "Working…", failing)
