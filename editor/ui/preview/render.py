"""What the preview worker computes: a full page to load, or a patch of the changed blocks.

No widgets here (the worker must never touch one). `PreviewRenderer` keeps the blocks and
their HTML as the page shows them; `update()` re-renders only blocks whose text is new and
diffs the HTML parts, so the page receives only what changed. Every part goes through
`render.render_body_html`, the export's own Markdown + nh3 pipeline.

The page is the export's: the newsroom's template folder and site settings (`set_site`), a
`SiteContext` built as `editor.core.site.pages` builds it, and the stylesheet linked from
`assets/site.css` beside the page. A template folder that is missing or fails to render
falls back to the built-in templates with a notice; a page without `id="article-body"` is
not patchable (the pane then loads it whole after each edit).

Corrections print at the foot as the export prints them: `set_corrections` takes a source
of them (`corrections_source(newsroom)`: the export's own `site.read_corrections`), read
once per full load and kept for the patches in between.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from editor.core import render
from editor.core.blocks import BlockRenderCache, diff_blocks, join_rendered, split_blocks
from editor.core.errors import NewsroomError
from editor.core.model import Article
from editor.core.site import CSS_PATH, article_folder, read_corrections, section_folder

#: An article's corrections by its id, oldest first (what the export prints at the foot).
CorrectionSource = Callable[[str], Sequence[render.Correction]]


def corrections_source(newsroom) -> CorrectionSource:
    """The corrections of an article in `newsroom`'s store, read as the site export reads
    them (`editor.core.site.read_corrections`), for `PreviewRenderer.set_corrections`."""

    def corrections(article_id: str) -> Sequence[render.Correction]:
        return read_corrections(newsroom, [article_id]).get(article_id, [])

    return corrections


@dataclass(frozen=True)
class PageLoad:
    """A whole page (export template) to load, and the body's parts to patch it by later."""

    page_html: str
    parts: list[str]
    path: Path | None = None
    #: False when the template has no `id="article-body"`: edits load the page whole.
    patchable: bool = True
    #: Why the built-in templates stand in for the newsroom's (shown above the preview).
    notice: str = ""


@dataclass(frozen=True)
class BodyPatch:
    """`parts[start:start + remove]` become `insert`; `header_page` re-renders the rest."""

    start: int
    remove: int
    insert: list[str]
    header_page: str | None
    block_count: int

    @property
    def empty(self) -> bool:
        return not self.remove and not self.insert and self.header_page is None


def _with_dateline(first_part: str, dateline: str) -> str:
    # The export prints the dateline as the lead-in of the body's first paragraph; it only
    # looks at the start of the body HTML, so applying it to the first part is exact.
    return str(render._with_dateline(first_part, dateline))


#: The patcher's container, as the default article.html has it.
_BODY_ID = re.compile(r"""\bid\s*=\s*["']?article-body(?:["'\s>/])""")
#: The page's folder below the preview's folder; the site root is one level up.
_PAGES = "page"


def _site(article: Article, site_name: str, base_url: str) -> render.SiteContext:
    """Where the page would sit in the exported site (as `site.pages.render_batch` has it)."""
    section_path = section_folder(article.section) + "/"
    return render.SiteContext(
        root="../",
        base_url=base_url,
        path=article_folder(article),
        site_name=site_name,
        sections=((article.section.strip() or "News", section_path),),
        section_path=section_path,
        css_path=CSS_PATH,
    )


def _frame(article: Article, resolver: render.AssetResolver | None, site_name: str = "Newsroom",
           base_url: str = "", templates_dir: str | None = None,
           corrections: Sequence[render.Correction] = ()) -> str:  # fmt: skip
    """The page without a body: header, featured image, corrections, footer, banner (no
    body render)."""
    return render.render_article_page(
        replace(article, body=""),
        preview=True,
        resolver=resolver,
        corrections=corrections,
        site=_site(article, site_name, base_url),
        templates_dir=templates_dir,
        body_html="",
    )


class PreviewRenderer:
    """The page's state as the worker last described it; used by one worker at a time."""

    def __init__(self, folder: Path | None = None) -> None:
        self.resolver: render.AssetResolver | None = None
        self.cache = BlockRenderCache(self._render_block)
        self._folder = folder
        self._loads = 0
        self._parts: list[str] = []
        self._frame = ""
        self.block_count = 0
        #: The export's settings (see `set_site`); `_templates` is the folder in use.
        self.templates_dir: str | None = None
        self.site_name = "Newsroom"
        self.base_url = ""
        self._templates: str | None = None
        self._css = ""
        self.notice = ""
        #: Whether the last full page has the patcher's `#article-body` container.
        self.patchable = True
        self._correction_source: CorrectionSource | None = None
        #: (article id, its corrections) as read at the last full load.
        self._corrections: tuple[str, tuple[render.Correction, ...]] = ("", ())

    def _render_block(self, markdown_text: str) -> str:
        return render.render_body_html(markdown_text, self.resolver)

    def set_resolver(self, resolver: render.AssetResolver | None) -> None:
        """How `asset:` images find their URLs; cached blocks are rendered afresh."""
        self.resolver = resolver
        self.cache = BlockRenderCache(self._render_block)

    def set_corrections(self, source: CorrectionSource | None) -> None:
        """Where the corrections printed at the foot come from (`corrections_source`); None:
        none shown. Read at each full load (`full`), as the page then is loaded afresh."""
        self._correction_source = source
        self._corrections = ("", ())

    def _corrections_of(self, article: Article, *, fresh: bool) -> tuple[render.Correction, ...]:
        if self._correction_source is None:
            return ()
        if fresh or self._corrections[0] != article.id:
            self._corrections = (article.id, tuple(self._correction_source(article.id)))
        return self._corrections[1]

    def set_site(self, templates_dir: str | None, site_name: str, base_url: str) -> None:
        """The export's template folder, site name and address; the next `full` uses them."""
        self.templates_dir = str(Path(templates_dir).expanduser()) if templates_dir else None
        self.site_name = site_name.strip() or "Newsroom"
        try:
            self.base_url = render.normalise_base_url(base_url)
        except NewsroomError:
            self.base_url = ""  # the Preferences dialog refuses it; the page needs none

    def _page(self, article: Article, body_html: str, templates: str | None) -> tuple[str, str]:
        corrections = self._corrections_of(article, fresh=False)
        page = render.render_article_page(
            article,
            preview=True,
            resolver=self.resolver,
            corrections=corrections,
            site=_site(article, self.site_name, self.base_url),
            templates_dir=templates,
            body_html=body_html,
        )
        frame = _frame(
            article, self.resolver, self.site_name, self.base_url, templates, corrections
        )
        return page, frame

    def _render_page(self, article: Article, body_html: str) -> tuple[str, str]:
        """Page and frame with the newsroom's templates, else the built-in ones (and why)."""
        self.notice = ""
        templates = self.templates_dir
        if templates:
            try:
                if not Path(templates).is_dir():
                    raise render.TemplateError(f"The template folder {templates} does not exist.")
                page, frame = self._page(article, body_html, templates)
                self._templates = templates
                self._css = render.site_css(templates)
                return page, frame
            except (render.TemplateError, OSError, ValueError) as error:
                reason = str(error).strip() or type(error).__name__
                self.notice = f"{reason} The preview uses the built-in templates."
        self._templates = None
        self._css = render.site_css(None)
        return self._page(article, body_html, None)

    @property
    def render_count(self) -> int:
        """Block renders so far (cache misses): what an edit of one paragraph should cost 1."""
        return self.cache.render_count

    def _body_parts(self, article: Article, raw: list[str] | None = None) -> list[str]:
        if raw is None:
            raw = self._raw_parts(article)
        parts = raw
        first = next((i for i, part in enumerate(parts) if part), None)
        if first is None:
            lead = _with_dateline("", article.dateline)
            return [lead.rstrip("\n")] if lead else []
        parts = list(parts)
        parts[first] = _with_dateline(parts[first], article.dateline)
        return parts

    def _raw_parts(self, article: Article) -> list[str]:
        blocks = split_blocks(article.body)
        self.block_count = len(blocks)
        return self.cache.render_blocks(blocks)

    def full(self, article: Article) -> PageLoad:
        """The page as the export renders it; written to a file when a folder is set."""
        raw = self._raw_parts(article)
        self._corrections_of(article, fresh=True)  # a new load: a correction may be new
        # The page from the same block renders the patches use: the body is rendered once.
        page, self._frame = self._render_page(article, join_rendered(raw))
        self._parts = self._body_parts(article, raw)
        self.patchable = _BODY_ID.search(self._frame) is not None
        path = None
        if self._folder is not None:
            self._loads += 1
            pages = self._folder / _PAGES
            pages.mkdir(exist_ok=True)
            css = self._folder / CSS_PATH
            css.parent.mkdir(parents=True, exist_ok=True)
            css.write_text(self._css, encoding="utf-8")
            path = pages / f"preview-{self._loads}.html"
            path.write_text(page, encoding="utf-8")
            previous = pages / f"preview-{self._loads - 1}.html"
            previous.unlink(missing_ok=True)
        return PageLoad(page, list(self._parts), path, self.patchable, self.notice)

    def update(self, article: Article) -> BodyPatch:
        """Only what changed since the last `full` or `update`."""
        parts = self._body_parts(article)
        diff = diff_blocks(self._parts, parts)
        self._parts = parts
        corrections = self._corrections_of(article, fresh=False)
        frame = _frame(
            article, self.resolver, self.site_name, self.base_url, self._templates, corrections
        )
        header = frame if frame != self._frame else None
        self._frame = frame
        return BodyPatch(
            diff.start,
            diff.old_end - diff.start,
            parts[diff.start : diff.new_end],
            header,
            self.block_count,
        )
