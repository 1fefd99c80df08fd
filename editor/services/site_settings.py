"""`newsroom.settings`: the newsroom's shared site settings and its managed sections.

The site's name, address (`base_url`) and template folder are the store's, so the CLI,
the preview and every desk export the same site; only an admin changes them (who and when
is kept with each value). Sections are the newsroom's managed list: the inspector offers
them, the site's menu and section folders come from them, an import maps an incoming
section onto one of them. Editors and admins add, rename, retire and reorder them;
renaming one renames it on its articles in the same transaction.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from editor.core.errors import NewsroomError, PermissionDeniedError, ValidationError
from editor.core.model import Role
from editor.core.settings_model import (
    DEFAULT_SITE_NAME,
    SITE_KEYS,
    Section,
    SiteSettings,
    clean_section_name,
    match_section,
)

if TYPE_CHECKING:  # for type checkers only
    from editor.services.seat import Seat

_DESK = (Role.EDITOR, Role.ADMIN)
_MAX_SITE_NAME = 200


class SettingsService:
    """The shared settings, over the seat's store and acting user."""

    def __init__(self, seat: Seat) -> None:
        self._seat = seat

    # -- the site ---------------------------------------------------------------

    def site(self) -> SiteSettings:
        """The site settings in force (defaults for what nobody has set)."""
        values = self._seat.store.settings.values()
        name = values.get("site_name")
        base_url = values.get("base_url")
        templates = values.get("templates_dir")
        try:
            base = _normalised(base_url) if isinstance(base_url, str) else ""
        except NewsroomError:  # written by hand in the database: no address rather than a bad one
            base = ""
        return SiteSettings(
            site_name=name if isinstance(name, str) and name.strip() else DEFAULT_SITE_NAME,
            base_url=base,
            templates_dir=templates if isinstance(templates, str) else "",
        )

    def site_is_set(self) -> bool:
        """Whether anyone has set any site setting in this store."""
        return any(key in SITE_KEYS for key in self._seat.store.settings.values())

    @property
    def may_change_site(self) -> bool:
        """Whether the acting user may change the site settings (admins)."""
        return self._seat.user.role == Role.ADMIN

    @property
    def may_manage_sections(self) -> bool:
        """Whether the acting user may change the list of sections (editors and admins)."""
        return self._seat.user.role in _DESK

    def set_site(self, *, check_templates: bool = True, **values: str) -> SiteSettings:
        """Change site settings (admins only), all in one transaction; each value checked
        first (a bad one changes nothing). Returns the settings now in force.

        The template folder must exist on this machine unless `check_templates` is False
        (taking over what a person's own settings held: the preview then says what is
        wrong with it)."""
        unknown = [key for key in values if key not in SITE_KEYS]
        if unknown:
            raise ValidationError(
                f"'{unknown[0]}' is not a site setting: use one of {', '.join(SITE_KEYS)}.",
                field=unknown[0],
            )
        if not self.may_change_site:
            raise PermissionDeniedError(
                "Only an admin can change the site settings.", action="site_settings"
            )
        cleaned = {key: _clean(key, value, check_templates) for key, value in values.items()}
        self._seat.store.settings.set_values(cleaned, self._seat.user.id)
        return self.site()

    def set(self, key: str, value: str) -> SiteSettings:
        """One site setting (`newsroom site set KEY VALUE`)."""
        return self.set_site(**{key: value})

    # -- sections ---------------------------------------------------------------

    def sections(self, *, include_retired: bool = False) -> list[Section]:
        """The managed sections in menu order (retired ones too, if asked)."""
        return self._seat.store.settings.sections(include_retired=include_retired)

    def section_names(self) -> list[str]:
        """The sections offered today, in menu order."""
        return [s.name for s in self.sections()]

    def managed_section(self, name: str) -> str | None:
        """The managed section (retired ones too) that `name` means regardless of case."""
        return match_section(name, self.sections(include_retired=True))

    def article_counts(self) -> dict[str, int]:
        """Live articles per section value as written on them."""
        return self._seat.store.settings.article_counts()

    def add_section(self, name: str) -> Section:
        self._check_desk()
        return self._seat.store.settings.add_section(clean_section_name(name), self._seat.user.id)

    def rename_section(self, old: str, new: str) -> tuple[Section, int]:
        """Rename `old` to `new`, and every article filed under `old` (any case) with it;
        returns the section and how many articles changed."""
        self._check_desk()
        try:
            return self._seat.store.settings.rename_section(
                str(old), clean_section_name(new), self._seat.user.id
            )
        except PermissionDeniedError as error:  # the shared desk refused one of the articles
            raise PermissionDeniedError(
                f"Renaming the section renames it on its articles, and one of them may not "
                f"be changed ({error}). Nothing was renamed.",
                action="sections",
            ) from None

    def retire_section(self, name: str) -> Section:
        """Offer the section no more (its articles keep it; the menu drops it)."""
        self._check_desk()
        return self._seat.store.settings.set_retired(str(name), True, self._seat.user.id)

    def restore_section(self, name: str) -> Section:
        self._check_desk()
        return self._seat.store.settings.set_retired(str(name), False, self._seat.user.id)

    def reorder_sections(self, names: list[str]) -> list[Section]:
        """The named sections first, in that order (the menu's order)."""
        self._check_desk()
        return self._seat.store.settings.reorder_sections(
            [str(n) for n in names], self._seat.user.id
        )

    def _check_desk(self) -> None:
        if not self.may_manage_sections:
            raise PermissionDeniedError(
                "Only an editor or an admin can change the list of sections.", action="sections"
            )


def _clean(key: str, value: object, check_templates: bool = True) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"The {key} must be text.", field=key)
    text = value.strip()
    if key == "base_url":
        try:
            return _normalised(text)
        except NewsroomError as error:
            raise ValidationError(str(error), field=key) from None
    if key == "templates_dir":
        if text and check_templates and not Path(text).expanduser().is_dir():
            raise ValidationError(f"The template folder {text} does not exist.", field=key)
        return text
    # site_name
    name = " ".join(text.split())
    if not name:
        raise ValidationError("The site needs a name.", field=key)
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise ValidationError("The site name has control or invisible characters.", field=key)
    if len(name) > _MAX_SITE_NAME:
        raise ValidationError(
            f"A site name has at most {_MAX_SITE_NAME} characters ({len(name)} given).",
            field=key,
        )
    return name


def _normalised(base_url: str) -> str:
    from editor.core.render import normalise_base_url  # Markdown and Jinja only when needed

    return normalise_base_url(base_url)
