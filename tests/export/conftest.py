"""Fixtures of the export tests: a store with published, held, embargoed and draft articles."""

from __future__ import annotations

import hashlib
import struct
import uuid
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, update

from editor.services.newsroom import Newsroom
from editor.store.models import ArticleRow, AssetRow, EventRow

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def png(width: int = 8, height: int = 6) -> bytes:
    raw = b"".join(b"\0" + b"\xb1\x22\x1a" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def add_asset(newsroom: Newsroom, **fields: object) -> str:
    data = fields.pop("data", png())
    asset_id = str(uuid.uuid4())
    values = {
        "id": asset_id,
        "filename": "photo.png",
        "media_type": "image/png",
        "sha256": hashlib.sha256(data).hexdigest(),
        "data": data,
        "width": 8,
        "height": 6,
        "alt": "Flood water on Riverside Road",
        "caption": "Riverside Road after the storm.",
        "credit": "Photo: Jane Doe",
        "created_at": datetime(2026, 11, 1),
    }
    values.update(fields)
    with newsroom.store.db.write() as session:
        session.execute(insert(AssetRow).values(**values))
    return asset_id


def set_fields(newsroom: Newsroom, article_id: str, **values: object) -> None:
    """Workflow fields straight in the table (the workflow API is another helper's work)."""
    for key in ("published_at", "embargo_until"):
        if isinstance(values.get(key), datetime):
            values[key] = values[key].astimezone(UTC).replace(tzinfo=None)
    with newsroom.store.db.write() as session:
        session.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(**values))


def add_correction(newsroom: Newsroom, article_id: str, note: str, when: datetime) -> None:
    with newsroom.store.db.write() as session:
        session.execute(
            insert(EventRow).values(
                id=str(uuid.uuid4()),
                article_id=article_id,
                created_at=when.astimezone(UTC).replace(tzinfo=None),
                action="correct",
                note=note,
            )
        )


def publish(newsroom: Newsroom, headline: str, body: str = "Text.", **fields: object):
    status = fields.pop("status", "published")
    published = fields.pop("published_at", datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    editable = {"standfirst", "byline", "section", "tags", "dateline", "story_date", "slug"}
    extra = {key: fields.pop(key) for key in list(fields) if key not in editable}
    article = newsroom.create_article(headline, body, **fields)
    set_fields(newsroom, article.id, status=status, published_at=published, **extra)
    return newsroom.get_article(article.id)


@pytest.fixture
def newsroom(tmp_path: Path):
    newsroom = Newsroom.open(tmp_path / "store.db")
    yield newsroom
    newsroom.close()


@pytest.fixture
def site_store(newsroom: Newsroom):
    """Two sections of published stories, an image, a correction, and four that must not go."""
    photo = add_asset(newsroom)
    flood = publish(
        newsroom,
        "Council approves flood defences",
        f"The council voted on Tuesday.\n\n![]( asset:{photo})\n\n## What happens next\n\n"
        "Work starts in spring.",
        standfirst="A six-year plan for riverside homes.",
        byline="Jane Doe",
        section="Local",
        tags=["flooding", "council"],
        dateline="YORK",
        featured_asset_id=photo,
    )
    add_correction(newsroom, flood.id, "An earlier version gave the wrong date.", NOW)
    win = publish(
        newsroom,
        "Harriers snatch late winner",
        "Okafor scored in the 89th minute.\n\n> We never stopped.",
        standfirst="A header in the 89th minute.",
        byline="Sam Lee",
        section="Sport",
        published_at=datetime(2026, 11, 22, 18, 0, tzinfo=UTC),
    )
    approved = publish(newsroom, "Library hours extended", "From Monday.", section="Local",
                       status="approved", published_at=None)  # fmt: skip
    held = publish(newsroom, "Held story", "x", section="Local", legal_hold=True)
    secret = publish(newsroom, "Secret story", "x", section="Local", not_for_publication=True)
    embargoed = publish(
        newsroom, "Embargoed story", "x", section="Business", embargo_until=NOW + timedelta(days=1)
    )
    draft = newsroom.create_article("Draft story", "Not yet.", section="Sport")
    return {
        "photo": photo,
        "flood": flood,
        "win": win,
        "approved": approved,
        "held": held,
        "secret": secret,
        "embargoed": embargoed,
        "draft": draft,
    }


def change(newsroom: Newsroom, article_id: str, body: str | None = None, **values: object) -> None:
    """Edit a published article the way a correction does (published ones are read-only)."""
    from editor.store.models import RevisionRow

    article = newsroom.get_article(article_id)
    with newsroom.store.db.write() as session:
        if body is not None:
            session.execute(
                update(RevisionRow)
                .where(RevisionRow.id == article.head_revision_id)
                .values(body=body)
            )
        session.execute(
            update(ArticleRow)
            .where(ArticleRow.id == article_id)
            .values(version=article.version + 1, updated_at=datetime(2026, 12, 4, 8, 0), **values)
        )
