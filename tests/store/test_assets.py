"""Images kept in the store: validated by their bytes, with alt text, caption and credit."""

from __future__ import annotations

import struct
import zlib

import pytest

from editor.core.errors import NotFoundError, ValidationError
from editor.services.assets import MAX_ASSET_BYTES, Asset, asset_id_from_url, image_size


def png(width: int = 3, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


GIF = b"GIF89a" + struct.pack("<HH", 5, 4) + b"\x00\x00\x00;"
JPEG = (
    b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 480, 640, 1) + b"\x01\x11\x00" + b"\xff\xd9"
)


def test_an_image_file_is_kept_with_its_words(newsroom, tmp_path):
    article = newsroom.create_article("Plant opens")
    path = tmp_path / "crane.png"
    path.write_bytes(png(3, 2))
    asset = newsroom.add_asset(
        path, alt="  A crane over\nthe plant ", caption="The site in May.", credit="Jo Bloggs",
        article_id=article.id,
    )  # fmt: skip
    assert asset.alt == "A crane over the plant"
    assert (asset.media_type, asset.width, asset.height) == ("image/png", 3, 2)
    assert asset.filename == "crane.png" and asset.size == len(png(3, 2))
    assert asset.created_by == newsroom.user.id and asset.created_at is not None
    assert newsroom.asset_data(asset.id) == png(3, 2)
    assert newsroom.get_asset(asset.id) == asset
    assert newsroom.list_assets(article.id) == [asset]
    assert asset.markdown() == f"![A crane over the plant](asset:{asset.id})"
    assert asset_id_from_url(asset.url) == asset.id


def test_bytes_are_accepted_and_sizes_read_from_headers(newsroom):
    gif = newsroom.add_asset(GIF, alt="A chart", filename="chart.gif")
    jpeg = newsroom.add_asset(JPEG, alt="A photo")
    assert (gif.media_type, gif.width, gif.height, gif.filename) == ("image/gif", 5, 4, "chart.gif")
    assert (jpeg.media_type, jpeg.width, jpeg.height) == ("image/jpeg", 640, 480)
    assert image_size(b"RIFF\x00\x00\x00\x00WEBPVP8X" + bytes(8) + b"\x1f\x00\x00\x0f\x00\x00",
                      "image/webp") == (32, 16)  # fmt: skip


def test_words_can_be_changed_but_alt_never_emptied(newsroom):
    asset = newsroom.add_asset(png(), alt="Old alt")
    changed = newsroom.update_asset(asset.id, caption="New caption", credit="AP")
    assert (changed.alt, changed.caption, changed.credit) == ("Old alt", "New caption", "AP")
    with pytest.raises(ValidationError) as error:
        newsroom.update_asset(asset.id, alt="   ")
    assert error.value.field == "alt"
    assert newsroom.get_asset(asset.id).alt == "Old alt"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"%PDF-1.7 not a picture", "not an image this editor can use"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "JPEG, PNG, GIF or WebP"),
    ],
)
def test_what_is_not_an_image_is_refused_clearly(newsroom, data, message):
    with pytest.raises(ValidationError, match=message) as error:
        newsroom.add_asset(data, alt="Something", filename="report.png")
    assert error.value.field == "file"
    assert "report.png" in str(error.value)


def test_alt_text_is_required(newsroom):
    with pytest.raises(ValidationError, match="alt text") as error:
        newsroom.add_asset(png(), alt=" ")
    assert error.value.field == "alt"


def test_too_large_and_missing_files_are_refused(newsroom, tmp_path):
    big = tmp_path / "huge.png"
    with big.open("wb") as handle:
        handle.write(png())
        handle.truncate(MAX_ASSET_BYTES + 1)
    with pytest.raises(ValidationError, match="at most 20 MB"):
        newsroom.add_asset(big, alt="Huge")
    with pytest.raises(ValidationError, match="does not exist"):
        newsroom.add_asset(tmp_path / "nowhere.png", alt="Gone")
    with pytest.raises(ValidationError, match="folder"):
        newsroom.add_asset(tmp_path, alt="A folder")


def test_unknown_ids_and_articles_are_not_found(newsroom):
    with pytest.raises(NotFoundError):
        newsroom.get_asset("no-such-id")
    with pytest.raises(NotFoundError):
        newsroom.asset_data("no-such-id")
    with pytest.raises(NotFoundError):
        newsroom.add_asset(png(), alt="Orphan", article_id="no-such-article")
    assert newsroom.list_assets("no-such-article") == []


def test_assets_are_listed_per_article(newsroom):
    first, second = newsroom.create_article("One"), newsroom.create_article("Two")
    a = newsroom.add_asset(png(), alt="A", article_id=first.id)
    b = newsroom.add_asset(GIF, alt="B", article_id=first.id)
    newsroom.add_asset(JPEG, alt="C", article_id=second.id)
    assert [x.id for x in newsroom.list_assets(first.id)] == [a.id, b.id]
    assert isinstance(a, Asset)
