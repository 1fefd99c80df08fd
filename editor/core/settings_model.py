"""The newsroom's shared settings as values: the site (name, address, templates) and sections.

Pure Python (no store, no Qt). The store keeps them (`editor.store.settings`), the service
seam changes them (`editor.services.site_settings`), and the CLI, the window, the preview and
the site export all read the same ones.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from editor.core.errors import ValidationError

#: The site name of a newsroom that has not named its site.
DEFAULT_SITE_NAME = "Newsroom"

#: The sections a new store starts with (what the window offered before they were managed).
DEFAULT_SECTIONS = (
    "World",
    "Politics",
    "Business",
    "Local",
    "Sport",
    "Culture",
    "Science",
    "Technology",
    "Opinion",
)

#: The site settings a person may set, with what each one is.
SITE_KEYS = {
    "site_name": "the site's name, in every page's header and the feed",
    "base_url": "the site's address (https://...), for canonical links, feed and sitemap",
    "templates_dir": "a folder of Jinja2 templates replacing the built-in ones ('' for those)",
}

#: Longest section name: it is a menu entry and a folder name.
MAX_SECTION_LENGTH = 60


@dataclass(frozen=True)
class SiteSettings:
    """The site every export and the preview use; `base_url` normalised (or "")."""

    site_name: str = DEFAULT_SITE_NAME
    base_url: str = ""
    templates_dir: str = ""


@dataclass(frozen=True)
class Section:
    """One entry of the newsroom's managed list; retired ones stay for old articles."""

    id: str
    name: str
    position: int
    retired: bool = False


def section_key(name: str) -> str:
    """How two section names are compared: without regard to case or spacing."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def clean_section_name(name: object) -> str:
    """A section name as stored: trimmed, single spaces; refused if empty, too long or with
    control characters (a name reaches every page's menu and a folder name)."""
    if not isinstance(name, str):
        raise ValidationError("A section name must be text.", field="section")
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not cleaned:
        raise ValidationError("A section needs a name.", field="section")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in cleaned):
        raise ValidationError(
            f"The section name {cleaned!r} has control or invisible characters: type it again.",
            field="section",
        )
    if len(cleaned) > MAX_SECTION_LENGTH:
        raise ValidationError(
            f"A section name has at most {MAX_SECTION_LENGTH} characters ({len(cleaned)} given).",
            field="section",
        )
    return cleaned


def match_section(name: str, sections: Iterable[Section | str]) -> str | None:
    """The managed section `name` means (case and spacing aside), or None."""
    key = section_key(name or "")
    if not key:
        return None
    for section in sections:
        label = section.name if isinstance(section, Section) else section
        if section_key(label) == key:
            return label
    return None
