"""Tables and pictures in the editor: insert, edit, serialise; images kept as store assets."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextCursor, QTextDocument

from editor.core.render import render_body_html
from editor.ui.body import images as image_commands
from editor.ui.body import tables as table_commands


def _open(make_window, newsroom, body: str = "Results from the weekend.\n"):
    window = make_window()
    article = newsroom.create_article(headline="Results", body=body)
    window.open_article(article.id)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    return window


def _type_in_cell(window, table, row: int, column: int, text: str) -> None:
    window.editor.setTextCursor(table.cellAt(row, column).firstCursorPosition())
    window.editor.insertPlainText(text)


def test_insert_table_edit_cells_add_row_and_column_align(make_window, newsroom, qtbot):
    window = _open(make_window, newsroom)
    table = table_commands.insert_table(window.editor, 2, 2)
    assert window.actions["format_table_add_row"].isEnabled()
    for (row, column), text in {(0, 0): "Team", (0, 1): "Pts", (1, 0): "Harriers",
                                (1, 1): "38"}.items():  # fmt: skip
        _type_in_cell(window, table, row, column, text)

    window.editor.setTextCursor(table.cellAt(1, 1).firstCursorPosition())
    window.actions["format_table_align_right"].trigger()
    assert window.actions["format_table_align_right"].isChecked()
    window.actions["format_table_add_row"].trigger()
    _type_in_cell(window, table, 2, 0, "Rovers")
    _type_in_cell(window, table, 2, 1, "36")
    window.editor.setTextCursor(table.cellAt(0, 1).firstCursorPosition())
    window.actions["format_table_add_column"].trigger()
    _type_in_cell(window, table, 0, 2, "Form")
    window.actions["format_table_align_center"].trigger()
    _type_in_cell(window, table, 1, 2, "WWD")

    markdown = window.editor.markdown()
    assert markdown == (
        "Results from the weekend.\n\n"
        "| Team | Pts | Form |\n| --- | ---: | :---: |\n"
        "| Harriers | 38 | WWD |\n| Rovers | 36 |  |\n"
    )
    html = render_body_html(markdown)
    assert 'class="align-right"' in html and 'class="align-center"' in html
    assert "<th>Team</th>" in html.replace(' class="align-left"', "")

    # Remove the column again, then a row: still a clean table.
    window.editor.setTextCursor(table.cellAt(0, 2).firstCursorPosition())
    window.actions["format_table_remove_column"].trigger()
    window.editor.setTextCursor(table.cellAt(2, 0).firstCursorPosition())
    window.actions["format_table_remove_row"].trigger()
    assert window.editor.markdown().endswith("| Team | Pts |\n| --- | ---: |\n| Harriers | 38 |\n")

    # A table command is one undo step; outside a table the row commands are off.
    window.editor.document().undo()
    assert "| Rovers | 36 |" in window.editor.markdown()
    window.editor.moveCursor(QTextCursor.MoveOperation.Start)
    assert not window.actions["format_table_add_row"].isEnabled()


def test_a_table_survives_saving_and_reopening(make_window, newsroom, qtbot):
    window = _open(make_window, newsroom)
    table = table_commands.insert_table(window.editor, 2, 2)
    for (row, column), text in {(0, 0): "A", (0, 1): "B", (1, 0): "1", (1, 1): "2"}.items():
        _type_in_cell(window, table, row, column, text)
    window.editor.setTextCursor(table.cellAt(0, 0).firstCursorPosition())
    table_commands.align_column(window.editor, "left")
    window.session.save()
    article_id = window.session.article.id
    window.session.close_article()
    window.open_article(article_id)
    assert window.editor.markdown().endswith("| A | B |\n| :--- | --- |\n| 1 | 2 |\n")


def _png(tmp_path: Path, name: str = "crane.png") -> Path:
    image = QImage(64, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#3b6ea5"))
    path = tmp_path / name
    assert image.save(str(path), "PNG")
    return path


def _answer(alt: str, caption: str = "", credit: str = ""):
    def ask(dialog: image_commands.ImageDetailsDialog) -> bool:
        dialog.alt.setText(alt)
        dialog.caption.setText(caption)
        dialog.credit.setText(credit)
        dialog.accept()
        return dialog.result() == image_commands.QDialog.DialogCode.Accepted

    return ask


def test_insert_image_keeps_an_asset_and_writes_its_markdown(make_window, newsroom, qtbot,
                                                            tmp_path):  # fmt: skip
    window = _open(make_window, newsroom)
    path = _png(tmp_path)

    # Alt text is required: the dialog refuses to close without it.
    assert window.images.insert_from_file(path, ask=_answer("")) is None
    assert newsroom.list_assets(window.session.article.id) == []

    asset = window.images.insert_from_file(
        path, ask=_answer("A crane over the plant", "The crane at dawn.", "Jo Smith")
    )
    assert asset is not None
    markdown = window.editor.markdown()
    assert markdown == f"Results from the weekend.\n\n![A crane over the plant](asset:{asset.id})\n"
    stored = newsroom.get_asset(asset.id)
    assert (stored.alt, stored.caption, stored.credit) == (
        "A crane over the plant", "The crane at dawn.", "Jo Smith",
    )  # fmt: skip
    assert stored.article_id == window.session.article.id
    resource = window.editor.document().resource(
        QTextDocument.ResourceType.ImageResource, QUrl(f"asset:{asset.id}")
    )
    assert isinstance(resource, QImage) and not resource.isNull()

    # Saved and opened in a new window, the picture is shown again from the store.
    window.session.save()
    article_id = window.session.article.id
    window.close()
    again = make_window()
    again.open_article(article_id)
    shown = again.editor.document().resource(
        QTextDocument.ResourceType.ImageResource, QUrl(f"asset:{asset.id}")
    )
    assert isinstance(shown, QImage) and shown.width() == 64
    assert again.editor.markdown() == markdown


def test_double_click_edits_the_words_of_an_image(make_window, newsroom, qtbot, tmp_path):
    window = _open(make_window, newsroom)
    asset = window.images.insert_from_file(_png(tmp_path), ask=_answer("Old alt"))
    cursor = window.editor.document().find("\ufffc")
    assert not cursor.isNull()
    changed = window.images.edit_at(cursor, ask=_answer("A crane", "New caption", "AP"))
    assert changed is not None and changed.caption == "New caption"
    assert newsroom.get_asset(asset.id).credit == "AP"
    assert f"![A crane](asset:{asset.id})" in window.editor.markdown()


def test_files_that_are_not_images_are_refused_clearly(make_window, newsroom, qtbot, tmp_path,
                                                      monkeypatch):  # fmt: skip
    window = _open(make_window, newsroom)
    errors: list[str] = []
    monkeypatch.setattr(image_commands.dialogs, "show_error", lambda _p, _t, m: errors.append(m))
    fake = tmp_path / "photo.png"
    fake.write_bytes(b"%PDF-1.7 not a picture")
    asked = []
    assert window.images.insert_from_file(fake, ask=asked.append) is None
    assert asked == []  # refused before asking for alt text
    assert re.search(r"photo\.png is not an image .* JPEG, PNG, GIF or WebP", errors[-1])
    big = tmp_path / "huge.jpg"
    with big.open("wb") as handle:
        handle.truncate(image_commands.MAX_ASSET_BYTES + 1)
    assert window.images.insert_from_file(big, ask=asked.append) is None
    assert "huge.jpg is 20.0 MB; images may be at most 20 MB" in errors[-1]
    assert window.editor.markdown() == "Results from the weekend.\n"


def test_the_format_menu_offers_tables_and_images(make_window, newsroom, qtbot):
    window = _open(make_window, newsroom)
    format_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "F&ormat")
    titles = [a.text() for a in format_menu.actions()]
    assert "&Image…" in titles and "&Table" in titles
    table_menu = next(a.menu() for a in format_menu.actions() if a.text() == "&Table")
    assert window.actions["format_table_align_right"] in table_menu.actions()
    assert window.actions["format_image"].isEnabled()
    window.body_stack.set_source_mode(True)
    assert not window.actions["format_image"].isEnabled()  # pictures go in the rich text
