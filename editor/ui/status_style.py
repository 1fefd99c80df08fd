"""How a workflow status looks: one colour and one dot icon per `Status`, used everywhere."""

from __future__ import annotations

from functools import cache

import qtawesome
from PySide6.QtGui import QColor, QIcon

from editor.core.model import Status

STATUS_COLOURS: dict[Status, str] = {
    Status.DRAFT: "#6b7280",
    Status.SUBMITTED: "#2563eb",
    Status.CHANGES_REQUESTED: "#d97706",
    Status.APPROVED: "#059669",
    Status.PUBLISHED: "#047857",
    Status.SPIKED: "#b91c1c",
    Status.CORRECTED: "#7c3aed",
}


def status_colour(status: Status) -> QColor:
    return QColor(STATUS_COLOURS.get(status, "#6b7280"))


@cache
def status_icon(status: Status) -> QIcon:
    return qtawesome.icon("fa6s.circle", color=STATUS_COLOURS.get(status, "#6b7280"))


def status_badge_css(status: Status) -> str:
    """Style sheet for a label shown as a small coloured pill."""
    colour = STATUS_COLOURS.get(status, "#6b7280")
    return (
        f"color: white; background: {colour}; border-radius: 9px;"
        " padding: 2px 10px; font-weight: 600;"
    )
