"""Workflow persistence: status transitions, with their event and revision, in one transaction."""

from __future__ import annotations


class WorkflowStoreMixin:
    """Methods of `Store` (see `editor.store.store`); use `self._write()` and `self._read()`."""
