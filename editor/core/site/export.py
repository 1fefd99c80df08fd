"""The export run: choose the articles, render what changed, stage, commit, write the manifest."""

from __future__ import annotations

import concurrent.futures
import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from editor.core.errors import ExportError
from editor.core.model import Article
from editor.core.render import (
    asset_ids_in,
    normalise_base_url,
    site_css,
    templates_fingerprint,
)
from editor.core.site.layout import (
    assign_folders,
    newest_first_key,
    publication_block,
    section_folder,
)
from editor.core.site.listings import site_pages
from editor.core.site.manifest import article_input, fingerprint_of, load_manifest, write_manifest
from editor.core.site.model import (
    CSS_PATH,
    MANIFEST_FORMAT,
    ExportCancelled,
    ExportOptions,
    ExportReport,
    ProgressCallback,
    Selection,
    SkippedArticle,
)
from editor.core.site.pages import Job, RenderConfig, Rendered, init_worker, render_batch
from editor.core.site.reading import read_articles, read_assets, read_bodies, read_corrections
from editor.core.site.staging import Staging, commit, stage_images, write_error

_BATCH = 250


#: Below this many pages to render, a pool costs more than it saves.
_POOL_THRESHOLD = 150


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

    candidates = read_articles(newsroom, selection)
    exported: list[Article] = []
    for article in candidates:
        reason = publication_block(article, now)
        if reason is None:
            exported.append(article)
        else:
            report.skipped.append(SkippedArticle(article.id, article.headline, reason))
    report.skipped.sort(key=lambda s: (s.reason, s.headline))
    exported.sort(key=newest_first_key, reverse=True)
    report.articles = len(exported)
    folders = assign_folders(exported)
    corrections = read_corrections(newsroom, folders)
    assets = read_assets(newsroom)
    nav, section_pages = _sections(exported, _managed_sections(newsroom, options))
    site_fp = fingerprint_of(
        templates_fingerprint(templates_dir), base_url, options.site_name, options.lang, nav
    )

    manifest = load_manifest(out, report.warnings)
    old_files: dict[str, str] = dict(manifest["files"])
    old_articles: dict[str, dict] = dict(manifest["articles"])
    new_files: dict[str, str] = {}
    new_articles: dict[str, dict] = {}

    jobs: list[Job] = []
    out_text = str(out)
    for article in exported:
        folder = folders[article.id]
        path = folder + "index.html"
        previous = old_articles.get(article.id) or {}
        fix = corrections.get(article.id, [])
        fingerprint = article_input(
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
            jobs.append(Job(article, folder, tuple(fix), old_hash, fingerprint, assets_before))
    total = len(exported)
    notify(report.unchanged, total, "rendering pages")

    staging = Staging(out)
    config = RenderConfig(
        staging=str(staging.path),
        templates_dir=templates_dir,
        base_url=base_url,
        site_name=options.site_name,
        lang=options.lang,
        sections=nav,
        assets=assets,
        section_pages=section_pages,
    )
    try:
        done = report.unchanged
        for rendered, job in _render_all(newsroom, jobs, config, options.workers, cancelled):
            fingerprint = job.fingerprint
            if rendered.asset_ids != job.previous_assets:
                fingerprint = article_input(
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
        inputs = {article_id: record["input"] for article_id, record in new_articles.items()}
        old_pages: dict[str, str] = manifest["pages"]

        def unchanged(path: str, key: str) -> bool:
            return old_pages.get(path) == key and path in old_files and (out / path).is_file()

        pages, page_keys = site_pages(
            exported, folders, config, options, now, site_fp, inputs, unchanged
        )
        pages[CSS_PATH] = site_css(templates_dir).encode("utf-8")
        for path, data in pages.items():
            if data is None:  # made of what the last run's was made of, and still there
                new_files[path] = old_files[path]
                report.unchanged += 1
                continue
            digest = hashlib.sha256(data).hexdigest()
            new_files[path] = digest
            if old_files.get(path) == digest and (out / path).is_file():
                report.unchanged += 1
            else:
                staging.write(path, data)
                staging.files[path] = digest
        stage_images(newsroom, new_articles, assets, old_files, new_files, out, staging)
        if cancelled():
            raise ExportCancelled("Export cancelled; the site was left as it was.")

        # Commit: from here on only renames and deletions of files the manifest owns.
        commit(out, staging, old_files, new_files, report)
        manifest = {
            "format": MANIFEST_FORMAT,
            "generator": "Newsroom Editor",
            "site": site_fp,
            "files": new_files,
            "articles": new_articles,
            "pages": page_keys,
        }
        write_manifest(out, manifest)
    except OSError as error:  # staging (commit and manifest say their own): site untouched
        raise write_error(error, out) from None
    finally:
        staging.cleanup()
    report.seconds = time.perf_counter() - started
    return report


def _managed_sections(newsroom, options: ExportOptions) -> tuple[str, ...] | None:
    """The sections that make the menu: the options', else the store's managed list."""
    if options.sections is not None:
        return options.sections
    settings = getattr(newsroom, "settings", None)
    if settings is None:
        return None
    return tuple(settings.section_names())


def _sections(
    exported: list[Article], managed: tuple[str, ...] | None
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(menu, section pages) as (label, "folder/") pairs.

    The menu holds the managed sections that have stories, in the managed order; an
    article filed under one in another case is labelled with the managed spelling. A
    section that is not managed gets its folder and page (its articles' kicker links
    there) but no menu entry: 399 free-text sections make 399 small pages, not a
    399-entry menu on every page. Without a managed list every section is in the menu.
    """
    labels: dict[str, str] = {}
    for article in exported:
        labels.setdefault(section_folder(article.section), article.section.strip() or "News")
    if managed is None:
        pages = tuple(
            (label, folder + "/")
            for folder, label in sorted(labels.items(), key=lambda item: item[1].lower())
        )
        return pages, pages
    menu: list[tuple[str, str]] = []
    for name in managed:
        folder = section_folder(name)
        if folder in labels and folder + "/" not in {path for _, path in menu}:
            labels[folder] = name
            menu.append((name, folder + "/"))
    for article in exported:  # the managed spelling on every page that names the section
        wanted = labels[section_folder(article.section)]
        if article.section.strip() != wanted and article.section.strip():
            article.section = wanted
    in_menu = {path for _, path in menu}
    others = sorted(
        ((label, folder + "/") for folder, label in labels.items() if folder + "/" not in in_menu),
        key=lambda item: item[0].lower(),
    )
    return tuple(menu), (*menu, *others)


def _usable_cores() -> int:
    """The cores this process may run on (its affinity mask), not all the machine has."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def _render_all(
    newsroom,
    jobs: list[Job],
    config: RenderConfig,
    workers: int | None,
    cancelled: Callable[[], bool],
) -> Iterator[tuple[Rendered, Job]]:
    """Render the jobs in batches (bodies read per batch); in a process pool when worth it."""

    def batches() -> Iterator[list[Job]]:
        for start in range(0, len(jobs), _BATCH):
            batch = jobs[start : start + _BATCH]
            bodies = read_bodies(newsroom, [j.article.head_revision_id or "" for j in batch])
            for job in batch:  # the parent's copy drops the body again once rendered
                job.article.body = bodies.get(job.article.head_revision_id or "", "")
            yield batch

    count = workers or _usable_cores()
    if len(jobs) < _POOL_THRESHOLD or count < 2:
        for batch in batches():
            if cancelled():
                raise ExportCancelled("Export cancelled; the site was left as it was.")
            yield from zip(render_batch(batch, config), batch, strict=True)
        return

    context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=count, mp_context=context, initializer=init_worker, initargs=(config,)
    ) as pool:
        pending: dict[concurrent.futures.Future, list[Job]] = {}
        source = batches()
        exhausted = False
        try:
            while pending or not exhausted:
                while not exhausted and len(pending) < count * 2:
                    batch = next(source, None)
                    if batch is None:
                        exhausted = True
                        break
                    pending[pool.submit(render_batch, batch)] = batch
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
