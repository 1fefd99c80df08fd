"""Hostile input through the renderer and the preview: URLs judged as a browser reads them,
no control character on a page, links that lost their address unwrapped, and the preview's
corrections printed exactly as the export prints them. (The W3C checker runs over the same
corpus in tests/export/test_hostile.py.)"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from editor.core.errors import NewsroomError
from editor.core.model import Article, Status
from editor.core.render import (
    Correction,
    SiteContext,
    clean_text,
    normalise_base_url,
    render_article_page,
    render_body_html,
    safe_url,
)
from editor.ui.preview.render import PreviewRenderer
from tests.core.fixtures.hostile import HOSTILE_VECTORS
from tests.core.fixtures.hostile.checks import FORBIDDEN, html_problems
from tests.core.test_render import XSS_VECTORS

OBFUSCATED = [
    "java\tscript:__xss()",
    "jav&#x09;ascript:__xss()",
    "jav&#9;ascript:__xss()",
    "java&NewLine;script:__xss()",
    "\x01javascript:__xss()",
    "&#x01;javascript:__xss()",
    " javascript:__xss()",
    "\x00javascript:__xss()",
    "JaVaScRiPt:__xss()",
    "&#106;avascript:__xss()",
    "&amp;#106;avascript:__xss()",
    "javascript&colon;__xss()",
    "vbscript:__xss()",
    "data:text/html,<script>__xss()</script>",
    "java script:__xss()",
    "http:evil.example",
    "https://ok.example@evil.example/",
]


@pytest.mark.parametrize("url", OBFUSCATED)
def test_urls_with_a_scheme_off_the_list_are_dropped(url: str) -> None:
    assert safe_url(url) is None
    for markup in (f'<a href="{url}" target="_blank">x</a>', f'<img src="{url}" alt="y">'):
        html = render_body_html(markup)
        assert "<a" not in html and "<img" not in html, html
    html = render_body_html(f"[x]({url.replace(' ', '%20')}) ![y]({url})")
    assert html_problems(html) == []


def test_allowed_urls_are_kept_and_written_as_valid_urls() -> None:
    assert safe_url("https://ok.example/a b\"c'd") == "https://ok.example/a%20b%22c%27d"
    assert safe_url("tel:+1 555 0100") == "tel:+1%20555%200100"
    assert safe_url("mailto:a@example.org?subject=<x>") == "mailto:a@example.org?subject=%3Cx%3E"
    assert safe_url("#a#b") == "#a%23b"
    assert safe_url("../x.png") == "../x.png"
    assert safe_url("\\\\evil.example/x") == "%5C%5Cevil.example/x"
    assert safe_url("asset:abc") is None and safe_url("asset:abc", asset=True) == "asset:abc"
    html = render_body_html("[call](tel:+1-555) <img src='a\"b.png' alt='q'>")
    assert '<a href="tel:+1-555" rel="noopener noreferrer">call</a>' in html
    assert '<img src="a%22b.png" alt="q"' in html


def test_a_link_that_lost_its_address_is_unwrapped() -> None:
    for markup in ('<a target="_blank" rel="opener">word</a>', '<a href="asset:abc">word</a>'):
        assert render_body_html(markup) == "<p>word</p>"
    nested = '<a href="https://a.example/"><table><tr><td><a href="https://b.example/">n</a>'
    assert html_problems(render_body_html(nested)) == []
    assert render_body_html("<li>orphan</li>") == "orphan"


def test_control_characters_never_reach_a_page() -> None:
    assert clean_text("a\x00b\x01c\x0bd\x7fe\x85f\ufffeg\U0001ffffh\t\n") == "abc defgh\t\n"
    vector = "Sec\x01tion \x02\x1b[31m\ufdd0"
    article = Article(
        id="c1",
        headline=vector,
        standfirst=vector,
        byline=vector,
        section=vector,
        tags=[vector],
        dateline=vector,
        body=f"{vector}\n\n[x](https://ok.example/\x01)",
    )
    site = SiteContext(site_name=vector, sections=((vector, "sec/"),), base_url="https://n.ex/")
    fix = Correction(datetime(2026, 12, 3, tzinfo=UTC), vector)
    for page in (
        render_article_page(article, preview=True, corrections=[fix]),
        render_article_page(article, site=site, corrections=[fix]),
    ):
        assert not FORBIDDEN.search(page)
        assert "Section" in page


def test_a_site_address_must_be_a_plain_http_url() -> None:
    assert normalise_base_url("https://news.example") == "https://news.example/"
    for bad in ("https://a\x01b/", "javascript:x", "https://a b/", "https://u@news.example/"):
        with pytest.raises(NewsroomError):
            normalise_base_url(bad)


@pytest.mark.parametrize("vector", HOSTILE_VECTORS + XSS_VECTORS)
def test_hostile_vector_in_every_field_leaves_the_page_inert(vector: str) -> None:
    article = Article(
        id="h1",
        headline=vector,
        standfirst=vector,
        byline=vector,
        section=vector,
        tags=[vector, "safe"],
        dateline=vector,
        body=f"Before.\n\n{vector}\n\nInline {vector} text.",
    )
    fix = Correction(datetime(2026, 12, 3, tzinfo=UTC), vector)
    site = SiteContext(
        root="../../../../",
        base_url="https://news.example/",
        path="x/2026/11/y/",
        site_name=vector,
        sections=((vector, "x/"),),
        section_path="x/",
    )
    for page in (
        render_article_page(article, preview=True, corrections=[fix]),
        render_article_page(article, site=site, corrections=[fix]),
    ):
        assert html_problems(page) == []


def _corrections_section(page: str) -> str:
    match = re.search(r'<section class="corrections".*?</section>', page, re.DOTALL)
    return match.group() if match else ""


def test_the_preview_prints_corrections_as_the_export_does(tmp_path) -> None:
    article = Article(
        id="fix1", headline="Fixed story", body="Text.", status=Status.CORRECTED, section="Local"
    )
    fixes = [
        Correction(datetime(2026, 12, 3, 10, tzinfo=UTC), "The date was wrong."),
        Correction(datetime(2026, 12, 4, 10, tzinfo=UTC), "A name was misspelt <b>x</b>."),
    ]
    exported = render_article_page(article, corrections=fixes, site=SiteContext())
    expected = _corrections_section(exported)
    assert "The date was wrong." in expected and "&lt;b&gt;" in expected

    renderer = PreviewRenderer()
    reads: list[str] = []
    renderer.set_corrections(lambda article_id: reads.append(article_id) or fixes)
    load = renderer.full(article)
    assert _corrections_section(load.page_html) == expected
    # The patches between full loads keep the same foot, without reading the store again.
    patch = renderer.update(replace_body(article, "Text.\n\nMore."))
    assert patch.header_page is None or _corrections_section(patch.header_page) == expected
    assert reads == ["fix1"]

    bare = PreviewRenderer()
    assert _corrections_section(bare.full(article).page_html) == ""


def replace_body(article: Article, body: str) -> Article:
    from dataclasses import replace

    return replace(article, body=body)
