"""Bad input on the new features gets one clear message and loses nothing (core and CLI).

Site export (unwritable folder, disk full while staging or committing), images given to
`add_asset` (unreadable, vanished, damaged, empty), copy-desk style files (binary, wrong
type, unknown rule kind) and batch import (folder, FIFO, vanished file). Tests run as
root, so permission bits do not stop a write: the failing call is monkeypatched instead.
"""

from __future__ import annotations

import errno
import os
import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from editor.cli import main
from editor.core import site
from editor.core.checks import style as style_module
from editor.core.errors import NewsroomError, ValidationError
from editor.core.site import ExportError, ExportOptions, pages, staging
from editor.services.newsroom import Newsroom
from tests.export.conftest import publish

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def _png(width: int = 4, height: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\0" + b"\x10\x20\x30" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NEWSROOM_STORE", "NEWSROOM_STYLE", "NEWSROOM_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def room(store_file: Path):
    newsroom = Newsroom.open(store_file)
    yield newsroom
    newsroom.close()


@pytest.fixture
def published(room: Newsroom) -> Newsroom:
    """Two published stories in two sections, ready to export."""
    when = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    publish(room, "Council approves flood defences", "The council voted.", section="Local",
            published_at=when)  # fmt: skip
    publish(room, "Harriers snatch late winner", "In the 89th minute.", section="Sport",
            published_at=when)  # fmt: skip
    return room


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _leftovers(out: Path) -> list[str]:
    return [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.export-")]


def _full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


# -- static-site export ---------------------------------------------------------------


def test_export_into_an_unwritable_folder_says_so_and_leaves_nothing(
    published, tmp_path, monkeypatch
) -> None:
    parent = tmp_path / "www"
    parent.mkdir()
    out = parent / "site"
    parent.chmod(0o500)
    try:
        # Root ignores the mode bits: refuse the way a real user's file system would.
        def refuse(*_args, **_kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(staging.tempfile, "mkdtemp", refuse)
        with pytest.raises(ExportError) as error:
            site.export_site(published, out, options=ExportOptions(now=NOW))
    finally:
        parent.chmod(0o700)
    message = str(error.value)
    assert message == (
        f"Cannot write the site in {out}: permission denied. The previous site is unchanged."
    )
    assert not out.exists() and _leftovers(out) == []


@pytest.mark.parametrize("where", ["article page", "front page", "image"])
def test_a_full_disk_while_staging_keeps_the_previous_site(
    published, tmp_path, monkeypatch, where
) -> None:
    out = tmp_path / "site"
    site.export_site(published, out, options=ExportOptions(now=NOW, site_name="Old"))
    before = _snapshot(out)
    assert "index.html" in before and ".newsroom-manifest.json" in before
    if where == "article page":  # the worker's own open(); in-process for a small run
        monkeypatch.setattr(pages, "open", _full, raising=False)
    elif where == "front page":
        monkeypatch.setattr(staging.Staging, "write", _full)
    else:  # a new story with a new picture: only the picture fails to be written
        photo = published.add_asset(_png(), alt="The river at dawn")
        publish(published, "Photo story", f"Look.\n\n![The river](asset:{photo.id})\n",
                section="Local", published_at=datetime(2025, 3, 2, tzinfo=UTC))  # fmt: skip
        real_write = staging.Staging.write

        def write(self, relative: str, data: bytes) -> None:
            if relative.startswith("assets/") and relative != site.CSS_PATH:
                _full()
            real_write(self, relative, data)

        monkeypatch.setattr(staging.Staging, "write", write)

    with pytest.raises(ExportError) as error:
        site.export_site(published, out, options=ExportOptions(now=NOW, site_name="New"))
    message = str(error.value)
    assert message.startswith(f"The disk is full: cannot write the site in {out}.")
    assert "The previous site is unchanged." in message and "\n" not in message
    assert _snapshot(out) == before  # not one byte of the old site changed
    assert _leftovers(out) == []  # and the temporary folder is gone


def test_a_failure_while_moving_pages_in_says_what_happened(
    published, tmp_path, monkeypatch
) -> None:
    out = tmp_path / "site"
    site.export_site(published, out, options=ExportOptions(now=NOW, site_name="Old"))
    before = _snapshot(out)
    real_replace = os.replace
    calls: list[str] = []

    def replace_once(source, target):
        calls.append(str(target))
        if len(calls) == 1:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_replace(source, target)

    monkeypatch.setattr(staging.os, "replace", replace_once)
    with pytest.raises(ExportError, match=r"permission denied\. The previous site is unchanged"):
        site.export_site(published, out, options=ExportOptions(now=NOW, site_name="New"))
    assert _snapshot(out) == before and _leftovers(out) == []

    calls.clear()

    def full_on_the_second(source, target):
        calls.append(str(target))
        if len(calls) == 2:
            _full()
        return real_replace(source, target)

    monkeypatch.setattr(staging.os, "replace", full_on_the_second)
    with pytest.raises(ExportError) as error:
        site.export_site(published, out, options=ExportOptions(now=NOW, site_name="New"))
    assert str(error.value).startswith("The disk is full")
    assert "export again to finish" in str(error.value)
    assert _leftovers(out) == []
    monkeypatch.setattr(staging.os, "replace", real_replace)
    report = site.export_site(published, out, options=ExportOptions(now=NOW, site_name="New"))
    assert report.articles == 2 and b"New" in (out / "index.html").read_bytes()


def test_cli_export_on_a_full_disk_exits_2_with_one_line(
    published, store_file, tmp_path, monkeypatch, capsys
) -> None:
    out = tmp_path / "site"
    published.close()
    assert main(["--store", str(store_file), "export", "--all", "--out", str(out)]) == 0
    before = _snapshot(out)
    capsys.readouterr()
    monkeypatch.setattr(staging.Staging, "write", _full)
    code = main(["--store", str(store_file), "export", "--all", "--out", str(out),
                 "--site-name", "Other"])  # fmt: skip
    stdout, stderr = capsys.readouterr()
    assert code == 2 and stdout == ""
    assert stderr.count("\n") == 1
    assert stderr.startswith("newsroom: The disk is full: cannot write the site in ")
    assert "The previous site is unchanged." in stderr and "Traceback" not in stderr
    assert _snapshot(out) == before and _leftovers(out) == []


# -- images ---------------------------------------------------------------------------


def _no_assets(room: Newsroom, article_id: str) -> bool:
    return room.list_assets(article_id) == []


def test_an_unreadable_image_file_is_refused(room, tmp_path, monkeypatch) -> None:
    article = room.create_article("Plant opens")
    path = tmp_path / "crane.png"
    path.write_bytes(_png())
    real = Path.read_bytes

    def unreadable(self: Path) -> bytes:
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    with pytest.raises(ValidationError) as error:
        room.add_asset(path, alt="A crane", article_id=article.id)
    assert str(error.value) == f"Cannot read {path}: Permission denied."
    assert error.value.field == "file" and _no_assets(room, article.id)


def test_an_image_that_vanished_is_refused(room, tmp_path, monkeypatch) -> None:
    article = room.create_article("Plant opens")
    path = tmp_path / "crane.png"
    path.write_bytes(_png())
    real = Path.read_bytes

    def vanish(self: Path) -> bytes:  # gone between the size check and the read
        if self == path:
            self.unlink()
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", vanish)
    with pytest.raises(ValidationError, match="does not exist") as error:
        room.add_asset(path, alt="A crane", article_id=article.id)
    assert str(path) in str(error.value) and _no_assets(room, article.id)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "crane.png is empty."),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "crane.png looks like a PNG image but it is damaged"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0", "looks like a PNG image but it is damaged"),
        (_png(0, 0), "looks like a PNG image but it is damaged"),
        (b"GIF89a\x01", "looks like a GIF image but it is damaged"),
        (b"\xff\xd8\xff\xe0\0\x10JFIF", "looks like a JPEG image but it is damaged"),
    ],
    ids=["empty", "no-ihdr", "truncated-ihdr", "zero-size", "short-gif", "jpeg-without-frame"],
)
def test_damaged_or_empty_images_are_refused_from_file_and_bytes(
    room, tmp_path, data, message
) -> None:
    article = room.create_article("Plant opens")
    path = tmp_path / "crane.png"
    path.write_bytes(data)
    for source in (path, data):
        with pytest.raises(ValidationError, match=message) as error:
            room.add_asset(source, alt="A crane", article_id=article.id, filename="crane.png")
        assert error.value.field == "file"
    assert _no_assets(room, article.id)
    asset = room.add_asset(_png(), alt="A crane", article_id=article.id)  # still works
    assert (asset.width, asset.height) == (4, 3)


# -- copy-desk style files ------------------------------------------------------------


@pytest.fixture
def bad_styles(tmp_path: Path) -> dict[str, Path]:
    files = {
        "binary": (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "is not UTF-8 text"),
        "nul": (b"rules:\0\0\0\n", "is not a text file"),
        "list": (b"- one\n- two\n", "a style file is a mapping with a 'rules' key"),
        "kind": (
            b"rules:\n  foo:\n    kind: nonsense\n    level: error\n",
            "line 3: rule 'foo': unknown kind 'nonsense'",
        ),
    }
    paths = {}
    for name, (data, _message) in files.items():
        paths[name] = tmp_path / f"{name}-style.yml"
        paths[name].write_bytes(data)
    return {name: (paths[name], message) for name, (_data, message) in files.items()}


@pytest.mark.parametrize("case", ["binary", "nul", "list", "kind"])
def test_a_bad_style_file_is_refused_when_chosen(room, bad_styles, case) -> None:
    path, message = bad_styles[case]
    article = room.create_article("Plant opens", "The plant opened on Monday.")
    with pytest.raises(style_module.StyleError) as error:
        room.set_style_path(path)
    text = str(error.value)
    assert message in text and path.name in text and "\n" not in text
    assert room.style_path is None  # the style in force did not change...
    room.check_article(article.id)  # ...and the checks still run


@pytest.mark.parametrize("case", ["binary", "nul", "list", "kind"])
def test_cli_check_with_a_bad_style_exits_2_with_one_line(
    store_file, bad_styles, tmp_path, capsys, case
) -> None:
    path, message = bad_styles[case]
    story = tmp_path / "story.txt"
    story.write_text("Plant opens\n\nThe plant opened on Monday.\n")
    code = main(["--store", str(store_file), "check", "--style", str(path), str(story)])
    stdout, stderr = capsys.readouterr()
    assert code == 2 and stdout == ""
    assert stderr.count("\n") == 1 and stderr.startswith("newsroom: ")
    assert message in stderr and path.name in stderr


# -- import -----------------------------------------------------------------------------


def test_import_of_a_folder_a_fifo_and_a_vanished_file_reports_each_and_goes_on(
    room, tmp_path, monkeypatch
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Plant opens\n\nThe plant opened on Monday.\n")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # no writer: a blocking open would hang the batch for ever
    gone = tmp_path / "gone.txt"
    gone.write_text("Gone\n\nSoon.\n")
    later = tmp_path / "later.md"
    later.write_text("# Later\n\nStill imported.\n")
    real_open = os.open

    def remove_first(path, *args, **kwargs):  # listed, then removed before it is read
        if Path(path) == gone and gone.exists():
            gone.unlink()
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", remove_first)
    report = room.import_files([folder, fifo, gone, good, later], on_duplicate="copy")
    assert sorted(a.headline for a in report.imported) == ["Later", "Plant opens"]
    messages = {path.name: message for path, message in report.failed}
    assert messages == {
        "folder.txt": "folder.txt is a folder, not a file.",
        "pipe.txt": "pipe.txt is not an ordinary file (a pipe, socket or device); "
        "only files can be imported.",
        "gone.txt": f"{gone}: no such file.",
    }


def test_cli_import_prints_one_line_per_bad_file(store_file, tmp_path, capsys) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Plant opens\n\nThe plant opened on Monday.\n")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    folder = tmp_path / "notes.md"
    folder.mkdir()
    assert main(["--store", str(store_file), "init", "--admin", "Ada"]) == 0
    capsys.readouterr()
    code = main(["--store", str(store_file), "import", str(fifo), str(folder), str(good)])
    stdout, stderr = capsys.readouterr()
    assert code == 2
    assert "imported" in stdout and "Plant opens" in stdout
    assert stderr.splitlines() == [
        "newsroom: pipe.txt is not an ordinary file (a pipe, socket or device); "
        "only files can be imported.",
        "newsroom: notes.md is a folder, not a file.",
    ]


def test_every_error_here_is_a_newsroom_error() -> None:
    """The CLI and the GUI show NewsroomError as one line; the export's errors are ones."""
    assert issubclass(ExportError, NewsroomError)
    assert issubclass(style_module.StyleError, NewsroomError)
