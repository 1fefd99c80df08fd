"""Python-Markdown's emphasis, kept from eating the characters after a closing `*` or `_`.

Python-Markdown 3.11's `DelimiterProcessor` (the `em_strong` inline pattern) can pair a
closing run of ONE delimiter with an opening run of TWO when the "rule of 3" sends it
looking further down its stack: the closing region is then two characters wide, and the
character after the `*` disappears into it. `*em**em*b` loses its `b`; when that character
is the start of a placeholder (inline code, a link or raw HTML stashed earlier, as in
``*em**em*`code` ``), the placeholder is broken and `klzzwxh:0000` plus a stray U+0003
leak into the page while the code itself is lost.

The same processor pairs all delimiters of a text at once and replays the pairs at later
matches by an offset; a `*` or `_` that can neither open nor close (`x_y`) comes between,
the offset is wrong, and again a placeholder is cut (`_em_x_y*em*x_y`<b>*em*`).

`SafeDelimiterProcessor` checks every region the pairing records against the text: a
closing (or opening) side is narrowed to the delimiter characters really there, and the
emphasis becomes `<em>` instead of `<strong>` when only one is left. A replay whose regions
no longer sit on delimiter runs is skipped (a delimiter that cannot pair) or started
afresh. Every character of the source stays in the output. Where the regions are right
(all of them, in ordinary copy), nothing changes, so the HTML of everything else is the
same as before.
"""

from __future__ import annotations

import re

import markdown
from markdown.inlinepatterns import Delimiter, DelimiterProcessor


class SafeDelimiterProcessor(DelimiterProcessor):
    """`DelimiterProcessor` whose regions never extend past the delimiter runs they pair."""

    _data = ""

    def handleMatch(self, m: re.Match[str], data: str):  # type: ignore[override]
        self._data = data
        start = m.start(0)
        if self.regions and not self._cache_fits(start, data):
            if self.get_match(data, start) is None:
                return None, start, m.end(0)  # e.g. the `_` of `x_y`: not a delimiter
            self.reset()  # pair afresh from here, on the text as it is now
        return super().handleMatch(m, data)

    def _cache_fits(self, position: int, data: str) -> bool:
        """Whether the regions paired earlier still sit on delimiter runs, seen from here.

        The pairing is done once for the rest of a text and replayed at later matches by
        an offset, which assumes the next match is the next region's start; a `*` or `_`
        that cannot open or close anything (inside a word, between spaces) breaks that
        and the replay cuts at the wrong places.
        """
        regions, index = self.regions, self.cache_index
        if index >= len(regions):
            return False
        if position != self.cache_pos:
            offset = position - self.cache_pos
        else:
            offset = position - regions[index][0]
        outer_end = regions[index][3]
        for number, region in enumerate(regions[index:]):
            if number and region[0] >= outer_end:
                break
            a, b, c, d = (x + offset for x in region[:4])
            if a < 0 or d > len(data):
                return False
            opening, closing = data[a:b], data[c:d]
            token = opening[:1]
            if token not in self.delimiters or opening != closing or opening.strip(token):
                return False
        return True

    def add_region(self, delim: Delimiter, a: int, b: int, c: int, d: int, size: int) -> None:
        token = delim.token
        data = self._data
        opening = 0  # delimiter characters really at the end of the opening side
        while opening < size and b - 1 - opening >= 0 and data[b - 1 - opening] == token:
            opening += 1
        closing = 0  # ...and at the start of the closing side
        while closing < size and c + closing < len(data) and data[c + closing] == token:
            closing += 1
        fits = min(opening, closing)
        if 0 < fits < size:
            a, d, size = b - fits, c + fits, fits
        super().add_region(delim, a, b, c, d, size)


def install(md: markdown.Markdown) -> None:
    """Put the safe processor in place of `em_strong`, with the same delimiters."""
    old = md.inlinePatterns["em_strong"]
    safe = SafeDelimiterProcessor("*", "strong,em", md)  # sets md.delimiters to itself
    for token, delim in getattr(old, "delimiters", {}).items():
        if token != "*":
            safe.add(token, ",".join(dict.fromkeys(delim.tags)), delim.smart, delim.double)
    md.inlinePatterns.register(safe, "em_strong", 60)
