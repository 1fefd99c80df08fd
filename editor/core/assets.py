"""Assets: images kept in the store, with alt text, caption and credit."""

from __future__ import annotations


class AssetsMixin:
    """Methods of `Newsroom` (see `editor.core.newsroom`); uses `self.store` and `self.user`."""
