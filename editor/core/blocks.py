"""A Markdown body cut into top-level blocks that render independently, for the live preview.

`split_blocks(text)` returns slices of the (line-ending normalised) text whose renders, joined
by `join_rendered`, equal `render_body_html(text)`: the preview re-renders only the blocks an
edit touched and patches them into the page. The cut follows Python-Markdown's block parser:
blank lines separate blocks, except where the parser would carry state across them — a fenced
code block with blank lines, an indented continuation (code, list item), a list or block quote
that the next block continues. Reference-link definitions, footnotes and raw HTML blocks make
the meaning of one block depend on the whole document: those documents are one block (the
preview renders them whole, still off the GUI thread). No Qt here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markdown.extensions.fenced_code import FencedBlockPreprocessor

#: Python-Markdown's own fence pattern, so a fence here is exactly a fence for the renderer.
_FENCE = FencedBlockPreprocessor.FENCED_BLOCK_RE
_TAB_LENGTH = 4
_INDENTED = re.compile(r"^(?: {4}|\t| {0,3}\t)")
_LIST_ITEM = re.compile(r"^[ ]{0,3}(?:[*+-]|\d+\.)[ ]+")
_LIST_ITEM_ANYWHERE = re.compile(r"^[ ]{0,3}(?:[*+-]|\d+\.)[ ]+", re.MULTILINE)
_QUOTE = re.compile(r"^[ ]{0,3}>")
_QUOTE_ANYWHERE = re.compile(r"^[ ]{0,3}>", re.MULTILINE)
#: What makes one block's meaning depend on another: `[id]: url` and `[^1]: note`
#: definitions, and raw HTML anywhere (Python-Markdown reads HTML blocks across blank lines,
#: and an unclosed inline tag spans the following blocks once the sanitiser parses it).
#: Autolinks (`<https://...>`, `<a@b.org>`) are not tags and do not count.
_WHOLE_DOCUMENT = re.compile(
    r"^[ ]{0,3}\[[^\n]*\]:|<(?:[/!?]|[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$))", re.MULTILINE
)


def normalise_newlines(text: str) -> str:
    """Line endings as Python-Markdown reads them: "\\r\\n" and a lone "\\r" are "\\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_blank(line: str) -> bool:
    return not line.strip(" \t")


def _fence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of fenced code blocks, found the way the fenced_code extension does."""
    spans: list[tuple[int, int]] = []
    index = 0
    while True:
        match = _FENCE.search(text, index)
        if match is None:
            return spans
        spans.append((match.start(), match.end()))
        index = match.end()


def _chunks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of non-blank lines plus the blank lines after it.

    Leading blank lines belong to the first chunk, so the chunks tile the whole text.
    """
    starts: list[int] = []
    position = 0
    previous_blank = True
    for line in text.split("\n"):
        blank = _is_blank(line)
        if not blank and previous_blank:
            starts.append(position)
        previous_blank = blank
        position += len(line) + 1
    if not starts:
        return [(0, len(text))] if text else []
    starts[0] = 0
    return [(start, end) for start, end in zip(starts, [*starts[1:], len(text)], strict=True)]


def _continues(previous: str, chunk: str) -> bool:
    """Whether Python-Markdown would read `chunk` as part of what `previous` ended with."""
    first_line = chunk.lstrip("\n").split("\n", 1)[0]
    if _INDENTED.match(first_line):
        return True  # code continues, or a list item / footnote continues
    if _LIST_ITEM.match(first_line) and (
        _LIST_ITEM_ANYWHERE.search(previous) or re.search(r"^(?: {4}|\t)", previous, re.M)
    ):
        return True  # a loose list: the items after a blank line join the same list
    return bool(_QUOTE.match(first_line) and _QUOTE_ANYWHERE.search(previous))


def split_blocks(text: str) -> list[str]:
    """Top-level blocks of `text` (normalised newlines); their concatenation is the text."""
    text = normalise_newlines(text)
    if not text:
        return []
    if _WHOLE_DOCUMENT.search(text.expandtabs(_TAB_LENGTH)):
        return [text]
    chunks = _chunks(text)
    fences = _fence_spans(text)
    merged: list[list[int]] = []  # [start, end] of each block so far
    fence_index = 0
    for start, end in chunks:
        joins = False
        if merged:
            block_start, block_end = merged[-1]
            # A fence opened in the block so far and not yet closed holds this chunk in it.
            while fence_index < len(fences) and fences[fence_index][1] <= block_end:
                fence_index += 1
            in_fence = fence_index < len(fences) and fences[fence_index][0] < block_end
            joins = in_fence or _continues(text[block_start:block_end], text[start:end])
        if joins:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return [text[start:end] for start, end in merged]


def join_rendered(parts: Sequence[str]) -> str:
    """The body HTML of the whole text from the HTML of its blocks (as Python-Markdown joins)."""
    return "\n".join(part for part in parts if part)


@dataclass
class BlockDiff:
    """What changed between two block lists: `old[start:old_end]` became `new[start:new_end]`."""

    start: int
    old_end: int
    new_end: int

    @property
    def unchanged(self) -> bool:
        return self.start == self.old_end == self.new_end


def diff_blocks(old: Sequence[str], new: Sequence[str]) -> BlockDiff:
    """The one changed run between `old` and `new` (common prefix and suffix kept)."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    old_end, new_end = len(old), len(new)
    while old_end > start and new_end > start and old[old_end - 1] == new[new_end - 1]:
        old_end -= 1
        new_end -= 1
    return BlockDiff(start, old_end, new_end)


@dataclass
class BlockRenderCache:
    """Rendered HTML per block text; `render_count` counts the renders it could not avoid.

    Bounded: after a render pass only the blocks of the current text are kept, so a long
    editing session does not grow it without end.
    """

    render: Callable[[str], str]
    render_count: int = 0
    _html: dict[str, str] = field(default_factory=dict)

    def render_blocks(self, blocks: Sequence[str]) -> list[str]:
        parts: list[str] = []
        fresh: dict[str, str] = {}
        for block in blocks:
            html = self._html.get(block)
            if html is None:
                html = fresh.get(block)
            if html is None:
                html = self.render(block)
                self.render_count += 1
            fresh[block] = html
            parts.append(html)
        self._html = fresh
        return parts
