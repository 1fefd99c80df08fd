"""What a site export is asked to do (options, selection) and what it reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from editor.core.errors import NewsroomError
from editor.core.model import Status
from editor.core.text import counted

MANIFEST_NAME = ".newsroom-manifest.json"


MANIFEST_FORMAT = 1


CSS_PATH = "assets/site.css"


ProgressCallback = Callable[[int, int, str], None]


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
    #: The managed sections, in menu order: only they make the menu. None: the store's
    #: list (`newsroom.settings`), or every section of the exported articles for a
    #: newsroom without one. An article in another section keeps its own folder and
    #: section page but adds no menu entry.
    sections: tuple[str, ...] | None = None


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
            f"{counted(self.articles, 'article')} in the site at {self.out_dir}: "
            f"{counted(len(self.written), 'file')} written, {self.unchanged} unchanged, "
            f"{len(self.removed)} removed, {counted(len(self.skipped), 'article')} skipped "
            f"({self.seconds:.1f} s)"
        ]
        for skipped in self.skipped:
            title = skipped.headline or "Untitled"
            lines.append(f"skipped {skipped.article_id[:8]}  “{title}”: {skipped.reason}")
        lines += [f"warning: {warning}" for warning in self.warnings]
        return lines
