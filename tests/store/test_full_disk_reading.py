"""Reading a store on a full disk: it opens for reading only, says so, writes nothing.

The disk is a real one: an 8 MB tmpfs mounted for the test (root only, else skipped)
and filled to the last byte, so SQLite cannot make the store's `-shm` file, exactly as
on a full laptop disk. Every test checks that the files beside the store are byte for
byte as they were.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.cli import main
from editor.core.errors import StoreFullError
from editor.services.newsroom import Newsroom
from editor.store import integrity
from editor.store.integrity import DiskFullError
from editor.store.store import Store
from tests.store.test_damaged_store import _fill_disk, _folder, small_disk  # noqa: F401

ARTICLES = 12


@pytest.fixture
def full_store(small_disk, monkeypatch):  # noqa: F811 - the fixture imported above
    """A sound store of ARTICLES articles (one user, Ann) on a disk filled up after."""
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    path = small_disk / "newsroom.db"
    room = Newsroom.init(path, "Ann")
    for n in range(ARTICLES):
        room.create_article(f"Flood story {n}" if n % 2 else f"Budget story {n}", "River " * 50)
    room.close()
    _fill_disk(small_disk)
    assert integrity.disk_is_full(path)
    return path


def test_the_store_opens_for_reading_and_refuses_writes(full_store):
    before = _folder(full_store)
    store = Store.open(full_store)
    try:
        assert store.read_only_reason is not None
        assert "full" in store.read_only_reason and "reading only" in store.read_only_reason
        assert store.count_articles() == ARTICLES
        first = store.list_articles(limit=1)[0]
        assert store.get_article(first.id).body.startswith("River")
        user = store.list_users()[0]
        with pytest.raises(StoreFullError, match="open for reading only: nothing was saved"):
            store.add_user("Bob", user.role)
        with pytest.raises(StoreFullError):
            store.set_deleted(first.id, deleted=True, actor=user)
        assert store.count_articles() == ARTICLES
    finally:
        store.close()
    assert _folder(full_store) == before


def test_a_stale_shm_stub_does_not_stop_reading(full_store):
    """A `-shm` under 32 KiB (left by a process that died on the full disk) belongs to no
    open connection: the store still opens for reading, and the stub stays as it was."""
    Path(f"{full_store}-shm").write_bytes(b"")  # an inode, no block: fits on a full disk
    before = _folder(full_store)
    assert integrity.full_disk_reader_url(full_store) is not None
    store = Store.open(full_store)
    try:
        assert store.read_only_reason is not None and "full" in store.read_only_reason
        assert store.count_articles() == ARTICLES
    finally:
        store.close()
    assert _folder(full_store) == before


def test_refusing_stays_possible(full_store):
    with pytest.raises(DiskFullError, match="is full"):
        Store.open(full_store, read_only_on_full_disk=False)


def test_newsroom_reading_works_and_writing_says_the_disk_is_full(full_store):
    before = _folder(full_store)
    room = Newsroom.open(full_store, "Ann")
    try:
        assert room.count_articles() == ARTICLES
        article = room.get_article(room.list_articles()[0].id)
        with pytest.raises(StoreFullError, match="is full"):
            room.save_article(article.id, expected_version=article.version, body="Lost?")
        assert room.get_article(article.id).body.startswith("River")
    finally:
        room.close()
    assert _folder(full_store) == before


def test_reading_commands_work_with_one_warning_line(full_store, tmp_path, capsys):
    before = _folder(full_store)
    store = str(full_store)
    assert main(["--store", store, "list"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == ARTICLES
    warnings = err.splitlines()
    assert len(warnings) == 1
    assert warnings[0].startswith("newsroom: warning: The disk holding")
    assert "writes are refused until space is freed" in warnings[0]
    assert "damaged" not in err

    assert main(["--store", store, "list", "--search", "flood", "--json"]) == 0
    out, err = capsys.readouterr()
    found = json.loads(out)
    assert len(found) == ARTICLES // 2 and all("Flood" in a["headline"] for a in found)
    assert err.count("\n") == 1

    assert main(["--store", store, "show", found[0]["id"], "--json"]) == 0
    out, _err = capsys.readouterr()
    assert json.loads(out)["body"].startswith("River")

    assert main(["--store", store, "user", "list"]) == 0
    assert "Ann" in capsys.readouterr().out

    site = tmp_path / "site"  # on another disk: only the store's disk is full
    assert main(["--store", store, "export", "--all", "--out", str(site)]) == 0
    capsys.readouterr()
    assert site.is_dir()
    assert _folder(full_store) == before


@pytest.mark.parametrize(
    "command",
    [
        ["status", "{id}", "--to", "submitted"],
        ["delete", "{id}"],
        ["user", "add", "Bob", "--role", "reporter"],
        ["import", "{story}"],
    ],
    ids=["status", "delete", "user-add", "import"],
)
def test_writing_commands_refuse_and_change_nothing(full_store, tmp_path, capsys, command):
    story = tmp_path / "story.md"
    story.write_text("A headline\n\nA body.\n")
    room = Newsroom.open(full_store, "Ann")
    first = room.list_articles()[0]
    room.close()
    before = _folder(full_store)
    argv = [a.format(id=first.id, story=story) for a in command]
    assert main(["--store", str(full_store), "--as", "Ann", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("newsroom: The disk holding")
    assert "nothing was changed" in err and "damaged" not in err
    assert len(err.splitlines()) == 1
    assert _folder(full_store) == before


def test_init_on_a_full_disk_says_so(full_store, capsys):
    before = _folder(full_store)
    assert main(["--store", str(full_store), "init", "--admin", "Zed"]) == 2
    err = capsys.readouterr().err
    assert "is full" in err and "damaged" not in err
    assert _folder(full_store) == before


def test_writing_works_again_once_space_is_freed(full_store):
    room = Newsroom.open(full_store, "Ann")
    try:
        assert room.store.read_only_reason is not None
        with pytest.raises(StoreFullError):
            room.create_article("Not yet", "No room.")
        (full_store.parent / "filler").unlink()
        made = room.create_article("Room again", "Saved once there was room.")
        assert room.store.read_only_reason is None
        assert room.get_article(made.id).headline == "Room again"
        assert room.count_articles() == ARTICLES + 1
    finally:
        room.close()
    assert integrity.quick_check(full_store).ok
