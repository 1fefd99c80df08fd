"""Markdown <-> QTextDocument for the body editor, kept in one replaceable place.

Reading: Python-Markdown itself parses the body (the same dialect and parser as the
renderer, so a list nested by two spaces or a list glued to a paragraph mean here what
they mean on the page), and Qt's HTML reader builds the document. What Qt's HTML reader
loses (quote depth, code blocks and their language, explicit table alignment) travels
through the `-qt-user-state` of each block and is turned into block formats right after.
Footnote references are not part of the editor's model: `[^label]` stays literal text
both ways. What the editor cannot model, footnote definitions (one per definition, with
its indented paragraphs) and raw HTML blocks, is kept verbatim as a *protected block*: one
block holding the Markdown source (lines as hard breaks), marked `RAW_MARKDOWN`, that the
writer writes back unchanged.

Also carried that way: which list items were loose (a paragraph each: the writer keeps
their blank lines) and which code block each line of code belongs to. Bold inside a
heading or a table header (bold already) is made heavier so it stays visible and
writable (`markdown_writer.EXPLICIT_BOLD`).

A paragraph longer than `SPLIT_ABOVE` characters (a pasted book, an import of one huge
line) is shown as several blocks of about `PIECE_CHARS` (`split_long_blocks`), each piece
after the first marked `PARAGRAPH_CONTINUES`, cut after a sentence's end or a space: Qt
lays a whole block out again on every keystroke (0.3 s a key in a 1 MB block, 7 s in a
5 MB one), so one huge block would freeze the window. The writer joins the pieces again,
and the reading rhythm gives them no space between them.

Writing: `markdown_writer.document_to_markdown`, our own serialiser, here through the
document's block cache (`cached_markdown`): only blocks edited since the last call are read.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

import markdown
import nh3
from markdown import util as markdown_util
from markdown.blockprocessors import BlockProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QImage,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

from editor.core import md_emphasis
from editor.core.render import ALLOWED_TAGS, DROPPED_WITH_CONTENT, MARKDOWN_EXTENSIONS
from editor.ui.body.markdown_writer import (
    CODE_BLOCK_ID,
    EXPLICIT_BOLD,
    ITEM_PARAGRAPH,
    LOOSE_ITEM,
    PARAGRAPH_CONTINUES,
    RAW_MARKDOWN,
    cached_markdown,
    continues,
    new_piece_id,
)
from editor.ui.body.tables import style_header, table_format

__all__ = [
    "QUOTE_INDENT",
    "document_to_markdown",
    "image_urls",
    "load_markdown",
    "markdown_to_html",
    "register_image",
]

#: Left and right margin of one level of block quote, as the editor draws it.
QUOTE_INDENT = 28.0
_EXTENSIONS = [name for name in MARKDOWN_EXTENSIONS if name != "footnotes"]
_QUOTE_MASK = 0xF
_CODE_FLAG = 0x10
_ALIGN_SHIFT = 5
_LOOSE_FLAG = 0x80
#: Explicit column alignments carry `AlignAbsolute`: Qt's defaults (left, and centred
#: header cells) then never read as a chosen alignment (see `markdown_writer`).
_ALIGNMENTS = {
    "left": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute,
    "center": Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignAbsolute,
    "right": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute,
}
_ALIGN_CODES = {"left": 1, "center": 2, "right": 3}
_ALIGN_BY_CODE = {code: _ALIGNMENTS[name] for name, code in _ALIGN_CODES.items()}
_LANGUAGE_SHIFT = 8
#: A paragraph piece that continues the one before (see `_split_html`); never on code.
_PIECE_FLAG = 1 << 27
#: A further paragraph of a list item: the item's nesting level, in bits 28-29.
_CONTINUATION_SHIFT = 28
_CONTINUATION_MASK = 0x3
_TEXT_ALIGN = re.compile(r"text-align:\s*(left|center|right)")
# A code block as fenced_code writes it (attributes of `{ #id .class }` included) after the
# annotation; the renderer keeps only a language it can name (`render._LANGUAGE_CLASS`).
_PRE = re.compile(
    r'<pre((?:\s+[\w:-]+="[^"]*")*)><code((?:\s+[\w:-]+="[^"]*")*)>(.*?)</code></pre>',
    re.DOTALL,
)
_USER_STATE = re.compile(r'\bstyle="-qt-user-state:(\d+)"')
_LANGUAGE = re.compile(r'\bclass="(?:[^"]*\s)?language-([A-Za-z0-9_+#-]{1,40})(?=[\s"])')
# Footnote syntax is kept as text: stand-ins Python-Markdown passes through untouched.
_FOOTNOTE = re.compile(r"(?<!\\)\[\^([^\]\s\\]+)\]")
_FOOTNOTE_OPEN, _FOOTNOTE_CLOSE = "\ue020", "\ue021"
_OBJECT = "\ufffc"
# A protected block's place in the HTML for Qt: its number between two private-use marks.
_RAW_OPEN, _RAW_CLOSE = "\ue030", "\ue031"
_RAW_MARK = re.compile(f"{_RAW_OPEN}(\\d+){_RAW_CLOSE}")
_LINE_BREAK = "\u2028"
_BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre"})

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={
        "*": {"style"},
        "a": {"href", "title"},
        "img": {"src", "alt"},
        "ol": {"start"},
    },
    url_schemes={"http", "https", "mailto", "asset"},
    link_rel=None,
    strip_comments=True,
)


class _Annotate(Treeprocessor):
    """Write quote depth, looseness and table alignment into each block's `-qt-user-state`."""

    def run(self, root: ET.Element) -> None:
        self._walk(root, 0, False, 0)

    def _walk(self, element: ET.Element, quote: int, bold_already: bool, items: int) -> None:
        for position, child in enumerate(element):
            depth = quote + 1 if child.tag == "blockquote" else quote
            if child.tag in _BLOCK_TAGS:
                state = min(depth, _QUOTE_MASK)
                loose = child.find("p") is not None if child.tag == "li" else element.tag == "li"
                if loose:
                    state |= _LOOSE_FLAG
                if (
                    element.tag == "li"
                    and child.tag in ("p", "pre")
                    and (position or (element.text or "").strip())
                    and not depth
                ):
                    # A further paragraph of the item (not its own text): the item's level.
                    state |= min(items, _CONTINUATION_MASK) << _CONTINUATION_SHIFT
                child.set("style", f"-qt-user-state:{state}")
            elif child.tag in ("th", "td"):
                match = _TEXT_ALIGN.search(child.attrib.pop("style", ""))
                code = _ALIGN_CODES[match.group(1)] if match else 0
                child.set("style", f"-qt-user-state:{code << _ALIGN_SHIFT}")
            elif child.tag == "strong" and bold_already:
                child.set("style", f"font-weight:{EXPLICIT_BOLD}")
            heavy = bold_already or child.tag in ("th", "h1", "h2", "h3", "h4", "h5", "h6")
            self._walk(child, depth, heavy, items + (child.tag == "li"))


class _CodeBlocks(Postprocessor):
    """Mark each `<pre>` (fenced code is stashed, so after the tree) with flag and language."""

    def __init__(self, md: markdown.Markdown, languages: list[str]) -> None:
        super().__init__(md)
        self.languages = languages

    def run(self, text: str) -> str:
        return _PRE.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        found = _USER_STATE.search(match.group(1))
        user_state = int(found.group(1)) if found else 0
        quote = user_state & _QUOTE_MASK
        found = _LANGUAGE.search(match.group(2))
        language = found.group(1) if found else ""
        self.languages.append(language)
        state = quote | _CODE_FLAG | (len(self.languages) - 1) << _LANGUAGE_SHIFT
        state |= user_state & (_CONTINUATION_MASK << _CONTINUATION_SHIFT)
        code = match.group(3)
        if code.endswith("\n"):
            code = code[:-1]
        return f'<pre style="-qt-user-state:{state}">{code}</pre>'


class _FootnoteDefinitions(BlockProcessor):
    """Footnote definitions, split as Python-Markdown's footnotes extension splits them,
    each kept as the source of one protected block where it stands."""

    # The footnotes extension's pattern, with a label's stand-ins (see `_FOOTNOTE`) too.
    RE = re.compile(
        rf"^[ ]{{0,3}}(?:\[\^([^\]]*)\]|{_FOOTNOTE_OPEN}([^{_FOOTNOTE_CLOSE}]*){_FOOTNOTE_CLOSE})"
        r":[ ]*(.*)$",
        re.MULTILINE,
    )

    def __init__(self, parser, raw: list[str]) -> None:
        super().__init__(parser)
        self.raw = raw

    def test(self, parent: ET.Element, block: str) -> bool:
        return self.RE.search(block) is not None

    def run(self, parent: ET.Element, blocks: list[str]) -> bool:
        block = blocks.pop(0)
        starts = [match.start() for match in self.RE.finditer(block)]
        preceding = block[: starts[0]]
        if preceding.strip():
            self.parser.parseBlocks(parent, [preceding.rstrip("\n")])
        pieces = [
            block[start:end] for start, end in zip(starts, [*starts[1:], len(block)], strict=True)
        ]
        for number, piece in enumerate(pieces):
            lines = [self._detab(line) for line in piece.strip("\n").split("\n")]
            definition = [lines[0].lstrip(" ")] + ["    " + line for line in lines[1:] if line]
            if number == len(pieces) - 1:
                # Indented blocks after the last definition are its further paragraphs.
                while blocks and blocks[0].startswith(" " * 4) and not self.RE.search(blocks[0]):
                    paragraph = blocks.pop(0).split("\n")
                    definition.append("")
                    definition.extend(
                        "    " + self._detab(line) if line.strip() else "" for line in paragraph
                    )
            element = ET.SubElement(parent, "p")
            element.text = f"{_RAW_OPEN}{len(self.raw)}{_RAW_CLOSE}"
            self.raw.append("\n".join(definition).rstrip())
        return True

    @staticmethod
    def _detab(line: str) -> str:
        return line[4:] if line.startswith(" " * 4) else line


class _StashMark(Preprocessor):
    """Remember how much is stashed before raw HTML blocks are (fenced code goes first)."""

    def __init__(self, md: markdown.Markdown, extension: _EditorExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.extension.stash_start = self.md.htmlStash.html_counter
        return lines


class _RawHtmlBlocks(Postprocessor):
    """A raw HTML block (one with something to show) becomes a protected block."""

    def __init__(self, md: markdown.Markdown, extension: _EditorExtension) -> None:
        super().__init__(md)
        self.extension = extension
        placeholder = markdown_util.HTML_PLACEHOLDER % r"([0-9]+)"
        self.pattern = re.compile(f'<p(?: style="[^"]*")?>{placeholder}\n?</p>')
        self.inner = re.compile(placeholder)

    def run(self, text: str) -> str:
        if self.md.htmlStash.html_counter <= self.extension.stash_start:
            return text
        return self.pattern.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        key = int(match.group(1))
        stash = self.md.htmlStash
        if not self.extension.stash_start <= key < stash.html_counter:
            return match.group(0)
        html = self._expand(str(stash.rawHtmlBlocks[key]))
        shown = _CLEANER.clean(html)
        if not re.match(r"\s*</?[A-Za-z!?]", html) or not shown.strip():
            return match.group(0)  # not a block, or nothing to show (a comment)
        self.extension.raw.append(html.strip("\n"))
        return f"<p>{_RAW_OPEN}{len(self.extension.raw) - 1}{_RAW_CLOSE}</p>"

    def _expand(self, html: str) -> str:
        stash = self.md.htmlStash

        def inner(match: re.Match[str]) -> str:
            key = int(match.group(1))
            if key < stash.html_counter:
                return self._expand(str(stash.rawHtmlBlocks[key]))
            return match.group(0)

        return self.inner.sub(inner, html)


class _EditorExtension(markdown.Extension):
    def __init__(self) -> None:
        super().__init__()
        self.languages: list[str] = []
        #: The source of each protected block, by number.
        self.raw: list[str] = []
        self.stash_start = 0

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Emphasis read as the renderer reads it (no text swallowed by a stray delimiter).
        md_emphasis.install(md)
        md.preprocessors.register(_StashMark(md, self), "newsroom_editor_stash_mark", 22)
        md.parser.blockprocessors.register(
            _FootnoteDefinitions(md.parser, self.raw), "newsroom_editor_footnotes", 17
        )
        md.treeprocessors.register(_Annotate(md), "newsroom_editor_annotate", 1)
        # Before the raw-HTML postprocessor (30) puts the blocks back.
        md.postprocessors.register(_RawHtmlBlocks(md, self), "newsroom_editor_raw_html", 31)
        # After the raw-HTML postprocessor (30) has put the fenced code back.
        md.postprocessors.register(_CodeBlocks(md, self.languages), "newsroom_editor_code", 5)


_local = threading.local()


def _converter() -> tuple[markdown.Markdown, _EditorExtension]:
    pair = getattr(_local, "pair", None)
    if pair is None:
        extension = _EditorExtension()
        pair = (markdown.Markdown(extensions=[*_EXTENSIONS, extension]), extension)
        _local.pair = pair
    return pair


def markdown_to_html(text: str) -> tuple[str, list[str]]:
    """The body as annotated HTML for Qt's reader, and the code block languages it names."""
    html, languages, _raw = _to_html(text)
    return html, languages


def _to_html(text: str) -> tuple[str, list[str], list[str]]:
    """(HTML, code languages, protected blocks' sources).

    Pure Python and per thread (`_converter`), so a worker may run it (`prepare_markdown`).
    An empty body builds no converter (a new article opens without Python-Markdown)."""
    if not text or text.isspace():
        return "", [], []
    converter, extension = _converter()
    extension.languages.clear()
    extension.raw.clear()
    extension.stash_start = 0
    protected = _FOOTNOTE.sub(rf"{_FOOTNOTE_OPEN}\1{_FOOTNOTE_CLOSE}", text or "")
    try:
        html = converter.convert(protected)
    finally:
        converter.reset()
    raw = [_restore_stand_ins(source) for source in extension.raw]
    return _split_html(_CLEANER.clean(html)), list(extension.languages), raw


_LONG_PARAGRAPH = re.compile(r'<p style="-qt-user-state:(\d+)">(.*?)</p>', re.DOTALL)
_HTML_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*>|[^<]+")
_VOID_TAGS = frozenset({"br", "img", "hr", "wbr"})
_SEAM = "\ue040"
_SENTENCE_GAP = re.compile(r"(?<=[.!?\"'\u201d\u2019)])\s(?=\S)")
_WORD_GAP = re.compile(r"(?<=\S)\s(?=\S)")


def _split_html(html: str) -> str:
    """Cut each paragraph of more than `SPLIT_ABOVE` characters into `<p>` pieces before
    Qt reads it: Qt lays a block out whole, and laying out one 5 MB block took 6 of the
    8 s of `setHtml`. A cut goes at a single space outside any inline element (so no
    span is cut), marked with `_SEAM` (Qt's reader would drop a block's trailing space;
    `_restore_seams` puts it back); the pieces after the first carry `_PIECE_FLAG`.
    Paragraphs of list items are left to `split_long_blocks`."""
    if len(html) <= SPLIT_ABOVE or _SEAM in html:
        return html  # short, or the text itself holds the mark (then Qt's reader cuts)

    def replace(match: re.Match[str]) -> str:
        state, inner = int(match.group(1)), match.group(2)
        if len(inner) <= SPLIT_ABOVE or state & (_LOOSE_FLAG | _CODE_FLAG):
            return match.group(0)
        if state & (_CONTINUATION_MASK << _CONTINUATION_SHIFT):
            return match.group(0)
        opening = f'<p style="-qt-user-state:{state | _PIECE_FLAG}">'
        parts = [match.group(0)[: match.start(2) - match.start(0)]]
        depth = 0
        since = 0  # characters of HTML since the last cut
        for token in _HTML_TOKEN.finditer(inner):
            text = token.group(0)
            if token.group(2) is not None:
                name = token.group(2).lower()
                if name not in _VOID_TAGS and not text.endswith("/>"):
                    depth += -1 if token.group(1) else 1
                parts.append(text)
                since += len(text)
                continue
            start = 0
            while depth == 0 and since + len(text) - start > PIECE_CHARS:
                cut = _html_cut(text, start, since)
                if cut < 0:
                    break
                parts.append(text[start:cut] + _SEAM + "</p>" + opening)
                start = cut + 1
                since = 0
            parts.append(text[start:])
            since += len(text) - start
        parts.append("</p>")
        return "".join(parts)

    return _LONG_PARAGRAPH.sub(replace, html)


def _html_cut(text: str, start: int, since: int) -> int:
    """Where in `text` (from `start`, `since` characters into the piece) to cut: the
    last sentence gap, else word gap, in the second half of the piece; -1 for none."""
    low = start + max(0, PIECE_CHARS // 2 - since)
    if since >= PIECE_CHARS:  # over already: the first gap will do
        found = _WORD_GAP.search(text, low)
        return found.start() if found else -1
    high = min(len(text), start + PIECE_CHARS - since)
    for pattern in (_SENTENCE_GAP, _WORD_GAP):
        last = -1
        for found in pattern.finditer(text, low, high):
            last = found.start()
        if last >= 0:
            return last
    return -1


def _restore_seams(document: QTextDocument) -> None:
    """The space at each cut `_split_html` made, back at the end of its piece."""
    outer = QTextCursor(document)
    outer.beginEditBlock()
    found = document.find(_SEAM)
    while not found.isNull():
        found.insertText(" ")
        found = document.find(_SEAM, found)
    outer.endEditBlock()


def _restore_stand_ins(text: str) -> str:
    return text.replace(_FOOTNOTE_OPEN, "[^").replace(_FOOTNOTE_CLOSE, "]")


@dataclass(frozen=True)
class PreparedMarkdown:
    """A body converted for Qt's reader, off the GUI thread (`prepare_markdown`)."""

    markdown: str
    html: str
    languages: list[str]
    raw: list[str]


def prepare_markdown(markdown_text: str) -> PreparedMarkdown:
    """The slow, Qt-free half of `load_markdown` (Python-Markdown, the HTML cleaner, the
    cut of long paragraphs): 2-3 s for a 5 MB body, so a worker runs it on opening."""
    html, languages, raw = _to_html(markdown_text)
    return PreparedMarkdown(markdown_text, html, languages, raw)


def load_markdown(
    document: QTextDocument,
    markdown_text: str,
    images: Callable[[str], bytes | None] | None = None,
    prepared: PreparedMarkdown | None = None,
) -> None:
    """Replace the document's content with `markdown_text`, leaving an empty undo stack.

    `images(url)` gives the bytes of an `asset:` image (None when unknown) so the
    document can show it; without it images show as Qt's placeholder. `prepared`, from
    `prepare_markdown(markdown_text)`, saves converting it again here.
    """
    if prepared is None or prepared.markdown is not markdown_text:
        prepared = prepare_markdown(markdown_text)
    html, languages, raw = prepared.html, prepared.languages, prepared.raw
    document.setUndoRedoEnabled(False)
    try:
        document.setHtml(html)
        _apply_states(document, languages)
        if raw:
            _protect(document, raw)
        if _FOOTNOTE_OPEN in markdown_text or "[^" in markdown_text:
            _restore_footnotes(document)
        if _SEAM in html and _SEAM not in markdown_text:
            _restore_seams(document)
        _style_tables(document)
        split_long_blocks(document)
        document.setProperty(_IMAGES, {})  # the pictures of the body shown before
        if images is not None:
            for url in image_urls(document):
                data = images(url)
                if data:
                    register_image(document, url, data)
    finally:
        document.setUndoRedoEnabled(True)
    document.clearUndoRedoStacks()
    document.setModified(False)


# -- long paragraphs in pieces ------------------------------------------------------------

#: A paragraph block longer than this (characters) is shown as several blocks.
SPLIT_ABOVE = 6000
#: About how long each piece is: a cut goes after the last sentence end (else space)
#: between `PIECE_CHARS // 2` and `PIECE_CHARS` characters into what is left.
PIECE_CHARS = 3000
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*[ \u2028]")


def cut_points(text: str, piece: int | None = None) -> list[int]:
    """Offsets where `text` is cut into pieces of at most `piece` characters.

    Each cut goes after a sentence's end when one is in the second half of the window,
    else after the last space or line break, else (a run without spaces) at the window's
    end: a word is never cut where a space is near, so spell check and counts see whole
    words.
    """
    piece = PIECE_CHARS if piece is None else piece
    cuts: list[int] = []
    start = 0
    length = len(text)
    while length - start > piece:
        window_end = start + piece
        low = start + piece // 2
        cut = -1
        for match in _SENTENCE_END.finditer(text, low, window_end):
            cut = match.end()
        if cut < 0:
            space = max(text.rfind(" ", low, window_end), text.rfind(_LINE_BREAK, low, window_end))
            cut = space + 1 if space >= 0 else window_end
        cuts.append(cut)
        start = cut
    return cuts


def split_long_blocks(
    document: QTextDocument,
    first: int = 0,
    last: int | None = None,
    *,
    join: bool = False,
    limit: int | None = None,
) -> int:
    """Cut each paragraph block of `first`..`last` (numbers) longer than `limit` into
    pieces (see the module docstring); returns how many blocks were added.

    `join` adds the cuts to the last undo step (the edit that made the long block), so
    Ctrl+Z takes back the paste and its cuts at once. Headings, list items, code, protected
    blocks and table cells are left whole.
    """
    limit = SPLIT_ABOVE if limit is None else limit
    block = document.findBlockByNumber(max(0, first))
    end = document.lastBlock().blockNumber() if last is None else last
    cursor: QTextCursor | None = None
    added = 0
    while block.isValid() and block.blockNumber() <= end:
        following = block.next()
        if block.length() > limit + 1 and _can_split(block):
            if cursor is None:
                cursor = QTextCursor(document)
                if join:
                    cursor.joinPreviousEditBlock()
                else:
                    cursor.beginEditBlock()
            cuts = cut_points(block.text())
            base = block.position()
            block_format = block.blockFormat()
            for cut in reversed(cuts):
                piece_format = QTextBlockFormat(block_format)
                piece_format.setProperty(PARAGRAPH_CONTINUES, new_piece_id())
                cursor.setPosition(base + cut)
                cursor.insertBlock(piece_format, cursor.charFormat())
            added += len(cuts)
            end += len(cuts)
        block = following
    if cursor is not None:
        cursor.endEditBlock()
    return added


def _can_split(block: QTextBlock) -> bool:
    block_format = block.blockFormat()
    if (
        block_format.headingLevel()
        or block.textList() is not None
        or block_format.boolProperty(RAW_MARKDOWN)
        or block_format.nonBreakableLines()
        or block_format.hasProperty(QTextFormat.Property.BlockCodeFence)
        or block_format.hasProperty(QTextFormat.Property.BlockCodeLanguage)
    ):
        return False
    return not _in_cell(block)


def normalise_pieces(document: QTextDocument, first: int, last: int, *, join: bool) -> None:
    """After an edit of blocks `first`..`last`: a block marked as a piece that no longer
    continues the block before it (a copy of its neighbour's mark made by Enter or a
    pasted line break, a piece whose neighbour became a heading) is a paragraph of its
    own, for good: its mark goes, so a later edit never glues it back."""
    block = document.findBlockByNumber(max(0, first - 1))
    cursor: QTextCursor | None = None
    # Several copies in a row (a pasted "a\nb\nc") each carry the same number: compared
    # with the number the block before had before this pass, every copy is found.
    before = block.previous().blockFormat().intProperty(PARAGRAPH_CONTINUES)
    while block.isValid() and block.blockNumber() <= last + 1:
        number = block.blockFormat().intProperty(PARAGRAPH_CONTINUES)
        if number and (number == before or not continues(block)):
            if cursor is None:
                cursor = QTextCursor(document)
                if join:
                    cursor.joinPreviousEditBlock()
                else:
                    cursor.beginEditBlock()
            cursor.setPosition(block.position())
            plain = block.blockFormat()
            plain.clearProperty(PARAGRAPH_CONTINUES)
            cursor.setBlockFormat(plain)
        before = number
        block = block.next()
    if cursor is not None:
        cursor.endEditBlock()


def join_pieces(document: QTextDocument) -> None:
    """Put a paragraph shown in pieces back into one block each (for a copy leaving the
    editor: another program, or our own paste, must see one paragraph)."""
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    block = document.lastBlock()
    while block.isValid():
        previous = block.previous()
        if continues(block):
            cursor.setPosition(block.position())
            cursor.deletePreviousChar()
        block = previous
    cursor.endEditBlock()


def _apply_states(document: QTextDocument, languages: list[str]) -> None:
    block = document.begin()
    code_state = -1
    cursor = QTextCursor(document)
    # One edit block: else each block format change lays the whole document out again
    # (20,000 words: 520 ms -> 160 ms to open).
    cursor.beginEditBlock()
    while block.isValid():
        state = block.userState()
        if state < 0 and code_state >= 0 and block.blockFormat().nonBreakableLines():
            state = code_state  # the following lines of a <pre> carry no state
        if state >= 0:
            cursor.setPosition(block.position())
            _apply_state(cursor, block, state, languages)
            block.setUserState(-1)
        code_state = state if state >= 0 and state & _CODE_FLAG else -1
        block = block.next()
    cursor.endEditBlock()


def _apply_state(cursor: QTextCursor, block: QTextBlock, state: int, languages: list[str]) -> None:
    block_format = block.blockFormat()
    in_list = block_format.objectIndex() >= 0
    if not in_list and not _is_cell(cursor):
        quote = state & _QUOTE_MASK
        if quote:
            block_format.setProperty(QTextFormat.Property.BlockQuoteLevel, quote)
        else:
            block_format.clearProperty(QTextFormat.Property.BlockQuoteLevel)
        block_format.setLeftMargin(QUOTE_INDENT * quote)
        block_format.setRightMargin(QUOTE_INDENT * quote)
    elif in_list:
        quote = state & _QUOTE_MASK
        if quote:
            block_format.setProperty(QTextFormat.Property.BlockQuoteLevel, quote)
        else:
            block_format.clearProperty(QTextFormat.Property.BlockQuoteLevel)
    if in_list and state & _LOOSE_FLAG:
        block_format.setProperty(LOOSE_ITEM, True)
    level = (state >> _CONTINUATION_SHIFT) & _CONTINUATION_MASK
    if level and not in_list:
        block_format.setProperty(ITEM_PARAGRAPH, level)
        block_format.setIndent(level)
    if state & _CODE_FLAG:
        index = (state & ((1 << _CONTINUATION_SHIFT) - 1)) >> _LANGUAGE_SHIFT
        block_format.setProperty(QTextFormat.Property.BlockCodeFence, "`")
        block_format.setProperty(CODE_BLOCK_ID, index + 1)
        language = languages[index] if index < len(languages) else ""
        if language:
            block_format.setProperty(QTextFormat.Property.BlockCodeLanguage, language)
        whole = QTextCursor(cursor)
        whole.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        fixed = QTextCharFormat()
        fixed.setFontFixedPitch(True)
        whole.mergeCharFormat(fixed)
    if state & _PIECE_FLAG and not state & _CODE_FLAG:
        block_format.setProperty(PARAGRAPH_CONTINUES, new_piece_id())
    align = (state >> _ALIGN_SHIFT) & 0x3
    if align and not state & _CODE_FLAG:
        block_format.setAlignment(_ALIGN_BY_CODE[align])
    cursor.setBlockFormat(block_format)


def _is_cell(cursor: QTextCursor) -> bool:
    # The innermost frame: a cell of a table, not any frame around it.
    return isinstance(cursor.currentFrame(), QTextTable)


def _protect(document: QTextDocument, raw: list[str]) -> None:
    """Put each protected block's source where its mark stands, and mark the block."""
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    block = document.begin()
    fixed = QTextCharFormat()
    fixed.setFontFixedPitch(True)
    while block.isValid():
        match = _RAW_MARK.fullmatch(block.text())
        if match and int(match.group(1)) < len(raw):
            cursor.setPosition(block.position())
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            cursor.insertText(raw[int(match.group(1))].replace("\n", _LINE_BREAK), fixed)
            block_format = cursor.blockFormat()
            block_format.setProperty(RAW_MARKDOWN, True)
            cursor.setBlockFormat(block_format)
        block = block.next()
    cursor.endEditBlock()


def _restore_footnotes(document: QTextDocument) -> None:
    for stand_in, text in ((_FOOTNOTE_OPEN, "[^"), (_FOOTNOTE_CLOSE, "]")):
        found = document.find(stand_in)
        while not found.isNull():
            found.insertText(text)
            found = document.find(stand_in, found)


def document_to_markdown(document: QTextDocument) -> str:
    """The document as Markdown, re-reading only the blocks edited since the last call."""
    return cached_markdown(document)


def _style_tables(document: QTextDocument) -> None:
    """Tables as the editor draws the ones it inserts: hairlines, padding, a tinted header."""
    for frame in document.rootFrame().childFrames():
        if isinstance(frame, QTextTable):
            frame.setFormat(table_format())
            for column in range(frame.columns()):
                style_header(frame.cellAt(0, column), bold=False)


def fit_image_blocks(document: QTextDocument) -> None:
    """Every block in the reading rhythm (see `keep_rhythm`); kept for its callers."""
    keep_rhythm(document)


# -- the reading rhythm ------------------------------------------------------------------
#
# The space around a block and its line height follow from what the block is (a paragraph,
# a heading, a list item, a line of code, a picture, a cell) and from its neighbours, never
# from how it was made: a paragraph typed with Enter, pasted, put back or read from the
# store looks the same, so nothing moves when the article is opened again.

#: Space above and below a paragraph (Qt's reader gives a `<p>` 12 px).
PARAGRAPH_MARGIN = 12.0
#: Line height of body text, in percent.
LINE_HEIGHT = 145
_PROPORTIONAL = QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
_HEADING_TOP = {1: 18.0, 2: 16.0, 3: 14.0}
#: A paragraph that is only a picture: single line height, a little room below it.
_IMAGE_RHYTHM = (6.0, 14.0, 100)


def _code_block(block: QTextBlock) -> int | None:
    """The code block `block` is a line of (its id), None when it is no code."""
    block_format = block.blockFormat()
    if block_format.hasProperty(QTextFormat.Property.BlockCodeFence) or (
        block_format.nonBreakableLines()
    ):
        return block_format.intProperty(CODE_BLOCK_ID)
    return None


def _together(block: QTextBlock, other: QTextBlock, tables: bool = True) -> bool:
    """Items of one list (nested ones included) and lines of one code block sit together,
    without paragraph space between them."""
    if not other.isValid() or (tables and _in_cell(other)):
        return False
    mine, theirs = block.textList(), other.textList()
    if mine is not None and theirs is not None:
        return mine == theirs or mine.format().indent() > 1 or theirs.format().indent() > 1
    if mine is not None or theirs is not None:
        return False
    code = _code_block(block)
    return code is not None and code == _code_block(other)


def _in_cell(block: QTextBlock) -> bool:
    return isinstance(QTextCursor(block).currentFrame(), QTextTable)


def block_rhythm(block: QTextBlock, tables: bool = True) -> tuple[float, float, int]:
    """(top margin, bottom margin, line height %) that `block` should have.

    `tables=False` says the document has none (each block's frame is not looked up)."""
    if tables and _in_cell(block):
        return 0.0, 0.0, LINE_HEIGHT
    if block.text() == _OBJECT:
        return _IMAGE_RHYTHM
    block_format = block.blockFormat()
    if block_format.hasProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth):
        return 0.0, 0.0, LINE_HEIGHT
    level = block_format.headingLevel()
    if level:
        return _HEADING_TOP.get(level, PARAGRAPH_MARGIN), PARAGRAPH_MARGIN, LINE_HEIGHT
    if block.textList() is None and _code_block(block) is None:
        # The pieces of a long paragraph shown as several blocks read as one paragraph.
        return (
            0.0 if continues(block) else PARAGRAPH_MARGIN,
            0.0 if continues(block.next()) else PARAGRAPH_MARGIN,
            LINE_HEIGHT,
        )
    return (
        0.0 if _together(block, block.previous(), tables) else PARAGRAPH_MARGIN,
        0.0 if _together(block, block.next(), tables) else PARAGRAPH_MARGIN,
        LINE_HEIGHT,
    )


def _rhythm_change(block: QTextBlock, tables: bool = True) -> QTextBlockFormat | None:
    """What to merge into `block` for its rhythm; None when it has it already."""
    top, bottom, height = block_rhythm(block, tables)
    block_format = block.blockFormat()
    if (
        block_format.topMargin() == top
        and block_format.bottomMargin() == bottom
        and block_format.lineHeight() == height
        and block_format.lineHeightType() == _PROPORTIONAL
        and block_format.hasProperty(QTextFormat.Property.BlockLeftMargin)
        and block_format.hasProperty(QTextFormat.Property.BlockRightMargin)
    ):
        return None
    rhythm = QTextBlockFormat()
    # Side margins set, if only to 0, as Qt's reader sets them: equal formats, not just alike.
    rhythm.setLeftMargin(block_format.leftMargin())
    rhythm.setRightMargin(block_format.rightMargin())
    rhythm.setTopMargin(top)
    rhythm.setBottomMargin(bottom)
    rhythm.setLineHeight(height, _PROPORTIONAL)
    return rhythm


def keep_rhythm(
    document: QTextDocument, first: int = 0, last: int | None = None, *, join: bool = False
) -> bool:
    """Give blocks `first`..`last` (numbers; and their neighbours) the reading rhythm.

    `join` adds the changes to the last undo step (the edit that made the blocks), so
    Ctrl+Z never stops at a format fix. True when a block changed.
    """
    block = document.findBlockByNumber(max(0, first - 1))
    end = document.lastBlock().blockNumber() if last is None else last + 1
    cursor: QTextCursor | None = None
    # Tables are the only frames the editor makes; without one, no block is in a cell
    # (looking each block's frame up was a fifth of opening a 5 MB body).
    tables = any(isinstance(f, QTextTable) for f in document.rootFrame().childFrames())
    while block.isValid() and block.blockNumber() <= end:
        change = _rhythm_change(block, tables)
        if change is not None:
            if cursor is None:
                cursor = QTextCursor(document)
                # One edit block for them all: else each change lays the document out again.
                if join:
                    cursor.joinPreviousEditBlock()
                else:
                    cursor.beginEditBlock()
            cursor.setPosition(block.position())
            cursor.mergeBlockFormat(change)
        block = block.next()
    if cursor is not None:
        cursor.endEditBlock()
    return cursor is not None


def image_urls(document: QTextDocument) -> list[str]:
    """Every image URL the document shows, in order, each once."""
    urls: dict[str, None] = {}
    block = document.begin()
    while block.isValid():
        if "\ufffc" in block.text():
            iterator = block.begin()
            while not iterator.atEnd():
                char_format = iterator.fragment().charFormat()
                if char_format.isImageFormat():
                    urls[char_format.toImageFormat().name()] = None
                iterator += 1
        block = block.next()
    return list(urls)


#: Pictures are shown at most this wide in the editor (the column is ~720 px); the stored
#: bytes keep their full size.
IMAGE_DISPLAY_WIDTH = 480


def register_image(document: QTextDocument, url: str, data: bytes) -> bool:
    """Give the document the picture behind `url`; False when the bytes are no image."""
    image = QImage.fromData(data)
    if image.isNull():
        return False
    if image.width() > IMAGE_DISPLAY_WIDTH:
        image = image.scaledToWidth(IMAGE_DISPLAY_WIDTH, Qt.TransformationMode.SmoothTransformation)
    shown = _shown_images(document)
    shown[url] = image
    document.setProperty(_IMAGES, shown)  # a property holds a copy: store it again
    width = document.property(_FIT_WIDTH)
    _add_image(document, url, image, int(width) if width else 0)
    return True


_IMAGES = "newsroomShownImages"
_FIT_WIDTH = "newsroomImageFitWidth"


def _shown_images(document: QTextDocument) -> dict[str, QImage]:
    shown = document.property(_IMAGES)
    return dict(shown) if isinstance(shown, dict) else {}


def _add_image(document: QTextDocument, url: str, image: QImage, width: int) -> None:
    if 0 < width < image.width():
        image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)


def fit_images(document: QTextDocument, width: int) -> None:
    """Show every picture at most `width` px wide (the column, when it is narrower than
    `IMAGE_DISPLAY_WIDTH`): a picture never sticks out of the text. The document itself
    (and its undo history) is untouched; only the shown resource changes."""
    width = max(1, width)
    old = document.property(_FIT_WIDTH)
    document.setProperty(_FIT_WIDTH, width)
    shown = _shown_images(document)
    if not shown:
        return
    old_width = int(old) if old else 0
    changed = False
    for url, image in shown.items():
        before = min(image.width(), old_width) if old_width else image.width()
        if min(image.width(), width) != before:
            _add_image(document, url, image, width)
            changed = True
    if changed:
        document.markContentsDirty(0, document.characterCount())
