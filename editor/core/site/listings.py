"""The pages rendered on every run: front page, section pages, Atom feed and sitemap."""

from __future__ import annotations

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
from editor.core.site.model import CSS_PATH, ExportOptions
from editor.core.site.pages import RenderConfig, resolver_for
from editor.core.site.reading import AssetInfo


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
    assets: dict[str, AssetInfo],
    config: RenderConfig,
    options: ExportOptions,
    now: datetime,
) -> dict[str, bytes]:
    """Front page, section pages, feed and sitemap (cheap: rendered on every run)."""
    pages: dict[str, bytes] = {}
    base = config.base_url

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
            "stories": stories,
            "show_sections": not section_path,
        }
        return render_template("listing.html", context, config.templates_dir).encode("utf-8")

    front = exported[: options.front_page_size]
    pages["index.html"] = listing(
        "",
        "",
        config.site_name,
        "Latest news",
        [_teaser(a, folders[a.id], "", config) for a in front],
        "",
    )
    by_section: dict[str, list[Article]] = {}
    for article in exported:
        by_section.setdefault(section_folder(article.section), []).append(article)
    for label, path in config.section_pages or config.sections:
        folder = path.rstrip("/")
        newest = by_section.get(folder, [])[: options.section_page_size]
        stories = [_teaser(a, folders[a.id], "../", config) for a in newest]
        pages[f"{folder}/index.html"] = listing(
            path, "../", f"{label} | {config.site_name}", label, stories, path
        )

    def url(path: str) -> str:
        return (base + path) if base else path

    updated = max(
        (iso_moment(a.updated_at or a.created_at) for a in front if a.updated_at or a.created_at),
        default=iso_moment(now),
    )
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
    feed_context = {
        "lang": config.lang,
        "site_name": config.site_name,
        "feed_id": base + "feed.xml" if base else "urn:newsroom:feed",
        "updated": updated,
        "home_url": url(""),
        "self_url": url("feed.xml") if base else "",
        "entries": entries,
    }
    pages["feed.xml"] = render_template("feed.xml", feed_context, config.templates_dir).encode()
    urls = [{"loc": url(""), "lastmod": updated[:10]}]
    urls += [
        {"loc": url(path), "lastmod": ""} for _, path in config.section_pages or config.sections
    ]
    urls += [
        {"loc": url(folders[a.id]), "lastmod": iso_moment(a.updated_at)[:10]} for a in exported
    ]
    sitemap = render_template("sitemap.xml", {"urls": urls}, config.templates_dir)
    pages["sitemap.xml"] = sitemap.encode("utf-8")
    return pages


def _as_datetime(moment: datetime | date | None) -> datetime | None:
    if moment is None or isinstance(moment, datetime):
        return moment
    return datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
