"""The manifest: what the last run wrote (content hashes) and each article's input fingerprint."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from editor.core.model import Article
from editor.core.render import (
    Correction,
)
from editor.core.site.model import MANIFEST_FORMAT, MANIFEST_NAME
from editor.core.site.reading import AssetInfo


def load_manifest(out_dir: Path, warnings: list[str]) -> dict:
    path = out_dir / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return _empty()
    except (OSError, ValueError) as error:
        warnings.append(f"the previous manifest could not be read ({error}); all pages rewritten")
        return _empty()
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        warnings.append("the previous manifest has an unknown format; all pages rewritten")
        return _empty()
    for part in ("files", "articles", "pages"):  # "pages": since 2026-12 (input keys)
        if not isinstance(manifest.get(part), dict):
            manifest[part] = {}
    return manifest


def _empty() -> dict:
    """What the manifest says when there was no previous run: nothing is known."""
    return {"files": {}, "articles": {}, "pages": {}}


def fingerprint_of(*parts: object) -> str:
    """A hash of plain values (str, int, None, dates, tuples and lists of them); `repr` of
    those is stable between runs and much cheaper than JSON."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def article_input(
    article: Article,
    folder: str,
    corrections: Sequence[Correction],
    asset_ids: Iterable[str],
    assets: dict[str, AssetInfo],
    site_fp: str,
) -> str:
    used = [a for a in dict.fromkeys([article.featured_asset_id or "", *asset_ids]) if a]
    return fingerprint_of(
        site_fp,
        article.id,
        article.version,
        article.head_revision_id,
        article.updated_at,
        folder,
        article.headline,
        article.standfirst,
        article.byline,
        article.section,
        article.tags,
        article.dateline,
        article.story_date,
        article.status.value,
        article.published_at,
        article.featured_asset_id,
        [(c.when, c.text) for c in corrections],
        [
            (a, assets[a].sha256, assets[a].alt, assets[a].caption, assets[a].credit)
            if a in assets
            else (a, None)
            for a in used
        ],
    )


def write_manifest(out: Path, manifest: dict) -> None:
    target = out / MANIFEST_NAME
    temp = out / f".{MANIFEST_NAME}.tmp"
    try:
        temp.write_text(json.dumps(manifest, separators=(",", ":")), encoding="utf-8")
        os.replace(temp, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        from editor.core.site.staging import write_error

        raise write_error(error, out, unchanged=False) from error
