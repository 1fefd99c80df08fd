"""The metadata inspector: headline, standfirst, slug, byline, section, tags, dateline, date.

It shows one article and reports a person's edits as `field_edited(name, value)`; it
never saves. Programmatic updates never echo back as edits. A value the store refused
is shown with its message beside the field until the person edits it again. The section
box offers the newsroom's managed sections (`set_sections`); a section that is not one of
them (an old article's) is kept, and a note under the box says so.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from editor.core.model import Article
from editor.core.settings_model import match_section
from editor.ui.import_export.notes_panel import ImportNotesPanel
from editor.ui.settings import SECTIONS
from editor.ui.status_style import status_badge_css

_ERROR_CSS = "color: #b91c1c;"
_HINT_CSS = "color: #6b7280;"


class MetadataInspector(QScrollArea):
    """Form over an article's metadata; `field_edited` carries a person's changes."""

    field_edited = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspector")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._loading = False
        self._slug_locked = False
        self._sections: list[str] = list(SECTIONS)

        self.headline = QLineEdit()
        self.headline.setObjectName("headlineField")
        self.headline.setPlaceholderText("Headline")
        self.standfirst = QPlainTextEdit()
        self.standfirst.setObjectName("standfirstField")
        self.standfirst.setPlaceholderText("One or two sentences under the headline")
        self.standfirst.setTabChangesFocus(True)
        self.standfirst.setFixedHeight(72)
        self.slug = QLineEdit()
        self.slug.setObjectName("slugField")
        self.slug.setPlaceholderText("follows the headline")
        self.slug_hint = QLabel()
        self.slug_hint.setObjectName("slugHint")
        self.slug_hint.setWordWrap(True)
        self.byline = QLineEdit()
        self.byline.setPlaceholderText("By …")
        self.section = QComboBox()
        self.section.setEditable(True)
        self.section.addItems(SECTIONS)
        self.section.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.section.setObjectName("sectionField")
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("comma, separated, tags")
        self.dateline = QLineEdit()
        self.dateline.setPlaceholderText("LONDON (Reuters) -")
        self.story_date = QLineEdit()
        self.story_date.setObjectName("storyDateField")
        self.story_date.setPlaceholderText("YYYY-MM-DD")
        self.story_date.setClearButtonEnabled(True)
        self.story_date.setToolTip("The date the story carries; leave empty for undated")
        self.length_target = QLineEdit()
        self.length_target.setObjectName("lengthTargetField")
        self.length_target.setPlaceholderText("words wanted, e.g. 600")
        self.length_target.setClearButtonEnabled(True)
        self.length_target.setToolTip("The planned length; the status bar shows the copy-fit")
        self.status = QLabel()
        self.status.setObjectName("statusBadge")
        self.word_count = QLabel()
        self.word_count.setObjectName("wordCount")

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(10)
        #: Editable fields by article field name, and the label under each for messages.
        self.fields: dict[str, QWidget] = {
            "headline": self.headline,
            "standfirst": self.standfirst,
            "slug": self.slug,
            "byline": self.byline,
            "section": self.section,
            "tags": self.tags,
            "dateline": self.dateline,
            "story_date": self.story_date,
            "length_target": self.length_target,
        }
        self._notes: dict[str, QLabel] = {"slug": self.slug_hint}
        form.addRow("Headline", self._with_note("headline", self.headline))
        form.addRow("Standfirst", self._with_note("standfirst", self.standfirst))
        form.addRow("Slug", self._with_note("slug", self.slug))
        form.addRow("Byline", self._with_note("byline", self.byline))
        form.addRow("Section", self._with_note("section", self.section))
        form.addRow("Tags", self._with_note("tags", self.tags))
        form.addRow("Dateline", self._with_note("dateline", self.dateline))
        form.addRow("Date", self._with_note("story_date", self.story_date))
        form.addRow("Length", self._with_note("length_target", self.length_target))
        form.addRow("Status", _left(self.status))
        form.addRow("Words", self.word_count)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(form)
        # What the importer moved out of the body (see editor.ui.import_export.notes_panel).
        self.import_notes = ImportNotesPanel()
        layout.addWidget(self.import_notes)
        layout.addStretch(1)
        self.setWidget(body)

        self.headline.textEdited.connect(lambda text: self._emit("headline", text))
        self.standfirst.textChanged.connect(
            lambda: self._emit("standfirst", self.standfirst.toPlainText())
        )
        self.slug.textEdited.connect(lambda text: self._emit("slug", text))
        self.byline.textEdited.connect(lambda text: self._emit("byline", text))
        self.section.lineEdit().textEdited.connect(lambda text: self._emit("section", text))
        self.section.activated.connect(lambda _i: self._emit("section", self.section.currentText()))
        self.tags.textEdited.connect(lambda text: self._emit("tags", text))
        self.dateline.textEdited.connect(lambda text: self._emit("dateline", text))
        self.story_date.textEdited.connect(lambda text: self._emit("story_date", text))
        self.length_target.textEdited.connect(lambda text: self._emit("length_target", text))
        self.show_article(None)

    def _with_note(self, name: str, field: QWidget) -> QWidget:
        """`field` with a label under it for the store's message (slug: its hint)."""
        note = self._notes.get(name)
        if note is None:
            note = QLabel()
            note.setObjectName(f"{name}Note")
            note.setWordWrap(True)
            note.setStyleSheet(_ERROR_CSS)
            note.hide()
            self._notes[name] = note
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(field)
        layout.addWidget(note)
        return box

    def _emit(self, name: str, value: object) -> None:
        if not self._loading:
            self.clear_field_error(name)
            if name == "section":
                self._show_section_hint()
            self.field_edited.emit(name, value)

    # -- sections ----------------------------------------------------------

    def set_sections(self, names: list[str]) -> None:
        """Offer the newsroom's managed sections, in menu order (the text shown stays)."""
        if list(names) == self._sections:
            return
        self._loading = True
        try:
            text = self.section.currentText()
            self._sections = list(names)
            self.section.clear()
            self.section.addItems(self._sections)
            self.section.setEditText(text)
        finally:
            self._loading = False
        self._show_section_hint()

    def sections(self) -> list[str]:
        """The sections offered."""
        return list(self._sections)

    def _show_section_hint(self) -> None:
        """Under the box: that the section is not one of the newsroom's, if it is not."""
        if self.field_error("section"):
            return
        note = self._notes["section"]
        text = self.section.currentText().strip()
        if text and match_section(text, self._sections) is None:
            note.setStyleSheet(_HINT_CSS)
            note.setText("Not one of the newsroom's sections: no menu entry on the site.")
            note.show()
        else:
            note.clear()
            note.hide()

    # -- showing ---------------------------------------------------------

    def show_article(self, article: Article | None) -> None:
        """Fill every field from `article` (None: an empty, disabled form)."""
        self._loading = True
        try:
            self.setEnabled(article is not None)
            current = article or Article(id="")
            self.headline.setText(current.headline)
            self.standfirst.setPlainText(current.standfirst)
            self.byline.setText(current.byline)
            self.section.setEditText(current.section)
            self.tags.setText(", ".join(current.tags))
            self.dateline.setText(current.dateline)
            self.story_date.setText(current.story_date.isoformat() if current.story_date else "")
            self.length_target.setText(str(current.length_target or ""))
            self.import_notes.show_article(article)
            for name in self.fields:
                self.clear_field_error(name)
            self._show_section_hint()
            self._show_derived(current)
            for field in (self.headline, self.slug, self.byline, self.tags, self.dateline):
                field.setCursorPosition(0)  # show the start of long values, not the end
        finally:
            self._loading = False

    def show_saved(self, article: Article, pending: set[str]) -> None:
        """After a save: show what the store derived, leaving fields still being edited alone."""
        self._loading = True
        try:
            # A refused value stays visible beside its message until the person fixes it.
            editing_slug = "slug" in pending or self.slug.hasFocus() or self.field_error("slug")
            if "story_date" not in pending and not self.field_error("story_date"):
                date = article.story_date.isoformat() if article.story_date else ""
                if date != self.story_date.text().strip():
                    self.story_date.setText(date)  # the store's spelling of the date
            if not editing_slug:
                self._show_derived(article)
                self.slug.setCursorPosition(0)
            else:
                self._show_status(article)
        finally:
            self._loading = False

    def _show_derived(self, article: Article) -> None:
        self.slug.setText(article.slug)
        self._slug_locked = article.slug_locked
        if not self.field_error("slug"):
            self._show_slug_hint()
        self._show_status(article)

    def _show_status(self, article: Article) -> None:
        self.status.setText(article.status.label)
        self.status.setStyleSheet(status_badge_css(article.status))
        self.set_word_count(article.word_count)

    def _show_slug_hint(self) -> None:
        self.slug_hint.setStyleSheet(_HINT_CSS)
        self.slug_hint.setText(
            "Set by hand; clear it to follow the headline again."
            if self._slug_locked
            else "Follows the headline until you edit it."
        )

    def set_word_count(self, count: int) -> None:
        self.word_count.setText(f"{count:,}")

    def show_field_error(self, name: str, message: str) -> None:
        """Show the store's refusal of `name`'s value beside the field."""
        note, field = self._notes.get(name), self.fields.get(name)
        if note is None or field is None:
            return
        note.setStyleSheet(_ERROR_CSS)
        note.setText(message)
        note.show()
        field.setProperty("invalid", True)
        field.setStyleSheet("border: 1px solid #b91c1c;")

    def clear_field_error(self, name: str) -> None:
        note, field = self._notes.get(name), self.fields.get(name)
        if note is None or field is None or not field.property("invalid"):
            return
        field.setProperty("invalid", False)
        field.setStyleSheet("")
        if name == "slug":
            self._show_slug_hint()
        elif name == "section":
            self._show_section_hint()
        else:
            note.clear()
            note.hide()

    def field_error(self, name: str) -> str:
        field = self.fields.get(name)
        if field is not None and field.property("invalid"):
            return self._notes[name].text()
        return ""

    def note(self, name: str) -> QLabel:
        """The label under field `name` that carries its hint or the store's message."""
        return self._notes[name]

    def set_read_only(self, read_only: bool, notice: str = "") -> None:
        """Lock the fields (an approved article, not this person's to edit) or unlock them.

        Text fields become read-only rather than disabled: a disabled field is drawn
        paler than placeholder text, and these values are still there to be read (and
        copied). The section box has no read-only state, so it is disabled and the
        style sheet (`theme`) keeps its text dark. `notice` says why, on hover.
        """
        for field in self.fields.values():
            if isinstance(field, (QLineEdit, QPlainTextEdit)):
                field.setReadOnly(read_only)
                field.setEnabled(True)
            else:
                field.setEnabled(not read_only)
            field.setProperty("locked", read_only)
            for widget in (field, *field.findChildren(QLineEdit)):
                widget.style().unpolish(widget)  # the [locked="true"] look follows the
                widget.style().polish(widget)  # property (the section box's line too)
            field.setToolTip(notice)
        self.import_notes.set_locked(read_only, notice)
        self.length_target.setClearButtonEnabled(not read_only)
        self.story_date.setClearButtonEnabled(not read_only)
        if not notice:
            # The fields' own hints, as set up in __init__, come back with editing.
            self.story_date.setToolTip("The date the story carries; leave empty for undated")
            self.length_target.setToolTip("The planned length; the status bar shows the copy-fit")

    def is_read_only(self) -> bool:
        return bool(self.headline.isReadOnly())

    def add_section(self, widget: QWidget, *, top: bool = False) -> None:
        """Add another panel's section to the column: above the form (`top`) or below it."""
        layout = self.widget().layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0 if top else layout.count() - 1, widget)  # before the stretch

    def set_field_value(self, name: str, value: object) -> None:
        """Show `value` in field `name` (e.g. on undo) without reporting it as an edit."""
        self._loading = True
        try:
            self.clear_field_error(name)
            text = str(value)
            if name == "standfirst":
                self.standfirst.setPlainText(text)
            elif name == "section":
                self.section.setEditText(text)
                self._show_section_hint()
            else:
                field = self.fields[name]
                assert isinstance(field, QLineEdit)
                field.setText(text)
        finally:
            self._loading = False


def _left(widget: QWidget) -> QWidget:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
    return holder
