"""Put Back of an import note is one edit in the editor: Ctrl+Z takes the text out again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from editor.core.errors import ValidationError
from editor.core.importers.notes import put_back

BODY = (
    "## Moscow\n\n"
    "First paragraph of the story.\n\n"
    "- one item\n- two item\n\n"
    "Last paragraph, **bold** at the end."
)
NOTES = [
    {"kind": "masthead", "text": "Westside People", "position": 0},
    {"kind": "related", "text": "See also: *the other story*", "position": 2},
    {"kind": "teaser", "text": "Read more tomorrow", "position": 4},
    {"kind": "byline", "text": "By Someone", "position": None},
]


def open_with_notes(make_window, newsroom):
    article = newsroom.create_article("Notes", BODY)
    article = newsroom.save_article(
        article.id, expected_version=article.version, changes={"import_notes": NOTES}
    )
    window = make_window()
    assert window.open_article(article.id)
    window.side_tabs.setCurrentWidget(window.inspector)
    return window, article


@pytest.mark.parametrize("index", [0, 1, 2])
def test_put_back_inserts_where_the_note_stood_and_undoes_in_one_step(
    make_window, newsroom, qtbot, index
):
    window, article = open_with_notes(make_window, newsroom)
    before = window.editor.markdown()
    expected_body, expected_notes = put_back(before, NOTES, index)
    panel = window.inspector.import_notes
    panel.rows[index].findChild(QPushButton, "putBack").click()

    assert window.editor.markdown() == expected_body
    stored = newsroom.get_article(article.id)
    assert stored.body == expected_body  # saved through the session, with the notes
    assert stored.import_notes == expected_notes
    assert panel.title.text() == f"Import notes ({len(NOTES) - 1})"
    assert window.status.currentMessage() == "Put back; Ctrl+Z removes the text again."
    assert window.editor.hasFocus() or not window.isActiveWindow()

    # One Ctrl+Z: the text is gone again, the rest of the body as it was.
    window.editor.setFocus()
    window.actions["edit_undo"].trigger()
    assert window.editor.markdown() == before
    window.actions["edit_redo"].trigger()
    assert window.editor.markdown() == expected_body
    window.actions["edit_undo"].trigger()
    assert window.session.save()
    assert newsroom.get_article(article.id).body == before


def test_put_back_keeps_the_inserted_text_a_plain_paragraph(make_window, newsroom, qtbot):
    window, _article = open_with_notes(make_window, newsroom)
    window.inspector.import_notes.put_back_requested.emit(2)  # before the last paragraph
    block = window.editor.textCursor().block()
    assert block.text() == "Read more tomorrow"
    assert block.textList() is None and block.blockFormat().headingLevel() == 0
    assert window.editor.textCursor().selectedText() == "Read more tomorrow"


def test_put_back_in_markdown_source_mode(make_window, newsroom, qtbot):
    window, article = open_with_notes(make_window, newsroom)
    window.actions["view_markdown_source"].trigger()
    assert window.body_stack.source_mode
    before = window.body_stack.markdown()
    expected_body, _notes = put_back(before, NOTES, 1)
    window.inspector.import_notes.put_back_requested.emit(1)
    assert window.body_stack.markdown().strip() == expected_body.strip()
    assert newsroom.get_article(article.id).body.strip() == expected_body.strip()
    window.body_stack.source.setFocus()
    qtbot.keyClick(window.body_stack.source, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.body_stack.markdown().strip() == before.strip()


def test_dismiss_still_drops_the_note_only(make_window, newsroom, qtbot):
    window, article = open_with_notes(make_window, newsroom)
    window.inspector.import_notes.dismiss_requested.emit(0)
    stored = newsroom.get_article(article.id)
    assert stored.body == article.body
    assert [n["text"] for n in stored.import_notes] == [n["text"] for n in NOTES[1:]]


def test_a_report_note_has_no_put_back_and_the_core_refuses_one(make_window, newsroom):
    """Notes that report on the import (an extraction warning, removed control characters)
    hold no story text: putting one back would write the warning into the story."""
    report = {"kind": "extraction", "text": "The page gave little text.", "position": 1}
    article = newsroom.create_article("Notes", BODY)
    article = newsroom.save_article(
        article.id, expected_version=article.version, changes={"import_notes": [report]}
    )
    window = make_window()
    assert window.open_article(article.id)
    panel = window.inspector.import_notes
    assert not [b for b in panel.findChildren(QPushButton) if b.objectName() == "putBack"]
    assert [b for b in panel.findChildren(QPushButton) if b.objectName() == "dismissNote"]
    with pytest.raises(ValidationError, match="reports on the import"):
        put_back(BODY, [report], 0)
