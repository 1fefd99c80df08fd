"""Format commands: toolbar state, one undo step each, list nesting, links, rules, typography."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from editor.ui.body.format_toolbar import LinkDialog
from tests.ui.conftest import FAST


def _window_with(make_window, markdown: str, preferences=FAST):
    window = make_window(preferences)
    window.actions["file_new"].trigger()
    window.editor.load_markdown(markdown)
    window.editor.setFocus()
    return window


def _select(editor, start: int, end: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def test_toolbar_has_every_command_with_shortcut_tooltips(make_window) -> None:
    window = make_window()
    names = [a.objectName() for a in window.format_toolbar.actions() if a.objectName()]
    for name in ("format_bold", "format_italic", "format_strikethrough", "format_code",
                 "format_heading2", "format_heading3", "format_paragraph", "format_bullet_list",
                 "format_numbered_list", "format_indent", "format_outdent", "format_block_quote",
                 "format_link", "format_rule"):  # fmt: skip
        assert name in names
        assert not window.actions[name].icon().isNull()
    assert window.actions["format_strikethrough"].toolTip() == "Strikethrough (Ctrl+Shift+X)"
    assert window.actions["format_link"].toolTip() == "Link (Ctrl+K)"


def test_each_format_command_is_one_undo_step_and_shows_its_state(make_window) -> None:
    window = _window_with(make_window, "The harbour wall fell.\n")
    editor, actions = window.editor, window.actions
    for name, markdown in (
        ("format_bold", "The **harbour** wall fell.\n"),
        ("format_italic", "The *harbour* wall fell.\n"),
        ("format_code", "The `harbour` wall fell.\n"),
    ):
        _select(editor, 4, 11)
        actions[name].trigger()
        assert editor.markdown() == markdown
        assert actions[name].isChecked()
        editor.undo()
        assert editor.markdown() == "The harbour wall fell.\n"
    _select(editor, 4, 11)
    actions["format_strikethrough"].trigger()
    assert editor.format_state().strikethrough and actions["format_strikethrough"].isChecked()
    editor.undo()
    assert not editor.format_state().strikethrough
    actions["format_heading2"].trigger()
    assert editor.markdown() == "## The harbour wall fell.\n"
    editor.undo()
    assert editor.markdown() == "The harbour wall fell.\n"


def test_bold_on_a_word_under_the_cursor(make_window) -> None:
    window = _window_with(make_window, "The harbour wall fell.\n")
    _select(window.editor, 6, 6)
    window.actions["format_bold"].trigger()
    assert window.editor.markdown() == "The **harbour** wall fell.\n"


def test_tab_nests_and_shift_tab_lifts_list_items(make_window, qtbot) -> None:
    window = _window_with(make_window, "- one\n- two\n- three\n")
    editor = window.editor
    block = editor.document().findBlockByNumber(1)
    _select(editor, block.position() + 1, block.position() + 1)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.markdown() == "- one\n    - two\n- three\n"
    editor.undo()
    assert editor.markdown() == "- one\n- two\n- three\n"
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.keyClick(editor, Qt.Key.Key_Backtab)
    assert editor.markdown() == "- one\n- two\n- three\n"
    # Outdenting at the outer level leaves the list.
    qtbot.keyClick(editor, Qt.Key.Key_Backtab)
    assert editor.markdown() == "- one\n\ntwo\n\n- three\n"


def test_horizontal_rule_is_one_step(make_window) -> None:
    window = _window_with(make_window, "Before.\n")
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    window.actions["format_rule"].trigger()
    assert "Before." in window.editor.markdown() and "---" in window.editor.markdown().replace(
        "- - -", "---"
    )
    window.editor.undo()
    assert window.editor.markdown() == "Before.\n"


def test_link_dialog_refuses_scripts_and_edits_text(make_window, qtbot) -> None:
    dialog = LinkDialog("", "the report")
    qtbot.addWidget(dialog)
    dialog.url_field.setText("javascript:alert(1)")
    dialog.accept()
    assert dialog.result() == 0 and "javascript:" in dialog.error.text()
    dialog.url_field.setText("data:text/html,hi")
    dialog.accept()
    assert "data:" in dialog.error.text() and dialog.result() == 0
    dialog.url_field.setText("example.org/report")
    dialog.accept()
    assert dialog.url == "https://example.org/report" and dialog.text == "the report"

    window = _window_with(make_window, "Read the report now.\n")
    editor = window.editor
    _select(editor, 5, 15)
    editor.set_link("https://example.org/r", "the full report")
    assert editor.markdown() == "Read [the full report](https://example.org/r) now.\n"
    editor.undo()
    assert editor.markdown() == "Read the report now.\n"
    editor.redo()
    _select(editor, 8, 8)
    assert editor.link_under_cursor() == "https://example.org/r"
    assert editor.link_text_under_cursor() == "the full report"
    editor.set_link("")  # Remove Link
    assert editor.markdown() == "Read the full report now.\n"


def test_smart_typography_as_you_type_and_for_the_whole_body(make_window, qtbot) -> None:
    window = _window_with(make_window, "", replace(FAST, smart_typography=True, dash_style="en"))
    editor = window.editor
    qtbot.keyClicks(editor, '"It\'s here" -- she said...')
    assert editor.toPlainText() == "“It’s here” – she said…"
    editor.undo()  # the last conversion only: the straight text comes back
    assert editor.toPlainText() == "“It’s here” – she said..."

    window.actions["format_smart_typography"].setChecked(False)
    editor.load_markdown('"Quoted" -- and `"code" -- ...` stays.\n\n```\nx = "a" -- 1\n```\n')
    window.actions["format_apply_typography"].trigger()
    assert editor.markdown().startswith('“Quoted” – and `"code" -- ...` stays.')
    assert 'x = "a" -- 1' in editor.markdown()
    editor.undo()
    assert editor.markdown().startswith('"Quoted" -- and')


def test_the_code_button_shows_what_the_writer_saves_as_code(make_window) -> None:
    """A pasted "DejaVu Sans Mono" run is not written as code, so the Code button does not
    light up on it (its own test said "mono" in any family name); "monospace" is both."""
    from PySide6.QtGui import QTextCharFormat

    window = _window_with(make_window, "Plain words here.")
    editor = window.editor
    for family, code in (("DejaVu Sans Mono", False), ("monospace", True)):
        _select(editor, 0, 5)
        styled = QTextCharFormat()
        styled.setFontFamilies([family])
        editor.textCursor().setCharFormat(styled)
        _select(editor, 2, 2)
        assert editor.format_state().code is code, family
        assert ("`Plain`" in editor.markdown()) is code, family
