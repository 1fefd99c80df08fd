"""Findings with spellings to choose from: offered on the Fix button, in the Checks list's
right-click menu and in the editor's context menu, each applied as one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QInputDialog, QMenu

BODY = (
    "Mayor Kowalczyk spoke. Kowalczyk said no.\n\n"
    "Later Kowalczik left the hall, `Kowalczik` in code.\n\n"
    "He saw the the end."
)


def open_story(make_window, newsroom, qtbot, body=BODY):
    article = newsroom.create_article(
        "The mayor", body, standfirst="A mayor.", section="Local", byline="Ana"
    )
    window = make_window()
    window.open_article(article.id)
    panel = window.checks
    qtbot.waitUntil(lambda: not panel.busy and bool(panel.findings), timeout=10000)
    return window, panel, article


def name_finding(panel):
    return next(f for f in panel.findings if f.choices)


def texts(actions):
    return [a.text() for a in actions]


def test_the_fix_button_offers_each_choice(make_window, newsroom, qtbot):
    window, panel, _ = open_story(make_window, newsroom, qtbot)
    finding = name_finding(panel)
    assert finding.replacement is None and set(finding.choices) == {"Kowalczyk", "Kowalczik"}
    panel.select_finding(finding)
    assert panel.fix_button.isEnabled()
    assert panel.fix_button.menu() is panel.choices_menu
    assert texts(panel.choices_menu.actions()) == [f"Use “{c}”" for c in finding.choices]
    window.resize(1400, 900)

    before = window.editor.markdown()
    use = next(a for a in panel.choices_menu.actions() if a.text() == "Use “Kowalczyk”")
    use.trigger()
    after = window.editor.markdown()
    assert "Later Kowalczyk left" in after
    assert "`Kowalczik`" in after  # never inside code
    window.editor.document().undo()  # one undo step
    assert window.editor.markdown() == before


def test_choosing_the_flagged_spelling_changes_the_others(make_window, newsroom, qtbot):
    window, panel, _ = open_story(make_window, newsroom, qtbot)
    before = window.editor.markdown()
    assert panel.apply_choice(name_finding(panel), "Kowalczik")
    after = window.editor.markdown()
    assert "Kowalczyk" not in after
    assert after.count("Kowalczik") == 4
    assert name_finding_or_none(panel) is None  # gone from the list at once
    window.editor.document().undo()
    assert window.editor.markdown() == before
    qtbot.waitUntil(
        lambda: not panel.busy and name_finding_or_none(panel) is not None, timeout=10000
    )


def name_finding_or_none(panel):
    return next((f for f in panel.findings if f.choices), None)


def test_a_finding_with_a_fix_has_no_choices_menu(make_window, newsroom, qtbot):
    _window, panel, _ = open_story(make_window, newsroom, qtbot)
    doubled = next(f for f in panel.findings if f.rule == "doubled-word")
    panel.select_finding(doubled)
    assert panel.fix_button.menu() is None
    assert panel.fix_button.text().startswith("Fix")
    actions = panel.finding_actions(doubled, panel)
    assert texts(actions) == ["Fix: remove “ the”", "Dismiss Finding…"]


def test_right_click_in_the_list_offers_fix_choices_and_dismiss(
    make_window, newsroom, qtbot, monkeypatch
):
    _window, panel, article = open_story(make_window, newsroom, qtbot)
    finding = name_finding(panel)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Two people", True))
    panel.select_finding(finding)
    menu = panel.finding_menu(finding, panel.view)
    assert texts(menu.actions()) == ["Use “Kowalczyk”", "Use “Kowalczik”", "Dismiss Finding…"]
    next(a for a in menu.actions() if a.objectName() == "checkDismiss").trigger()
    assert [d.note for d in newsroom.dismissed_findings(article.id)] == ["Two people"]
    assert not any(f.choices for f in panel.visible_findings())


@pytest.mark.parametrize("word", ["Kowalczik"])
def test_editor_context_menu_on_an_underlined_finding(make_window, newsroom, qtbot, word):
    window, panel, _ = open_story(make_window, newsroom, qtbot)
    document = window.editor.document()
    at = document.find(word).selectionStart() + 2
    cursor = QTextCursor(document)
    cursor.setPosition(at)
    menu = QMenu()
    menu.addAction("Copy")
    panel.extend_editor_menu(menu, cursor)
    labels = texts(menu.actions())
    assert labels[0].startswith("“Kowalczik” (1×) is also spelled")
    assert labels[1:4] == ["Use “Kowalczyk”", "Use “Kowalczik”", "Dismiss Finding…"]
    assert labels[-1] == "Copy"

    before = window.editor.markdown()
    next(a for a in menu.actions() if a.text() == "Use “Kowalczyk”").trigger()
    assert "Later Kowalczyk left" in window.editor.markdown()
    window.editor.document().undo()
    assert window.editor.markdown() == before

    # Elsewhere (no finding there): the menu is left alone.
    plain = QMenu()
    plain.addAction("Copy")
    cursor.setPosition(1)
    panel.extend_editor_menu(plain, cursor)
    assert texts(plain.actions()) == ["Copy"]

    # On the doubled word: its quick fix, one undo step.
    doubled = QMenu()
    cursor.setPosition(document.find("the the").selectionStart() + 5)
    panel.extend_editor_menu(doubled, cursor)
    fix = next(a for a in doubled.actions() if a.objectName() == "checkFix")
    fix.trigger()
    assert "He saw the end." in window.editor.toPlainText()
