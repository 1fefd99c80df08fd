"""Typed settings: preferences and window state, defaults in one place.

`QSettings` is created lazily, after QApplication's organisation and application names
are set, never at import time.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from PySide6.QtCore import QByteArray, QSettings

from editor.core.settings_model import DEFAULT_SECTIONS

ORGANISATION = "Newsroom"
APPLICATION = "Newsroom Editor"


@dataclass(frozen=True)
class Preferences:
    """Timings and sizes a newsroom may tune; the defaults are what ships."""

    autosave_delay_ms: int = 1500
    preview_delay_ms: int = 400
    search_delay_ms: int = 200
    list_page_size: int = 200
    body_font_point_size: int = 13
    body_max_width_px: int = 720
    default_window_width: int = 1440
    default_window_height: int = 900
    #: Smart typography as you type, and what "--" becomes ("em" or "en"): house style.
    smart_typography: bool = False
    dash_style: str = "em"
    #: Red squiggles under words the dictionaries do not know (View > Check Spelling).
    spell_check: bool = True
    #: The newsroom's YAML style file for the copy-desk checks; "" = the built-in house style.
    style_path: str = ""
    #: Shares of the width for list, editor and preview/inspector.
    splitter_shares: tuple[float, float, float] = (0.28, 0.42, 0.30)


#: The sections a new store starts with. The inspector offers the store's managed list
#: (`newsroom.settings.section_names()`); this is what it shows before it has one.
SECTIONS = DEFAULT_SECTIONS


#: What Edit > Preferences… changes, and where QSettings keeps it. The web export's site
#: name, address and templates are the store's (`newsroom.settings`); a copy stays under
#: "export/" for the Export Site dialog (`editor.ui.import_export.export_dialog`).
PREFERENCE_KEYS = {
    "smart_typography": "editing/smart_typography",
    "dash_style": "editing/dash_style",
    "spell_check": "editing/spell_check",
    "style_path": "checks/style_path",
}
DASH_STYLES = ("em", "en")


class PreferenceStore:
    """The preferences a person sets, kept in QSettings so they survive a restart."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings if settings is not None else QSettings()

    def load(self, base: Preferences) -> Preferences:
        """`base` with every preference the person has set; unset ones keep `base`'s."""
        types = {f.name: f.type for f in fields(Preferences)}
        changes: dict[str, object] = {}
        for name, key in PREFERENCE_KEYS.items():
            if not self._settings.contains(key):
                continue
            value = self._settings.value(key)
            if types[name] in (bool, "bool"):
                changes[name] = _as_bool(value, getattr(base, name))
            else:
                changes[name] = str(value or "")
        if changes.get("dash_style") not in (None, *DASH_STYLES):
            del changes["dash_style"]  # a hand-edited settings file: keep the house default
        return replace(base, **changes)

    def save(self, preferences: Preferences) -> None:
        for name in PREFERENCE_KEYS:
            self.set(name, getattr(preferences, name), sync=False)
        self._settings.sync()

    def set(self, name: str, value: object, *, sync: bool = True) -> None:
        self._settings.setValue(PREFERENCE_KEYS[name], value)
        if sync:
            self._settings.sync()


def _as_bool(value: object, default: bool) -> bool:
    """QSettings gives back "true"/"false" strings from an INI file, bools elsewhere."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    return default


class WindowState:
    """Geometry, splitter layout and the last open article, remembered between runs."""

    _GEOMETRY = "window/geometry"
    _STATE = "window/state"
    _SPLITTER = "window/splitter"
    _SIDE_TAB = "window/side_tab"
    _LAST_ARTICLE = "session/last_article_id"
    _USER = "session/user_name"

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings if settings is not None else QSettings()

    def geometry(self) -> QByteArray | None:
        return self._bytes(self._GEOMETRY)

    def window_state(self) -> QByteArray | None:
        return self._bytes(self._STATE)

    def splitter_state(self) -> QByteArray | None:
        return self._bytes(self._SPLITTER)

    def side_tab(self) -> int:
        value = self._settings.value(self._SIDE_TAB, 0)
        try:
            return int(value)
        except (TypeError, ValueError):
            return 0

    def last_article_id(self) -> str | None:
        value = self._settings.value(self._LAST_ARTICLE, "")
        return str(value) if value else None

    def user_name(self) -> str | None:
        """Who the person said they are, the last time a store asked."""
        value = self._settings.value(self._USER, "")
        return str(value) if value else None

    def remember_user(self, name: str) -> None:
        self._settings.setValue(self._USER, name)
        self._settings.sync()

    def save(
        self,
        *,
        geometry: QByteArray,
        window_state: QByteArray,
        splitter_state: QByteArray,
        side_tab: int,
        last_article_id: str | None,
    ) -> None:
        self._settings.setValue(self._GEOMETRY, geometry)
        self._settings.setValue(self._STATE, window_state)
        self._settings.setValue(self._SPLITTER, splitter_state)
        self._settings.setValue(self._SIDE_TAB, side_tab)
        self._settings.setValue(self._LAST_ARTICLE, last_article_id or "")
        self._settings.sync()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        return None
