"""The real app in a real X session at the screen sizes people have, driven from outside.

For each screen the app starts on a store with the samples, as a named user (`--as`), and
xdotool maximises and restores it, enters and leaves focus mode (F11, Esc), drags both
splitter handles to both ends, shrinks the window to its minimum, types into the body and
quits with Ctrl+Q. The process must stay up through every step, quit with 0, and its
stderr must hold no Qt warning and no Python traceback.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from editor.ui.window_layout import LIST_MIN_WIDTH
from tests.realwindow import screen
from tests.realwindow.xsession import (
    App,
    XServer,
    person_env,
    python,
    store_cli,
    wait_for,
    x_server,
)

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "editor/resources/samples").iterdir())
TYPED = "Realwindow typed this sentence."
STEADY = 0.5  # seconds a screen reading must stay the same to count as settled


@dataclass(frozen=True)
class Screen:
    name: str
    width: int
    height: int
    scale: str | None = None


SCREENS = [
    Screen("1366x768", 1366, 768),
    Screen("1920x1080", 1920, 1080),
    Screen("2560x1440", 2560, 1440),
    Screen("1920x1080-scale2", 1920, 1080, scale="2"),
]


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with an admin `ci` and the four samples, built once and copied per test."""
    folder = tmp_path_factory.mktemp("store")
    store = folder / "newsroom.db"
    env = person_env(folder / "home", os.environ)
    try:
        store_cli(store, env, "init", "--admin", "ci")
    except AssertionError:  # a newsroom without `init`: the first `user add` makes an admin
        store_cli(store, env, "user", "add", "ci", "--role", "admin")
    store_cli(store, env, "--as", "ci", "import", *map(str, SAMPLES))
    return store


def _copy_store(template: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in template.parent.glob(template.name + "*"):
        shutil.copy2(path, folder / path.name)
    return folder / template.name


@dataclass
class Session:
    """One run of the app on one screen, with a numbered screenshot per step."""

    x: XServer
    app: App
    shots: Path
    window: str = ""
    scale: int = 1  # QT_SCALE_FACTOR: device pixels per logical pixel
    shot_count: int = 0
    notes: list[str] = field(default_factory=list)
    timings: list[tuple[str, float]] = field(default_factory=list)

    def step(self, name: str, *, alive: bool = True) -> None:
        if alive:
            self.app.check_alive()
        now = time.monotonic()
        if self.timings:
            self.timings[-1] = (self.timings[-1][0], now - self.timings[-1][1])
        self.timings.append((name, now))
        self.app.mark(name)

    def shot(self, label: str) -> Path:
        """A PNG to look at, numbered in step order."""
        self.shot_count += 1
        return self.x.screenshot(self.shots / f"{self.shot_count:02d}-{label}.png")

    def area(self) -> tuple[int, int, int, int]:
        return self.x.geometry(self.window)

    def handles(self) -> list[int]:
        """The splitter handles on screen now, as x inside the window (a quick BMP
        screenshot, overwritten each time)."""
        left, top, width, height = self.area()
        # Only a band across the middle of the window's part on screen: 30% to 80% of it.
        top, bottom = max(top, 0), min(top + height, self.x.height)
        band = (max(left, 0), top + (bottom - top) * 3 // 10, width, (bottom - top) // 2)
        found = screen.splitter_handles(
            self.x.screenshot(self.shots / "probe.bmp", crop=band), (0, 0, width, band[3])
        )
        return [x + band[0] - left for x in found]

    def expected_handles(self) -> int | None:
        """2 when the window is all on screen across, else None (one may be off screen)."""
        left, _top, width, _height = self.area()
        return 2 if left >= 0 and left + width <= self.x.width else None

    def settled_handles(self, what: str, before: list[int] | None = None, timeout: float = 10.0,
                        patience: float = 1.5, steady: float = STEADY,
                        count: int | None = 2) -> list[int]:  # fmt: skip
        """The handles once `count` of them (None: any number) stay the same for `steady`
        seconds and differ from `before` by more than 3 px (or, after `patience` seconds,
        stay the same at all: a handle at its limit does not move). A timeout fails with
        what was seen."""
        readings: list[tuple[float, list[int]]] = []
        started = time.monotonic()

        def probe() -> list[int] | None:
            self.app.check_alive()
            now, found = time.monotonic(), self.handles()
            if not readings or readings[-1][1] != found:
                readings.append((now, found))
                return None
            if now - readings[-1][0] < steady or (count is not None and len(found) != count):
                return None  # not steady yet, or a layout on its way (blank, half drawn)
            if _changed(before, found) or now - started > patience:
                return found or [-1]  # [] is a reading too (focus mode hides the panels)
            return None

        try:
            found = wait_for(f"the splitter handles to settle ({what})", probe, timeout=timeout)
        except TimeoutError as error:
            seen = [reading for _at, reading in readings[-5:]]
            raise AssertionError(f"{error}; the last readings: {seen}") from None
        return [] if found == [-1] else found

    def state(self) -> str:
        return self.x.net_wm_state(self.window)

    def wait_state(self, what: str, want: set[str], unwanted: set[str] = frozenset()) -> None:
        def probe() -> bool:
            self.app.check_alive()
            state = self.state()
            return all(s in state for s in want) and not any(s in state for s in unwanted)

        wait_for(f"{what} (_NET_WM_STATE {sorted(want)} without {sorted(unwanted)})", probe)


def _changed(before: list[int] | None, after: list[int]) -> bool:
    if before is None:
        return True
    if len(before) != len(after):
        return True
    return any(abs(a - b) > 3 for a, b in zip(before, after, strict=True))


MAXIMISED = {"_NET_WM_STATE_MAXIMIZED_VERT", "_NET_WM_STATE_MAXIMIZED_HORZ"}
FULL_SCREEN = {"_NET_WM_STATE_FULLSCREEN"}


@pytest.fixture(params=SCREENS, ids=[s.name for s in SCREENS])
def session(request: pytest.FixtureRequest, tmp_path: Path, sample_store: Path,
            shots_dir: Path) -> Iterator[Session]:  # fmt: skip
    spec: Screen = request.param
    store = _copy_store(sample_store, tmp_path / "store")
    home = tmp_path / "home"
    with x_server(spec.width, spec.height, tmp_path / "x") as x:
        env = person_env(home, x.env())
        env.update(
            DISPLAY=x.display,
            QT_QPA_PLATFORM="xcb",
            QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox",
            PYTHONFAULTHANDLER="1",
        )
        if spec.scale:
            env["QT_SCALE_FACTOR"] = spec.scale
        app = App([python(), "-m", "editor", "--store", str(store), "--as", "ci"], env, tmp_path)
        run = Session(x, app, tmp_path / "shots", scale=int(spec.scale or 1))
        app.start()
        try:
            yield run
        finally:
            app.stop(timeout=0.1)
            kept = run.shots / "maximised.png"
            if kept.exists():
                shutil.copy2(kept, shots_dir / f"{spec.name}.png")
            for note in run.notes:
                print(f"{spec.name}: {note}")
            (shots_dir / f"{spec.name}-notes.txt").write_text(
                "".join(f"{note}\n" for note in run.notes), encoding="utf-8"
            )
            steps = ", ".join(f"{name} {took:.1f}s" for name, took in run.timings[:-1])
            print(f"{spec.name}: {steps}")


def test_real_window(session: Session) -> None:
    s, x, app = session, session.x, session.app
    s.step("start")
    s.window = x.find_window("Newsroom Editor", alive=app.check_alive)
    wait_for("an article to open (its headline in the title)",
             lambda: app.check_alive() or "—" in x.window_name(s.window), timeout=30)  # fmt: skip
    left, top, width, height = s.area()
    fits = width <= x.width and height <= x.height
    if not fits:
        s.notes.append(f"the first window, {width}x{height}, is larger than the screen")
    handles = s.settled_handles("start", timeout=20, count=2 if fits else None)
    s.shot("start")
    assert fits, f"the first window, {width}x{height}, fits the {x.width}x{x.height} screen"
    # Across only: xdotool's y for a framed window counts the title bar twice.
    assert left >= 0 and top >= 0 and left + width <= x.width, (
        f"the first window at {left},{top} {width}x{height} is all on the screen"
    )
    assert len(handles) == 2, f"two splitter handles on screen at start: {handles}"
    _wait_for_preview(s, handles, "start")

    s.step("maximise")
    x.key(s.window, "super+Up")
    s.wait_state("the window maximised", MAXIMISED)
    wait_for("the maximised window to fill the screen",
             lambda: s.area()[2] >= x.width - 10, timeout=10)  # fmt: skip
    handles = s.settled_handles("maximised", before=handles)
    _wait_for_preview(s, handles, "maximised")
    shutil.copy2(s.shot("maximised"), s.shots / "maximised.png")
    assert len(handles) == 2, f"two splitter handles when maximised: {handles}"

    s.step("splitter drags (maximised)")
    handles = _drag_both_handles(s, handles, must_move=True)
    s.shot("dragged")

    s.step("un-maximise")
    x.key(s.window, "super+Up")
    s.wait_state("the window restored", set(), unwanted=MAXIMISED)
    handles = s.settled_handles("restored", before=handles, count=s.expected_handles())
    s.shot("restored")
    if s.expected_handles():
        assert len(handles) == 2, f"two splitter handles after un-maximising: {handles}"

    s.step("focus mode (F11 in, F11 out)")
    x.key(s.window, "F11")
    s.wait_state("focus mode full screen", FULL_SCREEN)
    hidden = s.settled_handles("focus mode", before=handles, count=0)
    assert hidden == [], f"panels hidden in focus mode: {hidden}"
    s.shot("focus-mode")
    x.key(s.window, "F11")
    s.wait_state("focus mode left", set(), unwanted=FULL_SCREEN)
    handles = s.settled_handles("focus mode left", before=[], count=s.expected_handles())
    if s.expected_handles():
        assert len(handles) == 2, f"the panels back after focus mode: {handles}"

    s.step("focus mode (F11 in, Esc out)")
    x.key(s.window, "F11")
    s.wait_state("focus mode full screen", FULL_SCREEN)
    x.key(s.window, "Escape")
    s.wait_state("focus mode left with Esc", set(), unwanted=FULL_SCREEN)

    s.step("minimum size")
    minimum = x.min_size(s.window)
    x.xdotool("windowsize", "--sync", s.window, 100, 100, check=False)
    sizes: list[tuple[int, int, int, int]] = []
    wait_for("the window's size to settle after asking for 100x100",
             lambda: sizes.append(s.area()) or (len(sizes) > 3 and sizes[-1] == sizes[-4]),
             timeout=15, interval=0.2)  # fmt: skip
    _, _, width, height = s.area()
    # Read again once settled: just after focus mode the panels may still be hidden.
    minimum = x.min_size(s.window) or minimum
    if minimum and width > minimum[0] + 4:
        s.notes.append(f"asked for 100x100, the window stays {width} wide (min hint {minimum})")
    s.notes.append(f"minimum size hint {minimum}, window at minimum {width}x{height}")
    if minimum and (minimum[0] > x.width or minimum[1] > x.height):
        s.notes.append(f"minimum size {minimum} is larger than the {x.width}x{x.height} screen")
    handles = s.settled_handles("minimum size", before=handles)
    s.shot("minimum")
    _, _, width, height = s.area()
    if width > x.width or height > x.height:
        s.notes.append(f"at the minimum size the window grew to {width}x{height}, past the screen")
    assert len(handles) == 2, f"two splitter handles at the minimum size {width}x{height}"
    assert minimum, "the window says its minimum size (WM_NORMAL_HINTS)"
    # In logical pixels the minimum fits a 1366x768 screen, whatever the scale.
    scale = s.scale
    assert minimum[0] <= 1366 * scale and minimum[1] <= 768 * scale, (
        f"the minimum size {minimum} fits a 1366x768 screen (at scale {scale})"
    )
    assert width <= minimum[0] + 4 and height <= minimum[1] + 4, (
        f"at the minimum size the window is {width}x{height}, its minimum is {minimum}: "
        "nothing in it (the headline's wrapping) grows it"
    )
    assert width <= x.width and height <= x.height, (
        f"at the minimum size the window, {width}x{height}, fits the screen"
    )
    at_minimum = (handles, width)

    s.step("splitter drags (minimum size)")
    handles = _drag_both_handles(s, handles, must_move=False)

    s.step("typing")
    x.xdotool("windowsize", "--sync", s.window, x.width * 3 // 4, x.height * 3 // 4, check=False)
    x.xdotool("windowmove", "--sync", s.window, 40, 60, check=False)
    handles = s.settled_handles("before typing", before=handles)
    assert len(handles) == 2, f"two splitter handles before typing: {handles}"
    _check_wider_window_goes_to_the_editor(s, *at_minimum, handles)
    handles = _place_handles(s, handles, (0.22, 0.68))
    left, top, _, height = s.area()
    x.activate(s.window)
    x.xdotool("mousemove", "--sync", left + (handles[0] + handles[1]) // 2, top + height * 2 // 3,
              "click", 1)  # fmt: skip
    x.xdotool("key", "--clearmodifiers", "ctrl+End", "Return")
    x.xdotool("type", "--delay", 15, TYPED)
    wait_for("the typed text in the store (autosave or recovery journal)",
             lambda: app.check_alive() or _stored(app, TYPED), timeout=30)  # fmt: skip
    s.shot("typed")

    s.step("quit (Ctrl+Q)")
    x.key(s.window, "ctrl+q")
    code = app.stop(timeout=30)
    s.step("done", alive=False)
    assert code == 0, f"Ctrl+Q: the app exited with {code}; stderr:\n{app.stderr()[-4000:]}"

    problems = app.problems_by_step()
    assert not problems, "Qt warnings or tracebacks on stderr:\n" + "\n".join(problems)


def _stored(app: App, text: str) -> bool:
    store = Path(app.argv[app.argv.index("--store") + 1])
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=5) as db:
        for table in ("revisions", "recovery_journal"):
            query = f"SELECT count(*) FROM {table} WHERE body LIKE ?"
            if db.execute(query, (f"%{text}%",)).fetchone()[0]:
                return True
    return False


def _drag_both_handles(s: Session, handles: list[int], *, must_move: bool) -> list[int]:
    """Drag each handle to the window's left edge, then its right edge. Both handles stay
    on screen; with `must_move` each must follow the mouse (as far as the panels' minimum
    widths let it). Without it (at the minimum size every panel is as narrow as it goes)
    the four drags follow each other and only the end result is read."""
    left, top, width, height = s.area()
    y = top + height // 2
    list_minimum = LIST_MIN_WIDTH * s.scale
    for index in (0, 1):
        for end, label in ((left + 2, "left"), (left + width - 3, "right")):
            before = handles
            s.x.drag((left + before[index], y), (end, y))
            if not must_move:
                continue
            handles = s.settled_handles(f"handle {index} dragged {label}", before, steady=0.3)
            assert len(handles) == 2, (
                f"handle {index} dragged {label}: two handles expected, found {handles} "
                f"(was {before})"
            )
            moved = handles[index] - before[index]
            if (index, label, moved) == (0, "left", 0) and before[0] <= list_minimum + 2:
                continue  # the list was at its minimum already (a window as small as the screen)
            assert (moved < 0) if label == "left" else (moved > 0), (
                f"handle {index} did not move {label}: {before} -> {handles}"
            )
    if not must_move:
        after = s.settled_handles("handles dragged at the minimum size", before=handles)
        assert len(after) == 2, f"two handles after the drags, found {after} (was {handles})"
        s.notes.append(f"drags at the minimum size: handles {handles} -> {after}")
        handles = after
    return handles


def _check_wider_window_goes_to_the_editor(s: Session, before: list[int], width_before: int,
                                           after: list[int]) -> None:  # fmt: skip
    """From the minimum size to a wider window: the list keeps its width (it is at its
    minimum), the editor column takes the larger part of the extra width, the preview the
    rest (the splitter's stretch factors)."""
    width_after = s.area()[2]
    grown = width_after - width_before
    editor = (after[1] - after[0]) - (before[1] - before[0])
    preview = (width_after - after[1]) - (width_before - before[1])
    s.notes.append(
        f"{width_before} -> {width_after} px wide: list {after[0] - before[0]:+d}, "
        f"editor {editor:+d}, preview {preview:+d}"
    )
    if grown < 100:
        return  # a screen too small to widen the window by much: nothing to compare
    assert abs(after[0] - before[0]) <= 3, (
        f"the list keeps its width when the window widens: handles {before} -> {after}"
    )
    assert editor > preview > 0, (
        f"the editor takes most of {grown} px more, the preview the rest: editor {editor:+d}, "
        f"preview {preview:+d} (handles {before} -> {after})"
    )


def _preview_drawn(s: Session, handles: list[int]) -> bool:
    """Whether the preview pane's right-hand part shows anything but white (its page's
    rule, text and scroll bar): a page not yet drawn at the pane's new width left a white
    band there, or the whole pane white."""
    left, top, width, height = s.area()
    pane = width - handles[1]
    strip = max(8, pane * 15 // 100)
    crop = (left + width - strip, max(top, 0) + height // 10, strip - 2, height * 8 // 10)
    return screen.distinct_colours(s.x.screenshot(s.shots / "preview.bmp", crop=crop), 2) > 1


def _wait_for_preview(s: Session, handles: list[int], what: str, timeout: float = 20.0) -> None:
    """Until the preview is drawn across its pane; how long that took is noted (slow
    software rendering), never drawn is a failure."""
    started = time.monotonic()
    if not _preview_drawn(s, handles):
        s.shot(f"preview-not-drawn-{what}")
        wait_for(f"the preview to draw across its pane ({what})",
                 lambda: s.app.check_alive() or _preview_drawn(s, handles),
                 timeout=timeout, interval=0.3)  # fmt: skip
        s.notes.append(f"{what}: the preview took {time.monotonic() - started:.1f} s to draw")


def _place_handles(s: Session, handles: list[int], shares: tuple[float, float]) -> list[int]:
    """Drag the handles to `shares` of the window's width (a layout to type in)."""
    left, top, width, height = s.area()
    y = top + height // 2
    for index in (1, 0) if shares[1] * width > handles[1] else (0, 1):
        s.x.drag((left + handles[index], y), (left + int(width * shares[index]), y))
        handles = s.settled_handles(f"handle {index} placed", handles, patience=0.5, steady=0.3)
    return handles
