"""The `newsroom` command end to end, in process: output, JSON shape, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from editor.cli import main

WIRE = (
    Path(__file__).resolve().parents[1]
    / "editor"
    / "resources"
    / "samples"
    / "wire-putin-kim-limousine.txt"
)
HEADLINE = "Putin takes Kim Jong Un in a limousine, and later gives him a car"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSROOM_STORE", raising=False)
    path = str(tmp_path / "cli.db")
    assert main(["--store", path, "init", "--admin", "Ada"]) == 0  # the store's first admin
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_list_show_export(store, capsys, tmp_path):
    code, out, _ = run(capsys, "--store", store, "import", str(WIRE))
    assert code == 0 and HEADLINE in out

    code, out, _ = run(capsys, "--store", store, "list", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["headline"] for r in rows] == [HEADLINE]
    assert set(rows[0]) == {
        "id", "headline", "slug", "status", "section", "byline", "word_count", "updated_at",
        "deleted",
    }  # fmt: skip
    assert rows[0]["deleted"] is False
    assert rows[0]["status"] == "draft"

    code, out, _ = run(capsys, "show", rows[0]["slug"], "--json", "--store", store)
    article = json.loads(out)
    assert article["story_date"] == "2024-07-17"
    assert article["body"].startswith("A video clip")
    assert HEADLINE not in article["body"]
    assert [e["action"] for e in article["events"]] == ["create"]

    code, out, _ = run(capsys, "--store", store, "show", rows[0]["id"][:8])
    assert code == 0 and out.startswith(HEADLINE)

    out_dir = tmp_path / "site"
    code, out, _ = run(capsys, "--store", store, "export", "--all", "--out", str(out_dir))
    assert code == 0
    assert re.search(r"\b0 article(s|\(s\))? in the site", out) and "not approved (draft)" in out
    code, out, _ = run(
        capsys, "--store", store, "export", rows[0]["slug"], "--preview", "--out", str(out_dir)
    )
    assert code == 0
    page = (out_dir / f"{rows[0]['slug']}.html").read_text(encoding="utf-8")
    assert "<h1" in page and "Putin takes Kim Jong Un" in page and "noindex" in page


def test_search_and_status_filters(store, capsys):
    run(capsys, "--store", store, "import", str(WIRE))
    assert json.loads(run(capsys, "--store", store, "list", "--search", "aurus", "--json")[1])
    assert json.loads(run(capsys, "--store", store, "list", "--search", "zebra", "--json")[1]) == []
    code, out, _ = run(capsys, "--store", store, "list", "--status", "published", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_bad_input_gives_one_line_and_exit_2(store, capsys, tmp_path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    empty = tmp_path / "empty.md"
    empty.write_text("")
    code, out, err = run(capsys, "--store", store, "import", str(binary), str(empty), str(WIRE))
    assert code == 2
    assert err.splitlines() == [
        "newsroom: photo.txt is not a text file (it looks like binary data); "
        "import plain text, Markdown, HTML or Word (.docx).",
        "newsroom: empty.md is empty.",
    ]
    assert HEADLINE in out  # the good file of the batch is still imported

    not_a_store = tmp_path / "notes.db"
    not_a_store.write_text("hello")
    code, _, err = run(capsys, "--store", str(not_a_store), "list")
    assert code == 2 and len(err.splitlines()) == 1 and "not a Newsroom store" in err
    assert not_a_store.read_text() == "hello"

    code, _, err = run(capsys, "--store", store, "show", "no-such-story")
    assert (code, err) == (2, "newsroom: No article with id or slug 'no-such-story'.\n")

    code, _, err = run(capsys, "--store", store, "--as", "Nobody", "list")
    assert code == 2 and "No user named 'Nobody'" in err


def test_users_delete_and_restore(store, capsys):
    run(capsys, "--store", store, "import", str(WIRE))
    code, out, _ = run(capsys, "--store", store, "user", "add", "Edna", "--role", "editor")
    assert code == 0
    users = json.loads(run(capsys, "--store", store, "--as", "Edna", "user", "list", "--json")[1])
    assert {u["role"] for u in users} == {"admin", "editor"}
    slug = json.loads(run(capsys, "--store", store, "--as", "Edna", "list", "--json")[1])[0]["slug"]
    code, out, _ = run(capsys, "--store", store, "--as", "Edna", "delete", slug)
    assert code == 0 and "newsroom restore" in out
    article_id = out.split("newsroom restore ")[1].strip()
    assert json.loads(run(capsys, "--store", store, "--as", "Edna", "list", "--json")[1]) == []
    run(capsys, "--store", store, "--as", "Edna", "restore", article_id)
    assert len(json.loads(run(capsys, "--store", store, "--as", "Edna", "list", "--json")[1])) == 1


def test_installed_command_runs_as_a_process(store):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "editor", "--store", store, "import", str(WIRE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert HEADLINE in result.stdout


def test_without_a_display_the_window_says_so_instead_of_crashing(store, capsys, monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    code, _, err = run(capsys, "--store", store)
    assert code == 2
    assert err.startswith("newsroom: no display to open the window on")


def test_an_import_that_wants_a_look_warns_and_exits_3(store, capsys, tmp_path):
    page = tmp_path / "gallery.html"
    page.write_text(
        "<html><head><meta property='og:title' content='Gallery: the quay at dawn'></head>"
        "<body><div class='gallery'><img src='a.jpg'><p>Share this article</p></div></body></html>",
        encoding="utf-8",
    )
    story = tmp_path / "story.md"
    story.write_text("# Quay to close\n\nThe harbour board voted on Tuesday.\n", encoding="utf-8")
    code, out, err = run(capsys, "--store", store, "--as", "Ada", "import", str(page), str(story))
    assert code == 3
    assert out.count("imported ") == 2  # both are in the store
    assert err.startswith("newsroom: warning: ") and "gallery.html" in err
    assert err.count("\n") == 1
    code, _out, _err = run(capsys, "--store", store, "--as", "Ada", "import", str(WIRE))
    assert code == 0


def test_sync_send_and_a_package_given_to_import(store, capsys, tmp_path):
    laptop = str(tmp_path / "laptop.db")
    assert main(["--store", laptop, "init", "--admin", "Ada"]) == 0
    capsys.readouterr()
    code, out, _err = run(capsys, "--store", laptop, "--as", "Ada", "import", str(WIRE))
    assert code == 0
    article_id = out.split()[1]

    code, out, err = run(capsys, "--store", laptop, "sync", "--with", store)
    assert code == 0, err
    assert re.match(r"Synced \d\d:\d\d, 1 article up, 0 down", out)
    code, out, _err = run(capsys, "--store", store, "list")
    assert HEADLINE in out

    package = tmp_path / "story.nrpkg"
    code, out, err = run(capsys, "--store", store, "send", article_id, "--to", str(package))
    assert code == 0 and package.is_file(), err
    other = str(tmp_path / "other.db")
    assert main(["--store", other, "init", "--admin", "Ada"]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "--store", other, "--as", "Ada", "import", str(package))
    assert code == 0, err
    assert "story.nrpkg: 1 article received" in out
    code, out, _err = run(capsys, "--store", other, "--as", "Ada", "import", str(package))
    assert code == 0 and "story.nrpkg: nothing new" in out
