"""At start: offer back the work a killed or crashed run left in the recovery journal.

Each piece is offered with Restore (written back as a new revision; the saved text stays
in the history), Discard, or Decide Later (kept for the next start). A store open for
reading only (its disk is full) is said first, and nothing is offered then: restoring
writes, so the journal keeps it all for a start with room.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from editor.core.errors import NewsroomError
from editor.services.recovery import Recovery
from editor.ui.dialogs import ask_choice
from editor.ui.session.read_only import tell_if_read_only

if TYPE_CHECKING:
    from editor.services.newsroom import Newsroom

_Role = QMessageBox.ButtonRole

_PREVIEW_CHARS = 1500


class RecoveryChoice(enum.Enum):
    RESTORE = "restore"
    DISCARD = "discard"
    LATER = "later"


RecoveryAsker = Callable[[QWidget | None, Recovery], RecoveryChoice]


def ask_recovery(parent: QWidget | None, offer: Recovery) -> RecoveryChoice:
    """The question for one piece of unsaved work; Escape decides later."""
    headline = offer.headline or "Untitled"
    when = offer.entry.written_at
    moment = f" (last typed at {when.astimezone():%H:%M})" if when else ""
    notes = [
        "The editor was closed before it could save them. Restore brings them back; "
        "the saved version stays in the article's history."
    ]
    if offer.changed_since:
        notes.append(
            "The article was saved again since then: restoring puts this text on top, "
            "and the newer version stays in the history."
        )
    if offer.deleted:
        notes.append("The article was deleted since: restoring makes a new draft of it.")
    preview = offer.entry.body
    return ask_choice(
        parent,
        name="recoveryDialog",
        title="Recover Unsaved Work",
        text=f"“{headline}” has changes that were not saved{moment}.",
        informative="\n\n".join(notes),
        details=preview[:_PREVIEW_CHARS] + ("…" if len(preview) > _PREVIEW_CHARS else ""),
        buttons=[
            ("Restore", _Role.AcceptRole, RecoveryChoice.RESTORE),
            ("Discard", _Role.DestructiveRole, RecoveryChoice.DISCARD),
            ("Decide Later", _Role.RejectRole, RecoveryChoice.LATER),
        ],
        default=RecoveryChoice.RESTORE,
        escape=RecoveryChoice.LATER,
    )


def offer_recovery(
    parent: QWidget | None,
    newsroom: Newsroom,
    ask: RecoveryAsker = ask_recovery,
    report: Callable[[str], object] | None = None,
) -> str | None:
    """Offer each piece of unsaved work; the id of the last article restored, if any.

    A store error is reported (the journal stays for the next start), never raised.
    """
    if tell_if_read_only(parent, newsroom, report) is not None:
        return None
    try:
        offers = newsroom.recoverable()
    except NewsroomError as error:
        if report is not None:
            report(f"Unsaved work could not be checked: {error}")
        return None
    restored: str | None = None
    for offer in offers:
        choice = ask(parent, offer)
        try:
            if choice is RecoveryChoice.RESTORE:
                restored = newsroom.restore_unsaved(offer).id
            elif choice is RecoveryChoice.DISCARD:
                newsroom.discard_unsaved(offer.article_id)
        except NewsroomError as error:
            if report is not None:
                report(f"“{offer.headline or 'Untitled'}” could not be restored: {error}")
    return restored
