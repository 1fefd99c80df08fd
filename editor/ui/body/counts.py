"""Counts of a Markdown body as the reader will see it, read from the source text.

In source mode the status bar counts the Markdown itself, and must say what the rich
editor says for the same body: `MarkdownCounter` takes each line to the text the rich
editor shows for it (markers, emphasis marks, link targets, code fences and table
pipes dropped; a picture is one character and no word; a paragraph's wrapped lines are
joined by one character) and applies the word rule of `editor.core.text.word_count`
(`copyfit.WORD`). Unlike `word_count`, a numbered list's numbers are not words here:
the rich editor draws them, they are not text. Each line's figures are cached by its
text, so after a keystroke only the edited line is counted again.
"""

from __future__ import annotations

import html
import re
from enum import Enum

from PySide6.QtGui import QTextDocument

from editor.ui.body.copyfit import WORD, Counts

_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_QUOTE = re.compile(r"^(?:[ ]{0,3}>[ ]?)+")
_HEADING = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t]+|$)")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)[ \t]+")
_SETEXT = re.compile(r"^(?:=+|-+)[ ]*$")
_RULE = re.compile(r"^[ ]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_TABLE_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_SPACES = re.compile(r"[ \t]+")
#: What Python-Markdown un-escapes (`markdown.Markdown.ESCAPED_CHARS`, plus the table pipe).
_ESCAPABLE = r"\\`*_{}\[\]()>#+\-.!|"
_INLINE = re.compile(
    r"(?P<code>(?P<ticks>`+)(?P<code_text>.+?)(?<!`)(?P=ticks)(?!`))"
    r"|(?P<image>!\[(?!\^)(?:\\.|[^\]\\])*\]\([^)]*\))"
    r"|\[(?!\^)(?P<link>(?:\\.|[^\]\\])*)\]\([^)]*\)"  # "[^" is footnote text, kept
    r"|<(?P<auto>(?:https?|ftp|mailto):[^>\s]+)>"
    r"|(?P<tag></?[A-Za-z][^>]*>|<!--.*?-->)"
    rf"|\\(?P<escaped>[{_ESCAPABLE}])"
    r"|(?P<entity>&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)"
    r"|(?P<marks>\*+|(?<![^\W_])_+|_+(?![^\W_]))"
)
#: The rich editor's stand-in for a picture.
_OBJECT = "\ufffc"


class _Kind(Enum):
    TEXT = "text"  # a paragraph, heading, list item or quote line
    CODE = "code"  # a line of a fenced code block, shown as typed
    ROW = "row"  # a table row: one block per cell


def _inline(text: str) -> str:
    """`text` without inline markup, as the rich editor shows it."""

    def replace(match: re.Match[str]) -> str:
        if match.group("code") is not None:
            return match.group("code_text").strip()
        if match.group("image") is not None:
            return _OBJECT
        if match.group("link") is not None:
            return _inline(match.group("link"))
        if match.group("auto") is not None:
            return match.group("auto")
        if match.group("escaped") is not None:
            return match.group("escaped")
        if match.group("entity") is not None:
            return html.unescape(match.group("entity"))
        return ""  # a tag or emphasis marks

    return _SPACES.sub(" ", _INLINE.sub(replace, text)).strip()


def _figures(kind: _Kind, line: str) -> tuple[int, int, int]:
    """(words, characters, spaces) of one line of the kind given."""
    if kind is _Kind.CODE:
        plain = line
    elif kind is _Kind.ROW:
        cells = _CELL_SPLIT.split(line.strip())
        if cells and not cells[0].strip():
            cells = cells[1:]
        if cells and not cells[-1].strip() and line.rstrip().endswith("|"):
            cells = cells[:-1]
        plains = [_inline(cell) for cell in cells]
        words = sum(len(WORD.findall(plain)) for plain in plains)  # a cell is a paragraph
        plain = "".join(plains)
        return words, len(plain), sum(ch.isspace() for ch in plain)
    else:
        plain = _inline(line)
    return len(WORD.findall(plain)), len(plain), sum(ch.isspace() for ch in plain)


class MarkdownCounter:
    """Counts of a Markdown `QTextDocument` (the source editor's), cached line by line."""

    def __init__(self, document: QTextDocument) -> None:
        self._document = document
        self._cache: dict[tuple[_Kind, str], tuple[int, int, int]] = {}

    def count(self) -> Counts:
        lines = self._document.toPlainText().split("\n")
        return self.count_lines(lines)

    def count_lines(self, lines: list[str]) -> Counts:
        words = characters = spaces = 0
        cache, seen = self._cache, {}
        fence = ""
        in_table = in_list = joinable = quoted = first_plain = False
        block_line = 0  # lines since the last blank line
        for number, line in enumerate(lines):
            if fence:
                if line.strip().startswith(fence):
                    fence = ""
                    continue
                key = (_Kind.CODE, line)
                joinable = False
            else:
                bare = _QUOTE.sub("", line)
                opening = _FENCE.match(bare)
                if opening:
                    fence = opening.group(1)[:3]
                    joinable = in_table = False
                    continue
                if not bare.strip():
                    joinable = in_table = in_list = quoted = False
                    block_line = 0
                    continue
                block_line += 1
                if block_line == 2 and first_plain and _SETEXT.match(bare):
                    joinable = False  # the line above is a heading (Python-Markdown rule)
                    continue
                if _RULE.match(bare):
                    joinable = False
                    continue
                if in_table or (
                    "|" in line
                    and number + 1 < len(lines)
                    and _TABLE_SEPARATOR.match(lines[number + 1])
                ):
                    in_table = True
                    joinable = False
                    if _TABLE_SEPARATOR.match(line):
                        continue
                    key = (_Kind.ROW, line)
                else:
                    quote = _QUOTE.match(line)
                    lazy = not quote and quoted and joinable  # a quote's paragraph goes on
                    starts_block = bool(quote) and not quoted  # a quote opens mid-paragraph
                    quoted = bool(quote) or lazy
                    heading = _HEADING.match(bare)
                    # A list starts a block only at its start (else "- b" is text).
                    item = _ITEM.match(bare) if block_line == 1 or in_list else None
                    if heading:
                        text = _CLOSING_HASHES.sub("", bare[heading.end() :])
                    elif item:
                        text, in_list = bare[item.end() :], True
                    else:
                        text = bare
                    if joinable and not (starts_block or heading or item):
                        characters += 1  # the wrapped line's break: a space in the text
                        spaces += 1
                    first_plain = block_line == 1 and not (heading or item or quote)
                    joinable = not heading
                    key = (_Kind.TEXT, text)
            figures = seen.get(key) or cache.get(key)
            if figures is None:
                figures = _figures(*key)
            seen[key] = figures
            words += figures[0]
            characters += figures[1]
            spaces += figures[2]
        self._cache = seen  # drop lines that are gone
        return Counts(words, characters, characters - spaces)
