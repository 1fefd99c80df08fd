"""Comments: review notes anchored to quoted passages, replies and resolution."""

from __future__ import annotations


class CommentsStoreMixin:
    """Methods of `Store` (see `editor.store.store`); use `self._write()` and `self._read()`."""
