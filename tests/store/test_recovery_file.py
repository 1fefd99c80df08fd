"""The recovery journal's files: durable at once, readable after a kill or a torn write,
independent of the store (locked, full disk), one file per running editor."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from editor.core.errors import StoreError
from editor.core.values import JournalEntry
from editor.services.newsroom import Newsroom
from editor.store import recovery_file
from editor.store.recovery_file import (
    HEADER_SIZE,
    MIN_SLOT_SIZE,
    JournalFile,
    SideJournal,
    journal_directories,
)

ROOT = Path(__file__).resolve().parents[2]


def _entry(body: str, article: str = "a1", session: str = "s1", **meta) -> JournalEntry:
    return JournalEntry(
        article_id=article,
        session_id=session,
        user_id="u1",
        base_version=3,
        body=body,
        meta={"changes": meta} if meta else {},
        written_at=datetime.now(UTC),
    )


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.journal")) if folder.exists() else []


def test_an_entry_is_on_disk_when_put_returns_and_another_run_reads_it_after_a_kill(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "news.db.recovery"
    script = textwrap.dedent(
        f"""
        import sys, time
        from datetime import UTC, datetime
        from pathlib import Path
        from editor.core.values import JournalEntry
        from editor.store.recovery_file import SideJournal
        side = SideJournal([Path({str(folder)!r})])
        side.put(JournalEntry("a1", "s1", "u1", 2, "Typed before the kill.",
                              {{"changes": {{"headline": "Kill"}}}}, datetime.now(UTC)))
        print("written", flush=True)
        time.sleep(60)
        """
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE,
                               text=True)  # fmt: skip
    try:
        assert process.stdout.readline().strip() == "written"
        reader = SideJournal([folder])
        assert reader.entries() == []  # a running editor's work is not offered to others
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        (entry,) = reader.entries()
        assert entry.body == "Typed before the kill."
        assert entry.changes == {"headline": "Kill"}
        assert (entry.article_id, entry.session_id, entry.user_id, entry.base_version) == (
            "a1", "s1", "u1", 2,
        )  # fmt: skip
        assert entry.written_at is not None and entry.written_at.tzinfo is not None
        # Dropping it rewrites the dead run's file; the last entry gone, the file goes.
        assert reader.drop("a1") == 1
        assert reader.entries() == []
        assert _files(folder) == []
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_torn_write_leaves_the_state_before_it(tmp_path: Path) -> None:
    side = SideJournal([tmp_path / "j"])
    side.put(_entry("First state."))
    side.put(_entry("Second state."))
    (path,) = _files(tmp_path / "j")
    assert path.stat().st_size == HEADER_SIZE + 2 * MIN_SLOT_SIZE  # made at its full size
    # The second state went to slot 0 (state n goes to slot n % 2): tear it.
    with path.open("r+b") as raw:
        raw.seek(HEADER_SIZE + 40)
        raw.write(b"\xff" * 16)
    side.close()  # not a clean end: the file holds an entry, so it stays
    (entry,) = SideJournal([tmp_path / "j"]).entries()
    assert entry.body == "First state."


def test_after_a_failed_write_the_last_good_state_is_never_overwritten(
    tmp_path: Path, monkeypatch
) -> None:
    side = SideJournal([tmp_path / "j"])
    side.put(_entry("Good."))
    real = os.fdatasync
    monkeypatch.setattr(os, "fdatasync", lambda fd: (_ for _ in ()).throw(OSError(5, "I/O")))
    with pytest.raises(StoreError, match="recovery journal could not be written"):
        side.put(_entry("Failed."))
    with pytest.raises(StoreError):
        side.put(_entry("Failed again."))
    monkeypatch.setattr(os, "fdatasync", real)
    # Both failures went to the same slot: the other still holds "Good.".
    file = JournalFile.open_orphan(side.path, exclusive=False)
    assert file is None  # still ours (locked)
    raw = os.open(side.path, os.O_RDONLY)
    try:
        reader = JournalFile(side.path, raw, 0, 0)
        state = reader.read()
        assert state is not None
        # The torn slot was written fully by the failed writes (only the fsync failed),
        # so either state may be newest; the good one is never lost to a later write.
        assert state.entries[0].body in ("Good.", "Failed again.")
        assert reader._read_slot(1) is not None and reader._read_slot(1).entries[0].body == "Good."
    finally:
        os.close(raw)
    side.put(_entry("Works again."))
    side.close()
    assert [e.body for e in SideJournal([tmp_path / "j"]).entries()] == ["Works again."]


def test_a_state_too_big_for_the_slots_grows_the_file(tmp_path: Path) -> None:
    side = SideJournal([tmp_path / "j"])
    side.put(_entry("Small."))
    first = side.path
    huge = os.urandom(900_000).hex()  # 1.8 MB that does not compress much
    side.put(_entry(huge))
    assert side.path != first and not first.exists()
    (path,) = _files(tmp_path / "j")
    assert path.stat().st_size > HEADER_SIZE + 2 * MIN_SLOT_SIZE
    side.close()
    assert SideJournal([tmp_path / "j"]).entries()[0].body == huge


def test_one_file_per_editor_and_a_clean_end_leaves_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "j"
    one, two = SideJournal([folder]), SideJournal([folder])
    one.put(_entry("One's.", article="a1"))
    two.put(_entry("Two's.", article="a2"))
    assert len(_files(folder)) == 2
    assert [e.body for e in one.entries()] == ["One's."]  # two still runs
    two.drop("a2")
    two.close()
    assert len(_files(folder)) == 1
    one.drop("a1")
    one.close()
    assert not folder.exists()  # the folder goes with its last file


def test_dropping_one_session_keeps_the_others(tmp_path: Path) -> None:
    side = SideJournal([tmp_path / "j"])
    side.put(_entry("Session one.", session="s1"))
    side.put(_entry("Session two.", session="s2"))
    side.put(_entry("Other article.", article="a2"))
    assert side.drop("a1", "s1") == 1
    assert sorted(e.body for e in side.entries()) == ["Other article.", "Session two."]
    assert side.drop("a1") == 1
    assert [e.body for e in side.entries()] == ["Other article."]


def test_an_unwritable_folder_falls_back_to_the_state_folder(tmp_path: Path) -> None:
    blocked = tmp_path / "news.db.recovery"
    blocked.write_text("a file where the folder would go")
    fallback = tmp_path / "state" / "abc"
    side = SideJournal([blocked, fallback])
    side.put(_entry("Kept anyway."))
    assert side.path is not None and side.path.parent == fallback
    side.close()
    assert [e.body for e in SideJournal([blocked, fallback]).entries()] == ["Kept anyway."]


def test_where_the_journal_lives(tmp_path: Path, monkeypatch) -> None:
    store = tmp_path / "news.db"
    monkeypatch.setenv(recovery_file.DIRECTORY_ENV, str(tmp_path / "state"))
    beside, fallback = journal_directories(store, str(store))
    assert beside == tmp_path / "news.db.recovery"
    assert fallback.parent == tmp_path / "state"
    (url_folder,) = journal_directories(None, "postgresql+psycopg://root@db/test")
    assert url_folder.parent == tmp_path / "state" and len(url_folder.name) == 16
    assert journal_directories(None, "postgresql+psycopg://root@db/other") != [url_folder]


def test_a_journal_file_made_before_the_disk_filled_still_takes_writes(tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                          capture_output=True, text=True)  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    side = SideJournal([mount / "news.db.recovery"])
    try:
        side.prepare()
        filler = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            with pytest.raises(OSError):  # the disk fills up
                while True:
                    os.write(filler, b"x" * 65536)
        finally:
            os.close(filler)
        body = "Typed on a full disk. " * 2000
        for turn in range(5):
            side.put(_entry(body + str(turn)))
        side.close()
        (entry,) = SideJournal([mount / "news.db.recovery"]).entries()
        assert entry.body == body + "4"
        with pytest.raises(OSError):
            (mount / "more").write_bytes(b"y" * 65536)  # still full
    finally:
        side.close()
        subprocess.run(["umount", str(mount)], check=False)


def test_the_journal_is_written_while_another_program_locks_the_store(
    store_path: Path, monkeypatch, tmp_path: Path
) -> None:
    room = Newsroom.open(store_path)
    try:
        article = room.create_article("Locked", "Saved.\n")
        locker = sqlite3.connect(store_path, timeout=0)
        locker.execute("BEGIN EXCLUSIVE")  # another program holds the store
        try:
            started = time.monotonic()
            room.journal_unsaved(article.id, "s", article.version, "Saved.\nTyped while locked.")
            assert time.monotonic() - started < 1.0
            (entry,) = room.store.journal.list_journal()
            assert entry.body.endswith("Typed while locked.")
        finally:
            locker.rollback()
            locker.close()
        (offer,) = room.recoverable()
        assert room.restore_unsaved(offer).body.endswith("Typed while locked.")
        room.recovery.close_journal()
        assert not (store_path.parent / "newsroom.db.recovery").exists()
    finally:
        room.close()


def test_rows_an_earlier_version_left_in_the_table_are_offered_and_cleared(
    sqlite_newsroom,
) -> None:
    room = sqlite_newsroom
    article = room.create_article("Old store", "Saved.\n")
    room.store.journal.write_table_journal(
        article.id, "old", room.user.id, article.version, "Saved.\nFrom the old journal.",
        {"changes": {"headline": "Old store, updated"}},
    )  # fmt: skip
    room.journal_unsaved(article.id, "new", article.version, "Saved.\nFrom the file.")
    entries = room.store.journal.list_journal()
    assert [e.session_id for e in entries] == ["old", "new"]  # oldest first
    (offer,) = room.recoverable()
    assert offer.entry.session_id == "new"  # the newest of the article's sessions
    room.restore_unsaved(offer)
    assert room.store.journal.list_journal() == []
    with sqlite3.connect(room.store.path) as db:
        assert db.execute("SELECT count(*) FROM recovery_journal").fetchone()[0] == 0
