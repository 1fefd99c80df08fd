"""Keystroke to pixels in a real X11 window, 20,000-word article, preview shown: Newsroom
Editor beside ReText, in the same run.

    .venv/bin/python benchmarks/bench_real_typing.py [--keys 120] [--display 150]
        [--retext /tmp/me/rt/bin/retext] [--words 20000] [--screen 1600x1000] [--shots DIR]
        [--before REF] [--spy FILE]   (--spy needs py-spy in the venv: pip install py-spy)

Starts its own Xvfb with openbox, a store holding one 20,000-word article (`newsroom
import`) and the same text as a Markdown file for ReText. Each program is started, left
to settle (the preview drawn: 8 s), then clicked into its text (a point in its editor,
fractions of the window given per program) and typed into: one key at a time through
XTEST (libXtst, no xdotool process per key), then the strip of the window around the
clicked line is grabbed from the X server (`QScreen.grabWindow`, xcb) in a tight loop
until it differs from before the key. Keystroke to pixels is the time from the fake key
press to that grab; keys are 120 ms apart (a fast typist), alternating "x" and BackSpace
so the line never wraps further. p50 / p90 / p99 / max are printed with the load average.
A limit: a grab takes ~1-3 ms itself, so figures are that coarse.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_startup import NEWSROOM, ROOT, Grabber, start_display, stop_display, visible_window


class XTest:
    """Fake key presses through libXtst on one display."""

    def __init__(self, display: str) -> None:
        self.x11 = ctypes.CDLL("libX11.so.6")
        self.xtst = ctypes.CDLL("libXtst.so.6")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int,
                                                ctypes.c_ulong]  # fmt: skip
        self.dpy = self.x11.XOpenDisplay(display.encode())
        if not self.dpy:
            raise RuntimeError(f"cannot open display {display}")

    def key(self, keysym: int) -> None:
        code = self.x11.XKeysymToKeycode(self.dpy, keysym)
        self.xtst.XTestFakeKeyEvent(self.dpy, code, 1, 0)
        self.xtst.XTestFakeKeyEvent(self.dpy, code, 0, 0)
        self.x11.XSync(self.dpy, 0)


XK_X, XK_BACKSPACE = 0x78, 0xFF08


def geometry(window: int, env: dict[str, str]) -> tuple[int, int]:
    done = subprocess.run(["xdotool", "getwindowgeometry", "--shell", str(window)], env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    values = dict(line.split("=", 1) for line in done.stdout.split())
    return int(values["WIDTH"]), int(values["HEIGHT"])


def measure(command: list[str], name: str, env: dict[str, str], grabber: Grabber, xtest: XTest,
            click: tuple[float, float], keys: int, settle: float,
            shot: Path | None, spy: Path | None = None) -> list[float]:  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        window = None
        started = time.perf_counter()
        while window is None:
            if time.perf_counter() - started > 60 or process.poll() is not None:
                raise RuntimeError(f"{name}: no window")
            window = visible_window(name, env)
            time.sleep(0.05)
        time.sleep(settle)
        window = visible_window(name, env) or window  # the same one, unless it was made again
        width, height = geometry(window, env)
        x, y = int(width * click[0]), int(height * click[1])
        subprocess.run(["xdotool", "windowfocus", "--sync", str(window)], env=env,
                       capture_output=True, check=False, timeout=5)  # fmt: skip
        subprocess.run(["xdotool", "mousemove", "--window", str(window), str(x), str(y),
                        "click", "1"], env=env, check=True)  # fmt: skip
        time.sleep(1.0)
        spying = None
        if spy is not None:  # py-spy on the app while it is typed into (`--spy`)
            spying = subprocess.Popen(
                [str(Path(sys.executable).with_name("py-spy")), "record", "--pid",
                 str(process.pid), "--threads", "--idle", "--nonblocking", "--rate", "250",
                 "--format", "speedscope", "--output", str(spy),
                 "--duration", str(int(keys * 0.12) + 2)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            time.sleep(1.0)
            spied_from = time.perf_counter()
        screen = grabber.app.primaryScreen()
        strip = (0, max(0, y - 20), width, 40)
        latencies = []
        for number in range(keys):
            before = screen.grabWindow(window, *strip).toImage()
            start = time.perf_counter()
            xtest.key(XK_X if number % 2 == 0 else XK_BACKSPACE)
            while True:
                now = screen.grabWindow(window, *strip).toImage()
                if now != before:
                    latencies.append((time.perf_counter() - start) * 1000)
                    break
                if time.perf_counter() - start > 2.0:
                    latencies.append(float("nan"))
                    break
            if spying is not None and latencies[-1] > 12:
                print(f"    key {number}: {latencies[-1]:.0f} ms, "
                      f"{start - spied_from + 1.0:.3f} s into the py-spy record")  # fmt: skip
            time.sleep(max(0.0, 0.120 - (time.perf_counter() - start)))
        if spying is not None:
            spying.wait(30)
        if shot is not None:
            grabber.save_screen(shot)
        return latencies
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)  # the app and its QtWebEngineProcesses
            process.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def summary(latencies: list[float]) -> str:
    got = sorted(v for v in latencies if v == v)
    missed = len(latencies) - len(got)
    if not got:
        return "nothing changed"

    def pick(q: float) -> float:
        return got[min(len(got) - 1, int(q * len(got)))]

    tail = f", {missed} never shown)" if missed else ")"
    return (f"p50 {statistics.median(got):.1f} ms, p90 {pick(0.9):.1f}, p99 {pick(0.99):.1f}, "
            f"max {got[-1]:.1f} ({len(got)} keys{tail}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=120)
    parser.add_argument("--display", type=int, default=150)
    parser.add_argument("--retext", default="/tmp/me/rt/bin/retext")
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--screen", default="1600x1000")
    parser.add_argument("--settle", type=float, default=8.0, help="seconds before typing")
    parser.add_argument("--shots", type=Path)
    parser.add_argument("--before", metavar="REF", help="also this commit (a git worktree)")
    parser.add_argument("--spy", type=Path, help="a py-spy speedscope record of our app's typing")
    args = parser.parse_args()
    from bench_preview import long_body

    folder = Path(tempfile.mkdtemp(prefix="bench-real-typing-"))
    server, manager, env = start_display(args.display, args.screen)
    try:
        env = dict(env, XDG_CONFIG_HOME=str(folder / "config"), XDG_DATA_HOME=str(folder / "data"))
        env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
        text = folder / "long-read.md"
        text.write_text("# A very long read\n\n" + long_body(args.words), encoding="utf-8")
        store = folder / "one.db"
        base = [str(NEWSROOM), "--store", str(store)]
        subprocess.run([*base, "init", "--admin", "Bench"], env=env, check=True,
                       capture_output=True)  # fmt: skip
        subprocess.run([*base, "--as", "Bench", "import", str(text)], env=env, check=True,
                       capture_output=True)  # fmt: skip
        # The editor column of a default window, a line of the first paragraph; ReText's
        # text fills its window.
        programs = {"Newsroom Editor": ([*base, "--as", "Bench"], "Newsroom Editor", env,
                                        (0.55, 0.42))}  # fmt: skip
        if args.before:
            worktree = folder / "before"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree),
                            args.before], check=True, capture_output=True)  # fmt: skip
            programs[f"as of {args.before}"] = ([*base, "--as", "Bench"], "Newsroom Editor",
                                                dict(env, PYTHONPATH=str(worktree)),
                                                (0.55, 0.42))  # fmt: skip
        if Path(args.retext).exists():
            programs["ReText"] = ([args.retext, str(text)], "class:retext", env, (0.3, 0.3))
        grabber = Grabber(env["DISPLAY"])
        xtest = XTest(env["DISPLAY"])
        if args.shots:
            args.shots.mkdir(parents=True, exist_ok=True)
        load = os.getloadavg()
        results = {}
        for number, (name, (command, title, own, click)) in enumerate(programs.items()):
            shot = args.shots / f"typing-{number}.png" if args.shots else None
            spy = args.spy if number == 0 else None
            results[name] = measure(command, title, own, grabber, xtest, click, args.keys,
                                    args.settle, shot, spy)  # fmt: skip
        load_after = os.getloadavg()
        print(f"keystroke to pixels, real window (Xvfb :{args.display} {args.screen} + openbox), "
              f"{args.words:,}-word text, {args.keys} keys 120 ms apart")  # fmt: skip
        for name, latencies in results.items():
            print(f"  {name}: {summary(latencies)}")
            slow = sorted(range(len(latencies)), key=lambda i: -(latencies[i] or 0))[:5]
            print("    slowest keys (number: ms): "
                  + ", ".join(f"{i}: {latencies[i]:.0f}" for i in sorted(slow)))  # fmt: skip
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
