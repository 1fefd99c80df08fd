"""HTML of a web article or a saved page: find the story, its metadata and its images.

The body is the `[itemprop=articleBody]`, else the `<article>` with the most text, else
`<main>`, else the block with the densest run of paragraphs (links count against it).
Metadata comes from JSON-LD (NewsArticle and kin), OpenGraph and `<meta>` tags, `<time
datetime>` and the byline markup. Images that are local files beside the page (a "saved
page" folder) are kept as assets; other images are kept in the import notes.
"""

from __future__ import annotations

import json
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

from editor.core.errors import ImportFileError
from editor.core.importers.boilerplate import is_boilerplate
from editor.core.importers.common import (
    MAX_IMAGE_BYTES,
    ParsedArticle,
    clean_tags,
    clean_text,
    decode,
    note,
    parse_date,
    parse_iso_date,
)
from editor.core.importers.htmlmd import (
    DROPPED,
    MarkdownConverter,
    drop_element,
    element_text,
    furniture_kind,
    is_hidden,
    tag_name,
)

_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "webpage",
    "liveblogposting",
    "scholarlyarticle",
    "techarticle",
    "report",
}
_BYLINE = re.compile(r"^(?:by|written by|words by)\s*:?\s+", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_POSITIVE = re.compile(
    r"article|body|content|story|entry|post|text|main|blog|news|prose", re.IGNORECASE
)
_NEGATIVE = re.compile(
    r"comment|sidebar|footer|nav|menu|related|share|social|promo|ad-|sponsor|widget|"
    r"masthead|header|banner|cookie|newsletter|popular|recommend|teaser",
    re.IGNORECASE,
)


def decode_html(data: bytes, name: str) -> str:
    """Decode with the BOM, the page's declared charset, UTF-8, then Windows-1252."""
    if not data.strip():
        raise ImportFileError(f"{name} is empty.")
    text: str | None = None
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = _CHARSET.search(data[:4096])
        if declared:
            encoding = declared.group(1).decode("ascii", "replace").lower()
            if encoding in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}:
                encoding = "cp1252"  # what browsers do for these labels
            try:
                text = data.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                text = None
    if text is None:
        text = decode(data)
    if text is None:
        raise ImportFileError(f"{name} is not a web page (it looks like binary data).")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_html(text: str, name: str, folder: Path | None = None) -> ParsedArticle:
    """An HTML page -> headline, metadata, Markdown body, notes and images."""
    document = _document(text, name)
    parsed = ParsedArticle()
    meta = _meta_tags(document)
    ld = _json_ld(document)
    base_url = _base_url(document, meta)

    root = _article_root(document)
    parsed.headline = _headline(document, root, meta, ld)
    parsed.standfirst = clean_text(
        ld.get("description") or meta.get("og:description") or meta.get("description")
    )
    parsed.byline = _byline(document, root, meta, ld)
    parsed.section = clean_text(
        _first(ld.get("articleSection")) or meta.get("article:section") or ""
    )
    tags = ld.get("keywords") or meta.get("article:tag") or meta.get("keywords") or []
    parsed.tags = clean_tags(tags)
    parsed.story_date = (
        parse_iso_date(ld.get("datePublished"))
        or parse_iso_date(meta.get("article:published_time"))
        or parse_iso_date(meta.get("date") or meta.get("pubdate") or meta.get("dc.date"))
        or _time_element(root if root is not None else document)
    )

    if root is None:
        body_text = clean_text(ld.get("articleBody"))
        if not body_text:
            raise ImportFileError(f"{name} has no article text that could be found.")
        root = lxml_html.fragment_fromstring(f"<div><p>{_escape_html(body_text)}</p></div>")
    _remove_header_furniture(root, parsed)
    converter = MarkdownConverter(_local_images(folder) if folder else None, base_url)
    conversion = converter.convert(root)
    blocks = conversion.blocks
    parsed.images = conversion.images
    notes = sorted(conversion.notes, key=lambda n: n["position"])
    parsed.body, lifted = lift_furniture(blocks, notes, parsed)
    parsed.import_notes.extend(lifted)
    return parsed


def _document(text: str, name: str) -> etree._Element:
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text.lstrip("\ufeff"))
    text = text.replace("\x00", "")
    if not text.strip():
        raise ImportFileError(f"{name} is empty.")
    try:
        document = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        raise ImportFileError(f"{name} is not a web page that can be read.") from None
    if document is None:
        raise ImportFileError(f"{name} is not a web page that can be read.")
    return document


def _escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- metadata ---------------------------------------------------------------


def _meta_tags(document: etree._Element) -> dict[str, str]:
    """`<meta property|name=... content=...>` by lower-case key; repeated tags joined."""
    values: dict[str, str] = {}
    for element in document.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        content = clean_text(element.get("content"))
        if not key or not content:
            continue
        if key in values and key == "article:tag":
            values[key] += "," + content
        values.setdefault(key, content)
    return values


def _json_ld(document: etree._Element) -> dict[str, object]:
    """The first NewsArticle-like object of the page's JSON-LD, or {}."""
    for script in document.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        found = _find_article(data, 0)
        if found:
            return found
    return {}


def _find_article(data: object, depth: int) -> dict[str, object] | None:
    if depth > 6:
        return None
    if isinstance(data, list):
        for item in data:
            if found := _find_article(item, depth + 1):
                return found
        return None
    if not isinstance(data, dict):
        return None
    kinds = data.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds) and (
        data.get("headline") or data.get("articleBody") or data.get("name")
    ):
        return data
    for key in ("@graph", "mainEntity", "mainEntityOfPage"):
        if found := _find_article(data.get(key), depth + 1):
            return found
    return None


def _first(value: object) -> object:
    return value[0] if isinstance(value, list) and value else value


def _base_url(document: etree._Element, meta: dict[str, str]) -> str:
    for element in document.iter("base"):
        if element.get("href"):
            return element.get("href") or ""
    for element in document.iter("link"):
        if (element.get("rel") or "").lower() == "canonical" and element.get("href"):
            return element.get("href") or ""
    return meta.get("og:url", "")


def _headline(
    document: etree._Element,
    root: etree._Element | None,
    meta: dict[str, str],
    ld: dict[str, object],
) -> str:
    for scope in (root, document):
        if scope is None:
            continue
        for h1 in scope.iter("h1"):
            text = element_text(h1)
            if text and not is_hidden(h1):
                return text
    for value in (ld.get("headline"), meta.get("og:title"), meta.get("twitter:title")):
        if text := clean_text(value):
            return text
    title = next(iter(document.iter("title")), None)
    text = element_text(title) if title is not None else ""
    site = meta.get("og:site_name", "")
    if site and text.endswith(site):
        text = text[: -len(site)].rstrip(" |-–—:·")
    parts = re.split(r"\s+[|–—-]\s+", text)
    return parts[0] if len(parts) > 1 and len(parts[0]) > 20 else text


def _byline(
    document: etree._Element,
    root: etree._Element | None,
    meta: dict[str, str],
    ld: dict[str, object],
) -> str:
    author = ld.get("author")
    names = [clean_text(a) for a in (author if isinstance(author, list) else [author])]
    names = [n for n in names if n]
    if names:
        return " and ".join(names) if len(names) <= 2 else ", ".join(names)
    if meta.get("author"):
        return meta["author"]
    for scope in (root, document):
        if scope is None:
            continue
        for element in scope.iter():
            if not isinstance(element.tag, str):
                continue
            names_attr = f"{element.get('class') or ''} {element.get('rel') or ''}"
            prop = element.get("itemprop") or ""
            if "author" in prop or re.search(r"\b(byline|author)\b", names_attr, re.I):
                text = _BYLINE.sub("", element_text(element))
                if text and len(text) < 120:
                    return text
    return ""


def _time_element(scope: etree._Element):
    for element in scope.iter("time"):
        found = parse_iso_date(element.get("datetime") or "") or parse_date(element_text(element))
        if found:
            return found
    return None


# -- the article body ---------------------------------------------------------


def _article_root(document: etree._Element) -> etree._Element | None:
    marked = document.xpath('//*[@itemprop="articleBody"]')
    if marked:
        return max(marked, key=_text_length)
    articles = [a for a in document.iter("article") if _text_length(a) > 200]
    if articles:
        return max(articles, key=_text_length)
    mains = document.xpath('//main | //*[@role="main"]')
    if mains and _text_length(mains[0]) > 200:
        return mains[0]
    return _densest(document)


def _text_length(element: etree._Element) -> int:
    return len(element_text(element))


def _densest(document: etree._Element) -> etree._Element | None:
    """Readability's idea: paragraphs vote for their parent, links count against it."""
    scores: dict[etree._Element, float] = {}
    for paragraph in document.iter("p", "pre", "td", "blockquote"):
        if _inside_dropped(paragraph):
            continue
        text = element_text(paragraph)
        if len(text) < 25:
            continue
        score = 1 + text.count(",") + min(len(text) / 100, 3)
        parent = paragraph.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, _class_weight(parent)) + score
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, _class_weight(grand)) + score / 2
    if not scores:
        body = next(iter(document.iter("body")), None)
        return body if body is not None and _text_length(body) else None
    best = max(scores, key=lambda e: scores[e] * (1 - _link_density(e)))
    return best


def _inside_dropped(element: etree._Element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if tag_name(parent) in DROPPED or furniture_kind(parent) is not None:
            return True
        parent = parent.getparent()
    return False


def _class_weight(element: etree._Element) -> float:
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    weight = 0.0
    if _NEGATIVE.search(names):
        weight -= 25
    if _POSITIVE.search(names):
        weight += 25
    return weight


def _link_density(element: etree._Element) -> float:
    total = _text_length(element)
    if not total:
        return 1.0
    linked = sum(len(element_text(a)) for a in element.iter("a"))
    return min(1.0, linked / total)


def _remove_header_furniture(root: etree._Element, parsed: ParsedArticle) -> None:
    """The headline, byline and date lines inside the article are fields, not body text."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element is root:
            continue
        tag = tag_name(element)
        text = element_text(element)
        names = f"{element.get('class') or ''} {element.get('itemprop') or ''}"
        is_byline = re.search(r"\b(byline|author|dateline|timestamp|publish)", names, re.I)
        if tag == "h1" and text == parsed.headline:
            _remove(element)
        elif tag == "time" and len(text) < 60:
            _remove(element)
            if not parse_date(text) and not parse_iso_date(element.get("datetime") or ""):
                parsed.import_notes.append(note("byline", text, 0))
        elif is_byline and (
            (len(text) < 120 and tag not in {"p", "article", "section"}) or _BYLINE.match(text)
        ):
            _remove(element)
            plain = _BYLINE.sub("", text).strip()
            if not parsed.byline:
                parsed.byline = plain
            elif plain and plain != parsed.byline and not parse_date(plain):
                parsed.import_notes.append(note("byline", text, 0))


def _remove(element: etree._Element) -> None:
    """Remove page furniture; its tail stays unless it is only white space."""
    drop_element(element, keep_blank_tail=False)


def lift_furniture(
    blocks: list[str], notes: list[dict], parsed: ParsedArticle
) -> tuple[str, list[dict]]:
    """Move furniture paragraphs the markup did not mark (e.g. "Read more") into notes.

    Notes from the converter carry block indexes; this renumbers every note to the
    paragraph index of the final body so "Put back" lands where the text stood.
    """
    kept: list[str] = []
    result: list[dict] = []
    pending = list(notes)
    for index, block in enumerate(blocks):
        while pending and pending[0]["position"] <= index:
            item = pending.pop(0)
            result.append({**item, "position": len(kept)})
        is_lead = not kept
        plain = _BYLINE.sub("", block)
        if is_lead and not parsed.byline and _BYLINE.match(block) and len(plain) < 80:
            parsed.byline = plain.strip()
            continue
        if is_lead and block.lstrip("# ") == parsed.headline:
            continue
        kind = None
        if not block.startswith(("#", "|", "```", "~~~", "![", "[^", ">", "- ")):
            kind = is_boilerplate(block)
        if kind:
            result.append(note(kind, block, len(kept)))
        else:
            kept.append(block)
    for item in pending:
        result.append({**item, "position": len(kept)})
    return "\n\n".join(kept), result


def _local_images(folder: Path):
    """A resolver for images that are files beside the page (never outside `folder`)."""
    root = folder.resolve()

    def resolve(src: str) -> tuple[bytes, str, str] | None:
        try:
            parts = urlsplit(src)
        except ValueError:
            return None
        if parts.scheme not in {"", "file"} or (parts.netloc and parts.scheme != "file"):
            return None
        try:
            path = (root / unquote(parts.path)).resolve()
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                return None
            if path.stat().st_size > MAX_IMAGE_BYTES:
                return None
            data = path.read_bytes()
        except (OSError, ValueError):
            return None
        media_type = mimetypes.guess_type(path.name)[0] or ""
        if not media_type.startswith("image/"):
            return None
        return data, path.name, media_type

    return resolve
