"""File > Export Site…: the dialog remembers its settings, checks input, exports off the GUI
thread and can be cancelled, leaving the old site."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from editor.core.site import ExportOptions
from editor.ui.background import Background
from editor.ui.import_export import export_dialog
from editor.ui.import_export.export_dialog import (
    ExportPreferences,
    ExportSiteDialog,
    run_export,
    start_export,
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
    tasks = Background()
    seen: list[tuple[int, int]] = []
    reports: list[object] = []
    start_export(
        tasks,
        newsroom,
        tmp_path / "site",
        ExportOptions(now=NOW),
        progress=lambda done, total, what: seen.append((done, total)),
        succeeded=reports.append,
    )
    qtbot.waitUntil(lambda: bool(reports), timeout=30_000)
    tasks.shutdown()
    report = reports[0]
    assert report.articles == 3 and len(report.skipped) == 4
    assert (tmp_path / "site" / "index.html").is_file()
    assert seen and seen[-1] == (3, 3)


def test_cancel_keeps_the_previous_site(qtbot, newsroom, site_store, tmp_path, monkeypatch):
    out = tmp_path / "site"
    tasks = Background()  # one thread: held by the first job, the export waits its turn
    gate = threading.Event()
    tasks.run(lambda _job: gate.wait(30))
    cancelled: list[bool] = []
    job = start_export(
        tasks, newsroom, out, ExportOptions(now=NOW), cancelled=lambda: cancelled.append(True)
    )
    job.stop()  # cancelled before it gets anywhere
    gate.set()
    qtbot.waitUntil(lambda: bool(cancelled), timeout=30_000)
    tasks.shutdown()
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
