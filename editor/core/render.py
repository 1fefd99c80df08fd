"""The one article renderer: Markdown body -> sanitised HTML -> standalone HTML5 page.

The GUI preview and the export both call `render_article_page`, so what the preview shows is
what the web gets. No Qt here, ever.

Body dialect (Python-Markdown core syntax plus `MARKDOWN_EXTENSIONS`):

- paragraphs, `## subheads` (a `# heading` in the body becomes `<h2>`: the page's only `<h1>`
  is the headline), `**strong**`, `*emphasis*`, `` `code` ``, links, images, `> quotes`
  (styled as pull quotes), `---` rules, bullet and numbered lists;
- `tables`: pipe tables, column alignment kept as `align-left|center|right` classes;
- `fenced_code`: triple-backtick code blocks;
- `footnotes`: `text[^1]` ... `[^1]: note`;
- `sane_lists`: ordered and bullet lists do not mix, a list starts at its first number.

Not in the dialect on purpose: `attr_list` (lets authors inject attributes), `smarty` (quotes
and dashes stay as typed), `md_in_html`. Raw HTML is accepted as input but goes through the
nh3 allow-list below like everything else: no script, event handler, style, frame, form or
`javascript:`/`data:` URL ever reaches the page.
"""

from __future__ import annotations

import functools
import re
import threading
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import jinja2
import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from editor.core.model import Article, Status
from editor.core.resources import read_resource_text, resource

#: The Python-Markdown extensions of the body dialect (see the module docstring).
MARKDOWN_EXTENSIONS: list[str] = ["tables", "fenced_code", "footnotes", "sane_lists"]

#: Every tag that may appear in a rendered body; anything else is dropped (its text kept),
#: and the content of `DROPPED_WITH_CONTENT` tags is dropped as well.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        # h1 is allowed only to be demoted to h2 right after cleaning.
        *("p", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr"),
        *("strong", "b", "em", "i", "del", "s", "ins", "mark", "small", "sup", "sub"),
        *("code", "pre", "kbd", "blockquote", "q", "cite", "abbr"),
        *("ul", "ol", "li", "dl", "dt", "dd"),
        *("a", "img", "figure", "figcaption"),
        *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
        "div",  # only as the footnotes container, see _filter_attribute
    }
)

#: Attributes allowed per tag. `class` and `id` are further narrowed by `_filter_attribute`.
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
    "th": {"class", "colspan", "rowspan"},
    "td": {"class", "colspan", "rowspan"},
    "code": {"class"},
    "div": {"class"},
}

#: URL schemes allowed in href/src; relative URLs and #fragments are kept too.
ALLOWED_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math"}
    | {"textarea", "select", "title", "xmp", "noembed", "noframes", "frameset", "applet"}
)

_ALLOWED_CLASSES: dict[str, frozenset[str]] = {
    "a": frozenset({"footnote-ref", "footnote-backref"}),
    "div": frozenset({"footnote"}),
    "th": frozenset({"align-left", "align-center", "align-right"}),
    "td": frozenset({"align-left", "align-center", "align-right"}),
}
_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#-]{1,40}")
_FOOTNOTE_ID = re.compile(r"fn(?:ref\d*)?:[A-Za-z0-9_.-]{1,80}")
_TEXT_ALIGN = re.compile(r"text-align:\s*(left|center|right)")
_H1_TAG = re.compile(r"<(/?)h1>")
_PUBLISHED_STATES = frozenset({Status.APPROVED, Status.PUBLISHED, Status.CORRECTED})
_AP_MONTHS = (
    *("Jan.", "Feb.", "March", "April", "May", "June"),
    *("July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."),
)


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """Narrow `class` to the few classes our CSS knows and `id` to footnote anchors."""
    if attribute == "class":
        allowed = _ALLOWED_CLASSES.get(element, frozenset())
        kept = [
            name
            for name in value.split()
            if name in allowed or (element == "code" and _LANGUAGE_CLASS.fullmatch(name))
        ]
        return " ".join(kept) or None
    if attribute == "id":
        return value if _FOOTNOTE_ID.fullmatch(value) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes=set(ALLOWED_URL_SCHEMES),
    link_rel="noopener noreferrer",
    set_tag_attribute_values={"img": {"loading": "lazy"}},
    strip_comments=True,
)


class _HouseStyleTreeprocessor(Treeprocessor):
    """Demote body `# headings` to h2; turn table alignment styles into classes."""

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag == "h1":
                element.tag = "h2"
            elif element.tag in ("th", "td"):
                match = _TEXT_ALIGN.search(element.attrib.pop("style", ""))
                if match:
                    element.set("class", f"align-{match.group(1)}")


class _HouseStyleExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Priority 1: after the footnotes (50), inline (20) and prettify (10) processors.
        md.treeprocessors.register(_HouseStyleTreeprocessor(md), "newsroom_house_style", 1)


_local = threading.local()


def _markdown() -> markdown.Markdown:
    """One reusable converter per thread: `markdown.Markdown` is not thread-safe."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = markdown.Markdown(
            extensions=[*MARKDOWN_EXTENSIONS, _HouseStyleExtension()], output_format="html"
        )
        _local.converter = converter
    return converter


def render_body_html(markdown_text: str) -> str:
    """Markdown body -> HTML fragment, cleaned with the explicit nh3 allow-list."""
    converter = _markdown()
    try:
        html = converter.convert(markdown_text or "")
    finally:
        converter.reset()
    cleaned = _CLEANER.clean(html)
    # Raw-HTML <h1> never meets the treeprocessor; nh3 output is normalised, so a plain
    # substitution is exact (text "<h1>" would be escaped as &lt;h1&gt;).
    return _H1_TAG.sub(r"<\1h2>", cleaned)


@functools.cache
def _environment() -> jinja2.Environment:
    def load(name: str) -> str | None:
        node = resource("templates", *name.split("/"))
        return node.read_text(encoding="utf-8") if node.is_file() else None

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@functools.cache
def _default_css() -> str:
    return read_resource_text("css", "article.css")


def _dateline_text(dateline: str) -> str:
    """ "MOSCOW" -> "MOSCOW —"; a wire dateline with its own ending is kept as typed."""
    text = " ".join(dateline.split())
    if text and (text[-1].isalnum() or text[-1] == ")"):
        text += " —"
    return text


def _with_dateline(body_html: str, dateline: str) -> Markup:
    """Print the dateline as the lead-in of the first paragraph, as newspapers do."""
    text = _dateline_text(dateline)
    if not text:
        return Markup(body_html)
    lead_in = Markup('<span class="dateline">{}</span> ').format(text)
    if body_html.startswith("<p>"):
        return Markup("<p>") + lead_in + Markup(body_html[3:])
    return Markup('<p class="dateline-alone">') + lead_in + Markup("</p>\n") + Markup(body_html)


def _byline_text(byline: str) -> str:
    text = " ".join(byline.split())
    if not text or text.lower().startswith("by "):
        return text
    return f"By {text}"


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def format_ap_datetime(moment: datetime) -> str:
    """AP style, in UTC: "Nov. 20, 2026, 9:05 a.m. UTC"."""
    moment = _as_utc(moment)
    hour = moment.hour % 12 or 12
    meridiem = "a.m." if moment.hour < 12 else "p.m."
    month = _AP_MONTHS[moment.month - 1]
    return f"{month} {moment.day}, {moment.year}, {hour}:{moment.minute:02d} {meridiem} UTC"


def format_ap_date(day: date) -> str:
    """AP style date: "July 17, 2024", "Nov. 20, 2026"."""
    return f"{_AP_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _page_time(article: Article) -> tuple[str, str, str]:
    """(ISO value, text, label) of the page's <time>: the story's own date when it has one."""
    if article.story_date is not None:
        return article.story_date.isoformat(), format_ap_date(article.story_date), ""
    moment = article.updated_at or article.created_at
    if moment is None:
        return "", "", ""
    updated = (
        article.updated_at is not None
        and article.created_at is not None
        and (article.updated_at - article.created_at).total_seconds() >= 60
    )
    iso = _as_utc(moment).isoformat(timespec="seconds")
    return iso, format_ap_datetime(moment), "Updated" if updated else ""


def _page_context(article: Article, preview: bool, css: str | None) -> dict[str, object]:
    time_iso, time_text, time_label = _page_time(article)
    stylesheet = _default_css() if css is None else css
    body_html = render_body_html(article.body)
    return {
        "headline": " ".join(article.headline.split()),
        "standfirst": " ".join(article.standfirst.split()),
        "byline": _byline_text(article.byline),
        "section": article.section.strip(),
        "tags": [tag.strip() for tag in article.tags if tag.strip()],
        "time_iso": time_iso,
        "time_text": time_text,
        "time_label": time_label,
        "preview": preview,
        "show_banner": preview and article.status not in _PUBLISHED_STATES,
        "status_label": article.status.label,
        # The stylesheet is trusted, but it sits in a raw-text <style>: never let it close it.
        "css": Markup(stylesheet.replace("</", "<\\/")),
        "body_html": _with_dateline(body_html, article.dateline),
    }


def render_article_page(article: Article, *, preview: bool = False, css: str | None = None) -> str:
    """A complete, standalone HTML5 page for `article` (CSS inlined, no other files needed).

    `preview=True` marks the page noindex and, unless the article is approved or published,
    shows a discreet "not for publication" banner. `css` replaces the house stylesheet.
    """
    template = _environment().get_template("article.html")
    return template.render(**_page_context(article, preview, css))
