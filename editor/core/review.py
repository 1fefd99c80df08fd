"""Review: comments anchored to passages, word-level diffs, history and restore."""

from __future__ import annotations


class ReviewMixin:
    """Methods of `Newsroom` (see `editor.core.newsroom`); uses `self.store` and `self.user`."""
