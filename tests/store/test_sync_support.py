"""Helpers of the sync tests: what two stores must agree on, and quick edits."""

from __future__ import annotations

from sqlalchemy import select

from editor.store.models import (
    ArticleRow,
    CommentRow,
    EventRow,
    RevisionRow,
    UserRow,
)

#: Article columns that are each store's own business (not synced state).
LOCAL_COLUMNS = {"version", "search_rowid"}


def state(store) -> dict:
    """Everything sync must make equal on two stores, with users named, not by id."""
    with store.db.read() as session:
        names = {u.id: u.name for u in session.scalars(select(UserRow))}
        users = {u.name: u.role for u in session.scalars(select(UserRow))}

        def name(user_id):
            return names.get(user_id) if user_id else None

        articles = {}
        for row in session.scalars(select(ArticleRow)):
            values = {
                c.name: getattr(row, c.key)
                for c in ArticleRow.__table__.columns
                if c.name not in LOCAL_COLUMNS
            }
            values["created_by"] = name(values["created_by"])
            articles[row.id] = values
        revisions = {
            r.id: (r.article_id, r.parent_id, r.second_parent_id, name(r.author_id), r.body)
            for r in session.scalars(select(RevisionRow))
        }
        events = {
            e.id: (e.article_id, name(e.actor_id), e.action, e.note)
            for e in session.scalars(select(EventRow))
        }
        comments = {
            c.id: (c.article_id, c.body, c.resolved_at, name(c.resolved_by))
            for c in session.scalars(select(CommentRow))
        }
    return {
        "users": users,
        "articles": articles,
        "revisions": revisions,
        "events": events,
        "comments": comments,
    }


def edit(room, article_id, old, new, **changes):
    """Replace `old` by `new` in the body (and set `changes`) as the acting user."""
    article = room.get_article(article_id)
    assert old in article.body, (old, article.body)
    return room.save_article(
        article_id,
        expected_version=article.version,
        body=article.body.replace(old, new),
        changes=changes or None,
    )
