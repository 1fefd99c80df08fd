"""What goes to the web, and where: publication rules and each page's folder."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import UTC, date, datetime

from editor.core.model import PUBLISHABLE, Article
from editor.core.render import (
    format_ap_datetime,
    published_moment,
)
from editor.core.site.reading import aware
from editor.core.text import is_valid_slug, slugify

#: Top-level names a section folder may not take.
_RESERVED = frozenset({"assets", "index", "feed", "sitemap"})


def publication_block(article: Article, now: datetime | None = None) -> str | None:
    """Why `article` may not go to the web now, or None when it may."""
    now = now or datetime.now(UTC)
    if article.legal_hold:
        return "on legal hold"
    if article.not_for_publication:
        return "marked not for publication"
    if article.embargo_until is not None and aware(article.embargo_until) > now:
        when = format_ap_datetime(article.embargo_until)
        return f"embargoed until {when}"
    if article.status not in PUBLISHABLE:
        return f"not approved ({article.status.label.lower()})"
    return None


@functools.lru_cache(maxsize=4096)
def section_folder(section: str) -> str:
    folder = slugify(section) or "news"
    return f"{folder}-section" if folder in _RESERVED else folder


def newest_first_key(article: Article) -> tuple[str, str]:
    moment = published_moment(article)
    if isinstance(moment, datetime):
        key = moment.astimezone(UTC).isoformat()
    elif isinstance(moment, date):
        key = moment.isoformat() + "T00:00:00+00:00"
    else:
        key = ""
    return key, article.id


def article_folder(article: Article) -> str:
    """`<section>/<yyyy>/<mm>/<slug>/`: stable and readable."""
    moment = published_moment(article) or datetime(1970, 1, 1, tzinfo=UTC)
    slug = article.slug if is_valid_slug(article.slug) else slugify(article.headline)
    section = section_folder(article.section)
    return f"{section}/{moment.year:04d}/{moment.month:02d}/{slug or 'untitled'}/"


def assign_folders(articles: Sequence[Article]) -> dict[str, str]:
    """Folder of each article; a clash (two invalid slugs alike) gets the id appended."""
    folders: dict[str, str] = {}
    taken: set[str] = set()
    for article in sorted(articles, key=lambda a: a.id):
        folder = article_folder(article)
        if folder in taken:
            folder = f"{folder[:-1]}-{article.id[:8].lower()}/"
        taken.add(folder)
        folders[article.id] = folder
    return folders
