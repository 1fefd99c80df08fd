"""The preview pane renders the article with the export template and patches it block by block."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from editor.core.render import render_article_page
from editor.services.newsroom import Newsroom
from editor.ui.preview import pane as preview_module
from editor.ui.preview.pane import PreviewPane

_WORLD = 1
_H1 = "document.querySelector('h1') ? document.querySelector('h1').textContent.trim() : ''"
# The preview's body as the export has it: the data-block attributes are the preview's own.
_BODY = """(() => {
  const body = (document.getElementById('article-body') || document.querySelector('.story-body'))
    .cloneNode(true);
  body.querySelectorAll('[data-block]').forEach((e) => e.removeAttribute('data-block'));
  return body.innerHTML.trim();
})()"""


def _js(window, qtbot, script: str) -> object:
    answers: list[object] = []
    window.preview.web_view.page().runJavaScript(script, _WORLD, answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    return answers[0]


def _wait_for(window, qtbot, script: str, expected: object) -> None:
    """Ask the page until `script` answers `expected` (answers arrive asynchronously)."""
    qtbot.waitUntil(lambda: _js(window, qtbot, script) == expected, timeout=15000)


def _web_window(make_window):
    window = make_window()
    if not window.preview.has_web_engine:
        pytest.skip("QtWebEngine is not available")
    return window


def _export_body(window, qtbot, article) -> str:
    """The export page's body, parsed by the same engine."""
    page = render_article_page(article, preview=True)
    script = f"""(() => {{
      const doc = new DOMParser().parseFromString({json.dumps(page)}, 'text/html');
      return (doc.getElementById('article-body') || doc.querySelector('.story-body'))
        .innerHTML.trim();
    }})()"""
    return _js(window, qtbot, script)  # type: ignore[return-value]


def _type_at_end(window, qtbot, text: str) -> None:
    """Type `text` at the end of the body and wait until the page shows all of it."""
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, text)
    if window.preview.has_web_engine:
        script = f"document.body.textContent.includes({json.dumps(text.strip())})"
        _wait_for(window, qtbot, script, True)


def test_preview_shows_the_headline_and_follows_edits(make_window, newsroom: Newsroom,
                                                      qtbot) -> None:  # fmt: skip
    newsroom.create_article(headline="Harbour wall holds", body="The tide turned.\n")
    window = _web_window(make_window)
    _wait_for(window, qtbot, _H1, "Harbour wall holds")

    window.headline_field.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.headline_field, " again")
    _wait_for(window, qtbot, _H1, "Harbour wall holds again")


def test_an_edit_re_renders_only_its_block_and_keeps_the_scroll(make_window, newsroom: Newsroom,
                                                                qtbot) -> None:  # fmt: skip
    body = "\n\n".join(f"Paragraph {i} of a long story about the harbour." for i in range(200))
    newsroom.create_article(headline="Long read", body=body + "\n")
    window = _web_window(make_window)
    _wait_for(window, qtbot, "document.querySelectorAll('[data-block]').length", 200)
    _js(window, qtbot, "window.scrollTo(0, 1500); window.scrollY")
    _wait_for(window, qtbot, "window.scrollY", 1500)
    loaded = window.preview.html
    renders = window.preview.render_count

    _type_at_end(window, qtbot, " More.")
    _wait_for(window, qtbot, "document.querySelector('[data-block=\"199\"]').textContent",
              "Paragraph 199 of a long story about the harbour. More.")  # fmt: skip
    assert window.preview.render_count - renders <= 2  # the typed paragraph, once or twice
    assert window.preview.html is loaded  # patched, never reloaded
    assert _js(window, qtbot, "window.scrollY") == 1500


def test_the_patched_body_is_exactly_the_export_body(make_window, newsroom: Newsroom,
                                                    qtbot) -> None:  # fmt: skip
    newsroom.create_article(
        headline="Flood defences", dateline="YORK", byline="Ann Reporter",
        body="First paragraph.\n\n## Subhead\n\n- one\n- two\n\nLast paragraph.\n",
    )  # fmt: skip
    window = _web_window(make_window)
    _wait_for(window, qtbot, "document.querySelectorAll('[data-block]').length", 4)
    _type_at_end(window, qtbot, " Added.")
    window.editor.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClicks(window.editor, "New start. ")
    _wait_for(window, qtbot, "document.body.textContent.includes('New start.')", True)
    article = window.session.snapshot()
    assert _js(window, qtbot, _BODY) == _export_body(window, qtbot, article)
    assert "New start." in _js(window, qtbot, "document.querySelector('.dateline').parentNode"
                                              ".textContent")  # fmt: skip


def test_a_metadata_edit_patches_the_header_not_the_body(make_window, newsroom: Newsroom,
                                                         qtbot) -> None:  # fmt: skip
    newsroom.create_article(headline="Council votes", body="Body text.\n", byline="Sam")
    window = _web_window(make_window)
    _wait_for(window, qtbot, _H1, "Council votes")
    renders = window.preview.render_count
    loaded = window.preview.html
    window.inspector.standfirst.setPlainText("A late-night vote.")
    window.session.note_field_edited("standfirst", "A late-night vote.")
    window.preview.schedule()
    standfirst = "document.querySelector('.standfirst')"
    _wait_for(window, qtbot, f"{standfirst} ? {standfirst}.textContent : ''", "A late-night vote.")
    assert window.preview.render_count == renders
    assert window.preview.html is loaded


def test_clicking_a_block_in_the_preview_moves_the_editor_cursor(make_window, newsroom: Newsroom,
                                                                 qtbot) -> None:  # fmt: skip
    body = "\n\n".join(f"Paragraph {i}." for i in range(30))
    newsroom.create_article(headline="Clicks", body=body + "\n")
    window = _web_window(make_window)
    _wait_for(window, qtbot, "document.querySelectorAll('[data-block]').length", 30)
    with qtbot.waitSignal(window.preview.block_clicked, timeout=5000) as blocker:
        _js(window, qtbot, "document.querySelector('[data-block=\"12\"]').click(); true")
    assert blocker.args == [12]
    assert window.editor.textCursor().block().text() == "Paragraph 12."


def test_scrolling_syncs_editor_and_preview_by_block(make_window, qtbot,
                                                     newsroom: Newsroom) -> None:  # fmt: skip
    body = "\n\n".join(f"Paragraph {i} " + "word " * 40 for i in range(80))
    newsroom.create_article(headline="Scrolls", body=body + "\n")
    window = _web_window(make_window)
    _wait_for(window, qtbot, "document.querySelectorAll('[data-block]').length", 80)
    with qtbot.waitSignal(window.preview.scrolled, timeout=5000) as blocker:
        _js(window, qtbot, "document.querySelector('[data-block=\"40\"]').scrollIntoView(); true")
    assert blocker.args[0] == 40
    top = window.editor.cursorForPosition(window.editor.viewport().rect().topLeft()).block()
    assert top.text().startswith("Paragraph 40") or top.text().startswith("Paragraph 39")

    # and back: the editor scrolled by the person moves the preview
    window.scroll_sync._quiet_until = 0
    block = window.editor.document().findBlockByNumber(window.scroll_sync.starts()[10])
    y = window.editor.document().documentLayout().blockBoundingRect(block).top()
    window.editor.verticalScrollBar().setValue(int(y))
    _wait_for(window, qtbot, "window.newsroomPreview.position().block", 10)


def test_width_presets_lay_the_page_out_at_their_width(make_window, newsroom: Newsroom,
                                                       qtbot) -> None:  # fmt: skip
    newsroom.create_article(headline="Widths", body="Text.\n")
    window = _web_window(make_window)
    _wait_for(window, qtbot, _H1, "Widths")
    for name, width in (("phone", 390), ("tablet", 768), ("desktop", 1200)):
        window.preview.set_width_preset(name)
        qtbot.waitUntil(
            lambda width=width: abs(_js(window, qtbot, "window.innerWidth") - width) <= 2,
            timeout=5000,
        )
    window.preview.width_bar.buttons["fit"].click()
    assert window.preview.width_bar.current == "fit"
    with pytest.raises(ValueError, match="Unknown preview width"):
        window.preview.set_width_preset("watch")


def test_a_reference_link_document_is_rendered_whole(make_window, newsroom: Newsroom,
                                                     qtbot) -> None:  # fmt: skip
    newsroom.create_article(
        headline="Refs", body="See [the report][r].\n\nMore.\n\n[r]: https://example.com\n"
    )
    window = _web_window(make_window)
    _wait_for(window, qtbot, "document.querySelector('.story-body a') ? "
              "document.querySelector('.story-body a').getAttribute('href') : ''",
              "https://example.com")  # fmt: skip
    _type_at_end(window, qtbot, " Even more.")
    assert _js(window, qtbot, _BODY) == _export_body(window, qtbot, window.session.snapshot())


def test_without_web_engine_a_text_browser_shows_the_page(make_window, newsroom: Newsroom,
                                                         qtbot, monkeypatch) -> None:  # fmt: skip
    monkeypatch.setattr(preview_module, "QWebEngineView", None)
    newsroom.create_article(headline="No engine", body="Plain.\n")
    window = make_window()
    assert not window.preview.has_web_engine
    assert "simplified" in window.preview._message.text()
    qtbot.waitUntil(lambda: "No engine" in window.preview.browser.toPlainText(), timeout=5000)
    _type_at_end(window, qtbot, " Typed.")
    qtbot.waitUntil(lambda: "Typed." in window.preview.browser.toPlainText(), timeout=5000)


def test_a_dead_web_engine_falls_back_to_a_text_browser(make_window, newsroom: Newsroom,
                                                       qtbot) -> None:  # fmt: skip
    from PySide6.QtWebEngineCore import QWebEnginePage

    newsroom.create_article(headline="Crash", body="Before.\n")
    window = _web_window(make_window)
    _wait_for(window, qtbot, _H1, "Crash")
    status = QWebEnginePage.RenderProcessTerminationStatus.CrashedTerminationStatus
    window.preview.web_view.page().renderProcessTerminated.emit(status, 139)
    assert not window.preview.has_web_engine
    assert "stopped" in window.preview._message.text()
    qtbot.waitUntil(lambda: "Crash" in window.preview.browser.toPlainText(), timeout=5000)


def test_bursts_coalesce_into_one_render_in_flight(qtbot) -> None:
    from editor.core.model import Article

    pane = PreviewPane(delay_ms=10_000)
    qtbot.addWidget(pane)
    calls: list[int] = []

    def source() -> Article:
        calls.append(1)
        return Article(id="burst", headline="Burst", body="Text.\n")

    pane.set_source(source)
    with qtbot.waitSignal(pane.page_shown, timeout=15000):
        pane.refresh_now()
        for _ in range(20):
            pane._start()  # a burst while the first render is in flight
    qtbot.waitUntil(lambda: not pane._in_flight, timeout=15000)
    assert len(calls) <= 2
    pane.shutdown()
    # Delete now, not at interpreter exit: a web page outliving its profile crashes.
    pane.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
