"""Edit > Preferences…: applied at once to the open window, kept in QSettings for the next."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from editor.core.checks import style_path_from
from editor.ui.import_export.export_dialog import ExportPreferences, ExportSiteDialog
from editor.ui.preferences_dialog import ExportValues, PreferencesDialog
from editor.ui.settings import PREFERENCE_KEYS
from tests.ui.conftest import FAST

STYLE = """\
extends: house
rules:
  no-gobbledygook:
    kind: existence
    level: error
    message: "Avoid “{match}”."
    tokens: [gobbledygook]
"""
_EXPORT_KEYS = ("export/base_url", "export/site_name", "export/templates_dir")


@pytest.fixture(autouse=True)
def _clean_preferences(app):
    """The settings file is shared by the whole session: leave it as other tests expect."""

    def clear() -> None:
        settings = QSettings()
        for key in (*PREFERENCE_KEYS.values(), *_EXPORT_KEYS):
            settings.remove(key)
        settings.sync()

    clear()
    yield
    clear()


def run_dialog(window, edit) -> bool:
    """Open Edit > Preferences…, let `edit(dialog)` fill it, press OK."""

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PreferencesDialog)
        edit(dialog)
        dialog._accept()
        if dialog.isVisible():  # refused: say why in the test, then close it
            run_dialog.refused = dialog.error.text()
            dialog.reject()

    run_dialog.refused = None
    QTimer.singleShot(0, fill)
    return window.preferences_controller.open_dialog()


def test_preferences_action_is_in_the_edit_menu(make_window):
    window = make_window()
    action = window.actions["edit_preferences"]
    assert action.shortcut() == QKeySequence("Ctrl+,")
    edit_menu = window.menuBar().actions()[1].menu()
    assert action in edit_menu.actions()


def test_changes_apply_at_once_and_survive_a_new_window(make_window, newsroom, qtbot, tmp_path):
    style = tmp_path / "ours.yml"
    style.write_text(STYLE, encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    window = make_window()
    assert not window.actions["format_smart_typography"].isChecked()
    assert window.actions["view_spell_check"].isChecked()

    def edit(dialog: PreferencesDialog) -> None:
        dialog.resize(560, dialog.sizeHint().height())
        dialog.smart_typography.setChecked(True)
        dialog.dash_style.setCurrentIndex(dialog.dash_style.findData("en"))
        dialog.spell_check.setChecked(False)
        dialog.style_path.setText(str(style))
        dialog.site_name.setText("The Westside Courier")
        dialog.base_url.setText("https://courier.example.org/")
        dialog.templates_dir.setText(str(templates))

    assert run_dialog(window, edit), run_dialog.refused
    # At once, in the open window.
    assert window.actions["format_smart_typography"].isChecked()
    assert window.typography.enabled and window.typography.dash_style == "en"
    assert not window.actions["view_spell_check"].isChecked()
    assert not window.spelling.highlighter.enabled
    assert style_path_from(newsroom.style_path) == style
    article = newsroom.create_article("H", "Pure gobbledygook here.", standfirst="S.")
    assert any(f.rule == "no-gobbledygook" for f in newsroom.check_article(article))
    assert "Preferences saved" in window.status.currentMessage()
    # The Export Site dialog reads the same settings (no second copy of them).
    export = ExportSiteDialog(ExportPreferences())
    assert export.site_name.text() == "The Westside Courier"
    assert export.base_url.text() == "https://courier.example.org/"
    assert export.templates_dir.text() == str(templates)
    export.deleteLater()
    window.close()

    # A new window over the same QSettings: everything kept and applied.
    newsroom.set_style_path(None)
    again = make_window(FAST)
    assert again.preferences.smart_typography and again.preferences.dash_style == "en"
    assert again.actions["format_smart_typography"].isChecked()
    assert again.typography.enabled and again.typography.dash_style == "en"
    assert not again.actions["view_spell_check"].isChecked()
    assert not again.spelling.highlighter.enabled
    assert style_path_from(newsroom.style_path) == style
    shown = again.preferences_controller.export_values()
    assert shown == ExportValues("The Westside Courier", "https://courier.example.org/",
                                 str(templates))  # fmt: skip


def test_typing_uses_the_dash_chosen(make_window, newsroom, qtbot):
    window = make_window()

    def edit(dialog: PreferencesDialog) -> None:
        dialog.smart_typography.setChecked(True)
        dialog.dash_style.setCurrentIndex(dialog.dash_style.findData("en"))

    assert run_dialog(window, edit)
    article = newsroom.create_article("Dash", "")
    window.open_article(article.id)
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, "north -- south")
    assert window.editor.toPlainText() == "north – south"


def test_menu_switches_are_remembered(make_window):
    window = make_window()
    window.actions["view_spell_check"].setChecked(False)
    window.actions["format_smart_typography"].setChecked(True)
    window.close()
    again = make_window()
    assert not again.actions["view_spell_check"].isChecked()
    assert again.actions["format_smart_typography"].isChecked()
    assert again.preferences.spell_check is False


def test_bad_values_are_refused_with_a_message_and_nothing_changes(make_window, newsroom, tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("rules: [this is: not: yaml", encoding="utf-8")
    window = make_window()
    assert not run_dialog(window, lambda d: d.style_path.setText(str(broken)))
    assert "broken.yml" in run_dialog.refused
    assert not run_dialog(window, lambda d: d.base_url.setText("courier dot org"))
    assert "site address" in run_dialog.refused
    missing = tmp_path / "nowhere"
    assert not run_dialog(window, lambda d: d.templates_dir.setText(str(missing)))
    assert "does not exist" in run_dialog.refused
    assert newsroom.style_path is None
    assert not QSettings().contains(PREFERENCE_KEYS["style_path"])
    assert window.preferences.style_path == ""


def test_a_style_file_gone_since_last_run_falls_back_to_the_house_style(
    make_window, newsroom, tmp_path
):
    settings = QSettings()
    settings.setValue(PREFERENCE_KEYS["style_path"], str(tmp_path / "gone.yml"))
    settings.sync()
    window = make_window()
    assert newsroom.style_path is None
    assert "house style" in window.status.currentMessage()
    article = newsroom.create_article("H", "He saw the the car.", standfirst="S.")
    assert newsroom.check_article(article)  # the checks still run


# -- the site settings are the newsroom's (the store's), not one person's -----------------


def test_the_site_settings_are_kept_in_the_store(make_window, newsroom, tmp_path):
    window = make_window()

    def edit(dialog: PreferencesDialog) -> None:
        assert dialog.site_name.isReadOnly() is False and not dialog.site_note.isVisible()
        dialog.site_name.setText("The Westside Courier")
        dialog.base_url.setText("https://courier.example.org")

    assert run_dialog(window, edit), run_dialog.refused
    site = newsroom.settings.site()
    assert (site.site_name, site.base_url) == ("The Westside Courier",
                                               "https://courier.example.org/")  # fmt: skip
    _, who = newsroom.store.settings.changed("site_name")
    assert who == newsroom.user.id
    # The Export Site dialog, which reads QSettings, gets the same (normalised) values.
    export = ExportSiteDialog(ExportPreferences())
    assert export.base_url.text() == "https://courier.example.org/"
    export.deleteLater()


def test_someone_not_an_admin_sees_the_site_settings_read_only(make_window, newsroom):
    from editor.core.model import Role

    newsroom.settings.set_site(site_name="The Desk Times")
    newsroom.add_user("Ed Editor", Role.EDITOR)
    newsroom.switch_user("Ed Editor")
    window = make_window()
    seen = {}

    def edit(dialog: PreferencesDialog) -> None:
        seen["note"] = dialog.site_note.text() if dialog.site_note.isVisibleTo(dialog) else ""
        seen["read_only"] = dialog.site_name.isReadOnly() and dialog.base_url.isReadOnly()
        seen["name"] = dialog.site_name.text()
        dialog.site_name.setText("Mine")  # typed anyway (read-only in the GUI)
        dialog.spell_check.setChecked(False)

    run_dialog(window, edit)
    assert seen == {"note": "The newsroom's site settings: only an admin changes them.",
                    "read_only": True, "name": "The Desk Times"}  # fmt: skip
    assert newsroom.settings.site().site_name == "The Desk Times"
    assert "only an admin" in window.status.currentMessage().lower()
    assert not window.preferences.spell_check  # their own preferences still apply


def test_a_persons_own_settings_are_taken_into_a_store_without_any(make_window, newsroom, tmp_path):
    settings = QSettings()
    settings.setValue("export/site_name", "Harbour Gazette")
    settings.setValue("export/base_url", "not an address")  # cannot be used: left out
    settings.setValue("export/templates_dir", str(tmp_path / "elsewhere"))  # kept as it was
    settings.sync()
    window = make_window()
    site = newsroom.settings.site()
    assert site.site_name == "Harbour Gazette" and site.base_url == ""
    assert site.templates_dir == str(tmp_path / "elsewhere")
    assert window.preferences_controller.export_values().site_name == "Harbour Gazette"
    window.close()
    # Once: a store that has settings keeps them, whatever a person's QSettings say.
    newsroom.settings.set("site_name", "The Newsroom's Own")
    settings.setValue("export/site_name", "Someone Else's")
    settings.sync()
    make_window()
    assert newsroom.settings.site().site_name == "The Newsroom's Own"
    assert QSettings().value("export/site_name") == "The Newsroom's Own"


def test_the_inspector_offers_the_managed_sections(make_window, newsroom, qtbot):
    newsroom.settings.add_section("Health")
    newsroom.settings.retire_section("Opinion")
    newsroom.create_article("Old story", "Text.", section="Letters page")
    window = make_window()
    inspector = window.inspector
    offered = [inspector.section.itemText(i) for i in range(inspector.section.count())]
    assert offered == newsroom.settings.section_names()
    assert "Health" in offered and "Opinion" not in offered
    window.open_article(newsroom.list_articles()[0].id)
    qtbot.waitUntil(lambda: inspector.section.currentText() == "Letters page", timeout=5000)
    note = inspector.note("section")
    assert note.isVisibleTo(inspector) and "Not one of the newsroom's sections" in note.text()
    inspector.section.setEditText("health")  # a managed one, any case: no note
    inspector.section.lineEdit().textEdited.emit("health")
    assert not note.isVisibleTo(inspector)


def test_a_store_that_cannot_be_read_now_leaves_the_copy_in_force(make_window, newsroom,
                                                                 monkeypatch):  # fmt: skip
    from editor.core.errors import StoreBusyError

    newsroom.settings.set("site_name", "The Desk Times")
    window = make_window()
    assert QSettings().value("export/site_name") == "The Desk Times"

    def busy():
        raise StoreBusyError("The store is locked by another program.")

    monkeypatch.setattr(newsroom.settings, "site", busy)
    assert window.preferences_controller.export_values().site_name == "The Desk Times"
