"""How the workflow looks: one colour and one icon per `Status` and per workflow action.

Every widget that shows a status (list, inspector, desk views, audit log) takes its colour
and icon from here, so "Returned" is the same amber arrow everywhere.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QColor, QIcon

from editor.core.model import Desk, Role, Status
from editor.ui import icons

_GREY = "#6b7280"

STATUS_COLOURS: dict[Status, str] = {
    Status.DRAFT: "#6b7280",
    Status.SUBMITTED: "#2563eb",
    Status.CHANGES_REQUESTED: "#d97706",
    Status.APPROVED: "#059669",
    Status.PUBLISHED: "#047857",
    Status.SPIKED: "#b91c1c",
    Status.CORRECTED: "#7c3aed",
}

#: A pale tint of each colour, for backgrounds behind text in the status colour.
STATUS_TINTS: dict[Status, str] = {
    Status.DRAFT: "#f3f4f6",
    Status.SUBMITTED: "#eff6ff",
    Status.CHANGES_REQUESTED: "#fffbeb",
    Status.APPROVED: "#ecfdf5",
    Status.PUBLISHED: "#ecfdf5",
    Status.SPIKED: "#fef2f2",
    Status.CORRECTED: "#f5f3ff",
}

#: qtawesome names: a pen while it is being written, a plane once filed, and so on.
STATUS_ICONS: dict[Status, str] = {
    Status.DRAFT: "fa6s.pen",
    Status.SUBMITTED: "fa6s.paper-plane",
    Status.CHANGES_REQUESTED: "fa6s.arrow-rotate-left",
    Status.APPROVED: "fa6s.circle-check",
    Status.PUBLISHED: "fa6s.globe",
    Status.SPIKED: "fa6s.ban",
    Status.CORRECTED: "fa6s.pen-to-square",
}

#: Workflow actions (`editor.services.workflow.Action` values) and other logged events.
ACTION_ICONS: dict[str, str] = {
    "create": "fa6s.file-circle-plus",
    "submit": "fa6s.paper-plane",
    "return": "fa6s.arrow-rotate-left",
    "approve": "fa6s.circle-check",
    "publish": "fa6s.globe",
    "spike": "fa6s.ban",
    "reopen": "fa6s.lock-open",
    "correct": "fa6s.pen-to-square",
    "flags": "fa6s.flag",
    "override": "fa6s.triangle-exclamation",
    "delete": "fa6s.trash-can",
    "restore": "fa6s.clock-rotate-left",
    "import": "fa6s.file-import",
}

#: Past-tense labels of workflow actions, logged events and revision reasons (one vocabulary).
ACTION_LABELS: dict[str, str] = {
    "create": "Created",
    "save": "Saved",
    "autosave": "Autosaved",
    "import": "Imported",
    "submit": "Submitted",
    "return": "Returned",
    "approve": "Approved",
    "publish": "Published",
    "spike": "Spiked",
    "reopen": "Reopened",
    "correct": "Corrected",
    "flags": "Flags changed",
    "override": "Submitted over copy-desk errors",
    "delete": "Deleted",
    "restore": "Restored",
    "merge": "Merged",
}


def action_label(action: str) -> str:
    """The label of `action` ("submit" reads "Submitted"); an unknown one, capitalised."""
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


ACTION_COLOURS: dict[str, str] = {
    "submit": STATUS_COLOURS[Status.SUBMITTED],
    "return": STATUS_COLOURS[Status.CHANGES_REQUESTED],
    "approve": STATUS_COLOURS[Status.APPROVED],
    "publish": STATUS_COLOURS[Status.PUBLISHED],
    "spike": STATUS_COLOURS[Status.SPIKED],
    "reopen": "#1d5fa8",
    "correct": STATUS_COLOURS[Status.CORRECTED],
    "flags": "#b45309",
    "override": "#b45309",
}

DESK_ICONS: dict[str | None, str] = {
    Desk.MY_DRAFTS.value: STATUS_ICONS[Status.DRAFT],
    Desk.WAITING.value: "fa6s.inbox",
    Desk.RETURNED_TO_ME.value: STATUS_ICONS[Status.CHANGES_REQUESTED],
    Desk.APPROVED.value: STATUS_ICONS[Status.APPROVED],
    Desk.PUBLISHED.value: STATUS_ICONS[Status.PUBLISHED],
    Desk.SPIKED.value: STATUS_ICONS[Status.SPIKED],
    None: "fa6s.layer-group",
}

DESK_COLOURS: dict[str | None, str] = {
    Desk.MY_DRAFTS.value: STATUS_COLOURS[Status.DRAFT],
    Desk.WAITING.value: STATUS_COLOURS[Status.SUBMITTED],
    Desk.RETURNED_TO_ME.value: STATUS_COLOURS[Status.CHANGES_REQUESTED],
    Desk.APPROVED.value: STATUS_COLOURS[Status.APPROVED],
    Desk.PUBLISHED.value: STATUS_COLOURS[Status.PUBLISHED],
    Desk.SPIKED.value: STATUS_COLOURS[Status.SPIKED],
    None: "#374151",
}

ROLE_ICONS: dict[Role, str] = {
    Role.REPORTER: "fa6s.pen-nib",
    Role.EDITOR: "fa6s.user-pen",
    Role.ADMIN: "fa6s.user-shield",
}


def status_colour(status: Status) -> QColor:
    return QColor(STATUS_COLOURS.get(status, _GREY))


@cache
def status_icon(status: Status) -> QIcon:
    """The status's own symbol in its colour (list rows, badges, desk views)."""
    return icons.icon(
        STATUS_ICONS.get(status, "fa6s.circle"), color=STATUS_COLOURS.get(status, _GREY)
    )


@cache
def action_icon(action: str, colour: str | None = None) -> QIcon:
    """The icon of a workflow action or logged event, in its colour unless told."""
    return icons.icon(
        ACTION_ICONS.get(action, "fa6s.circle-dot"),
        color=colour or ACTION_COLOURS.get(action, "#4b5563"),
        color_disabled="#c3c7cd",
    )


@cache
def desk_icon(desk: str | None) -> QIcon:
    return icons.icon(DESK_ICONS.get(desk, "fa6s.layer-group"), color=DESK_COLOURS.get(desk))


@cache
def role_icon(role: Role) -> QIcon:
    # White on a selected row or a menu's highlight (dark there: grey would vanish).
    return icons.icon(ROLE_ICONS.get(role, "fa6s.user"), color="#4b5563", color_selected="#ffffff")


def status_badge_css(status: Status) -> str:
    """Style sheet for a label shown as a small coloured pill."""
    colour = STATUS_COLOURS.get(status, _GREY)
    return (
        f"color: white; background: {colour}; border-radius: 9px;"
        " padding: 2px 10px; font-weight: 600;"
    )


def status_chip_css(status: Status) -> str:
    """A softer pill: the status colour on its tint, for places with several badges."""
    colour = STATUS_COLOURS.get(status, _GREY)
    tint = STATUS_TINTS.get(status, "#f3f4f6")
    return (
        f"color: {colour}; background: {tint}; border: 1px solid {colour};"
        " border-radius: 10px; padding: 2px 10px; font-weight: 600;"
    )
