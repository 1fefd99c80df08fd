"""`newsroom sync`, `send` and `receive` (the module `editor.cli.sync`, called directly)."""

from __future__ import annotations

import argparse
import re

import pytest

from editor.cli.sync import HANDLERS, add_parsers
from editor.services.newsroom import Newsroom
from editor.services.syncing import SyncError

BODY = "First paragraph.\n\nSecond paragraph."


def parse(*argv):
    common = argparse.ArgumentParser(add_help=False)
    parser = argparse.ArgumentParser(prog="newsroom")
    add_parsers(parser.add_subparsers(dest="command"), common)
    return parser.parse_args(argv)


def run(room, *argv):
    args = parse(*argv)
    return HANDLERS[args.command](room, args)


@pytest.fixture
def rooms(tmp_path):
    desk = Newsroom.init(tmp_path / "desk.db", "ada")
    desk.add_user("rita", "reporter")
    laptop = Newsroom.open(tmp_path / "laptop.db", bootstrap=False, reader=True)
    yield desk, laptop
    desk.close()
    laptop.close()


def test_sync_prints_one_line_with_the_counts_and_the_conflicts(rooms, tmp_path, capsys):
    desk, laptop = rooms
    desk_path = str(tmp_path / "desk.db")
    assert run(laptop, "sync", "--with", desk_path) == 0
    assert re.fullmatch(r"Synced \d\d:\d\d, 0 articles up, 0 down\n", capsys.readouterr().out)
    laptop.switch_user("rita")
    article = laptop.create_article("Fire", BODY, section="News")
    assert run(laptop, "sync", "--with", desk_path) == 0
    assert re.fullmatch(r"Synced \d\d:\d\d, 1 article up, 0 down\n", capsys.readouterr().out)
    for room, text in ((laptop, "Second, laptop."), (desk, "Second, desk.")):
        room.switch_user("rita")
        current = room.get_article(article.id)
        room.save_article(
            article.id,
            expected_version=current.version,
            body=current.body.replace("Second paragraph.", text),
        )
    assert run(laptop, "sync", "--with", desk_path) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"Synced \d\d:\d\d, 1 article up, 1 down", lines[0])
    assert lines[1] == f"  conflict: {article.id[:8]} “Fire”: 1 passage changed on both sides"


def test_sync_without_a_peer_says_how_to_name_one(rooms, monkeypatch):
    monkeypatch.delenv("NEWSROOM_DESK", raising=False)
    with pytest.raises(SyncError, match="--with URL"):
        run(rooms[1], "sync")


def test_sync_with_itself_is_refused(rooms, tmp_path):
    with pytest.raises(SyncError, match="That is this store"):
        run(rooms[1], "sync", "--with", str(tmp_path / "laptop.db"))


def test_send_and_receive_a_story_package(rooms, tmp_path, capsys):
    desk, laptop = rooms
    article = as_rita(desk).create_article("Fire", BODY, section="News")
    assert run(desk, "send", article.slug, "--to", str(tmp_path / "fire")) == 0
    assert capsys.readouterr().out == f"sent to {tmp_path / 'fire.nrpkg'}\n"
    assert run(laptop, "receive", str(tmp_path / "fire.nrpkg")) == 0
    assert capsys.readouterr().out == "fire.nrpkg: 1 article received\n"
    assert laptop.get_article(article.id).body == BODY
    assert run(laptop, "receive", str(tmp_path / "fire.nrpkg")) == 0
    assert capsys.readouterr().out == "fire.nrpkg: nothing new\n"


def as_rita(room):
    room.switch_user("rita")
    return room
