"""The pages rendered on every run: front page, section pages, Atom feed and sitemap."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from editor.core.model import Article
from editor.core.render import (
    SiteContext,
    author_names,
    clean_article,
    format_ap_date,
    format_ap_datetime,
    iso_moment,
    published_moment,
    render_template,
)
from editor.core.site.layout import section_folder
from editor.core.site.manifest import fingerprint_of
from editor.core.site.model import CSS_PATH, ExportOptions
from editor.core.site.pages import RenderConfig, resolver_for


def _teaser(article: Article, folder: str, root: str, config: RenderConfig) -> dict:
    article = clean_article(article)  # no control character may reach a page (or the feed)
    moment = published_moment(article)
    if isinstance(moment, datetime):
        time_text = format_ap_datetime(moment)
    elif isinstance(moment, date):
        time_text = format_ap_date(moment)
    else:
        time_text = ""
    image = None
    if article.featured_asset_id:
        asset = resolver_for(config, root)(article.featured_asset_id)
        if asset is not None:
            image = {"url": asset.url, "width": asset.width, "height": asset.height}
    byline = " ".join(article.byline.split())
    if byline and not byline.lower().startswith("by "):
        byline = f"By {byline}"
    return {
        "headline": " ".join(article.headline.split()) or "Untitled",
        "href": root + folder + "index.html",
        "standfirst": " ".join(article.standfirst.split()),
        "byline": byline,
        "section": article.section.strip() or "News",
        "section_href": root + section_folder(article.section) + "/index.html",
        "time_iso": iso_moment(moment),
        "time_text": time_text,
        "image": image,
    }


def site_pages(
    exported: list[Article],
    folders: dict[str, str],
    config: RenderConfig,
    options: ExportOptions,
    now: datetime,
    site_fp: str,
    inputs: dict[str, str],
    unchanged: Callable[[str, str], bool],
) -> tuple[dict[str, bytes | None], dict[str, str]]:
    """Front page, section pages, feed and sitemap: (bytes by path, input key by path).

    Each page's key is a fingerprint of what it is made of: the site (`site_fp`: the
    templates, address, name, language and menu), its title and the input fingerprint
    of every story it lists (`inputs[id]`, the manifest's). A page whose key the last run
    wrote too (`unchanged(path, key)`, which also sees that the file is still there) is not
    rendered again: its bytes are None. After one story changes, only the pages that list
    it and the sitemap are rendered.
    """
    pages: dict[str, bytes | None] = {}
    keys: dict[str, str] = {}
    base = config.base_url

    def page(path: str, key_parts: tuple, render: Callable[[], bytes]) -> None:
        key = fingerprint_of(site_fp, path, *key_parts)
        keys[path] = key
        pages[path] = None if unchanged(path, key) else render()

    def stories_key(articles: list[Article]) -> list[tuple]:
        return [(inputs[a.id], a.created_at) for a in articles]

    def listing(path: str, root: str, title: str, heading: str, stories, section_path: str):
        site = SiteContext(
            root=root,
            base_url=base,
            path=path,
            site_name=config.site_name,
            lang=config.lang,
            sections=config.sections,
            section_path=section_path,
            css_path=CSS_PATH,
        )
        context = {
            "lang": config.lang,
            "css": None,
            "css_href": root + CSS_PATH,
            "site": site,
            "title": title,
            "heading": heading,
            "description": f"The latest stories from {config.site_name}.",
            "canonical": site.absolute(path),
            "stories": [_teaser(a, folders[a.id], root, config) for a in stories],
            "show_sections": not section_path,
        }
        return render_template("listing.html", context, config.templates_dir).encode("utf-8")

    front = exported[: options.front_page_size]
    page(
        "index.html",
        ("Latest news", stories_key(front)),
        lambda: listing("", "", config.site_name, "Latest news", front, ""),
    )
    by_section: dict[str, list[Article]] = {}
    for article in exported:
        by_section.setdefault(section_folder(article.section), []).append(article)
    for label, path in config.section_pages or config.sections:
        folder = path.rstrip("/")
        newest = by_section.get(folder, [])[: options.section_page_size]
        title = f"{label} | {config.site_name}"
        page(
            f"{folder}/index.html",
            (title, label, stories_key(newest)),
            lambda p=path, t=title, h=label, n=newest: listing(p, "../", t, h, n, p),
        )

    def url(path: str) -> str:
        return (base + path) if base else path

    updated = max(
        (iso_moment(a.updated_at or a.created_at) for a in front if a.updated_at or a.created_at),
        default=iso_moment(now),
    )

    def feed() -> bytes:
        entries = [
            {
                "id": a.id,
                "headline": " ".join(a.headline.split()) or "Untitled",
                "url": url(folders[a.id]),
                "published": iso_moment(_as_datetime(published_moment(a)) or a.created_at or now),
                "updated": iso_moment(a.updated_at or a.created_at or now),
                "authors": author_names(a.byline),
                "section": a.section.strip(),
                "standfirst": " ".join(a.standfirst.split()),
            }
            for a in map(clean_article, front)
        ]
        context = {
            "lang": config.lang,
            "site_name": config.site_name,
            "feed_id": base + "feed.xml" if base else "urn:newsroom:feed",
            "updated": updated,
            "home_url": url(""),
            "self_url": url("feed.xml") if base else "",
            "entries": entries,
        }
        return render_template("feed.xml", context, config.templates_dir).encode()

    # `now` stands in for a missing date: then the feed is made anew each time.
    undated = any(a.created_at is None for a in front)
    page("feed.xml", (updated, stories_key(front), iso_moment(now) if undated else ""), feed)
    urls = [{"loc": url(""), "lastmod": updated[:10]}]
    urls += [
        {"loc": url(path), "lastmod": ""} for _, path in config.section_pages or config.sections
    ]
    urls += [
        {"loc": url(folders[a.id]), "lastmod": iso_moment(a.updated_at)[:10]} for a in exported
    ]
    page(
        "sitemap.xml",
        ([(u["loc"], u["lastmod"]) for u in urls],),
        lambda: render_template("sitemap.xml", {"urls": urls}, config.templates_dir).encode(),
    )
    return pages, keys


def _as_datetime(moment: datetime | date | None) -> datetime | None:
    if moment is None or isinstance(moment, datetime):
        return moment
    return datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
