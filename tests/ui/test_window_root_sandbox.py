"""Running the window as root: Chromium (the preview) needs --no-sandbox, said once."""

from __future__ import annotations

import io

import pytest

from editor.ui.app import ROOT_SANDBOX_WARNING, allow_preview_as_root, chromium_flags_for


@pytest.mark.parametrize(
    ("euid", "flags", "disabled", "expected"),
    [
        (0, "", False, "--no-sandbox"),
        (0, "--disable-gpu", False, "--disable-gpu --no-sandbox"),
        (0, "--no-sandbox", False, None),
        (0, "--disable-gpu --no-sandbox", False, None),
        (0, "", True, None),  # QTWEBENGINE_DISABLE_SANDBOX=1 already says so
        (1000, "", False, None),  # everyone else keeps the sandbox
        (1000, "--disable-gpu", False, None),
        (None, "", False, None),  # no uids (Windows)
    ],
)
def test_chromium_flags_for(euid, flags, disabled, expected) -> None:
    assert chromium_flags_for(euid, flags, disabled) == expected


def test_root_gets_no_sandbox_and_one_warning_line() -> None:
    environ = {"QTWEBENGINE_CHROMIUM_FLAGS": "--disable-gpu"}
    err = io.StringIO()
    assert allow_preview_as_root(environ, euid=0, warn=err)
    assert environ["QTWEBENGINE_CHROMIUM_FLAGS"] == "--disable-gpu --no-sandbox"
    assert err.getvalue() == ROOT_SANDBOX_WARNING + "\n"
    assert "running as root: the preview's Chromium sandbox is off" in err.getvalue()


def test_nothing_changes_for_a_person_or_when_already_off() -> None:
    for environ, euid in (
        ({}, 1000),
        ({"QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"}, 0),
        ({"QTWEBENGINE_DISABLE_SANDBOX": "1"}, 0),
    ):
        before = dict(environ)
        err = io.StringIO()
        assert not allow_preview_as_root(environ, euid=euid, warn=err)
        assert environ == before
        assert err.getvalue() == ""
