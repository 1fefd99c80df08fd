"""The stale-save dialog: a colleague's version and the person's, side by side.

A save refused as stale (someone saved the article first) is decided here. The dialog
lines the two bodies up passage by passage (`editor.core.merge.align_paragraphs`, the
passages the merge works on), marks within each passage the words only one version has,
says which version changed it (against the version the editor loaded), and lists the
details (headline, standfirst, tags...) that differ. When the two edits touched different
paragraphs and fields, `merge_edits` merged them cleanly and the dialog offers Merge Both
first; a true conflict (the same paragraph or field changed on both sides) offers only
the choices that lose nothing (a copy, their version, keep editing), the comparison still
in view so the person sees what the other version did.

`ConflictVersions` is what the editing session hands over (built in
`editor.ui.session.editing`); `ConflictMessage` carries it inside the store's message, so
that every resolver that takes the message keeps working unchanged.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from editor.core.diff import DiffOp, diff_words
from editor.core.fields import field_label
from editor.core.merge import EDITED_FIELDS, AlignedRow, EditMerge
from editor.core.model import Article
from editor.core.text import counted
from editor.core.values import MergedSides

Answer = TypeVar("Answer")

#: Their words and passages (blue) and the person's (green); conflicts in amber.
THEIRS_STYLE = "background-color:#dbeafe; color:#1e3a8a;"
MINE_STYLE = "background-color:#dcfce7; color:#065f46;"
_THEIRS_ROW = "#f5f9ff"
_MINE_ROW = "#f4fcf6"
_CONFLICT_ROW = "#fff7ed"
_UNCHANGED = "#6b7280"
_DIVIDER = "border-left:1px solid #d1d5db;"
#: Unchanged paragraphs kept around a change when the rest of a run is folded away.
CONTEXT = 1
_FONT = ["Georgia", "Charter", "Noto Serif", "DejaVu Serif", "serif"]


@dataclass(frozen=True, slots=True)
class ConflictVersions:
    """A stale save: the loaded version, the person's edit of it and the store's version."""

    #: The article as the editor loaded (or last saved) it: the base of the merge.
    base: Article
    #: What the person sees now, unsaved.
    mine: Article
    #: The article as the store has it now (someone else's save).
    theirs: Article
    #: Who saved theirs, and when (from its head revision).
    their_name: str
    their_time: datetime | None
    #: `merge_edits(base, theirs, mine)`: "first" is theirs, "second" the person's.
    merge: EditMerge

    @property
    def can_merge(self) -> bool:
        return self.merge.clean

    def merged_article(self) -> Article:
        """Their article with both edits in it (only meaningful when `can_merge`)."""
        merged = replace(self.theirs, tags=list(self.theirs.tags), body=self.merge.body)
        for name, value in self.merge.fields.items():
            setattr(merged, name, list(value) if isinstance(value, list) else value)
        if merged.slug != self.theirs.slug:
            merged.slug_locked = bool(self.mine.slug_locked or self.mine.slug != self.base.slug)
        return merged

    def merged_sides(self) -> MergedSides | None:
        """What the merge's save records: the person's version and their head revision
        (the merge revision's second parent), or None when theirs has no revision."""
        head = self.theirs.head_revision_id
        return MergedSides(self.mine, head) if head else None

    def merged_changes(self) -> dict[str, object]:
        """The details the merged article has that theirs has not (to save over theirs)."""
        merged = self.merged_article()
        return {
            name: getattr(merged, name)
            for name in EDITED_FIELDS
            if getattr(merged, name) != getattr(self.theirs, name)
        }


class ConflictMessage(str):
    """The store's stale-write message, with the versions it is about (or None)."""

    versions: ConflictVersions | None

    def __new__(cls, text: str, versions: ConflictVersions | None = None) -> ConflictMessage:
        message = super().__new__(cls, text)
        message.versions = versions
        return message


# -- what changed, in words ---------------------------------------------------------------


def _what(changed: Sequence[str], paragraphs: int) -> str:
    parts: list[str] = []
    if "body" in changed:
        parts.append(counted(paragraphs, "paragraph") if paragraphs else "the text")
    parts.extend(f"the {field_label(name).lower()}" for name in changed if name != "body")
    if not parts:
        return "nothing"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def summary(versions: ConflictVersions) -> str:
    """ "Rita changed 2 paragraphs and the headline; you changed 1 paragraph." """
    merge = versions.merge
    mine = _what(merge.second_changed, merge.changed_paragraphs("second"))
    if not merge.first_changed:
        # Their save changed no text or detail: a workflow step, flags, an empty save.
        status = versions.theirs.status
        did = (
            f"moved it to {status.label}"
            if status != versions.base.status
            else "changed neither its text nor its details"
        )
        return f"{versions.their_name} {did}; you changed {mine}."
    theirs = _what(merge.first_changed, merge.changed_paragraphs("first"))
    return f"{versions.their_name} changed {theirs}; you changed {mine}."


def conflict_summary(versions: ConflictVersions) -> str:
    """What both changed differently: "the same paragraph", "the headline"..."""
    merge = versions.merge
    parts: list[str] = []
    if merge.body_conflicts:
        parts.append(
            "the same paragraph"
            if merge.body_conflicts == 1
            else f"the same passages in {merge.body_conflicts} places"
        )
    parts.extend(f"the {field_label(name).lower()}" for name in merge.field_conflicts)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# -- the comparison ------------------------------------------------------------------------


def _side(ops: Sequence[DiffOp], keep: str, style: str) -> str:
    """One side of a word diff as HTML: its own words marked with `style`."""
    out: list[str] = []
    for op in ops:
        if op.kind != "equal" and op.kind != keep:
            continue
        text = html.escape(op.text).replace("\n\n", "<br><br>").replace("\n", "<br>")
        out.append(text if op.kind == "equal" else f'<span style="{style}">{text}</span>')
    return "".join(out).strip()


def _cells(theirs: Sequence[str], mine: Sequence[str]) -> tuple[str, str]:
    left, right = "\n\n".join(theirs), "\n\n".join(mine)
    if not left or not right:  # a passage only one version has: all of it is marked
        gone = '<i style="color:#9ca3af">(not in this version)</i>'
        return (
            f'<span style="{THEIRS_STYLE}">{html.escape(left)}</span>' if left else gone,
            f'<span style="{MINE_STYLE}">{html.escape(right)}</span>' if right else gone,
        )
    ops = diff_words(left, right)
    return _side(ops, "delete", THEIRS_STYLE), _side(ops, "insert", MINE_STYLE)


def _caption(row: AlignedRow, their_name: str) -> tuple[str, str]:
    """(caption, row colour) of a changed passage."""
    if row.kind == "first":
        return f"Changed by {their_name}", _THEIRS_ROW
    if row.kind == "second":
        return "Changed by you", _MINE_ROW
    if row.kind == "same":
        return "The same change in both versions", "#ffffff"
    return "Changed in both versions: they cannot be merged here", _CONFLICT_ROW


def _value(value: object) -> str:
    if value in (None, "", []):
        return '<i style="color:#9ca3af">(empty)</i>'
    if isinstance(value, list):
        return html.escape(", ".join(map(str, value)))
    return html.escape(str(value))


def _tags(tags: list[str], other: list[str], style: str) -> str:
    """The tags, those the other version lacks marked with `style`."""
    if not tags:
        return _value(tags)
    return ", ".join(
        html.escape(tag) if tag in other else f'<span style="{style}">{html.escape(tag)}</span>'
        for tag in tags
    )


def comparison_html(versions: ConflictVersions, *, whole: bool = False) -> str:
    """The comparison page: differing details, then the body passage by passage.

    Runs of unchanged paragraphs are folded to `CONTEXT` paragraphs around each change
    unless `whole`.
    """
    merge = versions.merge
    name = html.escape(versions.their_name)
    rows: list[str] = []

    def caption(text: str, colour: str, *, bold: bool = False) -> None:
        weight = "600" if bold else "500"
        rows.append(
            f'<tr><td colspan="2" bgcolor="{colour}" style="color:#374151; font-size:9pt; '
            f'font-weight:{weight}; font-family:sans-serif; padding-top:6px;">'
            f"{html.escape(text)}</td></tr>"
        )

    def pair(left: str, right: str, colour: str, *, dim: bool = False) -> None:
        colour_style = f" color:{_UNCHANGED};" if dim else ""
        rows.append(
            f'<tr><td width="50%" bgcolor="{colour}" style="{colour_style}">{left}</td>'
            f'<td width="50%" bgcolor="{colour}" style="{colour_style} {_DIVIDER}">{right}</td>'
            "</tr>"
        )

    differing = [
        field
        for field in EDITED_FIELDS
        if getattr(versions.theirs, field) != getattr(versions.mine, field)
        and not (field == "slug" and not versions.mine.slug_locked)
    ]
    if differing:
        caption("Details that differ", "#f3f4f6", bold=True)
        for field in differing:
            their_value = getattr(versions.theirs, field)
            my_value = getattr(versions.mine, field)
            if field in merge.field_conflicts:
                who, colour = "changed in both versions", _CONFLICT_ROW
            elif field in merge.first_changed:
                who, colour = f"changed by {versions.their_name}", _THEIRS_ROW
            else:
                who, colour = "changed by you", _MINE_ROW
            caption(f"{field_label(field)} · {who}", colour)
            if (
                isinstance(their_value, str)
                and isinstance(my_value, str)
                and their_value
                and my_value
            ):
                left, right = _cells([their_value], [my_value])
            elif isinstance(their_value, list) and isinstance(my_value, list):
                left = _tags(their_value, my_value, THEIRS_STYLE)
                right = _tags(my_value, their_value, MINE_STYLE)
            else:
                left, right = _value(their_value), _value(my_value)
            pair(left, right, colour)
    caption("Text", "#f3f4f6", bold=True)
    body_rows = list(merge.rows)
    changed = [i for i, row in enumerate(body_rows) if row.kind != "unchanged"]
    if not changed:
        caption("The text is the same in both versions.", "#ffffff")
    shown = (
        set(range(len(body_rows)))
        if whole
        else {i for c in changed for i in range(c - CONTEXT, c + CONTEXT + 1)}
    )
    # A fold that would hide a single paragraph shows it instead.
    for index in range(1, len(body_rows) - 1):
        if index not in shown and index - 1 in shown and index + 1 in shown:
            shown.add(index)
    folded = 0
    for index, row in enumerate(body_rows):
        if index not in shown and row.kind == "unchanged":
            folded += 1
            continue
        if folded:
            caption(f"⋯ {counted(folded, 'unchanged paragraph')}", "#ffffff")
            folded = 0
        if row.kind == "unchanged":
            text = html.escape(row.first[0]).replace("\n", "<br>")
            pair(text, text, "#ffffff", dim=True)
            continue
        text, colour = _caption(row, versions.their_name)
        caption(text, colour)
        pair(*_cells(row.first, row.second), colour)
    if folded:
        caption(f"⋯ {counted(folded, 'unchanged paragraph')}", "#ffffff")
    when = f", saved {versions.their_time.astimezone():%H:%M}" if versions.their_time else ""
    head = (
        f'<tr><th width="50%" align="left" style="{THEIRS_STYLE} font-family:sans-serif;">'
        f"{name}’s version{html.escape(when)}</th>"
        f'<th width="50%" align="left" style="{MINE_STYLE} font-family:sans-serif;">'
        "Your version (not saved)</th></tr>"
    )
    return (
        "<html><body style='font-size:11pt'>"
        '<table width="100%" cellspacing="0" cellpadding="6" style="border-collapse:collapse">'
        f"{head}{''.join(rows)}</table></body></html>"
    )


class ComparisonView(QWidget):
    """The two versions side by side, with a switch to show the unchanged paragraphs."""

    def __init__(self, versions: ConflictVersions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictComparison")
        self.versions = versions
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.summary = QLabel(summary(versions))
        self.summary.setObjectName("conflictSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: 600; padding: 2px 0;")
        layout.addWidget(self.summary)
        self.browser = QTextBrowser()
        self.browser.setObjectName("conflictDiff")
        self.browser.setOpenLinks(False)
        self.browser.setFrameShape(QFrame.Shape.StyledPanel)
        font = QFont()
        font.setFamilies(_FONT)
        self.browser.document().setDefaultFont(font)
        self.browser.document().setDocumentMargin(8)
        layout.addWidget(self.browser, 1)
        self.whole = QCheckBox("Show unchanged paragraphs")
        self.whole.setObjectName("conflictShowAll")
        self.whole.toggled.connect(self._show)
        layout.addWidget(self.whole)
        self._show(False)

    def _show(self, whole: bool) -> None:
        self.browser.setHtml(comparison_html(self.versions, whole=whole))

    def text(self) -> str:
        """The comparison as plain text (what the person reads), for tests and copying."""
        return self.browser.toPlainText()


class ConflictDialog(QMessageBox):
    """The stale-save question with the comparison under it.

    A `QMessageBox` for its one voice with the window's other questions (icon, text,
    buttons in the platform's order), but resizable and sized for two columns of text:
    a message box fixes its own size to its label, which would squeeze the comparison.
    """

    def __init__(
        self, parent: QWidget | None, versions: ConflictVersions, text: str, informative: str
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle("Article Changed Elsewhere")
        self.setTextFormat(Qt.TextFormat.PlainText)
        # The texts first: setting the informative text lays the box out anew.
        self.setText(text)
        self.setInformativeText(informative)
        self.setSizeGripEnabled(True)
        self.comparison = ComparisonView(versions, self)
        grid = self.layout()
        assert isinstance(grid, QGridLayout)
        buttons = self.findChild(QDialogButtonBox)
        columns = grid.columnCount()
        if buttons is not None and grid.indexOf(buttons) >= 0:
            row, _column, _rows, _columns = grid.getItemPosition(grid.indexOf(buttons))
            grid.removeWidget(buttons)
            # Under the texts, above the buttons.
            grid.addWidget(self.comparison, row, 0, 1, columns)
            grid.addWidget(buttons, row + 1, 0, 1, columns)
            grid.setRowStretch(row, 1)
        else:
            grid.addWidget(self.comparison, grid.rowCount(), 0, 1, columns)
            grid.setRowStretch(grid.rowCount() - 1, 1)

    def _fit(self) -> None:
        self.setMinimumSize(640, 420)
        self.setMaximumSize(16_777_215, 16_777_215)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is None:
            self.resize(1000, 640)
            return
        width = min(1080, screen.width() - 80)
        height = min(700, screen.height() - 60, self._height_for(width))
        self.resize(width, max(height, self.minimumHeight()))
        frame = self.frameGeometry()
        frame.moveCenter(screen.center())
        self.move(frame.topLeft())

    def _height_for(self, width: int) -> int:
        """The height that shows the whole comparison at `width` (no empty space under a
        short one): the box's own parts plus the comparison's text laid out that wide."""
        browser = self.comparison.browser
        document = browser.document().clone()
        margins = self.layout().contentsMargins()
        document.setTextWidth(width - margins.left() - margins.right() - 2 * browser.frameWidth())
        text = int(document.size().height()) + 2 * browser.frameWidth() + 2
        return self.sizeHint().height() - browser.sizeHint().height() + text

    def event(self, event: QEvent) -> bool:
        # A message box fixes its size on every layout request; this one keeps its own.
        if event.type() == QEvent.Type.LayoutRequest:
            return QWidget.event(self, event)
        return super().event(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit()


def ask_with_versions(
    parent: QWidget | None,
    versions: ConflictVersions,
    *,
    text: str,
    informative: str,
    buttons: Sequence[tuple[str, QMessageBox.ButtonRole, Answer]],
    default: Answer,
    escape: Answer,
) -> Answer:
    """The conflict dialog with one button per answer; closing it any other way: `escape`."""
    box = ConflictDialog(parent, versions, text, informative)
    added = [(box.addButton(label, role), answer) for label, role, answer in buttons]
    box.setDefaultButton(next(button for button, answer in added if answer == default))
    box.setEscapeButton(next(button for button, answer in added if answer == escape))
    box.exec()
    clicked = box.clickedButton()
    answer = next((answer for button, answer in added if button is clicked), escape)
    box.deleteLater()
    return answer
