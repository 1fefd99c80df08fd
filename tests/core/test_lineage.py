"""Who wrote the text since the last approval, over the revision DAG."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from editor.core.lineage import since_approval, writers

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@dataclass
class Rev:
    id: str
    parent_id: str | None
    author_id: str | None
    reason: str = "save"
    minutes: int = 0
    second_parent_id: str | None = None

    @property
    def created_at(self) -> datetime:
        return T0 + timedelta(minutes=self.minutes)


def dag(*revisions: Rev) -> dict[str, Rev]:
    return {r.id: r for r in revisions}


def test_a_straight_history_stops_at_the_last_approval():
    revs = dag(
        Rev("a", None, "rita", "create", 0),
        Rev("b", "a", "ed", "approve", 1),
        Rev("c", "b", "rita", "save", 2),
        Rev("d", "c", "eve", "save", 3),
    )
    path = since_approval("d", revs)
    assert [r.id for r in path] == ["d", "c"]
    assert writers(path, lambda r: True) == ["eve", "rita"]


def test_both_branches_of_a_merge_count():
    revs = dag(
        Rev("a", None, "rita", "create", 0),
        Rev("b", "a", "rita", "submit", 1),
        Rev("desk", "b", "ed", "save", 2),
        Rev("laptop", "b", "eve", "save", 3),
        Rev("m", "desk", None, "merge", 4, second_parent_id="laptop"),
    )
    assert writers(since_approval("m", revs), lambda r: r.reason != "submit") == [
        None,
        "eve",
        "ed",
        "rita",
    ]


def test_a_branch_that_passed_an_approval_stops_there_and_cycles_end():
    revs = dag(
        Rev("a", None, "rita", "create", 0),
        Rev("ok", "a", "ed", "approve", 1),
        Rev("x", "ok", "eve", "save", 2),
        Rev("y", "a", "rita", "save", 3),
        Rev("m", "x", "ed", "merge", 4, second_parent_id="y"),
        Rev("loop", "loop", "mallory", "save", 5),
    )
    assert [r.id for r in since_approval("m", revs)] == ["m", "y", "x", "a"]
    assert [r.id for r in since_approval("loop", revs)] == ["loop"]
    assert since_approval(None, revs) == [] and since_approval("gone", revs) == []
