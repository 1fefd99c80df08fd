"""Exporting an article page: atomic write, folder targets by slug, clear errors, no debris."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from editor.core.errors import NewsroomError
from editor.core.export import ExportError, export_article_html, export_filename
from editor.core.model import Article, Status
from editor.core.render import render_article_page


def make_article(**fields: object) -> Article:
    values: dict[str, object] = {
        "id": "a1",
        "headline": "Harriers go top",
        "slug": "harriers-go-top",
        "status": Status.APPROVED,
        "body": "Okafor scored.",
    }
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


def test_export_to_a_file_path(tmp_path: Path) -> None:
    article = make_article()
    target = tmp_path / "page.html"
    written = export_article_html(article, str(target))
    assert written == target
    assert target.read_text(encoding="utf-8") == render_article_page(article)
    assert os.listdir(tmp_path) == ["page.html"]


def test_export_of_a_draft_is_a_marked_preview(tmp_path: Path) -> None:
    written = export_article_html(make_article(status=Status.DRAFT), tmp_path / "p.html")
    text = written.read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in text
    assert "not for publication" in text


def test_export_of_an_approved_article_is_the_public_page(tmp_path: Path) -> None:
    written = export_article_html(make_article(status=Status.PUBLISHED), tmp_path / "p.html")
    text = written.read_text(encoding="utf-8")
    assert "noindex" not in text and "not for publication" not in text


def test_export_into_a_folder_names_the_file_by_slug(tmp_path: Path) -> None:
    written = export_article_html(make_article(), tmp_path)
    assert written == tmp_path / "harriers-go-top.html"
    assert written.is_file()


@pytest.mark.parametrize(
    ("slug", "headline", "name"),
    [
        ("", "", "untitled.html"),
        ("", "Okafor’s late winner!", "okafors-late-winner.html"),
        ("../../etc/evil", "", "untitled.html"),
        ("Not A Slug", "Fallback headline", "fallback-headline.html"),
    ],
)
def test_folder_export_file_names_are_safe(
    tmp_path: Path, slug: str, headline: str, name: str
) -> None:
    article = make_article(slug=slug, headline=headline)
    assert export_filename(article) == name
    written = export_article_html(article, tmp_path)
    assert written == tmp_path / name
    assert os.listdir(tmp_path) == [name]


def test_export_replaces_an_existing_page(tmp_path: Path) -> None:
    target = tmp_path / "harriers-go-top.html"
    target.write_text("old page", encoding="utf-8")
    export_article_html(make_article(headline="New headline"), tmp_path)
    assert "New headline" in target.read_text(encoding="utf-8")
    assert sorted(os.listdir(tmp_path)) == ["harriers-go-top.html"]


def test_exported_page_is_readable_by_others(tmp_path: Path) -> None:
    written = export_article_html(make_article(), tmp_path)
    assert written.stat().st_mode & 0o044 == 0o044


def test_parent_that_is_a_file_raises_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "page.html"
    with pytest.raises(NewsroomError) as caught:
        export_article_html(make_article(), target)
    assert str(caught.value) == f"Cannot write {target}: Not a directory"
    assert sorted(os.listdir(tmp_path)) == ["not-a-folder"]


def test_missing_folder_raises_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "page.html"
    with pytest.raises(
        ExportError, match=r"^Cannot write .*page\.html: No such file or directory$"
    ):
        export_article_html(make_article(), target)


def test_failed_replace_leaves_no_temp_file_and_keeps_the_old_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "page.html"
    target.write_text("old page", encoding="utf-8")

    def disk_full(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("editor.core.export.os.replace", disk_full)
    with pytest.raises(NewsroomError) as caught:
        export_article_html(make_article(), target)
    assert isinstance(caught.value, ExportError)
    assert str(caught.value) == f"Cannot write {target}: No space left on device"
    assert isinstance(caught.value.__cause__, OSError)
    assert os.listdir(tmp_path) == ["page.html"]
    assert target.read_text(encoding="utf-8") == "old page"


def test_failed_write_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr("editor.core.export.os.fsync", fail_fsync)
    with pytest.raises(ExportError, match="Input/output error"):
        export_article_html(make_article(), tmp_path)
    assert os.listdir(tmp_path) == []
