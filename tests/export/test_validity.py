"""Every exported page is valid HTML (W3C Nu checker), accessible (axe-core, in Qt WebEngine)
and inert: XSS vectors in the body and every metadata field never run in a real browser.

The tools come from `npm ci` (package.json): `make test` and `.ci/run` install them. The
tests skip, saying why, only when java (for the Nu checker) is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from editor.core.model import Article, Status
from editor.core.render import render_article_page
from editor.core.site import ExportOptions, export_site
from tests.core.test_render import XSS_VECTORS
from tests.export.conftest import NOW, add_asset, add_correction, publish

ROOT = Path(__file__).parents[2]
VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
AXE = ROOT / "node_modules/axe-core/axe.min.js"
RUNNER = Path(__file__).with_name("browser_runner.py")
SAMPLES = ROOT / "editor/resources/samples"


def require_tools() -> None:
    if shutil.which("java") is None:
        pytest.skip("java is not installed: the W3C Nu HTML checker needs it")
    if not VNU.is_file() or not AXE.is_file():
        pytest.fail("node_modules is missing vnu-jar or axe-core: run `npm ci` (make test does)")


def vnu_errors(paths: list[Path]) -> str:
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "text", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = (result.stderr + result.stdout).strip()
    return "" if output == "Document checking completed. No errors found." else output


def browser(paths: list[Path], axe: bool) -> dict[str, dict]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox"
    command = [sys.executable, str(RUNNER)]
    if axe:
        command += ["--axe", str(AXE)]
    result = subprocess.run(
        [*command, *map(str, paths)], capture_output=True, text=True, timeout=600, env=env
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def sample_site(newsroom, tmp_path: Path) -> Path:
    """The shipped samples plus pictures, a correction and a table, exported as a site."""
    photo = add_asset(newsroom)
    for n, path in enumerate(sorted(SAMPLES.glob("*.md"))):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        fields = dict(line.split(": ", 1) for line in front.strip().splitlines())
        article = publish(
            newsroom,
            fields["title"],
            body + f"\n\n![]( asset:{photo})\n\n| Year | Cost |\n|:--|--:|\n| 2027 | £4m |\n",
            standfirst=fields["description"],
            byline=fields["author"],
            section=fields["section"],
            tags=[t.strip() for t in fields["tags"].strip("[]").split(",")],
            dateline=fields["dateline"],
            featured_asset_id=photo if n == 0 else None,
        )
        if n == 1:
            add_correction(newsroom, article.id, "An earlier version misnamed the club.", NOW)
    out = tmp_path / "site"
    options = ExportOptions(base_url="https://news.example/", site_name="The Post", now=NOW)
    export_site(newsroom, out, options=options)
    return out


def test_checkers_are_not_vacuous(tmp_path: Path) -> None:
    """The tools do find errors, violations and running script when there are some."""
    require_tools()
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><title>x</title><img src=x onerror=__xss()><p><div></p>")
    assert "error" in vnu_errors([bad]).lower()
    result = browser([bad], axe=True)[str(bad)]
    assert result["fired"] >= 1
    assert {"image-alt", "html-has-lang"} <= {v["id"] for v in result["axe"]}


def test_exported_site_is_valid_and_accessible(newsroom, tmp_path: Path) -> None:
    require_tools()
    out = sample_site(newsroom, tmp_path)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 3 + 1 + 3  # articles, front page, sections
    assert vnu_errors(pages) == ""
    results = browser(pages, axe=True)
    for path, result in results.items():
        assert result["loaded"], path
        assert result["axe"] == [], (path, result["axe"])
        assert result["fired"] == 0 and result["bad_urls"] == [] and result["handlers"] == []


def test_preview_page_with_inlined_image_is_valid_and_accessible(tmp_path: Path) -> None:
    require_tools()
    from editor.core.render import ResolvedAsset

    pixel = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
    pixel += "/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
    page = render_article_page(
        Article(
            id="p",
            headline="A draft with a picture",
            body="Text.\n\n![](asset:p1)\n\nMore.",
            status=Status.DRAFT,
            featured_asset_id="p1",
        ),
        preview=True,
        resolver=lambda _id: ResolvedAsset(pixel, "A dot", "Caption", "Credit", 1, 1),
    )
    path = tmp_path / "preview.html"
    path.write_text(page, encoding="utf-8")
    assert vnu_errors([path]) == ""
    result = browser([path], axe=True)[str(path)]
    assert result["axe"] == [] and result["fired"] == 0 and result["bad_urls"] == []


def test_xss_vectors_never_run_in_a_browser(newsroom, tmp_path: Path) -> None:
    """Each vector in the body and in every metadata field, exported, loaded in Chromium."""
    require_tools()
    photo = add_asset(
        newsroom,
        alt="<img src=x onerror=__xss()>",
        caption="<script>__xss()</script>",
        credit='"><svg onload=__xss()>',
    )
    for n, vector in enumerate(XSS_VECTORS):
        article = publish(
            newsroom,
            f"{n} {vector}",
            f"Before.\n\n{vector}\n\nInline {vector} text.\n\n![]( asset:{photo})",
            standfirst=vector,
            byline=vector,
            section=("Local", vector)[n % 2],
            tags=[vector, "safe"],
            dateline=vector,
            featured_asset_id=photo,
        )
        add_correction(newsroom, article.id, vector, NOW)
    out = tmp_path / "site"
    report = export_site(newsroom, out, options=ExportOptions(now=NOW))
    assert report.articles == len(XSS_VECTORS)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > len(XSS_VECTORS)
    results = browser(pages, axe=False)
    fired = {p: r for p, r in results.items() if r["fired"] or r["bad_urls"] or r["handlers"]}
    assert fired == {}
    assert all(r["loaded"] for r in results.values())
    scripts = {tuple(r["scripts"]) for r in results.values()}
    assert scripts <= {(), ("application/ld+json",)}
