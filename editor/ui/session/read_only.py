"""At start: say at once when the store opened for reading only (its disk is full).

`Store.open` opens a sound store on a full disk for reading only instead of refusing it:
the list, search, the preview and exports work, and every save is refused with "the
disk is full" (the recovery journal keeps what is typed) until space is freed, when
saving works again by itself. This tells the person so, without stopping the window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from editor.services.newsroom import Newsroom


NOTICE_NAME = "readOnlyStoreNotice"


def read_only_reason(newsroom: Newsroom) -> str | None:
    """Why the store is open for reading only now, or None when it can be written."""
    return getattr(newsroom.store, "read_only_reason", None)


def tell_if_read_only(
    parent: QWidget | None, newsroom: Newsroom, report: Callable[[str], object] | None = None
) -> QMessageBox | None:
    """A warning that does not block (shown with `open()`) and the same line in the
    status bar through `report`, when the store is open for reading only; the box."""
    reason = read_only_reason(newsroom)
    if reason is None:
        return None
    if report is not None:
        report(reason)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "The store is open for reading only",
        reason,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName(NOTICE_NAME)
    box.setInformativeText(
        "You can read, search and export. What you type is kept in the recovery journal "
        "but not saved to the store; saving works again by itself once space is freed."
    )
    box.open()
    return box
