"""What the preview worker computes: a full page to load, or a patch of the changed blocks.

No widgets here (the worker must never touch one). `PreviewRenderer` keeps the blocks and
their HTML as the page shows them; `update()` re-renders only blocks whose text is new and
diffs the HTML parts, so the page receives only what changed. Every part goes through
`render.render_body_html`, the export's own Markdown + nh3 pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from editor.core import render
from editor.core.blocks import BlockRenderCache, diff_blocks, join_rendered, split_blocks
from editor.core.model import Article


@dataclass(frozen=True)
class PageLoad:
    """A whole page (export template) to load, and the body's parts to patch it by later."""

    page_html: str
    parts: list[str]
    path: Path | None = None


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


def _frame(article: Article, resolver: render.AssetResolver | None) -> str:
    """The page without a body: header, featured image, footer, banner (no body render)."""
    return render.render_article_page(
        replace(article, body=""), preview=True, resolver=resolver, body_html=""
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

    def _render_block(self, markdown_text: str) -> str:
        return render.render_body_html(markdown_text, self.resolver)

    def set_resolver(self, resolver: render.AssetResolver | None) -> None:
        """How `asset:` images find their URLs; cached blocks are rendered afresh."""
        self.resolver = resolver
        self.cache = BlockRenderCache(self._render_block)

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
        # The page from the same block renders the patches use: the body is rendered once.
        page = render.render_article_page(
            article, preview=True, resolver=self.resolver, body_html=join_rendered(raw)
        )
        self._parts = self._body_parts(article, raw)
        self._frame = _frame(article, self.resolver)
        path = None
        if self._folder is not None:
            self._loads += 1
            path = self._folder / f"preview-{self._loads}.html"
            path.write_text(page, encoding="utf-8")
            previous = self._folder / f"preview-{self._loads - 1}.html"
            previous.unlink(missing_ok=True)
        return PageLoad(page, list(self._parts), path)

    def update(self, article: Article) -> BodyPatch:
        """Only what changed since the last `full` or `update`."""
        parts = self._body_parts(article)
        diff = diff_blocks(self._parts, parts)
        self._parts = parts
        frame = _frame(article, self.resolver)
        header = frame if frame != self._frame else None
        self._frame = frame
        return BodyPatch(
            diff.start,
            diff.old_end - diff.start,
            parts[diff.start : diff.new_end],
            header,
            self.block_count,
        )
