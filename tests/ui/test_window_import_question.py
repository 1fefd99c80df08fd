"""Importing a file again: the "Imported before" question is the only modal dialog.

The progress dialog of the first run must be gone (and its show-after-400-ms timer
stopped) before the question opens; otherwise it pops up, window-modal, over the
question and neither takes clicks or keys.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

SAMPLES = Path(__file__).resolve().parents[2] / "editor" / "resources" / "samples"
WIRE = SAMPLES / "wire-putin-kim-limousine.txt"


def _visible_progress() -> list[QProgressDialog]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QProgressDialog) and w.isVisible()]  # fmt: skip


def test_the_question_is_the_only_modal_dialog_and_the_window_takes_input_after(
    make_window, qtbot, tmp_path
) -> None:
    wire = tmp_path / WIRE.name
    shutil.copy(WIRE, wire)
    window = make_window()
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        window.import_paths([wire])

    seen: dict[str, object] = {}

    def answer_when_asked() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, answer_when_asked)
            return
        # Wait past the progress dialog's 400 ms auto-show: it must not come back.
        QTimer.singleShot(700, lambda: look_and_answer(box))

    def look_and_answer(box: QMessageBox) -> None:
        seen["progress"] = len(_visible_progress())
        seen["modal"] = QApplication.activeModalWidget()
        seen["box"] = box
        skip = next(b for b in box.buttons() if b.text() == "Skip")
        skip.click()

    QTimer.singleShot(0, answer_when_asked)  # the real question, answered like a person
    with qtbot.waitSignal(window.importer.finished, timeout=20000) as finished:
        window.import_paths([wire])
    assert [d.path for d in finished.args[0].skipped] == [wire]
    assert seen["progress"] == 0, "a progress dialog showed over the question"
    assert seen["modal"] is seen["box"]

    qtbot.wait(700)  # past any auto-show timer still running
    assert _visible_progress() == []
    assert QApplication.activeModalWidget() is None  # the window takes clicks and keys
    window.headline_field.setFocus()
    before = window.headline_field.text()
    qtbot.keyClicks(window.headline_field, "x")
    assert len(window.headline_field.text()) == len(before) + 1
