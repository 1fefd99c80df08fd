"""Batch import against real stores (SQLite and PostgreSQL): duplicates, notes, assets,
and each file written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.errors import ValidationError
from editor.core.model import ArticleQuery
from editor.services import import_run
from editor.store import import_batch
from editor.store.models import AssetRow
from tests.core.test_import_html import PAGE, png

SAMPLES = Path(__file__).resolve().parents[2] / "editor" / "resources" / "samples"
WIRE = SAMPLES / "wire-putin-kim-limousine.txt"


def wire_file(folder: Path, number: int) -> Path:
    path = folder / f"wire-{number:04d}.txt"
    path.write_text(
        f"July 17, 2024\n\nStory number {number} headline\n\nBy Jane Doe\n\n"
        f"LONDON (Reuters) - Paragraph one of story {number}.\n\nRead more\n\nParagraph two.\n",
        encoding="utf-8",
    )
    return path


def test_wire_sample_imported_with_notes(newsroom):
    report = newsroom.import_files([WIRE])
    (article,) = report.imported
    stored = newsroom.get_article(article.id)
    assert stored.headline.startswith("Putin takes Kim Jong Un")
    assert stored.source_name == WIRE.name
    assert len(stored.source_hash) == 64
    kinds = [n["kind"] for n in stored.import_notes]
    assert kinds == ["masthead", "masthead", "related", "video", "teaser"]
    assert "See also" not in stored.body and "featured video" not in stored.body
    assert [e.action for e in newsroom.events(article.id)] == ["create"]
    assert newsroom.events(article.id)[0].note == f"Imported from {WIRE.name}"
    assert newsroom.revisions(article.id)[0].reason == "import"


def test_put_back_and_dismiss_through_save_article(newsroom):
    (article,) = newsroom.import_files([WIRE]).imported
    see_also = next(i for i, n in enumerate(article.import_notes) if n["kind"] == "related")
    updated = newsroom.put_back_import_note(article.id, see_also, expected_version=article.version)
    assert "See also" in updated.body
    assert updated.body.index("See also") < updated.body.index("The leaders of North Korea")
    assert [n["kind"] for n in updated.import_notes] == ["masthead", "masthead", "video", "teaser"]
    dismissed = newsroom.dismiss_import_note(article.id, 0, expected_version=updated.version)
    assert dismissed.import_notes[0]["text"] == "Complete News World"
    assert newsroom.get_article(article.id).import_notes == dismissed.import_notes
    with pytest.raises(ValidationError):
        newsroom.save_article(
            article.id, expected_version=dismissed.version, changes={"import_notes": "nope"}
        )


def test_same_file_twice_ask_skip_copy_update(newsroom, tmp_path):
    path = wire_file(tmp_path, 1)
    (first,) = newsroom.import_files([path]).imported

    asked = newsroom.import_files([path])  # default: ask
    assert asked.imported == [] and len(asked.duplicates) == 1
    assert (asked.duplicates[0].article_id, asked.duplicates[0].path) == (first.id, path)

    skipped = newsroom.import_files([path], on_duplicate="skip")
    assert skipped.imported == [] and skipped.skipped[0].article_id == first.id

    (copy,) = newsroom.import_files([path], on_duplicate="copy").imported
    assert copy.id != first.id and copy.slug == f"{first.slug}-2"

    path.write_text(path.read_text() + "\nA late paragraph.\n", encoding="utf-8")
    changed = newsroom.import_files([path], on_duplicate="update")
    assert len(changed.imported) == 1  # new bytes: not a duplicate at all

    path2 = wire_file(tmp_path, 1)  # the original bytes again
    updated = newsroom.import_files([path2], on_duplicate="update").updated
    assert [a.id for a in updated] == [copy.id]  # the latest earlier import
    assert updated[0].version == 2 and updated[0].slug == copy.slug
    assert newsroom.events(copy.id)[-1].action == "import"
    assert newsroom.count_articles() == 3


def test_same_bytes_twice_in_one_batch(newsroom, tmp_path):
    one = wire_file(tmp_path, 7)
    other = tmp_path / "copy-of-7.txt"
    other.write_bytes(one.read_bytes())
    report = newsroom.import_files([one, other])
    assert len(report.imported) == 1
    assert report.duplicates[0].path == other
    assert report.duplicates[0].article_id == report.imported[0].id


def test_bad_files_do_not_stop_the_batch(newsroom, tmp_path):
    good = [wire_file(tmp_path, n) for n in range(3)]
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    report = newsroom.import_files([good[0], binary, tmp_path / "missing.md", *good[1:]])
    assert [a.headline for a in report.imported] == [f"Story number {n} headline" for n in range(3)]
    assert [p.name for p, _ in report.failed] == ["photo.txt", "missing.md"]
    assert newsroom.count_articles() == 3


def test_a_file_the_store_refuses_costs_only_itself(newsroom, tmp_path, monkeypatch):
    """The batch transaction is rolled back and each file written alone: one fails whole."""
    files = [wire_file(tmp_path, n) for n in range(4)]
    real_event = import_batch._Writer._event

    def refuse_story_2(self, article_id, action, to_status, item, from_status=None):
        event = real_event(self, article_id, action, to_status, item, from_status)
        if "Story number 2" in item.article.headline:
            # An actor nobody knows: the database refuses the row (a foreign key), after
            # the article's other rows went in with it.
            event["actor_id"] = "no-such-user"
        return event

    monkeypatch.setattr(import_batch._Writer, "_event", refuse_story_2)
    report = newsroom.import_files(files)
    assert sorted(a.headline for a in report.imported) == [
        "Story number 0 headline",
        "Story number 1 headline",
        "Story number 3 headline",
    ]
    assert [path for path, _ in report.failed] == [files[2]]
    assert report.failed[0][1].startswith(f"The store refused {files[2].name}: ")
    assert newsroom.count_articles() == 3
    assert all("number 2" not in s.headline for s in newsroom.list_articles())
    # The slug of the failed file is free: a retry takes it.
    monkeypatch.setattr(import_batch._Writer, "_event", real_event)
    (retry,) = newsroom.import_files([files[2]]).imported
    assert retry.slug == "story-number-2-headline"


def test_chunks_and_slug_collisions_within_a_batch(newsroom, tmp_path, monkeypatch):
    monkeypatch.setattr(import_run, "CHUNK_FILES", 3)
    files = []
    for n in range(7):
        path = tmp_path / f"same-{n}.txt"
        path.write_text(f"Same headline\n\nBody {n}.", encoding="utf-8")
        files.append(path)
    report = newsroom.import_files(files)
    slugs = [a.slug for a in report.imported]
    assert slugs == ["same-headline", *[f"same-headline-{n}" for n in range(2, 8)]]
    assert newsroom.list_articles(limit=50)
    hits = newsroom.count_articles(ArticleQuery(search="Body 5"))
    assert hits == 1


def test_html_with_local_image_becomes_an_asset(newsroom, tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "waves.png").write_bytes(png())
    page = tmp_path / "storm.html"
    page.write_text(PAGE, encoding="utf-8")
    (article,) = newsroom.import_files([page]).imported
    figure = next(b for b in article.body.split("\n\n") if b.startswith("!["))
    asset_id = figure.split("(asset:")[1].rstrip(")")
    with newsroom.store.db.read() as session:
        row = session.get(AssetRow, asset_id)
        assert (row.article_id, row.media_type, row.width, row.height) == (
            article.id,
            "image/png",
            3,
            2,
        )
        assert row.data == png() and row.caption == "Waves hit the pier."
        assert row.credit == "Photo: J. Smith" and row.alt == "Waves at the pier"


def test_what_a_batch_hands_back_is_what_the_store_holds(newsroom, tmp_path):
    """New articles are bulk rows, one with images goes through the session: each
    article the import reports is the article as read back, and each has its event."""
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "waves.png").write_bytes(png())
    page = tmp_path / "storm.html"
    page.write_text(PAGE, encoding="utf-8")
    markdown = tmp_path / "quay.md"
    markdown.write_text(
        "---\ntitle: Quay to close\ndate: 2024-07-01\nauthor: Jane Doe\ntags: [harbour]\n"
        "---\n\nThe quay closes.\n",
        encoding="utf-8",
    )
    files = [wire_file(tmp_path, 1), page, markdown, wire_file(tmp_path, 2)]
    report = newsroom.import_files(files)
    assert len(report.imported) == 4 and not report.failed
    for article in report.imported:
        assert article == newsroom.get_article(article.id)
        events = newsroom.events(article.id)
        assert [e.action for e in events] == ["create"]
        assert events[0].note == f"Imported from {article.source_name}"
    assert report.imported[2].tags == ["harbour"]
    found = newsroom.list_articles(ArticleQuery(search="quay"))
    assert [a.id for a in found] == [report.imported[2].id]


def test_a_fake_image_stays_in_the_notes(newsroom, tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "waves.png").write_bytes(b"not an image at all")
    page = tmp_path / "storm.html"
    page.write_text(PAGE, encoding="utf-8")
    (article,) = newsroom.import_files([page]).imported
    assert "asset:" not in article.body and "import:" not in article.body
    assert any(n["kind"] == "image" and "waves.png" in n["text"] for n in article.import_notes)


def test_front_matter_slug_is_kept_and_locked(newsroom, tmp_path):
    path = tmp_path / "post.md"
    path.write_text("---\ntitle: A post\nslug: my-chosen-slug\n---\nText.\n", encoding="utf-8")
    (article,) = newsroom.import_files([path]).imported
    assert (article.slug, article.slug_locked) == ("my-chosen-slug", True)
    (again,) = newsroom.import_files([path], on_duplicate="copy").imported
    assert (again.slug, again.slug_locked) == ("my-chosen-slug-2", False)


def test_cancel_stops_before_the_next_file(newsroom, tmp_path):
    files = [wire_file(tmp_path, n) for n in range(5)]
    seen = []
    report = newsroom.import_files(
        files,
        progress=lambda done, total, path: seen.append(done),
        cancelled=lambda: len(seen) >= 2,
    )
    assert len(report.imported) == 2 and report.not_started == files[2:]
    assert newsroom.count_articles() == 2


def test_unknown_duplicate_choice(newsroom):
    with pytest.raises(ValidationError, match="not a choice"):
        newsroom.import_files([WIRE], on_duplicate="maybe")


def test_a_batch_indexes_every_article_as_a_save_would(newsroom, tmp_path):
    """The batch writes its full-text entries together: each article is found by its own
    words, headline first, exactly as one created alone; a deleted article's slug stays
    taken."""
    gone = newsroom.create_article("Story number 3 headline", "Old text.")
    newsroom.delete_article(gone.id)
    alone = newsroom.create_article("Harbour alone", "Paragraph one of story alone.")
    files = [wire_file(tmp_path, n) for n in range(40)]
    report = newsroom.import_files(files)
    assert len(report.imported) == 40 and not report.failed
    by_number = {int(a.headline.split()[2]): a for a in report.imported}
    assert by_number[3].slug == "story-number-3-headline-2"
    for n in (0, 17, 39):
        found = newsroom.list_articles(ArticleQuery(search=f'"story {n}"'), limit=10)
        assert [a.id for a in found] == [by_number[n].id]
        assert newsroom.count_articles(ArticleQuery(search=f'"Story number {n} headline"')) == 1
    assert newsroom.count_articles(ArticleQuery(search="paragraph")) == 41
    assert newsroom.count_articles(ArticleQuery(search="alone")) == 1
    assert newsroom.list_articles(ArticleQuery(search="alone"))[0].id == alone.id


def test_the_command_line_imports_a_folder_with_its_subfolders(tmp_path, capsys, monkeypatch):
    from editor.cli import main

    monkeypatch.delenv("NEWSROOM_STORE", raising=False)
    store = str(tmp_path / "s.db")
    assert main(["--store", store, "init", "--admin", "Ada"]) == 0
    folder = tmp_path / "copy"
    (folder / "monday").mkdir(parents=True)
    for n in range(3):
        wire_file(folder, n)
    wire_file(folder / "monday", 7)
    (folder / "monday" / "notes.pdf").write_bytes(b"%PDF-1.4 not copy")  # not importable
    capsys.readouterr()
    assert main(["--store", store, "--as", "Ada", "import", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.count("imported ") == 4 and "story-number-7-headline" in out
