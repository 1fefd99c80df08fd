"""Edit > Preferences… (Ctrl+,): what a person or a newsroom sets once and keeps.

Writing (smart typography, its dash), spell check, the house style file the copy-desk
checks use, and the web export's site name, address and templates. A person's own
preferences are kept in QSettings (`PreferenceStore` in editor.ui.settings), so they
survive a restart, and OK applies them at once to the open window. The Format menu's
typography switch and the View menu's spell check switch are the same preferences:
flipping them there is remembered too.

The web export's values are the newsroom's, kept in the store (`newsroom.settings`), so
the preview, `newsroom export` and every desk use the same ones: only an admin changes
them (for anyone else the fields are read-only, with a note saying so). A person's older
QSettings values are taken into a store that has none, once, when an admin opens it. A
copy stays in QSettings under the keys the Export Site dialog reads (`ExportPreferences`).
The inspector's section box gets the newsroom's managed sections from here too.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.checks import load_style, style_path_from
from editor.core.errors import NewsroomError
from editor.core.render import normalise_base_url
from editor.ui.import_export.export_dialog import ExportPreferences
from editor.ui.settings import DASH_STYLES, Preferences, PreferenceStore

_DASH_LABELS = {"em": "Em dash —", "en": "En dash –"}
_LOCKED = "The newsroom's site settings: only an admin changes them."
#: The export values this dialog shows, and their defaults as the Export Site dialog has them.
_EXPORT_DEFAULTS = {"site_name": "Newsroom", "base_url": "", "templates_dir": ""}


@dataclass(frozen=True)
class ExportValues:
    site_name: str = "Newsroom"
    base_url: str = ""
    templates_dir: str = ""


def validate(preferences: Preferences, export: ExportValues) -> tuple[str, str] | None:
    """(field, message) for the first value that cannot be used; None when all can."""
    if preferences.style_path:
        try:
            load_style(style_path_from(preferences.style_path))
        except NewsroomError as error:
            return "style_path", str(error)
    try:
        normalise_base_url(export.base_url)
    except NewsroomError as error:
        return "base_url", str(error)
    templates = export.templates_dir
    if templates and not Path(templates).expanduser().is_dir():
        return "templates_dir", f"The template folder {templates} does not exist."
    return None


class PreferencesDialog(QDialog):
    """The form; `values()` reads it back. Refuses OK (with a message) for a bad value."""

    def __init__(self, preferences: Preferences, export: ExportValues,
                 parent: QWidget | None = None, *, site_locked: str = "") -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setObjectName("preferencesDialog")
        self._base = preferences

        self.smart_typography = QCheckBox("Smart typography as you type")
        self.smart_typography.setToolTip("Curly quotes, dashes and ellipses; never inside code")
        self.smart_typography.setChecked(preferences.smart_typography)
        self.dash_style = QComboBox()
        for style in DASH_STYLES:
            self.dash_style.addItem(_DASH_LABELS[style], style)
        self.dash_style.setCurrentIndex(max(0, self.dash_style.findData(preferences.dash_style)))
        self.dash_style.setToolTip("What two hyphens become (Format > Apply Smart Typography too)")
        self.spell_check = QCheckBox("Check spelling as you type")
        self.spell_check.setChecked(preferences.spell_check)
        self.style_path = QLineEdit(preferences.style_path)
        self.style_path.setPlaceholderText("Built-in house style")
        self.style_path.setToolTip("A YAML style file; empty for the built-in house style")
        self.site_name = QLineEdit(export.site_name)
        self.base_url = QLineEdit(export.base_url)
        self.base_url.setPlaceholderText("https://news.example.org/")
        self.templates_dir = QLineEdit(export.templates_dir)
        self.templates_dir.setPlaceholderText("Default templates")

        writing = QGroupBox("Writing")
        form = QFormLayout(writing)
        form.addRow(self.smart_typography)
        form.addRow("&Dashes:", self.dash_style)
        form.addRow(self.spell_check)
        checks = QGroupBox("Copy desk")
        form = QFormLayout(checks)
        form.addRow("House &style:", self._with_browse(self.style_path, self._browse_style))
        web = QGroupBox("Web export (the newsroom's, for every desk)")
        form = QFormLayout(web)
        form.addRow("Site &name:", self.site_name)
        form.addRow("Site &address:", self.base_url)
        templates_row = self._with_browse(self.templates_dir, self._browse_templates)
        form.addRow("&Templates:", templates_row)
        #: Why the web export's fields are read-only ("" when this person may change them).
        self.site_note = QLabel(site_locked)
        self.site_note.setObjectName("siteSettingsNote")
        self.site_note.setWordWrap(True)
        self.site_note.setStyleSheet("color: #6b7280")
        self.site_note.setVisible(bool(site_locked))
        form.addRow(self.site_note)
        if site_locked:
            for edit in (self.site_name, self.base_url, self.templates_dir):
                edit.setReadOnly(True)
                edit.setToolTip(site_locked)
            for button in templates_row.findChildren(QPushButton):
                button.setEnabled(False)

        self.error = QLabel()
        self.error.setObjectName("preferencesError")
        self.error.setStyleSheet("color: #b1221a")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (writing, checks, web, self.error, buttons):
            layout.addWidget(widget)
        self.smart_typography.toggled.connect(self.dash_style.setEnabled)
        self.dash_style.setEnabled(preferences.smart_typography)
        self.resize(560, self.sizeHint().height())

    def _with_browse(self, edit: QLineEdit, browse) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        button = QPushButton("Browse…", row)
        button.clicked.connect(browse)
        layout.addWidget(button)
        return row

    def _browse_style(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Choose a House Style", self.style_path.text(), "YAML style (*.yml *.yaml)"
        )
        if path:
            self.style_path.setText(path)

    def _browse_templates(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Choose a Template Folder", self.templates_dir.text()
        )
        if folder:
            self.templates_dir.setText(folder)

    def values(self) -> tuple[Preferences, ExportValues]:
        preferences = replace(
            self._base,
            smart_typography=self.smart_typography.isChecked(),
            dash_style=str(self.dash_style.currentData() or "em"),
            spell_check=self.spell_check.isChecked(),
            style_path=self.style_path.text().strip(),
        )
        export = ExportValues(
            site_name=self.site_name.text().strip() or "Newsroom",
            base_url=self.base_url.text().strip(),
            templates_dir=self.templates_dir.text().strip(),
        )
        return preferences, export

    def _accept(self) -> None:
        problem = validate(*self.values())
        if problem is not None:
            field, message = problem
            self.error.setText(message)
            self.error.show()
            getattr(self, field).setFocus()
            return
        self.accept()


class PreferencesController(QObject):
    """Loads, applies and remembers the preferences of one main window."""

    def __init__(self, window, store: PreferenceStore | None = None,
                 export: ExportPreferences | None = None) -> None:  # fmt: skip
        super().__init__(window)
        self._window = window
        self.store = store or PreferenceStore()
        #: The QSettings copy of the site settings that the Export Site dialog reads.
        self.export = export or ExportPreferences()
        self._site = self._own_values()
        actions = window.actions
        actions["edit_preferences"].triggered.connect(self.open_dialog)
        # The menu switches are the same preferences: remember them when flipped there.
        actions["format_smart_typography"].toggled.connect(self._typography_toggled)
        actions["view_spell_check"].toggled.connect(self._spell_check_toggled)
        # A style file (the preference or $NEWSROOM_STYLE) is read now, so a mistake in it
        # is said at once; the built-in house style is not: reading it here (~35 ms of YAML
        # before the first paint) would only check a file that ships checked, and the
        # checks read it when they first run.
        if style_path_from(window.preferences.style_path) is not None:
            self._use_style(window.preferences.style_path, at_start=True)
        # The store's settings once it is open (it may open after the first paint).
        window.when_store_open(self._use_store_settings)

    def _use_store_settings(self) -> None:
        self._take_over_own_settings()
        self.use_sections()
        self._use_site(self.export_values())

    def export_values(self) -> ExportValues:
        """The newsroom's site settings (the store's), as the dialog shows them; while the
        store cannot be read (busy, say), the copy in QSettings."""
        try:
            site = self._window.newsroom.settings.site()
        except NewsroomError:
            return self._own_values()
        return ExportValues(site.site_name, site.base_url, site.templates_dir)

    def site_locked(self) -> str:
        """Why this person may not change the site settings ("" when they may)."""
        newsroom = self._window.newsroom
        return "" if newsroom.has_user and newsroom.settings.may_change_site else _LOCKED

    def _own_values(self) -> ExportValues:
        return ExportValues(
            **{name: self.export.get(name, d) for name, d in _EXPORT_DEFAULTS.items()}
        )

    def _take_over_own_settings(self) -> None:
        """A store without site settings takes this person's QSettings ones, once, when an
        admin opens it (each value checked; one that cannot be used is left out). Then the
        QSettings copy follows the store's, for the Export Site dialog."""
        newsroom = self._window.newsroom
        settings = newsroom.settings
        try:
            if newsroom.has_user and settings.may_change_site and not settings.site_is_set():
                own = self._own_values()
                values = {
                    name: getattr(own, name)
                    for name, default in _EXPORT_DEFAULTS.items()
                    if getattr(own, name) != default
                }
                for name, value in values.items():
                    # One at a time: a value that cannot be used does not keep the others out.
                    with contextlib.suppress(NewsroomError):
                        settings.set_site(check_templates=False, **{name: value})
            if settings.site_is_set():
                self._mirror(self.export_values())
        except NewsroomError as error:  # a store that cannot be read now: say so, go on
            self._window.status.showMessage(f"Site settings: {error}", 10000)

    def _mirror(self, export: ExportValues) -> None:
        for name in _EXPORT_DEFAULTS:
            if self.export.get(name, _EXPORT_DEFAULTS[name]) != getattr(export, name):
                self.export.set(name, getattr(export, name))

    def use_sections(self) -> None:
        """The inspector offers the newsroom's managed sections (read again each call)."""
        inspector = getattr(self._window, "inspector", None)
        if inspector is None:
            return
        try:
            inspector.set_sections(self._window.newsroom.settings.section_names())
        except NewsroomError as error:
            self._window.status.showMessage(f"Sections: {error}", 10000)

    def open_dialog(self) -> bool:
        """Show the dialog; True when the person pressed OK (and it was applied)."""
        dialog = PreferencesDialog(
            self._window.preferences,
            self.export_values(),
            self._window,
            site_locked=self.site_locked(),
        )
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            self.apply(*dialog.values())
            return True
        finally:
            dialog.deleteLater()

    def apply(self, preferences: Preferences, export: ExportValues) -> None:
        """Take effect in the open window at once, and keep for the next start."""
        window = self._window
        style_changed = preferences.style_path != window.preferences.style_path
        style_refused = style_changed and not self._use_style(preferences.style_path)
        if style_refused:
            preferences = replace(preferences, style_path=window.preferences.style_path)
        window.preferences = preferences
        window.typography.dash_style = preferences.dash_style
        window.typography.set_enabled(preferences.smart_typography)
        window.actions["format_smart_typography"].setChecked(preferences.smart_typography)
        window.actions["view_spell_check"].setChecked(preferences.spell_check)
        window.spelling.set_enabled(preferences.spell_check)
        self.store.save(preferences)
        site_refused = self._save_site(export)
        self.sync_site()
        self.use_sections()
        if style_changed:
            window.checks.schedule()
        if not style_refused and not site_refused:  # else the status bar says what is wrong
            window.status.showMessage("Preferences saved.", 5000)

    def _save_site(self, export: ExportValues) -> bool:
        """Put changed site settings in the store (admins); True when they were refused
        (the status bar says why, the store's stay in force)."""
        current = self.export_values()
        if export == current:
            self._mirror(current)
            return False
        try:
            changed = {
                name: getattr(export, name)
                for name in _EXPORT_DEFAULTS
                if getattr(export, name) != getattr(current, name)
            }
            self._window.newsroom.settings.set_site(**changed)
        except NewsroomError as error:
            self._window.status.showMessage(f"Site settings not changed: {error}", 10000)
            return True
        self._mirror(self.export_values())
        return False

    def _use_site(self, export: ExportValues) -> None:
        """The preview renders with the export's templates and site: what the web gets."""
        self._site = export
        preview = getattr(self._window, "preview", None)
        if preview is not None:
            preview.set_site(export.templates_dir or None, export.site_name, export.base_url)

    def sync_site(self) -> None:
        """Re-render the preview if the site settings changed (here, in Export Site…, or
        on another desk). Values the Export Site dialog left in its QSettings copy are
        the newsroom's when an admin set them there; anyone else's are put back."""
        own = self._own_values()
        current = self.export_values()
        if own != current and self.site_locked() == "":
            changed = {
                name: getattr(own, name)
                for name in _EXPORT_DEFAULTS
                if getattr(own, name) != getattr(current, name)
            }
            try:
                self._window.newsroom.settings.set_site(**changed)
            except NewsroomError as error:
                self._window.status.showMessage(f"Site settings not changed: {error}", 10000)
            current = self.export_values()
        if self._window.newsroom.settings.site_is_set():
            self._mirror(current)
        if current != self._site:
            self._use_site(current)

    def _use_style(self, path: str, *, at_start: bool = False) -> bool:
        """Make the checks use the style at `path` ("" = house); False (said) if it fails."""
        try:
            self._window.newsroom.set_style_path(path or None)
        except NewsroomError as error:
            self._window.status.showMessage(
                f"{error} The checks use the built-in house style." if at_start else str(error),
                10000,
            )
            return False
        return True

    def _typography_toggled(self, on: bool) -> None:
        self._remember("smart_typography", on)

    def _spell_check_toggled(self, on: bool) -> None:
        self._remember("spell_check", on)

    def _remember(self, name: str, value: object) -> None:
        window = self._window
        if getattr(window.preferences, name) != value:
            window.preferences = replace(window.preferences, **{name: value})
            self.store.set(name, value)


def install_preferences(window) -> PreferencesController:
    """Edit > Preferences… for `window`; the style file in force from the start."""
    return PreferencesController(window)
