"""Word counts and slugs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from editor.core.text import is_valid_slug, slugify, word_count


def test_word_count_ignores_markup_and_link_targets():
    assert word_count("## Heading here\n\nSome **bold** text, [a link](https://x.org/a-b).") == 7
    assert word_count("") == 0
    assert word_count("Kim’s car — a well-known Aurus") == 5


@given(st.text(alphabet="ab1_-'’ #>*`~|[]()!\n.é", max_size=120))
def test_word_count_without_links_counts_as_the_markup_pattern_does(text):
    """Without links the markers are replaced one by one: the same count as the pattern's."""
    from editor.core.text import _MARKUP, _WORD

    assert word_count(text) == len(_WORD.findall(_MARKUP.sub(lambda m: m.group(2) or " ", text)))


def test_slugify():
    assert slugify("Putin’s car, again!") == "putins-car-again"
    assert slugify("Café au lait: 10% off") == "cafe-au-lait-10-off"
    assert slugify("   ") == ""
    assert len(slugify("word " * 100)) <= 80


@given(st.text(max_size=300))
def test_slugify_always_gives_a_valid_slug_or_nothing(text):
    slug = slugify(text)
    assert slug == "" or is_valid_slug(slug)
