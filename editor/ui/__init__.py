"""The PySide6 user interface."""

from editor.ui import qt_workarounds as _qt_workarounds

# Before any Qt call: PySide6 6.12 on Python 3.11 over-releases None (see the module).
_qt_workarounds.keep_none_alive()
