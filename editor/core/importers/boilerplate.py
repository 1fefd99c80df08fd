"""Recognising the furniture that web and wire copy mixes into a story's paragraphs.

`is_boilerplate(paragraph)` says what kind of furniture a paragraph is ("related",
"video", "newsletter", "social", "advert", "boilerplate") or None for story text. The
importer moves such paragraphs into the article's import notes; the copy-desk checks
use the same function to flag what is still left in a body.
"""

from __future__ import annotations

import re

#: Paragraphs longer than this are story text even when they start like furniture.
MAX_BOILERPLATE_CHARS = 240

_FLAGS = re.IGNORECASE | re.UNICODE

# Each kind: patterns matched at the start of the (normalised) paragraph.
_PREFIXES: dict[str, tuple[str, ...]] = {
    "related": (
        r"see also\b",
        r"read (?:more|also|next|this)\b",
        r"also read\b",
        r"related(?: stories| articles| coverage| content| news| reading)?\s*[:\-–—|]",
        r"related(?: stories| articles| coverage| content| news| reading)?$",
        r"more on this(?: story)?\b",
        r"(?:you may|you might) also (?:like|be interested)\b",
        r"recommended(?: for you| stories| reading)?\s*[:\-–—|]",
        r"recommended(?: for you| stories| reading)?$",
        r"continue reading\b",
        r"(?:most|top) (?:read|popular|viewed)\s*[:\-–—|]?$",
        r"(?:click|tap) here (?:to|for)\b",
        r"latest news\s*[:\-–—|]?$",
    ),
    "video": (
        r"today'?s featured video\b",
        r"featured video\b",
        r"watch(?: the)? video\b",
        r"watch\s*[:\-–—|]",
        r"video\s*[:\-–—|]",
        r"(?:click|tap) to play\b",
        r"play video\b",
        r"listen to this (?:article|story)\b",
    ),
    "advert": (
        r"advertisement$",
        r"advertising$",
        r"ad$",
        r"sponsored(?: content)?$",
        r"story continues below(?: this)? advertisement",
        r"article continues below",
    ),
}

# Patterns found anywhere in a short paragraph.
_ANYWHERE: dict[str, tuple[str, ...]] = {
    "newsletter": (
        r"\b(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletter|inbox|briefing|alerts?)\b",
        r"\bnewsletter\b.{0,80}\b(?:sign up|subscribe|inbox)\b",
        r"\bdelivered (?:straight |directly )?to your inbox\b",
        r"\bget (?:our|the) [\w ]{0,40}newsletter\b",
    ),
    "social": (
        r"\bfollow us on\b",
        r"\b(?:like|find|join) us on (?:facebook|instagram|twitter|x|tiktok|telegram|whatsapp)\b",
        r"\bshare (?:this|on) (?:article|story|facebook|twitter|x|whatsapp|linkedin)\b",
        r"^share(?: this)?(?: article| story)?\s*[:\-–—|]?$",
        r"^(?:facebook|twitter|x|whatsapp|linkedin|email|copy link)"
        r"(?:\s*[|,·•/]\s*(?:facebook|twitter|x|whatsapp|linkedin|email|copy link))+$",
        r"\bdownload (?:our|the) app\b",
    ),
    "boilerplate": (
        r"\ball rights reserved\b",
        r"^(?:©|\(c\)|copyright\b)",
        r"^skip to (?:main )?content$",
        r"^(?:menu|search|home|log ?in|sign in|subscribe)$",
        r"^this (?:article|story) (?:is|was) (?:auto-generated|generated)\b",
    ),
}

_COMPILED_PREFIXES = {
    kind: re.compile("^(?:" + "|".join(patterns) + ")", _FLAGS)
    for kind, patterns in _PREFIXES.items()
}


def _anywhere(patterns: tuple[str, ...]) -> tuple[re.Pattern | None, re.Pattern | None]:
    """(the patterns anchored at the start, the others) of one kind: `re` tries an
    anchored pattern at the start alone, and finds where one without IGNORECASE (matched
    against the lowered text) may begin by a quick scan of its first characters. All of
    a kind joined with IGNORECASE made the same search three to five times slower."""
    anchored = [p for p in patterns if p.startswith("^")]
    loose = [p for p in patterns if not p.startswith("^")]
    return (
        re.compile("|".join(anchored), _FLAGS) if anchored else None,
        re.compile("|".join(loose)) if loose else None,
    )


_COMPILED_ANYWHERE = {kind: _anywhere(patterns) for kind, patterns in _ANYWHERE.items()}
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
#: What `normalise` takes out (each `str.replace` where present: 10x faster than re.sub).
_MARKUP = "*_#>`\\"

#: Every kind `is_boilerplate` can answer, for labels in the inspector and the checks.
KINDS = ("related", "video", "newsletter", "social", "advert", "boilerplate")

#: A person-facing label per import-note kind.
KIND_LABELS = {
    "related": "Related link",
    "video": "Video prompt",
    "newsletter": "Newsletter prompt",
    "social": "Social prompt",
    "advert": "Advert",
    "boilerplate": "Boilerplate",
    "masthead": "Masthead",
    "teaser": "Teaser for another story",
    "byline": "Byline line",
    "caption": "Caption",
    "image": "Image not imported",
    "left-out": "Left out by the extractor",
    "extraction": "Import warning",
    "control": "Control characters removed",
    "strikethrough": "Struck-out text",
    "credit": "Reporting and editing credit",
}

#: Note kinds that report on the import rather than hold text taken out of the body.
REPORT_KINDS = frozenset({"extraction", "control", "strikethrough"})


def normalise(paragraph: str) -> str:
    """One line, straight apostrophes, no Markdown emphasis or link syntax around words."""
    text = paragraph.replace("\u2019", "'").replace("\u2018", "'").replace("\xa0", " ")
    if "](" in text:
        text = _LINK.sub(r"\1", text)  # [text](url) -> text
    for marker in _MARKUP:
        if marker in text:
            text = text.replace(marker, "")
    return " ".join(text.split())


def is_boilerplate(paragraph: str) -> str | None:
    """The kind of furniture `paragraph` is, or None when it reads as story text."""
    if len(paragraph) > MAX_BOILERPLATE_CHARS and "](" not in paragraph:
        # Quick answer for running text: what normalising could remove is not enough.
        letters = len("".join(paragraph.split())) - sum(paragraph.count(c) for c in "*_#>`\\")
        if letters > MAX_BOILERPLATE_CHARS:
            return None
    text = normalise(paragraph)
    if not text or len(text) > MAX_BOILERPLATE_CHARS:
        return None
    for kind, pattern in _COMPILED_PREFIXES.items():
        if pattern.match(text):
            return kind
    lowered = text.lower()
    for kind, (anchored, loose) in _COMPILED_ANYWHERE.items():
        if (anchored and anchored.match(text)) or (loose and loose.search(lowered)):
            return kind
    return None


def is_marker(kind: str | None) -> bool:
    """Furniture after which a short trailing paragraph is a teaser for another story."""
    return kind in {"related", "video", "advert"}
