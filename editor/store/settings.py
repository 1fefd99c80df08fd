"""The newsroom's shared settings in the store: site settings and the managed sections.

`settings` holds a JSON value per key; `sections` the managed list (unique without regard
to case through `name_key`, ordered by `position`, `retired` ones kept for old articles).
Permissions are the service seam's (`editor.services.site_settings`); on PostgreSQL the
grants of migration 0005 hold the same rules for anyone with a SQL client.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    false,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from editor.core.errors import NotFoundError, ValidationError
from editor.core.settings_model import Section, section_key
from editor.store.database import Database
from editor.store.models import ArticleRow, Base
from editor.store.rows import utc_now


class SettingRow(Base):
    """One shared setting: a key and its JSON value, with who set it and when."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object | None] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class SectionRow(Base):
    """One section of the newsroom's managed list."""

    __tablename__ = "sections"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(240), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    retired: Mapped[bool] = mapped_column(Boolean, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)


def _section(row: SectionRow) -> Section:
    return Section(id=row.id, name=row.name, position=row.position, retired=bool(row.retired))


class SettingsRepository:
    """`store.settings`: read and write shared settings and the managed sections."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- key/value settings -------------------------------------------------

    def values(self) -> dict[str, object]:
        """Every setting that has been set, by key (unset keys have their defaults)."""
        with self._db.read() as session:
            return {row.key: row.value for row in session.scalars(select(SettingRow))}

    def set_values(self, values: dict[str, object], user_id: str | None) -> None:
        """Set each key to its value, all in one transaction."""
        now = utc_now()
        with self._db.write() as session:
            for key, value in values.items():
                row = session.get(SettingRow, key)
                if row is None:
                    session.add(
                        SettingRow(key=key, value=value, updated_at=now, updated_by=user_id)
                    )
                else:
                    row.value, row.updated_at, row.updated_by = value, now, user_id

    def changed(self, key: str) -> tuple[datetime, str | None] | None:
        """When `key` was last set and by whom (a user id), or None if it never was."""
        with self._db.read() as session:
            row = session.get(SettingRow, key)
            return None if row is None else (row.updated_at, row.updated_by)

    # -- sections -------------------------------------------------------------

    def sections(self, *, include_retired: bool = True) -> list[Section]:
        """The managed list in menu order."""
        statement = select(SectionRow).order_by(SectionRow.position, SectionRow.name_key)
        if not include_retired:
            statement = statement.where(SectionRow.retired.is_(False))
        with self._db.read() as session:
            return [_section(row) for row in session.scalars(statement)]

    def add_section(self, name: str, user_id: str | None) -> Section:
        """Add `name` at the end of the menu; a retired section of that name comes back."""
        key = section_key(name)
        try:
            with self._db.write() as session:
                row = session.scalar(select(SectionRow).where(SectionRow.name_key == key))
                last = session.scalar(select(func.max(SectionRow.position))) or 0
                if row is not None:
                    if not row.retired:
                        raise ValidationError(
                            f"The section '{row.name}' is already in the list.", field="section"
                        )
                    row.retired, row.name, row.position = False, name, last + 1
                else:
                    row = SectionRow(
                        id=str(uuid.uuid4()), name=name, name_key=key, position=last + 1
                    )
                    session.add(row)
                row.updated_at, row.updated_by = utc_now(), user_id
                session.flush()
                return _section(row)
        except IntegrityError:  # another desk added it at the same moment
            raise ValidationError(
                f"The section '{name}' is already in the list.", field="section"
            ) from None

    def rename_section(self, old: str, new: str, user_id: str | None) -> tuple[Section, int]:
        """Rename a section and, in the same transaction, every article filed under it
        (any case); returns the section and how many articles changed."""
        old_key, new_key = section_key(old), section_key(new)
        now = utc_now()
        try:
            with self._db.write() as session:
                row = session.scalar(select(SectionRow).where(SectionRow.name_key == old_key))
                if row is None:
                    raise NotFoundError(f"No section named '{old}' in the list.")
                if new_key != old_key and session.scalar(
                    select(SectionRow.id).where(SectionRow.name_key == new_key)
                ):
                    raise ValidationError(
                        f"The section '{new}' is already in the list.", field="section"
                    )
                row.name, row.name_key, row.updated_at, row.updated_by = new, new_key, now, user_id
                # Folded in Python: SQLite's lower() knows ASCII only.
                spellings = [
                    value
                    for value in session.scalars(select(ArticleRow.section).distinct())
                    if value is not None and section_key(value) == old_key and value != new
                ]
                moved = 0
                if spellings:
                    result = session.execute(
                        update(ArticleRow)
                        .where(ArticleRow.section.in_(spellings))
                        .values(section=new, version=ArticleRow.version + 1, updated_at=now)
                    )
                    moved = result.rowcount or 0
                session.flush()
                return _section(row), moved
        except IntegrityError:
            raise ValidationError(
                f"The section '{new}' is already in the list.", field="section"
            ) from None

    def set_retired(self, name: str, retired: bool, user_id: str | None) -> Section:
        with self._db.write() as session:
            row = session.scalar(select(SectionRow).where(SectionRow.name_key == section_key(name)))
            if row is None:
                raise NotFoundError(f"No section named '{name}' in the list.")
            row.retired, row.updated_at, row.updated_by = retired, utc_now(), user_id
            session.flush()
            return _section(row)

    def reorder_sections(self, names: list[str], user_id: str | None) -> list[Section]:
        """Put the named sections first, in that order; the others keep theirs after them."""
        keys = [section_key(n) for n in names]
        if len(set(keys)) != len(keys):
            raise ValidationError("A section is named twice in the new order.", field="section")
        now = utc_now()
        with self._db.write() as session:
            rows = list(session.scalars(select(SectionRow).order_by(SectionRow.position)))
            by_key = {row.name_key: row for row in rows}
            missing = [n for n, k in zip(names, keys, strict=True) if k not in by_key]
            if missing:
                raise NotFoundError(f"No section named '{missing[0]}' in the list.")
            ordered = [by_key[k] for k in keys] + [r for r in rows if r.name_key not in keys]
            for position, row in enumerate(ordered):
                if row.position != position:
                    row.position, row.updated_at, row.updated_by = position, now, user_id
            return [_section(row) for row in ordered]

    def article_counts(self) -> dict[str, int]:
        """How many live articles each distinct section value has (as written)."""
        with self._db.read() as session:
            rows = session.execute(
                select(ArticleRow.section, func.count())
                .where(ArticleRow.deleted_at.is_(None))
                .group_by(ArticleRow.section)
            )
            return {section or "": count for section, count in rows}
