"""Assets: image bytes and their alt text, caption and credit."""

from __future__ import annotations


class AssetsStoreMixin:
    """Methods of `Store` (see `editor.store.store`); use `self._write()` and `self._read()`."""
