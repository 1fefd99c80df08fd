"""`newsroom export` on a SQLite store reads it with sqlite3 alone (`DirectExportReads`,
`DirectSettings`): the same reads as through the ORM, and the same site written."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor import cli
from editor.cli import main
from editor.store.direct_reads import DirectReader
from tests.export.conftest import NOW, add_correction
from tests.export.test_site import _site, tree


@pytest.fixture
def desk(newsroom, site_store):
    """The site store with site settings and a managed list (one section retired)."""
    newsroom.settings.set_site(site_name="The Riverside Post", base_url="https://news.example/")
    for name in ("Weather", "Harbour news"):
        newsroom.settings.add_section(name)
    newsroom.settings.retire_section("Weather")
    add_correction(newsroom, site_store["win"].id, "The score was 2-1.", NOW)
    return newsroom


def test_the_direct_reads_are_the_orms(desk, site_store) -> None:
    orm, path = desk.store.export_reads, Path(desk.store.path)
    reader = DirectReader.open(path)
    assert reader is not None
    try:
        direct = reader.export_reads
        some = [site_store[k].id for k in ("flood", "win", "draft")] + ["no-such-id"]
        for status, ids in [(None, None), ("published", None), (None, some), ("draft", some)]:
            assert direct.export_articles(status, ids) == orm.export_articles(status, ids)
        articles = orm.export_articles(None, None)
        revisions = [a.head_revision_id for a in articles] + ["no-such-revision"]
        assert direct.revision_bodies(revisions) == orm.revision_bodies(revisions)
        ids = [a.id for a in articles]
        assert direct.correction_notes(ids) == orm.correction_notes(ids)
        assert len(direct.correction_notes(ids)) == 2
        photo = site_store["photo"]
        for wanted, with_data in [(None, False), (None, True), ([photo, "x"], True)]:
            assert direct.asset_rows(wanted, with_data=with_data) == orm.asset_rows(
                wanted, with_data=with_data
            )
        assert reader.settings.values() == desk.store.settings.values()
        for retired in (False, True):
            assert reader.settings.sections(
                include_retired=retired
            ) == desk.store.settings.sections(include_retired=retired)
    finally:
        reader.close()


def test_export_writes_what_the_full_open_writes(desk, tmp_path, monkeypatch, capsys) -> None:
    path = str(desk.store.path)
    opened: list[object] = []
    real = DirectReader.open.__func__

    def spy(cls, where, **kwargs):
        reader = real(cls, where, **kwargs)
        opened.append(reader)
        return reader

    monkeypatch.setattr(DirectReader, "open", classmethod(spy))
    # The store's own settings name the site: no flags.
    assert main(["--store", path, "export", "--all", "--out", str(tmp_path / "direct")]) == 0
    assert len(opened) == 1 and opened[0] is not None
    with monkeypatch.context() as patched:
        patched.setattr(cli, "_run_directly", lambda *_args: None)
        assert main(["--store", path, "export", "--all", "--out", str(tmp_path / "orm")]) == 0
    direct, orm = _site(tmp_path / "direct"), _site(tmp_path / "orm")
    assert direct == orm
    assert b"The Riverside Post" in direct[0]["index.html"]
    assert (
        b"The score was 2-1." in direct[0]["sport/2026/11/harriers-snatch-late-winner/index.html"]
    )
    named = ["--store", path, "export", site_store_slug(desk), "--out", str(tmp_path / "one")]
    assert main(named) == 0
    assert (tmp_path / "one/sport/2026/11/harriers-snatch-late-winner/index.html").is_file()
    flood = site_store_slug(desk, "Council approves")  # the one with a photo
    preview = ["--store", path, "export", "--preview", flood, "--out"]
    assert main([*preview, str(tmp_path / "page")]) == 0  # images inlined, from sqlite3
    with monkeypatch.context() as patched:
        patched.setattr(cli, "_run_directly", lambda *_args: None)
        assert main([*preview, str(tmp_path / "page-orm")]) == 0
    page = tree(tmp_path / "page")
    assert page == tree(tmp_path / "page-orm") and b"data:image/png;base64," in b"".join(
        page.values()
    )
    capsys.readouterr()


def site_store_slug(newsroom, headline: str = "Harriers") -> str:
    return next(a.slug for a in newsroom.store.export_reads.export_articles("published", None)
                if a.headline.startswith(headline))  # fmt: skip
