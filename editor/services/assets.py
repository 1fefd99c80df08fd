"""Assets: images kept in the store, with alt text, caption and credit.

A body shows an image as `![alt](asset:<id>)`; the bytes and the words that go with the
picture on the page (caption, credit) live in the asset row. An image is checked by its
bytes, not its file name: a renamed PDF is refused with a message that says so.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from editor.core.errors import ValidationError
from editor.core.values import ASSET_SCHEME, Asset

if TYPE_CHECKING:  # for type checkers only
    from editor.services.seat import Seat

#: The largest image accepted, in bytes (a full-size news photograph is 5-15 MB).
MAX_ASSET_BYTES = 20 * 1024 * 1024
#: Media types accepted, by what their bytes start with.
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")


def asset_id_from_url(url: str) -> str | None:
    """`asset:<id>` -> id; None for any other URL."""
    return url[len(ASSET_SCHEME) :] or None if url.startswith(ASSET_SCHEME) else None


def sniff_image_type(data: bytes) -> str | None:
    """The media type the bytes really are (JPEG, PNG, GIF, WebP), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def image_size(data: bytes, media_type: str) -> tuple[int, int] | None:
    """(width, height) read from the image header; None when the header is damaged."""
    try:
        if media_type == "image/png":
            if data[12:16] != b"IHDR":
                return None
            return struct.unpack(">II", data[16:24])
        if media_type == "image/gif":
            return struct.unpack("<HH", data[6:10])
        if media_type == "image/webp":
            return _webp_size(data)
        if media_type == "image/jpeg":
            return _jpeg_size(data)
    except struct.error:
        return None
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    return None


_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:
            position += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if marker in _JPEG_FRAMES:
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        position += 2 + length
    return None


def _read_source(source: str | Path | bytes, filename: str) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        return bytes(source), filename
    path = Path(source)
    name = filename or path.name
    try:
        size = path.stat().st_size
        if size > MAX_ASSET_BYTES:
            raise ValidationError(_too_large(name, size), field="file")
        return path.read_bytes(), name
    except FileNotFoundError:
        raise ValidationError(f"The file {path} does not exist.", field="file") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} is a folder, not an image.", field="file") from None
    except OSError as error:
        raise ValidationError(
            f"Cannot read {path}: {error.strerror or error}.", field="file"
        ) from None


def _too_large(name: str, size: int) -> str:
    return (
        f"{name or 'The image'} is {size / 1024 / 1024:.1f} MB; images may be at most "
        f"{MAX_ASSET_BYTES // 1024 // 1024} MB. Export a smaller copy and try again."
    )


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def validate_image(data: bytes, name: str = "") -> str:
    """The media type of `data`, or a `ValidationError` that says what is wrong with it."""
    label = name or "The file"
    if not data:
        raise ValidationError(f"{label} is empty.", field="file")
    if len(data) > MAX_ASSET_BYTES:
        raise ValidationError(_too_large(name, len(data)), field="file")
    media_type = sniff_image_type(data)
    if media_type is None:
        raise ValidationError(
            f"{label} is not an image this editor can use: choose a JPEG, PNG, GIF or WebP file.",
            field="file",
        )
    size = image_size(data, media_type)
    if size is None or not all(size):
        kind = media_type.removeprefix("image/").upper()
        raise ValidationError(
            f"{label} looks like a {kind} image but it is damaged (its size cannot be read): "
            "save it again from the photo editor and try again.",
            field="file",
        )
    return media_type


class AssetService:
    """`newsroom.assets`: images kept in the store, over the seat's store and acting user."""

    def __init__(self, seat: Seat) -> None:
        self._seat = seat

    def add_asset(
        self,
        source: str | Path | bytes,
        *,
        alt: str,
        caption: str = "",
        credit: str = "",
        article_id: str | None = None,
        filename: str = "",
    ) -> Asset:
        """Keep an image (a file path or its bytes) in the store; nothing is kept on error.

        Alt text is required: it is what a screen reader says and what shows when the
        picture cannot load.
        """
        alt = _clean(alt)
        if not alt:
            raise ValidationError(
                "Describe the image in its alt text (for readers who cannot see it).",
                field="alt",
            )
        data, name = _read_source(source, filename)
        media_type = validate_image(data, name)
        if article_id is not None:
            self._seat.store.get_article(article_id)  # NotFoundError when there is no such article
        size = image_size(data, media_type)
        asset = Asset(
            id=str(uuid.uuid4()),
            article_id=article_id,
            filename=name,
            media_type=media_type,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            width=size[0] if size else None,
            height=size[1] if size else None,
            alt=alt,
            caption=_clean(caption),
            credit=_clean(credit),
            created_by=self._seat.user.id,
        )
        return self._seat.store.assets.add_asset(asset, data)

    def get_asset(self, asset_id: str) -> Asset:
        return self._seat.store.assets.get_asset(asset_id)

    def asset_data(self, asset_id: str) -> bytes:
        """The image's bytes."""
        return self._seat.store.assets.get_asset_data(asset_id)

    def update_asset(
        self,
        asset_id: str,
        *,
        alt: str | None = None,
        caption: str | None = None,
        credit: str | None = None,
    ) -> Asset:
        """Change the words that go with an image; the alt text cannot become empty."""
        changes: dict[str, str] = {}
        if alt is not None:
            changes["alt"] = _clean(alt)
            if not changes["alt"]:
                raise ValidationError("The alt text cannot be empty.", field="alt")
        if caption is not None:
            changes["caption"] = _clean(caption)
        if credit is not None:
            changes["credit"] = _clean(credit)
        return self._seat.store.assets.update_asset(asset_id, changes)

    def list_assets(self, article_id: str) -> list[Asset]:
        """The images added for an article, oldest first."""
        return self._seat.store.assets.list_assets(article_id)
