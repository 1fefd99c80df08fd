"""Import in the window: off the GUI thread, drag and drop, the duplicate question, and
the import notes in the inspector with Put Back."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QPushButton

from editor.ui.import_export.notes_panel import ImportNotesPanel

SAMPLES = Path(__file__).resolve().parents[2] / "editor" / "resources" / "samples"
WIRE = SAMPLES / "wire-putin-kim-limousine.txt"


def _drop(widget, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = QPointF(20, 20)
    actions = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(20, 20), actions, mime, buttons, mods)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(widget, QDropEvent(point, actions, mime, buttons, mods))


def test_dropping_files_on_the_list_imports_them(make_window, qtbot, tmp_path):
    wire = tmp_path / WIRE.name
    shutil.copy(WIRE, wire)
    story = tmp_path / "story.md"
    story.write_text("---\ntitle: Dropped story\n---\nText.\n", encoding="utf-8")
    window = make_window()
    before = window.newsroom.count_articles()
    with qtbot.waitSignal(window.importer.finished, timeout=20000) as finished:
        _drop(window.article_list.view.viewport(), [wire, story])
    report = finished.args[0]
    assert sorted(a.headline for a in report.imported) == [
        "Dropped story",
        "Putin takes Kim Jong Un in a limousine, and later gives him a car",
    ]
    assert window.newsroom.count_articles() == before + 2
    assert window.session.article is not None
    assert window.session.article.id == report.imported[0].id
    assert "Imported 2 articles" in window.status.currentMessage()


def test_the_same_file_again_asks_skip_copy_or_update(make_window, qtbot, tmp_path):
    wire = tmp_path / WIRE.name
    shutil.copy(WIRE, wire)
    window = make_window()
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        window.import_paths([wire])
    first = window.session.article
    asked = []

    def answer(parent, duplicate, others):
        asked.append((duplicate.path, duplicate.article_id, others))
        return ("copy", False)

    window.importer._ask = answer
    with qtbot.waitSignal(window.importer.finished, timeout=20000) as finished:
        window.import_paths([wire])
    assert asked == [(wire, first.id, 0)]
    (copy,) = finished.args[0].imported
    assert copy.id != first.id and copy.slug.endswith("-2")

    window.importer._ask = lambda *args: ("skip", True)
    with qtbot.waitSignal(window.importer.finished, timeout=20000) as finished:
        window.import_paths([wire])
    assert finished.args[0].imported == [] and len(finished.args[0].skipped) == 1
    assert "Skipped 1 imported before" in window.status.currentMessage()


def test_import_notes_panel_put_back(make_window, qtbot, tmp_path):
    wire = tmp_path / WIRE.name
    shutil.copy(WIRE, wire)
    window = make_window()
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        window.import_paths([wire])
    window.side_tabs.setCurrentWidget(window.inspector)
    panel: ImportNotesPanel = window.inspector.import_notes
    assert panel.isVisible()
    assert panel.title.text() == "Import notes (5)"
    texts = [r.findChild(type(panel.title), "importNoteText").text() for r in panel.rows]
    assert "Westside People" in texts and "Today’s featured video" in texts
    window.resize(1400, 900)

    see_also = next(i for i, t in enumerate(texts) if t.startswith("See also"))
    button = panel.rows[see_also].findChild(QPushButton, "putBack")
    button.click()
    qtbot.waitUntil(lambda: "See also" in window.editor.markdown(), timeout=5000)
    article = window.newsroom.get_article(window.session.article.id)
    assert "See also" in article.body
    assert len(article.import_notes) == 4
    assert window.inspector.import_notes.title.text() == "Import notes (4)"

    dismiss = window.inspector.import_notes.rows[0].findChild(QPushButton, "dismissNote")
    dismiss.click()
    qtbot.waitUntil(
        lambda: len(window.newsroom.get_article(article.id).import_notes) == 3, timeout=5000
    )


def test_a_typed_change_is_saved_before_put_back(make_window, qtbot, tmp_path):
    wire = tmp_path / WIRE.name
    shutil.copy(WIRE, wire)
    window = make_window()
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        window.import_paths([wire])
    window.headline_field.setFocus()
    qtbot.keyClicks(window.headline_field, " (updated)")
    window.inspector.import_notes.put_back_requested.emit(0)
    article = window.newsroom.get_article(window.session.article.id)
    assert "(updated)" in article.headline
    assert article.body.startswith("Westside People")
