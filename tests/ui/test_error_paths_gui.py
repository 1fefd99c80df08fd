"""Bad input on the new features, as the person at the window meets it: one clear message,
the window goes on and nothing is lost.

File > Export Site… on a full disk, Format > Image… with a damaged or unreadable file, the
recovery journal and autosave on a store that turned read-only or busy, and a broken
house style file chosen in Preferences.
"""

from __future__ import annotations

import errno
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog, QMessageBox

from editor.core import site
from editor.core.errors import ReadOnlyStoreError, StoreBusyError
from editor.core.site import ExportOptions, staging
from editor.ui import dialogs
from editor.ui.import_export import export_dialog
from editor.ui.preferences_dialog import validate
from tests.export.conftest import publish
from tests.test_error_paths import _png
from tests.ui.conftest import FAST

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def _type(qtbot, window, text: str) -> None:
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, text)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def errors_shown(monkeypatch) -> list[str]:
    """Every error dialog the window would show (critical and warning), instead of showing."""
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, _t, text: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a: shown.append(text))
    return shown


# -- File > Export Site… ------------------------------------------------------------------


def test_export_site_on_a_full_disk_shows_one_message_and_keeps_the_site(
    make_window, newsroom, tmp_path, monkeypatch, errors_shown
) -> None:
    when = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    publish(newsroom, "Council approves flood defences", "The council voted.", section="Local",
            published_at=when)  # fmt: skip
    out = tmp_path / "site"
    site.export_site(newsroom, out, options=ExportOptions(now=NOW, site_name="Old"))
    before = _snapshot(out)
    window = make_window()

    monkeypatch.setattr(
        export_dialog.ExportSiteDialog, "exec", lambda self: QDialog.DialogCode.Accepted
    )
    monkeypatch.setattr(
        export_dialog.ExportSiteDialog,
        "options",
        lambda self: (out, ExportOptions(now=NOW, site_name="New")),
    )
    reports: list[object] = []
    monkeypatch.setattr(export_dialog, "show_report", lambda _p, report: reports.append(report))

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(staging.Staging, "write", full)
    window.actions["file_export_site"].trigger()

    assert reports == []
    assert len(errors_shown) == 1
    assert errors_shown[0].startswith(f"The disk is full: cannot write the site in {out}.")
    assert "The previous site is unchanged." in errors_shown[0]
    assert "Errno" not in errors_shown[0] and "Traceback" not in errors_shown[0]
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.export-")] == []
    assert window.isVisible()


# -- Format > Image… -----------------------------------------------------------------------


@pytest.mark.parametrize("case", ["damaged", "empty", "unreadable", "vanished"])
def test_a_bad_image_file_is_refused_with_a_message_and_nothing_changes(
    make_window, newsroom, tmp_path, monkeypatch, errors_shown, case
) -> None:
    article = newsroom.create_article("Plant opens", "The plant opened.\n")
    window = make_window()
    window.open_article(article.id)
    path = tmp_path / "crane.png"
    path.write_bytes({"damaged": b"\x89PNG\r\n\x1a\n" + b"\0" * 30, "empty": b""}.get(case, _png()))
    if case == "unreadable":
        real = Path.read_bytes

        def refuse(self: Path) -> bytes:
            if self == path:
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", refuse)
    elif case == "vanished":
        path.unlink()
    asked: list[object] = []
    body_before = window.editor.toPlainText()

    result = window.images.insert_from_file(path, ask=lambda dialog: asked.append(dialog))

    assert result is None and asked == []  # refused before asking for alt text
    expected = {
        "damaged": "crane.png looks like a PNG image but it is damaged",
        "empty": "crane.png is empty.",
        "unreadable": f"Cannot read {path}: Permission denied.",
        "vanished": f"Cannot read {path}: No such file or directory.",
    }[case]
    assert len(errors_shown) == 1 and errors_shown[0].startswith(expected)
    assert newsroom.list_assets(article.id) == []
    assert window.editor.toPlainText() == body_before
    assert not window.session._dirty


# -- recovery journal and autosave ---------------------------------------------------------


@pytest.mark.parametrize("error_type", [StoreBusyError, ReadOnlyStoreError])
def test_a_store_that_refuses_the_journal_and_autosave_loses_no_typing(
    make_window, newsroom, qtbot, monkeypatch, errors_shown, error_type
) -> None:
    from editor.ui.session import editing as editing_session

    monkeypatch.setattr(editing_session, "AUTOSAVE_RETRY_MS", 60_000)  # no retry in the test
    article = newsroom.create_article("Harbour", "Boats.\n")
    window = make_window(replace(FAST, autosave_delay_ms=300))
    window.open_article(article.id)
    window.editor.setFocus()
    store = window.newsroom.store
    message = (
        "The store is locked by another program; nothing was saved. Try again in a moment."
        if error_type is StoreBusyError
        else "The store is read-only; nothing was saved."
    )
    refused: list[str] = []
    real_journal, real_save = store.journal.write_journal, window.newsroom.save_article

    def refuse_journal(*args, **kwargs):
        refused.append("journal")
        raise error_type(message)

    def refuse_save(*args, **kwargs):
        refused.append(kwargs.get("reason", "save"))
        raise error_type(message)

    monkeypatch.setattr(store.journal, "write_journal", refuse_journal)
    monkeypatch.setattr(window.newsroom, "save_article", refuse_save)

    _type(qtbot, window, " More boats.")
    qtbot.waitUntil(lambda: "journal" in refused and "autosave" in refused, timeout=8000)
    qtbot.waitUntil(lambda: "Not saved" in window.status.save_state.text(), timeout=3000)
    assert window.status.save_state.toolTip() == message
    assert errors_shown == []  # quiet: the status bar, no dialog while typing
    _type(qtbot, window, " And a ferry.")  # typing goes on
    assert window.editor.toPlainText().rstrip().endswith("More boats. And a ferry.")
    assert not window.editor.isReadOnly()

    # The store takes writes again: Ctrl+S saves everything typed, the journal is cleared.
    monkeypatch.setattr(store.journal, "write_journal", real_journal)
    monkeypatch.setattr(window.newsroom, "save_article", real_save)
    window.actions["file_save"].trigger()
    assert window.status.save_state.text().startswith("Saved")
    assert "More boats. And a ferry." in newsroom.get_article(article.id).body
    assert newsroom.store.journal.list_journal() == []
    assert errors_shown == []


# -- Preferences: house style file ---------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "is not UTF-8 text"),
        (b"- one\n- two\n", "a style file is a mapping with a 'rules' key"),
        (b"rules:\n  foo:\n    kind: nonsense\n", "rule 'foo': unknown kind 'nonsense'"),
    ],
    ids=["binary", "list", "unknown-kind"],
)
def test_a_bad_house_style_is_refused_in_preferences(
    make_window, tmp_path, errors_shown, data, message
) -> None:
    window = make_window()
    path = tmp_path / "desk-style.yml"
    path.write_bytes(data)
    controller = window.preferences_controller
    wanted = replace(window.preferences, style_path=str(path))
    problem = validate(wanted, controller.export_values())  # the dialog refuses OK
    assert problem is not None and problem[0] == "style_path"
    assert message in problem[1] and path.name in problem[1]

    before = window.preferences.style_path
    controller.apply(wanted, controller.export_values())  # and applying it anyway says so
    assert window.preferences.style_path == before
    shown = window.status.currentMessage()
    assert message in shown and path.name in shown  # not hidden by "Preferences saved."
    assert window.newsroom.style_path in (None, before or None)
    assert errors_shown == []
    assert window.isVisible()
