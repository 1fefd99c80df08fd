"""Recovery journal: unsaved text of an editing session, offered back after a crash."""

from __future__ import annotations


class RecoveryMixin:
    """Methods of `Newsroom` (see `editor.core.newsroom`); uses `self.store` and `self.user`."""
