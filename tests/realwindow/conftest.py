"""The real-window suite runs the app on Xvfb with openbox, driven by xdotool.

Without those tools (a laptop, a container without them) every test here is skipped
with the reason; CI installs them (`.ci/run`). Screenshots go to each test's tmp dir,
and one per resolution is kept in `/tmp/realwindow-shots/` (REALWINDOW_SHOTS overrides).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.realwindow.xsession import VENV_PYTHON, missing_tools

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = missing_tools()
    reason = ""
    if missing:
        reason = (
            f"real-window suite needs {', '.join(missing)} (Debian: xvfb openbox xdotool "
            "x11-utils imagemagick and Qt's xcb libraries; .ci/run installs them)"
        )
    elif not VENV_PYTHON.exists():
        reason = f"real-window suite runs the app from {VENV_PYTHON}, which does not exist"
    if not reason:
        return
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def shots_dir() -> Path:
    path = Path(os.environ.get("REALWINDOW_SHOTS", "/tmp/realwindow-shots"))
    path.mkdir(parents=True, exist_ok=True)
    return path
