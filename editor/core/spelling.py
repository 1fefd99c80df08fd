"""Spelling: the newsroom dictionary kept in the store, beside the shipped word list."""

from __future__ import annotations


class DictionaryMixin:
    """Methods of `Newsroom` (see `editor.core.newsroom`); uses `self.store` and `self.user`."""
