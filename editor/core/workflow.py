"""Workflow: one state machine and one permission check for every face (GUI, CLI, store API)."""

from __future__ import annotations


class WorkflowMixin:
    """Methods of `Newsroom` (see `editor.core.newsroom`); uses `self.store` and `self.user`."""
