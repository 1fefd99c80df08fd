"""Whether a merge revision says anything its parents do not (issue 16, migration 0009).

A merge carries only its parents' words: every line of its body is a line of a parent
or a marker line `editor.core.merge` writes for those parents, every metadata field (the
status aside) one parent's value, the tags any parent's tags. The sync refuses an
incoming merge that fails this, as the shared desk's receiver (`newsroom_merge_words`)
does; the marker lines are built here from `editor.core.merge`'s own formats.
"""

from __future__ import annotations

from editor.core import merge as core_merge
from editor.core.merge import Side

#: What `merge_body` writes in place of a passage one side deleted.
_DELETED = "*(deleted this passage)*"


def _lines(body: str | None) -> list[str]:
    return (body or "").replace("\r\n", "\n").split("\n")


def merge_own_words(merged: tuple[str, dict], first: Side, second: Side) -> str | None:
    """What a merge revision says that neither parent says (None: nothing), as migration
    0009's `newsroom_merge_words` judges it.

    `merged` is its (body, metadata); `first` and `second` its parents with their authors'
    names and times, as `merge_article` was given them.
    """
    body, meta = merged
    allowed = {"", _DELETED, core_merge.CONFLICT_END}
    for side in (first, second):
        allowed.update(_lines(side.body))
        allowed.add(core_merge.CONFLICT_START.format(label=side.label))
    for name in {*first.meta, *second.meta} - {"status", "slug"}:
        allowed.add(
            core_merge.FIELD_CONFLICT.format(
                name=name,
                kept_label=first.name,
                kept=core_merge.shown_value(first.meta.get(name)),
                other_label=second.name,
                other=core_merge.shown_value(second.meta.get(name)),
            )
        )
    for line in _lines(body):
        if line not in allowed:
            return line
    for name, value in (meta or {}).items():
        if name == "status" or value in (first.meta.get(name), second.meta.get(name)):
            continue
        tags = {*(first.meta.get("tags") or []), *(second.meta.get("tags") or [])}
        if name == "tags" and isinstance(value, list) and set(value) <= tags:
            continue
        return f"its {name}"
    return None
