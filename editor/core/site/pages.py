"""Article pages, rendered and staged in worker processes (or in-process for small runs)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass

from editor.core.model import Article
from editor.core.render import (
    AssetResolver,
    Correction,
    SiteContext,
    asset_ids_in,
    export_asset_path,
    render_article_page,
    resolver_from,
)
from editor.core.site.layout import section_folder
from editor.core.site.model import CSS_PATH
from editor.core.site.reading import AssetInfo


@dataclass(frozen=True)
class RenderConfig:
    staging: str
    templates_dir: str | None
    base_url: str
    site_name: str
    lang: str
    #: The menu: (label, "folder/") of each managed section with stories.
    sections: tuple[tuple[str, str], ...]
    assets: dict[str, AssetInfo]
    #: Every section page to write (the menu's first, then sections not in the list).
    section_pages: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Job:
    article: Article
    folder: str
    corrections: tuple[Correction, ...]
    old_hash: str | None
    #: The input fingerprint, computed with the images the page used last time.
    fingerprint: str = ""
    previous_assets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rendered:
    article_id: str
    path: str
    sha256: str
    wrote: bool
    asset_ids: tuple[str, ...]


_config: RenderConfig | None = None


def init_worker(config: RenderConfig) -> None:
    global _config
    _config = config


def _article_root() -> str:
    return "../../../../"


def resolver_for(config: RenderConfig, root: str) -> AssetResolver:
    """Images as files of the exported site, `root` being the way up to the site's root."""

    def url_for(asset: AssetInfo) -> str | None:
        path = export_asset_path(asset.id, asset.media_type)
        return None if path is None else root + path

    return resolver_from(config.assets.get, url_for)


def render_batch(jobs: Sequence[Job], config: RenderConfig | None = None) -> list[Rendered]:
    """Render and stage the pages of `jobs`; pages equal to their last export are not staged."""
    config = config or _config
    assert config is not None, "worker not initialised"
    root = _article_root()
    resolver = resolver_for(config, root)
    results: list[Rendered] = []
    for job in jobs:
        article = job.article
        site = SiteContext(
            root=root,
            base_url=config.base_url,
            path=job.folder,
            site_name=config.site_name,
            lang=config.lang,
            sections=config.sections,
            section_path=section_folder(article.section) + "/",
            css_path=CSS_PATH,
        )
        html = render_article_page(
            article,
            resolver=resolver,
            corrections=job.corrections,
            site=site,
            templates_dir=config.templates_dir,
        )
        data = html.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        path = job.folder + "index.html"
        wrote = digest != job.old_hash
        if wrote:
            folder = f"{config.staging}/{job.folder}"
            os.makedirs(folder, exist_ok=True)
            with open(folder + "index.html", "wb") as handle:
                handle.write(data)
        used = [a for a in asset_ids_in(article.body) if a in config.assets]
        if article.featured_asset_id and article.featured_asset_id in config.assets:
            used.insert(0, article.featured_asset_id)
        results.append(Rendered(article.id, path, digest, wrote, tuple(dict.fromkeys(used))))
    return results
