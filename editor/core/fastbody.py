"""A fast path for the body renderer: ordinary paragraphs and headings without Python-Markdown.

Most of a news story is paragraphs of plain words, now and then a `**bold lead-in**` or a
`[link](https://...)`, and a few `## subheads`. Python-Markdown spends most of an export on
those (block parser, inline patterns, serializer) although their HTML is obvious. Here the
body is cut into top-level blocks with `editor.core.blocks.split_blocks` (whose pieces render
independently, as the preview relies on); a block that is *provably simple* is written directly,
every other block (lists, quotes, code, tables, raw HTML, footnotes, escapes, emphasis that is
not a clean `**word ... word**`, anything unusual) goes to Python-Markdown as before, runs of
such blocks in one call.

"Provably simple" is deliberately narrow: a whitelist grammar, not a blacklist. The output is
byte-for-byte what Python-Markdown writes for the same block (tests/core/test_fastbody.py checks
that on a differential fuzz corpus), and it is cleaned by the same nh3 allow-list afterwards, so
this changes speed, never what a page says or what it lets through. No Qt here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from editor.core.blocks import normalise_newlines, split_blocks

#: What plain text may not contain: anything that starts an inline pattern (code, escape,
#: link, image, footnote, autolink, raw HTML, entity, emphasis), the table pipe, control
#: characters, tabs (Python-Markdown expands them) and the other line separators.
_NOT_PLAIN = r"\\`\[\]<>&*_|\x00-\x1f\x7f-\x9f\u2028\u2029"
#: `[text](url)`: text of plain characters (no parentheses or ^, not starting or ending with
#: whitespace), a plain URL (no spaces, quotes, brackets, parentheses or &), not an image.
_LINK = (
    rf"(?<![!\\])\[(?=\S)[^{_NOT_PLAIN}^()]++(?<=\S)\]"
    r"\([A-Za-z0-9/:._~%?#=+-]++\)"
)
#: `**strong**` whose content neither starts nor ends with whitespace (so both runs are
#: unambiguous delimiters for Python-Markdown), not touching another `*`.
_STRONG = rf"(?<!\*)\*\*(?=\S)[^{_NOT_PLAIN}]++(?<=\S)\*\*(?!\*)"
#: Paragraph text: plain characters, line breaks between lines, links and strong words.
#: (Possessive: the alternatives start with different characters, nothing to backtrack.)
_INLINE = re.compile(rf"(?:[^{_NOT_PLAIN}]++|\n|{_LINK}|{_STRONG})++")
#: Or: plain text, links and runs of `*` that follow whitespace (or start the text). Such a
#: run can open emphasis but never close it, so when all runs are like that, every `*` is
#: printed as typed (`**Lead-in **words`: an unclosed strong, a common typing slip).
_INLINE_STARS = re.compile(rf"(?:[^{_NOT_PLAIN}]++|\n|{_LINK}|(?<!\S)\*++)++")
_TOKEN = re.compile(r"\[([^\]]+)\]\(([^)]+)\)|\*\*([^*]+)\*\*")
_LINK_TOKEN = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")
#: Line starts that may begin a block construct (heading, quote, list, rule, setext underline,
#: fence, table, ordered list) or that Python-Markdown strips; such blocks take the slow path.
_RISKY_LINE_START = re.compile(r"[\s#>+\-=|~:]|\d+[.)]|\*(?!\*\w)")
#: What makes blocks depend on each other beyond what `split_blocks` sees: footnote and
#: reference definitions anywhere (even inside a quote or list), and the STX/ETX characters
#: Python-Markdown deletes before it finds blank lines. Such bodies are converted whole.
_WHOLE = re.compile(r"\]:|[\x02\x03]")
_HEADING = re.compile(r"(#{1,6}) +(\S(?:.*\S)?)")
_NUMBER = re.compile(r"\d+\. ")


def _inline(text: str) -> str | None:
    """The HTML of `text` (no newlines at its ends) when it is within the simple grammar."""
    if _INLINE.fullmatch(text):
        if "[" not in text and "*" not in text:
            return text
        return _TOKEN.sub(_token_html, text)
    if "*" in text and _INLINE_STARS.fullmatch(text):
        return _LINK_TOKEN.sub(_token_html, text) if "[" in text else text
    return None


def _token_html(match: re.Match[str]) -> str:
    if match.lastindex == 3:
        return f"<strong>{match.group(3)}</strong>"
    return f'<a href="{match.group(2)}">{match.group(1)}</a>'


def _paragraph(lines: list[str]) -> str | None:
    for line in lines:
        if not line or _RISKY_LINE_START.match(line) or line[-1].isspace():
            return None
    content = _inline("\n".join(lines))
    return None if content is None else f"<p>{content}</p>"


def _heading(line: str) -> str | None:
    heading = _HEADING.fullmatch(line)
    if heading is None or heading.group(2).endswith("#"):
        return None
    content = _inline(heading.group(2))
    if content is None:
        return None
    level = max(2, len(heading.group(1)))  # house style: a body `# heading` is an h2
    return f"<h{level}>{content}</h{level}>"


def _list(lines: list[str]) -> str | None:
    """A tight list of one-line items, all `- `, all `* `, all `+ ` or numbered from 1."""
    first = lines[0]
    if first.startswith(("- ", "* ", "+ ")):
        marker, tag = first[:2], "ul"
        item_start = len(marker)
    elif first.startswith("1. "):
        marker, tag = "", "ol"
        item_start = 0
    else:
        return None
    items: list[str] = []
    for line in lines:
        if tag == "ol":
            number = _NUMBER.match(line)
            if number is None:
                return None
            item_start = number.end()
        elif not line.startswith(marker):
            return None
        item = _paragraph([line[item_start:]])
        if item is None:
            return None
        items.append(f"<li>{item[3:-4]}</li>")
    return f"<{tag}>\n" + "\n".join(items) + f"\n</{tag}>"


def simple_block_html(block: str) -> str | None:
    """Python-Markdown's HTML of one top-level block, or None when it is not provably simple."""
    lines = block.split("\n")
    while lines and not lines[-1].strip(" \t"):
        lines.pop()
    while lines and not lines[0]:  # a first line of spaces can be a code block
        lines.pop(0)
    if not lines:
        return None
    start = lines[0][:1]
    if start == "#":
        return _heading(lines[0]) if len(lines) == 1 else None
    if start == ">":
        if not all(line.startswith("> ") for line in lines):
            return None
        inner = [line[2:] for line in lines]
        if len(inner) == 1 and inner[0].startswith("#"):
            html = _heading(inner[0])
        else:
            html = _paragraph(inner)
        return None if html is None else f"<blockquote>\n{html}\n</blockquote>"
    if start in ("-", "*", "+") or start.isdigit():
        html = _list(lines)
        if html is not None or start in ("-", "+"):
            return html
    return _paragraph(lines)


def convert(text: str, markdown_html: Callable[[str], str]) -> str:
    """The body HTML (before sanitising) of `text`, as `markdown_html(text)` would give it.

    `markdown_html` is the real converter; it gets every block that is not provably simple
    (consecutive ones together).
    """
    text = normalise_newlines(text)
    if not text.strip() or _WHOLE.search(text):
        return markdown_html(text)
    try:
        return _convert_blocks(text, markdown_html)
    except _Whole:
        return markdown_html(text)


def _convert_blocks(text: str, markdown_html: Callable[[str], str]) -> str:
    parts: list[str] = []
    pending: list[str] = []
    for block in split_blocks(text):
        html = simple_block_html(block)
        if html is None:
            pending.append(block)
            continue
        if pending:
            parts.append(_slow("".join(pending), markdown_html))
            pending = []
        parts.append(html)
    if pending:
        parts.append(_slow("".join(pending), markdown_html))
    return "\n".join(part for part in parts if part)


class _Whole(Exception):
    """A run of blocks that Python-Markdown would read differently on its own."""


def _slow(run: str, markdown_html: Callable[[str], str]) -> str:
    if not run.strip():
        # Whitespace only to Python-Markdown (e.g. a tab before U+0085), which returns ""
        # for it, though inside the whole body a tab-indented line is a code block.
        raise _Whole
    return markdown_html(run)
