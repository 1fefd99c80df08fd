"""Markdown with YAML (`---`) or TOML (`+++`) front matter, as Hugo and Jekyll write it."""

from __future__ import annotations

import re
import tomllib

import yaml

from editor.core.errors import ImportFileError
from editor.core.importers.common import (
    ParsedArticle,
    clean_tags,
    clean_text,
    note,
    parse_iso_date,
)
from editor.core.text import is_valid_slug, slugify

#: libyaml's loader when PyYAML was built with it (ten times quicker), else the Python one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML = re.compile(r"^---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)", re.DOTALL)
_TOML = re.compile(r"^\+\+\+[ \t]*\n(.*?)\n\+\+\+[ \t]*(?:\n|$)", re.DOTALL)
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*(?:\n|$)")

#: Front-matter keys this importer turns into fields; others are kept in a note.
_USED = {
    "title",
    "headline",
    "description",
    "summary",
    "subtitle",
    "standfirst",
    "author",
    "authors",
    "byline",
    "dateline",
    "section",
    "sections",
    "category",
    "categories",
    "tags",
    "keywords",
    "date",
    "slug",
    "layout",
}


def parse_markdown(text: str) -> ParsedArticle:
    """Markdown with optional front matter (Hugo/Jekyll keys) split into fields and body."""
    text = text.lstrip("\ufeff")
    meta, body = _front_matter(text)
    body = body.strip("\n")
    parsed = ParsedArticle()
    parsed.headline = clean_text(meta.get("title") or meta.get("headline"))
    if not parsed.headline and (h1 := _H1.match(body)):
        parsed.headline = h1.group(1)
        body = body[h1.end() :].lstrip("\n")
    parsed.body = body.rstrip() + "\n" if body.strip() else ""
    parsed.standfirst = clean_text(
        meta.get("description")
        or meta.get("summary")
        or meta.get("subtitle")
        or meta.get("standfirst")
    )
    parsed.byline = clean_text(meta.get("author") or meta.get("authors") or meta.get("byline"))
    parsed.dateline = clean_text(meta.get("dateline"))
    section = meta.get("section") or meta.get("sections")
    section = section or meta.get("category") or meta.get("categories")
    if isinstance(section, list | tuple):
        section = section[0] if section else ""
    parsed.section = clean_text(section)
    parsed.tags = clean_tags(meta.get("tags") or meta.get("keywords") or [])
    parsed.story_date = parse_iso_date(meta.get("date"))
    slug = clean_text(meta.get("slug")).lower()
    parsed.slug = slug if is_valid_slug(slug) else slugify(slug)
    rest = {k: v for k, v in meta.items() if k not in _USED}
    if rest:
        lines = "; ".join(
            f"{k}: {clean_text(v) if not isinstance(v, bool) else v}" for k, v in rest.items()
        )
        parsed.import_notes.append(note("metadata", lines, None))
    return parsed


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    if match := _YAML.match(text):
        try:
            loaded = yaml.load(match.group(1), Loader=_YAML_LOADER)
        except yaml.YAMLError as error:
            raise ImportFileError(
                f"The front matter is not valid YAML: {_first_line(error)}"
            ) from None
        except (ValueError, TypeError, OverflowError, RecursionError) as error:
            raise ImportFileError(f"The front matter cannot be read: {error}") from None
    elif match := _TOML.match(text):
        try:
            loaded = tomllib.loads(match.group(1))
        except (tomllib.TOMLDecodeError, ValueError, RecursionError) as error:
            raise ImportFileError(f"The front matter is not valid TOML: {error}") from None
    else:
        return {}, text
    meta = {str(k).lower(): v for k, v in loaded.items()} if isinstance(loaded, dict) else {}
    return meta, text[match.end() :]


def _first_line(error: Exception) -> str:
    return " ".join(str(error).split())
