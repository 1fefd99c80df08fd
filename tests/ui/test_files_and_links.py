"""Paths through dialogs: links, Export HTML, Import, and the preview without QtWebEngine."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

from editor.ui.body.format_toolbar import LinkDialog, normalise_link
from editor.ui.preview import pane as preview_module
from tests.ui.conftest import FAST, wait_for_list

WIRE = (
    Path(__file__).parents[2] / "editor" / "resources" / "samples" / "wire-putin-kim-limousine.txt"
)
SLOW_AUTOSAVE = replace(FAST, autosave_delay_ms=60_000)


def _select_last_word(window, word: str) -> None:
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(word))
    window.editor.setTextCursor(cursor)
    assert cursor.selectedText() == word


def _answer_link_dialog(monkeypatch, typed: str, seen: list) -> None:
    """Fill the real link dialog as a person would, instead of showing it modally."""

    def run(dialog: LinkDialog) -> int:
        seen.append(dialog)
        dialog.url_field.setText(typed)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(LinkDialog, "exec", run)


def test_a_link_on_the_selection_is_written_as_markdown(
    make_window, newsroom, qtbot, monkeypatch
) -> None:
    article = newsroom.create_article(headline="Audit", body="Read the report\n")
    window = make_window(SLOW_AUTOSAVE)
    window.open_article(article.id)
    _select_last_word(window, "report")
    dialogs: list[LinkDialog] = []
    _answer_link_dialog(monkeypatch, "example.org/audit", dialogs)

    window.actions["format_link"].trigger()
    window.actions["file_save"].trigger()

    assert dialogs[0].windowTitle() == "Insert Link"
    assert dialogs[0].text_field.text() == "report"
    body = newsroom.get_article(article.id).body
    assert "Read the [report](https://example.org/audit)" in body


def test_a_script_link_is_refused_with_a_message(make_window, newsroom, monkeypatch) -> None:
    article = newsroom.create_article(headline="Audit", body="Read the report\n")
    window = make_window(SLOW_AUTOSAVE)
    window.open_article(article.id)
    _select_last_word(window, "report")
    dialogs: list[LinkDialog] = []
    _answer_link_dialog(monkeypatch, "javascript:alert(1)", dialogs)

    window.actions["format_link"].trigger()
    window.actions["file_save"].trigger()

    assert "cannot be linked" in dialogs[0].error.text()
    assert "javascript:" not in newsroom.get_article(article.id).body
    assert window.editor.link_under_cursor() == ""


@pytest.mark.parametrize(
    ("typed", "linked"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("example.org", "https://example.org"),
        ("mailto:desk@example.org", "mailto:desk@example.org"),
        ("", ""),
        ("https://", ""),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("java\tscript:alert(1)", None),
    ],
)
def test_normalise_link(typed: str, linked: str | None) -> None:
    assert normalise_link(typed) == linked


def test_a_script_link_in_the_body_is_stripped_from_the_preview(
    make_window, newsroom, qtbot
) -> None:
    newsroom.create_article(
        headline="Phishing warning", body="Do not [click here](javascript:alert(1)).\n"
    )
    window = make_window()
    qtbot.waitUntil(lambda: "Phishing warning" in window.preview.html, timeout=10000)
    assert "click here" in window.preview.html
    assert "javascript:" not in window.preview.html


def test_export_html_writes_the_article(make_window, newsroom, tmp_path, monkeypatch) -> None:
    article = newsroom.create_article(headline="Harbour wall holds", body="The tide turned.\n")
    window = make_window()
    window.open_article(article.id)
    target = tmp_path / "out" / "harbour.html"
    target.parent.mkdir()
    offered: list[str] = []

    def choose(parent, caption, directory, filter_):
        offered.append(directory)
        return str(target), filter_

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    window.actions["file_export_html"].trigger()

    assert offered[0].endswith("harbour-wall-holds.html")
    html = target.read_text(encoding="utf-8")
    assert "Harbour wall holds" in html
    assert "The tide turned." in html
    assert "Exported to" in window.status.currentMessage()


def test_import_keeps_the_good_file_and_reports_the_bad_one_once(
    make_window, tmp_path, monkeypatch, qtbot
) -> None:
    good = tmp_path / WIRE.name
    shutil.copy(WIRE, good)
    bad = tmp_path / "photo.txt"
    bad.write_bytes(bytes(range(256)) * 64)
    window = make_window()
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args: ([str(good), str(bad)], ""))
    reports: list[str] = []

    def exec_and_read(box: QMessageBox) -> int:
        reports.append(f"{box.text()}\n{box.informativeText()}")
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_and_read)

    with qtbot.waitSignal(window.importer.finished, timeout=20000):  # off the GUI thread
        window.actions["file_import"].trigger()
    wait_for_list(qtbot, window.list_model)

    assert len(reports) == 1
    assert "1 file could not be imported" in reports[0]
    assert "photo.txt" in reports[0]
    opened = window.session.article
    assert opened is not None and opened.headline.startswith("Putin takes Kim Jong Un")
    assert window.list_model.row_of(opened.id) is not None
    current = window.article_list.view.selectionModel().currentIndex()
    assert window.list_model.summary(current.row()).id == opened.id


def test_without_qtwebengine_the_preview_falls_back_with_a_notice(
    make_window, newsroom, qtbot, monkeypatch
) -> None:
    monkeypatch.setattr(preview_module, "QWebEngineView", None)
    newsroom.create_article(headline="Harbour wall holds", body="The tide turned.\n")
    window = make_window()
    pane = window.preview

    assert not pane.has_web_engine
    qtbot.waitUntil(lambda: "Harbour wall holds" in pane.browser.toPlainText(), timeout=10000)
    assert "The tide turned." in pane.browser.toPlainText()
    notice = pane.findChild(QLabel, "previewMessage")
    assert notice.isVisible()
    assert "QtWebEngine is not installed" in notice.text()
