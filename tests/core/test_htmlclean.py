"""One cleaner: a paste and an import of the same HTML keep the same text, by the same rules."""

from __future__ import annotations

import html as html_module
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from editor.core import htmlclean
from editor.core.importers.htmlmd import MarkdownConverter
from editor.core.paste import clean_paste_html

FIXTURES = Path(__file__).parent / "fixtures" / "paste"
_WORD = re.compile(r"\w+")
#: List and quote markers at a line's start, nested ones too ("> 3. ", "- 1. ").
_LIST_MARKER = re.compile(r"^\s*(?:(?:\d+\.|[-*+>])\s+)+", re.MULTILINE)


def _pasted(source: str) -> str:
    return clean_paste_html(source)


def _imported(source: str):
    return MarkdownConverter().convert(lxml_html.document_fromstring(f"<html>{source}</html>"))


def _paste_words(source: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", _pasted(source))
    return _WORD.findall(html_module.unescape(text).lower())


def _markdown_words(markdown: str) -> list[str]:
    markdown = re.sub(r"\]\([^)]*\)", "]", markdown)  # link targets are not text
    markdown = _LIST_MARKER.sub(" ", markdown).replace("\\", "")
    return _WORD.findall(html_module.unescape(markdown).lower())


def _import_words(source: str) -> list[str]:
    return _markdown_words(_imported(source).markdown)


#: (what the HTML is, the HTML, words that must be gone from both paths).
HOSTILE = [
    ("aria-hidden", '<p>Kept <span aria-hidden="true">Share this quote</span>words.</p>',
     {"share", "quote"}),
    ("display none", '<p>Kept <span style="display: none">secret</span>words.</p>', {"secret"}),
    ("visibility", '<p>Kept <span style="visibility:hidden">secret</span>words.</p>', {"secret"}),
    ("hidden attribute", "<p>Kept words.</p><div hidden><p>secret</p></div>", {"secret"}),
    ("Word hidden text", "<p class=MsoNormal>Kept <span style='mso-hide:all'>secret<o:p></o:p>"
     "</span>words.</p>", {"secret"}),
    ("nav", '<nav><a href="/">Home</a> <a href="/world">World</a></nav><p>Kept words.</p>',
     {"home", "world"}),
    ("form controls", '<p>Kept words.</p><form action="/s"><label>Subscribe</label>'
     '<input name=e><button>Sign up</button><select><option>Daily</option></select></form>',
     {"subscribe", "sign", "daily"}),
    ("code and embeds", "<p>Kept words.</p><script>var secret=1</script><style>.x{}</style>"
     "<noscript>enable</noscript><iframe src='https://ads.example/'>frame</iframe>"
     "<template>tmpl</template><svg><text>chart</text></svg>",
     {"secret", "enable", "frame", "tmpl", "chart"}),
    ("furniture", '<p>Kept words.</p><div class="share-bar">Share on X</div>'
     '<aside><p>Related story</p></aside><div class="ad-slot">Advertisement</div>'
     '<div role="navigation">Sections</div><div id="newsletter-signup">Get the email</div>',
     {"share", "related", "advertisement", "sections", "email"}),
    ("Word list fallbacks", "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'>"
     "<![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>"
     "·<span>&nbsp;&nbsp; </span></span></span><![endif]>Kept words<o:p></o:p></p>",
     {"·"}),
    ("Word comment anchor", "<p class=MsoNormal><!--[if !supportAnnotations]--><a "
     "href='#_msocom_1'>[AP1]</a><!--[endif]-->Kept words.</p>", {"ap1"}),
]  # fmt: skip


@pytest.mark.parametrize(("what", "source", "gone"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_paste_and_import_keep_the_same_words(what: str, source: str, gone: set[str]) -> None:
    pasted, imported = _paste_words(source), _import_words(source)
    assert pasted == imported, what
    assert "kept" in pasted and "words" in pasted
    assert not gone & set(pasted), what


def test_furniture_is_a_note_on_import_and_gone_from_a_paste() -> None:
    source = '<p>Story.</p><aside class="related"><p>Other story</p></aside><p>More.</p>'
    conversion = _imported(source)
    assert conversion.blocks == ["Story.", "More."]
    assert conversion.notes == [{"kind": "related", "text": "Other story", "position": 1}]
    assert _pasted(source) == "<p>Story.</p>\n<p>More.</p>"


def test_furniture_inside_a_paragraph_or_list_is_a_note_too() -> None:
    source = '<p>Text <span class="share">Share this</span> more.</p><ul><li>a</li>'
    source += '<li class="related">Other</li></ul>'
    conversion = _imported(source)
    assert conversion.blocks == ["Text more.", "- a"]
    assert [n["text"] for n in conversion.notes] == ["Share this", "Other"]
    assert _pasted(source) == "<p>Text more.</p>\n<ul><li>a</li>\n</ul>"


def test_a_form_around_the_whole_page_keeps_the_story() -> None:
    source = '<form id="aspnetForm"><p>The story <b>itself</b>.</p><input name="x"></form>'
    assert _pasted(source) == "<p>The story <strong>itself</strong>.</p>"
    assert _imported(source).markdown == "The story **itself**."


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.html")))
def test_every_paste_fixture_keeps_the_same_words_through_import(name: str) -> None:
    source = (FIXTURES / name).read_text(encoding="utf-8")
    conversion = MarkdownConverter().convert(lxml_html.document_fromstring(source))
    imported = _markdown_words(conversion.markdown)
    # A paste brings no images and keeps a figure's caption as text; an import keeps the
    # caption (and credit) with the image, in its note.
    for image_note in (n for n in conversion.notes if n["kind"] == "image"):
        imported += _markdown_words(image_note["text"].partition("\n\n")[2])
    assert Counter(_paste_words(source)) == Counter(imported)


def test_word_lists_are_nested_lists_on_both_paths() -> None:
    source = (FIXTURES / "word_saved.html").read_text(encoding="utf-8")
    assert _pasted(source).startswith(
        "<ol><li>Dredging<ol><li>of the inner basin</li>\n</ol>\n</li>\n<li>Repairs</li>"
    )
    markdown = MarkdownConverter().convert(lxml_html.document_fromstring(source)).markdown
    assert markdown.startswith("1. Dredging\n    1. of the inner basin\n2. Repairs\n\n")
    word = (FIXTURES / "word.html").read_text(encoding="utf-8")
    markdown = MarkdownConverter().convert(lxml_html.document_fromstring(word)).markdown
    assert (
        "- A new wall, two metres higher\n    - built from **local stone**\n"
        "- A footpath along the top\n\n1. Consultation closes in May\n"
        "2. Building begins in *September*" in markdown
    )
    assert "> “We have waited thirty years for this,” said one resident." in markdown  # MsoQuote


def test_google_docs_on_both_paths() -> None:
    source = (FIXTURES / "google_docs.html").read_text(encoding="utf-8")
    markdown = MarkdownConverter().convert(lxml_html.document_fromstring(source)).markdown
    assert markdown.startswith("## Port strike enters second week\n\n**Dock workers** rejected")
    assert "calling it *an insult*" in markdown and "`offer_v2.pdf`" in markdown
    assert "[a union statement](https://union.example.org/statement)" in markdown
    assert "- Pay rise of 6%\n    - backdated to January\n- Safety review" in markdown
    pasted = _pasted(source)
    assert pasted.startswith("<h2>Port strike enters second week</h2>")
    assert '<a href="https://union.example.org/statement">a union statement</a>' in pasted


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("https://x.example/a?utm_source=n&id=4&fbclid=Z", "https://x.example/a?id=4"),
        ("https://www.google.com/url?q=https://y.example/s&sa=D", "https://y.example/s"),
        ("mailto:desk@example.com", "mailto:desk@example.com"),
        ("javascript:alert(1)", None),
        ("data:text/html;base64,PHNjcmlwdD4=", None),
        ("/relative", None),
        ("#bookmark", None),
    ],
)
def test_links_map_the_same_on_both_paths(href: str, expected: str | None) -> None:
    source = f'<p>See <a href="{html_module.escape(href)}">this page</a> now.</p>'
    pasted = _pasted(source)
    markdown = _imported(source).markdown
    if expected is None:
        assert pasted == "<p>See this page now.</p>" and markdown == "See this page now."
    else:
        assert f'<a href="{html_module.escape(expected)}">this page</a>' in pasted
        assert f"[this page]({expected})" in markdown


def test_relative_links_resolve_against_the_page_on_import() -> None:
    assert htmlclean.clean_url("/data", "https://news.example/world/x") == (
        "https://news.example/data"
    )
    assert htmlclean.clean_url("/data") is None


@pytest.mark.parametrize(
    ("source", "pasted", "markdown"),
    [
        ("<h1>A</h1><h4>B</h4><h6>C</h6>", "<h2>A</h2>\n<h3>B</h3>\n<h3>C</h3>",
         "## A\n\n### B\n\n### C"),
        ("<h2><b>Bold head</b></h2>", "<h2>Bold head</h2>", "## Bold head"),
        ("<p><span style='font-weight:700'>b</span> <span style='font-style:italic'>i</span> "
         "<span style='font-family:Courier New'>c</span></p>",
         "<p><strong>b</strong> <em>i</em> <code>c</code></p>", "**b** *i* `c`"),
        ("<p><b style='font-weight:normal'>not bold</b></p>", "<p>not bold</p>", "not bold"),
        ("<p class=MsoQuote>Quoted</p>", "<blockquote><p>Quoted</p>\n</blockquote>", "> Quoted"),
        ("<b id='docs-internal-guid-1' style='font-weight:normal'><p>One</p><p>Two</p></b>",
         "<p>One</p>\n<p>Two</p>", "One\n\nTwo"),
    ],
)  # fmt: skip
def test_structure_maps_the_same_on_both_paths(source: str, pasted: str, markdown: str) -> None:
    assert _pasted(source) == pasted
    assert _imported(source).markdown == markdown


def test_an_inline_wrapper_around_blocks_is_pushed_into_them() -> None:
    root = lxml_html.fragment_fromstring(
        '<div><a href="https://x.example/"><h3>Card</h3><p>teaser</p></a> after</div>'
    )
    htmlclean.prepare_tree(root)
    assert etree.tostring(root, encoding=str) == (
        '<div><h3><a href="https://x.example/">Card</a></h3>'
        '<p><a href="https://x.example/">teaser</a></p> after</div>'
    )


def test_an_unclosed_word_conditional_hides_nothing_on_import() -> None:
    source = "<p>Kept <!--[if !supportLists]--> words.</p>"
    assert _imported(source).markdown == "Kept words."


def test_a_figure_credit_is_kept_with_the_image_note() -> None:
    source = (
        '<figure><img src="https://cdn.example/p.jpg" alt="Pier"><figcaption>Waves. '
        '<span class="credit">Photo: J. Doe</span></figcaption></figure>'
    )
    (image_note,) = _imported(source).notes
    assert image_note["text"] == "![Pier](https://cdn.example/p.jpg)\n\nWaves. Photo: J. Doe"


_WRAPPERS = [
    "<p>{}</p>", "<div>{}</div>", "<b>{}</b>", "<i>{}</i>", "<h1>{}</h1>", "<h4>{}</h4>",
    "<span style='font-weight:700'>{}</span>", "<b style='font-weight:normal'>{}</b>",
    "<span aria-hidden='true'>{}</span>", "<span style='display:none'>{}</span>",
    "<span style='mso-hide:all'>{}</span>", "<nav>{}</nav>", "<form>{}</form>",
    "<label>{}</label>", "<script>{}</script>", "<div class='share'>{}</div>",
    "<aside>{}</aside>", "<section class='related-links'>{}</section>",
    "<div role='navigation'>{}</div>", "<article class='comments'>{}</article>",
    "<ul><li>{}</li></ul>", "<ol start=3><li>{}</li></ol>", "<dl><dt>{}</dt></dl>",
    "<blockquote>{}</blockquote>", "<p class=MsoQuote>{}</p>",
    "<p class=MsoNormal>{}<o:p></o:p></p>", "<table><tr><td>{}</td></tr></table>",
    "<pre>{}</pre>", "<code>{}</code>", "{}<br>", "<sup>{}</sup>", "<q>{}</q>",
    "<a href='https://x.example/?utm_source=1'>{}</a>",
]  # fmt: skip
_FRAGMENTS = st.recursive(
    st.sampled_from(["alpha", "beta", "gamma", "delta"]),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(_WRAPPERS), inner).map(lambda t: t[0].format(t[1])),
        st.lists(inner, min_size=2, max_size=3).map(" ".join),
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FRAGMENTS)
def test_any_mix_of_hidden_furniture_and_structure_keeps_the_same_words(source: str) -> None:
    assert _paste_words(source) == _import_words(source)
