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

Modules: `model` (options, report), `reading` (the store), `layout` (what goes where),
`pages` (article pages, in workers), `listings` (front, sections, feed, sitemap),
`manifest`, `staging` (atomic output) and `export` (the run).
"""

from editor.core.errors import ExportError
from editor.core.model import PUBLISHABLE
from editor.core.site.export import export_single_page, export_site
from editor.core.site.layout import article_folder, publication_block, section_folder
from editor.core.site.model import (
    CSS_PATH,
    MANIFEST_FORMAT,
    MANIFEST_NAME,
    ExportCancelled,
    ExportOptions,
    ExportReport,
    ProgressCallback,
    Selection,
    SkippedArticle,
)
from editor.core.site.reading import AssetInfo, read_assets, read_corrections

__all__ = [
    "CSS_PATH",
    "MANIFEST_FORMAT",
    "MANIFEST_NAME",
    "PUBLISHABLE",
    "AssetInfo",
    "ExportCancelled",
    "ExportError",
    "ExportOptions",
    "ExportReport",
    "ProgressCallback",
    "Selection",
    "SkippedArticle",
    "article_folder",
    "export_single_page",
    "export_site",
    "publication_block",
    "read_assets",
    "read_corrections",
    "section_folder",
]
