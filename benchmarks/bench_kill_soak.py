"""Kill soak: type in the real window, SIGKILL it at a random moment, count what was lost.

The real app (`.venv/bin/newsroom`) on a temporary store, under Xvfb with openbox on a
display of its own (:140 on), typed into with xdotool at about 13 characters a second
(one `xdotool type` per character, so each character's send time is known). Cycles
alternate: a new article (Ctrl+N, a headline, Return, a body) and more typing at the end of
the article the last cycle left. Each cycle is killed with SIGKILL at a random moment
(0.3-14 s into the typing); then:

- `PRAGMA integrity_check` on the store;
- the recovery source is read directly (the dead run's journal file, through
  `editor.store.recovery_file`, else the stored article) and compared with what was typed:
  the loss is the time from the first character missing to the kill (an upper bound: the
  character's `xdotool` start), 0 when nothing is missing; a trailing space counts as kept
  (Markdown does not keep it);
- an empty headline or body where text was typed more than a second before the kill is a
  failure of its own;
- the app is started again, the recovery question answered with Return (Restore), and the
  store must then hold the recovered text (a "recover" revision).

    .venv/bin/python benchmarks/bench_kill_soak.py [--kills 50] [--seed 12]
        [--rate 13] [--out FILE.json] [--keep DIR]

Prints one line per kill and the distribution at the end; exit status 1 when the bar is
missed (every integrity check ok, every loss under 1.5 s, no empty headline or body, every
restore landed). `run_soak()` is what `tests/realwindow/test_kill_soak.py` calls.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
#: `--source DIR` (or this variable): run the app from another checkout of the project,
#: e.g. `git archive HEAD` unpacked, while the working tree is being edited.
SOURCE = os.environ.get("KILL_SOAK_SOURCE")
if SOURCE:
    sys.path.insert(0, SOURCE)

from tests.realwindow import xsession  # noqa: E402
from tests.realwindow.xsession import App, XServer, person_env, wait_for  # noqa: E402

NEWSROOM = REPO / ".venv" / "bin" / "newsroom"
DISPLAY_FROM = 140
LOSS_BAR_S = 1.5
WORDS = (
    "the harbour ferry left before dawn and the council met in the town hall while reporters "
    "waited outside for news of the budget vote which passed narrowly after a long debate "
    "about flood defences along the river where families have lived for generations and "
    "the mayor promised that work would start in spring once the contracts were signed"
).split()


@dataclass
class Key:
    char: str
    field: str  # "headline" or "body"
    started: float
    ended: float


@dataclass
class Kill:
    cycle: int
    mode: str  # "new" or "continue"
    kill_after_s: float
    typed_headline: int = 0
    typed_body: int = 0
    source: str = ""  # "journal" or "store"
    lost_chars: int = 0
    loss_s: float = 0.0
    integrity: str = ""
    empty: str = ""  # "headline", "body" or ""
    restored: bool | None = None  # the next start's Restore put the text in the store
    note: str = ""
    keys: list[Key] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return (
            self.integrity == "ok"
            and self.loss_s < LOSS_BAR_S
            and not self.empty
            and self.restored is not False
        )


def _with_source(env: dict[str, str]) -> dict[str, str]:
    if SOURCE:
        env["PYTHONPATH"] = SOURCE
    return env


def _stripped(pair: tuple[str, str]) -> tuple[str, str]:
    return pair[0].strip(), pair[1].strip()


def _marker(cycle: int) -> str:
    return "kq" + "".join("abcdefghij"[int(d)] for d in f"{cycle:03d}")


def _text(rng: random.Random, length: int) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(WORDS))
        if rng.random() < 0.12:
            words[-1] += "."
    return " ".join(words)


def _kept(typed: str, recovered: str) -> int:
    """How many characters of `typed` `recovered` starts with (a lost trailing space kept)."""
    count = 0
    for a, b in zip(typed, recovered, strict=False):
        if a != b:
            break
        count += 1
    if count < len(typed) and count >= len(recovered.rstrip()):
        while count < len(typed) and typed[count] == " ":
            count += 1
    return count


class Soak:
    def __init__(self, workdir: Path, rate: float, seed: int, log=print) -> None:
        self.workdir = workdir
        self.rate = rate
        self.rng = random.Random(seed)
        self.log = log
        self.store = (workdir / "store" / "newsroom.db").resolve()
        self.x: XServer | None = None
        self.env: dict[str, str] = {}
        self.article_id: str | None = None  # the article the last cycle typed into
        self.expected: tuple[str, str] | None = None  # (headline, body) a restore must bring
        self.last: Kill | None = None  # the kill whose restore the next start checks
        self._killed_at = 0.0

    # -- setup -------------------------------------------------------------------------

    def __enter__(self) -> Soak:
        self.store.parent.mkdir(parents=True, exist_ok=True)
        env = _with_source(person_env(self.workdir / "home", os.environ))
        subprocess.run(
            [str(NEWSROOM), "--store", str(self.store), "init", "--admin", "ci"],
            env=env, check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        xsession.FIRST_DISPLAY = max(xsession.FIRST_DISPLAY, DISPLAY_FROM)
        self.x = XServer(1600, 1000, self.workdir / "x").start()
        self.env = _with_source(person_env(self.workdir / "home", self.x.env()))
        self.env.update(
            DISPLAY=self.x.display,
            QT_QPA_PLATFORM="xcb",
            QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox",
            PYTHONFAULTHANDLER="1",
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self.x is not None:
            self.x.stop()

    # -- one cycle -----------------------------------------------------------------------

    def cycle(self, number: int) -> Kill:
        assert self.x is not None
        x = self.x
        mode = "new" if number % 2 == 0 or self.article_id is None else "continue"
        kill = Kill(number, mode, round(self.rng.uniform(0.3, 14.0), 2))
        logdir = self.workdir / f"run-{number:03d}"
        logdir.mkdir(parents=True, exist_ok=True)
        app = App([str(NEWSROOM), "--store", str(self.store), "--as", "ci"], self.env, logdir)
        app.start()
        try:
            self._answer_recovery(app)
            window = x.find_window("Newsroom Editor", alive=app.check_alive, timeout=120)
            if mode == "continue":
                wait_for("an article open",
                         lambda: app.check_alive() or "—" in x.window_name(window),
                         timeout=60)  # fmt: skip
            time.sleep(1.0)  # let the start settle (list, preview, spelling)
            x.activate(window)
            base_body = ""
            if mode == "new":
                x.xdotool("key", "--clearmodifiers", "ctrl+n")
                wait_for("the new article", lambda: "Untitled" in x.window_name(window), 30)
                time.sleep(0.3)
                headline = f"{_marker(number)} " + _text(self.rng, self.rng.randint(12, 40))
                body = _text(self.rng, 400)
                plan = [(c, "headline") for c in headline] + [("\n", "-")]
                plan += [(c, "body") for c in body]
            else:
                self._focus_body(window)
                stored = self._article(self.article_id)
                base_body = stored[1] if stored else ""
                body = f" {_marker(number)} " + _text(self.rng, 400)
                plan = [(c, "body") for c in body]
            self._type_and_kill(app, plan, kill)
        finally:
            if app.process is not None and app.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(app.process.pid, signal.SIGKILL)
            if app.process is not None:
                app.process.wait(30)
        kill.integrity = self._integrity()
        self._measure(kill, mode, base_body)
        return kill

    def _answer_recovery(self, app: App) -> None:
        """Press Return (Restore) on every recovery question the start asks."""
        assert self.x is not None
        if self.expected is None:
            return
        previous = self.article_id
        asked = 0
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            app.check_alive()
            found = self.x.xdotool("search", "--onlyvisible", "--name", "Recover Unsaved Work",
                                   check=False).split()  # fmt: skip
            if found:
                self.x.key(found[0], "Return")
                asked += 1
                time.sleep(0.8)
                continue
            if asked and previous is not None:
                break
            if "—" in self._main_title():
                break  # the window opened an article: no question came
            time.sleep(0.2)
        headline, body = self.expected
        want = (headline.strip(), body.strip())
        stored = self._article(previous) if previous else None
        until = time.monotonic() + 15  # the restore may still be writing on a busy machine
        while asked and stored is not None and _stripped(stored) != want:
            if time.monotonic() > until:
                break
            time.sleep(0.3)
            stored = self._article(previous)
        kill = self.last
        if kill is None:
            return
        kill.restored = bool(asked) and stored is not None and _stripped(stored) == want
        if not kill.restored:
            kill.note += (
                f"restore: asked {asked}, store has {stored!r:.120}, expected "
                f"{(headline, body)!r:.120}; "
            )
        self.expected = None

    def _main_title(self) -> str:
        assert self.x is not None
        found = self.x.xdotool("search", "--onlyvisible", "--name", "Newsroom Editor", check=False)
        return self.x.window_name(found.split()[0]) if found else ""

    def _focus_body(self, window: str) -> None:
        """Click into the body editor (the middle column) and go to the end of the text."""
        assert self.x is not None
        left, top, width, height = self.x.geometry(window)
        self.x.xdotool("mousemove", "--sync", left + width * 45 // 100, top + height * 60 // 100,
                       "click", "1")  # fmt: skip
        time.sleep(0.2)
        self.x.xdotool("key", "--clearmodifiers", "ctrl+End")
        time.sleep(0.2)

    def _type_and_kill(self, app: App, plan: list[tuple[str, str]], kill: Kill) -> None:
        assert self.x is not None and app.process is not None
        start = time.monotonic()
        kill_at = start + kill.kill_after_s
        for index, (char, where) in enumerate(plan):
            due = start + index / self.rate
            while time.monotonic() < min(due, kill_at):
                time.sleep(min(0.005, max(0.0, min(due, kill_at) - time.monotonic())))
            if time.monotonic() >= kill_at:
                break
            began = time.monotonic()
            if char == "\n":
                self.x.xdotool("key", "--clearmodifiers", "Return")
            else:
                self.x.xdotool("type", "--delay", "0", "--", char)
            kill.keys.append(Key(char, where, began, time.monotonic()))
        else:
            while time.monotonic() < kill_at:
                time.sleep(0.005)
        killed_at = time.monotonic()
        os.kill(app.process.pid, signal.SIGKILL)
        kill.kill_after_s = round(killed_at - start, 3)
        self._killed_at = killed_at

    # -- after a kill --------------------------------------------------------------------

    def _integrity(self) -> str:
        with contextlib.closing(sqlite3.connect(self.store, timeout=10)) as db:
            return "; ".join(row[0] for row in db.execute("PRAGMA integrity_check"))

    def _article(self, article_id: str | None) -> tuple[str, str] | None:
        if article_id is None:
            return None
        with contextlib.closing(sqlite3.connect(self.store, timeout=10)) as db:
            row = db.execute(
                "SELECT a.headline, r.body FROM articles a JOIN revisions r "
                "ON r.id = a.head_revision_id WHERE a.id = ?",
                (article_id,),
            ).fetchone()
        return (row[0], row[1]) if row else None

    def _new_article_id(self) -> str | None:
        with contextlib.closing(sqlite3.connect(self.store, timeout=10)) as db:
            rows = db.execute("SELECT id FROM articles ORDER BY created_at DESC LIMIT 1").fetchall()
        return rows[0][0] if rows else None

    def _journal(self) -> list:
        from editor.store.recovery_file import SideJournal, journal_directories

        side = SideJournal(journal_directories(self.store, str(self.store)))
        return side.entries()

    def _measure(self, kill: Kill, mode: str, base_body: str) -> None:
        headline_typed = "".join(k.char for k in kill.keys if k.field == "headline")
        body_typed = "".join(k.char for k in kill.keys if k.field == "body")
        kill.typed_headline, kill.typed_body = len(headline_typed), len(body_typed)
        if mode == "new":
            self.article_id = self._new_article_id()
        entries = [e for e in self._journal() if e.article_id == self.article_id]
        stored = self._article(self.article_id)
        if entries:
            entry = entries[-1]
            kill.source = "journal"
            headline = str(entry.changes.get("headline", stored[0] if stored else ""))
            body = entry.body
            self.expected = (headline, body)
        else:
            kill.source = "store"
            headline, body = stored if stored else ("", "")
        if mode == "new":
            kept_headline = _kept(headline_typed, headline)
            body_after = body
        else:
            kept_headline = 0
            marker = _marker(kill.cycle)
            at = body.find(marker)
            body_after = " " + body[at:] if at >= 0 else ""
            if not body_after and base_body and body.rstrip() == base_body.rstrip():
                body_after = ""
        kept_body = _kept(body_typed, body_after.rstrip("\n"))
        lost_key: Key | None = None
        if kept_headline < len(headline_typed):
            lost_key = [k for k in kill.keys if k.field == "headline"][kept_headline]
            kill.lost_chars = len(headline_typed) - kept_headline + len(body_typed)
        elif kept_body < len(body_typed):
            lost_key = [k for k in kill.keys if k.field == "body"][kept_body]
            kill.lost_chars = len(body_typed) - kept_body
        killed_at = self._killed_at
        kill.loss_s = round(killed_at - lost_key.started, 3) if lost_key else 0.0
        early = killed_at - 1.0
        typed_early = any(k.ended < early for k in kill.keys if k.field == "headline")
        if mode == "new" and typed_early and headline.strip() in ("", "Untitled"):
            kill.empty = "headline"
        if any(k.ended < early for k in kill.keys if k.field == "body") and not body.strip():
            kill.empty = kill.empty or "body"


def run_soak(kills: int, workdir: Path, *, rate: float = 13.0, seed: int = 12,
             log=print) -> list[Kill]:  # fmt: skip
    """`kills` cycles; every result (the last cycle's restore is checked by one more start)."""
    results: list[Kill] = []
    with Soak(workdir, rate, seed, log) as soak:
        for number in range(kills):
            try:
                result = soak.cycle(number)
            except Exception as error:  # the harness failed: say so, do not count it as ok
                result = Kill(number, "?", 0.0, integrity="not checked", note=f"harness: {error}")
                soak.expected = None
            results.append(result)
            if result.mode != "?":
                soak.last = result
            log(describe(result))
        if soak.expected is not None:  # the last kill's restore
            app = App([str(NEWSROOM), "--store", str(soak.store), "--as", "ci"], soak.env,
                      workdir / "run-restore")  # fmt: skip
            (workdir / "run-restore").mkdir(exist_ok=True)
            app.start()
            try:
                soak._answer_recovery(app)
            finally:
                app.stop(timeout=0.1)
            if soak.last is not None:
                log(f"    restore of kill {soak.last.cycle}: {soak.last.restored} {soak.last.note}")
    return results


def describe(k: Kill) -> str:
    mark = "ok " if k.ok else "BAD"
    return (
        f"{mark} kill {k.cycle:2d} {k.mode:8s} at {k.kill_after_s:5.2f}s  "
        f"typed h{k.typed_headline:3d} b{k.typed_body:3d}  lost {k.lost_chars:3d} chars = "
        f"{k.loss_s:5.2f}s  from {k.source:7s} "
        f"integrity {k.integrity}  {k.empty and 'EMPTY ' + k.empty}  {k.note}"
    )


def summary(results: list[Kill]) -> dict[str, object]:
    losses = sorted(k.loss_s for k in results if k.mode != "?")
    counted = [k for k in results if k.mode != "?"]

    def pct(p: float) -> float:
        if not losses:
            return float("nan")
        return losses[min(len(losses) - 1, round(p / 100 * (len(losses) - 1)))]

    return {
        "kills": len(results),
        "harness_failures": len(results) - len(counted),
        "integrity_ok": sum(k.integrity == "ok" for k in counted),
        "under_bar": sum(k.loss_s < LOSS_BAR_S for k in counted),
        "no_loss": sum(k.loss_s == 0 for k in counted),
        "empty": sum(bool(k.empty) for k in counted),
        "restored_ok": sum(k.restored is True for k in counted),
        "restore_failed": sum(k.restored is False for k in counted),
        "from_journal": sum(k.source == "journal" for k in counted),
        "loss_p50_s": pct(50),
        "loss_p90_s": pct(90),
        "loss_p99_s": pct(99),
        "loss_max_s": losses[-1] if losses else float("nan"),
        "loss_mean_s": round(statistics.fmean(losses), 3) if losses else float("nan"),
        "all_ok": bool(counted) and len(counted) == len(results) and all(k.ok for k in counted),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--rate", type=float, default=13.0, help="characters a second")
    parser.add_argument("--out", type=Path, help="write every kill and the summary as JSON")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--source", type=Path, help="run the app from this checkout")
    args = parser.parse_args()
    if args.source:  # read by the app's environment and by this process's imports
        global SOURCE
        SOURCE = str(args.source.resolve())
        sys.path.insert(0, SOURCE)
    missing = xsession.missing_tools()
    if missing or not NEWSROOM.exists():
        print(f"needs {', '.join(missing) or NEWSROOM}", file=sys.stderr)
        return 2
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="kill-soak-"))
    started = time.monotonic()
    load = Path("/proc/loadavg").read_text().split()[:3]
    try:
        results = run_soak(args.kills, workdir, rate=args.rate, seed=args.seed)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    result = summary(results)
    result["minutes"] = round((time.monotonic() - started) / 60, 1)
    result["loadavg_before"] = load
    result["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    print(json.dumps(result, indent=2))
    if args.out:
        rows = [{k: v for k, v in asdict(r).items() if k != "keys"} for r in results]
        args.out.write_text(json.dumps({"summary": result, "kills": rows}, indent=2))
    return 0 if result["all_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
