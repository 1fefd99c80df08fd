"""Dismissed copy-desk findings, per article: (rule, fingerprint) pairs with a note."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from editor.core.checks.findings import Dismissal
from editor.core.errors import NotFoundError
from editor.store.database import Database
from editor.store.models import ArticleRow, DismissedFindingRow
from editor.store.rows import as_aware, utc_now


class DismissalRepository:
    """Dismissed copy-desk findings of each article."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def dismiss_finding(
        self, article_id: str, rule: str, fingerprint: str, user_id: str | None, note: str = ""
    ) -> Dismissal:
        """Remember the dismissal; dismissing again only updates the note."""
        for _attempt in range(2):
            try:
                with self._db.write() as session:
                    if session.get(ArticleRow, article_id) is None:
                        raise NotFoundError(f"No article with id {article_id}.")
                    row = session.scalar(_one(article_id, rule, fingerprint))
                    if row is None:
                        row = DismissedFindingRow(
                            id=str(uuid.uuid4()),
                            article_id=article_id,
                            rule=rule,
                            fingerprint=fingerprint,
                            user_id=user_id,
                            note=note,
                            created_at=utc_now(),
                        )
                        session.add(row)
                    else:
                        row.note, row.user_id = note, user_id
                    return _dismissal(row)
            except IntegrityError:
                continue  # dismissed at the same moment elsewhere: update that one instead
        raise NotFoundError(f"No article with id {article_id}.")

    def undismiss_finding(self, article_id: str, rule: str, fingerprint: str) -> bool:
        """False when the finding was not dismissed."""
        with self._db.write() as session:
            result = session.execute(
                delete(DismissedFindingRow).where(
                    DismissedFindingRow.article_id == article_id,
                    DismissedFindingRow.rule == rule,
                    DismissedFindingRow.fingerprint == fingerprint,
                )
            )
            return bool(result.rowcount)

    def dismissed_findings(self, article_id: str) -> list[Dismissal]:
        with self._db.read() as session:
            rows = session.scalars(
                select(DismissedFindingRow)
                .where(DismissedFindingRow.article_id == article_id)
                .order_by(DismissedFindingRow.created_at, DismissedFindingRow.id)
            )
            return [_dismissal(row) for row in rows]


def _one(article_id: str, rule: str, fingerprint: str):
    return select(DismissedFindingRow).where(
        DismissedFindingRow.article_id == article_id,
        DismissedFindingRow.rule == rule,
        DismissedFindingRow.fingerprint == fingerprint,
    )


def _dismissal(row: DismissedFindingRow) -> Dismissal:
    return Dismissal(row.rule, row.fingerprint, row.note or "", row.user_id,
                     as_aware(row.created_at))  # fmt: skip
