"""The one article renderer: Markdown body -> sanitised HTML -> HTML5 page.

The GUI preview and the web export both call `render_article_page` (and `render_body_html`),
so what the preview shows is what the web gets; only the asset resolver and the page context
differ. No Qt here, ever.

Body dialect (Python-Markdown core syntax plus `MARKDOWN_EXTENSIONS`):

- paragraphs, `## subheads` (a `# heading` in the body becomes `<h2>`: the page's only `<h1>`
  is the headline), `**strong**`, `*emphasis*`, `` `code` ``, links, images, `> quotes`
  (styled as pull quotes), `---` rules, bullet and numbered lists;
- `tables`: pipe tables, column alignment kept as `align-left|center|right` classes;
- `fenced_code`: triple-backtick code blocks;
- `footnotes`: `text[^1]` ... `[^1]: note`;
- `sane_lists`: ordered and bullet lists do not mix, a list starts at its first number;
- asset images: `![alt](asset:<asset-id>)`. The URL comes from the caller's resolver (export:
  `assets/<id>.<ext>`; preview: a `data:` or `file:` URL); alone in its paragraph the image
  becomes a `<figure>` with the asset's caption and credit.

Not in the dialect on purpose: `attr_list` (lets authors inject attributes), `smarty` (quotes
and dashes stay as typed), `md_in_html`. Raw HTML is accepted as input but goes through the
nh3 allow-list below like everything else: no script, event handler, style, frame, form or
`javascript:`/`data:` URL ever reaches the page. Asset URLs are put in *after* cleaning, by
the renderer itself, so the only `data:` URLs on a page are image data the renderer made.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

from editor.core import fastbody, md_emphasis
from editor.core.errors import NewsroomError
from editor.core.model import Article, Status
from editor.core.resources import read_resource_text, resource

if TYPE_CHECKING:
    import jinja2

#: Bumped when the renderer's output changes for the same input (export manifests use it).
RENDERER_VERSION = "2"

#: The Python-Markdown extensions of the body dialect (see the module docstring).
MARKDOWN_EXTENSIONS: list[str] = ["tables", "fenced_code", "footnotes", "sane_lists"]

#: Every tag that may appear in a rendered body; anything else is dropped (its text kept),
#: and the content of `DROPPED_WITH_CONTENT` tags is dropped as well.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        # h1 is allowed only to be demoted to h2 right after cleaning.
        *("p", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr"),
        *("strong", "b", "em", "i", "del", "s", "ins", "mark", "small", "sup", "sub"),
        *("code", "pre", "kbd", "blockquote", "q", "cite", "abbr"),
        *("ul", "ol", "li", "dl", "dt", "dd"),
        *("a", "img", "figure", "figcaption", "span"),
        *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
        "div",  # only as the footnotes container, see _filter_attribute
    }
)

#: Attributes allowed per tag. `class`, `id` and URLs are further narrowed by
#: `_filter_attribute`.
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
    "th": {"class", "colspan", "rowspan"},
    "td": {"class", "colspan", "rowspan"},
    "code": {"class"},
    "div": {"class"},
    "span": {"class"},
}

#: URL schemes allowed in href/src; relative URLs and #fragments are kept too. `asset:` is
#: allowed only as an image source naming an asset id (see `_filter_attribute`). Every URL
#: is judged as a browser reads it (`safe_url`), never by its spelling.
ALLOWED_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})

DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math"}
    | {"textarea", "select", "title", "xmp", "noembed", "noframes", "frameset", "applet"}
)

_ALLOWED_CLASSES: dict[str, frozenset[str]] = {
    "a": frozenset({"footnote-ref", "footnote-backref"}),
    "div": frozenset({"footnote"}),
    "span": frozenset({"credit"}),
    "th": frozenset({"align-left", "align-center", "align-right"}),
    "td": frozenset({"align-left", "align-center", "align-right"}),
}
_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#-]{1,40}")
_FOOTNOTE_ID = re.compile(r"fn(?:ref\d*)?:[A-Za-z0-9_.-]{1,80}")
_ASSET_SOURCE = re.compile(r"asset:([A-Za-z0-9-]{1,64})")
_TEXT_ALIGN = re.compile(r"text-align:\s*(left|center|right)")
_H1_TAG = re.compile(r"<(/?)h1>")
#: An <img> as nh3 writes it (double-quoted values, `"` escaped), optionally alone in a <p>.
_IMG_TAG = re.compile(r'(<p>)?<img((?:\s+[\w:-]+="[^"]*")*)\s*/?>(</p>)?')
_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
#: Image data the renderer may inline; never SVG (it can carry script).
_DATA_IMAGE_URL = re.compile(r"data:image/(?:png|jpeg|gif|webp|avif);base64,[A-Za-z0-9+/=]+")
_RELATIVE_URL = re.compile(r"[A-Za-z0-9._~%/-]+")
_PUBLISHED_STATES = frozenset({Status.APPROVED, Status.PUBLISHED, Status.CORRECTED})
_AP_MONTHS = (
    *("Jan.", "Feb.", "March", "April", "May", "June"),
    *("July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."),
)
_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun")
_SHORT_MONTHS += ("Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: Media types of images an export may write, with the file extension they get.
IMAGE_EXTENSIONS: dict[str, str] = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/avif": "avif",
}


class TemplateError(NewsroomError):
    """A page template (a newsroom's own or a default one) cannot be rendered."""


# -- assets ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResolvedAsset:
    """An `asset:` image as the page shows it: a real URL and the words that go with it."""

    url: str
    alt: str = ""
    caption: str = ""
    credit: str = ""
    width: int | None = None
    height: int | None = None


#: Turns an asset id into the image to show, or None when there is no such image.
AssetResolver = Callable[[str], ResolvedAsset | None]


class AssetLike(Protocol):
    """What resolvers read of an asset: the store's `AssetRow` and H1's asset objects fit."""

    id: str
    media_type: str
    alt: str
    caption: str
    credit: str
    width: int | None
    height: int | None


def asset_extension(media_type: str) -> str | None:
    return IMAGE_EXTENSIONS.get((media_type or "").lower())


def data_url(media_type: str, data: bytes) -> str | None:
    """`data:image/png;base64,...` for an image type the renderer accepts, else None."""
    if asset_extension(media_type) is None:
        return None
    return f"data:{media_type.lower()};base64,{base64.b64encode(data).decode('ascii')}"


def resolver_from(
    lookup: Callable[[str], AssetLike | None], url_for: Callable[[AssetLike], str | None]
) -> AssetResolver:
    """A resolver from an asset lookup (id -> asset or None) and a URL maker."""

    def resolve(asset_id: str) -> ResolvedAsset | None:
        asset = lookup(asset_id)
        if asset is None:
            return None
        url = url_for(asset)
        if not url:
            return None
        return ResolvedAsset(
            url=url,
            alt=asset.alt or "",
            caption=asset.caption or "",
            credit=asset.credit or "",
            width=asset.width,
            height=asset.height,
        )

    return resolve


def data_url_resolver(lookup: Callable[[str], Any]) -> AssetResolver:
    """For a preview: images inlined as `data:` URLs (the lookup's objects carry `.data`)."""
    return resolver_from(lookup, lambda asset: data_url(asset.media_type, asset.data))


def export_asset_path(asset_id: str, media_type: str) -> str | None:
    """Where an export puts an image, relative to the site root: `assets/<id>.<ext>`."""
    extension = asset_extension(media_type)
    if extension is None or not _ASSET_SOURCE.fullmatch(f"asset:{asset_id}"):
        return None
    return f"assets/{asset_id}.{extension}"


def asset_ids_in(markdown_text: str) -> list[str]:
    """The asset ids a body refers to, in order, without repeats."""
    found = re.findall(r"asset:([A-Za-z0-9-]{1,64})", markdown_text or "")
    return list(dict.fromkeys(found))


# -- text and URLs --------------------------------------------------------------------------

#: Code points no page or feed may hold: C0 controls but tab, LF and CR, DEL, C1 controls,
#: lone surrogates and the non-characters. HTML calls them parse errors (the W3C checker
#: rejects the page) and XML refuses the whole document.
_FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "]"
)
#: Vertical tab and form feed: also forbidden (XML), but they separate words, so a space.
_SPACE_CONTROLS = re.compile("[\x0b\x0c]")


def clean_article(article: Article) -> Article:
    """A copy of `article` whose text fields went through `clean_text` (the body is cleaned
    when it is rendered)."""
    return replace(
        article,
        headline=clean_text(article.headline),
        standfirst=clean_text(article.standfirst),
        slug=clean_text(article.slug),
        byline=clean_text(article.byline),
        section=clean_text(article.section),
        tags=[clean_text(tag) for tag in article.tags],
        dateline=clean_text(article.dateline),
    )


def clean_text(text: str) -> str:
    """`text` without the code points that no page or feed may hold (see above).

    Every piece of text that reaches a page goes through it (body, metadata, asset words,
    corrections, site name): one U+0001 in a section name would otherwise break the feed.
    """
    if not text:
        return ""
    return _FORBIDDEN_CHARACTERS.sub("", _SPACE_CONTROLS.sub(" ", text))


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
#: What the WHATWG URL parser trims from both ends of a URL before anything else.
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
#: ...and what it removes everywhere in it.
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
#: `//authority` and the rest, for the hierarchical URLs (http, https, scheme-relative).
_AUTHORITY = re.compile(r"((?:https?:)?//)([^/?#]*)(.*)", re.IGNORECASE | re.DOTALL)
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9-]{1,63}\.?")
_PORT = re.compile(r":\d{1,5}")
#: What a URL may not hold as it is (outside the WHATWG URL code points; `'` too, and `%`
#: unless it starts an escape): percent-encoded on the way out.
_URL_UNSAFE = re.compile(r"%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9!$&()*+,\-./:;=?@_~%]")


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def _encode_url_part(text: str) -> str:
    path, hash_mark, fragment = text.partition("#")
    encoded = _URL_UNSAFE.sub(_percent, path)
    if hash_mark:  # a second "#" is not a URL code point
        encoded += "#" + _URL_UNSAFE.sub(_percent, fragment.replace("#", "%23"))
    return encoded


def _as_parser_reads(url: str) -> str:
    """`url` less what the WHATWG URL parser removes (C0 controls and spaces at the ends;
    tab, LF, CR anywhere) and the code points no page may hold."""
    return clean_text(_TAB_OR_NEWLINE.sub("", url).strip(_C0_OR_SPACE))


def _as_browser_reads(url: str) -> str:
    """`url` as `_as_parser_reads` leaves it, with entities decoded to a fixed point
    (`&amp;#106;` is a `j` too)."""
    for _ in range(8):
        decoded = _as_parser_reads(html.unescape(url))
        if decoded == url:
            break
        url = decoded
    return url


def safe_url(value: str, *, asset: bool = False) -> str | None:
    r"""`value` as a page may carry it, or None when a browser could read another scheme in it.

    Judged as the WHATWG URL parser reads it (see `_as_browser_reads`), never by spelling:
    `java\tscript:`, `jav&#x09;ascript:`, `\x01javascript:`, ` JaVaScRiPt:` all have the
    scheme `javascript`. Kept: http(s) with a plain host, mailto:, tel:, `asset:<id>` when
    `asset`, relative URLs and #fragments. What is kept is written with controls removed and
    the characters a URL may not hold as they are (quotes, spaces, `<>`, `\`, non-ASCII in
    the path) percent-encoded, so it is a valid URL as well as a harmless one.
    """
    url = _as_parser_reads(value or "")
    judged = _as_browser_reads(url)
    if not url or not judged:
        return None
    scheme = _SCHEME.match(judged)
    if scheme is not None and _SCHEME.match(url) is None:
        return None  # a scheme only once decoded: what the author meant is not a link
    name = scheme.group(1).lower() if scheme else ""
    if name == "asset":
        return url if asset and _ASSET_SOURCE.fullmatch(url) else None
    if scheme is not None and name not in ALLOWED_URL_SCHEMES:
        return None
    if scheme is None and ":" in re.split(r"[/?#]", judged, maxsplit=1)[0]:
        return None  # "java script:..." is no relative path anyone meant
    if name in ("http", "https") or judged.startswith("//"):
        parts = _AUTHORITY.fullmatch(url)
        if parts is None:
            return None  # "http:evil.example" and the like
        prefix, authority, rest = parts.groups()
        host, _, port = authority.partition(":")
        try:
            host = host.encode("idna").decode("ascii") if not host.isascii() else host
        except UnicodeError:
            return None
        if not _HOST.fullmatch(host) or (port and not _PORT.fullmatch(":" + port)):
            return None  # user info, odd hosts: not for a news page
        authority = host + (":" + port if port else "")
        return prefix.lower() + authority + _encode_url_part(rest)
    return _encode_url_part(url)


def _safe_url(url: str) -> bool:
    """Only URLs a resolver may produce: site-relative paths, http(s), file:, image data."""
    if _FORBIDDEN_CHARACTERS.search(url) or _TAB_OR_NEWLINE.search(url):
        return False
    if _DATA_IMAGE_URL.fullmatch(url):
        return True
    lowered = url.lower()
    if lowered.startswith(("https://", "http://", "file:///")):
        return not re.search(r"[\s\"'<>\\]", url)
    return bool(_RELATIVE_URL.fullmatch(url)) and not url.startswith("//")


# -- body -----------------------------------------------------------------------------------


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """Narrow `class` to the few classes our CSS knows, `id` to footnote anchors, and `asset:`
    to image sources that name an asset id."""
    if attribute == "class":
        allowed = _ALLOWED_CLASSES.get(element, frozenset())
        kept = [
            name
            for name in value.split()
            if name in allowed or (element == "code" and _LANGUAGE_CLASS.fullmatch(name))
        ]
        return " ".join(kept) or None
    if attribute == "id":
        return value if _FOOTNOTE_ID.fullmatch(value) else None
    if attribute in ("href", "src"):
        return safe_url(value, asset=element == "img" and attribute == "src")
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes={*ALLOWED_URL_SCHEMES, "asset"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)


class _HouseStyleTreeprocessor(Treeprocessor):
    """Demote body `# headings` to h2; turn table alignment styles into classes."""

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag == "h1":
                element.tag = "h2"
            elif element.tag in ("th", "td"):
                match = _TEXT_ALIGN.search(element.attrib.pop("style", ""))
                if match:
                    element.set("class", f"align-{match.group(1)}")


#: A character (or the two-space line break) that some inline pattern of the dialect starts
#: with: code, escapes, links, images, footnotes, autolinks, raw HTML, entities, emphasis,
#: and the placeholders of stashed raw HTML. Text without any is left as it is by every one.
_INLINE_TRIGGER = re.compile(r"[\\`\[<&*_\x02\x03]|  \n")


class _PlainTextTreeprocessor(Treeprocessor):
    """Mark text that no inline pattern can match as atomic, so the inline processor (most of
    Python-Markdown's time on ordinary copy) skips it. The output is the same, only faster."""

    def run(self, root: ET.Element) -> None:
        atomic = markdown.util.AtomicString
        trigger = _INLINE_TRIGGER.search
        for element in root.iter():
            text = element.text
            if text and not isinstance(text, atomic) and not trigger(text):
                element.text = atomic(text)
            tail = element.tail
            if tail and not isinstance(tail, atomic) and not trigger(tail):
                element.tail = atomic(tail)


class _HouseStyleExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Priority 25: after the footnotes (50), before the inline processor (20).
        md.treeprocessors.register(_PlainTextTreeprocessor(md), "newsroom_plain_text", 25)
        # Priority 1: after the footnotes (50), inline (20) and prettify (10) processors.
        md.treeprocessors.register(_HouseStyleTreeprocessor(md), "newsroom_house_style", 1)
        md_emphasis.install(md)  # no text (or stashed code) swallowed by emphasis


_local = threading.local()


def _markdown() -> markdown.Markdown:
    """One reusable converter per thread (and so per export process): Markdown is not
    thread-safe, and building one costs more than converting a short article."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = markdown.Markdown(
            extensions=[*MARKDOWN_EXTENSIONS, _HouseStyleExtension()], output_format="html"
        )
        _local.converter = converter
    return converter


def _attr(name: str, value: object) -> Markup:
    return Markup(' {}="{}"').format(Markup(name), value)


def _image_html(attrs: dict[str, str], asset: ResolvedAsset | None) -> tuple[Markup, Markup]:
    """(img tag, figcaption content) for one cleaned <img>; values in `attrs` are escaped."""
    alt = Markup(attrs.get("alt", ""))
    parts = [_attr("src", Markup(attrs["src"]) if asset is None else asset.url)]
    if asset is not None and not alt:
        alt = escape(" ".join(clean_text(asset.alt).split()))
    parts.append(_attr("alt", alt))
    if "title" in attrs:
        parts.append(_attr("title", Markup(attrs["title"])))
    if asset is not None and asset.width and asset.height and asset.width > 0 < asset.height:
        parts += [_attr("width", int(asset.width)), _attr("height", int(asset.height))]
    parts.append(Markup(' loading="lazy" decoding="async"'))
    img = Markup("<img") + Markup("").join(parts) + Markup(">")
    caption = Markup("")
    if asset is not None:
        caption = figcaption_html(asset.caption, asset.credit)
    return img, caption


def figcaption_html(caption: str, credit: str) -> Markup:
    """`caption <span class="credit">credit</span>`, both escaped; empty when both are."""
    caption = " ".join(clean_text(caption).split())
    credit = " ".join(clean_text(credit).split())
    html = escape(caption)
    if credit:
        html += (Markup(" ") if caption else Markup("")) + Markup(
            '<span class="credit">{}</span>'
        ).format(credit)
    return html


def _resolve_images(html: str, resolver: AssetResolver | None) -> str:
    """Put real URLs into `asset:` images; a lone asset image becomes a figure."""
    if "<img" not in html:
        return html

    def replace(match: re.Match[str]) -> str:
        opening, raw_attrs, closing = match.group(1), match.group(2), match.group(3)
        attrs = dict(_ATTRIBUTE.findall(raw_attrs))
        source = attrs.get("src", "")
        asset: ResolvedAsset | None = None
        if not source:
            # Its URL was unsafe and removed: keep the words, never an image without source.
            text: Markup = Markup(attrs.get("alt", ""))
            return f"{opening or ''}{text}{closing or ''}"
        if source.startswith("asset:"):
            asset = resolver(source[6:]) if resolver is not None else None
            if asset is None or not _safe_url(asset.url):
                missing = Markup('<span class="image-missing">[{}]</span>').format(
                    Markup(attrs.get("alt", "")) or "image not found"
                )
                return f"{opening or ''}{missing}{closing or ''}"
        img, caption = _image_html(attrs, asset)
        if asset is not None and opening and closing:
            figcaption = Markup("<figcaption>{}</figcaption>").format(caption) if caption else ""
            return f'<figure class="story-figure">{img}{figcaption}</figure>'
        return f"{opening or ''}{img}{closing or ''}"

    return _IMG_TAG.sub(replace, html)


#: Any tag of nh3's output: lower-case names, every value double-quoted without a `"` in it,
#: and text never holds a `<`, so tags are found exactly, never inside a value or text.
_ANY_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?:\s+[\w:-]+="[^"]*")*)\s*(/?)>')
_VOID_TAGS = frozenset({"br", "hr", "img"})
#: Elements whose content is phrasing only: a block inside one is unwrapped (its text kept).
_PHRASING_ONLY = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "span", "strong", "b", "em", "i"}
    | {"s", "mark", "small", "sup", "sub", "code", "kbd", "q", "cite", "abbr", "dt"}
)
_FLOW_ONLY = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "div", "ul", "ol", "dl", "blockquote"}
    | {"figure", "table", "hr"}
)
_TABULAR = frozenset({"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"})
#: Elements that stand only in one of these parents.
_PARENTS: dict[str, frozenset[str]] = {
    "li": frozenset({"ul", "ol"}),
    "dt": frozenset({"dl"}),
    "dd": frozenset({"dl"}),
    "figcaption": frozenset({"figure"}),
    "caption": frozenset({"table"}),
    "thead": frozenset({"table"}),
    "tbody": frozenset({"table"}),
    "tfoot": frozenset({"table"}),
    "tr": frozenset({"table", "thead", "tbody", "tfoot"}),
    "td": frozenset({"tr"}),
    "th": frozenset({"tr"}),
}


def _tidy_structure(html: str) -> str:
    """Make nh3's well-formed but not always valid tree valid: unwrap a link that lost its
    `href` (or sits inside another link), a block inside phrasing content, an item outside
    its list (and the like), and drop repeated ids. Text is kept; only tags go."""
    out: list[str] = []
    position = 0
    #: (name, kept) of the open elements.
    stack: list[tuple[str, bool]] = []
    ids: set[str] = set()
    for match in _ANY_TAG.finditer(html):
        closing, name, raw_attrs, _ = match.groups()
        tag = match.group()
        if closing:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == name:
                    kept = stack[depth][1]
                    del stack[depth:]
                    break
            else:
                kept = False  # an end tag without its start (never from nh3): drop it
            if not kept:
                out.append(html[position : match.start()])
                position = match.end()
            continue
        kept_names = [open_name for open_name, kept in stack if kept]
        parent = kept_names[-1] if kept_names else ""
        # An item outside its list (and the like); a block inside phrasing content; a list or
        # table straight inside a list, table or row.
        keep = not (
            (name in _PARENTS and parent not in _PARENTS[name])
            or (name in _FLOW_ONLY and any(n in _PHRASING_ONLY for n in kept_names))
            or (name in _FLOW_ONLY and parent in _TABULAR)
        )
        attrs = dict(_ATTRIBUTE.findall(raw_attrs)) if raw_attrs else {}
        if name == "a" and ("href" not in attrs or "a" in kept_names):
            keep = False
        if keep and "id" in attrs:
            if attrs["id"] in ids:
                tag = tag.replace(f' id="{attrs["id"]}"', "", 1)
            ids.add(attrs["id"])
        if name not in _VOID_TAGS:
            stack.append((name, keep))
        if not keep or tag != match.group():
            out.append(html[position : match.start()])
            out.append(tag if keep else "")
            position = match.end()
    if not out:
        return html
    out.append(html[position:])
    return "".join(out)


def _markdown_html(text: str) -> str:
    """Python-Markdown's HTML of `text` (not yet sanitised)."""
    converter = _markdown()
    try:
        return converter.convert(text)
    finally:
        converter.reset()


def render_body_html(markdown_text: str, resolver: AssetResolver | None = None) -> str:
    """Markdown body -> HTML fragment, cleaned with the explicit nh3 allow-list.

    `resolver` turns `asset:<id>` image sources into URLs; without one (or for an unknown
    asset) the image shows as its alt text, marked `image-missing`.
    """
    # Provably simple paragraphs and subheads are written directly (editor/core/fastbody.py),
    # the rest by Python-Markdown: the same HTML either way, cleaned the same way below.
    # Controls go first: U+0002/U+0003 would pass for Markdown's own placeholders.
    html = fastbody.convert(clean_text(markdown_text or ""), _markdown_html)
    cleaned = _tidy_structure(_CLEANER.clean(html))
    # Raw-HTML <h1> never meets the treeprocessor; nh3 output is normalised, so a plain
    # substitution is exact (text "<h1>" would be escaped as &lt;h1&gt;).
    cleaned = _H1_TAG.sub(r"<\1h2>", cleaned)
    return _resolve_images(cleaned, resolver)


# -- templates ------------------------------------------------------------------------------


def _default_template(name: str) -> str | None:
    node = resource("templates", *name.split("/"))
    return node.read_text(encoding="utf-8") if node.is_file() else None


@functools.cache
def environment(templates_dir: str | None = None) -> jinja2.Environment:
    """The Jinja environment: a newsroom's template folder first, the defaults behind it."""
    import jinja2  # here, not at import: the window's first paint renders no page

    loaders: list[jinja2.BaseLoader] = []
    if templates_dir:
        loaders.append(jinja2.FileSystemLoader(templates_dir))
    loaders.append(jinja2.FunctionLoader(_default_template))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["json_ld"] = json_ld
    return env


def render_template(name: str, context: Mapping[str, object], templates_dir: str | None) -> str:
    """Render `name`; a broken template becomes a `TemplateError` that says where."""
    import jinja2

    try:
        page = environment(templates_dir).get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as error:
        where = error.filename or error.name or name
        raise TemplateError(f"Template {where}, line {error.lineno}: {error.message}") from None
    except jinja2.TemplateError as error:
        raise TemplateError(f"Template {name}: {error}") from None
    # The last word on forbidden code points, whatever a newsroom's template put in.
    return clean_text(page)


def templates_fingerprint(templates_dir: str | None = None) -> str:
    """A hash of every template and stylesheet that may shape a page (for export manifests)."""
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    for folder in ("templates", "css"):
        node = resource(folder)
        for child in sorted(node.iterdir(), key=lambda n: n.name):
            if child.is_file():
                digest.update(child.name.encode() + b"\0" + child.read_bytes())
    if templates_dir:
        root = Path(templates_dir)
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@functools.cache
def _default_css() -> str:
    return read_resource_text("css", "article.css")


def site_css(templates_dir: str | None = None) -> str:
    """The house stylesheet, or the newsroom's `article.css` beside its templates."""
    if templates_dir:
        custom = Path(templates_dir) / "article.css"
        if custom.is_file():
            return custom.read_text(encoding="utf-8")
    return _default_css()


# -- page pieces ----------------------------------------------------------------------------


def json_ld(data: object) -> Markup:
    """JSON for a `<script type="application/ld+json">`: nothing in it can end the script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    for raw, safe in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, safe)
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _dateline_text(dateline: str) -> str:
    """ "MOSCOW" -> "MOSCOW —"; a wire dateline with its own ending is kept as typed."""
    text = " ".join(dateline.split())
    if text and (text[-1].isalnum() or text[-1] == ")"):
        text += " —"
    return text


def _with_dateline(body_html: str, dateline: str) -> Markup:
    """Print the dateline as the lead-in of the first paragraph, as newspapers do."""
    text = _dateline_text(dateline)
    if not text:
        return Markup(body_html)
    lead_in = Markup('<span class="dateline">{}</span> ').format(text)
    if body_html.startswith("<p>"):
        return Markup("<p>") + lead_in + Markup(body_html[3:])
    return Markup('<p class="dateline-alone">') + lead_in + Markup("</p>\n") + Markup(body_html)


def _byline_text(byline: str) -> str:
    text = " ".join(byline.split())
    if not text or text.lower().startswith("by "):
        return text
    return f"By {text}"


def author_names(byline: str) -> list[str]:
    """ "By Jane Doe and Jo Roe" -> ["Jane Doe", "Jo Roe"] (for JSON-LD and meta author)."""
    text = " ".join(byline.split())
    if text.lower().startswith("by "):
        text = text[3:]
    names = re.split(r",\s*|\s+and\s+|\s*&\s*", text)
    return [name.strip() for name in names if name.strip()]


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso_moment(moment: datetime | date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        return _as_utc(moment).isoformat(timespec="seconds")
    return moment.isoformat()


def format_ap_datetime(moment: datetime) -> str:
    """AP style, in UTC: "Nov. 20, 2026, 9:05 a.m. UTC"."""
    moment = _as_utc(moment)
    hour = moment.hour % 12 or 12
    meridiem = "a.m." if moment.hour < 12 else "p.m."
    month = _AP_MONTHS[moment.month - 1]
    return f"{month} {moment.day}, {moment.year}, {hour}:{moment.minute:02d} {meridiem} UTC"


def format_ap_date(day: date) -> str:
    """AP style date: "July 17, 2024", "Nov. 20, 2026"."""
    return f"{_AP_MONTHS[day.month - 1]} {day.day}, {day.year}"


def format_short_date(day: date) -> str:
    """ "3 Dec 2026", as corrections are dated."""
    return f"{day.day} {_SHORT_MONTHS[day.month - 1]} {day.year}"


def _page_time(article: Article) -> tuple[str, str, str]:
    """(ISO value, text, label) of the page's <time>: the story's own date when it has one."""
    if article.story_date is not None:
        return article.story_date.isoformat(), format_ap_date(article.story_date), ""
    moment = article.published_at or article.updated_at or article.created_at
    if moment is None:
        return "", "", ""
    updated = (
        article.published_at is None
        and article.updated_at is not None
        and article.created_at is not None
        and (article.updated_at - article.created_at).total_seconds() >= 60
    )
    return iso_moment(moment), format_ap_datetime(moment), "Updated" if updated else ""


def published_moment(article: Article) -> datetime | date | None:
    """When the page says the story was published: first publication, else the story date."""
    return article.published_at or article.story_date or article.created_at


@dataclass(frozen=True, slots=True)
class Correction:
    """A correction printed at the foot of the article: "Correction, 3 Dec 2026: ..."."""

    when: datetime
    text: str


@dataclass(frozen=True, slots=True)
class SiteContext:
    """Where a page sits in an exported site; None for a standalone page (preview)."""

    #: Relative path from the page to the site root: "", "../", "../../../../".
    root: str = ""
    #: Absolute base URL of the site ("https://news.example/"), or "" when not known.
    base_url: str = ""
    #: This page's path under the site root, as linked: "world/2026/11/slug/".
    path: str = ""
    site_name: str = "Newsroom"
    lang: str = "en"
    #: Links of the site navigation: (label, path under root), e.g. ("World", "world/").
    sections: tuple[tuple[str, str], ...] = ()
    #: Path of the article's section page under root, when there is one.
    section_path: str = ""
    #: The stylesheet, relative to the site root.
    css_path: str = "assets/site.css"

    def href(self, path: str) -> str:
        """A link that works from disk: directories end in index.html."""
        target = path if not path or not path.endswith("/") else path + "index.html"
        return self.root + (target or "index.html")

    def absolute(self, path: str) -> str:
        return self.base_url + path if self.base_url else ""


def normalise_base_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    # Every page's canonical URL, feed id and sitemap starts with it: only a plain http(s)
    # address with a host, that `safe_url` keeps exactly as typed.
    if not re.fullmatch(r"https?://[^\s\"'<>?#]+", url) or safe_url(url) != url:
        shown = clean_text(url)
        raise NewsroomError(
            f"'{shown}' is not a site address: give a full http:// or https:// URL."
        )
    return url if url.endswith("/") else url + "/"


def _featured(article: Article, resolver: AssetResolver | None) -> dict[str, object] | None:
    if not article.featured_asset_id or resolver is None:
        return None
    asset = resolver(article.featured_asset_id)
    if asset is None or not _safe_url(asset.url):
        return None
    return {
        "url": asset.url,
        "alt": " ".join(clean_text(asset.alt).split()),
        "caption": figcaption_html(asset.caption, asset.credit),
        "width": asset.width if asset.width and asset.width > 0 else None,
        "height": asset.height if asset.height and asset.height > 0 else None,
    }


def _tags(article: Article) -> list[str]:
    return [tag.strip() for tag in article.tags if tag.strip()]


def _json_ld_data(
    article: Article,
    site: SiteContext | None,
    headline: str,
    image_url: str,
) -> dict[str, object]:
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline[:110] or "Untitled",
    }
    if article.standfirst.strip():
        data["description"] = " ".join(article.standfirst.split())
    published = published_moment(article)
    if published is not None:
        data["datePublished"] = iso_moment(published)
    modified = article.updated_at or article.published_at
    if modified is not None:
        data["dateModified"] = iso_moment(modified)
    authors = author_names(article.byline)
    if authors:
        data["author"] = [{"@type": "Person", "name": name} for name in authors]
    if image_url:
        data["image"] = [image_url]
    if article.section.strip():
        data["articleSection"] = article.section.strip()
    keywords = _tags(article)
    if keywords:
        data["keywords"] = keywords
    if site is not None:
        if site.base_url:
            data["mainEntityOfPage"] = site.absolute(site.path)
        data["publisher"] = {"@type": "Organization", "name": site.site_name}
    return data


def article_page_context(
    article: Article,
    *,
    preview: bool = False,
    css: str | None = None,
    resolver: AssetResolver | None = None,
    corrections: Sequence[Correction] = (),
    site: SiteContext | None = None,
    body_html: str | None = None,
) -> dict[str, object]:
    """Everything the `article.html` template reads (public so H5/H7 can reuse pieces)."""
    article = clean_article(article)
    if site is not None:
        site = replace(
            site,
            site_name=clean_text(site.site_name),
            sections=tuple((clean_text(label), path) for label, path in site.sections),
        )
    time_iso, time_text, time_label = _page_time(article)
    headline = " ".join(article.headline.split())
    standfirst = " ".join(article.standfirst.split())
    if body_html is None:
        body_html = render_body_html(article.body, resolver)
    featured = _featured(article, resolver)
    published = published_moment(article)
    modified = article.updated_at
    # Built from a checked base URL and slugs, but a URL reaches the page only through
    # `safe_url`, whatever it is made of.
    canonical = (safe_url(site.absolute(site.path)) or "") if site is not None else ""
    image_url = ""
    if featured is not None and site is not None and site.base_url:
        image_url = safe_url(site.absolute(str(featured["url"]).removeprefix(site.root))) or ""
    if site is None:
        stylesheet = _default_css() if css is None else css
        # The stylesheet is trusted, but it sits in a raw-text <style>: never let it close it.
        inline_css: Markup | None = Markup(stylesheet.replace("</", "<\\/"))
        css_href = ""
    else:
        inline_css = None
        css_href = site.root + site.css_path
    return {
        "lang": site.lang if site is not None else "en",
        "headline": headline,
        "standfirst": standfirst,
        "byline": _byline_text(article.byline),
        "authors": author_names(article.byline),
        "section": article.section.strip(),
        "tags": _tags(article),
        "time_iso": time_iso,
        "time_text": time_text,
        "time_label": time_label,
        "published_iso": iso_moment(published),
        "modified_iso": iso_moment(modified),
        "preview": preview,
        "show_banner": preview and article.status not in _PUBLISHED_STATES,
        "status_label": article.status.label,
        "css": inline_css,
        "css_href": css_href,
        "body_html": _with_dateline(body_html, article.dateline),
        "featured": featured,
        "corrections": [
            {
                "iso": _as_utc(c.when).date().isoformat(),
                "date": format_short_date(_as_utc(c.when).date()),
                "text": " ".join(clean_text(c.text).split()),
            }
            for c in corrections
            if clean_text(c.text).strip()
        ],
        "site": site,
        "canonical": canonical,
        "image_url": image_url,
        "json_ld": _json_ld_data(article, site, headline, image_url),
    }


def render_article_page(
    article: Article,
    *,
    preview: bool = False,
    css: str | None = None,
    resolver: AssetResolver | None = None,
    corrections: Sequence[Correction] = (),
    site: SiteContext | None = None,
    templates_dir: str | None = None,
    body_html: str | None = None,
) -> str:
    """A complete HTML5 page for `article`.

    Standalone (`site=None`, the preview and the single-page export): CSS inlined, no other
    files needed. In an exported site (`site` given): linked stylesheet, masthead and section
    navigation, canonical URL. `preview=True` marks the page noindex and, unless the article
    is approved or published, shows a discreet "not for publication" banner. `css` replaces
    the house stylesheet of a standalone page; `resolver` gives `asset:` images their URLs;
    `corrections` are printed at the foot. `body_html` skips rendering the body (a caller
    that already has it, e.g. the preview's block cache).
    """
    context = article_page_context(
        article,
        preview=preview,
        css=css,
        resolver=resolver,
        corrections=corrections,
        site=site,
        body_html=body_html,
    )
    return render_template("article.html", context, templates_dir)
