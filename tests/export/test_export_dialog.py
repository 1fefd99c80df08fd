"""File > Export Site…: the dialog remembers its settings, checks input, exports off the GUI
thread and can be cancelled, leaving the old site."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from editor.core.site import ExportOptions
from editor.ui.import_export import export_dialog
from editor.ui.import_export.export_dialog import (
    ExportPreferences,
    ExportSiteDialog,
    ExportWorker,
    run_export,
)
from tests.export.conftest import NOW


@pytest.fixture
def preferences(tmp_path: Path) -> ExportPreferences:
    return ExportPreferences(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def test_dialog_checks_input_and_remembers_it(qtbot, preferences, tmp_path: Path) -> None:
    dialog = ExportSiteDialog(preferences)
    qtbot.addWidget(dialog)
    dialog._accept()
    assert "Choose the folder" in dialog.error.text()
    dialog.out_dir.setText(str(tmp_path / "site"))
    dialog.base_url.setText("ftp://nope")
    dialog._accept()
    assert "not a site address" in dialog.error.text()
    dialog.base_url.setText("https://news.example")
    dialog.site_name.setText("The Post")
    dialog._accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    out_dir, options = dialog.options()
    assert out_dir == tmp_path / "site"
    assert options.site_name == "The Post" and options.templates_dir is None
    again = ExportSiteDialog(preferences)
    qtbot.addWidget(again)
    assert again.base_url.text() == "https://news.example"
    assert again.site_name.text() == "The Post"


def test_worker_exports_off_the_gui_thread(qtbot, newsroom, site_store, tmp_path: Path) -> None:
    worker = ExportWorker(newsroom, tmp_path / "site", ExportOptions(now=NOW))
    seen: list[tuple[int, int]] = []
    worker.progressed.connect(lambda done, total, what: seen.append((done, total)))
    with qtbot.waitSignal(worker.succeeded, timeout=30_000) as signal:
        worker.start()
    worker.wait()
    report = signal.args[0]
    assert report.articles == 3 and len(report.skipped) == 4
    assert (tmp_path / "site" / "index.html").is_file()
    assert seen and seen[-1] == (3, 3)


def test_cancel_keeps_the_previous_site(qtbot, newsroom, site_store, tmp_path, monkeypatch):
    out = tmp_path / "site"
    worker = ExportWorker(newsroom, out, ExportOptions(now=NOW))
    worker.cancel()  # cancelled before it gets anywhere
    with qtbot.waitSignal(worker.cancelled, timeout=30_000):
        worker.start()
    worker.wait()
    assert not (out / "index.html").exists()


def test_run_export_shows_the_report(qtbot, newsroom, site_store, tmp_path, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(export_dialog, "show_report", lambda parent, r: shown.append(r))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    report = run_export(None, newsroom, tmp_path / "site", ExportOptions(now=NOW))
    assert report is not None and shown == [report]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert run_export(None, newsroom, blocker, ExportOptions(now=NOW)) is None
    assert "it is a file" in shown[-1]
