"""The article fields a person or an import may set: name, label, kind and parser.

`set_field(article, name, value)` is the one place a field's value is parsed and checked;
the service seam (create, save, workflow changes) and the importers call it. Pure Python:
no store, no Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from editor.core.errors import ValidationError
from editor.core.importers.notes import normalise_notes
from editor.core.model import Article


@dataclass(frozen=True)
class Field:
    """One settable article field; `parse` turns a given value into the stored one."""

    name: str
    label: str
    kind: str  # "text", "slug", "tags", "date", "count" or "notes"
    parse: Callable[[object], object]


def parse_text(name: str, value: object) -> str:
    """Text fields: stripped text (raises for anything but text)."""
    if not isinstance(value, str):
        raise ValidationError(f"The {name} must be text.", field=name)
    return value.strip()


def parse_slug(value: object) -> str:
    return parse_text("slug", value).lower()


def parse_length_target(value: object) -> int | None:
    """A planned length in words: a positive whole number, or empty for no target."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().replace(",", "")
    if isinstance(value, bool) or not text.isdigit() or int(text) <= 0 or int(text) > 1_000_000:
        raise ValidationError(
            f"'{value}' is not a length: give the words wanted as a whole number, "
            "or leave it empty.",
            field="length_target",
        )
    return int(text)


def parse_story_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(f"'{value}' is not a date: use YYYY-MM-DD.", field="story_date")


def normalise_tags(value: object) -> list[str]:
    """Tags from text separated by commas or a list; blanks and repeats (any case) dropped."""
    if isinstance(value, str):
        items: Sequence[object] = value.split(",")
    elif isinstance(value, list | tuple):
        items = value
    else:
        raise ValidationError("Tags must be text separated by commas.", field="tags")
    seen: dict[str, None] = {}
    for item in items:
        tag = str(item).strip()
        if tag and tag.lower() not in {t.lower() for t in seen}:
            seen[tag] = None
    return list(seen)


def _text(name: str, label: str) -> Field:
    return Field(name, label, "text", lambda value: parse_text(name, value))


#: Every settable field, by name; the metadata ones in `METADATA_FIELDS` order first.
FIELDS: dict[str, Field] = {
    field.name: field
    for field in (
        _text("headline", "Headline"),
        _text("standfirst", "Standfirst"),
        Field("slug", "Slug", "slug", parse_slug),
        _text("byline", "Byline"),
        _text("section", "Section"),
        Field("tags", "Tags", "tags", normalise_tags),
        _text("dateline", "Dateline"),
        Field("story_date", "Story date", "date", parse_story_date),
        Field("length_target", "Length target", "count", parse_length_target),
        Field("import_notes", "Import notes", "notes", normalise_notes),
        _text("source_name", "Source file"),
    )
}


def field_label(name: str) -> str:
    """The field's name for people ("Story date"); unknown names as given."""
    found = FIELDS.get(name)
    return found.label if found is not None else name


def set_field(article: Article, name: str, value: object) -> None:
    """Parse `value` for the field `name` and set it on `article` (ValidationError if bad)."""
    found = FIELDS.get(name)
    if found is None:
        raise ValidationError(f"'{name}' is not an article field that can be edited.", field=name)
    setattr(article, name, found.parse(value))
