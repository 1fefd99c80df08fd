"""Pasting through QMimeData: clean structure from Word, plain text with Ctrl+Shift+V."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication, QTextCursor

FIXTURES = Path(__file__).parents[1] / "core" / "fixtures" / "paste"


def _window(make_window, markdown: str):
    window = make_window()
    window.actions["file_new"].trigger()
    window.editor.load_markdown(markdown)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    window.editor.setFocus()
    return window


def test_pasting_word_html_keeps_structure_in_one_undo_step(make_window) -> None:
    window = _window(make_window, "Intro.\n")
    data = QMimeData()
    data.setHtml((FIXTURES / "word.html").read_text(encoding="utf-8"))
    data.setText("fallback")
    window.editor.insertFromMimeData(data)
    markdown = window.editor.markdown()
    assert markdown.startswith("Intro.\n\n## Council approves harbour wall\n")
    assert "- A new wall, two metres higher\n    - built from **local stone**\n" in markdown
    assert "1. Consultation closes in May\n2. Building begins in *September*" in markdown
    assert "[the spring](https://example.org/harbour?id=42)" in markdown
    assert "| Vote | Councillors |" in markdown
    for junk in ("mso", "o:p", "·", "Calibri", "<"):
        assert junk not in markdown
    window.editor.undo()
    assert window.editor.markdown() == "Intro.\n"


def test_pasting_google_docs_code_and_web_page(make_window) -> None:
    window = _window(make_window, "")
    data = QMimeData()
    data.setHtml((FIXTURES / "google_docs.html").read_text(encoding="utf-8"))
    window.editor.insertFromMimeData(data)
    markdown = window.editor.markdown()
    assert markdown.startswith("## Port strike enters second week\n")
    assert "`offer_v2.pdf`" in markdown and "*an insult*" in markdown
    assert "**Port strike" not in markdown  # Google's <b> wrapper is not bold


def test_ctrl_shift_v_pastes_plain_text(make_window) -> None:
    window = _window(make_window, "Lead: \n")
    data = QMimeData()
    data.setHtml("<b>Bold</b> <i>words</i>")
    data.setText("Bold words")
    clipboard = QGuiApplication.clipboard()
    clipboard.setMimeData(data)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    try:
        window.actions["edit_paste_plain"].trigger()
    finally:
        # The clipboard owns the data now; emptied here, it is not freed twice at exit.
        clipboard.clear()
    assert window.editor.markdown() == "Lead: Bold words\n"
    window.editor.undo()
    assert window.editor.markdown() == "Lead:\n"


def test_copy_and_paste_within_the_editor_keeps_formats(make_window) -> None:
    window = _window(make_window, "Some **bold** text.\n")
    editor = window.editor
    editor.selectAll()
    data = editor.createMimeDataFromSelection()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    editor.insertFromMimeData(data)
    assert editor.markdown().count("**bold**") == 2
