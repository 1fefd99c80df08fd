"""`newsroom backup`, `backups` and `restore-backup`, run through their own parsers."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from editor.cli import backup as cli_backup
from editor.core.errors import NewsroomError
from editor.services.newsroom import Newsroom
from editor.store import backup, integrity
from tests.store.conftest import postgres_url  # noqa: F401 - the PostgreSQL fixture


def newsroom(argv: list[str]) -> int:
    """The verbs as `newsroom` runs them: its --store option, the module's parsers, `run`,
    and an error as one line on stderr with exit code 2."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="newsroom", parents=[common])
    commands = parser.add_subparsers(dest="command")
    cli_backup.add_parsers(commands, common)
    args = parser.parse_args(argv)
    try:
        return cli_backup.run(args, getattr(args, "store", None))
    except NewsroomError as error:
        print(f"newsroom: {error}", file=sys.stderr)
        return 2


@pytest.fixture
def store(tmp_path, monkeypatch):
    store_path = tmp_path / "newsroom.db"
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    room = Newsroom.open(store_path)
    room.create_article("Kept in the backup", "Body of the story.")
    room.close()
    return store_path


def _headlines(path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in db.execute("SELECT headline FROM articles"))
    finally:
        db.close()


def test_backup_writes_a_checked_copy_and_says_where(store, capsys):
    assert newsroom(["--store", str(store), "backup"]) == 0
    out = capsys.readouterr().out
    made = backup.list_backups(store)
    assert len(made) == 1 and made[0].kind == "backup"
    assert f"to {made[0].path}" in out and "checked" in out
    assert _headlines(made[0].path) == ["Kept in the backup"]


def test_backup_out_writes_where_asked_and_never_over_a_file(store, tmp_path, capsys):
    target = tmp_path / "elsewhere" / "copy.db"
    assert newsroom(["--store", str(store), "backup", "--out", str(target)]) == 0
    assert integrity.integrity_check(target).ok
    assert newsroom(["--store", str(store), "backup", "--out", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert newsroom(["--store", str(store), "backup", "--out", str(store)]) == 2


def test_backups_lists_time_size_and_why(store, capsys):
    backup.make_backup(store)
    backup.make_backup(store, "daily")
    assert newsroom(["--store", str(store), "backups"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert "daily" in lines[0] and "made by hand" in lines[1]
    assert "KB" in lines[0] and lines[0][:4].isdigit()
    assert newsroom(["--store", str(store), "backups", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [b["kind"] for b in listed] == ["daily", "backup"]
    assert all(b["size"] == os.path.getsize(b["path"]) for b in listed)


def test_no_backups_says_where_it_looked(store, capsys):
    assert newsroom(["--store", str(store), "backups"]) == 0
    assert f"no backups of {store} in {store.parent}" in capsys.readouterr().out


def test_restore_backup_keeps_the_current_store_aside(store, capsys):
    made = backup.make_backup(store)
    room = Newsroom.open(store)
    room.create_article("Written after", "Still here, aside.")
    room.close()
    assert newsroom(["--store", str(store), "restore-backup", made.path.name]) == 0
    out = capsys.readouterr().out
    assert _headlines(store) == ["Kept in the backup"]
    kept = [b for b in backup.list_backups(store) if b.kind == "replaced"]
    assert len(kept) == 1 and f"kept as {kept[0].path}" in out
    assert _headlines(kept[0].path) == ["Kept in the backup", "Written after"]


def test_a_damaged_store_is_restored_from_its_backup(store, capsys):
    made = backup.make_backup(store)
    with store.open("r+b") as handle:
        handle.seek(4096)
        handle.write(os.urandom(4096))
    assert newsroom(["--store", str(store), "restore-backup", str(made.path)]) == 0
    assert integrity.integrity_check(store).ok
    assert _headlines(store) == ["Kept in the backup"]


def test_restore_of_a_missing_backup_changes_nothing(store, capsys):
    assert newsroom(["--store", str(store), "restore-backup", "nope.db"]) == 2
    assert "newsroom backups" in capsys.readouterr().err
    assert _headlines(store) == ["Kept in the backup"]


def test_restore_waits_for_another_programs_lock_and_says_so_at_once(store, capsys, monkeypatch):
    monkeypatch.setattr(integrity, "LOCK_WAIT_SECONDS", 1.0)
    made = backup.make_backup(store)
    script = textwrap.dedent(
        f"""
        import sqlite3, time
        db = sqlite3.connect({str(store)!r}, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE users SET name = name")
        print("locked", flush=True)
        time.sleep(30)
        """
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        assert newsroom(["--store", str(store), "restore-backup", str(made.path)]) == 2
        elapsed = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert f"waiting for {store} (locked by another program)" in err
    assert "still after 1 s" in err
    assert elapsed < 3
    assert not [b for b in backup.list_backups(store) if b.kind == "replaced"]


def test_a_postgres_store_is_backed_up_with_pg_dump(request, tmp_path, capsys, monkeypatch):
    if backup.pg_dump_available() is None:
        pytest.skip("pg_dump is not on PATH")
    url = request.getfixturevalue("postgres_url")
    monkeypatch.setenv("NEWSROOM_BACKUPS", str(tmp_path / "dumps"))
    Newsroom.open(url).close()
    assert newsroom(["--store", url, "backup"]) == 0
    assert "pg_dump" in capsys.readouterr().out
    dumps = list((tmp_path / "dumps").glob("*.pgdump"))
    assert len(dumps) == 1 and dumps[0].read_bytes()[:5] == b"PGDMP"
    assert newsroom(["--store", url, "backups"]) == 0
    assert str(dumps[0]) in capsys.readouterr().out
    assert newsroom(["--store", url, "restore-backup", str(dumps[0])]) == 2
    assert "pg_restore" in capsys.readouterr().err


def test_a_writing_verb_waits_for_a_locked_store_briefly_and_says_so(store, capsys, monkeypatch):
    monkeypatch.setattr(integrity, "LOCK_WAIT_SECONDS", 1.0)
    script = textwrap.dedent(
        f"""
        import sqlite3, time
        db = sqlite3.connect({str(store)!r}, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE users SET name = name")
        print("locked", flush=True)
        time.sleep(30)
        """
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(NewsroomError, match="locked by another program"):
            cli_backup.wait_if_locked(str(store))
    finally:
        holder.kill()
        holder.wait()
    assert "(locked by another program)" in capsys.readouterr().err
    cli_backup.wait_if_locked(str(store))  # free again: no wait, nothing said
    cli_backup.wait_if_locked("postgresql://nobody@localhost/none")
    assert capsys.readouterr().err == ""
