"""The static site export: what goes, where, with what; atomic and incremental runs."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from editor.core.errors import NewsroomError
from editor.core.site import (
    MANIFEST_NAME,
    ExportCancelled,
    ExportOptions,
    Selection,
    export_site,
)
from tests.export.conftest import NOW, add_asset, change, publish, set_fields

OPTIONS = ExportOptions(base_url="https://news.example/", site_name="The Riverside Post", now=NOW)


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_site_layout_and_skip_reasons(newsroom, site_store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    report = export_site(newsroom, out, options=OPTIONS)
    files = set(tree(out))
    assert {
        "index.html",
        "feed.xml",
        "sitemap.xml",
        "assets/site.css",
        f"assets/{site_store['photo']}.png",
        "local/index.html",
        "sport/index.html",
        "local/2026/11/council-approves-flood-defences/index.html",
        "sport/2026/11/harriers-snatch-late-winner/index.html",
        MANIFEST_NAME,
    } <= files
    assert report.articles == 3
    reasons = {s.headline: s.reason for s in report.skipped}
    assert reasons == {
        "Held story": "on legal hold",
        "Secret story": "marked not for publication",
        "Embargoed story": "embargoed until Dec. 6, 2026, 12:00 p.m. UTC",
        "Draft story": "not approved (draft)",
    }
    assert not any("held" in f or "secret" in f or "embargoed" in f for f in files)
    assert "business" not in {f.split("/")[0] for f in files}
    summary = "\n".join(report.summary_lines())
    assert "3 articles in the site" in summary and "on legal hold" in summary


def test_article_page_metadata(newsroom, site_store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    export_site(newsroom, out, options=OPTIONS)
    page = (out / "local/2026/11/council-approves-flood-defences/index.html").read_text()
    canonical = "https://news.example/local/2026/11/council-approves-flood-defences/"
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert '<meta property="og:title" content="Council approves flood defences">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    photo = site_store["photo"]
    assert f'<meta property="og:image" content="https://news.example/assets/{photo}.png">' in page
    data = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Council approves flood defences"
    assert data["datePublished"] == "2026-11-20T09:00:00+00:00"
    assert data["author"] == [{"@type": "Person", "name": "Jane Doe"}]
    assert data["articleSection"] == "Local"
    assert data["keywords"] == ["flooding", "council"]
    assert data["image"] == [f"https://news.example/assets/{photo}.png"]
    assert "dateModified" in data
    # featured image at the top, the body image as a figure, relative URLs, the correction
    assert f'<img src="../../../../assets/{photo}.png" alt="Flood water on Riverside Road"' in page
    assert (
        "<figcaption>Riverside Road after the storm. "
        '<span class="credit">Photo: Jane Doe</span></figcaption>' in page
    )
    assert page.count('<figure class="story-figure">') == 1
    assert 'href="../../../../assets/site.css"' in page
    assert 'Correction, <time datetime="2026-12-05">5 Dec 2026</time>:</strong> ' in page
    assert "An earlier version gave the wrong date." in page
    assert '<div class="story-body" id="article-body">' in page
    assert "noindex" not in page
    index = (out / "index.html").read_text()
    assert index.index("Harriers snatch late winner") < index.index("Council approves")
    assert 'href="local/2026/11/council-approves-flood-defences/index.html"' in index
    assert 'href="https://' not in index.split("<body>")[1]  # every site link is relative
    feed = (out / "feed.xml").read_text()
    assert f"<id>urn:uuid:{site_store['win'].id}</id>" in feed
    assert f"<loc>{canonical}</loc>" in (out / "sitemap.xml").read_text()


def test_reexport_skips_unchanged_and_rewrites_the_changed(newsroom, site_store, tmp_path):
    out = tmp_path / "site"
    export_site(newsroom, out, options=OPTIONS)
    before = tree(out)
    report = export_site(newsroom, out, options=OPTIONS)
    assert report.written == [] and report.removed == []
    assert tree(out) == before
    win = site_store["win"]
    change(newsroom, win.id, body="A new body.")
    report = export_site(newsroom, out, options=OPTIONS)
    assert "sport/2026/11/harriers-snatch-late-winner/index.html" in report.written
    assert not any(path.startswith("local/2026") for path in report.written)
    page = (out / "sport/2026/11/harriers-snatch-late-winner/index.html").read_text()
    assert "A new body." in page


def _rendered_templates(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the site-wide templates rendered from now on (listing, feed, sitemap)."""
    from editor.core.site import listings

    names: list[str] = []
    real = listings.render_template

    def spy(name, *args, **kwargs):
        names.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(listings, "render_template", spy)
    return names


def test_site_pages_are_rendered_again_only_when_what_they_list_changed(
    newsroom, site_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    export_site(newsroom, out, options=OPTIONS)
    rendered = _rendered_templates(monkeypatch)
    report = export_site(newsroom, out, options=OPTIONS)
    assert rendered == [] and report.written == []  # front, sections, feed, sitemap: kept
    change(newsroom, site_store["win"].id, headline="Harriers win it late")
    report = export_site(newsroom, out, options=OPTIONS)
    # The story is on the front page, its section's page and the feed (and the sitemap,
    # made again only when a date in it changed); the Local page does not list it.
    assert sorted(rendered)[:3] == ["feed.xml", "listing.html", "listing.html"]
    assert {"index.html", "sport/index.html", "feed.xml"} <= set(report.written)
    assert "local/index.html" not in report.written
    fresh = tmp_path / "fresh"
    export_site(newsroom, fresh, options=OPTIONS)
    assert _site(out) == _site(fresh)  # what a first export of the same store writes
    rendered.clear()
    (out / "local/index.html").unlink()  # gone from the disk: made again, whatever the key
    os.remove(out / "feed.xml")
    report = export_site(newsroom, out, options=OPTIONS)
    assert sorted(rendered) == ["feed.xml", "listing.html"]
    assert sorted(report.written) == ["feed.xml", "local/index.html"]
    assert _site(out) == _site(fresh)


def _site(root: Path) -> tuple[dict[str, bytes], dict]:
    """The pages, and the manifest as data (its keys' order is the runs' own)."""
    pages = tree(root)
    return pages, json.loads(pages.pop(MANIFEST_NAME))


def test_a_manifest_without_page_keys_renders_the_site_pages_once(
    newsroom, site_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    export_site(newsroom, out, options=OPTIONS)
    before = tree(out)
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    manifest_pages = manifest.pop("pages")  # as an export before page keys wrote it
    (out / MANIFEST_NAME).write_text(json.dumps(manifest))
    rendered = _rendered_templates(monkeypatch)
    report = export_site(newsroom, out, options=OPTIONS)
    assert "sitemap.xml" in rendered and report.written == [] and report.warnings == []
    rendered.clear()
    export_site(newsroom, out, options=OPTIONS)
    assert rendered == []
    pages = tree(out)
    assert json.loads(pages.pop(MANIFEST_NAME))["pages"] == manifest_pages
    before.pop(MANIFEST_NAME)
    assert pages == before


def test_a_new_site_name_renders_every_site_page(
    newsroom, site_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    export_site(newsroom, out, options=OPTIONS)
    rendered = _rendered_templates(monkeypatch)
    export_site(newsroom, out, options=replace(OPTIONS, site_name="The Valley Post"))
    assert rendered.count("listing.html") == 3 and "feed.xml" in rendered
    assert "The Valley Post" in (out / "local/index.html").read_text()


def test_articles_that_leave_the_set_are_removed(newsroom, site_store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    (tmp_path / "site").mkdir()
    (out / "keep-me.txt").write_text("not ours")
    export_site(newsroom, out, options=OPTIONS)
    set_fields(newsroom, site_store["win"].id, legal_hold=True)
    report = export_site(newsroom, out, options=OPTIONS)
    assert "sport/2026/11/harriers-snatch-late-winner/index.html" in report.removed
    assert "sport/index.html" in report.removed
    assert not (out / "sport").exists()  # empty folders pruned
    assert (out / "keep-me.txt").read_text() == "not ours"  # never touch what we did not write
    assert "Harriers" not in (out / "index.html").read_text()


def test_renamed_article_moves(newsroom, site_store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    export_site(newsroom, out, options=OPTIONS)
    win = site_store["win"]
    change(newsroom, win.id, slug="late-winner")
    report = export_site(newsroom, out, options=OPTIONS)
    assert "sport/2026/11/late-winner/index.html" in report.written
    assert "sport/2026/11/harriers-snatch-late-winner/index.html" in report.removed
    assert not (out / "sport/2026/11/harriers-snatch-late-winner").exists()


def test_interrupted_export_leaves_the_previous_site(
    newsroom, site_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    export_site(newsroom, out, options=OPTIONS)
    before = tree(out)
    for key in ("flood", "win", "approved"):
        change(newsroom, site_store[key].id, body="Changed.")
    from editor.core.site import export

    real = export.render_batch
    calls = []

    def crash(jobs, config=None):
        calls.append(1)
        result = real(jobs[:1], config)  # one page staged, then the machine "dies"
        raise RuntimeError("power cut")
        return result

    monkeypatch.setattr(export, "render_batch", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        export_site(newsroom, out, options=OPTIONS)
    assert calls
    assert tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.export")] == []


def test_cancel_leaves_the_previous_site(newsroom, site_store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    export_site(newsroom, out, options=OPTIONS)
    before = tree(out)
    win = site_store["win"]
    change(newsroom, win.id, body="Changed.")
    with pytest.raises(ExportCancelled):
        export_site(newsroom, out, options=OPTIONS, is_cancelled=lambda: True)
    assert tree(out) == before


def test_selection_by_ids_and_status(newsroom, site_store, tmp_path: Path) -> None:
    out = tmp_path / "one"
    report = export_site(
        newsroom, out, selection=Selection(ids=(site_store["win"].id,)), options=OPTIONS
    )
    assert report.articles == 1
    report = export_site(newsroom, tmp_path / "st", selection=Selection(status="approved"),
                         options=OPTIONS)  # fmt: skip
    assert report.articles == 1
    assert (tmp_path / "st/local/index.html").read_text().count("Library hours extended") == 1


def test_embargo_lifts_when_its_time_comes(newsroom, site_store, tmp_path: Path) -> None:
    later = ExportOptions(now=NOW + timedelta(days=2))
    report = export_site(newsroom, tmp_path / "site", options=later)
    assert report.articles == 4
    assert any(p.startswith("business/") for p in report.written)


def test_custom_templates_override_and_fall_back(newsroom, site_store, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    base = Path(__file__).parents[2] / "editor/resources/templates/base.html"
    text = base.read_text().replace(
        '<a class="site-name"', '<p class="house-flag">Our own masthead</p>\n<a class="site-name"'
    )
    (templates / "base.html").write_text(text)
    (templates / "article.css").write_text("body { color: #123456 }")
    out = tmp_path / "site"
    export_site(newsroom, out, options=ExportOptions(templates_dir=templates, now=NOW))
    page = (out / "local/2026/11/council-approves-flood-defences/index.html").read_text()
    assert "Our own masthead" in page and "Council approves flood defences" in page
    assert (out / "assets/site.css").read_text() == "body { color: #123456 }"
    # a template change re-renders every page
    (templates / "base.html").write_text(text.replace("Our own masthead", "New masthead"))
    report = export_site(newsroom, out, options=ExportOptions(templates_dir=templates, now=NOW))
    assert sum(p.endswith("index.html") for p in report.written) == 6


def test_broken_template_is_a_clear_error(newsroom, site_store, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "article.html").write_text("{% extends 'base.html' %}{% block content %}{{ x.")
    with pytest.raises(NewsroomError, match=r"Template .*article\.html, line 1"):
        export_site(newsroom, tmp_path / "site", options=ExportOptions(templates_dir=templates))
    assert not (tmp_path / "site" / "index.html").exists()


def test_bad_targets_and_options(newsroom, site_store, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(NewsroomError, match="it is a file"):
        export_site(newsroom, blocker, options=OPTIONS)
    with pytest.raises(NewsroomError, match="not a site address"):
        export_site(newsroom, tmp_path / "s", options=ExportOptions(base_url="javascript:x"))
    with pytest.raises(NewsroomError, match="does not exist"):
        export_site(newsroom, tmp_path / "s", options=ExportOptions(templates_dir=tmp_path / "n"))


def test_pool_renders_the_same_pages(newsroom, tmp_path: Path) -> None:
    photo = add_asset(newsroom)
    for n in range(170):
        body = f"Story {n}.\n\n![](asset:{photo})" if n % 50 == 0 else f"Story {n}."
        publish(newsroom, f"Story number {n}", body, section=("Local", "Sport")[n % 2])
    pooled = export_site(newsroom, tmp_path / "a", options=ExportOptions(workers=2, now=NOW))
    inline = export_site(newsroom, tmp_path / "b", options=ExportOptions(workers=1, now=NOW))
    assert pooled.articles == inline.articles == 170
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert (tmp_path / "a" / f"assets/{photo}.png").is_file()


def test_exported_pages_are_world_readable(newsroom, site_store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    export_site(newsroom, out, options=OPTIONS)
    assert os.stat(out / "index.html").st_mode & 0o044 == 0o044


def _menu(page: str) -> list[str]:
    nav = page.split('<nav class="section-nav"', 1)
    if len(nav) == 1:
        return []
    return re.findall(r"<li><a [^>]*>([^<]*)</a></li>", nav[1].split("</nav>", 1)[0])


def test_free_text_sections_make_no_menu(newsroom, tmp_path: Path) -> None:
    """Issue 14: 399 distinct free-text sections made 399 folders and a 399-entry menu on
    every page (110 KB a page). The menu is the managed list; the others keep a folder."""
    publish(newsroom, "World story", "Text.", section="world")  # managed, another case
    publish(newsroom, "Sport story", "Text.", section="Sport")
    for n in range(397):
        publish(newsroom, f"Story {n}", "Text.", section=f"Desk number {n}")
    newsroom.settings.reorder_sections(["Sport"])
    out = tmp_path / "site"
    report = export_site(newsroom, out, options=replace(OPTIONS, workers=1))
    assert report.articles == 399
    front = (out / "index.html").read_text(encoding="utf-8")
    assert _menu(front) == ["Sport", "World"]  # managed order, managed spelling
    page = (out / "desk-number-7/2026/11/story-7/index.html").read_text(encoding="utf-8")
    assert _menu(page) == ["Sport", "World"]
    assert 'href="../../../../desk-number-7/index.html"' in page  # its own section page
    assert "Desk number 7" in (out / "desk-number-7/index.html").read_text(encoding="utf-8")
    world = (out / "world/2026/11/world-story/index.html").read_text(encoding="utf-8")
    assert '<meta property="article:section" content="World">' in world
    sizes = [p.stat().st_size for p in out.rglob("index.html")]
    assert max(sizes) < 20_000, max(sizes)
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "desk-number-7/</loc>" in sitemap
    # A retired section leaves the menu; its articles stay on the site.
    newsroom.settings.retire_section("Sport")
    export_site(newsroom, out, options=replace(OPTIONS, workers=1))
    assert _menu((out / "index.html").read_text(encoding="utf-8")) == ["World"]
    assert (out / "sport/2026/11/sport-story/index.html").is_file()


def test_sections_given_in_the_options_make_the_menu(newsroom, site_store, tmp_path) -> None:
    out = tmp_path / "site"
    export_site(newsroom, out, options=replace(OPTIONS, sections=("Sport",)))
    assert _menu((out / "index.html").read_text(encoding="utf-8")) == ["Sport"]
    assert (out / "local/index.html").is_file()  # not in the menu, still on the site
