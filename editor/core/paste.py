"""Clipboard HTML -> clean HTML of the body's structure: what a paste may bring in.

Word, Google Docs, LibreOffice and web pages put very different HTML on the clipboard. A
paste keeps the structure a story can hold (paragraphs, h2/h3, lists with nesting, links,
bold, italic, strikethrough, code, quotes, rules, tables) and drops the rest: fonts,
colours, classes, styles, scripts, event handlers, tracking attributes and parameters,
comments, Word's `<o:p>` and list markers, Google's `<b id="docs-internal-guid-...">`
wrapper (which is not bold). Word writes lists as paragraphs styled `mso-list:l0 level1`;
they become real nested lists here. Styles are read only for their meaning (Google's
`font-weight:700` is bold) and then thrown away. The result is finally passed through an nh3
allow-list, so nothing outside it can get through whatever the pre-pass missed.

What is never content, what is hidden, what is furniture, which links survive and what
styles mean are the rules of `editor.core.htmlclean`, the same the HTML and DOCX importers
follow (see its docstring): a paste and an import of the same HTML keep the same text. A
paste drops furniture (share bars, related links, adverts, `<aside>`) where an import
makes it a note, and it brings no images.

Pure Python (html.parser + nh3): no Qt, usable from the CLI and tests.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

from editor.core import htmlclean
from editor.core.htmlclean import clean_url

#: The tags a cleaned paste may contain.
PASTE_TAGS: frozenset[str] = frozenset(
    {
        *("p", "h2", "h3", "br", "hr"),
        *("strong", "em", "del", "code", "pre", "a"),
        *("ul", "ol", "li", "blockquote"),
        *("table", "thead", "tbody", "tr", "th", "td"),
    }
)
PASTE_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

_VOID = frozenset({"br", "hr", "img", "meta", "link", "col", "input", "source", "wbr", "area"})
#: Dropped together with everything inside them: the shared rule, and images (a paste
#: brings no files to make assets of).
_DROP_WITH_CONTENT = htmlclean.DROPPED_WITH_CONTENT | {"img", "picture"}
_RENAMED = {
    "b": "strong",
    "i": "em",
    "s": "del",
    "strike": "del",
    "tt": "code",
    "kbd": "code",
    "samp": "code",
    "dir": "ul",
    "menu": "ul",
    "tfoot": "tbody",
}
#: Block containers whose tag goes but whose content stays (inline runs become paragraphs).
_TRANSPARENT_BLOCKS = frozenset(
    {
        *("html", "body", "div", "section", "article", "main", "header", "footer"),
        *("aside", "figure", "figcaption", "center", "form", "fieldset", "address"),
        *("details", "summary", "dl", "dd", "dt", "caption", "hgroup", "legend"),
    }
)
_BLOCKS = frozenset(
    {"p", "h2", "h3", "ul", "ol", "li", "blockquote", "pre", "hr", "table"}
    | {"thead", "tbody", "tfoot", "tr", "th", "td"}
    | _TRANSPARENT_BLOCKS
)
_LISTS = frozenset({"ul", "ol"})
_INLINE_KEPT = frozenset({"strong", "em", "del", "code", "a", "br"})
#: A run of white space with at least one ordinary space in it (Word writes ".&nbsp; Next").
_SPACE = re.compile(r"\xa0*[ \t\r\n\f][ \t\r\n\f\xa0]*")


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)
    #: Word's list marker text ("1.", "·"), collected from the hidden marker span.
    marker: str = ""


class _TreeBuilder(HTMLParser):
    """A forgiving HTML tree: unclosed tags close at their parent's end, stray ends are ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self._stack: list[_Node] = [self.root]
        self._skip_depth = 0  # inside a dropped element
        self._skip_tag: str | None = None
        #: Inside Word's `<!--[if !supportLists]-->...<!--[endif]-->` (the list marker) etc.
        self._conditional: list[bool] = []
        self._marker_sink: _Node | None = None

    # -- helpers -------------------------------------------------------------

    @property
    def _hidden(self) -> bool:
        return self._skip_depth > 0 or any(self._conditional)

    def _current_paragraph(self) -> _Node | None:
        for node in reversed(self._stack):
            if node.tag in ("p", "li") or node.tag.startswith("h"):
                return node
        return None

    # -- parser callbacks ------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if self._skip_depth:
            if tag == self._skip_tag and tag not in _VOID:
                self._skip_depth += 1
            return
        attributes = {name.lower(): value or "" for name, value in attrs}
        if (
            tag in _DROP_WITH_CONTENT
            or htmlclean.is_dropped(tag)
            or htmlclean.is_hidden(attributes)
            or htmlclean.furniture_kind(tag, attributes) is not None
        ):
            if tag not in _VOID:
                self._skip_tag, self._skip_depth = tag, 1
            return
        if htmlclean.is_word_list_marker(attributes):
            # Word's visible list marker: remember its text, never show it.
            self._skip_tag, self._skip_depth = tag, 1
            self._marker_sink = self._current_paragraph()
            return
        if any(self._conditional):
            return
        if tag == "p" and self._stack[-1].tag == "p":
            self._stack.pop()  # <p> implicitly closes an open <p>
        if tag == "li":
            self._close_open("li", stop_at=_LISTS)
        if tag in ("td", "th"):
            self._close_open(("td", "th"), stop_at={"tr", "table"})
        if tag == "tr":
            self._close_open("tr", stop_at={"table", "thead", "tbody", "tfoot"})
        node = _Node(tag, attributes)
        self._stack[-1].children.append(node)
        if tag not in _VOID:
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag.lower() not in _VOID and not self._skip_depth:
            self.handle_endtag(tag)
        elif self._skip_depth and self._skip_tag == tag.lower():
            self._skip_depth -= 1
            if not self._skip_depth:
                self._skip_tag = None

    def _close_open(self, tags: str | tuple[str, ...], stop_at: set[str] | frozenset[str]) -> None:
        names = (tags,) if isinstance(tags, str) else tags
        for index in range(len(self._stack) - 1, 0, -1):
            node = self._stack[index]
            if node.tag in stop_at:
                return
            if node.tag in names:
                del self._stack[index:]
                return

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if self._skip_depth:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if not self._skip_depth:
                    self._skip_tag = None
                    self._marker_sink = None
            return
        if any(self._conditional):
            return
        for index in range(len(self._stack) - 1, 0, -1):
            if self._stack[index].tag == tag:
                del self._stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if self._hidden:
            sink = self._marker_sink or (self._current_paragraph() if self._conditional else None)
            if sink is not None and self._skip_tag != "style":
                sink.marker += data
            return
        children = self._stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data  # text around a dropped element is one run of white space
        else:
            children.append(data)

    def handle_comment(self, data: str) -> None:
        # `<!--[if !supportLists]-->` ... `<!--[endif]-->`: Word's "downlevel-revealed"
        # conditional; what is between is a fallback for old browsers (list bullets, empty
        # paragraphs), never content. A whole `<!--[if gte mso 9]>...<![endif]-->` is one
        # comment and goes with it.
        self._conditional_mark(data.strip())

    def unknown_decl(self, data: str) -> None:
        # The same conditionals in their `<![if !supportLists]>` ... `<![endif]>` form.
        self._conditional_mark(data.strip())

    def _conditional_mark(self, text: str) -> None:
        hides = htmlclean.conditional_mark(text)
        if hides is not None:
            self._conditional.append(hides)
        elif htmlclean.is_conditional_end(text) and self._conditional:
            self._conditional.pop()

    def handle_pi(self, data: str) -> None:  # <?xml:namespace ...> in Word's HTML
        return


# -- the transformation ---------------------------------------------------------


def _transform(node: _Node) -> list[_Node | str]:
    """`node` rewritten to the allowed structure: a list, as tags may vanish or multiply."""
    children: list[_Node | str] = []
    for child in node.children:
        if isinstance(child, str):
            children.append(child)
        else:
            children.extend(_transform(child))
    level = htmlclean.heading_level(node.tag)
    tag = f"h{level}" if level else _RENAMED.get(node.tag, node.tag)

    if htmlclean.is_unbold_b(node.tag, node.attrs):
        return children  # Google Docs' <b style="font-weight:normal" id="docs-internal-guid">
    if node.tag == "#root":
        return [_Node("#root", children=children)]
    if tag == "p" and (word_item := htmlclean.word_list_item(node.attrs)):
        item = _Node("li", children=children)
        kind = "ol" if htmlclean.is_ordered_marker(node.marker) else "ul"
        item.attrs = {"x-word-key": word_item[0] + kind, "x-word-level": str(word_item[1])}
        return [item]
    if node.tag in ("span", "font") or (tag not in PASTE_TAGS and tag not in _BLOCKS):
        wrappers = htmlclean.inline_marks(node.tag, node.attrs)
        for wrapper in reversed(wrappers):
            children = [_Node(wrapper, children=children)]
        return children
    if tag in _TRANSPARENT_BLOCKS:
        return [_Node("#block", children=children)]
    if tag == "a":
        href = clean_url(node.attrs.get("href", ""))
        if href is None:
            return children
        link = _Node("a", {"href": href}, children)
        return _push_inline_down(link) if any(_is_block(c) for c in children) else [link]
    if tag == "ol" and node.attrs.get("start", "").isdigit():
        return [_Node("ol", {"start": node.attrs["start"]}, children)]
    if tag == "p" and htmlclean.is_word_quote(node.attrs):
        return [_Node("blockquote", children=[_Node("p", children=children)])]
    if tag == "pre":
        return [_Node("pre", children=[_text_of(children)])]
    if tag in _INLINE_KEPT and any(_is_block(c) for c in children):
        return _push_inline_down(_Node(tag, children=children))
    if tag in ("h2", "h3") and any(_is_block(c) for c in children):
        return _split_heading(tag, children)
    return [_Node(tag, children=children)]


def _split_heading(tag: str, children: list[_Node | str]) -> list[_Node | str]:
    """A heading holds a line of text: paragraphs in it give it their words, and other
    blocks (code, lists, tables) move out after it, as sloppy pages mean them."""
    words: list[_Node | str] = []
    after: list[_Node | str] = []
    for child in children:
        if not after and isinstance(child, _Node) and child.tag in ("p", "#block"):
            words.extend([" ", *child.children] if words else child.children)
        elif _is_block(child) or after:
            after.append(child)
        else:
            words.append(child)
    return [_Node(tag, children=words), *after]


def _push_inline_down(inline: _Node) -> list[_Node | str]:
    """`<b><p>x</p></b>` (Google's wrapper, sloppy pages) -> `<p><b>x</b></p>`."""
    result: list[_Node | str] = []
    run: list[_Node | str] = []

    def wrapped(children: list[_Node | str]) -> _Node:
        return _Node(inline.tag, dict(inline.attrs), children)

    def flush() -> None:
        if run:
            result.append(wrapped(list(run)))
            run.clear()

    for child in inline.children:
        if not _is_block(child):
            run.append(child)
            continue
        flush()
        assert isinstance(child, _Node)
        if child.tag not in ("pre", "hr"):
            child.children = _push_inline_down(wrapped(child.children))
        result.append(child)
    flush()
    return result


def _foster_strays(table: _Node) -> list[_Node | str]:
    """Remove and return what sits in a table outside its cells (browsers show it before)."""
    strays: list[_Node | str] = []
    allowed = {"table": ("thead", "tbody", "tr"), "thead": ("tr",), "tbody": ("tr",)}
    allowed["tr"] = ("td", "th")
    kept: list[_Node | str] = []
    for child in table.children:
        if isinstance(child, _Node) and child.tag in allowed[table.tag]:
            if child.tag in allowed:
                strays.extend(_foster_strays(child))
            kept.append(child)
        elif not _is_blank(child):
            strays.append(child)
    table.children = kept
    return strays


def _text_of(nodes: list[_Node | str]) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif node.tag == "br":
            parts.append("\n")
        else:
            parts.append(_text_of(node.children))
    return "".join(parts)


def _is_block(node: _Node | str) -> bool:
    return isinstance(node, _Node) and (node.tag in _BLOCKS or node.tag in ("#block", "#break"))


def _is_blank(node: _Node | str) -> bool:
    return isinstance(node, str) and not node.replace("\xa0", " ").strip()


def _normalise_blocks(node: _Node) -> None:
    """Flatten `#block`s, group Word's list items, wrap stray inline runs in paragraphs."""
    for child in node.children:
        if isinstance(child, _Node):
            _normalise_blocks(child)
    flat: list[_Node | str] = []
    for child in node.children:
        if isinstance(child, _Node) and child.tag == "#block":
            # A div's edges end a line of text, as the browser shows them.
            flat.extend([_Node("#break"), *child.children, _Node("#break")])
        else:
            flat.append(child)
    fostered: list[_Node | str] = []
    for child in flat:
        if isinstance(child, _Node) and child.tag == "table":
            fostered.extend(_foster_strays(child))
        fostered.append(child)
    flat = _group_word_lists(fostered)
    if node.tag in ("#root", "blockquote", "li", "td", "th"):
        flat = _wrap_inline_runs(flat, allow_inline=node.tag in ("li", "td", "th"))
    if node.tag in _LISTS:
        flat = _fix_list_children(flat)
    if node.tag in ("table", "thead", "tbody", "tr"):
        flat = [child for child in flat if not _is_blank(child)]
    if node.tag == "table":
        flat = _rows_in_bodies(flat)
    node.children = flat


def _rows_in_bodies(children: list[_Node | str]) -> list[_Node | str]:
    """Rows straight in a table go into a tbody, as an HTML parser would put them."""
    result: list[_Node | str] = []
    for child in children:
        if isinstance(child, _Node) and child.tag == "tr":
            last = result[-1] if result else None
            if not (isinstance(last, _Node) and last.tag == "tbody" and last.attrs.get("x")):
                last = _Node("tbody", {"x": "1"})
                result.append(last)
            last.children.append(child)
        else:
            result.append(child)
    for child in result:
        if isinstance(child, _Node):
            child.attrs.pop("x", None)
    return result


def _group_word_lists(children: list[_Node | str]) -> list[_Node | str]:
    """Word's consecutive `mso-list` paragraphs (now `li`s with x-word attrs) -> nested lists."""

    def item_of(node: _Node) -> tuple[int, str] | None:
        if "x-word-level" not in node.attrs:
            return None
        return int(node.attrs.pop("x-word-level")), node.attrs.pop("x-word-key")

    def last_item(list_node: _Node) -> _Node:
        item = next((c for c in reversed(list_node.children) if isinstance(c, _Node)), None)
        if item is None:
            item = _Node("li")
            list_node.children.append(item)
        return item

    return htmlclean.nest_word_lists(
        children, item_of, _Node, lambda parent, child: parent.children.append(child), last_item
    )


def _fix_list_children(children: list[_Node | str]) -> list[_Node | str]:
    """Google Docs puts a nested `<ul>` straight into its parent list: move it into the item."""
    result: list[_Node | str] = []
    for child in children:
        if _is_blank(child):
            continue
        if isinstance(child, _Node) and child.tag in _LISTS:
            previous = next((c for c in reversed(result) if isinstance(c, _Node)), None)
            if previous is None:
                previous = _Node("li")
                result.append(previous)
            previous.children.append(child)
        elif isinstance(child, _Node) and child.tag == "li":
            result.append(child)
        else:
            result.append(_Node("li", children=[child]))
    return result


def _line_break_if(wanted: bool, before: list[_Node | str]) -> list[_Node | str]:
    if not wanted or not any(not _is_blank(c) for c in before):
        return []
    last = next((c for c in reversed(before) if not _is_blank(c)), None)
    if isinstance(last, _Node) and last.tag in ("br", "ul", "ol"):
        return []
    return [_Node("br")]


def _wrap_inline_runs(children: list[_Node | str], allow_inline: bool) -> list[_Node | str]:
    """Inline content beside blocks goes into paragraphs; in a list item or cell, paragraphs
    are unwrapped instead (a Markdown list item or cell holds one line of text)."""
    if allow_inline:
        result: list[_Node | str] = []
        line_ended = False
        for child in children:
            if isinstance(child, _Node) and child.tag in ("p", "h2", "h3", "blockquote", "#break"):
                line_ended = True
                if child.tag != "#break":
                    result.extend(_line_break_if(line_ended, result))
                    result.extend(child.children)
            else:
                result.extend(_line_break_if(line_ended and not _is_blank(child), result))
                line_ended = False
                result.append(child)
        return result  # nested lists stay inside the item
    result = []
    run: list[_Node | str] = []

    def flush() -> None:
        if any(not _is_blank(c) for c in run):
            result.append(_Node("p", children=list(run)))
        run.clear()

    for child in children:
        if _is_block(child):
            flush()
            if child.tag != "#break":
                result.append(child)
        else:
            run.append(child)
    flush()
    return result


# -- output -------------------------------------------------------------------------


def _has_text(node: _Node) -> bool:
    return any(
        (isinstance(c, str) and c.replace("\xa0", " ").strip())
        or (isinstance(c, _Node) and (c.tag == "hr" or _has_text(c)))
        for c in node.children
    )


def _serialise(node: _Node | str, out: list[str], *, in_pre: bool = False) -> None:
    if isinstance(node, str):
        text = node if in_pre else _SPACE.sub(" ", node)
        out.append(html.escape(text, quote=False))
        return
    tag = node.tag
    if tag == "#break":
        return
    if tag in ("#root", "#block"):
        for child in node.children:
            _serialise(child, out)
        return
    if tag in ("br", "hr"):
        out.append(f"<{tag}>")
        if tag == "hr":
            out.append("\n")
        return
    if tag in ("p", "h2", "h3", "li", "strong", "em", "del", "code", "a", "table") and not (
        _has_text(node)
    ):
        return  # Word's <p>&nbsp;</p>, an empty <b></b>
    attrs = "".join(f' {name}="{html.escape(value)}"' for name, value in node.attrs.items())
    out.append(f"<{tag}{attrs}>")
    for child in node.children:
        _serialise(child, out, in_pre=in_pre or tag == "pre")
    out.append(f"</{tag}>")
    if tag in _BLOCKS:
        out.append("\n")


_CLEANER = nh3.Cleaner(
    tags=set(PASTE_TAGS),
    clean_content_tags={"script", "style"},
    attributes={"a": {"href"}, "ol": {"start"}},
    url_schemes=set(PASTE_URL_SCHEMES),
    link_rel=None,
    strip_comments=True,
)

_SPACE_AFTER_OPEN = re.compile(r"(<(?:p|h2|h3|li|td|th)>)[ \xa0]+")
_SPACE_BEFORE_CLOSE = re.compile(r"[ \xa0]+(</(?:p|h2|h3|li|td|th)>|<br>|<(?:ul|ol)>)")
_SPACE_AFTER_BREAK = re.compile(r"<br>[ \xa0]+")
_HEADING_STRONG = re.compile(r"<(h[23])>(.*?)</\1>", re.DOTALL)


def clean_paste_html(clipboard_html: str) -> str:
    """Clean HTML with only the structure a story body can hold ("" when nothing is left)."""
    builder = _TreeBuilder()
    builder.feed(clipboard_html or "")
    builder.close()
    (root,) = _transform(builder.root)
    assert isinstance(root, _Node)
    _normalise_blocks(root)
    out: list[str] = []
    _serialise(root, out)
    text = "".join(out)
    text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    text = _SPACE_BEFORE_CLOSE.sub(r"\1", text)
    text = _SPACE_AFTER_BREAK.sub("<br>", text)
    # A heading is bold already: "<h2><strong>Title</strong></h2>" says nothing more.
    text = _HEADING_STRONG.sub(
        lambda m: (
            f"<{m.group(1)}>{m.group(2).replace('<strong>', '').replace('</strong>', '')}"
            f"</{m.group(1)}>"
        ),
        text,
    )
    return _CLEANER.clean(text).strip()
