"""A damaged, truncated, full, locked or doubly opened store: told apart, never written into."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from editor.cli import main
from editor.core.errors import NotAStoreError, StoreBusyError
from editor.services.newsroom import Newsroom
from editor.store import backup, integrity
from editor.store.integrity import DamagedStoreError, DiskFullError
from editor.store.store import Store


def _folder(path: Path) -> dict[str, str]:
    """Every file beside the store and a digest of its bytes."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.parent.iterdir())
        if p.is_file()
    }


def _real_store(path: Path, articles: int = 120) -> None:
    room = Newsroom.open(path)
    rng = random.Random(3)
    for n in range(articles):
        words = " ".join(rng.choice(["flood", "council", "river", "budget"]) for _ in range(300))
        room.create_article(f"Story {n}", words)
    room.close()


def _damage_the_middle(path: Path) -> None:
    """4 KiB of random bytes written into the middle of the file, page-aligned."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek((size // 2) // 4096 * 4096)
        handle.write(random.Random(5).randbytes(4096))


@pytest.fixture
def damaged(store_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")  # no daily backup: a bare damaged file
    _real_store(store_path)
    _damage_the_middle(store_path)
    db = sqlite3.connect(store_path)  # what the issue saw: a damaged page
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    except sqlite3.DatabaseError as error:
        assert "malformed" in str(error)
    finally:
        db.close()
    return store_path


def test_a_damaged_store_is_refused_and_left_as_it_was(damaged):
    before = _folder(damaged)
    with pytest.raises(DamagedStoreError) as refused:
        Store.open(damaged)
    assert "is damaged" in str(refused.value)
    assert "will not write into it" in str(refused.value)
    assert "no backup" in str(refused.value)
    assert _folder(damaged) == before


def test_the_refusal_names_the_latest_good_backup(store_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    _real_store(store_path)
    older = backup.make_backup(store_path)
    newest = backup.make_backup(store_path)
    _damage_the_middle(store_path)
    with pytest.raises(DamagedStoreError) as refused:
        Store.open(store_path)
    assert refused.value.backup == newest.path != older.path
    assert f"newsroom restore-backup {newest.path}" in str(refused.value)


def test_list_and_import_refuse_a_damaged_store(damaged, tmp_path, capsys):
    story = tmp_path / "story.md"
    story.write_text("Headline\n\nA body.\n")
    before = _folder(damaged)
    assert main(["--store", str(damaged), "list"]) != 0
    assert "is damaged" in capsys.readouterr().err
    assert main(["--store", str(damaged), "import", str(story)]) != 0
    assert "is damaged" in capsys.readouterr().err
    assert _folder(damaged) == before


def test_a_damaged_store_is_a_store_error_the_old_callers_catch(damaged):
    with pytest.raises(NotAStoreError):
        Newsroom.open(damaged)


def test_a_truncated_store_leaves_no_stray_files(store_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    _real_store(store_path)
    os.truncate(store_path, store_path.stat().st_size // 2)
    before = _folder(store_path)
    with pytest.raises(DamagedStoreError):
        Store.open(store_path)
    assert _folder(store_path) == before, "no -wal or -shm left beside it"


@pytest.mark.parametrize("shm", [b"", b"\0\0\x01", b"x" * 4096], ids=["empty", "3-bytes", "4k"])
def test_a_truncated_store_with_stale_stubs_beside_it_is_left_as_it_was(
    store_path, monkeypatch, shm
):
    """Stubs a killed process left (an empty `-wal`, a `-shm` under 32 KiB): SQLite's check
    connection takes them over and removes them on closing; the refusal puts them back."""
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    _real_store(store_path)
    os.truncate(store_path, store_path.stat().st_size // 2)
    Path(f"{store_path}-wal").write_bytes(b"")
    Path(f"{store_path}-shm").write_bytes(shm)
    before = _folder(store_path)
    assert set(before) == {"newsroom.db", "newsroom.db-wal", "newsroom.db-shm"}
    with pytest.raises(DamagedStoreError):
        Store.open(store_path)
    assert _folder(store_path) == before


@pytest.mark.parametrize(
    "command",
    [
        ["import", "{story}"],
        ["user", "add", "Bob", "--role", "reporter"],
        ["list"],
        ["list", "--search", "flood"],
        ["show", "no-such-story"],
    ],
    ids=["import", "user-add", "list", "search", "show"],
)
def test_commands_on_a_truncated_store_leave_its_stubs_as_they_were(
    store_path, tmp_path, monkeypatch, capsys, command
):
    """A writing command first looks whether another program holds the lock, a reading
    one reads through sqlite3 alone (`direct_reads`); each look took the stale stubs over
    (and removed them) before the full open's check refused the store."""
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    _real_store(store_path)
    os.truncate(store_path, store_path.stat().st_size // 2)
    Path(f"{store_path}-wal").write_bytes(b"")
    Path(f"{store_path}-shm").write_bytes(b"x" * 100)
    story = tmp_path / "story.md"
    story.write_text("A headline\n\nA body.\n")
    before = _folder(store_path)
    argv = [a.format(story=story) for a in command]
    who = ["--as", "root"] if command[0] in ("import", "user") else []  # reads: direct
    assert main(["--store", str(store_path), *who, *argv]) == 2
    assert "damaged" in capsys.readouterr().err
    assert _folder(store_path) == before


def test_a_sound_store_passes_the_check_and_opens(store_path):
    _real_store(store_path, articles=5)
    assert integrity.quick_check(store_path).ok
    Store.open(store_path).close()


@pytest.fixture
def small_disk(tmp_path):
    """An 8 MB tmpfs of our own (root only), unmounted after the test."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip("cannot mount a small disk here (needs root)")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def _fill_disk(folder: Path) -> None:
    # Unbuffered: nothing is left to flush (and fail) when the file closes.
    with (folder / "filler").open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError:
            pass
    while integrity.free_bytes(folder):
        with (folder / "filler").open("ab", buffering=0) as handle:
            try:
                handle.write(b"\0" * 512)
            except OSError:
                break


def test_a_full_disk_is_told_apart_from_damage(small_disk, monkeypatch):
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    path = small_disk / "newsroom.db"
    _real_store(path, articles=20)
    _fill_disk(small_disk)
    before = _folder(path)
    with pytest.raises(DiskFullError) as refused:
        Store.open(path, read_only_on_full_disk=False)  # reading opens: test_full_disk_reading
    message = str(refused.value)
    assert "is full" in message and "damaged" not in message
    assert _folder(path) == before
    # What a reader can open instead: the store as it is, without a byte written.
    assert refused.value.reader_url is not None
    engine = create_engine(refused.value.reader_url)
    try:
        with engine.connect() as connection:
            count = connection.exec_driver_sql("SELECT count(*) FROM articles").scalar()
        assert count == 20
        with pytest.raises(OperationalError), engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM articles")
    finally:
        engine.dispose()
    assert _folder(path) == before
    (small_disk / "filler").unlink()
    room = Newsroom.open(path)  # intact: room again, and it opens
    assert room.count_articles() == 20
    room.close()


def test_a_truncated_store_on_a_full_disk_with_a_stale_shm_is_told_damaged(small_disk, monkeypatch):
    """A stub `-shm` (under 32 KiB: no connection has it) is stale: the check reads the
    file as it stands, finds the damage (not "disk full") and writes nothing beside it."""
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    path = small_disk / "newsroom.db"
    _real_store(path, articles=20)
    os.truncate(path, path.stat().st_size // 2)
    Path(f"{path}-shm").write_bytes(b"")
    _fill_disk(small_disk)
    before = _folder(path)
    for opener in (lambda: Store.open(path), lambda: Newsroom.open(path, reader=True)):
        with pytest.raises(DamagedStoreError, match="damaged"):
            opener()
        assert _folder(path) == before, "the stub was written into"


def _hold_write_lock(path: Path, seconds: float) -> subprocess.Popen:
    script = textwrap.dedent(
        f"""
        import sqlite3, sys, time
        db = sqlite3.connect({str(path)!r}, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE users SET name = name")
        print("locked", flush=True)
        time.sleep({seconds})
        """
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_locked_store_is_said_at_once_and_given_up_on(store_path):
    Newsroom.init(store_path, "Ann").close()
    holder = _hold_write_lock(store_path, 30)
    notices = []
    started = time.monotonic()
    try:
        with pytest.raises(StoreBusyError, match="locked by another program"):
            integrity.wait_until_writable(
                store_path, notice=lambda m: notices.append((m, time.monotonic())), timeout=1.5
            )
    finally:
        holder.kill()
        holder.wait()
    elapsed = time.monotonic() - started
    assert notices and notices[0][0].startswith(f"waiting for {store_path}")
    assert "(locked by another program)" in notices[0][0]
    assert notices[0][1] - started < 0.5, "said at once"
    assert 1.5 <= elapsed < 4
    assert integrity.wait_until_writable(store_path, notice=notices.append) < 0.5


def test_reading_works_while_another_program_writes(store_path):
    _real_store(store_path, articles=3)
    holder = _hold_write_lock(store_path, 30)
    try:
        room = Newsroom.open(store_path, reader=True)
        assert room.count_articles() == 3
        room.close()
    finally:
        holder.kill()
        holder.wait()


def _write_from_another_process(path: Path, headline: str) -> None:
    script = textwrap.dedent(
        f"""
        from editor.services.newsroom import Newsroom
        room = Newsroom.open({str(path)!r}, "Ann")
        room.create_article({headline!r}, "From the other process.")
        room.close()
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).parents[2])


def _headlines_seen_by_another_process(path: Path) -> set[str]:
    script = f"import sqlite3; print('\\n'.join(r[0] for r in sqlite3.connect({str(path)!r})"
    script += ".execute('SELECT headline FROM articles')))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    return set(done.stdout.split("\n")) - {""}


def test_two_opens_in_one_process_keep_another_processes_writes(store_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    Newsroom.init(store_path, "Ann").close()
    first = Newsroom.open(store_path, "Ann")
    try:
        first.create_article("Before the second open", "One.")
        second = Newsroom.open(store_path, "Ann")  # must not drop the first one's locks
        try:
            _write_from_another_process(store_path, "From the CLI")
            assert "From the CLI" in {a.headline for a in first.list_articles()}
            first.create_article("After the CLI wrote", "Two.")
            second.create_article("Through the second open", "Three.")
            assert _headlines_seen_by_another_process(store_path) == {
                "Before the second open",
                "From the CLI",
                "After the CLI wrote",
                "Through the second open",
            }
        finally:
            second.close()
    finally:
        first.close()


def test_the_header_is_not_read_while_this_process_has_the_store_open(store_path):
    Store.open(store_path).close()
    assert not integrity.open_in_this_process(store_path)
    db = sqlite3.connect(store_path)
    db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    try:
        assert integrity.open_in_this_process(store_path)
    finally:
        db.close()


def test_a_big_store_is_checked_on_a_thread_and_writes_stop_when_it_fails(store_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    monkeypatch.setattr(integrity, "SYNC_CHECK_BYTES", 0)  # every store counts as big
    _real_store(store_path)
    _damage_the_middle(store_path)
    told = []
    stop = integrity.on_damage(told.append)
    try:
        room = Newsroom.open(store_path)  # the fast look finds nothing: it opens
        try:
            integrity.start_background_check(store_path, backup.latest_good_backup).join(30)
            assert told and told[0].path == store_path
            before = _folder(store_path)
            with pytest.raises(DamagedStoreError, match="will not write into it"):
                room.create_article("Not into a damaged store", "Body.")
            assert _folder(store_path) == before
        finally:
            room.close()
        with pytest.raises(DamagedStoreError):
            Store.open(store_path)  # found once: refused at once from now on
    finally:
        stop()
        integrity.forget_damage(store_path)


def test_a_big_truncated_store_is_found_before_it_opens(store_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    monkeypatch.setattr(integrity, "SYNC_CHECK_BYTES", 0)
    _real_store(store_path)
    os.truncate(store_path, store_path.stat().st_size // 2)
    before = _folder(store_path)
    with pytest.raises(DamagedStoreError, match="is damaged"):
        Store.open(store_path)
    assert _folder(store_path) == before


def test_a_sound_big_store_stays_writable_after_its_check(store_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    monkeypatch.setattr(integrity, "SYNC_CHECK_BYTES", 0)
    _real_store(store_path, articles=5)
    room = Newsroom.open(store_path)
    try:
        integrity.start_background_check(store_path, backup.latest_good_backup).join(30)
        assert integrity.damage_of(store_path) is None
        room.create_article("Still written", "Body.")
        assert room.count_articles() == 6
    finally:
        room.close()


def test_a_big_stores_daily_backup_is_made_by_a_process_of_its_own(store_path):
    _real_store(store_path, articles=5)
    stale = store_path.with_name(f"{store_path.stem}.daily-20260101T000000{store_path.suffix}")
    for ending in (".partial", ".partial-journal"):  # left by a process killed mid-copy
        Path(f"{stale}{ending}").write_bytes(b"half")
    made = backup.automatic_backup(store_path, background=True)
    assert made.wait(60) == 0
    daily = [b for b in backup.list_backups(store_path) if b.kind == "daily"]
    assert len(daily) == 1 and integrity.integrity_check(daily[0].path).ok
    assert not list(store_path.parent.glob("*.partial*"))
    assert not list(store_path.parent.glob("*.lock"))
    assert backup.automatic_backup(store_path, background=True) is None  # made today


def test_one_daily_backup_process_a_store_at_a_time(store_path):
    _real_store(store_path, articles=5)
    lock = backup._lock_path(store_path)
    lock.write_text(str(os.getpid()))  # a live process holds it
    assert backup.automatic_backup(store_path, background=True) is None
    assert backup.make_daily_backup(store_path) is None
    lock.write_text("999999999")  # a process that is gone: its lock is stale
    assert backup.make_daily_backup(store_path) is not None
    assert not lock.exists()
