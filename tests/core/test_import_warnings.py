"""No silent empty import: the batch report carries a warning for each thin import."""

from __future__ import annotations

from pathlib import Path

from editor.services.newsroom import Newsroom


def test_a_page_without_article_text_is_imported_with_a_warning(tmp_path: Path):
    page = tmp_path / "gallery.html"
    page.write_text(
        "<html><head><meta property='og:title' content='Gallery: the quay at dawn'></head>"
        "<body><div class='gallery'><img src='a.jpg'><p>Share this article</p></div></body></html>",
        encoding="utf-8",
    )
    story = tmp_path / "story.md"
    story.write_text("# Quay to close\n\nThe harbour board voted on Tuesday.\n", encoding="utf-8")
    newsroom = Newsroom.open(tmp_path / "store.db")
    try:
        report = newsroom.import_files([page, story], on_duplicate="copy")
        assert len(report.imported) == 2 and not report.failed
        assert [path.name for path, _ in report.warnings] == ["gallery.html"]
        assert "gallery.html" in report.warnings[0][1]
        article = next(a for a in report.imported if a.headline.startswith("Gallery"))
        assert article.import_notes[0]["kind"] == "extraction"
    finally:
        newsroom.close()
