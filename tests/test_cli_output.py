"""What the command prints: a reader that stops early (`| head`), deleted rows, short ids."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest

from editor.cli import EXIT_PIPE, main
from editor.core.model import Article
from editor.services.newsroom import Newsroom


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSROOM_STORE", raising=False)
    path = str(tmp_path / "out.db")
    assert main(["--store", path, "init", "--admin", "Ada"]) == 0
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _story(store: str, headline: str, body: str = "Some words.", article_id: str = "") -> Article:
    room = Newsroom.open(store, "Ada")
    try:
        if not article_id:
            return room.create_article(headline, body)
        article = Article(id=article_id, headline=headline, body=body, slug=headline.lower())
        return room.store.create_article(article, author=room.user)
    finally:
        room.close()


# -- a closed pipe --------------------------------------------------------------------


class _ClosedPipe:
    """A stdout whose reader has gone: every write fails as a pipe's does."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_stdout_ends_quietly_in_process(store, capsys, monkeypatch):
    story = _story(store, "Pipe story")
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["--store", store, "show", story.id]) == EXIT_PIPE == 141
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("command", [["show", "{id}"], ["show", "{id}", "--json"], ["list"]])
def test_show_into_head_ends_without_a_traceback(store, capsys, command):
    # Long enough to fill the pipe's buffer: the write fails while the command runs.
    story = _story(store, "Long story", "\n\n".join(["A paragraph of words."] * 20_000))
    if command == ["list"]:  # rows of some 200 KB, well past a pipe's 64 KB
        for n in range(4):
            _story(store, f"Story {n} " + "with a long headline " * 2_500)
    argv = [a.replace("{id}", story.id[:8]) for a in command]
    process = subprocess.Popen(
        [sys.executable, "-m", "editor", "--store", store, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()  # what `head -1` reads, then it exits
    process.stdout.close()
    err = process.stderr.read().decode()
    code = process.wait(timeout=120)
    assert first
    assert "Traceback" not in err and "BrokenPipeError" not in err and err == ""
    assert code == EXIT_PIPE


# -- deleted rows and short ids -------------------------------------------------------------


def test_list_deleted_marks_the_deleted_rows_and_restore_takes_a_short_id(store, capsys):
    kept = _story(store, "Kept story")
    gone = _story(store, "Gone story")
    assert run(capsys, "--store", store, "delete", gone.id[:8])[0] == 0

    code, out, _ = run(capsys, "--store", store, "list", "--deleted")
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert code == 0 and lines[gone.id[:8]].endswith("Gone story  [deleted]")
    assert lines[kept.id[:8]].endswith("Kept story")
    code, out, _ = run(capsys, "--store", store, "list")
    assert "[deleted]" not in out and "Gone story" not in out

    rows = json.loads(run(capsys, "--store", store, "list", "--deleted", "--json")[1])
    assert {r["headline"]: r["deleted"] for r in rows} == {"Kept story": False, "Gone story": True}
    assert {k for k in rows[0]} == {
        "id", "headline", "slug", "status", "section", "byline", "word_count", "updated_at",
        "deleted",
    }  # fmt: skip
    rows = json.loads(run(capsys, "--store", store, "list", "--json")[1])
    assert [(r["headline"], r["deleted"]) for r in rows] == [("Kept story", False)]

    code, out, err = run(capsys, "--store", store, "restore", gone.id[:8])
    assert (code, err) == (0, "")
    assert out == f"restored {gone.id}  “Gone story”\n"
    rows = json.loads(run(capsys, "--store", store, "list", "--json")[1])
    assert {r["headline"] for r in rows} == {"Kept story", "Gone story"}

    code, out, err = run(capsys, "--store", store, "restore", gone.slug)
    assert (code, out) == (2, "")
    assert err == f"newsroom: “Gone story” ({gone.id[:8]}) is not deleted: nothing to restore.\n"


def test_a_short_id_that_fits_several_articles_says_so(store, capsys):
    first = _story(store, "First", article_id=f"abcdef12-{uuid.uuid4().hex[:4]}-0000-0000-1")
    second = _story(store, "Second", article_id=f"abcdef12-{uuid.uuid4().hex[:4]}-0000-0000-2")
    for argv in (["show", "abcdef12"], ["restore", "abcdef12"]):
        code, out, err = run(capsys, "--store", store, *argv)
        assert (code, out) == (2, "")
        assert err.startswith("newsroom: 'abcdef12' is the start of several articles' ids (")
        assert err.endswith("): give more of the id.\n") and err.count("\n") == 1
        assert "“First”" in err and "“Second”" in err
    assert run(capsys, "--store", store, "delete", first.id)[0] == 0
    # Deleted or not, a longer prefix picks one out.
    code, out, _ = run(capsys, "--store", store, "restore", first.id[:-1])
    assert code == 0 and out.startswith(f"restored {first.id}")
    assert run(capsys, "--store", store, "show", second.id[:-1])[0] == 0


def test_restore_of_an_unknown_id_says_so(store, capsys):
    code, out, err = run(capsys, "--store", store, "restore", "0000000000")
    assert (code, out, err) == (2, "", "newsroom: No article with id or slug '0000000000'.\n")
