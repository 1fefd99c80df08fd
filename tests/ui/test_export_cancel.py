"""File > Export Site…: Cancel in the progress dialog stops the export and says so."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton

from editor.core.site import ExportCancelled, ExportOptions
from editor.ui.import_export import export_dialog


def test_cancel_in_the_dialog_stops_the_export_and_tells_the_person(
    app, qtbot, newsroom, tmp_path, monkeypatch
) -> None:
    polled: list[bool] = []

    def export_site(room, out_dir, *, options, progress, is_cancelled):
        progress(0, 10, "Reading the articles")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            polled.append(True)
            if is_cancelled():
                raise ExportCancelled("Export cancelled.")
            time.sleep(0.01)
        raise AssertionError("the export was never cancelled")

    monkeypatch.setattr(export_dialog, "export_site", export_site)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: told.append(text))

    def press_cancel() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
        shown = [d for d in dialogs if d.isVisible()]
        if not shown or not polled:
            QTimer.singleShot(20, press_cancel)
            return
        button = shown[0].findChild(QPushButton)
        assert button is not None and button.text() == "Cancel"
        button.click()

    QTimer.singleShot(20, press_cancel)
    result = export_dialog.run_export(None, newsroom, tmp_path / "site", ExportOptions())
    assert result is None
    assert told == ["Export cancelled; the site was left as it was."]
