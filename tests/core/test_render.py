"""The renderer: Markdown dialect, H1 demotion, dateline, metadata escaping and XSS hardening."""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from editor.core.model import Article, Status
from editor.core.render import (
    MARKDOWN_EXTENSIONS,
    clean_text,
    format_ap_datetime,
    render_article_page,
    render_body_html,
)
from editor.core.resources import read_resource_text, resource

SAMPLES = Path(str(resource("samples")))


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parents: tuple[str, ...]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parents = parents
        self.text = ""


class TreeParser(HTMLParser):
    """Every start tag with its attributes, its open ancestors and its direct text."""

    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), tuple(e.tag for e in self.stack))
        self.elements.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.stack[-1].text += data


def parse(html: str) -> list[Element]:
    parser = TreeParser()
    parser.feed(html)
    parser.close()
    return parser.elements


def tags(html: str) -> list[str]:
    return [element.tag for element in parse(html)]


def text_of(html: str, tag: str) -> list[str]:
    return [" ".join(e.text.split()) for e in parse(html) if e.tag == tag]


def make_article(**fields: object) -> Article:
    values: dict[str, object] = {
        "id": "a1",
        "headline": "Council approves flood defences",
        "standfirst": "A six-year plan for riverside homes.",
        "byline": "Jane Doe",
        "section": "Local",
        "tags": ["flooding", "council"],
        "dateline": "YORK",
        "body": "First paragraph.\n\nSecond paragraph.",
        "created_at": datetime(2026, 11, 20, 9, 5, tzinfo=UTC),
        "updated_at": datetime(2026, 11, 20, 9, 5, tzinfo=UTC),
    }
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


# -- the Markdown dialect ---------------------------------------------------------------------


def test_dialect_is_documented_and_excludes_attribute_injection() -> None:
    assert MARKDOWN_EXTENSIONS == ["tables", "fenced_code", "footnotes", "sane_lists"]
    assert "attr_list" not in MARKDOWN_EXTENSIONS
    assert "extra" not in MARKDOWN_EXTENSIONS
    html = render_body_html('A paragraph {: onclick="alert(1)" }\n\n## Sub {: #x }')
    assert not any(e.attrs for e in parse(html))


def test_headings_lists_quotes_links_and_emphasis() -> None:
    html = render_body_html(
        "## Subhead\n\n### Smaller\n\nSome **bold**, *italic* and `code`.\n\n"
        "- one\n- two\n\n3. three\n4. four\n\n> A pull quote.\n\n"
        'See [the plan](https://example.org/plan "Plan").\n\n---\n'
    )
    found = tags(html)
    for tag in ("h2", "h3", "strong", "em", "code", "ul", "ol", "li", "blockquote", "a", "hr"):
        assert tag in found, tag
    ordered = next(e for e in parse(html) if e.tag == "ol")
    assert ordered.attrs == {"start": "3"}
    link = next(e for e in parse(html) if e.tag == "a")
    assert link.attrs["href"] == "https://example.org/plan"
    assert link.attrs["title"] == "Plan"
    assert link.attrs["rel"] == "noopener noreferrer"


def test_tables_keep_alignment_as_classes_not_styles() -> None:
    html = render_body_html("| Team | Pts |\n|:--|--:|\n| Harriers | 38 |\n")
    cells = [e for e in parse(html) if e.tag in ("th", "td")]
    assert [c.attrs.get("class") for c in cells] == [
        "align-left",
        "align-right",
        "align-left",
        "align-right",
    ]
    assert "style" not in html
    assert {"table", "thead", "tbody", "tr"} <= set(tags(html))


def test_fenced_code_and_footnotes() -> None:
    html = render_body_html("```python\nx = 1 < 2\n```\n\nA claim.[^1]\n\n[^1]: The source.\n")
    code = next(e for e in parse(html) if e.tag == "code")
    assert code.attrs == {"class": "language-python"}
    assert "x = 1 &lt; 2" in html
    sup = next(e for e in parse(html) if e.tag == "sup")
    assert sup.attrs == {"id": "fnref:1"}
    note = next(e for e in parse(html) if e.tag == "li")
    assert note.attrs == {"id": "fn:1"}
    assert any(e.attrs.get("class") == "footnote" for e in parse(html) if e.tag == "div")


def test_smart_typography_is_not_applied() -> None:
    html = render_body_html('"Quoted" -- as typed...')
    assert "&quot;Quoted&quot; -- as typed..." in html or '"Quoted" -- as typed...' in html


@pytest.mark.parametrize(
    "source",
    [
        "# Big heading\n\nText.",
        "Big heading\n===========\n\nText.",
        "<h1>Big heading</h1>\n\nText.",
    ],
)
def test_body_h1_is_demoted_to_h2(source: str) -> None:
    html = render_body_html(source)
    assert "h1" not in tags(html)
    assert text_of(html, "h2") == ["Big heading"]
    page = render_article_page(make_article(body=source))
    assert tags(page).count("h1") == 1
    assert text_of(page, "h1") == ["Council approves flood defences"]


def test_authors_cannot_inject_classes_or_ids() -> None:
    html = render_body_html(
        '<p class="preview-banner" id="main">x</p> <a class="evil footnote-ref" href="/a">y</a>'
        '<code class="language-js x">z</code> <li id="fn:1 onclick">w</li>'
    )
    elements = parse(html)
    assert all("id" not in e.attrs for e in elements)
    anchor = next(e for e in elements if e.tag == "a")
    assert anchor.attrs["class"] == "footnote-ref"
    code = next(e for e in elements if e.tag == "code")
    assert code.attrs["class"] == "language-js"
    assert not any(e.attrs.get("class") == "preview-banner" for e in elements)


def test_allowed_url_forms_survive() -> None:
    html = render_body_html(
        "[a](https://example.org) [b](http://example.org) [c](mailto:desk@example.org) "
        '[d](/world/story) [e](../up.html) [f](#notes) ![Alt text](images/photo.jpg "Caption")'
    )
    hrefs = [e.attrs["href"] for e in parse(html) if e.tag == "a"]
    assert hrefs == [
        "https://example.org",
        "http://example.org",
        "mailto:desk@example.org",
        "/world/story",
        "../up.html",
        "#notes",
    ]
    image = next(e for e in parse(html) if e.tag == "img")
    assert image.attrs["src"] == "images/photo.jpg"
    assert image.attrs["alt"] == "Alt text"
    assert image.attrs["title"] == "Caption"


def test_empty_body_renders_nothing() -> None:
    assert render_body_html("") == ""


def test_render_is_thread_safe() -> None:
    sources = [
        f"## Part {n}\n\n"
        + "\n\n".join(f"Para {n}.{i}[^{i}]" for i in range(20))
        + "\n\n"
        + "\n".join(f"[^{i}]: Note {i}" for i in range(20))
        for n in range(8)
    ]
    expected = [render_body_html(source) for source in sources]
    results: dict[int, list[str]] = {}

    def work(n: int) -> None:
        results[n] = [render_body_html(sources[n]) for _ in range(25)]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for n in range(8):
        assert set(results[n]) == {expected[n]}


# -- the page -----------------------------------------------------------------------------------


def test_page_structure_is_a_standalone_html5_document() -> None:
    page = render_article_page(make_article())
    assert page.startswith("<!DOCTYPE html>")
    elements = parse(page)
    html_element = next(e for e in elements if e.tag == "html")
    assert html_element.attrs == {"lang": "en"}
    found = [e.tag for e in elements]
    for landmark in ("main", "article", "header", "h1", "time"):
        assert found.count(landmark) == 1, landmark
    assert found.count("style") == 1
    assert "link" not in found
    scripts = [e for e in elements if e.tag == "script"]
    assert [s.attrs for s in scripts] == [{"type": "application/ld+json"}]
    metas = [e.attrs for e in elements if e.tag == "meta"]
    assert {"charset": "utf-8"} in metas
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in metas
    assert {"name": "description", "content": "A six-year plan for riverside homes."} in metas
    assert not any(m.get("name") == "robots" for m in metas)
    assert text_of(page, "title") == ["Council approves flood defences"]
    assert read_resource_text("css", "article.css").strip()[:40] in page


def test_page_prints_kicker_byline_time_and_tags() -> None:
    article = make_article(updated_at=datetime(2026, 11, 20, 14, 30, tzinfo=UTC))
    page = render_article_page(article)
    elements = parse(page)
    kicker = next(e for e in elements if e.attrs.get("class") == "kicker")
    assert kicker.text == "Local"
    assert text_of(page, "span")[0] == "By Jane Doe"
    time = next(e for e in elements if e.tag == "time")
    assert time.attrs["datetime"] == "2026-11-20T14:30:00+00:00"
    assert time.text == "Nov. 20, 2026, 2:30 p.m. UTC"
    assert "Updated" in page
    assert text_of(page, "li") == ["flooding", "council"]


def test_byline_is_not_doubled_and_time_is_omitted_without_dates() -> None:
    page = render_article_page(
        make_article(byline="By Jo Bloggs", created_at=None, updated_at=None)
    )
    assert "By By" not in page
    assert "By Jo Bloggs" in page
    assert "time" not in tags(page)


def test_ap_datetime_converts_to_utc() -> None:
    plus_two = datetime(2026, 9, 3, 2, 15, tzinfo=timezone(timedelta(hours=2)))
    assert format_ap_datetime(plus_two) == "Sept. 3, 2026, 12:15 a.m. UTC"
    assert format_ap_datetime(datetime(2026, 3, 1, 12, 0)) == "March 1, 2026, 12:00 p.m. UTC"


@pytest.mark.parametrize(
    ("dateline", "printed"),
    [
        ("MOSCOW", "MOSCOW —"),
        ("  york ", "york —"),
        ("LONDON (Reuters)", "LONDON (Reuters) —"),
        ("LONDON (Reuters) -", "LONDON (Reuters) -"),
        ("MOSCOW, September 15. /TASS/.", "MOSCOW, September 15. /TASS/."),
    ],
)
def test_dateline_leads_the_first_paragraph(dateline: str, printed: str) -> None:
    page = render_article_page(make_article(dateline=dateline))
    elements = parse(page)
    lead = next(e for e in elements if e.attrs.get("class") == "dateline")
    assert lead.text == printed
    assert lead.parents[-1] == "p"
    body = page.split('<div class="story-body" id="article-body">', 1)[1]
    first_paragraph = parse(body)[0]
    assert first_paragraph.tag == "p"
    assert first_paragraph.text.strip() == "First paragraph."


def test_dateline_before_a_body_that_opens_with_a_heading() -> None:
    page = render_article_page(make_article(body="## Sub\n\nText."))
    assert re.search(r'<p class="dateline-alone"><span class="dateline">YORK —</span>', page)


def test_no_dateline_no_lead_in() -> None:
    page = render_article_page(make_article(dateline=""))
    assert 'class="dateline"' not in page


def test_empty_headline_renders_untitled_in_muted_style() -> None:
    page = render_article_page(make_article(headline="   "))
    heading = next(e for e in parse(page) if e.tag == "h1")
    assert heading.text == "Untitled"
    assert "headline-untitled" in heading.attrs["class"]
    assert text_of(page, "title") == ["Untitled"]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED])
def test_preview_of_unapproved_article_is_noindex_with_banner(status: Status) -> None:
    page = render_article_page(make_article(status=status), preview=True)
    metas = [e.attrs for e in parse(page) if e.tag == "meta"]
    assert {"name": "robots", "content": "noindex"} in metas
    assert "not for publication" in page
    banner = next(e for e in parse(page) if e.attrs.get("class") == "preview-banner")
    assert "main" in banner.parents


@pytest.mark.parametrize("status", [Status.APPROVED, Status.PUBLISHED, Status.CORRECTED])
def test_preview_of_approved_article_has_no_banner(status: Status) -> None:
    page = render_article_page(make_article(status=status), preview=True)
    assert "noindex" in page
    assert "not for publication" not in page


def test_export_page_has_no_banner_even_for_a_draft() -> None:
    page = render_article_page(make_article(status=Status.DRAFT))
    assert "not for publication" not in page and "noindex" not in page


def test_metadata_is_escaped_text() -> None:
    hostile = 'Tom & Jerry <b>"bold"</b>'
    article = make_article(
        headline=hostile, standfirst=hostile, byline=hostile, section=hostile, tags=[hostile]
    )
    page = render_article_page(article)
    assert "<b>" not in page
    assert text_of(page, "h1") == [hostile]
    assert text_of(page, "title") == [hostile]
    description = next(e for e in parse(page) if e.attrs.get("name") == "description")
    assert description.attrs["content"] == hostile


def test_custom_css_is_inlined_and_cannot_close_the_style_element() -> None:
    page = render_article_page(
        make_article(), css="body { color: red }</style><script>alert(1)</script>"
    )
    assert "body { color: red }" in page
    assert "<\\/style><script>alert(1)<\\/script>" in page
    assert tags(page).count("script") == 1  # the JSON-LD only
    assert tags(page).count("style") == 1


# -- XSS ----------------------------------------------------------------------------------------

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<img src=JaVaScRiPt:alert(1)>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;"
    "&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74"
    "&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2Zy8+)",
    "[x](vbscript:msgbox(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="#" onclick="alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="https://evil.example"><input name=q>'
    "<button formaction=javascript:alert(1)>go</button></form>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<base href="javascript:alert(1)//">',
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    '"><script>alert(1)</script>',
    "</title><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<template><script>alert(1)</script></template>",
    "<x onclick=alert(1)>custom</x>",
]

#: More vectors: Markdown-specific forms, entity and whitespace obfuscation, SVG and MathML,
#: mutation XSS, CSS and legacy attributes. Each calls alert() or __xss(), which the browser
#: test traps.
XSS_VECTORS += [
    # Markdown links and images
    "[x](javascript:__xss())",
    "[x]( javascript:__xss() )",
    "[x](javascript&#58;__xss())",
    "[x](javascript&colon;__xss())",
    "[x](java%0ascript:__xss())",
    "[x](\\javascript:__xss())",
    "[x](javascript://%0a__xss())",
    "[x](javascript:/*--></title></style></textarea></script><svg/onload=__xss()>)",
    "[x](JAVASCRIPT:__xss())",
    "[x](&#x6A;avascript:__xss())",
    "[x](&#0000106avascript:__xss())",
    "[x](data:text/html,<script>__xss()</script>)",
    "[x](DATA:text/html;base64,PHNjcmlwdD5fX3hzcygpPC9zY3JpcHQ+)",
    '[x](javascript:__xss() "title")',
    '[x](https://ok.example "a\\" onmouseover=\\"__xss()")',
    '[x](https://ok.example" onmouseover="__xss())',
    "[x](https://ok.example'onmouseover='__xss())",
    "![x](javascript:__xss())",
    "![x](JaVaScRiPt:__xss())",
    '![x"onerror="__xss()](x.png)',
    '![x](x.png"onerror="__xss())',
    '![x](x.png "t\\" onerror=\\"__xss()")',
    "![x](data:text/html,<script>__xss()</script>)",
    "![x](data:image/svg+xml,<svg onload=__xss()>)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](asset:../../etc/passwd)",
    '![x](asset:x" onerror="__xss())',
    "[x](asset:abc)",
    "[![x](javascript:__xss())](javascript:__xss())",
    "[x][r]\n\n[r]: javascript:__xss()",
    '[x][r]\n\n[r]: javascript:__xss() "t"',
    "[x][r]\n\n[r]: <javascript:__xss()>",
    "![x][r]\n\n[r]: javascript:__xss()",
    "[r]\n\n[r]: data:text/html,<script>__xss()</script>",
    "<javascript:__xss()>",
    "<JAVASCRIPT:__xss()>",
    "<data:text/html,<script>__xss()</script>>",
    "<mailto:x@example.org?body=<script>__xss()</script>>",
    '<https://ok.example/"onmouseover="__xss()>',
    "`<script>__xss()</script>`",
    "```html\n<script>__xss()</script>\n```",
    "    <script>__xss()</script>",
    "> <script>__xss()</script>",
    "- <img src=x onerror=__xss()>",
    "| a |\n|---|\n| <img src=x onerror=__xss()> |",
    "Text[^1]\n\n[^1]: <script>__xss()</script>",
    'Text[^x"onclick="__xss()]\n\n[^x"onclick="__xss()]: note',
    "## <img src=x onerror=__xss()>",
    "# Head {: onclick=__xss() }",
    "**<img src=x onerror=__xss()>**",
    "*[x](javascript:__xss())*",
    "<div markdown=1>[x](javascript:__xss())</div>",
    "<span onclick=__xss()>*x*</span>",
    # raw HTML: event handlers and URL attributes
    "<img src=x onerror=__xss()//",
    '<img src=x onerror="__xss()"/>',
    "<img src=`x` onerror=__xss()>",
    "<img src=x:__xss() onerror=eval(src)>",
    "<img/src=x/onerror=__xss()>",
    "<img src=x\tonerror=__xss()>",
    "<img src=x\nonerror=__xss()>",
    "<img src=x onerror=&#95;&#95;xss()>",
    '<img srcset="x 1x" onerror=__xss()>',
    '<img src="x" alt="" onload=__xss()>',
    "<image src=x onerror=__xss()>",
    '<a href="javas&#99;ript:__xss()">x</a>',
    '<a href="javascript&#x3A;__xss()">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:__xss()">x</a>',
    '<a href="java\nscript:__xss()">x</a>',
    '<a href="java\0script:__xss()">x</a>',
    '<a href="\x01javascript:__xss()">x</a>',
    "<a href=javascript:__xss()>x</a>",
    "<a href='vbscript:__xss()'>x</a>",
    '<a href="livescript:__xss()">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5fX3hzcygpPC9zY3JpcHQ+">x</a>',
    '<a href="https://ok.example" onfocus=__xss() autofocus>x</a>',
    '<a href="https://ok.example" style="position:fixed;inset:0">x</a>',
    '<a xlink:href="javascript:__xss()">x</a>',
    '<a href="#" target=_blank formaction=javascript:__xss()>x</a>',
    '<blockquote cite="javascript:__xss()">q</blockquote>',
    "<q cite=javascript:__xss()>q</q>",
    "<del cite=javascript:__xss()>d</del>",
    '<table background="javascript:__xss()"><tr><td>x</td></tr></table>',
    "<td background=javascript:__xss()>x</td>",
    '<div style="width:expression(__xss())">x</div>',
    "<p style=\"background-image:url('javascript:__xss()')\">x</p>",
    "<abbr title=x onmouseover=__xss()>x</abbr>",
    "<body onpageshow=__xss()>",
    "<marquee onstart=__xss()>x</marquee>",
    "<input autofocus onfocus=__xss()>",
    "<select autofocus onfocus=__xss()>",
    "<textarea autofocus onfocus=__xss()>",
    "<keygen autofocus onfocus=__xss()>",
    "<audio src=x onerror=__xss()>",
    "<video poster=javascript:__xss()>",
    '<object type=text/html data="data:text/html,<script>__xss()</script>"></object>',
    "<applet code=x>",
    "<frameset onload=__xss()>",
    "<isindex action=javascript:__xss() type=image>",
    "<form><button formaction=javascript:__xss()>x</button></form>",
    '<meta charset="x-imap4-modified-utf7">&ADz&AGn&AG0&AEf&ACA&AHM&AHI&AGO&AD0&AGn&ACA',
    '<meta http-equiv="refresh" content="0; url=data:text/html,<script>__xss()</script>">',
    '<link rel=import href="data:text/html,<script>__xss()</script>">',
    '<base href="//evil.example/">',
    '<iframe src="javascript:__xss()"></iframe>',
    '<embed src="data:image/svg+xml,<svg onload=__xss()>">',
    "<portal src=javascript:__xss()>",
    "<script src=data:,__xss()></script>",
    "<script>/*</script><img src=x onerror=__xss()>*/</script>",
    # SVG and MathML
    '<svg><a xlink:href="javascript:__xss()"><text x=20 y=20>x</text></a></svg>',
    "<svg><animate onbegin=__xss() attributeName=x dur=1s>",
    "<svg><set attributeName=onmouseover to=__xss()>",
    "<svg><use href=\"data:image/svg+xml,<svg id='x' onload='__xss()'/>#x\"/></svg>",
    "<svg><foreignObject><img src=x onerror=__xss()></foreignObject></svg>",
    "<svg><style><img src=x onerror=__xss()></style></svg>",
    "<svg/onload=__xss()>",
    "<math><a xlink:href=javascript:__xss()>x</a></math>",
    "<math><maction actiontype=statusline xlink:href=javascript:__xss()>x</maction></math>",
    '<math><mi//xlink:href="data:x,<script>__xss()</script>">',
    "<math><style><img src=x onerror=__xss()></style></math>",
    # mutation XSS and parser confusion
    '<noscript><p title="</noscript><img src=x onerror=__xss()>">',
    '<svg></p><style><a id="</style><img src=1 onerror=__xss()>">',
    '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><textarea><path id="</textarea>'
    '<img onerror=__xss() src=1>"></textarea></mtext></svg></mglyph></h1></mtext></math>',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=__xss()>",
    "<listing>&lt;img src=1 onerror=__xss()&gt;</listing>",
    "<xmp><img src=x onerror=__xss()></xmp>",
    "<plaintext><img src=x onerror=__xss()>",
    "<title><img src=x onerror=__xss()></title>",
    "<textarea><img src=x onerror=__xss()></textarea>",
    "<![CDATA[<img src=x onerror=__xss()>]]>",
    "<!--><img src=x onerror=__xss()>-->",
    "<!-- --!><img src=x onerror=__xss()>-->",
    '<?xml version="1.0"?><img src=x onerror=__xss()>',
    "<%<!--'%><script>__xss();</script -->",
    "<<script>__xss();//<</script>",
    "<scr<script>ipt>__xss()</scr</script>ipt>",
    '<img """><script>__xss()</script>">',
    '<IMG """><SCRIPT>__xss()</SCRIPT>">',
    "<div id=\"x\"></div><style>@import 'javascript:__xss()';</style>",
    "\u2028<script>__xss()</script>\u2029",
    "</script><script>__xss()</script>",
    "<//script>__xss()",
    "<sCrIpT/x>__xss()</ScRiPt>",
    '<script\x20type="text/javascript">__xss();</script>',
    '<script\x0dtype="text/javascript">__xss();</script>',
    '<script\x2ftype="text/javascript">__xss();</script>',
    "<custom-el onclick=__xss()>x</custom-el>",
    "<details ontoggle=__xss() open>x</details>",
    "<dialog open onclose=__xss()>x</dialog>",
    "<picture><source srcset=x onerror=__xss()><img src=x></picture>",
    "<img src=x onerror=__xss() id=article-body>",
    "<a id=article-body href=#>x</a><p class=preview-banner>fake</p>",
]

DANGEROUS_TAGS = {
    *("script", "style", "iframe", "frame", "frameset", "object", "embed", "applet"),
    *("form", "input", "button", "textarea", "select", "meta", "link", "base", "svg"),
    *("math", "template", "noscript", "video", "audio", "source", "details", "x"),
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "cite", "poster", "background"}
DANGEROUS_ATTRIBUTES = {"style", "srcdoc", "formaction", "action", "http-equiv", "xlink:href"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


def assert_harmless(elements: list[Element]) -> None:
    for element in elements:
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name)
            assert name not in DANGEROUS_ATTRIBUTES, (element.tag, name)
            if name in URL_ATTRIBUTES and value:
                squeezed = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
                assert not squeezed.startswith(DANGEROUS_SCHEMES), (element.tag, value)


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_in_body_is_neutralised(vector: str) -> None:
    body = render_body_html(f"Before.\n\n{vector}\n\nAfter {vector} inline.")
    elements = parse(body)
    assert not DANGEROUS_TAGS & {e.tag for e in elements}, body
    assert_harmless(elements)
    assert "<!--" not in body

    page = render_article_page(make_article(body=vector))
    assert_page_is_harmless(page)


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_in_metadata_is_neutralised(vector: str) -> None:
    article = make_article(
        headline=vector,
        standfirst=vector,
        byline=vector,
        section=vector,
        dateline=vector,
        tags=[vector, "safe"],
    )
    page = render_article_page(article, preview=True)
    assert_page_is_harmless(page)
    # The words stay, but not the control characters (no page may hold those).
    assert text_of(page, "h1") == [" ".join(clean_text(vector).split())]


def assert_page_is_harmless(page: str) -> None:
    elements = parse(page)
    head_only = {"meta", "style", "title", "link", "script"}
    for element in elements:
        if element.tag in head_only:
            assert element.parents == ("html", "head"), element.tag
        elif element.tag in DANGEROUS_TAGS:
            pytest.fail(f"<{element.tag}> in page")
    found = [e.tag for e in elements]
    assert found.count("style") + found.count("link") >= 1
    assert found.count("title") == 1
    assert found.count("h1") == 1
    scripts = [e for e in elements if e.tag == "script"]
    assert [s.attrs for s in scripts] == [{"type": "application/ld+json"}]
    data = json.loads(scripts[0].text)  # still valid JSON: nothing closed the script early
    assert data["@type"] == "NewsArticle"
    assert "<" not in scripts[0].text and ">" not in scripts[0].text
    for link in (e.attrs for e in elements if e.tag == "link"):
        assert link.get("rel") in {"stylesheet", "canonical", "alternate"}, link
    allowed_meta_names = {"viewport", "robots", "description", "keywords", "author", "generator"}
    allowed_meta_names |= {"twitter:card", "twitter:title", "twitter:description", "twitter:image"}
    for meta in (e.attrs for e in elements if e.tag == "meta"):
        assert set(meta) in ({"charset"}, {"name", "content"}, {"property", "content"}), meta
        if "name" in meta:
            assert meta["name"] in allowed_meta_names
        if "property" in meta:
            assert meta["property"].startswith(("og:", "article:")), meta
    assert_harmless([e for e in elements if e.tag != "meta"])


# -- samples ------------------------------------------------------------------------------------

FRONT_MATTER_KEYS = ["title", "description", "author", "section", "tags", "dateline", "date"]


def read_sample(path: Path) -> tuple[dict[str, str], str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    fields = dict(line.split(": ", 1) for line in front.strip().splitlines())
    return fields, body


def test_wire_sample_is_shipped_unchanged() -> None:
    shipped = SAMPLES / "wire-putin-kim-limousine.txt"
    original = Path("/work/shared/samples/wire-putin-kim-limousine.txt")
    if original.exists():
        assert shipped.read_bytes() == original.read_bytes()
    assert "Aurus" in shipped.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.md")), ids=lambda p: p.name)
def test_markdown_samples_have_front_matter_and_render(path: Path) -> None:
    fields, body = read_sample(path)
    assert list(fields) == FRONT_MATTER_KEYS
    assert re.fullmatch(r"\[[^\[\]]+\]", fields["tags"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields["date"])
    assert 400 <= len(body.split()) <= 750
    html = render_body_html(body)
    found = tags(html)
    for tag in ("h2", "blockquote", "a", "li"):
        assert tag in found, (path.name, tag)
    article = make_article(
        headline=fields["title"],
        standfirst=fields["description"],
        byline=fields["author"],
        section=fields["section"],
        tags=[t.strip() for t in fields["tags"].strip("[]").split(",")],
        dateline=fields["dateline"],
        body=body,
    )
    page = render_article_page(article)
    assert tags(page).count("h1") == 1


def test_there_are_three_markdown_samples() -> None:
    assert len(list(SAMPLES.glob("*.md"))) == 3


def test_page_time_is_the_story_date_when_the_article_has_one():
    from datetime import UTC, date, datetime

    article = Article(
        id="dated",
        headline="Dated story",
        story_date=date(2024, 7, 17),
        updated_at=datetime(2026, 11, 27, 21, 0, tzinfo=UTC),
    )
    page = render_article_page(article)
    assert '<time datetime="2024-07-17">July 17, 2024</time>' in page
    article.story_date = date(2026, 9, 3)
    assert '<time datetime="2026-09-03">Sept. 3, 2026</time>' in render_article_page(article)


# -- asset images, figures, JSON-LD, corrections ------------------------------------------------

from editor.core.render import (  # noqa: E402
    Correction,
    ResolvedAsset,
    SiteContext,
    asset_ids_in,
    data_url,
    data_url_resolver,
    json_ld,
)

PNG_URL = "data:image/png;base64,iVBORw0KGgo="


def resolver(url: str = "assets/a1.png", **fields: object):
    values = {"alt": "Flood water", "caption": "Riverside Road.", "credit": "Photo: Jo"}
    values.update(fields)
    return lambda asset_id: ResolvedAsset(url, width=8, height=6, **values) if asset_id else None


def test_lone_asset_image_becomes_a_figure_with_caption_and_credit() -> None:
    html = render_body_html("Text.\n\n![](asset:a1)\n\nMore.", resolver())
    assert (
        '<figure class="story-figure"><img src="assets/a1.png" alt="Flood water" width="8" '
        'height="6" loading="lazy" decoding="async"><figcaption>Riverside Road. '
        '<span class="credit">Photo: Jo</span></figcaption></figure>' in html
    )
    inline = render_body_html("See ![Own alt](asset:a1) here.", resolver())
    assert "<figure" not in inline and 'alt="Own alt"' in inline


def test_asset_words_are_escaped_and_empty_caption_has_no_figcaption() -> None:
    html = render_body_html("![](asset:a1)", resolver(caption="<b>x</b> & y", credit=""))
    assert "<figcaption>&lt;b&gt;x&lt;/b&gt; &amp; y</figcaption>" in html
    html = render_body_html("![](asset:a1)", resolver(caption="", credit=""))
    assert "figcaption" not in html


def test_missing_asset_or_no_resolver_shows_the_alt_text() -> None:
    for html in (
        render_body_html("![Chart](asset:gone)", lambda _id: None),
        render_body_html("![Chart](asset:gone)"),
    ):
        assert "<img" not in html and '<span class="image-missing">[Chart]</span>' in html


def test_data_urls_only_from_the_renderer() -> None:
    # the resolver may give image data...
    html = render_body_html("![](asset:a1)", resolver(PNG_URL))
    assert f'src="{PNG_URL}"' in html
    # ...but never another kind of data, nor script
    for url in ("data:image/svg+xml;base64,PHN2Zy8+", "data:text/html,x", "javascript:x"):
        assert "<img" not in render_body_html("![](asset:a1)", resolver(url))
    # and user text never produces a data: URL
    html = render_body_html(f"![x]({PNG_URL}) <img src='{PNG_URL}'> [y]({PNG_URL})")
    assert "data:" not in html


def test_data_url_resolver_reads_asset_objects() -> None:
    class Asset:
        id, media_type, data = "a1", "image/png", b"\x89PNG"
        alt, caption, credit, width, height = "A", "C", "K", 2, 1

    resolve = data_url_resolver({"a1": Asset()}.get)
    assert resolve("a1").url == data_url("image/png", b"\x89PNG")
    assert resolve("a2") is None
    assert data_url("image/svg+xml", b"<svg/>") is None
    assert asset_ids_in("![](asset:a1) ![](asset:b2) ![](asset:a1)") == ["a1", "b2"]


def test_featured_image_heads_the_page() -> None:
    article = make_article(featured_asset_id="a1")
    page = render_article_page(article, resolver=resolver())
    header_end = page.index("</header>\n<figure")
    assert page.index('<figure class="featured-image">') > header_end
    assert '<img src="assets/a1.png" alt="Flood water" width="8" height="6"' in page


def test_json_ld_cannot_end_its_script() -> None:
    assert str(json_ld({"h": "</script><script>x()</script>&\u2028"})) == (
        '{"h":"\\u003c/script\\u003e\\u003cscript\\u003ex()\\u003c/script\\u003e\\u0026\\u2028"}'
    )
    page = render_article_page(make_article(headline="</script><script>alert(1)</script>"))
    assert page.count("<script") == 1 and page.count("</script>") == 1


def test_site_page_has_canonical_open_graph_and_correction() -> None:
    site = SiteContext(
        root="../../../../",
        base_url="https://news.example/",
        path="local/2026/11/x/",
        site_name="The Post",
        sections=(("Local", "local/"),),
        section_path="local/",
    )
    fix = Correction(datetime(2026, 12, 3, 10, tzinfo=UTC), "The date was wrong.")
    page = render_article_page(make_article(), site=site, corrections=[fix])
    assert '<link rel="canonical" href="https://news.example/local/2026/11/x/">' in page
    assert '<link rel="stylesheet" href="../../../../assets/site.css">' in page
    assert '<a href="../../../../local/index.html" aria-current="page">Local</a>' in page
    assert 'Correction, <time datetime="2026-12-03">3 Dec 2026</time>:' in page
    assert "<style>" not in page
