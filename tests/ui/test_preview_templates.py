"""The preview renders through the export's template folder and site settings (issue 4).

A newsroom's own templates show in the preview as they will on the web; a template without
the patcher's `#article-body` still follows edits (whole-page loads); a broken or missing
template folder falls back to the built-in templates with a notice, never a crash.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QTextCursor

from editor.services.newsroom import Newsroom
from editor.ui.preferences_dialog import ExportValues

_WORLD = 1
_MARKER = "Harbour Gazette house template"
_CUSTOM_ARTICLE = (
    """{% extends "base.html" %}
{% block head %}<title>{{ headline }} | {{ site.site_name }}</title>{% endblock %}
{% block content %}
<p class="house-marker">"""
    + _MARKER
    + """</p>
<article class="story">
<h1 class="headline">{{ headline }}</h1>
<div class="story-body" id="article-body">
{{ body_html }}
</div>
</article>
{% endblock %}
"""
)
#: A newsroom template that wraps the body in its own element: nothing to patch in.
_NO_BODY_DIV = """{% extends "base.html" %}
{% block head %}<title>{{ headline }}</title>{% endblock %}
{% block content %}
<p class="house-marker">No patching here</p>
<h1>{{ headline }}</h1>
<section class="copy">{{ body_html }}</section>
{% endblock %}
"""
_CSS = "h1 { color: rgb(1, 2, 3); }\n"
_EXPORT_KEYS = ("export/templates_dir", "export/site_name", "export/base_url")


@pytest.fixture
def export_settings(app):
    """Set the export preferences the preview reads; the session's settings are restored."""
    settings = QSettings()
    saved = {key: settings.value(key) for key in _EXPORT_KEYS}

    def put(templates_dir: str = "", site_name: str = "Newsroom", base_url: str = "") -> None:
        settings.setValue("export/templates_dir", templates_dir)
        settings.setValue("export/site_name", site_name)
        settings.setValue("export/base_url", base_url)
        settings.sync()

    put()
    yield put
    for key, value in saved.items():
        if value is None:
            settings.remove(key)
        else:
            settings.setValue(key, value)
    settings.sync()


def _templates(tmp_path: Path, article_html: str, css: str | None = None) -> Path:
    folder = tmp_path / "house-templates"
    folder.mkdir()
    (folder / "article.html").write_text(article_html, encoding="utf-8")
    if css is not None:
        (folder / "article.css").write_text(css, encoding="utf-8")
    return folder


def _js(window, qtbot, script: str) -> object:
    answers: list[object] = []
    window.preview.web_view.page().runJavaScript(script, _WORLD, answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    return answers[0]


def _wait_for(window, qtbot, script: str, expected: object) -> None:
    qtbot.waitUntil(lambda: _js(window, qtbot, script) == expected, timeout=15000)


def _web_window(make_window):
    window = make_window()
    if not window.preview.has_web_engine:
        pytest.skip("QtWebEngine is not available")
    return window


def _text_of(selector: str) -> str:
    element = f"document.querySelector({json.dumps(selector)})"
    return f"{element} ? {element}.textContent.trim() : ''"


def _type_at_end(window, qtbot, text: str) -> None:
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, text)
    script = f"document.body.textContent.includes({json.dumps(text.strip())})"
    _wait_for(window, qtbot, script, True)


def test_a_newsrooms_template_folder_shapes_the_preview_and_edits_patch_it(
    make_window, newsroom: Newsroom, qtbot, tmp_path: Path, export_settings
) -> None:
    folder = _templates(tmp_path, _CUSTOM_ARTICLE, _CSS)
    export_settings(str(folder), "Harbour Gazette", "https://gazette.example/")
    body = "\n\n".join(f"Paragraph {i} about the harbour." for i in range(30))
    newsroom.create_article(headline="Tide tables", section="Local", body=body + "\n")
    window = _web_window(make_window)

    _wait_for(window, qtbot, _text_of(".house-marker"), _MARKER)
    assert _js(window, qtbot, _text_of(".site-name")) == "Harbour Gazette"  # base.html's site
    assert _js(window, qtbot, "getComputedStyle(document.querySelector('h1')).color") == (
        "rgb(1, 2, 3)"  # the folder's article.css, linked as the export links it
    )
    assert _js(window, qtbot, "document.title") == "Tide tables | Harbour Gazette"
    assert window.preview.patchable
    assert window.preview.template_notice == ""
    _wait_for(window, qtbot, "document.querySelectorAll('[data-block]').length", 30)
    loaded = window.preview.html
    renders = window.preview.render_count

    _type_at_end(window, qtbot, " Updated.")
    _wait_for(
        window, qtbot, _text_of('[data-block="29"]'), "Paragraph 29 about the harbour. Updated."
    )
    assert window.preview.html is loaded  # patched in place, not reloaded
    assert window.preview.render_count - renders <= 2
    assert _js(window, qtbot, _text_of(".house-marker")) == _MARKER


def test_a_template_without_the_body_container_reloads_whole_pages(
    make_window, newsroom: Newsroom, qtbot, tmp_path: Path, export_settings
) -> None:
    export_settings(str(_templates(tmp_path, _NO_BODY_DIV)))
    newsroom.create_article(headline="Ferry times", body="First.\n\nSecond.\n")
    window = _web_window(make_window)
    _wait_for(window, qtbot, _text_of(".house-marker"), "No patching here")
    assert not window.preview.patchable
    loaded = window.preview.html

    _type_at_end(window, qtbot, " Delayed.")
    assert window.preview.html is not loaded  # a whole new page, from the same template
    assert "Second. Delayed." in _js(window, qtbot, _text_of("section.copy"))
    assert window.preview.patch_error is None  # no failed patch along the way
    # And it settles: no reload loop once the page shows the edit.
    shown = len(window.preview.timings)
    qtbot.wait(400)
    assert len(window.preview.timings) == shown
    _type_at_end(window, qtbot, " Again.")
    assert "Delayed. Again." in _js(window, qtbot, _text_of("section.copy"))


@pytest.mark.parametrize("problem", ["syntax", "missing"])
def test_a_broken_template_folder_falls_back_to_the_built_in_page(
    make_window, newsroom: Newsroom, qtbot, tmp_path: Path, export_settings, problem: str
) -> None:
    if problem == "syntax":
        folder = _templates(tmp_path, '{% extends "base.html" %}{% block content %}{% if %}')
    else:
        folder = tmp_path / "no-such-folder"
    export_settings(str(folder), "Harbour Gazette")
    newsroom.create_article(headline="Storm warning", body="Gales tonight.\n")
    window = _web_window(make_window)

    _wait_for(window, qtbot, _text_of("h1"), "Storm warning")
    notice = window.preview._message
    assert notice.isVisible()
    assert "built-in templates" in notice.text()
    assert ("line" in notice.text()) if problem == "syntax" else ("does not exist" in notice.text())
    assert _js(window, qtbot, "!!document.getElementById('article-body')") is True
    assert _js(window, qtbot, _text_of(".site-name")) == "Harbour Gazette"  # settings still hold
    loaded = window.preview.html
    _type_at_end(window, qtbot, " Stay in.")
    assert window.preview.html is loaded  # the built-in page patches as usual


def test_preferences_ok_re_renders_the_preview_with_the_new_templates(
    make_window, newsroom: Newsroom, qtbot, tmp_path: Path, export_settings
) -> None:
    newsroom.create_article(headline="Bridge reopens", body="Traffic flows.\n")
    window = _web_window(make_window)
    _wait_for(window, qtbot, _text_of("h1"), "Bridge reopens")
    assert _js(window, qtbot, _text_of(".house-marker")) == ""
    controller = window.preferences_controller
    folder = _templates(tmp_path, _CUSTOM_ARTICLE)

    controller.apply(window.preferences, ExportValues("Harbour Gazette", "", str(folder)))
    _wait_for(window, qtbot, _text_of(".house-marker"), _MARKER)
    assert _js(window, qtbot, _text_of(".site-name")) == "Harbour Gazette"
    assert QSettings().value("export/templates_dir") == str(folder)

    controller.apply(window.preferences, ExportValues("Newsroom", "", ""))
    _wait_for(window, qtbot, _text_of(".house-marker"), "")
    assert _js(window, qtbot, _text_of("h1")) == "Bridge reopens"
