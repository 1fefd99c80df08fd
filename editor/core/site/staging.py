"""Atomic output: files are staged beside the site, then moved into place; stale ones removed."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from pathlib import Path

from editor.core.errors import ExportError
from editor.core.render import (
    export_asset_path,
)
from editor.core.site.model import ExportReport
from editor.core.site.reading import AssetInfo, chunks, read_assets

#: errno values that mean "no room left", whatever the file system calls it.
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}


def write_error(error: OSError, out: Path, *, unchanged: bool = True) -> ExportError:
    """One sentence for a failed write while exporting to `out`.

    `unchanged`: the failure came before anything was moved into the site (staging), so
    the previous site is intact; otherwise some pages were already replaced.
    """
    after = (
        "The previous site is unchanged."
        if unchanged
        else "Pages already moved are complete; export again to finish."
    )
    if error.errno in _DISK_FULL:
        return ExportError(
            f"The disk is full: cannot write the site in {out}. {after} "
            "Free some space and export again."
        )
    if isinstance(error, PermissionError) or error.errno == errno.EROFS:
        return ExportError(f"Cannot write the site in {out}: permission denied. {after}")
    reason = error.strerror or str(error) or type(error).__name__
    return ExportError(f"Cannot write the site in {out}: {reason}. {after}")


class Staging:
    """A temporary folder beside the target; files staged here are moved into place."""

    def __init__(self, out_dir: Path) -> None:
        try:
            out_dir.parent.mkdir(parents=True, exist_ok=True)
            self.path = Path(
                tempfile.mkdtemp(prefix=f".{out_dir.name}.export-", dir=out_dir.parent)
            )
        except OSError as error:
            raise write_error(error, out_dir) from None
        self.files: dict[str, str] = {}

    def write(self, relative: str, data: bytes) -> None:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def cleanup(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def stage_images(
    newsroom,
    articles: dict[str, dict],
    assets: dict[str, AssetInfo],
    old_files: dict[str, str],
    new_files: dict[str, str],
    out: Path,
    staging: Staging,
) -> None:
    used = {asset_id for record in articles.values() for asset_id in record.get("assets", [])}
    wanted: dict[str, str] = {}
    for asset_id in sorted(used):
        asset = assets.get(asset_id)
        path = export_asset_path(asset_id, asset.media_type) if asset else None
        if asset is None or path is None:
            continue
        new_files[path] = asset.sha256
        if old_files.get(path) != asset.sha256 or not (out / path).is_file():
            wanted[asset_id] = path
    if not wanted:
        return
    for chunk in chunks(sorted(wanted), 50):
        for asset_id, asset in read_assets(newsroom, chunk, with_data=True).items():
            if asset.data is not None:
                staging.write(wanted[asset_id], asset.data)
                staging.files[wanted[asset_id]] = asset.sha256


def commit(
    out: Path,
    staging: Staging,
    old_files: dict[str, str],
    new_files: dict[str, str],
    report: ExportReport,
) -> None:
    """Move the staged files into place, then remove the files that left the site.

    A staged folder whose counterpart does not exist yet in the site (a new article, or a
    whole new site) moves in one rename; other files are replaced one by one (each replace
    is atomic, so a reader never sees half a page).
    """
    touched = False  # whether the site on disk has changed yet
    try:
        out.mkdir(parents=True, exist_ok=True)
        existing: set[str] = {""}
        moved = "\0"  # prefix of the folder moved last; sorted paths keep its files together
        for relative in sorted(staging.files):
            report.written.append(relative)
            if relative.startswith(moved):
                continue
            parts = relative.split("/")
            for depth in range(1, len(parts)):
                folder = "/".join(parts[:depth])
                if folder in existing:
                    continue
                if os.path.isdir(out / folder):
                    existing.add(folder)
                    continue
                os.rename(staging.path / folder, out / folder)
                touched = True
                moved = folder + "/"
                break
            else:
                os.replace(staging.path / relative, out / relative)
                touched = True
        for relative in sorted(set(old_files) - set(new_files)):
            target = out / relative
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
                touched = True
            report.removed.append(relative)
            _prune(target.parent, out)
    except OSError as error:
        raise write_error(error, out, unchanged=not touched) from error


def _prune(folder: Path, root: Path) -> None:
    """Remove folders left empty by removed pages, up to (not including) the site root."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
