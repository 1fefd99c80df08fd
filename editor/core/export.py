"""Export one article as a standalone HTML page, written atomically (temp file + os.replace).

The whole static site (front page, sections, feed, sitemap, images) is `editor.core.site`;
this is the single page, CSS inlined: the public page of an approved or published article,
or a clearly marked preview (noindex, banner) of one that is not.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from editor.core.errors import ExportError
from editor.core.model import PUBLISHABLE, Article
from editor.core.render import AssetResolver, Correction, render_article_page
from editor.core.text import is_valid_slug, slugify


def export_filename(article: Article) -> str:
    """`<slug>.html`: the article's valid slug, else one made from the headline, else untitled."""
    slug = article.slug if is_valid_slug(article.slug) else slugify(article.headline)
    return f"{slug or 'untitled'}.html"


def export_article_html(
    article: Article,
    path: str | Path,
    *,
    resolver: AssetResolver | None = None,
    corrections: Sequence[Correction] = (),
    preview: bool | None = None,
) -> Path:
    """Write the page of `article` to `path` (a file, or a folder to put it in).

    An article that is not approved or published is written as a preview (noindex, with a
    banner) unless `preview` says otherwise. `resolver` gives images their URLs (a
    standalone page wants `data:` URLs). The page replaces any file at the target in one
    step, so a reader never sees half a page; on failure nothing is left behind and
    `ExportError` says what went wrong.
    """
    target = Path(path)
    if target.is_dir():
        target = target / export_filename(article)
    if preview is None:
        preview = article.status not in PUBLISHABLE
    html = render_article_page(article, preview=preview, resolver=resolver, corrections=corrections)
    _write_atomically(target, html)
    return target


def _write_atomically(target: Path, text: str) -> None:
    temp_name: str | None = None
    try:
        fd, temp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file 0600; a web page is meant to be read by others.
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, target)
        temp_name = None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ExportError(f"Cannot write {target}: {reason}") from error
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
