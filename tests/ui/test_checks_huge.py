"""The Checks panel on a paragraph with thousands of findings (issue 12).

A 5 MB paragraph of random words has ~32,000 findings; listing them all as rows and
underlining them all as extra selections held the GUI thread for tens of seconds. The
list holds the first `LIST_LIMIT` of a level and says how many more there are; the
underlines cover the text shown (and `UNDERLINE_MARGIN` around it) and follow scrolling;
the findings are located on the worker.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor

from editor.ui.checks import panel as checks_panel
from editor.ui.checks.panel import FINDING_ROLE, LIST_LIMIT

WORDS = "the council said on Tuesday that a new bridge would open in spring".split()


def doubled_prose(sentences: int) -> str:
    """One paragraph in which every sentence has a doubled word (a finding each)."""
    parts = []
    for n in range(sentences):
        words = [WORDS[(n + i) % len(WORDS)] for i in range(9)]
        words.insert(4, words[3])  # "... that that ..."
        parts.append(" ".join(words).capitalize() + ".")
    return " ".join(parts)


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks_panel, "LIST_LIMIT", 40)
    monkeypatch.setattr(checks_panel, "UNDERLINE_MARGIN", 2000)


def open_huge(make_window, newsroom, qtbot, sentences=1500):
    body = doubled_prose(sentences)
    article = newsroom.create_article("Many findings", body)
    window = make_window()
    window.resize(1200, 800)
    window.open_article(article.id)
    panel = window.checks
    qtbot.waitUntil(lambda: not panel.busy and len(panel.findings) > 1000, timeout=60000)
    return window, panel


def listed(panel) -> list:
    rows = []
    for row in range(panel.model.rowCount()):
        heading = panel.model.item(row)
        rows.extend(heading.child(i) for i in range(heading.rowCount()))
    return rows


def test_the_list_holds_the_first_findings_and_counts_the_rest(
    make_window, newsroom, qtbot, small_limits
):
    _window, panel = open_huge(make_window, newsroom, qtbot)
    rows = listed(panel)
    findings = [r for r in rows if r.data(FINDING_ROLE) is not None]
    more = [r for r in rows if r.data(FINDING_ROLE) is None]
    assert len(findings) <= 40 * 3
    assert more and "more" in more[0].text()
    heading = panel.model.item(0).text()
    total = int(heading.split("(")[1].rstrip(")"))
    assert total > 40  # the heading counts them all
    assert len(panel.findings) > 1000  # and all are kept (Submit, the CLI see the same)


def test_underlines_cover_the_text_shown_and_follow_scrolling(
    make_window, newsroom, qtbot, small_limits
):
    window, panel = open_huge(make_window, newsroom, qtbot)
    editor = window.editor
    shown = panel.underlined()
    assert 0 < len(shown) < len(panel.findings) / 4
    assert all(s.cursor.selectionStart() < 10_000 for s in shown)  # near the top
    for selection, finding in panel._underlined[:50]:  # each on its finding's words
        assert selection.cursor.selectedText().replace("\u2029", "") == finding.matched
    bar = editor.verticalScrollBar()
    bar.setValue(bar.maximum())
    end = editor.document().characterCount()
    qtbot.waitUntil(
        lambda: any(s.cursor.selectionStart() > end - 5000 for s in panel.underlined()),
        timeout=5000,
    )
    # The context menu's finding is the one underlined under the cursor.
    selection = panel.underlined()[-1]
    at = (selection.cursor.selectionStart() + selection.cursor.selectionEnd()) // 2
    found = panel.finding_at(at)
    assert found is not None
    assert found.matched == selection.cursor.selectedText().replace("\u2029", "")


def test_an_edit_keeps_the_drawn_underlines_until_the_next_check(
    make_window, newsroom, qtbot, small_limits
):
    window, panel = open_huge(make_window, newsroom, qtbot)
    editor = window.editor
    first = next(s for s in panel.underlined() if len(s.cursor.selectedText()) < 20)
    word, start = first.cursor.selectedText(), first.cursor.selectionStart()
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.insertText("Now ")
    panel._refill()  # a redraw after the edit (a dismissal, the option toggled)
    spans = {(s.cursor.selectionStart(), s.cursor.selectedText()) for s in panel.underlined()}
    assert (start + 4, word) in spans  # Qt moved it with the text
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    spans = {(s.cursor.selectionStart(), s.cursor.selectedText()) for s in panel.underlined()}
    assert (start + 4, word) in spans  # and the next check found it there


def test_few_findings_are_all_listed_and_underlined(make_window, newsroom, qtbot):
    body = doubled_prose(30)
    article = newsroom.create_article("A few findings", body)
    window = make_window()
    window.open_article(article.id)
    panel = window.checks
    qtbot.waitUntil(lambda: not panel.busy and len(panel.findings) >= 30, timeout=20000)
    rows = [r for r in listed(panel) if r.data(FINDING_ROLE) is not None]
    assert len(rows) == len(panel.visible_findings()) <= LIST_LIMIT
    body_findings = [f for f in panel.findings if f.field == "body"]
    assert len(panel.underlined()) == len(body_findings)
