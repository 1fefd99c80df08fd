"""Copy-desk checks: a rule engine driven by a house style file."""

from __future__ import annotations


class ChecksMixin:
    """Methods of `Newsroom` (see `editor.core.newsroom`); uses `self.store` and `self.user`."""

    def blocking_findings(self, article_id: str) -> list:
        """Findings of level error that are not dismissed: they block Submit."""
        return []
