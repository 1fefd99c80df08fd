"""File > Restore from Backup… and a damaged store at start, through `run_gui`'s loop."""

from __future__ import annotations

from pathlib import Path

from editor.services import backups
from editor.services.newsroom import Newsroom
from editor.ui import app as app_module
from editor.ui import dialogs
from editor.ui.import_export import backup_dialog
from editor.ui.main_window import RESTORE_BACKUP


def test_choosing_a_backup_closes_the_window_saved_and_names_the_backup(
    make_window, newsroom: Newsroom, store_path: Path, qtbot, monkeypatch
) -> None:
    article = newsroom.create_article("Harbour wall holds", "The tide turned.\n")
    made = backups.make_backup(store_path)
    window = make_window()
    window.open_article(article.id)
    window.headline_field.setText("Harbour wall holds firm")
    window.edit_field("headline", "Harbour wall holds firm")
    offered: list[list] = []

    def choose(_parent, store, found):
        offered.append([info.path for info in found])
        return made.path

    monkeypatch.setattr(backup_dialog, "choose_backup", choose)
    assert window.restore_backup()
    assert not window.isVisible()
    assert window.after_close == (RESTORE_BACKUP, made.path)
    assert made.path in offered[0]
    assert newsroom.get_article(article.id).headline == "Harbour wall holds firm"  # saved


def test_declining_the_chooser_keeps_the_window(make_window, qtbot, monkeypatch) -> None:
    window = make_window()
    monkeypatch.setattr(backup_dialog, "choose_backup", lambda *_a: None)
    assert not window.restore_backup()
    assert window.isVisible() and window.after_close is None


def test_a_shared_store_says_its_backups_live_on_the_server(make_window, monkeypatch) -> None:
    window = make_window()
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, _t, message: shown.append(message))
    monkeypatch.setattr(
        backups, "store_file", lambda _l: (_ for _ in ()).throw(backups.StoreError("on its server"))
    )
    assert not window.restore_backup()
    assert shown == ["on its server"]


def test_run_gui_restores_with_the_store_shut_then_opens_it_again(
    app, store_path: Path, monkeypatch
) -> None:
    opened: list[str] = []
    restored: list[Path] = []
    chosen = store_path.with_name("newsroom.backup-x.db")

    def open_as(location, user_name, _state):
        opened.append(user_name or "")
        return Newsroom.open(store_path, user_name) if len(opened) < 3 else None

    runs = iter([(0, (RESTORE_BACKUP, chosen)), (0, None)])

    def run_window(_app, newsroom, _state):
        assert not restored or len(opened) == 2
        return next(runs)

    def restore(parent, location, *, close_store, reopen, choose):
        restored.append(choose(parent, location, []))
        return None

    monkeypatch.setattr(app_module, "_open_as_someone", open_as)
    monkeypatch.setattr(app_module, "_run_window", run_window)
    monkeypatch.setattr(backup_dialog, "restore_from_backup", restore)
    assert app_module.run_gui(str(store_path), None) == 0
    assert restored == [chosen]
    assert len(opened) == 2  # once before the restore, once after


def test_a_damaged_store_at_start_offers_its_backup_then_opens(
    app, store_path: Path, monkeypatch
) -> None:
    attempts: list[int] = []
    damaged = backups.DamagedStoreError("damaged", store_path, ["page 4"], store_path)

    def open_as(_location, _user, _state):
        attempts.append(1)
        if len(attempts) == 1:
            raise damaged
        return None  # then the person declines to say who they are

    offers: list[object] = []
    monkeypatch.setattr(app_module, "_open_as_someone", open_as)
    monkeypatch.setattr(
        backup_dialog,
        "offer_backup_for_damaged_store",
        lambda _p, error: offers.append(error) or "restored",
    )
    assert app_module.run_gui(str(store_path), None) == app_module.EXIT_CANCELLED
    assert offers == [damaged] and len(attempts) == 2


def test_a_damaged_store_whose_backup_is_declined_exits_2(app, store_path, monkeypatch):
    damaged = backups.DamagedStoreError("damaged", store_path, ["page 4"], None)
    monkeypatch.setattr(app_module, "_open_as_someone", lambda *_a: (_ for _ in ()).throw(damaged))
    monkeypatch.setattr(backup_dialog, "offer_backup_for_damaged_store", lambda *_a: None)
    assert app_module.run_gui(str(store_path), None) == app_module.EXIT_STORE_ERROR
