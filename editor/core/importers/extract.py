"""Finding a web page's story: our own scorer checked against trafilatura's main text.

`story_root(document, html)` answers the element to convert (with htmlmd) and what the
maintained extractor (trafilatura, Apache-2.0) took as the page's main text. The
extractor's text is mapped back onto our lxml tree: every text node it kept votes for
its ancestors, and the deepest element holding nearly all the votes is the story. Our own
choice (`[itemprop=articleBody]`, `<article>`, `<main>`, the densest block) stands when
it holds that text; when it misses much of it (sibling sections of the story, a related
teaser taken for the article) the extractor's node is taken instead.

`covered(block, main)` tells whether a converted paragraph is part of the extractor's
text, so the importer can move what it left out into the import notes (never lose it).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from editor.core.importers.htmlmd import DROPPED, element_text, furniture_kind, tag_name

#: Share of the extractor's text the chosen element must hold.
_HOLD = 0.9
_WORD = re.compile(r"\w+", re.UNICODE)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


@dataclass
class MainText:
    """What the extractor took as the page's main text (empty when it found none)."""

    text: str = ""
    shingles: set[tuple[str, ...]] = field(default_factory=set)

    @property
    def words(self) -> int:
        return len(words(self.text))


_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u1000-\u109f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def words(text: str) -> list[str]:
    """Words; in scripts written without spaces (Chinese, Japanese, Thai...), characters."""
    found = _WORD.findall(text.lower())
    if found and len(_UNSPACED.findall(text)) * 3 > sum(len(w) for w in found):
        return list("".join(found))
    return found


def shingle_set(text: str, n: int = 3) -> set[tuple[str, ...]]:
    items = words(text)
    if len(items) < n:
        return {tuple(items)} if items else set()
    return {tuple(items[i : i + n]) for i in range(len(items) - n + 1)}


def main_text(html: str) -> MainText:
    """trafilatura's main text of the page, or an empty `MainText` when it has none."""
    try:
        import trafilatura
    except ImportError:  # the extractor is a dependency; without it our scorer stands alone
        return MainText()
    # Its "discarding data" warnings would reach the CLI's stderr through logging's
    # last-resort handler; what it left out is in the import notes instead.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        text = trafilatura.extract(
            html,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            favor_precision=True,
            deduplicate=False,
            with_metadata=False,
        )
    except Exception:  # a third-party parser on hostile input: fall back to our own
        return MainText()
    text = text or ""
    return MainText(text, shingle_set(text))


def covered(block: str, main: MainText) -> float:
    """The share of `block`'s word triples that are in the extractor's main text."""
    plain = _LINK.sub(r"\1", block)
    found = shingle_set(plain)
    if not found:
        return 1.0
    return len(found & main.shingles) / len(found)


def story_root(
    document: etree._Element, own: etree._Element | None, main: MainText
) -> etree._Element | None:
    """The element to convert: `own` when it holds the extractor's text, else its node.

    Each element that holds some of the extractor's text is scored as a retrieval:
    precision is the share of its text that the extractor kept, recall the share of the
    extractor's text it holds (weighted twice: what the node holds beyond the story is
    furniture that the converter and the notes take out, what it misses is lost).
    """
    if not main.text or main.words < 25:
        return own
    votes, total = _votes(document, main)
    if not total:
        return own
    lengths = _text_lengths(document)

    def score(element: etree._Element) -> float:
        held = votes.get(element, 0)
        if not held:
            return 0.0
        precision = held / max(held, lengths.get(element, 0))
        recall = held / total
        return 5 * precision * recall / (4 * precision + recall)

    best = max(votes, key=score)
    if tag_name(best) in {"html", "head"}:
        best = next(iter(document.iter("body")), best)
    if own is None:
        return best
    if own.get("itemprop") == "articleBody" and votes.get(own, 0) >= 0.5 * total:
        return own  # the page marked its story; the headline and byline sit outside it
    if score(own) >= 0.9 * score(best):
        return own
    return best


def _text_lengths(document: etree._Element) -> dict[etree._Element, int]:
    """Visible characters under each element, computed in one pass from the leaves."""
    lengths: dict[etree._Element, int] = {}
    for element in reversed(list(document.iter())):
        tag = tag_name(element)
        if tag in DROPPED:
            lengths[element] = 0
            continue
        total = len(" ".join((element.text or "").split())) if tag else 0
        for child in element:
            total += lengths.get(child, 0) + len(" ".join((child.tail or "").split()))
        lengths[element] = total
    return lengths


def _votes(document: etree._Element, main: MainText) -> tuple[Counter, int]:
    """Each text node that is in the main text adds its length to every ancestor."""
    flat = " ".join(main.text.split())
    votes: Counter = Counter()
    total = 0
    for element in document.iter():
        tag = tag_name(element)
        if not tag or tag in DROPPED:
            continue
        for piece, owner in ((element.text, element), (element.tail, element.getparent())):
            if owner is None or not piece:
                continue
            text = " ".join(piece.split())
            if len(text) < 12 or text not in flat:
                continue
            weight = len(text)
            total += weight
            node = owner
            while node is not None:
                votes[node] += weight
                node = node.getparent()
    return votes, total


def _contains(outer: etree._Element, inner: etree._Element) -> bool:
    node = inner
    while node is not None:
        if node is outer:
            return True
        node = node.getparent()
    return False


def unmark_layout_wrappers(root: etree._Element, story: etree._Element) -> None:
    """A wrapper named like furniture ("content-with-sidebar") that holds the story is layout.

    Its class and id are removed inside `root`, so the converter does not drop the story.
    """
    story_length = len(element_text(story)) or 1
    node: etree._Element | None = story
    while node is not None:
        _unmark(node)
        if node is root:
            break
        node = node.getparent()
    for element in story.iter():
        if not isinstance(element.tag, str) or furniture_kind(element) is None:
            continue
        if tag_name(element) == "aside":
            continue
        paragraphs = sum(1 for p in element.iter("p") if len(element_text(p)) > 80)
        if paragraphs >= 3 and len(element_text(element)) > 0.5 * story_length:
            _unmark(element)


def _unmark(element: etree._Element) -> None:
    if furniture_kind(element) is None:
        return
    for name in ("class", "id"):
        if name in element.attrib:
            element.attrib[f"data-layout-{name}"] = element.attrib.pop(name)
