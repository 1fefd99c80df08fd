"""`newsroom list`, `list --search` and `show` read a SQLite store with sqlite3 alone:
the same output as through the ORM, nothing written, nothing loaded they do not need,
and every store the full open must see first still goes through it."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from editor import cli
from editor.cli import main
from editor.core.model import ArticleQuery
from editor.services.newsroom import Newsroom
from editor.store import direct_reads, integrity, opening, search_syntax
from editor.store.direct_reads import DirectReader

ROOT = Path(__file__).resolve().parents[1]

_ARTICLES = [
    # headline, standfirst, byline, tags, body
    ("Harbour drought hits town", "Dry spell", "Ana Ruiz", ["weather"], "The harbour is dry."),
    ("Council meets", "Harbour plans", "Bo Li", ["council"], "A drought of ideas."),
    ("Drought, then the harbour", "", "Cy Ng", [], "Harbour drought? Not here: drought harbour."),
    ("Zürich café opens", "Harbourside", "Dee Roe", ["food", "harbour"], "Coffee and cake."),
    ("Untitled things", "", "", [], "harbouring doubts about the drought"),
    ("", "", "", [], "A body with no headline, harbour and all."),
    ("Plant closes", "Jobs lost", "Ed Fay", ["business"], "The plant shut on Monday."),
]
QUERIES = [
    "", "harbour", "harb", "drought", '"harbour drought"', '"drought harbour"', "harb drou",
    "Zurich", "ZÜRICH caf", "OR", "harbour OR plant", '"harbour', "zzz", "-*()", "e-mail",
]  # fmt: skip


def _folder(path: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.parent.iterdir())
        if p.is_file()
    }


@pytest.fixture
def filled(tmp_path, monkeypatch):
    """A store with varied articles, one deleted, some moved in the workflow."""
    monkeypatch.delenv("NEWSROOM_STORE", raising=False)
    monkeypatch.setenv("NEWSROOM_BACKUP_KEEP", "0")
    path = tmp_path / "direct.db"
    assert main(["--store", str(path), "init", "--admin", "Ada"]) == 0
    room = Newsroom.open(path, "Ada")
    made = []
    for n, (headline, standfirst, byline, tags, body) in enumerate(_ARTICLES):
        dated = {"story_date": date(2026, 3, 1)} if n == 1 else {}
        article = room.create_article(
            headline, body, sign=False, standfirst=standfirst, byline=byline, tags=tags, **dated
        )
        made.append(article)
    room.transition(made[0].id, "submit", note="Ready.\nSecond line of the note.")
    room.delete_article(made[2].id)
    room.close()
    return path, made


def _through_the_orm(monkeypatch, argv: list[str], capsys) -> tuple[int, str, str]:
    with monkeypatch.context() as patched:
        patched.setattr(cli, "_run_directly", lambda *_args: None)
        code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _directly(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _spy_on_direct_reads(monkeypatch) -> list[Path]:
    opened: list[Path] = []
    real = DirectReader.open.__func__

    def spy(cls, path):
        reader = real(cls, path)
        if reader is not None:
            opened.append(path)
        return reader

    monkeypatch.setattr(DirectReader, "open", classmethod(spy))
    return opened


@pytest.mark.parametrize("as_json", [False, True])
@pytest.mark.parametrize("many", [False, True])
def test_list_and_search_print_what_the_orm_prints(filled, monkeypatch, capsys, as_json, many):
    path, _made = filled
    if many:  # every query "has many hits": the plan that walks the list's order
        monkeypatch.setattr(search_syntax, "MANY_HITS", 1)
        monkeypatch.setattr("editor.store.search._MANY_HITS", 1)
    opened = _spy_on_direct_reads(monkeypatch)
    extra = ["--json"] if as_json else []
    for q in QUERIES:
        for more in ([], ["--deleted"], ["--status", "submitted"], ["--status", "draft"]):
            argv = ["--store", str(path), "list", f"--search={q}", *more, *extra]
            expected = _through_the_orm(monkeypatch, argv, capsys)
            assert _directly(argv, capsys) == expected, argv
    assert len(opened) == len(QUERIES) * 4  # each of them read directly


def test_the_ranking_puts_headline_matches_first(filled, capsys):
    path, made = filled
    code, out, _ = _directly(
        ["--store", str(path), "list", "--search", "harbour", "--json"], capsys
    )
    ids = [row["id"] for row in json.loads(out)]
    in_headline = {made[0].id}  # the third is deleted
    assert code == 0 and set(ids[:1]) == in_headline and len(ids) == 5
    phrase = ["--store", str(path), "list", "--search", '"harbour drought"', "--json"]
    code, out, _ = _directly(phrase, capsys)
    assert [row["id"] for row in json.loads(out)] == [made[0].id]  # a phrase is a phrase


def test_show_prints_what_the_orm_prints(filled, monkeypatch, capsys):
    path, made = filled
    opened = _spy_on_direct_reads(monkeypatch)
    keys = [made[0].id, made[0].id[:8], made[1].slug, made[5].id, made[6].slug]
    for key in keys:
        for extra in ([], ["--json"]):
            argv = ["--store", str(path), "show", key, *extra]
            expected = _through_the_orm(monkeypatch, argv, capsys)
            assert expected[0] == 0
            assert _directly(argv, capsys) == expected, argv
    assert len(opened) == len(keys) * 2
    shown = json.loads(_directly(["--store", str(path), "show", made[0].id, "--json"], capsys)[1])
    assert [e["action"] for e in shown["events"]][-1] == "submit"
    assert "Second line of the note." in _directly(["--store", str(path), "show", made[0].id],
                                                   capsys)[1]  # fmt: skip


def test_show_refuses_as_the_orm_does(filled, monkeypatch, capsys):
    path, made = filled
    # A deleted article, an unknown key, a short prefix: the same one-line refusal.
    for key in (made[2].id, "no-such-story", made[0].id[:4]):
        argv = ["--store", str(path), "show", key]
        expected = _through_the_orm(monkeypatch, argv, capsys)
        assert expected[0] == cli.EXIT_ERROR
        assert _directly(argv, capsys) == expected, key
    # LIKE's wildcards in a key are characters of an id, not wildcards, on both paths.
    for key in ("%%%%%%", "______", "08%%%%%%"):
        argv = ["--store", str(path), "show", key]
        refused = (cli.EXIT_ERROR, "", f"newsroom: No article with id or slug '{key}'.\n")
        assert _directly(argv, capsys) == refused
        assert _through_the_orm(monkeypatch, argv, capsys) == refused


def test_an_ambiguous_prefix_names_the_articles(tmp_path, monkeypatch, capsys):
    path = tmp_path / "ambiguous.db"
    assert main(["--store", str(path), "init", "--admin", "Ada"]) == 0
    capsys.readouterr()
    db = sqlite3.connect(path)
    room = Newsroom.open(path, "Ada")
    for n in range(3):
        room.create_article(f"Story {n}", "Body.")
    room.close()
    # Three ids that share their first eight characters.
    ids = [row[0] for row in db.execute("SELECT id FROM articles ORDER BY id")]
    for n, old in enumerate(ids):
        db.execute("PRAGMA foreign_keys = OFF")
        new = "abcdef12" + old[8:]
        for table, column in (("articles", "id"), ("revisions", "article_id"),
                              ("events", "article_id")):  # fmt: skip
            db.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (new, old))
        ids[n] = new
    db.commit()
    db.close()
    argv = ["--store", str(path), "show", "abcdef12"]
    expected = _through_the_orm(monkeypatch, argv, capsys)
    assert expected[0] == cli.EXIT_ERROR and "is the start of several" in expected[2]
    assert _directly(argv, capsys) == expected


def test_reading_directly_writes_nothing_and_starts_no_check(filled, monkeypatch, capsys):
    path, made = filled
    # As if the store were big: the full open would check it on a thread.
    monkeypatch.setattr(integrity, "SYNC_CHECK_BYTES", 1)
    monkeypatch.setattr(direct_reads, "SYNC_CHECK_BYTES", 1)
    before = _folder(path)
    started = []
    real = integrity.start_background_check
    monkeypatch.setattr(
        integrity, "start_background_check", lambda *a: started.append(a) or real(*a)
    )
    for argv in (["list"], ["list", "--search", "harb", "--json"], ["show", made[1].slug]):
        assert main(["--store", str(path), *argv]) == 0
    assert started == []  # no quick_check on a thread: a reading command writes nothing
    assert _folder(path) == before
    assert main(["--store", str(path), "check", made[1].slug]) in (0, 1)
    assert len(started) == 1  # which the full open (here for `check`) does start


def test_what_the_full_open_must_see_first_goes_through_it(filled, tmp_path, monkeypatch):
    path, _made = filled
    assert DirectReader.open(path) is not None
    assert DirectReader.open(tmp_path / "missing.db") is None  # created by the full open
    empty = tmp_path / "empty.db"
    empty.touch()
    assert DirectReader.open(empty) is None
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database")
    assert DirectReader.open(foreign) is None  # refused by the full open, with its words
    older = tmp_path / "older.db"
    older.write_bytes(path.read_bytes())
    db = sqlite3.connect(older)
    db.execute("UPDATE alembic_version SET version_num = '0001_baseline'")
    db.commit()
    db.close()
    assert DirectReader.open(older) is None  # migrated by the full open
    os.chmod(older, 0o444)
    try:
        assert DirectReader.open(older) is None  # refused by the full open as read-only
    finally:
        os.chmod(older, 0o644)
    monkeypatch.setattr(direct_reads, "FULL_DISK_BYTES", 2**62)
    assert DirectReader.open(path) is None  # read through the full open's reader URL


def _damage_table(path: Path, table: str = "articles") -> None:
    """Garbage over every page of the table's rows (not its indexes)."""
    db = sqlite3.connect(path)
    try:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in db.execute("SELECT pageno FROM dbstat WHERE name = ?", (table,))]
    finally:
        db.close()
    with path.open("r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * page_size)
            handle.write(b"\xa5" * page_size)


def test_a_small_damaged_store_is_refused_by_the_full_open(filled, capsys):
    path, _made = filled
    _damage_table(path)
    assert DirectReader.open(path) is None  # its quick_check fails
    code, _out, err = _directly(["--store", str(path), "list"], capsys)
    assert code == cli.EXIT_ERROR and "is damaged" in err and "will not write" in err


def test_a_big_store_damaged_where_the_list_reads_says_so(filled, monkeypatch, capsys):
    path, made = filled
    monkeypatch.setattr(direct_reads, "SYNC_CHECK_BYTES", 1)  # only the structure look
    _damage_table(path)
    before = _folder(path)
    for argv in (["list"], ["show", made[1].slug]):
        code, _out, err = _directly(["--store", str(path), *argv], capsys)
        assert code == cli.EXIT_ERROR
        assert "is damaged" in err and "will not write into it" in err, err
        assert len(err.strip().splitlines()) == 1
    assert _folder(path) == before


def _bytes_that_are_not_text(path: Path) -> None:
    """A body whose bytes are not UTF-8, as another program could write it."""
    db = sqlite3.connect(path)
    try:
        db.execute("UPDATE revisions SET body = CAST(X'48e96c6c6f20ff' AS TEXT)")
        db.commit()
    finally:
        db.close()


@pytest.mark.parametrize("damaged", [False, True])
def test_text_that_is_not_utf8_is_said_plainly_or_as_damage(filled, monkeypatch, capsys, damaged):
    """sqlite3's decode error quotes the text (a whole body, say): the reading commands
    say what is wrong instead, and, when `quick_check` finds damage, that it is damaged."""
    path, made = filled
    _bytes_that_are_not_text(path)
    if damaged:  # and a table nothing here reads is garbage: the check finds it
        _damage_table(path, "dictionary_words")
        # Only the structure look at open, as for a big store: the damage is met later.
        monkeypatch.setattr(direct_reads, "SYNC_CHECK_BYTES", 1)
    reader = DirectReader.open(path)
    assert reader is not None
    reader.close()
    code, _out, err = _directly(["--store", str(path), "show", made[1].slug], capsys)
    assert code == cli.EXIT_ERROR and len(err.strip().splitlines()) == 1, err
    assert "H\ufffdllo" not in err and "with text" not in err  # the body is not printed
    if damaged:
        assert "is damaged" in err and "will not write into it" in err, err
    else:
        assert "holds text that is not UTF-8 (column body)" in err and "nothing was changed" in err


def test_the_numbers_shared_without_an_import_agree():
    assert direct_reads.SYNC_CHECK_BYTES == integrity.SYNC_CHECK_BYTES
    assert direct_reads.FULL_DISK_BYTES == integrity.FULL_DISK_BYTES
    assert direct_reads.BUSY_TIMEOUT_S * 1000 == opening.BUSY_TIMEOUT_MS


def test_help_list_and_show_load_no_sqlalchemy(filled):
    path, made = filled
    script = (
        "import sys\n"
        "from editor.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy')\n"
        "print('LOADED', len(loaded), file=sys.stderr)\n"
        "raise SystemExit(code)\n"
    )
    for argv in (["list"], ["list", "--search", '"harbour drought"'], ["show", made[1].slug],
                 ["--help"]):  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-c", script, "--store", str(path), *argv],
            capture_output=True, text=True, cwd=ROOT, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "LOADED 0" in done.stderr or argv == ["--help"], (argv, done.stderr)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "editor", "--help"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and "sqlalchemy" not in done.stderr


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
def test_a_columns_text_reads_as_the_orms_datetime(moment):
    # What SQLAlchemy's SQLite DateTime writes: always six digits of fraction.
    m = moment
    whole = f"{m.year:04d}-{m.month:02d}-{m.day:02d} {m.hour:02d}:{m.minute:02d}:{m.second:02d}"
    aware = moment.replace(tzinfo=UTC)
    assert direct_reads.utc_isoformat(f"{whole}.{m.microsecond:06d}") == aware.isoformat()
    assert direct_reads.utc_isoformat(whole) == aware.replace(microsecond=0).isoformat()
    assert direct_reads.utc_isoformat(moment.isoformat()) == aware.isoformat()


def _as_listed(items: list[dict]) -> str:
    """`list --json`'s layout: a JSON array, one compact item a line."""
    lines = ",\n".join(json.dumps(item, separators=(",", ":")) for item in items)
    return f"[\n{lines}\n]\n" if items else "[]\n"


def test_json_items_print_as_json_dumps_would(filled, monkeypatch, capsys):
    # SQLite writes each item (`_JSON_ITEM`); an `updated_at` of another form than
    # SQLAlchemy's is written in Python. Either way: what json.dumps prints.
    path, made = filled
    odd = [
        ('Zürich "café"\n\t\x01\x1f\x7f\u2028 \U0001f600 \\', "B\\y", "2026-03-11 10:39:12.000000"),
        ("", "", "2026-03-11 10:39:12.5"),
        ("Plain", "Ed", "2026-03-11 10:39:12"),
        ("Plain", "Ed", "2026-03-11T10:39:12.123456"),
        ("Plain", "Ed", "2026-03-11 10:39:12.123456"),
    ]  # fmt: skip
    db = sqlite3.connect(path)
    with db:
        for article, (headline, byline, updated) in zip(made, odd, strict=False):
            db.execute(
                "UPDATE articles SET headline = ?, byline = ?, updated_at = ? WHERE id = ?",
                (headline, byline, updated, article.id),
            )
        rows = db.execute(
            "SELECT id, headline, slug, status, section, byline, word_count, updated_at, "
            "deleted_at IS NOT NULL FROM articles ORDER BY updated_at DESC, id DESC"
        ).fetchall()
    db.close()
    expected = [
        {"id": r[0], "headline": r[1], "slug": r[2], "status": r[3], "section": r[4] or "",
         "byline": r[5], "word_count": r[6], "updated_at": direct_reads._moment(r[7]).isoformat(),
         "deleted": bool(r[8])}
        for r in rows
    ]  # fmt: skip
    opened = _spy_on_direct_reads(monkeypatch)
    for argv, wanted in (
        (["list", "--deleted", "--json"], expected),
        (["list", "--json"], [item for item in expected if not item["deleted"]]),
        (["list", "--search", "zzz", "--json"], []),
    ):
        code, out, _err = _directly(["--store", str(path), *argv], capsys)
        assert code == 0 and out == _as_listed(wanted), argv
    assert len(opened) == 3


def test_json_items_come_in_runs_joined_as_one_array(filled, monkeypatch, capsys):
    path, _made = filled
    reader = DirectReader.open(path)
    try:
        runs = list(reader.iter_listing_json(ArticleQuery(include_deleted=True)))
    finally:
        reader.close()
    monkeypatch.setattr(DirectReader, "iter_listing_json", lambda _self, _q: iter(runs * 3))
    code, out, _err = _directly(["--store", str(path), "list", "--deleted", "--json"], capsys)
    assert code == 0 and len(json.loads(out)) == 3 * len(_ARTICLES)
    assert out == _as_listed(json.loads(out))
