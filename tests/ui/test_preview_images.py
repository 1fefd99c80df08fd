"""Images stored as assets show in the preview and go with File > Export HTML."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog

from editor.ui.preview.assets import StoreAssetLookup

_WORLD = 1
_IMAGES = """JSON.stringify(Array.from(
  document.querySelectorAll('#article-body img, .story-body img'),
  (img) => ({src: img.getAttribute('src'), alt: img.getAttribute('alt'),
             caption: img.closest('figure') ? img.closest('figure').textContent.trim() : '',
             loaded: img.complete && img.naturalWidth > 0})))"""


def _png_bytes() -> bytes:
    image = QImage(48, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#3b6ea5"))
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return bytes(array.data())


def _article_with_image(newsroom):
    article = newsroom.create_article(headline="Cranes over the harbour", body="Intro.\n")
    data = _png_bytes()
    asset = newsroom.add_asset(
        data, alt="Two cranes at dusk", caption="The new cranes", credit="Ana Reyes",
        article_id=article.id, filename="cranes.png",
    )  # fmt: skip
    body = f"The port grew.\n\n![Two cranes at dusk](asset:{asset.id})\n\nThe end.\n"
    article = newsroom.save_article(article.id, expected_version=article.version, body=body)
    return article, asset, data


def _js(window, qtbot, script: str) -> object:
    answers: list[object] = []
    window.preview.web_view.page().runJavaScript(script, _WORLD, answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    return answers[0]


def test_an_asset_image_shows_in_the_preview_as_a_data_url(make_window, newsroom, qtbot):
    import json

    article, _asset, data = _article_with_image(newsroom)
    window = make_window()
    if not window.preview.has_web_engine:
        pytest.skip("QtWebEngine is not available")
    window.open_article(article.id)
    expected_src = "data:image/png;base64," + base64.b64encode(data).decode("ascii")

    def shown() -> list[dict]:
        return json.loads(str(_js(window, qtbot, _IMAGES)))

    qtbot.waitUntil(lambda: any(i["src"] == expected_src for i in shown()), timeout=15000)
    image = next(i for i in shown() if i["src"] == expected_src)
    assert image["alt"] == "Two cranes at dusk"
    assert "The new cranes" in image["caption"] and "Ana Reyes" in image["caption"]
    qtbot.waitUntil(lambda: all(i["loaded"] for i in shown()), timeout=5000)  # it decodes
    assert "asset:" not in window.preview.html


def test_an_image_typed_into_the_body_appears_by_patch(make_window, newsroom, qtbot):
    import json

    article, asset, _data = _article_with_image(newsroom)
    window = make_window()
    if not window.preview.has_web_engine:
        pytest.skip("QtWebEngine is not available")
    window.open_article(article.id)
    qtbot.waitUntil(lambda: bool(window.preview.timings), timeout=15000)
    # The Markdown source mode is not needed: the body is reloaded with a second figure.
    window.body_stack.load_markdown(window.editor.markdown() + f"\n![Again](asset:{asset.id})\n")
    window.editor.body_edited.emit()
    qtbot.waitUntil(lambda: len(json.loads(str(_js(window, qtbot, _IMAGES)))) == 2, timeout=15000)


def test_an_unknown_asset_resolves_to_nothing(newsroom):
    lookup = StoreAssetLookup(newsroom)
    assert lookup("no-such-asset") is None


def test_export_html_writes_the_image_into_the_page(
    make_window, newsroom, tmp_path: Path, monkeypatch
):
    article, _asset, data = _article_with_image(newsroom)
    window = make_window()
    window.open_article(article.id)
    target = tmp_path / "cranes.html"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args: (str(target), "Web page (*.html *.htm)")
    )
    window.actions["file_export_html"].trigger()

    html = target.read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' + base64.b64encode(data).decode("ascii") in html
    assert "Two cranes at dusk" in html and "The new cranes" in html
    assert "asset:" not in html
    assert "Exported to" in window.status.currentMessage()
