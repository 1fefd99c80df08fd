"""The field registry: one parser per settable article field, no store needed."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from editor.core.errors import ValidationError
from editor.core.fields import FIELDS, field_label, set_field
from editor.core.model import METADATA_FIELDS, Article


def article() -> Article:
    return Article(id="a1", headline="Old")


def test_every_metadata_field_is_in_the_registry():
    assert set(METADATA_FIELDS) <= set(FIELDS)
    assert list(FIELDS)[: len(METADATA_FIELDS)] == list(METADATA_FIELDS)


def test_text_fields_are_stripped_and_the_slug_lowered():
    a = article()
    set_field(a, "headline", "  Council votes  ")
    set_field(a, "slug", " Council-Votes ")
    set_field(a, "source_name", " wire.txt ")
    assert (a.headline, a.slug, a.source_name) == ("Council votes", "council-votes", "wire.txt")


def test_text_fields_refuse_anything_but_text():
    with pytest.raises(ValidationError, match="The byline must be text") as caught:
        set_field(article(), "byline", 3)
    assert caught.value.field == "byline"


def test_tags_dates_and_lengths_are_parsed():
    a = article()
    set_field(a, "tags", "Council, budget, council, ")
    set_field(a, "story_date", "2025-03-11")
    set_field(a, "length_target", "1,200")
    assert a.tags == ["Council", "budget"]
    assert a.story_date == date(2025, 3, 11)
    assert a.length_target == 1200
    set_field(a, "story_date", datetime(2025, 3, 12, 9, 30))
    set_field(a, "length_target", "")
    assert (a.story_date, a.length_target) == (date(2025, 3, 12), None)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("story_date", "11/03/2025", "is not a date"),
        ("length_target", "-5", "is not a length"),
        ("length_target", True, "is not a length"),
        ("tags", 5, "Tags must be text"),
        ("import_notes", "note", "Import notes must be a list"),
        ("created_by", "rita", "is not an article field that can be edited"),
    ],
)
def test_bad_values_are_refused_with_the_field_named(name, value, message):
    with pytest.raises(ValidationError, match=message) as caught:
        set_field(article(), name, value)
    assert caught.value.field == name


def test_labels_are_for_people():
    assert field_label("story_date") == "Story date"
    assert field_label("unknown") == "unknown"
