"""QTextDocument -> Markdown in the body dialect (Python-Markdown, see `editor.core.render`).

Qt's own `toMarkdown()` writes CommonMark for md4c: two-space nesting, no blank line
between a bullet and a numbered list, broken tables, lines re-wrapped at 80 columns.
Python-Markdown reads those differently, so this module walks the document structure
itself and writes exactly what the renderer understands:

- one line per paragraph (never re-wrapped), a hard line break (U+2028 in a block) as
  two trailing spaces;
- `##`/`###` headings, `> ` quotes (per `BlockQuoteLevel`), `---` rules, fenced code;
- lists with four-space nesting, the first number of a numbered list kept, a blank line
  (and, between two lists of one kind, an HTML comment) so adjacent lists stay apart;
- pipe tables with column alignment (see `column_alignment`), first row the header;
- inline: `**bold**`, `*italic*`, `<del>struck</del>` (the dialect has no `~~`),
  `` `code` ``, `[links](url)`, `![alt](asset:ID)`;
- in a heading or a table's header row (bold already), only an explicitly heavier run
  (weight >= ExtraBold, as the loader and the editor set it) is written `**bold**`;
- a loose list item (`LOOSE_ITEM`, from a list with blank lines) keeps its blank line, and
  two code blocks side by side (`CODE_BLOCK_ID`) stay two;
- a further paragraph or code block of a list item (`ITEM_PARAGRAPH`: the item's level) is
  indented under the item, so the list goes on after it;
- a protected block (`RAW_MARKDOWN`: a footnote definition or raw HTML the loader kept
  as source) is written exactly as it reads, hard breaks as newlines;
- a *continuation* block (`PARAGRAPH_CONTINUES`, see `continues`: a piece of a huge
  paragraph the loader cut for speed) is joined to the block before it without a break,
  so the paragraph is written exactly as one block would be;
- typed text escaped only where Python-Markdown would read it as markup, so it renders
  exactly as typed. A footnote reference `[^label]` is kept as footnote syntax.

Formats read (the editor's commands must set these): bold = font weight >= DemiBold,
italic = `fontItalic`, struck = `fontStrikeOut`, inline code = `fontFixedPitch` or a
monospace family, link = `anchorHref`, code block = `BlockCodeFence` property.

Speed: `BlockCache` keeps each top-level block's Markdown between calls and drops a
block's entry when `QTextDocument.contentsChange` touches it, so an autosave after typing
in one paragraph re-reads only that paragraph; and while no block was added, removed or
reformatted, and only paragraphs and headings outside lists and tables were touched, the
last whole text is kept and only the touched blocks' Markdown is spliced into it (`_Layout`:
0.4 ms for a 20,000-word body, not 12-15 ms of walking its 750 blocks; see
benchmarks/RESULTS.md).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import (
    QFont,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextList,
    QTextListFormat,
    QTextTable,
)

#: Monospace families that mark inline code when `fontFixedPitch` is not set (Qt's HTML
#: reader gives `<code>` the family "monospace" or "Courier New" without the flag).
CODE_FAMILIES = frozenset({"monospace", "courier", "courier new", "mono"})
_NUMBERED_STYLES = frozenset(
    {
        QTextListFormat.Style.ListDecimal,
        QTextListFormat.Style.ListLowerAlpha,
        QTextListFormat.Style.ListUpperAlpha,
        QTextListFormat.Style.ListLowerRoman,
        QTextListFormat.Style.ListUpperRoman,
    }
)
_LINE_BREAK = "\u2028"
_OBJECT = "\ufffc"

# Characters that are markup anywhere in a line; `|` only matters in tables and lines that
# could form one (a block with hard breaks), see `_escape_text`.
_INLINE_SPECIAL = re.compile(r"[\\`*_\[\]&<]")
_INLINE_SPECIAL_PIPE = re.compile(r"[\\`*_\[\]&<|]")
_INLINE_ESCAPES = {"&": "&amp;", "<": "&lt;"}
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s\\]+\]")
# What a line may not start with unescaped: list markers, quote, heading, rules, fences,
# setext underlines. Applied to each line's first characters after indentation is gone.
_LINE_START = re.compile(r"^(?:[-+>#]|\d+(?=[.)])|[~=])")
_BACKTICKS = re.compile(r"`+")
_URL_UNSAFE = re.compile(r"[\s<>()\\]")


#: Block property of a list item that was loose (its text a paragraph of its own).
LOOSE_ITEM = QTextFormat.Property.UserProperty + 0x4E01
#: Block property: which code block a line belongs to (adjacent blocks stay apart).
CODE_BLOCK_ID = QTextFormat.Property.UserProperty + 0x4E02
#: Block property of a further paragraph (or code) of a list item: the item's level.
ITEM_PARAGRAPH = QTextFormat.Property.UserProperty + 0x4E04
#: Block property of a protected block: its text is Markdown source, written verbatim.
RAW_MARKDOWN = QTextFormat.Property.UserProperty + 0x4E03
#: Block property of a piece of a long paragraph shown as several blocks (Qt lays a whole
#: block out again on every keystroke: 7 s in a 5 MB paragraph). Its value is the piece's
#: own number, unique in the process (`new_piece_id`): a block continues the one before it
#: when it carries a number and the block before does not carry the same. A block that Qt
#: made by copying a piece's format (Enter, a pasted line break) has its neighbour's
#: number, so it is a paragraph of its own, as the person meant. See `continues`.
PARAGRAPH_CONTINUES = QTextFormat.Property.UserProperty + 0x4E05
#: In headings and table headers (bold already), explicit bold is at least this heavy.
EXPLICIT_BOLD = int(QFont.Weight.Black.value)
_EXTRABOLD = int(QFont.Weight.ExtraBold.value)
_piece_ids = itertools.count(1)


def new_piece_id() -> int:
    """A number for a continuation block that no other block of this process carries."""
    return next(_piece_ids)


def _joinable(block_format: QTextFormat) -> bool:
    """A plain paragraph (quoted or under a list item alike): what may be cut in pieces."""
    return not (
        block_format.headingLevel()
        or block_format.objectIndex() >= 0
        or block_format.hasProperty(QTextFormat.Property.BlockCodeFence)
        or block_format.hasProperty(QTextFormat.Property.BlockCodeLanguage)
        or block_format.hasProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth)
        or block_format.boolProperty(RAW_MARKDOWN)
        or block_format.nonBreakableLines()
    )


def continues(block: QTextBlock) -> bool:
    """Whether `block` is a further piece of the paragraph in the block before it.

    Both must be plain paragraphs of one shape (quote depth, list item level), outside
    tables; the piece's number must differ from the one before (see `PARAGRAPH_CONTINUES`).
    """
    own = block.blockFormat()
    number = own.intProperty(PARAGRAPH_CONTINUES)
    if not number:
        return False
    previous = block.previous()
    if not previous.isValid():
        return False
    before = previous.blockFormat()
    if before.intProperty(PARAGRAPH_CONTINUES) == number:
        return False
    if not (_joinable(own) and _joinable(before)):
        return False
    if own.intProperty(QTextFormat.Property.BlockQuoteLevel) != before.intProperty(
        QTextFormat.Property.BlockQuoteLevel
    ) or own.intProperty(ITEM_PARAGRAPH) != before.intProperty(ITEM_PARAGRAPH):
        return False
    return not isinstance(QTextCursor(block).currentFrame(), QTextTable) and not isinstance(
        QTextCursor(previous).currentFrame(), QTextTable
    )


def document_to_markdown(
    document: QTextDocument,
    cache: BlockCache | None = None,
    *,
    line_map: list[tuple[int, int]] | None = None,
) -> str:
    """The whole document as Markdown: one trailing newline, no trailing blank lines.

    With a `cache` (see `BlockCache`), blocks unchanged since the last call are not read
    again. `line_map`, when given, receives (Markdown line, document block number) for the
    first line of each Markdown block, for mapping a cursor between the two.
    """
    if cache is None:
        context, entries = _Context(document), None
    else:
        if line_map is None and cache.unchanged_text is not None:
            return cache.unchanged_text  # nothing changed since the last call
        generation = cache.generation
        context, entries = cache.context, cache.entries
        spliced = cache.spliced() if line_map is None else None
        if spliced is not None:
            cache.remember(generation, spliced)
            return spliced
    units = list(_units(document, context, entries))
    spans: list[tuple[int, int]] = []
    text = _join(units, line_map, spans)
    text = text + "\n" if text else ""
    if cache is not None:
        cache.remember(generation, text, _Layout.of(document, text, units, spans))
    return text


def cached_markdown(
    document: QTextDocument, *, line_map: list[tuple[int, int]] | None = None
) -> str:
    """`document_to_markdown` through the document's own `BlockCache` (made on first use)."""
    cache = document.findChild(BlockCache)
    if cache is None:
        cache = BlockCache(document)
    return document_to_markdown(document, cache, line_map=line_map)


class BlockCache(QObject):
    """Each top-level block's Markdown, kept until an edit touches the block.

    Entries are keyed by the block's identity (`fragmentIndex`, stable while the block
    lives) and checked against its revision, length and block format. Formatting changes
    move none of those, so `contentsChange` (emitted for text and format edits, undo and
    redo alike) drops the entries of the blocks in the changed range. List markers and
    numbers, tables and code are worked out on every call: they depend on other blocks.
    """

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.setObjectName("markdownBlockCache")
        self._document = document
        self.entries: dict[int, tuple[int, int, int, object]] = {}
        self.context = _Context(document)
        #: Moves on every `contentsChange`; the whole text is kept for the generation it
        #: was written at, so autosave, journal, preview and checks, asking one after the
        #: other in a typing pause, serialise a 20,000-word body once, not four times.
        self.generation = 0
        self._last: tuple[int, int, str] | None = None  # generation, revision, text
        #: Where each standalone block's Markdown sits in the last whole text, and the
        #: blocks touched since (fragment indexes; None: too many, or the text replaced):
        #: `spliced` writes only those again when nothing else moved.
        self._layout: _Layout | None = None
        self._touched: set[int] | None = None
        document.documentLayout()  # Qt emits contentsChange only for a laid-out document
        document.contentsChange.connect(self._changed)

    @property
    def unchanged_text(self) -> str | None:
        """The last whole text, if no change has been reported since it was written."""
        last = self._last
        if last is None or last[0] != self.generation:
            return None
        return last[2] if last[1] == self._document.revision() else None

    def remember(self, generation: int, text: str, layout: _Layout | None = None) -> None:
        self._last = (generation, self._document.revision(), text)
        if layout is not None:
            self._layout = layout
        self._touched = set() if self._layout is not None else None

    def spliced(self) -> str | None:
        """The last whole text with only the touched blocks written again, or None when
        that cannot be told from here (see `_Layout.splice`); the layout follows."""
        if self._layout is None or not self._touched:
            return None
        return self._layout.splice(self._document, self._touched, self.context, self.entries)

    def _changed(self, position: int, removed: int, added: int) -> None:
        self.generation += 1
        document = self._document
        if added + 1 >= document.characterCount() or (not added and position == 0 and removed):
            # The whole text was replaced (setHtml, clear): format indexes start afresh too.
            self.entries.clear()
            self.context = _Context(document)
            self._layout = self._touched = None
            return
        touched = self._touched
        if not self.entries and touched is None:
            return
        end = position + added
        block = document.findBlock(position)
        while block.isValid():
            key = block.fragmentIndex()
            self.entries.pop(key, None)
            if touched is not None:
                touched.add(key)
            if block.position() + block.length() > end:
                break
            block = block.next()
        if touched is not None and len(touched) > _SPLICE_MOST:
            self._touched = None  # a wide edit: the next text is written whole


#: Touched blocks beyond this many make the next text a whole pass (`BlockCache.spliced`).
_SPLICE_MOST = 16


class _Layout:
    """The last whole text (without its final newline) and, for each block written as a
    unit of its own that nothing around it depends on (a paragraph or heading outside
    lists and tables, not cut into pieces, not the last), where its Markdown
    sits: fragment index -> [block number, block format index, start, end].

    A paragraph typed in writes the same text as before but for its own lines, as long
    as the blocks keep their number and formats: then `splice` writes only the touched
    blocks again (0.4 ms, not the 12-15 ms of a whole pass over 750 blocks). Anything
    else (a block added or removed, a format changed, a block in a list or a table, a
    block that writes no lines now) answers None, and the caller takes the whole pass.
    """

    def __init__(self, count: int, text: str, units: dict[int, list[int]]) -> None:
        self.count = count
        self.text = text
        self.units = units

    @classmethod
    def of(
        cls,
        document: QTextDocument,
        text: str,
        units: list[_Unit],
        spans: list[tuple[int, int]],
    ) -> _Layout:
        body = text[:-1] if text else text
        placed: dict[int, list[int]] = {}
        for unit, (start, end) in zip(units[:-1], spans[:-1], strict=True):
            if unit.standalone is not None and end <= len(body):  # not cut by the strip
                key, format_index = unit.standalone
                placed[key] = [unit.block, format_index, start, end]
        return cls(document.blockCount(), body, placed)

    def splice(
        self,
        document: QTextDocument,
        touched: set[int],
        context: _Context,
        entries: dict[int, tuple[int, int, int, object]],
    ) -> str | None:
        if document.blockCount() != self.count:
            return None
        edits: list[tuple[int, int, str, list[int]]] = []
        for key in touched:
            found = self.units.get(key)
            if found is None:
                return None
            number, format_index, start, end = found
            block = document.findBlockByNumber(number)
            if block.fragmentIndex() != key or block.blockFormatIndex() != format_index:
                return None
            kind = context.block(format_index)
            lines = _cached_lines(block, format_index, kind, context, entries)
            if not lines:
                return None  # the block writes nothing now: its neighbours meet
            prefix = "> " * kind[1]
            written = "\n".join(prefix + line if line else prefix.rstrip() for line in lines)
            edits.append((start, end, written, found))
        text = self.text
        edits.sort(key=lambda edit: edit[0])
        for start, end, written, _found in reversed(edits):  # later offsets stay true
            text = text[:start] + written + text[end:]
        shifts = [(start, len(written) - (end - start)) for start, end, written, _ in edits]
        if any(shift for _start, shift in shifts):
            for place in self.units.values():  # by the edits before each, as it was
                moved = sum(shift for start, shift in shifts if start < place[2])
                place[2] += moved
                place[3] += moved
        for _start, _end, written, found in edits:
            found[3] = found[2] + len(written)
        self.text = text
        return text + "\n" if text else ""


_IMAGE = -1
_QUOTE_LEVEL = QTextFormat.Property.BlockQuoteLevel
_CODE_FENCE = QTextFormat.Property.BlockCodeFence
_CODE_LANGUAGE = QTextFormat.Property.BlockCodeLanguage
_RULER = QTextFormat.Property.BlockTrailingHorizontalRulerWidth
_FAMILIES = QTextFormat.Property.FontFamilies
_ALT = QTextFormat.Property.ImageAltText
_DEMIBOLD = int(QFont.Weight.DemiBold.value)


class _Context:
    """Per-call caches: formats are analysed once per format index, not per fragment.

    Walking fragments through the binding costs about a microsecond a call, so a 20,000-word
    article must not pay for reading each fragment's weight, slant, link and font again.
    """

    def __init__(self, document: QTextDocument) -> None:
        self.document = document
        self._formats: list[QTextFormat] | None = None
        self._chars: dict[tuple[int, bool], tuple[frozenset[int], object, str]] = {}
        self._blocks: dict[int, _BlockKind] = {}

    def _format(self, index: int) -> QTextFormat:
        # The collection only grows (until the document is cleared): read it again when a
        # format newer than the list we hold turns up.
        if self._formats is None or index >= len(self._formats):
            self._formats = self.document.allFormats()
        return self._formats[index]

    def char(self, index: int, heading: bool) -> tuple[frozenset[int], object, str]:
        """(spans, link, image Markdown) of a character format."""
        key = (index, heading)
        found = self._chars.get(key)
        if found is None:
            found = _analyse_char(self._format(index).toCharFormat(), heading)
            self._chars[key] = found
        return found

    def block(self, index: int) -> _BlockKind:
        """(heading, quote, code, language, rule, in a list, loose, code id) of a format."""
        found = self._blocks.get(index)
        if found is None:
            block_format = self._format(index).toBlockFormat()
            found = (
                block_format.headingLevel(),
                block_format.intProperty(_QUOTE_LEVEL),
                block_format.hasProperty(_CODE_FENCE) or block_format.hasProperty(_CODE_LANGUAGE),
                block_format.stringProperty(_CODE_LANGUAGE),
                block_format.hasProperty(_RULER),
                block_format.objectIndex() >= 0,
                block_format.boolProperty(LOOSE_ITEM),
                block_format.intProperty(CODE_BLOCK_ID),
                block_format.boolProperty(RAW_MARKDOWN),
                block_format.intProperty(ITEM_PARAGRAPH),
                block_format.intProperty(PARAGRAPH_CONTINUES),
            )
            self._blocks[index] = found
        return found


_BlockKind = tuple[int, int, bool, str, bool, bool, bool, int, bool, int, int]


def _analyse_char(
    char_format: QTextCharFormat, heading: bool
) -> tuple[frozenset[int], object, str]:
    href: object = char_format.anchorHref() if char_format.isAnchor() else ""
    if href and char_format.toolTip():
        href = (href, char_format.toolTip())
    spans = {_LINK} if href else set()
    if char_format.isImageFormat():
        image = char_format.toImageFormat()
        alt = image.stringProperty(_ALT)
        return (
            frozenset(spans | {_IMAGE}),
            href,
            f"![{_escape_alt(alt)}]({_escape_url(image.name())})",
        )
    if char_format.fontStrikeOut():
        spans.add(_STRIKE)
    if is_code_format(char_format):
        spans.add(_CODE)
    # Code may be bold or italic too: `**a `b` c**` stays one bold span around the code.
    if char_format.fontWeight() >= (_EXTRABOLD if heading else _DEMIBOLD):
        spans.add(_BOLD)
    if char_format.fontItalic():
        spans.add(_ITALIC)
    return frozenset(spans), href, ""


# -- structure -----------------------------------------------------------


@dataclass
class _Unit:
    """One Markdown block: its lines (without quote prefix) and what joins it to the next."""

    lines: list[str]
    quote: int = 0
    kind: str = "para"  # para | item | code | table | rule
    list_level: int = 0
    list_key: object = None  # identifies the QTextList the item belongs to
    numbered: bool = False
    extra: dict[str, object] = field(default_factory=dict)
    block: int = -1  # the document block it starts at
    #: (fragment index, block format index) of a unit written from its block alone,
    #: whatever is around it (`_Layout`); None for every other unit.
    standalone: tuple[int, int] | None = None


def _units(
    document: QTextDocument,
    context: _Context,
    entries: dict[int, tuple[int, int, int, object]] | None,
) -> Iterator[_Unit]:
    # Tables are the only frames the editor makes: find their spans once, then walk the
    # blocks in order (cheaper than the frame iterator) and emit a table where one starts.
    tables = {}
    for frame in document.rootFrame().childFrames():
        if isinstance(frame, QTextTable):
            tables[frame.firstPosition()] = frame
    table_ends = sorted((frame.firstPosition(), frame.lastPosition()) for frame in tables.values())
    next_table = table_ends[0][0] if table_ends else -1
    code: _Unit | None = None
    open_lists: list[object] = []  # the list at each nesting level, outermost first
    loose_at: list[bool] = []  # whether the last item at each level was loose
    block = document.begin()
    while block.isValid():
        if next_table >= 0 and block.position() >= next_table:
            first, last = table_ends.pop(0)
            next_table = table_ends[0][0] if table_ends else -1
            if code is not None:
                yield code
                code = None
            table = _table(tables[first], context)
            if table is not None:
                table.block = block.blockNumber()
                yield table
            open_lists = []
            block = document.findBlock(last + 1)
            continue
        format_index = block.blockFormatIndex()
        kind = context.block(format_index)
        _heading_level, quote, is_code, language, rule, in_list, loose, code_id, raw, item, _ = kind
        # A further paragraph or code block of the list item open at its level.
        item = min(item, len(open_lists)) if not in_list and not quote else 0
        if raw and not in_list:
            if code is not None:
                yield code
                code = None
            open_lists = []
            loose_at = []
            text = block.text().replace(_LINE_BREAK, "\n").strip("\n")
            if text.strip():
                yield _Unit(text.split("\n"), quote, "raw", block=block.blockNumber())
            block = block.next()
            continue
        if is_code:
            text = block.text().replace(_LINE_BREAK, "\n")
            # Two code blocks side by side stay two; in a quote (indented code) they cannot.
            if (
                code is not None
                and code.quote == quote
                and code.extra["item"] == item
                and (code.extra["id"] == code_id or quote)
            ):
                code.lines.extend(text.split("\n"))
            else:
                if code is not None:
                    yield code
                if item:
                    del open_lists[item:]
                    del loose_at[item:]
                code = _Unit(
                    text.split("\n"),
                    quote,
                    "code",
                    extra={"language": language, "id": code_id, "item": item},
                    block=block.blockNumber(),
                )
            block = block.next()
            continue
        if code is not None:
            yield code
            code = None
        pieces = [] if rule or in_list else _pieces(block, kind, context, next_table)
        if pieces:
            lines = _group_lines([block, *pieces], context, entries)
        else:
            lines = _cached_lines(block, format_index, kind, context, entries)
        if rule:
            if lines:
                yield _Unit(list(lines), quote, block=block.blockNumber())
            yield _Unit(["---"], quote, "rule", block=block.blockNumber())
            open_lists = []
        elif in_list:
            text_list = block.textList()
            key = _list_key(text_list)
            if key in open_lists:
                level = open_lists.index(key) + 1
                del open_lists[level:]
                continues = True
            else:
                # Never deeper than one below the item before: a list cannot start nested.
                level = max(1, min(text_list.format().indent(), len(open_lists) + 1))
                continues = level == len(open_lists) + 1 and level > 1
                del open_lists[level - 1 :]
                open_lists.append(key)
            del loose_at[level:]
            # A blank line before an item makes it and the item before it loose.
            blank = continues and loose and len(loose_at) == level and loose_at[-1]
            if len(loose_at) < level:
                loose_at.append(loose)
            else:
                loose_at[level - 1] = loose
            unit = _item(block, text_list, key, level, quote, list(lines))
            unit.extra["continues"] = continues
            unit.extra["blank"] = blank
            unit.block = block.blockNumber()
            yield unit
        elif item:
            del open_lists[item:]
            del loose_at[item:]
            if lines:
                indent = "    " * item
                yield _Unit([indent + line for line in lines], quote, block=block.blockNumber())
        else:
            open_lists = []
            loose_at = []
            if lines:
                alone = None if pieces else (block.fragmentIndex(), format_index)
                yield _Unit(list(lines), quote, block=block.blockNumber(), standalone=alone)
        block = (pieces[-1] if pieces else block).next()
    if code is not None:
        yield code


def _pieces(
    block: QTextBlock, kind: _BlockKind, context: _Context, next_table: int
) -> list[QTextBlock]:
    """The continuation blocks after `block` that are one paragraph with it (see
    `PARAGRAPH_CONTINUES`): plain paragraphs of the same shape, none in a table."""
    heading, quote, is_code, _language, rule, in_list, _loose, _id, raw, item, number = kind
    if heading or is_code or rule or in_list or raw:
        return []
    pieces: list[QTextBlock] = []
    following = block.next()
    while following.isValid():
        if next_table >= 0 and following.position() >= next_table:
            break
        other = context.block(following.blockFormatIndex())
        if not other[10] or other[10] == number:
            break
        if other[:10] != (0, quote, False, "", False, False, False, 0, False, item):
            break
        pieces.append(following)
        number = other[10]
        following = following.next()
    return pieces


@dataclass(frozen=True)
class _Piece:
    """One block's inline Markdown as a part of a longer paragraph, and what its seams
    need to know: the spans open at its first and last character, and whether its text
    ends in what could be the start of a footnote reference (`[^lab`)."""

    text: str
    first: frozenset[int]
    last: frozenset[int]
    open_tail: bool
    pipes: bool
    has_break: bool


_OPEN_FOOTNOTE_TAIL = re.compile(r"\[(?:\^[^\]\s\\]*)?\Z")


def _piece(block: QTextBlock, context: _Context, pipes: bool | None) -> _Piece:
    """`pipes` None: as the block alone would be written (pipes escaped with a hard break)."""
    text = block.text()
    has_break = _LINE_BREAK in text
    pipes = has_break if pipes is None else pipes
    segments = _segments(block, context, False)
    first = segments[0][1] if segments else frozenset()
    last = segments[-1][1] if segments else frozenset()
    return _Piece(
        _inline_segments(segments, pipes),
        first,
        last,
        _OPEN_FOOTNOTE_TAIL.search(text[-200:]) is not None,
        pipes,
        has_break,
    )


def _group_lines(
    blocks: list[QTextBlock],
    context: _Context,
    entries: dict[int, tuple[int, int, int, object]] | None,
) -> list[str]:
    """The Markdown lines of one paragraph shown as several blocks.

    Each block's inline Markdown is kept in the cache, and joined where the seam between
    two blocks is clean (no span runs across it): then the joined text is what one block
    would give. Blocks whose seams a span (bold, a link...) crosses are written together,
    as one run of segments, so the markup is exactly that of the unbroken paragraph.
    """
    # Each piece as it would be alone first (its own hard breaks decide whether `|` is
    # escaped); then, if any piece has a hard break, the paragraph's rule for all.
    pieces = [_cached_piece(block, context, entries, None) for block in blocks]
    pipes = any(piece.has_break for piece in pieces)
    if pipes:
        pieces = [
            piece if piece.pipes else _cached_piece(block, context, entries, True)
            for block, piece in zip(blocks, pieces, strict=True)
        ]
    parts: list[str] = []
    run: list[int] = [0]
    for index in range(1, len(blocks) + 1):
        if index < len(blocks):
            before, after = pieces[run[-1]], pieces[index]
            if before.open_tail or before.last & after.first:
                run.append(index)  # a span (or a footnote label) crosses the seam
                continue
        if len(run) == 1:
            parts.append(pieces[run[0]].text)
        else:
            segments = [s for i in run for s in _segments(blocks[i], context, False)]
            parts.append(_inline_segments(segments, pipes))
        run = [index]
    return _lines_of("".join(parts))


def _cached_piece(
    block: QTextBlock,
    context: _Context,
    entries: dict[int, tuple[int, int, int, object]] | None,
    pipes: bool | None,
) -> _Piece:
    """The block's `_Piece` from the cache when it is still good (`pipes` as in `_piece`)."""
    if entries is None:
        return _piece(block, context, pipes)
    key = block.fragmentIndex()
    revision, length, format_index = block.revision(), block.length(), block.blockFormatIndex()
    found = entries.get(key)
    if (
        found is not None
        and found[0] == revision
        and found[1] == length
        and found[2] == format_index
        and isinstance(found[3], _Piece)
        and (pipes is None or found[3].pipes == pipes)
    ):
        return found[3]
    piece = _piece(block, context, pipes)
    entries[key] = (revision, length, format_index, piece)
    return piece


def _cached_lines(
    block: QTextBlock,
    format_index: int,
    kind: _BlockKind,
    context: _Context,
    entries: dict[int, tuple[int, int, int, object]] | None,
) -> list[str]:
    """The block's Markdown lines (markers aside), from the cache when it is still good."""
    if entries is None:
        return _block_lines(block, kind, context)
    key = block.fragmentIndex()
    revision, length = block.revision(), block.length()
    found = entries.get(key)
    if (
        found is not None
        and found[0] == revision
        and found[1] == length
        and (found[2] == format_index)
        and isinstance(found[3], list)
    ):
        return found[3]
    lines = _block_lines(block, kind, context)
    entries[key] = (revision, length, format_index, lines)
    return lines


def _block_lines(block: QTextBlock, kind: _BlockKind, context: _Context) -> list[str]:
    heading, _quote, _code, _language, rule, in_list = kind[:6]
    if rule:
        return _inline_lines(block, context) if block.text().strip(_OBJECT + " ") else []
    if heading and not in_list:
        return [_heading(block, heading, context)]
    return _inline_lines(block, context)


def _list_key(text_list: QTextList) -> object:
    # PySide wrappers are recreated per call; the object index identifies the list.
    return text_list.objectIndex()


def _item(
    block: QTextBlock, text_list: QTextList, key: object, level: int, quote: int, lines: list[str]
) -> _Unit:
    list_format = text_list.format()
    numbered = list_format.style() in _NUMBERED_STYLES
    index = text_list.itemNumber(block)
    marker = f"{list_format.start() + index}. " if numbered else "- "
    lines = lines or [""]
    indent = "    " * (level - 1)
    first = f"{indent}{marker}{lines[0]}"
    # The two spaces of a hard line break at the end of the first line stay.
    lines[0] = first if lines[0] and len(lines) > 1 else first.rstrip()
    continuation = "    " * level
    lines[1:] = [continuation + line for line in lines[1:]]
    return _Unit(lines, quote, "item", level, key, numbered)


def _heading(block: QTextBlock, level: int, context: _Context) -> str:
    text = _inline(block, context, heading=True).replace("\n", " ")
    # Closing hashes would be read as the heading's end marker: escape them. (Not a regex
    # `#+\s*$`: searched from every '#' of a long run, that is quadratic.)
    text = text.strip()
    body = text.rstrip("#")
    text = body + "\\#" * (len(text) - len(body))
    if text.startswith("#"):
        text = "\\" + text
    return "#" * min(level, 6) + " " + text


def _join(
    units: list[_Unit],
    line_map: list[tuple[int, int]] | None = None,
    spans: list[tuple[int, int]] | None = None,
) -> str:
    """The units' Markdown joined; `spans`, when given, receives each unit's (start, end)
    in the text (the last one's end may fall after the text: trailing space is cut)."""
    out: list[str] = []
    previous: _Unit | None = None
    row = length = 0
    for unit in units:
        lines = _render_unit(unit)
        if previous is not None:
            separator = _separator(previous, unit)
            out.append(separator)
            row += separator.count("\n")
            length += len(separator)
        prefix = "> " * unit.quote
        written = "\n".join(prefix + line if line else prefix.rstrip() for line in lines)
        out.append(written)
        if spans is not None:
            spans.append((length, length + len(written)))
        length += len(written)
        if line_map is not None:
            line_map.append((row, unit.block))
        row += len(lines) - 1
        previous = unit
    return "".join(out).rstrip()


def _separator(previous: _Unit, unit: _Unit) -> str:
    if previous.kind == "item" and unit.kind == "item" and previous.quote == unit.quote:
        if unit.extra.get("continues"):
            return "\n\n" if unit.extra.get("blank") else "\n"
        # Two lists side by side: Python-Markdown would join them into one (loose) list.
        if unit.numbered != previous.numbered:
            return "\n\n"
        return "\n\n" + "> " * unit.quote + "<!-- -->\n\n"
    quote = min(previous.quote, unit.quote)
    if quote:
        return "\n" + ">" * quote + "\n"
    return "\n\n"


def _render_unit(unit: _Unit) -> list[str]:
    if unit.kind != "code":
        return unit.lines
    lines = list(unit.lines)
    while lines and not lines[-1].strip():
        lines.pop()
    item = int(unit.extra.get("item") or 0)
    if unit.quote or item:
        # fenced_code works only at the top level: indent the code inside a quote or an
        # item (four spaces more than the item's text).
        indent = "    " * (item + 1)
        return [indent + line if line else "" for line in lines]
    longest = max((len(m.group()) for line in lines for m in _BACKTICKS.finditer(line)), default=0)
    fence = "`" * max(3, longest + 1)
    language = str(unit.extra.get("language") or "")
    return [fence + language, *lines, fence]


# -- tables ----------------------------------------------------------------


def column_alignment(table: QTextTable, column: int) -> str:
    """'left', 'center', 'right' or '' (none) for a column, from its header cell.

    A chosen alignment carries `AlignAbsolute` (as the loader and the table commands set
    it): Qt's own defaults, left and a centred header cell, mean "not set".
    """
    cell = table.cellAt(0, column)
    alignment = cell.firstCursorPosition().block().blockFormat().alignment()
    if not alignment & Qt.AlignmentFlag.AlignAbsolute:
        return ""
    if alignment & Qt.AlignmentFlag.AlignHCenter:
        return "center"
    if alignment & Qt.AlignmentFlag.AlignRight:
        return "right"
    return "left"


_SEPARATORS = {"": "---", "left": ":---", "center": ":---:", "right": "---:"}


def _table(table: QTextTable, context: _Context) -> _Unit | None:
    rows, columns = table.rows(), table.columns()
    if not rows or not columns:
        return None
    lines = []
    for row in range(rows):
        cells = []
        for column in range(columns):
            cell = table.cellAt(row, column)
            if cell.row() != row or cell.column() != column:
                cells.append("")  # covered by a merged cell: the dialect has no spans
                continue
            cells.append(_cell_text(cell, context, header=row == 0))
        lines.append("| " + " | ".join(cells) + " |")
        if row == 0:
            separators = [_SEPARATORS[column_alignment(table, c)] for c in range(columns)]
            lines.append("| " + " | ".join(separators) + " |")
    return _Unit(lines, 0, "table")


def _cell_text(cell, context: _Context, *, header: bool) -> str:
    parts = []
    block = cell.firstCursorPosition().block()
    last = cell.lastCursorPosition().block().blockNumber()
    while block.isValid() and block.blockNumber() <= last:
        text = _inline(block, context, heading=header, pipes=True).replace("\n", " ").strip()
        if text:
            parts.append(text)
        block = block.next()
    return " ".join(parts)


# -- inline ----------------------------------------------------------------


def _inline_lines(block: QTextBlock, context: _Context) -> list[str]:
    return _lines_of(_inline(block, context, pipes=_LINE_BREAK in block.text()))


def _lines_of(text: str) -> list[str]:
    """A paragraph's inline Markdown as lines: hard breaks kept, line starts escaped."""
    if not text.strip():
        return []
    lines = [line.strip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    out = []
    for index, line in enumerate(lines):
        line = _escape_line_start(line)
        out.append(line + "  " if index < len(lines) - 1 else line)
    return out


def _escape_line_start(line: str) -> str:
    match = _LINE_START.match(line)
    if not match:
        return line
    first = match.group()
    if first[0].isdigit():
        rest = line[len(first) :]
        # "2024. The year" would open a numbered list; "2024.5" would not, escape anyway.
        return first + "\\" + rest if rest[:1] == "." else line
    if first == "~":
        return "&#126;" + line[1:]
    if first == "=":
        return "&#61;" + line[1:]
    return "\\" + line


def is_code_format(char_format: QTextCharFormat) -> bool:
    """Inline code: fixed pitch as the editor sets it, or a monospace family as Qt's
    Markdown reader sets it; the toolbar's state and the writer's backticks agree."""
    if char_format.fontFixedPitch():
        return True
    if not char_format.hasProperty(QTextFormat.Property.FontFamilies):
        return False
    families = char_format.fontFamilies()
    return any(str(family).lower() in CODE_FAMILIES for family in families)


# Span kinds in nesting order, outermost first.
_LINK, _STRIKE, _BOLD, _ITALIC, _CODE = range(5)
_OPEN = {_STRIKE: "<del>", _BOLD: "**", _ITALIC: "*"}
_CLOSE = {_STRIKE: "</del>", _BOLD: "**", _ITALIC: "*"}


def _segments(
    block: QTextBlock, context: _Context, heading: bool
) -> list[tuple[str, frozenset, object]]:
    """(text, spans, link) per fragment; an image's text is its ready-written Markdown."""
    out: list[tuple[str, frozenset, object]] = []
    iterator = block.begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        iterator += 1
        spans, href, image = context.char(fragment.charFormatIndex(), heading)
        if image:
            out.extend((image, spans, href) for _ in range(fragment.length()))
        else:
            out.append((fragment.text(), spans, href))
    return out


def _hug(segments: list[tuple[str, frozenset, str]]) -> list[tuple[str, frozenset, str]]:
    """Move whitespace at the edges of a span outside it: `** a**` is not bold in Markdown."""
    out: list[tuple[str, frozenset, str]] = []
    count = len(segments)
    for index, (text, spans, href) in enumerate(segments):
        if _IMAGE in spans or not (spans - {_LINK}):
            out.append((text, spans, href))
            continue
        core = text.strip(" \t" + _LINE_BREAK)
        if not core:
            keep = spans & (segments[index - 1][1] if index else frozenset())
            keep &= segments[index + 1][1] if index + 1 < count else frozenset()
            out.append((text, keep | (spans & {_LINK}), href))
            continue
        start = text.index(core[0])
        end = start + len(core)
        if start:
            before = segments[index - 1][1] if index else frozenset()
            out.append((text[:start], (spans & before) | (spans & {_LINK}), href))
        out.append((core, spans, href))
        if end < len(text):
            after = segments[index + 1][1] if index + 1 < count else frozenset()
            out.append((text[end:], (spans & after) | (spans & {_LINK}), href))
    return out


def _inline(
    block: QTextBlock, context: _Context, *, heading: bool = False, pipes: bool = False
) -> str:
    """The block's text with its inline markup; hard line breaks become newlines."""
    return _inline_segments(_segments(block, context, heading), pipes)


def _inline_segments(segments: list[tuple[str, frozenset, object]], pipes: bool) -> str:
    """Inline Markdown of (text, spans, link) segments, one block's or a paragraph's."""
    if not segments:
        return ""
    if all(not spans for _, spans, _ in segments):
        return _escape_text("".join(text for text, _, _ in segments), pipes)
    segments = _hug(segments)
    out: list[str] = []
    stack: list[int] = []
    open_href = ""
    code: list[str] = []

    def close_to(depth: int) -> None:
        nonlocal open_href
        while len(stack) > depth:
            kind = stack.pop()
            if kind == _CODE:
                out.append(_code_span("".join(code)))
                code.clear()
            elif kind == _LINK:
                out.append(f"]({_link_target(open_href)})")
                open_href = ""
            else:
                out.append(_CLOSE[kind])

    for index, (text, spans, href) in enumerate(segments):
        is_image = _IMAGE in spans
        spans = spans - {_IMAGE}
        # Keep the open spans that this segment still has (a changed link closes all).
        depth = 0
        while depth < len(stack):
            kind = stack[depth]
            if kind not in spans or (kind == _LINK and href != open_href):
                break
            depth += 1
        close_to(depth)
        opening = [kind for kind in (_LINK, _STRIKE, _BOLD, _ITALIC, _CODE) if kind in spans]
        if len(opening) > 1:
            # The span that runs longest opens first (outermost), so one that ends sooner
            # closes without closing and reopening it: `***a**b*`, never `***a****b*`,
            # which Python-Markdown reads otherwise. Links stay outermost, code innermost.
            opening.sort(key=lambda kind: _span_order(kind, segments, index))
        for kind in opening:
            if kind not in stack:
                if kind == _LINK:
                    out.append("[")
                    open_href = href
                elif kind != _CODE:
                    out.append(_OPEN[kind])
                stack.append(kind)
        if is_image:
            out.append(text)
            continue
        if _CODE in stack:
            code.append(text)
        else:
            out.append(_escape_text(text, pipes))
    close_to(0)
    return "".join(out)


def _span_order(kind: int, segments: list[tuple[str, frozenset, object]], start: int) -> tuple:
    """Sort key of a span opening at segment `start`: links first, code last, and between
    them the span that runs over more of the following segments first."""
    if kind in (_LINK, _CODE):
        return (kind == _CODE, 0, kind)
    run = start
    while run < len(segments) and kind in segments[run][1]:
        run += 1
    return (False, start - run, kind)


def _escape_text(text: str, pipes: bool) -> str:
    pattern = _INLINE_SPECIAL_PIPE if pipes else _INLINE_SPECIAL
    if pattern.search(text):
        footnotes = {m.start(): m.end() for m in _FOOTNOTE_REF.finditer(text)}
        if footnotes:
            parts, position = [], 0
            for start, end in footnotes.items():
                parts.append(_escape_plain(text[position:start], pattern))
                parts.append(text[start:end])
                position = end
            parts.append(_escape_plain(text[position:], pattern))
            text = "".join(parts)
        else:
            text = _escape_plain(text, pattern)
    return text.replace(_LINE_BREAK, "\n")


def _escape_plain(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: _INLINE_ESCAPES.get(m.group(), "\\" + m.group()), text)


def _code_span(text: str) -> str:
    text = text.replace(_LINE_BREAK, " ")
    longest = max((len(m.group()) for m in _BACKTICKS.finditer(text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`"):
        text = f" {text} "
    return f"{fence}{text}{fence}"


def _link_target(href: str | tuple[str, str]) -> str:
    if isinstance(href, str):
        return _escape_url(href)
    url, title = href
    title = " ".join(title.split())
    if '"' in title and "'" not in title:
        return f"{_escape_url(url)} '{title}'"
    return f'{_escape_url(url)} "{title.replace(chr(34), chr(39))}"'


def _escape_alt(alt: str) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", " ".join(alt.split()))


def _escape_url(url: str) -> str:
    return _URL_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", url)
