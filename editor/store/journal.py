"""The recovery journal table: one row per editing session of an article."""

from __future__ import annotations


class JournalStoreMixin:
    """Methods of `Store` (see `editor.store.store`); use `self._write()` and `self._read()`."""
