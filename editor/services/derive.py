"""Derived fields of an article (word count, slug), computed before every write.

A slug follows the headline, unique in the store, until someone sets it by hand; a slug
set by hand must be valid and free. `Newsroom` and its workflow part both derive here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from editor.core.errors import ValidationError
from editor.core.text import is_valid_slug, slugify, word_count

if TYPE_CHECKING:  # for type checkers only: the seam sits above the store
    from editor.core.model import Article
    from editor.store.store import Store


def derive_fields(store: Store, article: Article, previous_slug: str | None) -> None:
    """Word count and slug of `article` before a write; `previous_slug` is None for a new
    article. A slug given to a new article (`create_article(slug=...)`) is kept as set by
    hand: written as a slug (``"Town Hall"`` -> ``town-hall``) and, if another article has
    it, numbered (``town-hall-2``); one with no letter or digit leaves the headline's."""
    article.word_count = word_count(article.body)
    if previous_slug is None and article.slug and not article.slug_locked:
        wanted = article.slug if is_valid_slug(article.slug) else slugify(article.slug)
        if wanted:
            article.slug = store.unique_slug(wanted, exclude_id=article.id)
            article.slug_locked = True
            return
    if article.slug_locked:
        if not is_valid_slug(article.slug):
            raise ValidationError(
                f"'{article.slug}' is not a valid slug: use lower-case letters, "
                "digits and single hyphens.",
                field="slug",
            )
        owner = store.slug_owner(article.slug, exclude_id=article.id)
        if owner is not None:
            raise ValidationError(
                f"The slug '{article.slug}' is already used by “{owner}”.", field="slug"
            )
        return
    base = slugify(article.headline) or "untitled"
    # Keep "x-2" when the headline still gives "x": the slug must not flap.
    if (
        previous_slug
        and _slug_family(previous_slug, base)
        and store.slug_owner(previous_slug, exclude_id=article.id) is None
    ):
        article.slug = previous_slug
        return
    article.slug = store.unique_slug(base, exclude_id=article.id)


def _slug_family(slug: str, base: str) -> bool:
    if slug == base:
        return True
    head, _, tail = slug.rpartition("-")
    return head == base and tail.isdigit()
