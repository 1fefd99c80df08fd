"""Every action, every context-menu entry, in every workflow state, for every role.

Each case triggers one QAction of the registry (or every entry of one context menu, or
File > Quit on a window of its own) on a fixture article in one workflow state, with
the window acting as one person: the reporter who wrote it, another reporter, an
editor or an admin. While it runs, an exception (sys.excepthook, threading.excepthook)
or a Qt warning fails the case, named by the action, state and role; every dialog the
action opens is answered by a timer (cancelled, or in the `accept` cases answered yes),
nothing may be left open afterwards and the window must still process events.

One window serves all cases of one (state, role): the cases are ordered so, and a case
starts from the fixture again (`Harness.baseline`: a fresh article when the last case
changed it). Bugs found are listed in KNOWN_BUGS and marked xfail(strict=True), so the
suite turns red when one is fixed and the mark is not removed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from editor.core.model import Status
from editor.ui.actions import _SPECS
from tests.ui import every_action_support as support
from tests.ui.every_action_support import (
    COMMENT_QUOTE,
    FIRST_WORD,
    MISSPELT,
    ROLES,
    STATES,
    TABLE_CELL,
    DialogCloser,
    Harness,
    MenuDriver,
    Recorder,
    buttons_of,
    close_leftovers,
    close_window,
    context_menu_at,
    responsive,
    set_clipboard,
    settle,
    visible_top_levels,
)

#: Every action of the registry, in registry order.
ACTION_NAMES: tuple[str, ...] = tuple(_SPECS)

#: Quitting closes the window: its own case, on a window of its own.
QUIT = "file_quit"

#: Cases whose dialogs are also answered yes (the note filled in, the default button).
ACCEPT_ACTIONS = (
    "article_submit",
    "article_return",
    "article_approve",
    "article_spike",
    "article_reopen",
    "article_correct",
    "article_delete",
    "file_switch_user",
    "file_users",
    "format_link",
    "format_table_insert",
    "edit_preferences",
)

#: Where a context menu is built (or, for panels without one, their entry buttons).
MENUS = (
    "list_header",
    "body_word",
    "body_misspelt",
    "body_table",
    "body_comment",
    "source_misspelt",
    "checks_findings",
    "review_more",
    "review_cards",
    "import_notes",
)

#: Table actions work on the cell at the cursor; the others on a selected word.
_IN_TABLE = {name for name in ACTION_NAMES if name.startswith("format_table_")}
_IN_TABLE.discard("format_table_insert")

#: (kind, name, state or None, role or None) -> reason; kind is action/accept/menu/quit.
#: Marked xfail(strict=True): for bugs that show in exactly these cases.
KNOWN_BUGS: dict[tuple[str, str, str | None, str | None], str] = {}

#: The (state, role) windows run by default: every state and every role at least once,
#: about 1.5 minutes on two cores. EVERY_ACTION_FULL=1 runs all 7 x 4 (about 4 minutes).
QUICK_COMBOS = {
    (Status.DRAFT, "author"),
    (Status.DRAFT, "other_reporter"),
    (Status.SUBMITTED, "editor"),
    (Status.CHANGES_REQUESTED, "author"),
    (Status.APPROVED, "admin"),
    (Status.PUBLISHED, "editor"),
    (Status.CORRECTED, "admin"),
    (Status.SPIKED, "other_reporter"),
}
FULL = os.environ.get("EVERY_ACTION_FULL") == "1"


def _cases() -> Iterator[pytest.param]:
    for state in STATES:
        for role in ROLES:
            if not FULL and (state, role) not in QUICK_COMBOS:
                continue
            steps = [("action", name) for name in ACTION_NAMES if name != QUIT]
            steps += [("accept", name) for name in ACCEPT_ACTIONS]
            steps += [("delete_undo", "article_delete+edit_undo_delete")]
            steps += [("menu", name) for name in MENUS]
            steps += [("quit", QUIT)]
            for kind, name in steps:
                marks = []
                for key in (
                    (kind, name, state.value, role),
                    (kind, name, state.value, None),
                    (kind, name, None, role),
                    (kind, name, None, None),
                ):
                    if key in KNOWN_BUGS:
                        marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[key]))
                        break
                yield pytest.param(
                    state, role, kind, name, marks=marks, id=f"{state.value}-{role}-{kind}-{name}"
                )


# -- one window per (state, role), reused by consecutive cases -------------------------


class _Windows:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.key: tuple[Status, str] | None = None
        self.harness: Harness | None = None
        self.building_dialogs: list[str] = []
        self.closing_dialogs: list[str] = []

    def get(self, state: Status, role: str) -> Harness:
        if self.key != (state, role) or self.harness is None:
            self.drop()
            closer = DialogCloser()
            with closer.armed():  # building the fixture opens and saves: never a hang
                self.harness = Harness(self.folder, state, role)
            self.key = (state, role)
            self.building_dialogs = closer.seen
        return self.harness

    def drop(self) -> None:
        if self.harness is not None:
            harness, self.harness, self.key = self.harness, None, None
            closer = DialogCloser()
            with closer.armed():  # closing saves: a refusal shows a message
                harness.close()
            self.closing_dialogs = closer.seen


@pytest.fixture(scope="module")
def windows(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Windows]:
    qapp.setOrganizationName("Newsroom")
    qapp.setApplicationName("Newsroom Editor")
    cache = _Windows(tmp_path_factory.mktemp("every_action"))
    yield cache
    cache.drop()


# -- running one step ------------------------------------------------------------------


def _run(harness: Harness, label: str, step: Callable[[], None], accept: bool = False,
         reset: bool = True) -> list[str]:  # fmt: skip
    """Run `step` from the fixture with the recorder and the dialog closer; the problems."""
    recorder = Recorder()
    closer = DialogCloser(accept=accept)
    problems: list[str] = []
    with recorder.active():
        if reset:
            resetter = DialogCloser()
            with resetter.armed():  # reopening saves: a refusal shows a message
                harness.baseline()
            problems += [f"(a dialog while resetting before {label}) {d}" for d in resetter.seen]
            problems += resetter.problems
        reset_problems = list(recorder.problems)
        if reset_problems:
            problems += [f"(while resetting before {label}) {p}" for p in reset_problems]
            recorder.problems.clear()
        keep = {id(w) for w in visible_top_levels()}
        started = time.monotonic()
        with closer.armed():
            step()
            settle(0.03)
            if not responsive(5):
                problems.append("the event loop did not run a zero-timer within 5 s")
        elapsed = time.monotonic() - started
        left = close_leftovers(keep)
        settle(0.01)
    problems += recorder.problems + closer.problems
    still = [w for w in visible_top_levels() if id(w) not in keep]
    if still:
        problems.append(f"still open after closing: {[type(w).__name__ for w in still]}")
    if elapsed > 20:
        problems.append(f"took {elapsed:.1f} s")
    if left:
        # Non-modal windows (History, Changes, Dashboard) are expected; noted, not failed.
        harness.opened.setdefault(label, left)
    return problems


def _fail(problems: list[str], label: str, state: Status, role: str) -> None:
    if problems:
        details = "\n\n".join(problems)
        pytest.fail(f"{label} [state={state.value}, role={role}]:\n{details}", pytrace=False)


def _trigger(harness: Harness, name: str) -> Callable[[], None]:
    window = harness.window
    action = window.actions[name]

    def step() -> None:
        if name in _IN_TABLE:
            harness.cursor_on(TABLE_CELL, select=False)
        else:
            harness.cursor_on(FIRST_WORD)
        if name == "edit_paste_plain":
            set_clipboard()
        action.trigger()
        if action.isCheckable():
            settle(0.02)
            action.trigger()  # and back: both directions run, the window is as it was

    return step


# -- context menus ---------------------------------------------------------------------


def _open_menu(harness: Harness, where: str, driver: MenuDriver, index: int) -> None:
    """Right-click at `where` (the index-th finding row for the checks panel)."""
    window = harness.window
    if where in ("body_misspelt", "source_misspelt"):
        # The word list loads after the editor's first paint: the menu of a misspelt word
        # has its spelling entries once it is in (every opening of the case the same).
        settle(10, lambda: window.spelling.checker.word_list.loaded)
    if where == "list_header":
        header = window.article_list.view.horizontalHeader()
        context_menu_at(header.viewport(), QPoint(header.sectionPosition(1) + 5, 5))
    elif where in ("body_word", "body_misspelt", "body_table", "body_comment"):
        text = {"body_word": FIRST_WORD, "body_misspelt": MISSPELT, "body_table": TABLE_CELL,
                "body_comment": COMMENT_QUOTE}[where]  # fmt: skip
        cursor = harness.cursor_on(text, select=where == "body_word")
        context_menu_at(window.editor.viewport(), harness.point_of(cursor))
    elif where == "source_misspelt":
        if not window.actions["view_markdown_source"].isChecked():
            window.actions["view_markdown_source"].trigger()
        settle(0.05)
        cursor = harness.cursor_on(MISSPELT, select=False, source=True)
        source = window.body_stack.source
        context_menu_at(source.viewport(), harness.point_of(cursor, source=True))
    elif where == "checks_findings":
        window.side_tabs.setCurrentWidget(window.checks)
        settle(2, lambda: bool(window.checks.findings))
        view = window.checks.view
        rows = _finding_indexes(harness)
        if index < len(rows):
            view.scrollTo(rows[index])
            context_menu_at(view.viewport(), view.visualRect(rows[index]).center())
    else:
        raise AssertionError(where)


def _finding_indexes(harness: Harness) -> list:
    from editor.ui.checks.panel import FINDING_ROLE

    model = harness.window.checks.model
    found = []
    stack = [model.index(r, 0) for r in range(model.rowCount())]
    while stack:
        index = stack.pop(0)
        if index.data(FINDING_ROLE) is not None:
            found.append(index)
        stack[0:0] = [model.index(r, 0, index) for r in range(model.rowCount(index))]
    return found


def _menu_case(harness: Harness, where: str) -> tuple[list[str], list[str]]:
    """Every entry of one context menu, each from the fixture; (problems, entries seen)."""
    problems: list[str] = []
    seen: list[str] = []
    if where in ("review_more", "review_cards", "import_notes"):
        return _panel_buttons(harness, where)
    driver = MenuDriver()
    with driver.installed():
        rows = 1
        row = 0
        while row < rows:
            driver.choose, driver.last = None, None

            def opening(row: int = row) -> None:
                _open_menu(harness, where, driver, row)

            problems += _run(harness, f"{where}: open", opening)
            if where == "checks_findings":
                rows = len(_finding_indexes(harness))
            entries = [label for label, _action in (driver.last or [])]
            if driver.last is None and where != "checks_findings":
                problems.append(f"{where}: no context menu was shown")
            for label in entries:
                driver.choose, driver.chosen = label, None
                name = f"{where}[{row}]: {label}" if where == "checks_findings" else label
                seen.append(name)

                def step(label: str = label, row: int = row) -> None:
                    # (A fix changed the text: `baseline` opened a fresh article before.)
                    _open_menu(harness, where, driver, row)

                got = _run(harness, name, step)
                if driver.chosen is None:
                    seen_now = [entry for entry, _a in (driver.last or [])]
                    got.append(f"the entry was not in the menu when opened again: {seen_now}")
                problems += [f"{where} > {name}: {p}" for p in got]
            row += 1
    return problems, seen


def _panel_buttons(harness: Harness, where: str) -> tuple[list[str], list[str]]:
    """Panels whose entries are buttons and a button menu: each clicked from the fixture."""
    window = harness.window
    problems: list[str] = []
    seen: list[str] = []

    def targets() -> list[tuple[str, Callable[[], None]]]:
        if where == "review_more":
            panel = window.review
            return [
                (panel.changes_item.text(), panel.changes_item.trigger),
                (panel.history_item.text(), panel.history_item.trigger),
            ]
        if where == "review_cards":
            window.side_tabs.setCurrentWidget(window.review)
            settle(0.05)
            found = []
            for button in buttons_of(window.review):
                if button.objectName() in ("commentButton", "reviewMore", "showResolved"):
                    continue
                found.append((button.text() or button.objectName(), button.click))
            return found
        window.side_tabs.setCurrentWidget(window.inspector)
        settle(0.05)
        panel = window.inspector.import_notes
        return [(b.text() + f"#{i}", b.click) for i, b in enumerate(buttons_of(panel))]

    count = len(targets())
    if count == 0:
        problems.append(f"{where}: no entries to trigger")
    for position in range(count):

        def step(position: int = position) -> None:
            found = targets()
            if position < len(found):
                seen.append(found[position][0])
                found[position][1]()

        problems += [f"{where} > #{position}: {p}" for p in _run(harness, where, step)]
    return problems, seen


# -- the test --------------------------------------------------------------------------

#: A case (its reset and its step) longer than this fails: the watchdog closes what is
#: open and the case ends. A hang outside any event loop meets pytest-timeout (signal:
#: the case fails, the run goes on) and, stuck in C, the hard limit (stacks, exit).
CASE_SECONDS = 45
HARD_SECONDS = 150


@pytest.fixture
def watchdog() -> Iterator[support.Watchdog]:
    dog = support.Watchdog(CASE_SECONDS, HARD_SECONDS)
    support.WATCHDOG = dog
    try:
        with dog.armed():
            yield dog
    finally:
        support.WATCHDOG = None


@pytest.mark.timeout(CASE_SECONDS + 30, method="signal")
@pytest.mark.parametrize(("state", "role", "kind", "name"), list(_cases()))
def test_every_action(
    watchdog: support.Watchdog, windows: _Windows, state: Status, role: str, kind: str, name: str
) -> None:
    harness = windows.get(state, role)
    window = harness.window
    label = f"{kind} {name}"
    # A window closed or built meanwhile must not have needed an answer (a refused save).
    before = [f"(a dialog while closing the last window) {d}" for d in windows.closing_dialogs]
    before += [f"(a dialog while building this window) {d}" for d in windows.building_dialogs]
    windows.closing_dialogs, windows.building_dialogs = [], []
    if kind == "action":
        problems = _run(harness, label, _trigger(harness, name))
    elif kind == "accept":
        problems = _run(harness, label, _trigger(harness, name), accept=True)
    elif kind == "delete_undo":

        def step() -> None:
            window.actions["article_delete"].trigger()
            settle(0.05)
            window.actions["edit_undo_delete"].trigger()

        problems = _run(harness, label, step, accept=True)
    elif kind == "menu":
        problems, seen = _menu_case(harness, name)
        harness.menus[name] = seen
    elif kind == "quit":
        problems = _quit_case(harness)
    else:
        raise AssertionError(kind)
    if window.isHidden():
        problems.append("the main window was closed")
        windows.drop()
    problems = before + problems
    if watchdog.problems:
        problems = [*watchdog.problems, *problems]
        windows.drop()  # whatever it was stuck in, the next case starts on a new window
    _fail(problems, label, state, role)


def _quit_case(harness: Harness) -> list[str]:
    """File > Quit on a second window over the same store: closeEvent runs cleanly."""
    main = harness.window
    main.session.save()
    other = harness.new_window()
    try:
        other.open_article(harness.article_id)
        settle(0.1)
        harness_window, harness.window = harness.window, other
        try:
            problems = _run(harness, "file_quit", other.actions[QUIT].trigger, reset=False)
        finally:
            harness.window = harness_window
        if other.isVisible():
            problems.append("File > Quit left the window open")
    finally:
        close_window(other)
    return problems


def test_every_registry_action_is_covered(windows: _Windows) -> None:
    """The cases above are built from the registry's own list, not a copy of it."""
    harness = windows.get(Status.DRAFT, "author")
    assert tuple(harness.window.actions.names()) == ACTION_NAMES


def test_the_watchdog_ends_a_hung_modal_dialog(qapp: QApplication) -> None:
    """A modal left open past the deadline is closed and the case fails; no hang."""
    from PySide6.QtWidgets import QMessageBox

    dog = support.Watchdog(0.3, HARD_SECONDS, interval_ms=50)
    started = time.monotonic()
    with dog.armed():
        box = QMessageBox(QMessageBox.Icon.Critical, "Stuck", "Nobody answers this.")
        box.exec()  # nothing else answers it
        support.WATCHDOG = dog
        try:
            assert settle(30, lambda: False) is False  # expired: no more waiting
        finally:
            support.WATCHDOG = None
    assert time.monotonic() - started < 5
    assert any("Nobody answers this." in p for p in dog.problems), dog.problems
