"""Find and replace in the body: options, wrap-around, one-step Replace All, bad patterns."""

from __future__ import annotations


def _window(make_window, markdown: str):
    window = make_window()
    window.actions["file_new"].trigger()
    window.editor.load_markdown(markdown)
    return window


def test_find_next_previous_whole_word_and_case(make_window) -> None:
    window = _window(make_window, "Port news. The port reopened; Portland waits.\n")
    bar = window.find_bar
    window.actions["edit_find"].trigger()
    assert bar.isVisible() and not bar.replace_field.isVisible()
    bar.find_field.setText("port")
    assert window.editor.textCursor().selectedText() == "Port"
    assert bar.message.text() == "1 of 3"
    bar.find_next()
    assert window.editor.textCursor().selectionStart() == 15
    bar.whole_word.setChecked(True)
    bar.find_next()
    assert bar.message.text().endswith("of 2")
    bar.match_case.setChecked(True)
    assert window.editor.textCursor().selectionStart() == 15 and bar.message.text() == "1 of 1"
    bar.find_previous()  # wraps around to the only match
    assert window.editor.textCursor().selectionStart() == 15


def test_replace_all_is_one_undo_step(make_window) -> None:
    window = _window(make_window, "Aurus said Aurus would.\n\nAurus left.\n")
    bar = window.find_bar
    window.actions["edit_replace"].trigger()
    assert bar.replace_field.isVisible()
    bar.find_field.setText("Aurus")
    bar.replace_field.setText("Auris")
    assert bar.replace_all() == 3
    assert window.editor.markdown() == "Auris said Auris would.\n\nAuris left.\n"
    window.editor.undo()
    assert window.editor.markdown() == "Aurus said Aurus would.\n\nAurus left.\n"


def test_regex_replace_and_invalid_pattern_message(make_window) -> None:
    window = _window(make_window, "Call 555-1234 or 555-9876.\n")
    bar = window.find_bar
    window.actions["edit_replace"].trigger()
    bar.regex.setChecked(True)
    bar.find_field.setText("(555")
    assert bar.message.text().startswith("Not a valid pattern")
    assert bar.replace_all() == 0
    bar.find_field.setText(r"(\d{3})-(\d{4})")
    bar.replace_field.setText(r"\1 \2")
    bar.replace()
    assert window.editor.markdown() == "Call 555 1234 or 555-9876.\n"
    bar.replace()
    assert window.editor.markdown() == "Call 555 1234 or 555 9876.\n"
