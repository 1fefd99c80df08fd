"""Bootstrapping a store from the command line: `newsroom init --admin NAME`, and who acts.

A new store has no users: writing commands say to run `newsroom init` instead of making
an admin behind the person's back; reading commands (list, show, check, export, user
list) need no `--as`. The window's first start keeps making the first admin itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from editor.cli import main
from editor.core.errors import AlreadyInitialisedError, NoUsersError
from editor.core.model import Role
from editor.services.newsroom import Newsroom

WIRE = Path(__file__).resolve().parents[1] / "editor/resources/samples/wire-putin-kim-limousine.txt"
NO_USERS = "newsroom: This store has no users yet: run `newsroom init --admin NAME`.\n"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSROOM_STORE", raising=False)
    monkeypatch.delenv("NEWSROOM_STYLE", raising=False)
    return str(tmp_path / "new.db")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _users(store: str) -> list[dict]:
    room = Newsroom.open(store, bootstrap=False, reader=True)
    try:
        return [{"name": u.name, "role": u.role.value} for u in room.users()]
    finally:
        room.close()


@pytest.mark.parametrize(
    "argv",
    [
        ["user", "add", "alice", "--role", "reporter"],
        ["user", "add", "alice", "--role", "admin"],
        ["import", str(WIRE)],
        ["--as", "root", "list"],
        ["--as", "root", "user", "list"],
        ["status", "x", "--to", "submitted"],
        ["delete", "x"],
        ["restore", "x"],
    ],
    ids=lambda argv: " ".join(a for a in argv if not a.startswith("/")),
)
def test_a_store_with_no_users_says_to_run_init(store, capsys, argv):
    code, out, err = run(capsys, "--store", store, *argv)
    assert (code, out, err) == (2, "", NO_USERS)
    assert _users(store) == []  # nobody was made behind the person's back


def test_reading_a_new_store_needs_nobody(store, capsys, tmp_path):
    assert run(capsys, "--store", store, "list", "--json") == (0, "[]\n", "")
    assert run(capsys, "--store", store, "user", "list", "--json") == (0, "[]\n", "")
    assert run(capsys, "--store", store, "user", "list") == (
        0, "", "newsroom: no users yet: run `newsroom init --admin NAME`.\n"
    )  # fmt: skip
    code, out, err = run(capsys, "--store", store, "check", str(WIRE))
    assert code in (0, 1) and err == "" and out
    code, out, err = run(capsys, "--store", store, "export", "--all", "--out", str(tmp_path / "s"))
    assert (code, err) == (0, "") and re.search(r"\b0 article(s|\(s\))? in the site", out)
    assert _users(store) == []


def test_init_makes_the_first_admin_once(store, capsys, tmp_path):
    code, out, err = run(capsys, "--store", store, "init", "--admin", "Ada Admin")
    assert (code, err) == (0, "")
    assert (
        out.splitlines()[0] == f"initialised {Path(store).resolve()}: Ada Admin is its first admin"
    )
    assert _users(store) == [{"name": "Ada Admin", "role": "admin"}]

    code, out, err = run(capsys, "--store", store, "init", "--admin", "Bob")
    assert (code, out) == (2, "")
    assert err == (
        "newsroom: This store already has users (Ada Admin): nothing to initialise. An admin "
        "adds people with `newsroom --as ADMIN user add NAME --role reporter|editor|admin`.\n"
    )
    assert _users(store) == [{"name": "Ada Admin", "role": "admin"}]

    # The only user acts without --as; she adds the others.
    assert run(capsys, "--store", store, "user", "add", "Rita", "--role", "reporter")[0] == 0
    assert run(capsys, "--store", store, "--as", "Ada Admin", "user", "add", "Ed", "--role",
               "editor")[0] == 0  # fmt: skip
    assert {u["name"] for u in _users(store)} == {"Ada Admin", "Rita", "Ed"}


def test_init_creates_the_store_and_its_folder(tmp_path, capsys):
    store = tmp_path / "a" / "b" / "newsroom.db"
    assert run(capsys, "--store", str(store), "init", "--admin", "Ada")[0] == 0
    assert store.is_file()


def test_init_needs_a_name(store, capsys):
    code, out, err = run(capsys, "--store", store, "init", "--admin", "  ")
    assert (code, out) == (2, "")
    assert err == "newsroom: The first admin needs a name: newsroom init --admin NAME.\n"


def test_reading_a_store_of_several_users_needs_no_as(store, capsys, tmp_path):
    run(capsys, "--store", store, "init", "--admin", "Ada")
    run(capsys, "--store", store, "user", "add", "Rita", "--role", "reporter")
    run(capsys, "--store", store, "--as", "Rita", "import", str(WIRE))
    capsys.readouterr()
    code, out, err = run(capsys, "--store", store, "list", "--json")
    assert (code, err) == (0, "")
    slug = json.loads(out)[0]["slug"]
    code, out, err = run(capsys, "--store", store, "show", slug)
    assert (code, err) == (0, "") and out.startswith("Putin takes Kim")
    code, out, err = run(capsys, "--store", store, "user", "list")
    assert (code, err) == (0, "") and "Rita" in out and "Ada" in out
    code, out, err = run(capsys, "--store", store, "check", slug, "--json")
    assert code in (0, 1) and err == "" and json.loads(out)
    code, out, err = run(capsys, "--store", store, "export", "--all", "--out", str(tmp_path / "s"))
    assert (code, err) == (0, "")
    code, out, err = run(capsys, "--store", store, "list", "--desk", "waiting", "--json")
    assert (code, out, err) == (0, "[]\n", "")

    # Writing, and the desk views of one person, still say who to be.
    code, out, err = run(capsys, "--store", store, "delete", slug)
    assert (code, out) == (2, "")
    assert err == "newsroom: This store has several users: say who you are with --as NAME " \
        "(Ada, Rita).\n"  # fmt: skip
    code, out, err = run(capsys, "--store", store, "list", "--desk", "my_drafts")
    assert (code, out, err) == (2, "", "newsroom: Say who you are with --as NAME (Ada, Rita).\n")
    code, out, _ = run(capsys, "--store", store, "--as", "Rita", "list", "--desk", "my_drafts")
    assert code == 0 and "Putin" in out


def test_an_unknown_user_is_named_with_the_users_there_are(store, capsys):
    run(capsys, "--store", store, "init", "--admin", "Ada")
    capsys.readouterr()
    code, out, err = run(capsys, "--store", store, "--as", "root", "list")
    assert (code, out) == (2, "")
    assert err == (
        "newsroom: No user named 'root' in this store (it has: Ada); an admin adds one with "
        '`newsroom --as ADMIN user add "root" --role reporter`.\n'
    )


# -- the API under the command and the window -----------------------------------------------


def test_the_windows_first_start_still_makes_the_login_admin(store):
    room = Newsroom.open(store)  # what editor.ui.workflow.users_dialog.open_as_someone calls
    try:
        assert room.user.role is Role.ADMIN and room.user.name
        assert [u.name for u in room.users()] == [room.user.name]
    finally:
        room.close()
    again = Newsroom.open(store)  # the only user acts from then on
    try:
        assert again.user.name == room.user.name and len(again.users()) == 1
    finally:
        again.close()


def test_the_api_without_bootstrap_and_init(store):
    with pytest.raises(NoUsersError):
        Newsroom.open(store, bootstrap=False)
    reader = Newsroom.open(store, bootstrap=False, reader=True)
    try:
        assert not reader.has_user and reader.list_articles() == []
        with pytest.raises(NoUsersError):
            reader.create_article("Nobody's story")
    finally:
        reader.close()
    admin = Newsroom.init(store, "Ada")
    try:
        assert admin.has_user and admin.user.role is Role.ADMIN
    finally:
        admin.close()
    with pytest.raises(AlreadyInitialisedError) as again:
        Newsroom.init(store, "Bob")
    assert again.value.names == ["Ada"]
