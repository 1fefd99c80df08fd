"""Serialising a 20,000-word article from the editor's document to Markdown (autosave path).

Builds a news-like body (paragraphs with bold, italic, links and code; subheads every few
paragraphs; a quote, nested lists and a table), loads it into a `QTextDocument` through
the bridge into the real `BodyEditor`, then times `document_to_markdown`: a full pass
(no cache), and through the block cache the autosave uses: nothing changed, and after
typing a word into one paragraph (the autosave case). For reference, the load. Usage:

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_editor_serialise.py [--runs N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from editor.core.text import word_count
from editor.ui.body.editor import BodyEditor
from editor.ui.body.markdown_writer import BlockCache, document_to_markdown

WORDS = (
    "council flood defences river homes minister budget election harbour police court energy "
    "battery plant jobs school hospital rail strike weather storm market shares league striker "
    "header stadium festival museum theatre drought harvest farmers the a of and to in said"
).split()


def paragraph(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(25, 45))]
    for _ in range(rng.randint(0, 3)):
        i = rng.randrange(len(words) - 2)
        kind = rng.choice(["bold", "italic", "link", "code"])
        if kind == "bold":
            words[i] = f"**{words[i]} {words[i + 1]}**"
            del words[i + 1]
        elif kind == "italic":
            words[i] = f"*{words[i]}*"
        elif kind == "link":
            words[i] = f"[{words[i]}](https://example.com/{words[i]})"
        else:
            words[i] = f"`{words[i]}`"
    return " ".join(words).capitalize() + "."


def article(rng: random.Random, target: int = 20_000) -> str:
    blocks: list[str] = []
    while word_count("\n\n".join(blocks)) < target:
        n = len(blocks)
        if n % 12 == 11:
            blocks.append("## " + " ".join(rng.choice(WORDS) for _ in range(5)).capitalize())
        elif n % 40 == 20:
            blocks.append("> " + paragraph(rng))
        elif n % 40 == 30:
            blocks.append("- one item\n- another item\n    - nested item\n\n3. three\n4. four")
        elif n % 80 == 50:
            blocks.append("| Pos | Team | Pts |\n| ---: | :--- | :---: |\n| 1 | Harriers | 38 |")
        else:
            blocks.append(paragraph(rng))
    return "\n\n".join(blocks) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    rng = random.Random(20)
    body = article(rng)
    editor = BodyEditor()
    editor.resize(900, 700)
    document = editor.document()
    loads = []
    for _ in range(5):
        started = time.perf_counter()
        editor.load_markdown(body)
        loads.append((time.perf_counter() - started) * 1000)

    def timed(before=None, cache=None) -> list[float]:
        times = []
        for _ in range(args.runs):
            if before is not None:
                before()
            started = time.perf_counter()
            document_to_markdown(document, cache)
            times.append((time.perf_counter() - started) * 1000)
        return times

    full = timed()
    cache = BlockCache(document)
    document_to_markdown(document, cache)
    unchanged = timed(cache=cache)

    def type_a_word() -> None:
        block = document.findBlockByNumber(rng.randrange(document.blockCount()))
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        cursor.insertText(" word")

    typed = timed(type_a_word, cache)
    assert document_to_markdown(document, cache) == document_to_markdown(document)
    print(
        f"article: {word_count(body):,} words, {len(body):,} chars, "
        f"{document.blockCount():,} blocks"
    )
    for name, times in (
        ("full pass, no cache", full),
        ("cached, nothing changed", unchanged),
        ("cached, one paragraph typed in", typed),
    ):
        print(
            f"serialise, {name}: median {statistics.median(times):.1f} ms, "
            f"p90 {sorted(times)[int(len(times) * 0.9)]:.1f} ms, max {max(times):.1f} ms"
        )
    print(f"load (Markdown -> document): median {statistics.median(loads):.1f} ms")
    editor.load_markdown(body)
    print(f"output identical to input: {document_to_markdown(document) == body}")
    del app


if __name__ == "__main__":
    main()
