"""The PySide6 user interface.

PySide6 is imported here, before any window module, and the import hook it installs is
taken out again. The hook (`__feature_import__`, for `from __feature__ import
snake_case`, which this program does not use) reads the source of every module imported
after PySide6, and made the ~500 modules of SQLAlchemy, the store and Markdown cost
0.1-0.3 s more at start-up when imported after it. Without it the window's modules and
the store's can be imported in whichever order the start-up wants.
"""

import builtins as _builtins

_plain_import = _builtins.__import__
import PySide6.QtCore  # noqa: E402, F401 - installs the hook

if getattr(_plain_import, "__name__", "") == "__import__":  # not already PySide6's own
    _builtins.__import__ = _plain_import
del _plain_import
