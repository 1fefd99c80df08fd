"""A batch import: read, recognise duplicates, parse and write many files.

Files are parsed one by one (a bad file becomes one message) and written in chunks,
each chunk in one transaction (see `editor.store.import_batch`): a thousand wire files
commit a few times instead of a thousand times. The same bytes imported again are
recognised by their SHA-256 and, as the caller says, reported ("ask"), skipped, imported
as a new copy, or used to update the earlier import.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from editor.core.errors import ImportFileError, NewsroomError, ValidationError
from editor.core.fields import set_field
from editor.core.importers.notes import paragraphs, remove_block
from editor.core.model import Article
from editor.core.settings_model import Section, match_section
from editor.core.text import is_valid_slug, slugify, word_count

if TYPE_CHECKING:  # the importers load when an import runs, not with the newsroom
    from editor.core.importers.common import ParsedArticle
    from editor.core.importers.wire import WirePattern
    from editor.core.importing import SourceFile
    from editor.core.model import User
    from editor.store.import_batch import NewAsset, PendingImport
    from editor.store.store import Store

DUPLICATE_CHOICES = ("ask", "skip", "copy", "update")
#: Files written per transaction; a chunk also ends when its images pass `_CHUNK_BYTES`.
CHUNK_FILES = 250
_CHUNK_BYTES = 64 * 1024 * 1024
_SECTION_MAX = 100
#: Files read ahead so their hashes are looked up together (one query, not one a file).
_LOOKAHEAD_FILES = 64


class ImportTarget(Protocol):
    """What a batch import needs of the newsroom: its store and the acting user."""

    @property
    def store(self) -> Store: ...

    @property
    def user(self) -> User: ...


@dataclass(frozen=True)
class ImportDuplicate:
    """A file whose exact bytes were imported before, as article `article_id`."""

    path: Path
    article_id: str
    headline: str


@dataclass
class ImportReport:
    """What a batch import did: each file becomes an article or one clear message."""

    imported: list[Article] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    #: With on_duplicate="ask": files imported before, left for the caller to decide.
    duplicates: list[ImportDuplicate] = field(default_factory=list)
    #: With on_duplicate="skip": files imported before and left alone.
    skipped: list[ImportDuplicate] = field(default_factory=list)
    #: With on_duplicate="update": earlier imports given the file's new text.
    updated: list[Article] = field(default_factory=list)
    #: The import was cancelled; these files were not looked at.
    not_started: list[Path] = field(default_factory=list)
    #: Files imported with a warning (an empty body, or far less text than the page
    #: holds): the article exists, the warning is also in its import notes.
    warnings: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def cancelled(self) -> bool:
        return bool(self.not_started)

    def merge(self, other: ImportReport) -> None:
        self.imported.extend(other.imported)
        self.failed.extend(other.failed)
        self.duplicates.extend(other.duplicates)
        self.skipped.extend(other.skipped)
        self.updated.extend(other.updated)
        self.not_started.extend(other.not_started)
        self.warnings.extend(other.warnings)


Progress = Callable[[int, int, Path], None]


def import_files(
    newsroom: ImportTarget,
    paths: Iterable[str | Path],
    on_duplicate: str = "ask",
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    chunk_files: int | None = None,
    wire: tuple[WirePattern, ...] = (),
) -> ImportReport:
    from editor.core.importing import SourceFile, parse_file, read_source
    from editor.store.import_batch import find_by_source_hash, write_imports

    if on_duplicate not in DUPLICATE_CHOICES:
        raise ValidationError(
            f"'{on_duplicate}' is not a choice for duplicates: use "
            + ", ".join(DUPLICATE_CHOICES)
            + "."
        )
    chunk_files = chunk_files or CHUNK_FILES
    files = [Path(p) for p in paths]
    report = ImportReport()
    seen: dict[str, tuple[str, str]] = {}  # hashes written by this batch
    pending: list[tuple[Path, PendingImport]] = []
    pending_bytes = 0

    def flush() -> None:
        nonlocal pending_bytes
        if not pending:
            return
        results = write_imports(newsroom.store, [item for _, item in pending], newsroom.user)
        for (path, item), result in zip(pending, results, strict=True):
            if isinstance(result, NewsroomError):
                report.failed.append((path, str(result)))
                report.warnings = [w for w in report.warnings if w[0] != path]
                seen.pop(item.article.source_hash or "", None)
            elif item.update_id:
                report.updated.append(result)
            else:
                report.imported.append(result)
        pending.clear()
        pending_bytes = 0

    # The managed sections (retired ones too: an old desk's copy keeps its spelling).
    sections = newsroom.store.settings.sections(include_retired=True)
    window: dict[int, SourceFile | ImportFileError] = {}
    known: dict[str, tuple[str, str]] = {}

    def read_ahead(start: int) -> None:
        """Read the next files (up to `_LOOKAHEAD_FILES` or `_CHUNK_BYTES`) and look up
        their hashes in one query, instead of one query per file."""
        window.clear()
        size = 0
        for index in range(start, min(len(files), start + _LOOKAHEAD_FILES)):
            try:
                window[index] = read_source(files[index])
            except ImportFileError as error:
                window[index] = error
                continue
            size += len(window[index].data)
            if size >= _CHUNK_BYTES:
                break
        digests = [s.sha256 for s in window.values() if isinstance(s, SourceFile)]
        known.update(find_by_source_hash(newsroom.store, digests))

    for number, path in enumerate(files):
        if cancelled is not None and cancelled():
            report.not_started.extend(files[number:])
            break
        if progress is not None:
            progress(number, len(files), path)
        if number not in window:
            read_ahead(number)
        source = window.pop(number)
        try:
            if isinstance(source, ImportFileError):
                raise source
            digest = source.sha256
            earlier = seen.get(digest) or known.get(digest)
            update_id = None
            if earlier is not None:
                duplicate = ImportDuplicate(path, earlier[0], earlier[1])
                if on_duplicate == "ask":
                    report.duplicates.append(duplicate)
                    continue
                if on_duplicate == "skip" or (on_duplicate == "update" and digest in seen):
                    report.skipped.append(duplicate)
                    continue
                if on_duplicate == "update":
                    update_id = earlier[0]
            parsed = parse_file(source, wire)
            item = prepare(source, parsed, update_id, sections)
        except (ImportFileError, ValidationError) as error:
            report.failed.append((path, _with_name(path, str(error))))
            continue
        for warning in parsed.import_notes:
            if warning.get("kind") == "extraction":
                report.warnings.append((path, _with_name(path, warning["text"])))
        if update_id is None:
            seen[digest] = (item.article.id, item.article.headline)
        pending.append((path, item))
        pending_bytes += sum(len(a.data) for a in item.assets) + len(item.article.body)
        if len(pending) >= chunk_files or pending_bytes >= _CHUNK_BYTES:
            flush()
    flush()
    if progress is not None:
        progress(len(files) - len(report.not_started), len(files), Path())
    return report


def _with_name(path: Path, message: str) -> str:
    return message if path.name in message else f"{path.name}: {message}"


def prepare(
    source: SourceFile,
    parsed: ParsedArticle,
    update_id: str | None,
    sections: Sequence[Section] = (),
) -> PendingImport:
    """The parsed file as an article to write, its images as assets (or notes); its
    section, when it is one of the managed `sections` in another case, as the list has it."""
    from editor.store.import_batch import PendingImport

    article = Article(id=str(uuid.uuid4()), headline=parsed.headline.strip())
    set_field(article, "standfirst", parsed.standfirst)
    set_field(article, "byline", parsed.byline)
    set_field(article, "dateline", parsed.dateline)
    set_field(article, "section", parsed.section[:_SECTION_MAX])
    article.section = match_section(article.section, sections) or article.section
    set_field(article, "tags", parsed.tags)
    set_field(article, "source_name", source.path.name)
    article.story_date = parsed.story_date
    body, notes, assets = _keep_images(parsed)
    article.body = body
    article.import_notes = notes
    article.source_hash = source.sha256
    article.word_count = word_count(body)
    wanted = parsed.slug[:80].strip("-")
    if wanted and is_valid_slug(wanted):
        article.slug, article.slug_locked = wanted, True
    else:
        article.slug = slugify(article.headline) or "untitled"
    return PendingImport(article, source.path.name, assets, update_id)


_PLACEHOLDER = re.compile(r"^!\[(?P<alt>[^\]]*)\]\(import:(?P<key>[\w-]+)\)$")


def _keep_images(parsed: ParsedArticle) -> tuple[str, list[dict], list[NewAsset]]:
    """Placeholders `import:<key>` become `asset:<id>`; what is not an image, a note."""
    from editor.store.import_batch import NewAsset

    by_key = {image.key: image for image in parsed.images}
    body, notes = parsed.body, list(parsed.import_notes)
    assets: list[NewAsset] = []
    if not by_key:
        return body, notes, assets
    from editor.core.importers.images import image_info

    blocks = paragraphs(body)
    index = 0
    while index < len(blocks):
        match = _PLACEHOLDER.match(blocks[index].strip())
        image = by_key.get(match.group("key")) if match else None
        if match is None:
            index += 1
            continue
        info = image_info(image.data) if image is not None else None
        if image is None or info is None:
            body, notes = remove_block("\n\n".join(blocks), notes, index)
            name = image.filename if image is not None else "image"
            notes.append(
                {
                    "kind": "image",
                    "text": f"Image not kept ({name}: not a PNG, JPEG, GIF or WebP image)"
                    + (f": {match.group('alt')}" if match.group("alt") else ""),
                    "position": index,
                }
            )
            blocks = paragraphs(body)
            continue
        media_type, width, height = info
        asset_id = str(uuid.uuid4())
        assets.append(
            NewAsset(
                id=asset_id,
                data=image.data,
                filename=image.filename,
                media_type=media_type,
                sha256=hashlib.sha256(image.data).hexdigest(),
                width=width,
                height=height,
                alt=image.alt,
                caption=image.caption,
                credit=image.credit,
            )
        )
        blocks[index] = f"![{match.group('alt')}](asset:{asset_id})"
        index += 1
    notes.sort(key=lambda n: -1 if n.get("position") is None else n["position"])
    return "\n\n".join(blocks), notes, assets
