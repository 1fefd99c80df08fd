"""The newsroom dictionary table."""

from __future__ import annotations


class DictionaryStoreMixin:
    """Methods of `Store` (see `editor.store.store`); use `self._write()` and `self._read()`."""
