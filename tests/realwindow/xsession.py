"""A real X session for the real-window tests: Xvfb, openbox, the app, xdotool and screenshots.

Everything here drives the app from outside, the way a person's desktop does: a window
manager maps, maximises and resizes the window, keys and mouse drags arrive as X events,
and what is on screen is read back from screenshots. Waits poll with a deadline.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parents[2]
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
TOOLS = ("Xvfb", "openbox", "xdotool", "xprop", "import")
FIRST_DISPLAY = 110

T = TypeVar("T")

# Openbox with a keyboard shortcut to (un)maximise and the usual title-bar mouse bindings.
OPENBOX_RC = """<?xml version="1.0" encoding="UTF-8"?>
<openbox_config xmlns="http://openbox.org/3.4/rc">
  <focus><focusNew>yes</focusNew><followMouse>no</followMouse></focus>
  <placement><policy>Smart</policy></placement>
  <desktops><number>1</number></desktops>
  <keyboard>
    <keybind key="W-Up"><action name="ToggleMaximize"/></keybind>
  </keyboard>
  <mouse>
    <context name="Titlebar">
      <mousebind button="Left" action="Drag"><action name="Move"/></mousebind>
      <mousebind button="Left" action="DoubleClick"><action name="ToggleMaximize"/></mousebind>
    </context>
    <context name="Client">
      <mousebind button="Left" action="Press"><action name="Focus"/><action name="Raise"/>
      </mousebind>
    </context>
  </mouse>
</openbox_config>
"""

# What counts as a warning on the app's stderr: Qt's own messages and Python's.
PROBLEM_PATTERNS = (
    re.compile(r"\bQ[A-Z]\w*::\w+"),  # QWidget::setGeometry, QTextCursor::setPosition ...
    re.compile(r"(^|\s)qt\.[a-z][\w.]*:"),  # categorised Qt messages: qt.qpa.xcb: ...
    re.compile(r"Warning"),  # Qt's "Warning:" and Python's UserWarning, DeprecationWarning
    re.compile(r"Traceback \(most recent call last\)"),
    re.compile(r"Fatal Python error|Segmentation fault|Aborted"),
)
# Chromium's own log lines ([pid:tid:date:ERROR:file.cc] ...) are about the sandbox-free,
# GPU-less machine, not about the app; they are listed but do not count.
CHROMIUM_LOG = re.compile(r"^\[\d+:\d+:\d+/\d+\.\d+:(ERROR|WARNING|INFO|VERBOSE\d*):")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = 20.0,
             interval: float = 0.1) -> T:  # fmt: skip
    """Poll `probe` until it returns something truthy; fail with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def problem_lines(text: str) -> list[str]:
    """Lines of `text` that are Qt warnings, Python warnings or tracebacks."""
    return [
        line
        for line in text.splitlines()
        if not CHROMIUM_LOG.match(line) and any(p.search(line) for p in PROBLEM_PATTERNS)
    ]


def _free_display() -> int:
    for number in range(FIRST_DISPLAY, FIRST_DISPLAY + 200):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    raise RuntimeError("no free X display number from :110 on")


@dataclass
class XServer:
    """Xvfb plus openbox on a display of its own; stop() ends only these two processes."""

    width: int
    height: int
    workdir: Path
    number: int = 0
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def display(self) -> str:
        return f":{self.number}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY",)}
        env["DISPLAY"] = self.display
        return env

    def start(self) -> XServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        for _attempt in range(5):
            self.number = _free_display()
            log = (self.workdir / f"xvfb-{self.number}.log").open("wb")
            size = f"{self.width}x{self.height}x24"
            xvfb = subprocess.Popen(
                ["Xvfb", self.display, "-screen", "0", size, "-nolisten", "tcp", "-noreset"],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                wait_for(f"Xvfb on {self.display}", partial(self._answers, xvfb), timeout=10)
            except (TimeoutError, RuntimeError):
                _end(xvfb)
                continue  # someone took the number first: try the next one
            self.processes.append(xvfb)
            break
        else:
            raise RuntimeError("Xvfb did not start on any display (see xvfb-*.log)")
        rc = self.workdir / "openbox-rc.xml"
        rc.write_text(OPENBOX_RC, encoding="utf-8")
        env = self.env()
        env["HOME"] = str(self.workdir)
        openbox = subprocess.Popen(
            ["openbox", "--config-file", str(rc)],
            env=env,
            stdout=(self.workdir / "openbox.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(openbox)
        wait_for("openbox to manage the screen", self._has_window_manager, timeout=10)
        return self

    def _answers(self, xvfb: subprocess.Popen[bytes]) -> bool:
        if xvfb.poll() is not None:
            raise RuntimeError(f"Xvfb {self.display} exited with {xvfb.returncode}")
        result = self.run(["xprop", "-root", "_NET_SUPPORTED"], check=False)
        return result.returncode == 0

    def _has_window_manager(self) -> bool:
        return (
            "_NET_SUPPORTING_WM_CHECK(WINDOW)"
            in self.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], check=False).stdout
        )

    def stop(self) -> None:
        for process in reversed(self.processes):
            _end(process)
        self.processes.clear()

    # -- X commands ----------------------------------------------------------

    def run(self, argv: list[str], *, check: bool = True,
            timeout: float = 30) -> subprocess.CompletedProcess[str]:  # fmt: skip
        return subprocess.run(
            argv, env=self.env(), capture_output=True, text=True, check=check, timeout=timeout
        )

    def xdotool(self, *args: str | int, check: bool = True) -> str:
        return self.run(["xdotool", *map(str, args)], check=check).stdout.strip()

    def find_window(self, name_regex: str, timeout: float = 60.0,
                    alive: Callable[[], None] | None = None) -> str:  # fmt: skip
        """The id of the first visible window whose title matches `name_regex`."""

        def probe() -> str | None:
            if alive:
                alive()
            out = self.xdotool("search", "--onlyvisible", "--name", name_regex, check=False)
            return out.split()[0] if out else None

        return wait_for(f"a window named /{name_regex}/", probe, timeout=timeout, interval=0.2)

    def window_name(self, window: str) -> str:
        return self.xdotool("getwindowname", window, check=False)

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        """x, y, width, height of the window's client area, in screen pixels."""
        out = self.xdotool("getwindowgeometry", "--shell", window)
        values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])

    def net_wm_state(self, window: str) -> str:
        return self.run(["xprop", "-id", window, "_NET_WM_STATE"], check=False).stdout

    def min_size(self, window: str) -> tuple[int, int] | None:
        out = self.run(["xprop", "-id", window, "WM_NORMAL_HINTS"], check=False).stdout
        match = re.search(r"minimum size: (\d+) by (\d+)", out)
        return (int(match[1]), int(match[2])) if match else None

    def activate(self, window: str) -> None:
        self.xdotool("windowactivate", "--sync", window, check=False)
        wait_for("the window to have the focus", lambda: self._focused(window), timeout=10)

    def _focused(self, window: str) -> bool:
        return self.xdotool("getactivewindow", check=False) == window

    def key(self, window: str, *keys: str) -> None:
        self.activate(window)
        self.xdotool("key", "--clearmodifiers", *keys)

    def drag(self, start: tuple[int, int], end: tuple[int, int], steps: int = 6) -> None:
        """Press the left button at `start`, move in steps to `end`, release."""
        (x0, y0), (x1, y1) = start, end
        args: list[str | int] = ["mousemove", "--sync", x0, y0, "sleep", "0.05", "mousedown", 1]
        for step in range(1, steps + 1):
            x = x0 + (x1 - x0) * step // steps
            y = y0 + (y1 - y0) * step // steps
            args += ["sleep", "0.03", "mousemove", x, y]
        args += ["sleep", "0.05", "mouseup", 1]
        self.xdotool(*args)

    def screenshot(self, path: Path, crop: tuple[int, int, int, int] | None = None) -> Path:
        """The whole screen, or the rectangle `crop` (x, y, width, height) of it."""
        path.parent.mkdir(parents=True, exist_ok=True)
        argv = ["import", "-display", self.display, "-window", "root"]
        if crop:
            x, y, width, height = crop
            argv += ["-crop", f"{width}x{height}+{x}+{y}", "+repage"]
        self.run([*argv, str(path)], timeout=60)
        return path


def _end(process: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """Stop one process we started (its own process group), politely first."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(grace)


@contextlib.contextmanager
def x_server(width: int, height: int, workdir: Path) -> Iterator[XServer]:
    server = XServer(width, height, workdir).start()
    try:
        yield server
    finally:
        server.stop()


def person_env(home: Path, base: Mapping[str, str]) -> dict[str, str]:
    """The environment of a person logged in with `home`: XDG folders in it, no test setup."""
    env = {
        k: v
        for k, v in base.items()
        if not k.startswith(("XDG_", "QT_", "NEWSROOM_", "PYTEST", "QTWEBENGINE"))
    }
    env.pop("PYTHONPATH", None)
    env["HOME"] = str(home)
    runtime = home / ".run"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    env["XDG_RUNTIME_DIR"] = str(runtime)
    return env


@dataclass
class App:
    """The real app as a subprocess; stderr goes to a file read back for warnings."""

    argv: list[str]
    env: dict[str, str]
    workdir: Path
    cwd: Path = REPO
    process: subprocess.Popen[bytes] | None = None
    marks: list[tuple[str, int]] = field(default_factory=list)

    @property
    def stderr_path(self) -> Path:
        return self.workdir / "app.stderr"

    def start(self) -> App:
        self.process = subprocess.Popen(
            self.argv,
            env=self.env,
            cwd=self.cwd,
            stdout=(self.workdir / "app.stdout").open("wb"),
            stderr=self.stderr_path.open("wb"),
            start_new_session=True,
        )
        return self

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def mark(self, step: str) -> None:
        """Note where `step` begins on stderr, so a warning can be traced to a step."""
        self.marks.append((step, len(self.stderr())))

    def problems_by_step(self) -> list[str]:
        text = self.stderr()
        bounds = [*self.marks, ("end", len(text))]
        found: list[str] = []
        if self.marks and self.marks[0][1]:
            found += [f"[start] {line}" for line in problem_lines(text[: self.marks[0][1]])]
        for (step, begin), (_next, end) in itertools.pairwise(bounds):
            found += [f"[{step}] {line}" for line in problem_lines(text[begin:end])]
        return found

    def check_alive(self) -> None:
        assert self.process is not None
        if self.process.poll() is not None:
            step = self.marks[-1][0] if self.marks else "start"
            raise AssertionError(
                f"the app exited with {self.process.returncode} during '{step}'; "
                f"stderr:\n{self.stderr()[-6000:]}"
            )

    def stop(self, timeout: float = 20.0) -> int | None:
        """Wait for the app to exit by itself; else SIGTERM, then SIGKILL. Its exit code."""
        if self.process is None:
            return None
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            _end(self.process)
            return None


def store_cli(store: Path, env: Mapping[str, str], *args: str) -> str:
    """Run a `newsroom` subcommand on `store` with the project's venv; its stdout."""
    result = subprocess.run(
        [str(VENV_PYTHON), "-m", "editor", "--store", str(store), *args],
        env=dict(env),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise AssertionError(f"newsroom {' '.join(args)} failed: {result.stderr}")
    return result.stdout


def python() -> str:
    return str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
