"""The one set of rules for HTML from outside: a paste into the body, or an HTML/DOCX import.

Two writers use these rules and differ only in what they write: `editor.core.paste` writes
the editor's clean HTML (html.parser, forgiving of clipboard fragments), and
`editor.core.importers.htmlmd` writes the body's Markdown plus import notes (lxml, after
`prepare_tree` below). Every element either writer meets is judged here, once:

- **Never content** (`DROPPED_WITH_CONTENT`, dropped with everything inside): code, styles,
  embeds and frames, media, form controls *and their labels*, `<nav>`, Word's `v:`/`w:`
  shapes and data islands. A `<form>` itself is only a wrapper (ASP.NET pages wrap the
  whole page in one), so the story inside it stays; its controls and labels go.
- **Hidden** (`is_hidden`): the `hidden` attribute, `aria-hidden="true"`, `display:none`,
  `visibility:hidden` and Word's hidden text `mso-hide:all`. Share tooltips, screen-reader
  duplicates, Word's hidden notes: never what the reader saw.
- **Word's fallbacks**: what stands between `<![if !supportLists]>` (any `!support...`)
  and `<![endif]>` is a fallback for old browsers (list bullets, doubled line breaks,
  comment anchors), and a `mso-list:Ignore` span is the typed list marker; neither is
  text. Paragraphs styled `mso-list:lN levelM` are list items and become nested lists;
  the marker says whether the list is ordered. `class=MsoQuote` is a quotation.
- **Furniture** (`furniture_kind`): `<aside>`, ARIA landmark roles (navigation, banner,
  complementary, contentinfo, search) and class/id words such as share, related, advert,
  newsletter, comments, cookie, paywall, sidebar. Import keeps it out of the body as an
  import note at the place it stood (nothing lost); a paste drops it (a paste has nowhere
  to put notes; if nothing else is left, the editor pastes the clipboard's plain text).
- **Emphasis from styles** (`inline_marks`): `font-weight` >= 600 or bold is strong,
  italic/oblique is emphasis, `line-through` is struck out, a monospace family is code;
  Google Docs' `<b style="font-weight:normal">` wrapper is not bold. Headings are bold
  already: no strong inside them.
- **Headings** (`heading_level`): `h1` and `h2` are subheads (`##`; the article's only
  `h1` is its headline), `h3`-`h6` are `###`, the two levels the body holds.
- **Links** (`clean_url`): absolute http(s) or mailto only (a relative link is resolved
  against the page's base URL when the importer knows one, else unlinked); Google's
  `google.com/url?q=` redirect is unwrapped; tracking parameters (`utm_*`, `fbclid`,
  `gclid`, ...) go, the rest of the query stays.

What still differs between the paths, on purpose: a paste brings no images (the clipboard
carries no file to make an asset of; a figure's caption stays as text), while an import
keeps them as assets or image notes; import turns mammoth's footnotes into `[^1]`, and a
paste has no footnote element (Word's `[1]` reference stays as text); struck-out text is
`<del>` in a paste and plain text in Markdown, which has no strikethrough in our dialect.

No Qt; lxml only in `prepare_tree`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TypeVar
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree

#: Dropped with everything inside them, by both paths.
DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {
        *("head", "title", "meta", "link", "base", "script", "style", "template", "noscript"),
        *("iframe", "frame", "frameset", "object", "embed", "applet", "param", "svg", "math"),
        *("canvas", "video", "audio", "source", "track", "map", "area"),
        *("button", "select", "textarea", "input", "option", "optgroup", "datalist", "label"),
        *("output", "meter", "progress", "dialog", "nav", "colgroup", "col", "xml"),
    }
)
#: Namespaced Word markup that is drawing or data, never text.
DROPPED_PREFIXES: tuple[str, ...] = ("v:", "w:")
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
WORD_QUOTE_CLASSES: frozenset[str] = frozenset({"msoquote", "msointensequote"})

_FURNITURE_WORDS = re.compile(
    r"(?:^|[-_\s])(?P<word>ads?|advert\w*|advertisement|sponsor\w*|promo\w*|newsletter\w*|"
    r"share|sharing|social|related|recommended|outbrain|taboola|comments?|cookie\w*|"
    r"subscribe|subscription|paywall|breadcrumbs?|sidebar|most-?read|popular|tags?-?list)"
    r"(?=$|[-_\s])",
    re.IGNORECASE,
)
_KIND_BY_WORD = {
    "ad": "advert", "ads": "advert", "advert": "advert", "sponsor": "advert", "promo": "advert",
    "newsletter": "newsletter", "subscribe": "newsletter", "subscription": "newsletter",
    "share": "social", "sharing": "social", "social": "social",
    "related": "related", "recommended": "related", "outbrain": "related",
    "taboola": "related", "most": "related", "popular": "related",
}  # fmt: skip
_LANDMARK_ROLES = frozenset({"complementary", "navigation", "banner", "contentinfo", "search"})
#: Containers that hold the story itself: never furniture, whatever their class says.
_STORY_CONTAINERS = frozenset({"body", "html", "article", "main"})
_MONOSPACE = re.compile(r"courier|consolas|monaco|menlo|monospace|\bmono\b", re.IGNORECASE)
_WORD_LIST = re.compile(r"mso-list:\s*(l\d+)\s+level(\d+)", re.IGNORECASE)
_ORDERED_MARKER = re.compile(r"^\(?([0-9]{1,3}|[a-z]{1,2}|[ivxlcdm]{1,6})[.)]$", re.IGNORECASE)
_TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|igshid|yclid)$"
)
_GOOGLE_REDIRECT_HOSTS = frozenset({"www.google.com", "google.com"})
#: Block elements: an inline element around one is pushed down into it (`prepare_tree`).
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        *("p", "div", "section", "article", "main", "header", "footer", "aside", "nav"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "menu"),
        *("blockquote", "pre", "hr", "figure", "figcaption", "address", "center", "details"),
        *("summary", "hgroup", "form", "fieldset", "body", "html", "dir"),
        *("table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th"),
    }
)
#: Blocks that hold one run of text: a pushed-down inline element wraps their content.
_LINE_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th"})
_HEADING_LEVELS = {"h1": 2, "h2": 2, "h3": 3, "h4": 3, "h5": 3, "h6": 3}


# -- judging one element -----------------------------------------------------------


def style_map(style: str | None) -> Mapping[str, str]:
    """`"a: B; c:d"` -> `{"a": "b", "c": "d"}` (names and values lower case, read only:
    Word and Google Docs repeat the same few styles thousands of times, so it is cached)."""
    return _style_map(style or "")


@functools.lru_cache(maxsize=4096)
def _style_map(style: str) -> Mapping[str, str]:
    result: dict[str, str] = {}
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        if colon:
            result[name.strip().lower()] = value.strip().lower()
    return MappingProxyType(result)


def is_dropped(tag: str) -> bool:
    """Never content: dropped with everything inside (`tag` lower case, prefix kept)."""
    return tag in DROPPED_WITH_CONTENT or tag.startswith(DROPPED_PREFIXES)


def is_hidden(attrs: Mapping[str, str | None]) -> bool:
    """Content the page or document never shows."""
    if attrs.get("hidden") is not None or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    style = attrs.get("style")
    if not style:
        return False
    styles = style_map(style)
    return (
        styles.get("display") == "none"
        or styles.get("visibility") == "hidden"
        or styles.get("mso-hide") == "all"
    )


def is_word_list_marker(attrs: Mapping[str, str | None]) -> bool:
    """Word's typed list marker (`<span style="mso-list:Ignore">1.</span>`)."""
    return "ignore" in style_map(attrs.get("style")).get("mso-list", "")


def word_list_item(attrs: Mapping[str, str | None]) -> tuple[str, int] | None:
    """(list id, level) of a Word list paragraph (`style="mso-list:l0 level2 lfo1"`)."""
    match = _WORD_LIST.search(attrs.get("style") or "")
    return (match.group(1).lower(), int(match.group(2))) if match else None


def is_ordered_marker(marker: str) -> bool:
    """Whether Word's typed marker numbers the item ("1.", "a)", "iv.") or bullets it."""
    return bool(_ORDERED_MARKER.match(marker.replace("\xa0", " ").strip()))


def is_word_quote(attrs: Mapping[str, str | None]) -> bool:
    return (attrs.get("class") or "").lower() in WORD_QUOTE_CLASSES


def conditional_mark(text: str) -> bool | None:
    """A Word conditional comment: True opens a hidden fallback (`[if !supportLists]`),
    False opens a shown one (`[if !vml]`), None closes (`[endif]`) or is not one.

    Use `is_conditional_end` to tell the end from other comments."""
    lower = text.strip().strip("[]").strip().lower()
    if lower.startswith("if ") and "endif" not in lower:
        return lower[3:].strip().startswith("!support")
    return None


def is_conditional_end(text: str) -> bool:
    return text.strip().strip("[]").strip().lower() == "endif"


def furniture_kind(tag: str, attrs: Mapping[str, str | None]) -> str | None:
    """The note kind when the element is page furniture by its tag, role, class or id."""
    if tag == "aside":
        return "related"
    if (attrs.get("role") or "").lower() in _LANDMARK_ROLES:
        return "boilerplate"
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    if tag in _STORY_CONTAINERS or not names.strip():
        return None
    return _furniture_by_names(names)


@functools.lru_cache(maxsize=4096)
def _furniture_by_names(names: str) -> str | None:
    match = _FURNITURE_WORDS.search(names)
    if match is None:
        return None
    word = match.group("word").lower()
    for prefix, kind in _KIND_BY_WORD.items():
        if word.startswith(prefix):
            return kind
    return "boilerplate"


def heading_level(tag: str) -> int | None:
    """2 or 3 for a heading tag, None for anything else."""
    return _HEADING_LEVELS.get(tag)


def _bold_weight(value: str) -> bool | None:
    if not value:
        return None
    if value in ("bold", "bolder"):
        return True
    if value in ("normal", "lighter"):
        return False
    try:
        return int(value) >= 600
    except ValueError:
        return None


def is_unbold_b(tag: str, attrs: Mapping[str, str | None]) -> bool:
    """Google Docs' `<b style="font-weight:normal" id="docs-internal-guid-...">` wrapper."""
    return (
        tag == "b" and _bold_weight(style_map(attrs.get("style")).get("font-weight", "")) is False
    )


def inline_marks(tag: str, attrs: Mapping[str, str | None]) -> list[str]:
    """What a styled `<span>` or `<font>` means: "strong", "em", "del", "code" (in order)."""
    if tag not in ("span", "font"):
        return []
    styles = style_map(attrs.get("style"))
    marks: list[str] = []
    if _bold_weight(styles.get("font-weight", "")):
        marks.append("strong")
    if styles.get("font-style", "") in ("italic", "oblique"):
        marks.append("em")
    decoration = styles.get("text-decoration", "") + " " + styles.get("text-decoration-line", "")
    if "line-through" in decoration:
        marks.append("del")
    if _MONOSPACE.search(styles.get("font-family", "") + " " + (attrs.get("face") or "")):
        marks.append("code")
    return marks


def clean_url(href: str | None, base_url: str = "") -> str | None:
    """An absolute http(s)/mailto address without tracking parameters, or None (unlinked)."""
    url = (href or "").strip()
    if not url or url.startswith("#"):
        return None
    if base_url:
        try:
            url = urljoin(base_url, url)
        except ValueError:
            return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        return url
    if scheme not in ("http", "https") or not parts.netloc:
        return None  # relative links, #bookmarks, javascript:, data: ...
    if parts.netloc.lower() in _GOOGLE_REDIRECT_HOSTS and parts.path == "/url":
        target = dict(parse_qsl(parts.query)).get("q")
        if target and target != url:
            return clean_url(unquote(target))
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if not _TRACKING_PARAMS.match(k.lower())]
    if len(kept) != len(query):
        return urlunsplit(parts._replace(query=urlencode(kept)))
    return url


# -- Word's list paragraphs -> nested lists (one algorithm, for either tree) --------------

N = TypeVar("N")


def nest_word_lists(
    children: list[N | str],
    item_of: Callable[[N], tuple[int, str] | None],
    new_list: Callable[[str], N],
    append: Callable[[N, N], None],
    last_item: Callable[[N], N],
) -> list[N | str]:
    """Consecutive Word list items among `children` -> nested list nodes.

    `item_of(node)` gives (level, list key including "ol"/"ul") for a list item, else None;
    `new_list(kind)` makes a list, `append(parent, child)` adds to a list or an item and
    `last_item(list)` gives a list's last item (made when there is none). Blank text between
    items goes; other text or nodes end the lists."""
    result: list[N | str] = []
    stack: list[tuple[int, str, N]] = []  # (level, key, list node)
    for child in children:
        found = None if isinstance(child, str) else item_of(child)
        if found is not None:
            assert not isinstance(child, str)
            level, key = found
            while stack and stack[-1][0] > level:
                stack.pop()
            if stack and stack[-1][0] == level and stack[-1][1] != key:
                stack.pop()
            if stack and stack[-1][0] == level:
                append(stack[-1][2], child)
                continue
            made = new_list(key[-2:])
            append(made, child)
            if stack:
                append(last_item(stack[-1][2]), made)
            else:
                result.append(made)
            stack.append((level, key, made))
        elif isinstance(child, str) and not child.replace("\xa0", " ").strip() and stack:
            continue
        else:
            stack.clear()
            result.append(child)
    return result


# -- an lxml tree, before the Markdown writer -----------------------------------------


def _lxml_tag(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def prepare_tree(root: etree._Element) -> None:
    """Apply the rules that need more than one element to an lxml tree, in place: Word's
    fallbacks and typed markers removed, its list paragraphs made lists, `MsoQuote` made
    quotes, what is never content or hidden removed (tails kept)."""
    markers: dict[etree._Element, str] = {}
    _remove_conditionals(root, markers)
    inline: list[etree._Element] = []  # in document order
    list_parents: dict[etree._Element, None] = {}  # parents of Word list paragraphs, ordered
    stack = [root]
    while stack:  # not recursive: hostile pages nest thousands deep
        element = stack.pop()
        for child in reversed(element):
            tag = _lxml_tag(child)
            if not tag:
                continue
            attrs = child.attrib
            if is_dropped(tag) or is_hidden(attrs) or is_word_list_marker(attrs):
                if is_word_list_marker(attrs) and (holder := _word_item_of(child)) is not None:
                    markers[holder] = "".join(child.itertext()) + markers.get(holder, "")
                _remove_keeping_tail(child)
                continue
            if tag == "p":
                if is_word_quote(attrs):
                    child.tag = "blockquote"
                elif word_list_item(attrs):
                    list_parents[element] = None
            elif tag not in BLOCK_TAGS:
                inline.append(child)
            stack.append(child)
    for element in reversed(inline):  # innermost first
        if any(_lxml_tag(child) in BLOCK_TAGS for child in element):
            _push_inline_down(element)
    for parent in list_parents:
        if any(_lxml_tag(p) == "p" and word_list_item(p.attrib) for p in parent):
            _nest_lxml(parent, markers)


def _push_inline_down(inline: etree._Element) -> None:
    """`<b><p>x</p></b>` (sloppy pages) -> `<p><b>x</b></p>`; Google Docs' not-bold `<b>`
    wrapper and plain spans around blocks simply go."""
    tag = _lxml_tag(inline)
    parent = inline.getparent()
    if not tag or parent is None:
        return
    keep = not (
        is_unbold_b(tag, inline.attrib)
        or (tag in ("span", "font", "o:p") and not (inline_marks(tag, inline.attrib)))
    )

    def copy() -> etree._Element:
        return etree.Element(inline.tag, dict(inline.attrib))

    pieces: list[etree._Element | str] = []
    run: etree._Element | None = None

    def add_text(text: str | None) -> None:
        nonlocal run
        if not text:
            return
        if not keep or (run is None and not text.strip()):
            pieces.append(text)
            return
        if run is None:
            run = copy()
            pieces.append(run)
        if len(run):
            run[-1].tail = (run[-1].tail or "") + text
        else:
            run.text = (run.text or "") + text

    add_text(inline.text)
    for child in list(inline):
        tail, child.tail = child.tail, None
        if _lxml_tag(child) in BLOCK_TAGS:
            run = None
            if keep and _lxml_tag(child) in _LINE_BLOCKS:
                wrapper = copy()
                wrapper.text, child.text = child.text, None
                for grandchild in list(child):
                    wrapper.append(grandchild)
                child.append(wrapper)
            pieces.append(child)
        elif keep:
            if run is None:
                run = copy()
                pieces.append(run)
            run.append(child)
        else:
            pieces.append(child)
        add_text(tail)
    if inline.tail:
        pieces.append(inline.tail)
    index = parent.index(inline)
    parent.remove(inline)
    previous = parent[index - 1] if index else None
    for piece in pieces:
        if isinstance(piece, str):
            if previous is None:
                parent.text = (parent.text or "") + piece
            else:
                previous.tail = (previous.tail or "") + piece
        else:
            parent.insert(index, piece)
            index += 1
            previous = piece


def _word_item_of(element: etree._Element) -> etree._Element | None:
    for ancestor in element.iterancestors():
        if _lxml_tag(ancestor) == "p":
            return ancestor if word_list_item(ancestor.attrib) else None
    return None


def _remove_conditionals(root: etree._Element, markers: dict[etree._Element, str]) -> None:
    """Remove what stands between `<!--[if !support...]-->` and its `<!--[endif]-->`."""
    for comment in list(root.iter(etree.Comment)):
        if comment.getparent() is None or conditional_mark(comment.text or "") is not True:
            continue
        hidden = [comment.tail or ""]
        comment.tail = None
        doomed: list[etree._Element] = []
        sibling = comment.getnext()
        while sibling is not None and not (
            sibling.tag is etree.Comment and is_conditional_end(sibling.text or "")
        ):
            doomed.append(sibling)
            sibling = sibling.getnext()
        if sibling is None:  # no end among the siblings: not Word's pattern, keep it all
            comment.tail = hidden[0] or None
            continue
        for element in doomed:
            hidden.append("".join(element.itertext()) + (element.tail or ""))
            element.getparent().remove(element)
        holder = _word_item_of(comment)
        if holder is not None:
            markers[holder] = markers.get(holder, "") + "".join(hidden)


def _remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail, previous = element.tail, element.getprevious()
    parent.remove(element)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _nest_lxml(parent: etree._Element, markers: dict[etree._Element, str]) -> None:
    tokens: list[etree._Element | str] = []
    for child in parent:
        tokens.append(child)
        if child.tail:
            tokens.append(child.tail)
            child.tail = None

    def item_of(node: etree._Element) -> tuple[int, str] | None:
        found = word_list_item(node.attrib) if _lxml_tag(node) == "p" else None
        if found is None:
            return None
        node.tag = "li"
        for name in ("style", "class"):
            node.attrib.pop(name, None)
        kind = "ol" if is_ordered_marker(markers.get(node, "")) else "ul"
        return found[1], found[0] + kind

    def last_item(list_node: etree._Element) -> etree._Element:
        if len(list_node):
            return list_node[-1]
        return etree.SubElement(list_node, "li")

    nested = nest_word_lists(
        tokens, item_of, lambda kind: etree.Element(kind), lambda p, c: p.append(c), last_item
    )
    for child in list(parent):
        parent.remove(child)
    previous: etree._Element | None = None
    for token in nested:
        if isinstance(token, str):
            if previous is None:
                parent.text = (parent.text or "") + token
            else:
                previous.tail = (previous.tail or "") + token
        else:
            parent.append(token)
            previous = token
