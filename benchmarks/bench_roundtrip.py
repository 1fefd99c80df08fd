"""Python-Markdown's own test documents through the rich editor (load -> write, twice).

Every document of the installed Python-Markdown's test suite (the sdist's `tests/`
folders: the legacy `.txt` inputs and every source given to `assertMarkdownRenders` in
`tests/test_syntax`) is loaded into a `QTextDocument` by the editor's bridge and written
back by its writer, then once more. Each is rendered before and after with the body
renderer (`editor.core.render.render_body_html`, the body dialect whatever extensions the
test itself used) and counted as:

- **loses words**: a word of the rendered text (letters and digits, counted with
  repeats; inline tags do not split a word, block tags do) is missing after the trip;
- **structure changes**: the rendered tags (name, nesting depth, and a code block's
  language) differ;
- **second trip changes**: the second trip's Markdown differs from the first's;
- **error**: the bridge or writer raised.

Usage:

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_roundtrip.py \
        [--source DIR] [--show N] [--list lost|structure|second|error]

Without `--source`, the sdist of the installed version is fetched with
`pip download --no-binary :all: --no-deps Markdown==<version>` into a temporary folder.
"""

from __future__ import annotations

import argparse
import collections
import html.parser
import importlib.metadata
import pathlib
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import unittest
from dataclasses import dataclass, field

from PySide6.QtGui import QGuiApplication, QTextDocument

from editor.core.render import render_body_html
from editor.ui.body import markdown_bridge
from editor.ui.body.markdown_writer import document_to_markdown

_WORD = re.compile(r"\w+")


@dataclass
class Document:
    name: str
    text: str


@dataclass
class Outcome:
    document: Document
    once: str = ""
    twice: str = ""
    lost: list[str] = field(default_factory=list)
    structure: tuple[list[str], list[str]] | None = None
    error: str = ""


def fetch_sdist(target: pathlib.Path) -> pathlib.Path:
    """The unpacked sdist of the installed Markdown, downloaded into `target`."""
    version = importlib.metadata.version("Markdown")
    command = [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps"]
    command += [f"Markdown=={version}", "-d", str(target), "-q"]
    subprocess.run(command, check=True)
    archive = next(target.glob("*.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return next(path for path in target.iterdir() if path.is_dir() and (path / "tests").is_dir())


def collect(source: pathlib.Path) -> list[Document]:
    """Every test document: the `.txt` inputs, then the `assertMarkdownRenders` sources."""
    documents = [
        Document(str(path.relative_to(source)), path.read_text(encoding="utf-8"))
        for path in sorted((source / "tests").rglob("*.txt"))
    ]
    import markdown.test_tools as test_tools

    found: list[Document] = []

    def record(self, source_text, expected, expected_attrs=None, **kwargs):
        found.append(Document(self.id(), source_text))

    original = test_tools.TestCase.assertMarkdownRenders
    test_tools.TestCase.assertMarkdownRenders = record
    sys.path.insert(0, str(source))
    try:
        suite = unittest.TestLoader().discover(
            str(source / "tests" / "test_syntax"), top_level_dir=str(source)
        )
        with open(__import__("os").devnull, "w") as quiet:
            unittest.TextTestRunner(stream=quiet).run(suite)
    finally:
        test_tools.TestCase.assertMarkdownRenders = original
        sys.path.remove(str(source))
    return documents + found


#: Tags that end a word: the rest (emphasis, links, code) sit inside a word's letters.
_BLOCK_TAGS = frozenset(
    "address blockquote br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li ol p pre "
    "table tbody td tfoot th thead tr ul".split()
)


class _Shape(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.text.append(" ")
        language = next((v for k, v in attrs if k == "class" and v and "language" in v), "")
        self.tags.append(f"{self.depth}:{tag}{'.' + language if language else ''}")
        if tag not in ("br", "hr", "img"):
            self.depth += 1
        self.text.extend(f" {v} " for k, v in attrs if k == "alt" and v)

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.text.append(" ")
        self.tags.append(f"{self.depth}:{tag}")
        self.text.extend(f" {v} " for k, v in attrs if k == "alt" and v)

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self.text.append(" ")
        if tag not in ("br", "hr", "img"):
            self.depth -= 1

    def handle_data(self, data):
        self.text.append(data)


def shape(markdown_text: str) -> tuple[list[str], collections.Counter[str]]:
    """(tags with depth, word counts) of the rendered body."""
    parser = _Shape()
    parser.feed(render_body_html(markdown_text))
    parser.close()
    return parser.tags, collections.Counter(_WORD.findall("".join(parser.text)))


def through_editor(text: str) -> str:
    document = QTextDocument()
    markdown_bridge.load_markdown(document, text)
    return document_to_markdown(document)


def run_one(document: Document) -> Outcome:
    outcome = Outcome(document)
    try:
        outcome.once = through_editor(document.text)
        outcome.twice = through_editor(outcome.once)
    except Exception as error:
        outcome.error = f"{type(error).__name__}: {error}"
        return outcome
    tags_before, words_before = shape(document.text)
    tags_after, words_after = shape(outcome.once)
    outcome.lost = sorted((words_before - words_after).elements())
    if tags_before != tags_after:
        outcome.structure = (tags_before, tags_after)
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=pathlib.Path, help="unpacked Markdown sdist")
    parser.add_argument("--show", type=int, default=3, help="examples shown per kind")
    parser.add_argument("--list", choices=["lost", "structure", "second", "error"])
    args = parser.parse_args()
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as temporary:
        source = args.source or fetch_sdist(pathlib.Path(temporary))
        documents = collect(source)
    unique = list({document.text: document for document in documents}.values())
    started = time.perf_counter()
    outcomes = [run_one(document) for document in unique]
    seconds = time.perf_counter() - started
    lost = [o for o in outcomes if o.lost]
    changed = [o for o in outcomes if o.structure]
    second = [o for o in outcomes if not o.error and o.twice != o.once]
    errors = [o for o in outcomes if o.error]
    print(f"Markdown {importlib.metadata.version('Markdown')}: {len(documents)} test documents,")
    print(f"{len(unique)} distinct, through the editor in {seconds:.1f} s")
    print(f"  lose a word:              {len(lost)}")
    print(f"  rendered structure change: {len(changed)}")
    print(f"  second trip changes text: {len(second)}")
    print(f"  errors:                   {len(errors)}")
    chosen = {"lost": lost, "structure": changed, "second": second, "error": errors}
    for kind, items in chosen.items():
        if args.list and kind != args.list:
            continue
        for outcome in items[: args.show if not args.list else len(items)]:
            print(f"\n--- {kind}: {outcome.document.name}")
            print(outcome.document.text.rstrip()[:600])
            print("--- after:")
            print((outcome.error or outcome.once).rstrip()[:600])
            if outcome.lost:
                print("lost:", outcome.lost[:20])
    del app


if __name__ == "__main__":
    main()
