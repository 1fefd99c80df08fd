"""The Checks panel: findings listed, a click selects the words, fixes undo in one step."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor

from editor.core.checks import Finding, Level
from editor.ui.checks.panel import FINDING_ROLE, FindingDelegate, finding_details, finding_tooltip

BODY = (
    "The Aurus is a car. Putin drives the Aurus.\n\n"
    "He saw the the Urus at the plant.\n\n"
    "Sales rose 5% in **one** year."
)


FIELD_FINDING = Finding(
    "standfirst-length", Level.WARNING, "The standfirst runs to 60 words", field="standfirst"
)


def open_story(make_window, newsroom, qtbot, body=BODY):
    article = newsroom.create_article(
        "Putin and the car", body, standfirst="A car.", section="World", byline="Ana"
    )
    window = make_window()
    window.open_article(article.id)
    panel = window.checks
    qtbot.waitUntil(lambda: not panel.busy and bool(panel.findings), timeout=10000)
    return window, panel, article


def finding(panel, rule):
    return next(f for f in panel.findings if f.rule == rule)


def test_findings_are_grouped_by_level_and_underlined(make_window, newsroom, qtbot):
    window, panel, _ = open_story(make_window, newsroom, qtbot)
    headings = [panel.model.item(row).text() for row in range(panel.model.rowCount())]
    assert headings[0].startswith("Errors (") and headings[1].startswith("Warnings (")
    assert "Errors block Submit" in panel.summary.text()
    assert window.side_tabs.tabText(window.side_tabs.indexOf(panel)) == "Checks"
    underlined = {s.cursor.selectedText() for s in panel.underlined()}
    assert {"Urus", " the", "5%"} <= underlined
    colours = {s.format.underlineColor().name() for s in panel.underlined()}
    assert len(colours) >= 2  # errors and warnings in different colours


def test_clicking_a_finding_selects_its_words(make_window, newsroom, qtbot):
    window, panel, _ = open_story(make_window, newsroom, qtbot)
    name = finding(panel, "name-spelled-two-ways")
    assert name.level is Level.ERROR
    panel.select_finding(name)
    cursor = window.editor.textCursor()
    assert cursor.selectedText() == "Urus"
    assert cursor.block().text().startswith("He saw the the Urus")


def test_quick_fix_is_one_undo_step(make_window, newsroom, qtbot):
    window, panel, _ = open_story(make_window, newsroom, qtbot)
    before = window.editor.toPlainText()
    assert panel.apply_fix(finding(panel, "percent"))
    assert "Sales rose 5 percent in one year." in window.editor.toPlainText()
    assert panel.apply_fix(finding(panel, "doubled-word"))
    assert "He saw the Urus" in window.editor.toPlainText()
    window.editor.document().undo()
    assert "He saw the the Urus" in window.editor.toPlainText()
    window.editor.document().undo()
    assert window.editor.toPlainText() == before
    qtbot.waitUntil(lambda: not panel.busy, timeout=10000)
    assert "percent" in [f.rule for f in panel.findings]


def test_whole_paragraph_fix_removes_the_block(make_window, newsroom, qtbot):
    body = "Putin and the car\n\nThe story starts here."
    window, panel, _ = open_story(make_window, newsroom, qtbot, body)
    assert panel.apply_fix(finding(panel, "headline-in-body"))
    assert window.editor.toPlainText() == "The story starts here."
    window.editor.document().undo()
    assert window.editor.toPlainText().startswith("Putin and the car")


def test_dismiss_is_remembered(make_window, newsroom, qtbot):
    _window, panel, article = open_story(make_window, newsroom, qtbot)
    name = finding(panel, "name-spelled-two-ways")
    assert panel.dismiss(name, "Two different cars")
    assert name.rule not in [f.rule for f in panel.visible_findings()]
    assert [d.note for d in newsroom.dismissed_findings(article.id)] == ["Two different cars"]
    assert name.rule not in [f.rule for f in newsroom.blocking_findings(article.id)]
    panel.show_dismissed.setChecked(True)
    shown = [f for f in panel.visible_findings() if f.rule == name.rule]
    assert shown and shown[0].dismissed
    panel.check_now()
    qtbot.waitUntil(lambda: not panel.busy, timeout=10000)
    assert [f.dismissed for f in panel.findings if f.rule == name.rule] == [True]
    assert panel.undismiss(shown[0])
    assert newsroom.dismissed_findings(article.id) == []


def test_typing_rechecks_after_a_pause(make_window, newsroom, qtbot):
    window, panel, _ = open_story(make_window, newsroom, qtbot)
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText(" It cost 7 dollars.")
    window.editor.setTextCursor(cursor)
    qtbot.waitUntil(lambda: "numerals" in [f.rule for f in panel.findings], timeout=10000)
    window.side_tabs.setCurrentWidget(panel)


LONG = (
    "The council said on Tuesday that the harbour wall, which was built in 1898 and "
    "repaired twice since, would be strengthened before the winter storms arrive on the "
    "coast this year, at a cost that the council has not yet disclosed to the public."
)


def _item_of(panel, rule):
    for row in range(panel.model.rowCount()):
        heading = panel.model.item(row)
        for child in range(heading.rowCount()):
            item = heading.child(child)
            if item.data(FINDING_ROLE).rule == rule:
                return item
    raise AssertionError(f"no {rule} finding listed")


def test_a_long_finding_is_shown_whole_and_wrapped(make_window, newsroom, qtbot):
    window, panel, _ = open_story(make_window, newsroom, qtbot, BODY + "\n\n" + LONG)
    window.side_tabs.setCurrentWidget(panel)
    long = max(panel.findings, key=lambda f: len(f.message))
    item = _item_of(panel, long.rule)
    assert item.text() == long.message  # the whole message, no "(line:col)" tacked on
    index = item.index()
    metrics = panel.view.fontMetrics()
    text_width = panel.view.viewport().width() - FindingDelegate.ICON
    assert metrics.horizontalAdvance(long.message) > text_width  # it needs more than a line
    qtbot.waitUntil(lambda: panel.view.visualRect(index).height() >= 3 * metrics.height())

    # A wider pane needs fewer lines: the rows are measured again.
    before = panel.view.visualRect(index).height()
    panel.view.resize(panel.view.width() * 3, panel.view.height())
    qtbot.waitUntil(lambda: panel.view.visualRect(index).height() < before)


def test_a_finding_tooltip_reads_as_a_sentence(make_window, newsroom, qtbot):
    _window, panel, _ = open_story(make_window, newsroom, qtbot)
    doubled = finding(panel, "doubled-word")
    tip = _item_of(panel, "doubled-word").toolTip()
    assert not tip.startswith(doubled.rule)
    assert tip.startswith(
        f"{doubled.level.label} on line {doubled.line}, column {doubled.column}: "
    )
    assert doubled.message in tip
    assert tip.endswith("Found by the “doubled-word” check.")
    assert finding_details(doubled) == (
        f"Line {doubled.line}, column {doubled.column} · doubled-word"
    )
    standfirst = FIELD_FINDING
    assert finding_tooltip(standfirst).startswith("Warning in the standfirst: The standfirst")
