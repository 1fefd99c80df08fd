"""`asset:` images for the preview: looked up in the store, shown inline as `data:` URLs.

The resolver runs on the preview's render worker (never on the GUI thread), so it only
reads the store. An image's bytes never change once stored (a new picture is a new
asset), so they are kept in a small cache; the words that go with it (alt, caption,
credit) are read afresh on every render, as an edit in the image dialog changes them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from editor.core import render
from editor.core.errors import NewsroomError

#: Bytes of image data kept between renders; older images are read again when needed.
CACHE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class _AssetWithData:
    """What `render.data_url_resolver` reads: the asset's words, type, size and bytes."""

    id: str
    media_type: str
    alt: str
    caption: str
    credit: str
    width: int | None
    height: int | None
    data: bytes


class StoreAssetLookup:
    """Asset id -> the stored image with its bytes, or None when there is no such image."""

    def __init__(self, newsroom, cache_bytes: int = CACHE_BYTES) -> None:
        self._newsroom = newsroom
        self._cache_bytes = cache_bytes
        self._data: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()  # the worker reads, a test or the GUI may too

    def __call__(self, asset_id: str) -> _AssetWithData | None:
        try:
            asset = self._newsroom.get_asset(asset_id)
            data = self._bytes(asset_id)
        except NewsroomError:
            return None  # the renderer leaves the image out rather than fail the page
        return _AssetWithData(
            asset.id, asset.media_type, asset.alt, asset.caption, asset.credit,
            asset.width, asset.height, data,
        )  # fmt: skip

    def _bytes(self, asset_id: str) -> bytes:
        with self._lock:
            data = self._data.get(asset_id)
            if data is not None:
                self._data.move_to_end(asset_id)
                return data
        data = self._newsroom.asset_data(asset_id)
        with self._lock:
            self._data[asset_id] = data
            while sum(len(d) for d in self._data.values()) > self._cache_bytes and self._data:
                self._data.popitem(last=False)
        return data


def preview_resolver(newsroom) -> render.AssetResolver:
    """The resolver `PreviewPane.set_resolver` wants for images in `newsroom`'s store."""
    return render.data_url_resolver(StoreAssetLookup(newsroom))
