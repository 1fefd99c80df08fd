"""Import notes: what the importer moved out of a body, and putting it back.

A note is `{"kind", "text", "position"}`: `text` is Markdown ready to go back into the
body and `position` the index of the body paragraph it stood before (None: metadata
that has no place in the body). Notes are kept in document order, so several notes at
one position go back in the order they were found.
"""

from __future__ import annotations

import re

from editor.core.errors import ValidationError
from editor.core.importers.boilerplate import REPORT_KINDS

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


def paragraphs(body: str) -> list[str]:
    """The body's blocks (paragraphs, lists, tables...) as separated by blank lines."""
    return [p for p in _PARAGRAPH_BREAK.split(body.strip("\n")) if p.strip()]


def normalise_notes(value: object) -> list[dict]:
    """Validate notes given to `save_article`; raise ValidationError for anything else."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ValidationError("Import notes must be a list.", field="import_notes")
    notes: list[dict] = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ValidationError(
                "Each import note needs a kind, a text and a position.", field="import_notes"
            )
        position = item.get("position")
        if position is not None and (not isinstance(position, int) or position < 0):
            raise ValidationError(
                "An import note's position must be a paragraph number.", field="import_notes"
            )
        notes.append(
            {
                "kind": str(item.get("kind") or "boilerplate"),
                "text": item["text"],
                "position": position,
            }
        )
    return notes


def put_back(body: str, notes: list[dict], index: int) -> tuple[str, list[dict]]:
    """Insert note `index` into `body` at its paragraph and drop it from the notes.

    Later notes at or after that position move down by the paragraphs inserted, so
    putting every note back, in any order, rebuilds the original order.
    """
    if not 0 <= index < len(notes):
        raise ValidationError("That import note is no longer there.", field="import_notes")
    chosen = notes[index]
    if chosen.get("kind") in REPORT_KINDS:
        raise ValidationError(
            "This note reports on the import; it holds no text of the story to put back.",
            field="import_notes",
        )
    position = chosen.get("position")
    blocks = paragraphs(body)
    where = len(blocks) if position is None else min(int(position), len(blocks))
    inserted = paragraphs(chosen["text"]) or [chosen["text"].strip("\n")]
    blocks[where:where] = inserted
    remaining: list[dict] = []
    for number, item in enumerate(notes):
        if number == index:
            continue
        other = item.get("position")
        if other is not None and (other > where or (other == where and number > index)):
            # A note of several paragraphs moves what follows down by all of them.
            item = {**item, "position": other + len(inserted)}
        remaining.append(item)
    return "\n\n".join(blocks) + ("\n" if body.endswith("\n") else ""), remaining


def dismiss(notes: list[dict], index: int) -> list[dict]:
    """The notes without note `index` (the person decided it is not needed)."""
    if not 0 <= index < len(notes):
        raise ValidationError("That import note is no longer there.", field="import_notes")
    return [item for number, item in enumerate(notes) if number != index]


def remove_block(body: str, notes: list[dict], block: int) -> tuple[str, list[dict]]:
    """Take paragraph `block` out of `body`; notes after it move up one paragraph."""
    blocks = paragraphs(body)
    del blocks[block]
    moved = [
        {**item, "position": item["position"] - 1}
        if item.get("position") is not None and item["position"] > block
        else item
        for item in notes
    ]
    return "\n\n".join(blocks), moved
