"""Word counts and slugs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from editor.core.text import is_valid_slug, slugify, word_count


def test_word_count_ignores_markup_and_link_targets():
    assert word_count("## Heading here\n\nSome **bold** text, [a link](https://x.org/a-b).") == 7
    assert word_count("") == 0
    assert word_count("Kim’s car — a well-known Aurus") == 5


def test_slugify():
    assert slugify("Putin’s car, again!") == "putins-car-again"
    assert slugify("Café au lait: 10% off") == "cafe-au-lait-10-off"
    assert slugify("   ") == ""
    assert len(slugify("word " * 100)) <= 80


@given(st.text(max_size=300))
def test_slugify_always_gives_a_valid_slug_or_nothing(text):
    slug = slugify(text)
    assert slug == "" or is_valid_slug(slug)
