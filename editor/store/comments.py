"""Comments: review notes anchored to quoted passages, replies and resolution.

A thread is a top-level comment (with its quote and context) plus replies whose
`parent_id` is the thread's id; resolving marks the top-level row.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import aliased

from editor.core.errors import NotFoundError
from editor.core.values import Comment
from editor.store.database import Database
from editor.store.models import CommentRow, UserRow
from editor.store.rows import as_aware, utc_now

if TYPE_CHECKING:
    from editor.core.model import User


class CommentRepository:
    """Comments: threads and replies on one article, and their resolution."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add_comment(
        self,
        article_id: str,
        *,
        author: User,
        quote: str,
        position: int | None,
        prefix: str,
        suffix: str,
        body: str,
    ) -> Comment:
        row = CommentRow(
            id=str(uuid.uuid4()),
            article_id=article_id,
            parent_id=None,
            author_id=author.id,
            created_at=utc_now(),
            quote=quote,
            prefix=prefix,
            suffix=suffix,
            position=position,
            body=body,
        )
        with self._db.write() as session:
            session.add(row)
        return self.get_comment(row.id)

    def add_reply(self, comment_id: str, *, author: User, body: str) -> Comment:
        """A reply joins the thread of `comment_id` (its root, for a reply to a reply)."""
        with self._db.write() as session:
            parent = session.get(CommentRow, comment_id)
            if parent is None:
                raise NotFoundError(f"No comment with id {comment_id}.")
            root_id = parent.parent_id or parent.id
            row = CommentRow(
                id=str(uuid.uuid4()),
                article_id=parent.article_id,
                parent_id=root_id,
                author_id=author.id,
                created_at=utc_now(),
                body=body,
            )
            session.add(row)
        return self.get_comment(row.id)

    def resolve_comment(self, comment_id: str, *, actor: User, resolved: bool) -> Comment:
        with self._db.write() as session:
            row = session.get(CommentRow, comment_id)
            if row is None:
                raise NotFoundError(f"No comment with id {comment_id}.")
            if row.parent_id:  # resolving a reply resolves its thread
                row = session.get(CommentRow, row.parent_id)
            row.resolved_at = utc_now() if resolved else None
            row.resolved_by = actor.id if resolved else None
            thread_id = row.id
        return self.get_comment(thread_id)

    def get_comment(self, comment_id: str) -> Comment:
        """One comment; a thread's root comes with its replies."""
        with self._db.read() as session:
            row = session.get(CommentRow, comment_id)
            if row is None:
                raise NotFoundError(f"No comment with id {comment_id}.")
            article_id = row.article_id
        for thread in self.list_comments(article_id):
            if thread.id == comment_id:
                return thread
            for reply in thread.replies:
                if reply.id == comment_id:
                    return reply
        raise NotFoundError(f"No comment with id {comment_id}.")

    def list_comments(self, article_id: str) -> list[Comment]:
        """Every thread of the article, oldest first, with its replies, oldest first."""
        author = aliased(UserRow)
        resolver = aliased(UserRow)
        with self._db.read() as session:
            rows = session.execute(
                select(CommentRow, author.name, resolver.name)
                .outerjoin(author, author.id == CommentRow.author_id)
                .outerjoin(resolver, resolver.id == CommentRow.resolved_by)
                .where(CommentRow.article_id == article_id)
                .order_by(CommentRow.created_at, CommentRow.id)
            ).all()
        replies: dict[str, list[Comment]] = {}
        roots: list[tuple[CommentRow, str | None, str | None]] = []
        for row, author_name, resolver_name in rows:
            if row.parent_id:
                replies.setdefault(row.parent_id, []).append(
                    _comment(row, author_name, resolver_name, ())
                )
            else:
                roots.append((row, author_name, resolver_name))
        return [_comment(row, a, r, tuple(replies.get(row.id, ()))) for row, a, r in roots]


def _comment(row: CommentRow, author, resolver, replies) -> Comment:
    return Comment(
        id=row.id,
        article_id=row.article_id,
        parent_id=row.parent_id,
        author=author or "",
        created_at=as_aware(row.created_at),
        quote=row.quote or "",
        prefix=row.prefix or "",
        suffix=row.suffix or "",
        position=row.position,
        body=row.body,
        resolved_at=as_aware(row.resolved_at),
        resolved_by=resolver,
        replies=replies,
    )
