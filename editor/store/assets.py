"""Assets: image bytes and their alt text, caption and credit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from editor.core.errors import NotFoundError
from editor.core.values import Asset
from editor.store.database import Database
from editor.store.models import AssetRow
from editor.store.rows import as_aware, utc_now

if TYPE_CHECKING:
    pass

_EDITABLE = frozenset({"alt", "caption", "credit"})
# Every column but the bytes: lists and look-ups never load the images themselves.
_COLUMNS = (
    AssetRow.id,
    AssetRow.article_id,
    AssetRow.filename,
    AssetRow.media_type,
    AssetRow.sha256,
    func.length(AssetRow.data).label("size"),
    AssetRow.width,
    AssetRow.height,
    AssetRow.alt,
    AssetRow.caption,
    AssetRow.credit,
    AssetRow.created_by,
    AssetRow.created_at,
)


class AssetRepository:
    """Images: their bytes and their alt text, caption and credit."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add_asset(self, asset: Asset, data: bytes) -> Asset:
        row = AssetRow(
            id=asset.id,
            article_id=asset.article_id,
            filename=asset.filename,
            media_type=asset.media_type,
            sha256=asset.sha256,
            data=data,
            width=asset.width,
            height=asset.height,
            alt=asset.alt,
            caption=asset.caption,
            credit=asset.credit,
            created_by=asset.created_by,
            created_at=utc_now(),
        )
        with self._db.write() as session:
            session.add(row)
        return self.get_asset(asset.id)

    def get_asset(self, asset_id: str) -> Asset:
        with self._db.read() as session:
            row = session.execute(select(*_COLUMNS).where(AssetRow.id == asset_id)).first()
        if row is None:
            raise NotFoundError(f"No image with id {asset_id}.")
        return _asset(row)

    def get_asset_data(self, asset_id: str) -> bytes:
        with self._db.read() as session:
            data = session.scalar(select(AssetRow.data).where(AssetRow.id == asset_id))
        if data is None:
            raise NotFoundError(f"No image with id {asset_id}.")
        return bytes(data)

    def update_asset(self, asset_id: str, changes: dict[str, str]) -> Asset:
        unknown = set(changes) - _EDITABLE
        if unknown:
            raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
        with self._db.write() as session:
            row = session.get(AssetRow, asset_id)
            if row is None:
                raise NotFoundError(f"No image with id {asset_id}.")
            for name, value in changes.items():
                setattr(row, name, value)
        return self.get_asset(asset_id)

    def list_assets(self, article_id: str) -> list[Asset]:
        with self._db.read() as session:
            rows = session.execute(
                select(*_COLUMNS)
                .where(AssetRow.article_id == article_id)
                .order_by(AssetRow.created_at, AssetRow.id)
            ).all()
        return [_asset(row) for row in rows]


def _asset(row) -> Asset:
    return Asset(
        id=row.id,
        article_id=row.article_id,
        filename=row.filename,
        media_type=row.media_type,
        sha256=row.sha256,
        size=int(row.size or 0),
        width=row.width,
        height=row.height,
        alt=row.alt,
        caption=row.caption,
        credit=row.credit,
        created_by=row.created_by,
        created_at=as_aware(row.created_at),
    )
