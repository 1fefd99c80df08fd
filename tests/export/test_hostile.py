"""The hostile corpus through a whole site export and the preview: every page stays inert
(no script, no handler, no URL of another scheme) and valid (W3C Nu, one run for all), and
the feed and sitemap stay well-formed XML whatever the metadata holds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.model import Article, Status
from editor.core.render import Correction, ResolvedAsset, render_article_page
from editor.core.site import ExportOptions, export_site
from editor.ui.preview.render import PreviewRenderer
from tests.core.fixtures.hostile import HOSTILE_VECTORS
from tests.core.fixtures.hostile.checks import html_problems, xml_problems
from tests.export.conftest import NOW, add_asset, add_correction, publish
from tests.export.test_validity import require_tools, vnu_errors

#: Characters SQLite stores but an XML document may not hold: they must not reach one.
HOSTILE_SITE_NAME = "The \x01Post\x0b <script>__xss()</script>"


def hostile_article(n: int, vector: str, photo: str | None = None) -> dict[str, object]:
    """The fields of article `n`: the vector in the body and every metadata field."""
    return {
        "headline": f"{n} {vector}",
        "body": f"Before.\n\n{vector}\n\nInline {vector} text.\n\n![{vector}](asset:{photo})",
        "standfirst": vector,
        "byline": vector,
        "section": vector,
        "tags": [vector, "safe"],
        "dateline": vector,
        "slug": vector,
        "featured_asset_id": photo,
    }


@pytest.fixture
def hostile_site(newsroom, tmp_path: Path) -> Path:
    photo = add_asset(
        newsroom,
        alt="<img src=x onerror=__xss()> \x01alt",
        caption='<script>__xss()</script> "cap\x02tion"',
        credit='"><svg onload=__xss()> \x1bcredit',
    )
    for n, vector in enumerate(HOSTILE_VECTORS):
        fields = hostile_article(n, vector, photo)
        article = publish(newsroom, str(fields.pop("headline")), str(fields.pop("body")), **fields)
        add_correction(newsroom, article.id, vector, NOW)
    out = tmp_path / "site"
    options = ExportOptions(base_url="https://news.example/", site_name=HOSTILE_SITE_NAME, now=NOW)
    report = export_site(newsroom, out, options=options)
    assert report.articles == len(HOSTILE_VECTORS)
    return out


def preview_pages(folder: Path) -> list[Path]:
    """The preview of every hostile article, as the pane renders it (site template, with a
    correction and an inlined image), plus the standalone single-page form."""
    pixel = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
    pixel += "/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
    folder.mkdir(parents=True)
    paths: list[Path] = []
    for n, vector in enumerate(HOSTILE_VECTORS):
        fields = hostile_article(n, vector, "p1")
        article = Article(id=f"a{n}", status=Status.DRAFT, **fields)  # type: ignore[arg-type]
        asset = ResolvedAsset(pixel, vector, vector, vector, 1, 1)
        corrections = [Correction(NOW, vector)]
        (folder / f"pane-{n}").mkdir()
        renderer = PreviewRenderer(folder / f"pane-{n}")
        renderer.set_resolver(lambda _id, asset=asset: asset)
        renderer.set_site(None, HOSTILE_SITE_NAME, "https://news.example/")
        renderer.set_corrections(lambda _id, corrections=corrections: corrections)
        load = renderer.full(article)
        assert load.path is not None
        paths.append(load.path)
        standalone = folder / f"standalone-{n}.html"
        standalone.write_text(
            render_article_page(
                article, preview=True, resolver=lambda _id, a=asset: a, corrections=corrections
            ),
            encoding="utf-8",
        )
        paths.append(standalone)
    return paths


def test_hostile_site_pages_are_inert(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > len(HOSTILE_VECTORS)
    problems = {str(p.relative_to(hostile_site)): html_problems(p.read_text()) for p in pages}
    assert {page: found for page, found in problems.items() if found} == {}


def test_hostile_feed_and_sitemap_are_well_formed_xml(hostile_site: Path) -> None:
    for name in ("feed.xml", "sitemap.xml"):
        assert xml_problems((hostile_site / name).read_text(encoding="utf-8")) == [], name


def test_hostile_preview_pages_are_inert(tmp_path: Path) -> None:
    for path in preview_pages(tmp_path / "preview"):
        assert html_problems(path.read_text(), data_images=True) == [], path.name


def test_hostile_site_and_preview_pass_the_nu_checker(hostile_site: Path, tmp_path: Path) -> None:
    """One checker run over the whole site and every preview page."""
    require_tools()
    pages = sorted(hostile_site.rglob("*.html")) + preview_pages(tmp_path / "preview")
    assert vnu_errors(pages) == ""
