"""Launch to a visible, painted window, and memory 5 s later: Newsroom Editor beside ReText.

    .venv/bin/python benchmarks/bench_startup.py [--runs 3] [--display 150]
        [--retext /tmp/me/rt/bin/retext] [--words 20000] [--screen 1600x1000]
        [--big /tmp/newsroom-bench-startup-100000.db | --no-big] [--shots DIR]

Starts its own Xvfb display (:150 by default) with openbox, prepares a store (`newsroom
init`, and a second store holding one 20,000-word article imported with `newsroom import`)
and a 20,000-word Markdown file for ReText. Each run starts the real program
(`.venv/bin/newsroom --store S --as NAME`, `retext FILE.md`), polls `xdotool search
--onlyvisible --name ...` every 10 ms until the window is mapped, then grabs the window
from the X server (Qt's `QScreen.grabWindow`, xcb) until its pixels show painted content
(at least 8 distinct colours on a sample grid, and the same grab twice 50 ms apart): the
time from the exec to that grab is "painted". Then five keys ("xxxxx") are typed
(`xdotool type`, to the window once focused) and the grabs go on until the window shows a
change: "typed" is the time from the exec to that grab ("-" when nothing changed within
5 s). A limit: any change of 60 pixels counts (an article count appearing, say), so look at
the `--shots` grab taken after it ("-typed.png") before trusting the figure. Five seconds
after the window is mapped it sums the resident memory (VmRSS) and the proportional share
(Pss, counting pages shared between processes once) of the process and all its children
(QtWebEngineProcess too).
Programs run alternately, in the same run; medians are printed with the load average.

With `--big` (the default) a third store of 100,000 articles is measured too: made once at
that path, the fastest way the benchmarks have (`newsroom init`, then `bench_search.py`'s
generated articles bulk-inserted and indexed), kept for later runs. `--shots DIR` saves a
screen grab (PNG) of each program's first measured run, taken when it was found painted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWSROOM = ROOT / ".venv" / "bin" / "newsroom"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def tree(pid: int) -> list[int]:
    """`pid` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def memory(pid: int) -> tuple[float, float, int]:
    """(RSS MB, PSS MB, processes) of the tree under `pid`."""
    rss = pss = 0
    pids = tree(pid)
    for each in pids:
        try:
            with open(f"/proc/{each}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024, len(pids)


def visible_window(name: str, env: dict[str, str]) -> int | None:
    """The visible window whose title has `name` ("class:NAME": whose WM class is NAME)."""
    # ReText's title ("file.md — ReText") has a dash xdotool's --name match stops at.
    query = ["--class", name[6:]] if name.startswith("class:") else ["--name", name]
    done = subprocess.run(
        ["xdotool", "search", "--onlyvisible", *query],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    ids = [int(line) for line in done.stdout.split() if line.strip().isdigit()]
    return ids[-1] if ids else None


class Grabber:
    """Screen grabs of a window on the benchmark's display, through Qt's xcb platform."""

    def __init__(self, display: str) -> None:
        os.environ["DISPLAY"] = display
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        from PySide6.QtGui import QGuiApplication

        self.app = QGuiApplication.instance() or QGuiApplication(["grabber"])

    def signature(self, window: int) -> tuple[int, bytes]:
        """(distinct colours on a 40 x 40 grid, the grid's bytes) of the window as shown."""
        image = self.app.primaryScreen().grabWindow(window).toImage()
        width, height = image.width(), image.height()
        if width < 50 or height < 50:
            return 0, b""
        samples = [
            image.pixel(x * (width - 1) // 39, y * (height - 1) // 39)
            for y in range(40)
            for x in range(40)
        ]
        return len(set(samples)), b"".join(s.to_bytes(4, "little") for s in samples)

    def image(self, window: int):
        """The window as shown, a QImage."""
        return self.app.primaryScreen().grabWindow(window).toImage()

    @staticmethod
    def changed_pixels(before, after) -> int:
        """How many pixels differ between two grabs of one window (all, if sizes differ)."""
        if before.size() != after.size():
            return before.width() * before.height()
        old, new = bytes(before.constBits()), bytes(after.constBits())
        if old == new:
            return 0
        line, count = before.bytesPerLine(), 0
        for top in range(0, len(old), line):  # row by row: few rows change
            if old[top : top + line] != new[top : top + line]:
                count += sum(old[i : i + 4] != new[i : i + 4] for i in range(top, top + line, 4))
        return count

    def save_screen(self, path: Path) -> None:
        """The whole screen as it is now, to `path` (PNG)."""
        self.app.primaryScreen().grabWindow(0).save(str(path))


def launch(command: list[str], name: str, env: dict[str, str], grabber: Grabber,
           timeout: float = 60.0, settle: float = 5.0,
           shot: Path | None = None) -> dict[str, float]:  # fmt: skip
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        window = None
        while window is None:
            if time.perf_counter() - start > timeout or process.poll() is not None:
                raise RuntimeError(f"{name}: no window (exit code {process.poll()})")
            window = visible_window(name, env)
            if window is None:
                time.sleep(0.01)
        mapped = time.perf_counter() - start
        previous = b""
        while True:
            colours, grid = grabber.signature(window)
            if colours >= 8 and grid == previous:
                break
            previous = grid
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"{name}: the window never showed painted content")
            time.sleep(0.05)
        painted = time.perf_counter() - start - 0.05  # the first of the two equal grabs
        rss_at_paint, pss_at_paint, _ = memory(process.pid)
        if shot is not None:
            grabber.save_screen(shot)
        typed = type_and_wait(window, env, grabber, start)
        if shot is not None:
            grabber.save_screen(shot.with_name(shot.stem + "-typed.png"))
        time.sleep(max(0.0, mapped + settle - (time.perf_counter() - start)))
        rss, pss, count = memory(process.pid)
        return {
            "mapped": mapped, "painted": painted, "typed": typed, "rss_paint": rss_at_paint,
            "pss_paint": pss_at_paint, "rss": rss, "pss": pss, "processes": count,
        }  # fmt: skip
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def type_and_wait(window: int, env: dict[str, str], grabber: Grabber, start: float,
                  wait: float = 5.0) -> float:  # fmt: skip
    """Type five keys into the focused window; seconds from `start` until the window shows
    them (at least 60 pixels differ from the grab before: a blinking text cursor is ~20), or
    NaN when nothing changed so within `wait`."""
    # The window manager may not have given it the focus yet: keys would go elsewhere.
    subprocess.run(["xdotool", "windowfocus", "--sync", str(window)], env=env,
                   capture_output=True, check=False, timeout=wait)  # fmt: skip
    before = grabber.image(window)
    subprocess.run(["xdotool", "type", "--delay", "0", "xxxxx"], env=env, capture_output=True,
                   check=False)  # fmt: skip
    until = time.perf_counter() + wait
    while time.perf_counter() < until:
        if grabber.changed_pixels(before, grabber.image(window)) >= 60:
            return time.perf_counter() - start
        time.sleep(0.01)
    return float("nan")


def big_store(path: Path, count: int, env: dict[str, str]) -> Path:
    """A store of `count` generated articles at `path`, made once (about a minute for
    100,000: bulk inserts and one index build, as bench_search.py loads its stores)."""
    if path.exists():
        return path
    from bench_search import generate, load

    from editor.store.store import Store

    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    subprocess.run([str(NEWSROOM), "--store", str(partial), "init", "--admin", "Bench"],
                   env=env, check=True, capture_output=True)  # fmt: skip
    store = Store.open(partial)
    try:
        load(store, generate(count))
    finally:
        store.close()
    # The day's automatic backup (of the still empty store) goes with it: without one, the
    # first launch of the day would back the 1 GB store up before its window opens.
    for extra in partial.parent.glob(partial.stem + ".daily-*"):
        extra.rename(path.with_name(path.stem + extra.name[len(partial.stem) :]))
    partial.rename(path)
    return path


def start_display(
    number: int, screen: str = "1600x1000"
) -> tuple[subprocess.Popen, subprocess.Popen, dict[str, str]]:
    display = f":{number}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", f"{screen}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    env = dict(os.environ, DISPLAY=display)
    env.pop("QT_QPA_PLATFORM", None)
    # Bytecode is cached, as after any install (pip compiles) or first run: with
    # PYTHONDONTWRITEBYTECODE set (as in some shells here) every launch compiled each of
    # the app's ~300 modules again, ~0.3-0.5 s that no one who uses it pays; ReText's
    # venv has its bytecode from pip. The warm-up launch writes the caches.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for _ in range(100):
        if subprocess.run(["xdpyinfo"], env=env, capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    manager = subprocess.Popen(
        ["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    time.sleep(1.0)
    return server, manager, env


def stop_display(*processes: subprocess.Popen) -> None:
    """Stop what `start_display` started (the window manager first, then the server)."""
    for process in processes:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--display", type=int, default=150)
    parser.add_argument("--retext", default="/tmp/me/rt/bin/retext")
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--screen", default="1600x1000", help="the Xvfb screen, WIDTHxHEIGHT")
    parser.add_argument("--big", type=Path, default=Path("/tmp/newsroom-bench-startup-100000.db"),
                        help="the 100,000-article store (made there once if missing)")  # fmt: skip
    parser.add_argument("--no-big", action="store_true", help="leave the big store out")
    parser.add_argument("--articles", type=int, default=100_000, help="articles in --big")
    parser.add_argument("--shots", type=Path, help="save a screen grab of each program here")
    parser.add_argument(
        "--before", metavar="REF",
        help="also run the app as of this commit (a git worktree first on PYTHONPATH)",
    )  # fmt: skip
    args = parser.parse_args()
    from bench_preview import long_body

    folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    server, manager, env = start_display(args.display, args.screen)
    try:
        # Settings of their own (both programs keep window state there); HOME and the
        # font cache stay the user's: a fresh font cache costs seconds to either program.
        env = dict(env, XDG_CONFIG_HOME=str(folder / "config"), XDG_DATA_HOME=str(folder / "data"))
        env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
        text = folder / "long-read.md"
        text.write_text("# A very long read\n\n" + long_body(args.words), encoding="utf-8")
        stores = {}
        for label, content in (("empty store", None), ("one 20,000-word article", text)):
            store = folder / f"{len(stores)}.db"
            base = [str(NEWSROOM), "--store", str(store)]
            subprocess.run([*base, "init", "--admin", "Bench"], env=env, check=True,
                           capture_output=True)  # fmt: skip
            if content is not None:
                subprocess.run([*base, "--as", "Bench", "import", str(content)], env=env,
                               check=True, capture_output=True)  # fmt: skip
            stores[label] = [*base, "--as", "Bench"]
        if not args.no_big:
            big = big_store(args.big, args.articles, env)
            stores[f"{args.articles:,} articles"] = [str(NEWSROOM), "--store", str(big), "--as",
                                                    "Bench"]  # fmt: skip
        grabber = Grabber(env["DISPLAY"])
        programs = {f"Newsroom Editor, {label}": (command, "Newsroom Editor")
                    for label, command in stores.items()}  # fmt: skip
        if args.before:
            worktree = folder / "before"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree),
                            args.before], check=True, capture_output=True)  # fmt: skip
            old_env = dict(env, PYTHONPATH=str(worktree))
            for label, command in stores.items():
                programs[f"as of {args.before}, {label}"] = (command, "Newsroom Editor", old_env)
        if Path(args.retext).exists():
            programs["ReText, the 20,000-word file"] = ([args.retext, str(text)], "class:retext")
        results: dict[str, list[dict[str, float]]] = {name: [] for name in programs}
        for command, title, *own in programs.values():  # a warm-up each: page cache
            launch(command, title, own[0] if own else env, grabber, settle=0.0)
        load = os.getloadavg()
        if args.shots:
            args.shots.mkdir(parents=True, exist_ok=True)
        for run in range(args.runs):
            for number, (name, (command, title, *own)) in enumerate(programs.items()):
                shot = (
                    args.shots / f"{args.screen}-{number}.png" if args.shots and not run else None
                )
                results[name].append(
                    launch(command, title, own[0] if own else env, grabber, shot=shot)
                )
        load_after = os.getloadavg()
        print(f"launch to a visible window, Xvfb :{args.display} + openbox, {args.runs} runs "
              "each, alternating (medians; every run in brackets)")  # fmt: skip
        for name, runs in results.items():

            def median(key: str, runs=runs) -> float:
                return statistics.median(r[key] for r in runs)

            painted = ", ".join(f"{r['painted']:.2f}" for r in runs)
            typed = ", ".join(f"{r['typed']:.2f}" if r["typed"] == r["typed"] else "-"
                              for r in runs)  # fmt: skip
            print(
                f"  {name}: mapped {median('mapped'):.2f} s, painted {median('painted'):.2f} s "
                f"[{painted}], typed [{typed}]; at paint RSS {median('rss_paint'):.0f} MB / PSS "
                f"{median('pss_paint'):.0f} MB; 5 s later RSS {median('rss'):.0f} MB / PSS "
                f"{median('pss'):.0f} MB ({median('processes'):.0f} processes)"
            )
        print("  load average before: " + " ".join(f"{x:.2f}" for x in load)
              + "; after: " + " ".join(f"{x:.2f}" for x in load_after))  # fmt: skip
    finally:
        stop_display(manager, server)
        if args.before:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(folder / "before")], capture_output=True)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
