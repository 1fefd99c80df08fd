"""File ▸ Switch User from the menu: the action's `triggered(checked)` must not reach
`switch_user(user=...)` as `False` (it raised `'bool' object has no attribute 'strip'`)."""

from __future__ import annotations

from editor.core.model import Role


def test_the_menu_action_asks_who_and_switches(make_window, newsroom, qtbot) -> None:
    newsroom.add_user("Rosa Reporter", Role.REPORTER)
    editor = newsroom.add_user("Eddie Editor", Role.EDITOR)
    newsroom.switch_user("Rosa Reporter")
    window = make_window()
    asked: list[bool] = []

    def choose():
        asked.append(True)
        return editor

    window.workflow.choose_user = choose
    window.actions["file_switch_user"].trigger()
    assert asked == [True]
    assert newsroom.user.name == "Eddie Editor"
    assert "Eddie Editor (Editor)" in window.status.identity.text()


def test_cancelling_the_question_from_the_menu_changes_nothing(make_window, newsroom, qtbot):
    """No exception in the slot (pytest-qt fails the test on one), the same person."""
    window = make_window()
    window.workflow.choose_user = lambda: None
    before = newsroom.user.name
    window.actions["file_switch_user"].trigger()
    assert newsroom.user.name == before
