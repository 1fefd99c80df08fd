"""A sync conflict left in the body is a copy-desk error: it blocks Submit until resolved."""

from __future__ import annotations

from editor.core.checks import engine_for
from editor.core.merge import Side, merge_body
from editor.core.model import Article

BASE = "The council met.\n\nThe vote was close."


def _findings(body: str):
    article = Article(id="a", headline="Council votes", byline="Rita", section="Local", body=body)
    return [f for f in engine_for(None, frozenset()).check(article) if f.rule == "merge-conflict"]


def test_a_conflict_left_by_a_sync_is_an_error_and_a_resolved_one_is_not():
    mine = Side("The council met.\n\nThe vote was 5-4.", {}, "Rita", "2026-12-02 10:42 UTC")
    theirs = Side("The council met.\n\nThe vote was 6-3.", {}, "Ed", "2026-12-02 10:43 UTC")
    merged, conflicts = merge_body(BASE, mine, theirs)
    assert conflicts == 1
    found = _findings(merged)
    assert found and {f.level for f in found} == {"error"}
    assert "sync conflict" in found[0].message
    assert _findings("The council met.\n\nThe vote was 6-3.") == []
