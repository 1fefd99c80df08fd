"""The static site export: article pages, front page, section pages, Atom feed, sitemap.

Layout of the output folder (every link relative, so it works from disk and under any path):

    index.html                                  newest stories
    <section>/index.html                        one page per section
    <section>/<yyyy>/<mm>/<slug>/index.html     one page per article
    feed.xml, sitemap.xml
    assets/site.css, assets/<asset-id>.<ext>    stylesheet and the articles' images
    .newsroom-manifest.json                     what the last run wrote, with content hashes

Only approved, published or corrected articles go to the web; embargoed ones (until their
time), those on legal hold and those marked not for publication are skipped with a reason.

Atomic and incremental: a run renders into a temporary folder beside the target, then moves
the changed files into place and writes the manifest last, so an interrupted or cancelled
run leaves the previous site as it was. An article whose inputs (fields, body version,
corrections, images, templates) did not change since the manifest is not even rendered;
a page whose output did not change is not rewritten; files of articles that left the export
set are removed. Only files the manifest lists are ever removed.

Rendering runs in a process pool (both cores), each process with its own cached Markdown
converter; the database is read in batches by the parent while the workers render.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from editor.core.errors import NewsroomError
from editor.core.model import Article, Status
from editor.core.render import (
    Correction,
    ResolvedAsset,
    SiteContext,
    asset_ids_in,
    author_names,
    export_asset_path,
    format_ap_date,
    format_ap_datetime,
    iso_moment,
    normalise_base_url,
    published_moment,
    render_article_page,
    render_template,
    site_css,
    templates_fingerprint,
)
from editor.core.text import is_valid_slug, slugify

MANIFEST_NAME = ".newsroom-manifest.json"
MANIFEST_FORMAT = 1
CSS_PATH = "assets/site.css"
PUBLISHABLE = frozenset({Status.APPROVED, Status.PUBLISHED, Status.CORRECTED})
#: Top-level names a section folder may not take.
_RESERVED = frozenset({"assets", "index", "feed", "sitemap"})
_BATCH = 250
#: Below this many pages to render, a pool costs more than it saves.
_POOL_THRESHOLD = 150

ProgressCallback = Callable[[int, int, str], None]


class ExportError(NewsroomError):
    """The site cannot be written where it was asked to go."""


class ExportCancelled(NewsroomError):
    """The export was cancelled; the previous site was left as it was."""


@dataclass(frozen=True)
class ExportOptions:
    """How a site is exported. `base_url` is needed for absolute canonical/feed/sitemap URLs."""

    base_url: str = ""
    templates_dir: str | Path | None = None
    site_name: str = "Newsroom"
    lang: str = "en"
    #: Render processes; None: one per core.
    workers: int | None = None
    #: Stories on the front page and in the feed.
    front_page_size: int = 40
    #: Newest stories listed on each section page (all of them are in the sitemap).
    section_page_size: int = 100
    #: "Now" for embargoes (tests pin it); None: the clock.
    now: datetime | None = None


@dataclass(frozen=True)
class Selection:
    """Which articles make the site: all live ones, those in one status, or given ids."""

    status: Status | None = None
    ids: tuple[str, ...] | None = None


@dataclass(frozen=True)
class SkippedArticle:
    article_id: str
    headline: str
    reason: str


@dataclass
class ExportReport:
    """What one run did; `summary_lines()` is what the CLI and the dialog print."""

    out_dir: Path
    articles: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    skipped: list[SkippedArticle] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary_lines(self) -> list[str]:
        lines = [
            f"{self.articles} article(s) in the site at {self.out_dir}: "
            f"{len(self.written)} file(s) written, {self.unchanged} unchanged, "
            f"{len(self.removed)} removed, {len(self.skipped)} article(s) skipped "
            f"({self.seconds:.1f} s)"
        ]
        for skipped in self.skipped:
            title = skipped.headline or "Untitled"
            lines.append(f"skipped {skipped.article_id[:8]}  “{title}”: {skipped.reason}")
        lines += [f"warning: {warning}" for warning in self.warnings]
        return lines


# -- reading the store (the assets API of editor/core/assets.py may replace these) -------------


@dataclass(frozen=True, slots=True)
class AssetInfo:
    """One image as the export needs it; `data` only when asked for."""

    id: str
    media_type: str
    sha256: str
    alt: str = ""
    caption: str = ""
    credit: str = ""
    width: int | None = None
    height: int | None = None
    data: bytes | None = None


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _read_articles(newsroom, selection: Selection) -> list[Article]:
    """Metadata of the selected live articles, without bodies (those are read in batches)."""
    from sqlalchemy import select

    from editor.store.models import ArticleRow

    columns = (
        ArticleRow.id,
        ArticleRow.headline,
        ArticleRow.standfirst,
        ArticleRow.slug,
        ArticleRow.byline,
        ArticleRow.section,
        ArticleRow.tags,
        ArticleRow.dateline,
        ArticleRow.story_date,
        ArticleRow.status,
        ArticleRow.version,
        ArticleRow.head_revision_id,
        ArticleRow.word_count,
        ArticleRow.created_at,
        ArticleRow.updated_at,
        ArticleRow.embargo_until,
        ArticleRow.legal_hold,
        ArticleRow.not_for_publication,
        ArticleRow.featured_asset_id,
        ArticleRow.published_at,
    )
    base = select(*columns).where(ArticleRow.deleted_at.is_(None))
    if selection.status is not None:
        base = base.where(ArticleRow.status == Status(selection.status).value)
    statements = (
        [base]
        if selection.ids is None
        else [base.where(ArticleRow.id.in_(chunk)) for chunk in _chunks(selection.ids)]
    )
    articles: list[Article] = []
    with newsroom.store._read() as session:
        for statement in statements:
            for row in session.execute(statement):
                articles.append(
                    Article(
                        id=row.id,
                        headline=row.headline or "",
                        standfirst=row.standfirst or "",
                        slug=row.slug or "",
                        byline=row.byline or "",
                        section=row.section or "",
                        tags=list(row.tags or []),
                        dateline=row.dateline or "",
                        story_date=row.story_date,
                        status=Status(row.status),
                        version=row.version,
                        head_revision_id=row.head_revision_id,
                        word_count=row.word_count or 0,
                        created_at=_aware(row.created_at),
                        updated_at=_aware(row.updated_at),
                        embargo_until=_aware(row.embargo_until),
                        legal_hold=bool(row.legal_hold),
                        not_for_publication=bool(row.not_for_publication),
                        featured_asset_id=row.featured_asset_id,
                        published_at=_aware(row.published_at),
                    )
                )
    return articles


def _read_bodies(newsroom, revision_ids: Sequence[str]) -> dict[str, str]:
    from sqlalchemy import select

    from editor.store.models import RevisionRow

    bodies: dict[str, str] = {}
    with newsroom.store._read() as session:
        for chunk in _chunks(revision_ids):
            statement = select(RevisionRow.id, RevisionRow.body).where(RevisionRow.id.in_(chunk))
            bodies.update((row.id, row.body or "") for row in session.execute(statement))
    return bodies


def read_corrections(newsroom, article_ids: Iterable[str]) -> dict[str, list[Correction]]:
    """Corrections (events with action "correct") of the given articles, oldest first."""
    from sqlalchemy import select

    from editor.store.models import EventRow

    wanted = set(article_ids)
    found: dict[str, list[Correction]] = {}
    with newsroom.store._read() as session:
        statement = (
            select(EventRow.article_id, EventRow.created_at, EventRow.note)
            .where(EventRow.action == "correct")
            .order_by(EventRow.created_at)
        )
        for row in session.execute(statement):
            if row.article_id in wanted and (row.note or "").strip():
                found.setdefault(row.article_id, []).append(
                    Correction(when=_aware(row.created_at), text=row.note)
                )
    return found


def read_assets(
    newsroom, asset_ids: Iterable[str] | None = None, *, with_data: bool = False
) -> dict[str, AssetInfo]:
    """Asset rows by id (all of them when `asset_ids` is None); bytes only with `with_data`."""
    from sqlalchemy import select

    from editor.store.models import AssetRow

    columns = [
        AssetRow.id,
        AssetRow.media_type,
        AssetRow.sha256,
        AssetRow.alt,
        AssetRow.caption,
        AssetRow.credit,
        AssetRow.width,
        AssetRow.height,
    ]
    if with_data:
        columns.append(AssetRow.data)
    base = select(*columns)
    ids = None if asset_ids is None else sorted(set(asset_ids))
    statements = [base] if ids is None else [base.where(AssetRow.id.in_(c)) for c in _chunks(ids)]
    assets: dict[str, AssetInfo] = {}
    with newsroom.store._read() as session:
        for statement in statements:
            for row in session.execute(statement):
                assets[row.id] = AssetInfo(
                    id=row.id,
                    media_type=row.media_type or "",
                    sha256=row.sha256 or "",
                    alt=row.alt or "",
                    caption=row.caption or "",
                    credit=row.credit or "",
                    width=row.width,
                    height=row.height,
                    data=bytes(row.data) if with_data and row.data is not None else None,
                )
    return assets


# -- what goes to the web, and where ----------------------------------------------------------


def publication_block(article: Article, now: datetime | None = None) -> str | None:
    """Why `article` may not go to the web now, or None when it may."""
    now = now or datetime.now(UTC)
    if article.legal_hold:
        return "on legal hold"
    if article.not_for_publication:
        return "marked not for publication"
    if article.embargo_until is not None and _aware(article.embargo_until) > now:
        when = format_ap_datetime(article.embargo_until)
        return f"embargoed until {when}"
    if article.status not in PUBLISHABLE:
        return f"not approved ({article.status.label.lower()})"
    return None


@functools.lru_cache(maxsize=4096)
def section_folder(section: str) -> str:
    folder = slugify(section) or "news"
    return f"{folder}-section" if folder in _RESERVED else folder


def _page_moment(article: Article) -> datetime | date | None:
    return published_moment(article)


def _sort_key(article: Article) -> tuple[str, str]:
    moment = _page_moment(article)
    if isinstance(moment, datetime):
        key = moment.astimezone(UTC).isoformat()
    elif isinstance(moment, date):
        key = moment.isoformat() + "T00:00:00+00:00"
    else:
        key = ""
    return key, article.id


def article_folder(article: Article) -> str:
    """`<section>/<yyyy>/<mm>/<slug>/`: stable and readable."""
    moment = _page_moment(article) or datetime(1970, 1, 1, tzinfo=UTC)
    slug = article.slug if is_valid_slug(article.slug) else slugify(article.headline)
    section = section_folder(article.section)
    return f"{section}/{moment.year:04d}/{moment.month:02d}/{slug or 'untitled'}/"


def _assign_folders(articles: Sequence[Article]) -> dict[str, str]:
    """Folder of each article; a clash (two invalid slugs alike) gets the id appended."""
    folders: dict[str, str] = {}
    taken: set[str] = set()
    for article in sorted(articles, key=lambda a: a.id):
        folder = article_folder(article)
        if folder in taken:
            folder = f"{folder[:-1]}-{article.id[:8].lower()}/"
        taken.add(folder)
        folders[article.id] = folder
    return folders


# -- rendering (runs in worker processes) ------------------------------------------------------


@dataclass(frozen=True)
class _RenderConfig:
    staging: str
    templates_dir: str | None
    base_url: str
    site_name: str
    lang: str
    sections: tuple[tuple[str, str], ...]
    assets: dict[str, AssetInfo]


@dataclass(frozen=True, slots=True)
class _Job:
    article: Article
    folder: str
    corrections: tuple[Correction, ...]
    old_hash: str | None
    #: The input fingerprint, computed with the images the page used last time.
    fingerprint: str = ""
    previous_assets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Rendered:
    article_id: str
    path: str
    sha256: str
    wrote: bool
    asset_ids: tuple[str, ...]


_config: _RenderConfig | None = None


def _init_worker(config: _RenderConfig) -> None:
    global _config
    _config = config


def _article_root() -> str:
    return "../../../../"


def _resolver_for(config: _RenderConfig, root: str) -> Callable[[str], ResolvedAsset | None]:
    def resolve(asset_id: str) -> ResolvedAsset | None:
        asset = config.assets.get(asset_id)
        if asset is None:
            return None
        path = export_asset_path(asset.id, asset.media_type)
        if path is None:
            return None
        return ResolvedAsset(
            url=root + path,
            alt=asset.alt,
            caption=asset.caption,
            credit=asset.credit,
            width=asset.width,
            height=asset.height,
        )

    return resolve


def _render_batch(jobs: Sequence[_Job], config: _RenderConfig | None = None) -> list[_Rendered]:
    """Render and stage the pages of `jobs`; pages equal to their last export are not staged."""
    config = config or _config
    assert config is not None, "worker not initialised"
    root = _article_root()
    resolver = _resolver_for(config, root)
    results: list[_Rendered] = []
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
        results.append(_Rendered(article.id, path, digest, wrote, tuple(dict.fromkeys(used))))
    return results


# -- the export ---------------------------------------------------------------------------------


def _load_manifest(out_dir: Path, warnings: list[str]) -> dict:
    path = out_dir / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"files": {}, "articles": {}}
    except (OSError, ValueError) as error:
        warnings.append(f"the previous manifest could not be read ({error}); all pages rewritten")
        return {"files": {}, "articles": {}}
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        warnings.append("the previous manifest has an unknown format; all pages rewritten")
        return {"files": {}, "articles": {}}
    manifest.setdefault("files", {})
    manifest.setdefault("articles", {})
    return manifest


def _fingerprint(*parts: object) -> str:
    """A hash of plain values (str, int, None, dates, tuples and lists of them); `repr` of
    those is stable between runs and much cheaper than JSON."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _article_input(
    article: Article,
    folder: str,
    corrections: Sequence[Correction],
    asset_ids: Iterable[str],
    assets: dict[str, AssetInfo],
    site_fp: str,
) -> str:
    used = [a for a in dict.fromkeys([article.featured_asset_id or "", *asset_ids]) if a]
    return _fingerprint(
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


class _Staging:
    """A temporary folder beside the target; files staged here are moved into place."""

    def __init__(self, out_dir: Path) -> None:
        try:
            out_dir.parent.mkdir(parents=True, exist_ok=True)
            self.path = Path(
                tempfile.mkdtemp(prefix=f".{out_dir.name}.export-", dir=out_dir.parent)
            )
        except OSError as error:
            raise ExportError(f"Cannot write to {out_dir.parent}: {error.strerror}.") from None
        self.files: dict[str, str] = {}

    def write(self, relative: str, data: bytes) -> None:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def cleanup(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def export_site(
    newsroom,
    out_dir: str | Path,
    *,
    selection: Selection = Selection(),
    options: ExportOptions = ExportOptions(),
    progress: ProgressCallback | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> ExportReport:
    """Export the selected articles as a static site in `out_dir` (see the module docstring).

    `progress(done, total, what)` is called as pages are rendered; `is_cancelled()` is asked
    between batches and makes the run stop with `ExportCancelled`, the old site untouched.
    """
    started = time.perf_counter()
    out = Path(out_dir).expanduser().absolute()
    if out.exists() and not out.is_dir():
        raise ExportError(f"Cannot export to {out}: it is a file, not a folder.")
    templates_dir = str(options.templates_dir) if options.templates_dir else None
    if templates_dir and not Path(templates_dir).is_dir():
        raise ExportError(f"The template folder {templates_dir} does not exist.")
    base_url = normalise_base_url(options.base_url)
    report = ExportReport(out_dir=out)
    if not base_url:
        report.warnings.append(
            "no site base URL: canonical links, the feed and the sitemap use relative URLs"
        )
    cancelled = is_cancelled or (lambda: False)
    notify = progress or (lambda done, total, what: None)
    now = options.now or datetime.now(UTC)

    candidates = _read_articles(newsroom, selection)
    exported: list[Article] = []
    for article in candidates:
        reason = publication_block(article, now)
        if reason is None:
            exported.append(article)
        else:
            report.skipped.append(SkippedArticle(article.id, article.headline, reason))
    report.skipped.sort(key=lambda s: (s.reason, s.headline))
    exported.sort(key=_sort_key, reverse=True)
    report.articles = len(exported)
    folders = _assign_folders(exported)
    corrections = read_corrections(newsroom, folders)
    assets = read_assets(newsroom)
    sections = tuple(
        sorted(
            {section_folder(a.section): a.section.strip() or "News" for a in exported}.items(),
            key=lambda item: item[1].lower(),
        )
    )
    nav = tuple((label, folder + "/") for folder, label in sections)
    site_fp = _fingerprint(
        templates_fingerprint(templates_dir), base_url, options.site_name, options.lang, nav
    )

    manifest = _load_manifest(out, report.warnings)
    old_files: dict[str, str] = dict(manifest["files"])
    old_articles: dict[str, dict] = dict(manifest["articles"])
    new_files: dict[str, str] = {}
    new_articles: dict[str, dict] = {}

    jobs: list[_Job] = []
    out_text = str(out)
    for article in exported:
        folder = folders[article.id]
        path = folder + "index.html"
        previous = old_articles.get(article.id) or {}
        fix = corrections.get(article.id, [])
        fingerprint = _article_input(
            article, folder, fix, previous.get("assets", []), assets, site_fp
        )
        if (
            previous.get("input") == fingerprint
            and previous.get("path") == path
            and path in old_files
            and os.path.isfile(f"{out_text}/{path}")
        ):
            new_files[path] = old_files[path]
            new_articles[article.id] = previous
            report.unchanged += 1
        else:
            on_disk = path in old_files and os.path.isfile(f"{out_text}/{path}")
            old_hash = old_files[path] if on_disk else None
            assets_before = tuple(previous.get("assets", []))
            jobs.append(_Job(article, folder, tuple(fix), old_hash, fingerprint, assets_before))
    total = len(exported)
    notify(report.unchanged, total, "rendering pages")

    staging = _Staging(out)
    config = _RenderConfig(
        staging=str(staging.path),
        templates_dir=templates_dir,
        base_url=base_url,
        site_name=options.site_name,
        lang=options.lang,
        sections=nav,
        assets=assets,
    )
    try:
        done = report.unchanged
        for rendered, job in _render_all(newsroom, jobs, config, options.workers, cancelled):
            fingerprint = job.fingerprint
            if rendered.asset_ids != job.previous_assets:
                fingerprint = _article_input(
                    job.article, job.folder, job.corrections, rendered.asset_ids, assets, site_fp
                )
            new_files[rendered.path] = rendered.sha256
            new_articles[rendered.article_id] = {
                "path": rendered.path,
                "input": fingerprint,
                "assets": list(rendered.asset_ids),
            }
            if rendered.wrote:
                staging.files[rendered.path] = rendered.sha256
            else:
                report.unchanged += 1
            done += 1
            if done % 50 == 0 or done == total:
                notify(done, total, "rendering pages")
        if cancelled():
            raise ExportCancelled("Export cancelled; the site was left as it was.")

        notify(total, total, "writing front page, sections, feed and sitemap")
        pages = _site_pages(exported, folders, assets, config, options, now)
        css = site_css(templates_dir).encode("utf-8")
        pages[CSS_PATH] = css
        for path, data in pages.items():
            digest = hashlib.sha256(data).hexdigest()
            new_files[path] = digest
            if old_files.get(path) == digest and (out / path).is_file():
                report.unchanged += 1
            else:
                staging.write(path, data)
                staging.files[path] = digest
        _stage_images(newsroom, new_articles, assets, old_files, new_files, out, staging)
        if cancelled():
            raise ExportCancelled("Export cancelled; the site was left as it was.")

        # Commit: from here on only renames and deletions of files the manifest owns.
        _commit(out, staging, old_files, new_files, report)
        manifest = {
            "format": MANIFEST_FORMAT,
            "generator": "Newsroom Editor",
            "site": site_fp,
            "files": new_files,
            "articles": new_articles,
        }
        _write_manifest(out, manifest)
    finally:
        staging.cleanup()
    report.seconds = time.perf_counter() - started
    return report


def _usable_cores() -> int:
    """The cores this process may run on (its affinity mask), not all the machine has."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def _render_all(
    newsroom,
    jobs: list[_Job],
    config: _RenderConfig,
    workers: int | None,
    cancelled: Callable[[], bool],
) -> Iterator[tuple[_Rendered, _Job]]:
    """Render the jobs in batches (bodies read per batch); in a process pool when worth it."""

    def batches() -> Iterator[list[_Job]]:
        for start in range(0, len(jobs), _BATCH):
            batch = jobs[start : start + _BATCH]
            bodies = _read_bodies(newsroom, [j.article.head_revision_id or "" for j in batch])
            for job in batch:  # the parent's copy drops the body again once rendered
                job.article.body = bodies.get(job.article.head_revision_id or "", "")
            yield batch

    count = workers or _usable_cores()
    if len(jobs) < _POOL_THRESHOLD or count < 2:
        for batch in batches():
            if cancelled():
                raise ExportCancelled("Export cancelled; the site was left as it was.")
            yield from zip(_render_batch(batch, config), batch, strict=True)
        return

    context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=count, mp_context=context, initializer=_init_worker, initargs=(config,)
    ) as pool:
        pending: dict[concurrent.futures.Future, list[_Job]] = {}
        source = batches()
        exhausted = False
        try:
            while pending or not exhausted:
                while not exhausted and len(pending) < count * 2:
                    batch = next(source, None)
                    if batch is None:
                        exhausted = True
                        break
                    pending[pool.submit(_render_batch, batch)] = batch
                finished, _ = concurrent.futures.wait(
                    pending, return_when=concurrent.futures.FIRST_COMPLETED
                )
                for future in finished:
                    batch = pending.pop(future)
                    for job in batch:
                        job.article.body = ""
                    yield from zip(future.result(), batch, strict=True)
                if cancelled():
                    raise ExportCancelled("Export cancelled; the site was left as it was.")
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def _teaser(article: Article, folder: str, root: str, config: _RenderConfig) -> dict:
    moment = _page_moment(article)
    if isinstance(moment, datetime):
        time_text = format_ap_datetime(moment)
    elif isinstance(moment, date):
        time_text = format_ap_date(moment)
    else:
        time_text = ""
    image = None
    if article.featured_asset_id:
        asset = _resolver_for(config, root)(article.featured_asset_id)
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


def _site_pages(
    exported: list[Article],
    folders: dict[str, str],
    assets: dict[str, AssetInfo],
    config: _RenderConfig,
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
    for label, path in config.sections:
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
            "published": iso_moment(_as_datetime(_page_moment(a)) or a.created_at or now),
            "updated": iso_moment(a.updated_at or a.created_at or now),
            "authors": author_names(a.byline),
            "section": a.section.strip(),
            "standfirst": " ".join(a.standfirst.split()),
        }
        for a in front
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
    urls += [{"loc": url(path), "lastmod": ""} for _, path in config.sections]
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


def _stage_images(
    newsroom,
    articles: dict[str, dict],
    assets: dict[str, AssetInfo],
    old_files: dict[str, str],
    new_files: dict[str, str],
    out: Path,
    staging: _Staging,
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
    for chunk in _chunks(sorted(wanted), 50):
        for asset_id, asset in read_assets(newsroom, chunk, with_data=True).items():
            if asset.data is not None:
                staging.write(wanted[asset_id], asset.data)
                staging.files[wanted[asset_id]] = asset.sha256


def _commit(
    out: Path,
    staging: _Staging,
    old_files: dict[str, str],
    new_files: dict[str, str],
    report: ExportReport,
) -> None:
    """Move the staged files into place, then remove the files that left the site.

    A staged folder whose counterpart does not exist yet in the site (a new article, or a
    whole new site) moves in one rename; other files are replaced one by one (each replace
    is atomic, so a reader never sees half a page).
    """
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
                moved = folder + "/"
                break
            else:
                os.replace(staging.path / relative, out / relative)
        for relative in sorted(set(old_files) - set(new_files)):
            target = out / relative
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
            report.removed.append(relative)
            _prune(target.parent, out)
    except OSError as error:
        raise ExportError(
            f"Cannot write the site in {out}: {error.strerror or error}. "
            "Pages already moved are complete; export again to finish."
        ) from error


def _prune(folder: Path, root: Path) -> None:
    """Remove folders left empty by removed pages, up to (not including) the site root."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _write_manifest(out: Path, manifest: dict) -> None:
    target = out / MANIFEST_NAME
    temp = out / f".{MANIFEST_NAME}.tmp"
    try:
        temp.write_text(json.dumps(manifest, separators=(",", ":")), encoding="utf-8")
        os.replace(temp, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise ExportError(f"Cannot write {target}: {error.strerror or error}.") from error


def export_single_page(newsroom, article: Article, path: str | Path) -> Path:
    """One standalone page (images inlined as data: URLs, corrections printed); an article
    that is not approved or published becomes a marked preview. See `export_article_html`."""
    from editor.core.export import export_article_html
    from editor.core.render import data_url_resolver

    wanted = [a for a in [article.featured_asset_id, *asset_ids_in(article.body)] if a]
    assets = read_assets(newsroom, wanted, with_data=True) if wanted else {}
    fixes = read_corrections(newsroom, [article.id]).get(article.id, [])
    return export_article_html(
        article, path, resolver=data_url_resolver(assets.get), corrections=fixes
    )
