"""The workflow through the `newsroom` command: the same rules, exit codes and messages.

Each case puts one article by the reporter Rita in a status (through `Newsroom`, quickly),
then runs `newsroom --as USER status ID --to STATUS [--note ...]` and checks the exit
code and the one line it prints. Every action has at least one allowed and one refused
cell; editing is not a command (the refusals of saving are tested in tests/store).
"""

from __future__ import annotations

import json
import re

import pytest

from editor.cli import main
from editor.services.newsroom import Newsroom


@pytest.fixture(autouse=True)
def no_copy_desk_errors(monkeypatch):
    """The workflow, not the house style rules (tested apart), decides here."""
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [])


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSROOM_STORE", raising=False)
    path = str(tmp_path / "workflow.db")
    # The first use of a store makes the login account its admin, who adds the others.
    admin = Newsroom.open(path)
    admin.close()
    for name, role in (("Rita", "reporter"), ("Ed", "editor"), ("Eve", "editor")):
        assert (
            main(["--store", path, "--as", admin.user.name, "user", "add", name, "--role", role])
            == 0
        )
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# How to bring an article to a status: (acting user, action, note) steps.
PATHS = {
    "draft": [],
    "submitted": [("author", "submit", "")],
    "changes_requested": [("author", "submit", ""), ("Ed", "return", "Shorter")],
    "approved": [("author", "submit", ""), ("Ed", "approve", "")],
    "published": [("author", "submit", ""), ("Ed", "approve", ""), ("Ed", "publish", "")],
    "spiked": [("Ed", "spike", "")],
}


def _article_at(store: str, status: str, author: str = "Rita") -> str:
    rooms = {name: Newsroom.open(store, name) for name in ("Rita", "Ed", "Eve")}
    try:
        article = rooms[author].create_article(f"A story that is {status}", "Some words.")
        for user, action, note in PATHS[status]:
            rooms[author if user == "author" else user].transition(article.id, action, note)
        return article.id
    finally:
        for room in rooms.values():
            room.close()


CASES = [
    # (start, user, --to, note, exit code, expected line: stdout when 0, stderr when 2)
    ("draft", "Rita", "submitted", "", 0, "submit: “A story that is draft” draft -> submitted"),
    ("draft", "Ed", "submitted", "", 2, "Submitting someone else's article needs a note"),
    ("draft", "Ed", "submitted", "Rita is on a plane", 0, "draft -> submitted"),
    ("draft", "Eve", "submitted", "", 2, "it is logged as an override."),
    ("changes_requested", "Rita", "submitted", "Fixed", 0, "changes_requested -> submitted"),
    ("submitted", "Ed", "changes_requested", "Cut 100 words", 0, "submitted -> changes_requested"),
    ("submitted", "Rita", "changes_requested", "x", 2, "Only an editor can return an article."),
    ("submitted", "Ed", "changes_requested", "", 2, "A return needs a note saying what to change."),
    ("submitted", "Eve", "approved", "Clean copy", 0, "approve: “A story that is submitted” "),
    ("submitted", "Rita", "approved", "", 2, "Only an editor can approve."),
    (
        "changes_requested",
        "Ed",
        "approved",
        "",
        2,
        "Only a submitted article can be approved (this one is returned).",
    ),
    ("approved", "Eve", "published", "", 0, "approved -> published"),
    ("approved", "Rita", "published", "", 2, "Only an editor can publish."),
    ("submitted", "Ed", "spiked", "Legal says no", 0, "submitted -> spiked"),
    ("draft", "Rita", "spiked", "", 2, "Only an editor can spike an article."),
    ("published", "Ed", "spiked", "", 2, "Only an article not yet published can be spiked"),
    ("spiked", "Eve", "draft", "", 0, "reopen: “A story that is spiked” spiked -> draft"),
    ("approved", "Ed", "submitted", "One more look", 0, "reopen: “A story that is approved”"),
    ("spiked", "Rita", "draft", "", 2, "Only an editor can reopen an article."),
    ("published", "Eve", "corrected", "The mayor is Jo Bloggs", 0, "published -> corrected"),
    ("published", "Rita", "corrected", "x", 2, "Only an editor can publish a correction."),
    ("published", "Ed", "corrected", "", 2, "A correction needs a note"),
    ("draft", "Ed", "published", "", 2, "published (this one is a draft)."),
    (
        "published",
        "Ed",
        "submitted",
        "",
        2,
        "reopened (this one is published): publish a correction",
    ),
    ("approved", "Ed", "approved", "", 2, "is already approved."),
]


@pytest.mark.parametrize(
    ("start", "user", "target", "note", "code", "line"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-to-{c[2]}-{c[4]}" for c in CASES],
)
def test_status_command(store, capsys, start, user, target, note, code, line):
    article_id = _article_at(store, start)
    argv = ["--store", store, "--as", user, "status", article_id[:8], "--to", target]
    if note:
        argv += ["--note", note]
    got, out, err = run(capsys, *argv)
    assert got == code, err
    if code == 0:
        assert line in out and err == ""
        events = json.loads(
            run(capsys, "--store", store, "--as", "Ed", "show", article_id, "--json")[1]
        )
        last = events["events"][-1]
        assert (last["actor"], last["to"], last["note"]) == (user, target, note)
    else:
        assert out == "" and len(err.splitlines()) == 1
        assert err.startswith("newsroom: ") and line in err


def test_self_approval_is_refused_through_the_cli(store, capsys):
    article_id = _article_at(store, "submitted", author="Ed")
    code, _, err = run(
        capsys, "--store", store, "--as", "Ed", "status", article_id, "--to", "submitted"
    )
    assert code == 2 and "already submitted" in err
    code, _, err = run(
        capsys, "--store", store, "--as", "Ed", "status", article_id, "--to", "approved"
    )
    assert (code, err) == (
        2,
        "newsroom: You wrote the last revision: another editor must approve.\n",
    )
    code, _, _ = run(
        capsys, "--store", store, "--as", "Eve", "status", article_id, "--to", "approved"
    )
    assert code == 0


def test_a_whole_walk_and_show_json_events(store, capsys):
    article_id = _article_at(store, "draft")

    def status(user: str, to: str, note: str = "") -> int:
        argv = ["--store", store, "--as", user, "status", article_id, "--to", to, "--note", note]
        return run(capsys, *argv)[0]

    assert status("Rita", "submitted", "Filed") == 0
    assert status("Ed", "changes_requested", "Add a quote") == 0
    assert status("Rita", "submitted") == 0
    assert status("Eve", "approved", "Fine") == 0
    assert status("Eve", "published") == 0
    assert status("Ed", "corrected", "Corrected the spelling of Okafor") == 0

    code, out, _ = run(capsys, "--store", store, "--as", "Ed", "show", article_id, "--json")
    shown = json.loads(out)
    assert code == 0 and shown["status"] == "corrected"
    assert [(e["actor"], e["action"], e["from"], e["to"], e["note"]) for e in shown["events"]] == [
        ("Rita", "create", None, "draft", ""),
        ("Rita", "submit", "draft", "submitted", "Filed"),
        ("Ed", "return", "submitted", "changes_requested", "Add a quote"),
        ("Rita", "submit", "changes_requested", "submitted", ""),
        ("Eve", "approve", "submitted", "approved", "Fine"),
        ("Eve", "publish", "approved", "published", ""),
        ("Ed", "correct", "published", "corrected", "Corrected the spelling of Okafor"),
    ]
    assert all(e["at"] for e in shown["events"])


def test_desk_views_and_user_management(store, capsys):
    _article_at(store, "draft")
    _article_at(store, "submitted")
    _article_at(store, "changes_requested")

    def desk(user: str, name: str) -> list[str]:
        argv = ["--store", store, "--as", user, "list", "--desk", name, "--json"]
        return [row["headline"] for row in json.loads(run(capsys, *argv)[1])]

    assert desk("Rita", "my_drafts") == ["A story that is draft"]
    assert desk("Ed", "my_drafts") == []
    assert desk("Ed", "waiting") == ["A story that is submitted"]
    assert desk("Rita", "returned_to_me") == ["A story that is changes_requested"]

    code, _, err = run(
        capsys, "--store", store, "--as", "Ed", "user", "add", "Zed", "--role", "admin"
    )
    assert (code, err) == (2, "newsroom: Only an admin can add users.\n")
    users = json.loads(run(capsys, "--store", store, "--as", "Ed", "user", "list", "--json")[1])
    assert {u["name"]: u["role"] for u in users} == {
        **{u["name"]: "admin" for u in users if u["role"] == "admin"},
        "Rita": "reporter",
        "Ed": "editor",
        "Eve": "editor",
    }
    code, _, err = run(capsys, "--store", store, "--as", "Nobody", "status", "x", "--to", "draft")
    assert code == 2 and "No user named 'Nobody'" in err


def test_an_editor_overrides_copy_desk_errors_with_a_note(store, capsys, monkeypatch):
    class Finding:
        message = "The story has no section."

    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [Finding()])
    rita_story = _article_at(store, "draft")
    code, _, err = run(
        capsys, "--store", store, "--as", "Rita", "status", rita_story, "--to", "submitted"
    )
    assert code == 2
    assert err == (
        "newsroom: 1 copy-desk error blocks submitting: The story has no section. "
        "Fix it, or ask an editor to submit it with a note.\n"
    )
    ed_story = _article_at(store, "draft", author="Ed")
    argv = ["--store", store, "--as", "Ed", "status", ed_story, "--to", "submitted"]
    assert run(capsys, *argv)[0] == 2
    assert run(capsys, *argv, "--note", "Section comes with the page plan")[0] == 0
    shown = json.loads(run(capsys, "--store", store, "--as", "Ed", "show", ed_story, "--json")[1])
    assert [e["action"] for e in shown["events"]] == ["create", "override", "submit"]
    assert shown["events"][1]["note"] == (
        "Section comes with the page plan\nOverrode: The story has no section"
    )


DELETE_CASES = [
    # (start, user, exit code, expected line: stdout when 0, stderr when 2)
    ("draft", "Rita", 0, "deleted “A story that is draft”"),
    ("draft", "Ed", 0, "deleted “A story that is draft”"),
    ("submitted", "Rita", 2, "Only an editor can delete a submitted article."),
    ("submitted", "Ed", 0, "deleted “A story that is submitted”"),
    ("changes_requested", "Rita", 2, "Only an editor can delete a returned article."),
    ("approved", "Rita", 2, "Only an editor can delete an approved article."),
    ("approved", "Eve", 0, "deleted “A story that is approved”"),
    ("spiked", "Ed", 0, "deleted “A story that is spiked”"),
    (
        "published",
        "Ed",
        2,
        "A published article cannot be deleted: publish a correction instead.",
    ),
    (
        "published",
        "Rita",
        2,
        "A published article cannot be deleted: publish a correction instead.",
    ),
]


@pytest.mark.parametrize(
    ("start", "user", "code", "line"),
    DELETE_CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in DELETE_CASES],
)
def test_delete_command(store, capsys, start, user, code, line):
    article_id = _article_at(store, start)
    got, out, err = run(capsys, "--store", store, "--as", user, "delete", article_id[:8])
    assert got == code, err
    listed = run(capsys, "--store", store, "--as", "Ed", "list", "--json")[1]
    ids = [row["id"] for row in json.loads(listed)]
    if code == 0:
        assert line in out and err == "" and article_id not in ids
        got, out, err = run(capsys, "--store", store, "--as", user, "restore", article_id)
        assert (got, err) == (0, "") and f"restored {article_id}" in out
    else:
        assert out == "" and err == f"newsroom: {line}\n"
        assert article_id in ids  # nothing deleted


def test_a_reporter_deletes_only_their_own_drafts_and_restores_them(store, capsys):
    mine = _article_at(store, "draft")
    eds = _article_at(store, "draft", author="Ed")
    code, _, err = run(capsys, "--store", store, "--as", "Rita", "delete", eds)
    assert (code, err) == (2, "newsroom: A reporter can delete only their own drafts.\n")
    assert run(capsys, "--store", store, "--as", "Rita", "delete", mine)[0] == 0
    # Ed deletes his own draft; Rita may not bring it back either.
    assert run(capsys, "--store", store, "--as", "Ed", "delete", eds)[0] == 0
    code, _, err = run(capsys, "--store", store, "--as", "Rita", "restore", eds)
    assert (code, err) == (2, "newsroom: A reporter can restore only their own drafts.\n")
    assert run(capsys, "--store", store, "--as", "Rita", "restore", mine)[0] == 0
    shown = json.loads(run(capsys, "--store", store, "--as", "Ed", "show", mine, "--json")[1])
    assert [(e["actor"], e["action"]) for e in shown["events"]][-2:] == [
        ("Rita", "delete"),
        ("Rita", "restore"),
    ]


def test_an_editor_may_not_approve_his_story_after_another_edits_one_word(store, capsys, tmp_path):
    """Ed writes and submits; Eve changes one word; Ed's approval is refused, so no export."""
    ed = Newsroom.open(store, "Ed")
    eve = Newsroom.open(store, "Eve")
    try:
        story = ed.create_article("Ferry strike ends", "The ferry strike ended on Monday.")
        story = ed.transition(story.id, "submit")
        eve.save_article(
            story.id, expected_version=story.version, body="The ferry strike ended on Tuesday."
        )
    finally:
        ed.close()
        eve.close()
    code, out, err = run(
        capsys, "--store", store, "--as", "Ed", "status", story.slug, "--to", "approved"
    )
    assert (code, out) == (2, "")
    assert err == (
        "newsroom: You wrote some of this text since it was last approved: "
        "another editor must approve.\n"
    )
    site = tmp_path / "site"
    code, out, _ = run(capsys, "--store", store, "export", "--all", "--out", str(site))
    assert code == 0 and re.search(r"\b0 article(s|\(s\))? in the site", out)
    # Rita (reporter) may not approve anything; an editor who wrote none of it may.
    assert (
        run(capsys, "--store", store, "--as", "Rita", "status", story.slug, "--to", "approved")[0]
        == 2
    )
    run(capsys, "--store", store, "user", "add", "Dee", "--role", "editor", "--as", _admin(store))
    code, out, _ = run(
        capsys, "--store", store, "--as", "Dee", "status", story.slug, "--to", "approved"
    )
    assert code == 0 and "submitted -> approved" in out


def _admin(store: str) -> str:
    room = Newsroom.open(store, "Ed")
    try:
        return next(u.name for u in room.users() if u.role.value == "admin")
    finally:
        room.close()


def test_an_editor_submits_a_reporters_blocked_story_with_a_note(store, capsys, monkeypatch):
    class Finding:
        message = "The story has no section."

    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [Finding()])
    story = _article_at(store, "draft")
    code, _, err = run(
        capsys, "--store", store, "--as", "Rita", "status", story, "--to", "submitted"
    )
    assert code == 2 and err.endswith("Fix it, or ask an editor to submit it with a note.\n")
    argv = ["--store", store, "--as", "Ed", "status", story, "--to", "submitted"]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err == (
        "newsroom: Submitting someone else's article needs a note saying why; "
        "it is logged as an override.\n"
    )
    code, out, err = run(capsys, *argv, "--note", "Section comes with the page plan")
    assert (code, err) == (0, "") and "draft -> submitted" in out
    shown = json.loads(run(capsys, "--store", store, "show", story, "--json")[1])
    assert [(e["actor"], e["action"]) for e in shown["events"]] == [
        ("Rita", "create"),
        ("Ed", "override"),
        ("Ed", "submit"),
    ]
    assert shown["events"][1]["note"] == (
        "Section comes with the page plan\nSubmitted for its author, Rita\n"
        "Overrode: The story has no section"
    )
