"""Workflow persistence: status transitions, with their event and revision, in one transaction.

The rules live in `editor.services.workflow`; these methods only write what was decided, and
refuse (compare-and-swap on `version`) when the article changed since it was read.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.exc import IntegrityError

from editor.core.errors import NotFoundError, ValidationError
from editor.core.lineage import since_approval, writers
from editor.core.model import Article, Desk, Revision, Status
from editor.store.database import Database
from editor.store.models import ArticleRow, EventRow, RevisionRow, UserRow
from editor.store.rows import (
    append_revision,
    article_row_fields,
    as_naive,
    new_revision_row,
    read_article,
    revision_from_row,
    stale_write_error,
    utc_now,
)

if TYPE_CHECKING:
    from editor.core.model import User

#: Revision reasons of transitions that keep the text as it was (the "last writer" skips them).
_NO_TEXT_REASONS = frozenset({"submit", "return", "approve", "publish", "spike", "reopen"})


def _text_meta(meta: dict | None) -> dict:
    """A revision's metadata without its status, which every transition changes."""
    return {k: v for k, v in (meta or {}).items() if k != "status"}


def desk_filters(desk: str, user_id: str | None) -> list[ColumnElement[bool]]:
    """The conditions of a desk view (`Desk`) for the user `user_id`."""
    try:
        desk = Desk(desk)
    except ValueError:
        names = ", ".join(d.value for d in Desk)
        raise ValidationError(f"Unknown desk view '{desk}': use one of {names}.") from None
    status = ArticleRow.status
    mine = ArticleRow.created_by == user_id
    return {
        Desk.MY_DRAFTS: [status == Status.DRAFT.value, mine],
        Desk.WAITING: [status == Status.SUBMITTED.value],
        Desk.RETURNED_TO_ME: [status == Status.CHANGES_REQUESTED.value, mine],
        Desk.APPROVED: [status == Status.APPROVED.value],
        Desk.PUBLISHED: [status.in_([Status.PUBLISHED.value, Status.CORRECTED.value])],
        Desk.SPIKED: [status == Status.SPIKED.value],
    }[desk]


class WorkflowRepository:
    """Transitions and flags (compare-and-swap on the version), and the history they read."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- history ----------------------------------------------------------

    def text_writers(self, article_id: str) -> list[str | None]:
        """Ids of everyone who wrote the article's text since its last approval, newest first.

        Walks every parent (a sync's merge has two) from the head back to the last
        "approve" revisions (`editor.core.lineage`). A pure workflow revision (a transition
        whose body and metadata equal its parent's) is skipped: moving an article writes
        none of its text. Any other revision counts, whatever its reason (save, restore,
        merge, correct...). An author appears once, at their newest revision; None stands
        for an unknown one. Bodies are read only for the transitions on the path and their
        parents: the workflow strip asks after every save, and a long article has many.
        """
        with self._db.read() as session:
            head = session.scalar(
                select(ArticleRow.head_revision_id).where(ArticleRow.id == article_id)
            )
            rows = session.execute(
                select(
                    RevisionRow.id,
                    RevisionRow.parent_id,
                    RevisionRow.second_parent_id,
                    RevisionRow.author_id,
                    RevisionRow.reason,
                    RevisionRow.created_at,
                ).where(RevisionRow.article_id == article_id)
            ).all()
            by_id = {r.id: r for r in rows}
            path = since_approval(head, by_id)
            compare = {
                i
                for r in path
                if r.reason in _NO_TEXT_REASONS and r.parent_id in by_id
                for i in (r.id, r.parent_id)
            }
            texts = (
                {
                    t.id: (t.body, _text_meta(t.meta))
                    for t in session.execute(
                        select(RevisionRow.id, RevisionRow.body, RevisionRow.meta).where(
                            RevisionRow.id.in_(compare)
                        )
                    )
                }
                if compare
                else {}
            )

        def wrote_text(revision) -> bool:
            return not (
                revision.id in texts and texts[revision.id] == texts.get(revision.parent_id)
            )

        return writers(path, wrote_text)

    def get_revision(self, revision_id: str) -> Revision:
        with self._db.read() as session:
            found = session.execute(
                select(RevisionRow, UserRow.name)
                .outerjoin(UserRow, UserRow.id == RevisionRow.author_id)
                .where(RevisionRow.id == revision_id)
            ).first()
        if found is None:
            raise NotFoundError(f"No revision with id {revision_id}.")
        return revision_from_row(*found)

    # -- writes -----------------------------------------------------------

    def raise_stale(self, article_id: str, expected_version: int) -> None:
        """Raise the `StaleWriteError` (who changed it, when) for an outdated version."""
        with self._db.read() as session:
            row = session.get(ArticleRow, article_id)
            if row is None:
                raise NotFoundError(f"No article with id {article_id}.")
            if row.version != expected_version:
                raise stale_write_error(session, row, expected_version)

    def record_transition(
        self,
        article: Article,
        *,
        expected_version: int,
        actor: User,
        action: str,
        from_status: Status,
        note: str = "",
        extra_events: Sequence[tuple[str, str]] = (),
    ) -> Article:
        """Write a decided transition: `article` carries the new status (and, for a
        correction, the new text). One transaction: the row (compare-and-swap on the
        version and on `from_status`), a revision with reason `action`, the
        `extra_events` (action, note) and then the action's event, whose `revision_id`
        is the new head. Raises `StaleWriteError` when the article moved on.
        """
        now = utc_now()
        revision_id = str(uuid.uuid4())
        try:
            with self._db.write() as session:
                row = session.get(ArticleRow, article.id)
                if row is None or row.deleted_at is not None:
                    raise NotFoundError(f"No article with id {article.id}.")
                swapped = session.execute(
                    update(ArticleRow)
                    .where(
                        ArticleRow.id == article.id,
                        ArticleRow.version == expected_version,
                        ArticleRow.status == from_status.value,
                    )
                    .values(
                        version=expected_version + 1, updated_at=now, **article_row_fields(article)
                    )
                    .execution_options(synchronize_session=False)
                )
                if swapped.rowcount != 1:
                    raise stale_write_error(session, row, expected_version)
                append_revision(
                    session,
                    new_revision_row(
                        article,
                        parent_id=row.head_revision_id,
                        author=actor,
                        reason=action,
                        now=now,
                        revision_id=revision_id,
                    ),
                )
                events = [*extra_events, (action, note)]
                for step, (event_action, event_note) in enumerate(events):
                    # Distinct times keep the log in order: it is sorted by time.
                    session.add(
                        EventRow(
                            id=str(uuid.uuid4()),
                            article_id=article.id,
                            actor_id=actor.id,
                            created_at=now + timedelta(microseconds=step),
                            action=event_action,
                            from_status=from_status.value,
                            to_status=article.status.value,
                            note=event_note,
                            revision_id=revision_id,
                        )
                    )
                session.refresh(row)
                self._db.index(session, row, article.body)
        except IntegrityError as error:
            raise ValidationError(f"Cannot change the article: {error.orig}.") from None
        return self._article(article.id)

    def record_flags(
        self,
        article_id: str,
        *,
        expected_version: int,
        actor: User,
        values: dict[str, object],
        note: str,
    ) -> Article:
        """Set flag columns (legal_hold, not_for_publication, embargo_until) with a
        compare-and-swap on the version, and log a "flags" event with `note`."""
        allowed = {"legal_hold", "not_for_publication", "embargo_until"}
        if not set(values) <= allowed:
            raise ValidationError(f"Not a flag: {', '.join(sorted(set(values) - allowed))}.")
        columns = {k: as_naive(v) if k == "embargo_until" else v for k, v in values.items()}
        now = utc_now()
        with self._db.write() as session:
            row = session.get(ArticleRow, article_id)
            if row is None or row.deleted_at is not None:
                raise NotFoundError(f"No article with id {article_id}.")
            swapped = session.execute(
                update(ArticleRow)
                .where(ArticleRow.id == article_id, ArticleRow.version == expected_version)
                .values(version=expected_version + 1, updated_at=now, **columns)
                .execution_options(synchronize_session=False)
            )
            if swapped.rowcount != 1:
                raise stale_write_error(session, row, expected_version)
            session.refresh(row)
            session.add(
                EventRow(
                    id=str(uuid.uuid4()),
                    article_id=article_id,
                    actor_id=actor.id,
                    created_at=now,
                    action="flags",
                    from_status=row.status,
                    to_status=row.status,
                    note=note,
                    revision_id=row.head_revision_id,
                )
            )
        return self._article(article_id)

    def _article(self, article_id: str) -> Article:
        with self._db.read() as session:
            return read_article(session, article_id)
