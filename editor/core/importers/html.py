"""HTML of a web article or a saved page: find the story, its metadata and its images.

Our own choice of the story is the `[itemprop=articleBody]`, else the `<article>` with the
most paragraph text (unless a denser block makes it a teaser), else `<main>`, else the
block with the densest run of paragraphs or `<br>`-separated text (links count against
it). trafilatura's main text of the page checks that choice (`extract.story_root`): when
ours misses much of it, the element that holds it is taken, and paragraphs it left out
go into the import notes. A body empty or far shorter than that main text is noted
("extraction"), never silent. The headline comes from JSON-LD, Open Graph or `<title>`
with the site's name removed (an `<h1>` only when it agrees); other metadata from
`<meta>` tags, `<time datetime>` and the byline markup (cleaned of dates and "Posted
by"). Images that are local files beside the page (a "saved page" folder) are kept as
assets; other images are kept in the import notes.
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

from editor.core.errors import ImportFileError
from editor.core.importers.boilerplate import is_boilerplate
from editor.core.importers.common import (
    MAX_IMAGE_BYTES,
    ParsedArticle,
    clean_byline,
    clean_tags,
    clean_text,
    decode,
    escape_markdown,
    note,
    parse_date,
    parse_iso_date,
)
from editor.core.importers.extract import (
    MainText,
    covered,
    main_text,
    story_root,
    unmark_layout_wrappers,
    words,
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

    own = _article_root(document)
    elements = sum(1 for _ in document.iter())
    main = main_text(text) if elements <= MAX_EXTRACTOR_ELEMENTS else MainText()
    root = story_root(document, own, main)
    parsed.headline = _headline(document, root, meta, ld)
    parsed.standfirst = clean_text(
        ld.get("description") or meta.get("og:description") or meta.get("description")
    )
    parsed.byline = clean_byline(_byline(document, root, meta, ld))
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
            body_text = main.text
        if not body_text.strip():
            raise ImportFileError(f"{name} has no article text that could be found.")
        paragraphs_html = "".join(
            f"<p>{_escape_html(line)}</p>" for line in body_text.split("\n") if line.strip()
        )
        root = lxml_html.fragment_fromstring(f"<div>{paragraphs_html}</div>")
    else:
        unmark_layout_wrappers(document, root)
        _lift_teasers(root)
    _remove_header_furniture(root, parsed)
    converter = MarkdownConverter(_local_images(folder) if folder else None, base_url)
    conversion = converter.convert(root)
    blocks = conversion.blocks
    parsed.images = conversion.images
    notes = sorted(conversion.notes, key=lambda n: n["position"])
    leave_out = _left_out_by_extractor(main) if _trust_extractor(own, root, main) else None
    parsed.body, lifted = lift_furniture(blocks, notes, parsed, leave_out)
    parsed.import_notes.extend(_merge_left_out(lifted))
    check_length(parsed, main, name)
    return parsed


#: Pages with more elements than this (real news pages have under 5,000) are left to our
#: own scorer: the extractor's time grows with the tree (1.3 s CPU for 18,000 elements).
MAX_EXTRACTOR_ELEMENTS = 12_000

#: Body words below this share of the page's main text: the import says so.
SHORT_BODY_SHARE = 0.25


def _trust_extractor(own: etree._Element | None, root: etree._Element, main: MainText) -> bool:
    """Leave out what the extractor left out, unless the page itself marked its story."""
    if main.words < 50:
        return False
    return own is None or own is not root or own.get("itemprop") != "articleBody"


def _merge_left_out(notes: list[dict]) -> list[dict]:
    """Runs of paragraphs the extractor left out at one place become one note (a menu is
    one thing to put back or dismiss, not forty)."""
    merged: list[dict] = []
    for item in notes:
        last = merged[-1] if merged else None
        if (
            last is not None
            and item["kind"] == last["kind"] == "left-out"
            and item["position"] == last["position"]
        ):
            merged[-1] = {**last, "text": last["text"] + "\n\n" + item["text"]}
        else:
            merged.append(item)
    return merged


#: Blocks kept whatever the extractor did: images (kept as assets), footnotes, code.
_STRUCTURED = re.compile(r"^(?:```|~~~|!\[|\[\^)")


def _left_out_by_extractor(main: MainText):
    def kind(block: str) -> str | None:
        if _STRUCTURED.match(block):
            return None
        return "left-out" if covered(block, main) < 0.34 else None

    return kind


def check_length(parsed: ParsedArticle, main: MainText, name: str) -> None:
    """No silent empty import: a body far shorter than the page's main text is noted.

    When the extractor found several times more text than the body holds, its text
    becomes the body (plain paragraphs) and the converted body goes into the notes.
    """
    body_words = len(words(parsed.body))
    if main.words >= 50 and body_words < SHORT_BODY_SHARE * main.words:
        lines = [line.strip() for line in main.text.split("\n") if line.strip()]
        if parsed.body.strip():
            parsed.import_notes.append(note("left-out", parsed.body, None))
        parsed.body = "\n\n".join(escape_markdown(line) for line in lines)
        parsed.import_notes.insert(
            0,
            note(
                "extraction",
                f"The page's markup gave only {body_words} words of the "
                f"{main.words}-word main text, so the body is the main text as plain "
                "paragraphs (links and emphasis not kept): check it against the page.",
                None,
            ),
        )
    elif not parsed.body.strip() or (
        main.words >= 20 and body_words < SHORT_BODY_SHARE * main.words
    ):
        parsed.import_notes.insert(
            0,
            note(
                "extraction",
                f"Only {body_words} words of article text were found in {name}"
                + (f" (the page's main text has {main.words})" if main.words else "")
                + ": check the page; the story may be loaded by script or behind a login.",
                None,
            ),
        )


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


_TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—»·:~/]|-{1,2}|::)\s+")


def _headline(
    document: etree._Element,
    root: etree._Element | None,
    meta: dict[str, str],
    ld: dict[str, object],
) -> str:
    """JSON-LD, Open Graph, Twitter, then <title>, the site's name removed.

    A visible <h1> is taken instead only when it agrees with that title (one holds the
    other, or most of their words are shared): pages put "Read more", the site's name or
    a photo caption in an <h1> as often as the headline.
    """
    sites = _site_names(meta, ld)
    tag_title, labels = strip_labels(strip_site_name(_title_tag(document), sites))
    sites += labels
    titles = [
        strip_site_name(clean_text(value), sites)
        for value in (ld.get("headline"), meta.get("og:title"), meta.get("twitter:title"))
    ]
    titles += [tag_title, strip_site_name(clean_text(ld.get("name")), sites)]
    titles = [t for t in titles if t]
    h1s = _visible_h1s(document, root)
    for h1 in h1s:
        for title in titles:
            if _agrees(h1, title):
                # The shorter of the two: a title carries the site's name, an <h1> the
                # logo's words or the author's name beside the headline.
                return h1 if len(_fold(h1)) <= len(_fold(title)) else title
    if titles:
        return titles[0]
    return h1s[0] if h1s else ""


def _title_tag(document: etree._Element) -> str:
    title = next(iter(document.iter("title")), None)
    return element_text(title) if title is not None else ""


def _visible_h1s(document: etree._Element, root: etree._Element | None) -> list[str]:
    found: list[str] = []
    for scope in (root, document):
        if scope is None:
            continue
        for h1 in scope.iter("h1"):
            text = element_text(h1)
            if text and text not in found and not is_hidden(h1) and len(text) < 300:
                found.append(text)
            if len(found) >= 6:
                return found
    return found


def _site_names(meta: dict[str, str], ld: dict[str, object]) -> list[str]:
    names = [meta.get("og:site_name", ""), meta.get("application-name", "")]
    publisher = ld.get("publisher")
    if isinstance(publisher, dict):
        names.append(clean_text(publisher.get("name")))
    return [n for n in names if n]


def strip_site_name(title: str, sites: list[str]) -> str:
    """ "Headline - Site", "Headline | Section | Site", "Site: Headline" -> "Headline"."""
    title = title.strip()
    for site in sites:
        lowered, name = title.casefold(), site.casefold()
        if lowered.endswith(name) and len(title) > len(site) + 3:
            rest = title[: -len(site)].rstrip()
            if rest and rest[-1] in "|-–—:·»~/":
                title = rest.rstrip(" |-–—:·»~/")
        elif lowered.startswith(name) and len(title) > len(site) + 3:
            rest = title[len(site) :].lstrip()
            if rest and rest[0] in "|-–—:·»~/":
                title = rest.lstrip(" |-–—:·»~/")
    return title


def strip_labels(title: str) -> tuple[str, list[str]]:
    """A <title>'s trailing section and site labels ("| CNN Politics") taken off.

    Answers the title and the labels removed (which other titles may carry too).
    """
    labels: list[str] = []
    while True:
        found = list(_TITLE_SEPARATOR.finditer(title))
        if not found:
            return title, labels
        last = found[-1]
        head, tail = title[: last.start()].strip(), title[last.end() :].strip()
        if len(head) < 15 or not _is_label(tail):
            return title, labels
        labels.append(tail)
        title = head


def _is_label(part: str) -> bool:
    words_in = part.split()
    return 0 < len(words_in) <= 4 and len(part) <= 40 and not part.endswith(("?", "!", "."))


def _agrees(h1: str, title: str) -> bool:
    a, b = _fold(h1), _fold(title)
    if not a or not b:
        return False
    if a == b or (len(a) >= 12 and a in b) or (len(b) >= 12 and b in a):
        return True
    wa, wb = set(words(a)), set(words(b))
    if not wa or not wb:
        return False
    return len(wa & wb) / max(len(wa), len(wb)) >= 0.7


def _fold(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split()).casefold()


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
    lengths = {a: _paragraph_text(a) for a in document.iter("article") if not _inside_dropped(a)}
    articles = [a for a, length in lengths.items() if length > 200]
    if articles:
        best = max(articles, key=lambda a: lengths[a])
        # A teaser of another story is short beside the page's densest block.
        densest = _densest(document)
        if densest is None or _paragraph_text(densest) < 2 * lengths[best]:
            return best
        return densest
    mains = document.xpath('//main | //*[@role="main"]')
    if mains and _text_length(mains[0]) > 200:
        return mains[0]
    return _densest(document)


def _text_length(element: etree._Element) -> int:
    return len(element_text(element))


def _paragraph_text(element: etree._Element) -> int:
    """Characters in the element's paragraphs of running text (not links, not menus)."""
    total = 0
    for paragraph in element.iter("p", "pre", "blockquote"):
        text = element_text(paragraph)
        if len(text) >= 40:
            total += len(text)
    return total or _direct_text(element)


def _direct_text(element: etree._Element) -> int:
    """Text of the element itself and of its <br>/inline children's tails: a <div> post."""
    pieces = [element.text or ""]
    for child in element:
        if tag_name(child) in {"br", "b", "i", "em", "strong", "a", "span", "font", "u"}:
            pieces.append(child.tail or "")
            if tag_name(child) != "br":
                pieces.append(child.text or "")
    return len(" ".join(" ".join(pieces).split()))


_SCORED = ("p", "pre", "td", "blockquote", "div", "section", "font", "span")


def _densest(document: etree._Element) -> etree._Element | None:
    """Readability's idea: paragraphs vote for their parent, links count against it.

    A `<div>` (or `<section>`, `<font>`) whose own text runs long, laid out with `<br>`,
    votes like a paragraph, so posts without `<p>` are found.
    """
    scores: dict[etree._Element, float] = {}
    for paragraph in document.iter(*_SCORED):
        tag = tag_name(paragraph)
        if tag in {"p", "pre", "td", "blockquote"}:
            text_length = len(element_text(paragraph))
            if text_length < 25:
                continue
            text = element_text(paragraph)
        else:
            text_length = _direct_text(paragraph)
            if text_length < 100:
                continue
            text = " ".join((paragraph.text or "").split())
        if _inside_dropped(paragraph):
            continue
        score = 1 + text.count(",") + min(text_length / 100, 3)
        if tag not in {"p", "pre", "td", "blockquote"}:
            score += min(text_length / 100, 20)  # a whole post in one element
            scores[paragraph] = scores.get(paragraph, _class_weight(paragraph)) + score
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
    leaders = sorted(scores, key=lambda e: scores[e], reverse=True)[:8]
    return max(leaders, key=lambda e: scores[e] * (1 - _link_density(e)))


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
        names = f"{element.get('class') or ''} {element.get('itemprop') or ''}"
        is_byline = re.search(r"\b(byline|author|dateline|timestamp|publish)", names, re.I)
        if tag not in {"h1", "time"} and not is_byline:
            continue
        text = element_text(element)
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
            plain = clean_byline(text)
            if not parsed.byline:
                parsed.byline = plain
            elif (
                plain
                and plain != parsed.byline
                and not parse_date(plain)
                and not any(n["text"] == text for n in parsed.import_notes)
            ):
                parsed.import_notes.append(note("byline", text, 0))


def _lift_teasers(root: etree._Element) -> None:
    """An `<article>` inside the story that is a short linked card is another story's teaser."""
    total = len(element_text(root)) or 1
    for article in list(root.iter("article")):
        if article is root or article.getparent() is None:
            continue
        text = element_text(article)
        linked = sum(len(element_text(a)) for a in article.iter("a"))
        has_heading_link = any(
            tag_name(a.getparent()) in {"h2", "h3", "h4"}
            or a.find(".//h2") is not None
            or a.find(".//h3") is not None
            for a in article.iter("a")
        )
        if len(text) < 0.3 * total and (has_heading_link or linked > 0.3 * len(text)):
            # Marked as furniture, the converter notes it where it stood (Put Back works).
            article.tag = "div"
            article.set("class", "related teaser")


def _remove(element: etree._Element) -> None:
    """Remove page furniture; its tail stays unless it is only white space."""
    drop_element(element, keep_blank_tail=False)


def lift_furniture(
    blocks: list[str],
    notes: list[dict],
    parsed: ParsedArticle,
    leave_out: Callable[[str], str | None] | None = None,
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
            parsed.byline = clean_byline(plain)
            continue
        if is_lead and block.lstrip("# ") == parsed.headline:
            continue
        kind = None
        if not block.startswith(("#", "|", "```", "~~~", "![", "[^", ">", "- ")):
            kind = is_boilerplate(block)
        if kind is None and leave_out is not None:
            kind = leave_out(block)
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
