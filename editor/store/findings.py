"""Dismissed copy-desk findings, per article."""

from __future__ import annotations


class FindingsStoreMixin:
    """Methods of `Store` (see `editor.store.store`); use `self._write()` and `self._read()`."""
