"""What the export reads from the store: article fields, bodies in batches, corrections, images.

The store reads them in chunks (`editor.store.export_reads`), so a large site never loads
every body at once; here they become the export's own values.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from editor.core.model import Article
from editor.core.render import Correction
from editor.core.site.model import Selection


@dataclass(frozen=True, slots=True)
class AssetInfo:
    """One image as the export needs it; `data` only when asked for."""

    id: str
    media_type: str
    sha256: str
    alt: str = ""
    caption: str = ""
    credit: str = ""
    width: int | None = None
    height: int | None = None
    data: bytes | None = None


def aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def read_articles(newsroom, selection: Selection) -> list[Article]:
    """Metadata of the selected live articles, without bodies (those are read in batches)."""
    ids = None if selection.ids is None else list(selection.ids)
    return newsroom.store.export_reads.export_articles(selection.status, ids)


def read_bodies(newsroom, revision_ids: Sequence[str]) -> dict[str, str]:
    return newsroom.store.export_reads.revision_bodies(revision_ids)


def read_corrections(newsroom, article_ids: Iterable[str]) -> dict[str, list[Correction]]:
    """Corrections (events with action "correct") of the given articles, oldest first."""
    found: dict[str, list[Correction]] = {}
    for article_id, when, note in newsroom.store.export_reads.correction_notes(article_ids):
        if note.strip():
            found.setdefault(article_id, []).append(Correction(when=when, text=note))
    return found


def read_assets(
    newsroom, asset_ids: Iterable[str] | None = None, *, with_data: bool = False
) -> dict[str, AssetInfo]:
    """Asset rows by id (all of them when `asset_ids` is None); bytes only with `with_data`."""
    assets: dict[str, AssetInfo] = {}
    for row in newsroom.store.export_reads.asset_rows(asset_ids, with_data=with_data):
        data = row.get("data")
        assets[row["id"]] = AssetInfo(
            id=row["id"],
            media_type=row["media_type"] or "",
            sha256=row["sha256"] or "",
            alt=row["alt"] or "",
            caption=row["caption"] or "",
            credit=row["credit"] or "",
            width=row["width"],
            height=row["height"],
            data=bytes(data) if data is not None else None,
        )
    return assets
