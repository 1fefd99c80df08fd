"""Work-arounds for bugs of the Qt binding this project runs on.

PySide6 6.12.0 under Python 3.11 releases one reference to `None` each time a wrapped
C++ call returns a null pointer or an empty QVariant (`QTextBlock.textList()` outside a
list, `QTextCursor.currentList()`, `QTextFormat.property()` of an unset property,
`QTextCharFormat.fontFamilies()`...). Python 3.11 counts references to `None`, so after
enough such calls (a cursor moving through a long article does thousands) the count
reaches zero and the interpreter aborts with "none_dealloc". Python 3.12 made `None`
immortal; `keep_none_alive` does the same here. Code should still avoid those calls on
hot paths (see `markdown_writer`).

The same binding over-releases `True` (one reference per emit of a `Signal(object)`
carrying a value, e.g. `BodyEditor.format_changed` on every keystroke): after some
thousands of edits the interpreter aborts with "bool_dealloc". `True` and `False` get
the same treatment as `None`.
"""

from __future__ import annotations

import ctypes
import sys

_done = False


def keep_none_alive() -> None:
    """Give `None` so many references that no number of stray releases can free it."""
    global _done
    if _done or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    # ob_refcnt is the first field of every CPython object, at the object's address.
    for immortal in (None, True, False):
        ctypes.c_ssize_t.from_address(id(immortal)).value += 1 << 40
    _done = True
