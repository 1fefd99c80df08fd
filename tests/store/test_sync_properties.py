"""Property-based sync: random edit histories on three replicas, synced in random orders.

Hypothesis drives a state machine: reporters and editors create, edit, comment and move
articles on a desk and two laptops; replicas sync pairwise in any order, some syncs
dropping their connection part way. After every sync, the text each side wrote since it
last met anybody is in the merged article on both sides; a dropped sync leaves both
sides as they were (or the remote complete, when it dropped after the remote's commit).
At the end, syncing round the replicas makes them all agree, a further sync changes
nothing, and every text ever saved is still in every replica's history.
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, rule

from editor.core.errors import PermissionDeniedError, StaleWriteError, TransitionError
from editor.core.merge import join_paragraphs, split_paragraphs
from editor.services.newsroom import Newsroom
from editor.services.syncing import sync_with
from tests.store.test_sync_support import state

STAGES = ["loaded", "planned", "remote-written", "local-written", "remote-committed"]
REPLICAS = 3


class Dropped(Exception):
    pass


class SyncMachine(RuleBasedStateMachine):
    articles = Bundle("articles")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="sync-machine-"))
        self.paths = [self.folder / f"replica{i}.db" for i in range(REPLICAS)]
        self.rooms: list[Newsroom] = []
        self.counter = itertools.count(1)
        #: (replica, article) -> tokens written there since that replica last synced it.
        self.pending: dict[tuple[int, str], set[str]] = {}
        self.written: set[str] = set()
        self.known: list[set[str]] = [set() for _ in range(REPLICAS)]

    @initialize(target=articles)
    def setup(self):
        """The desk and two laptops, all holding one story (more come by `create`)."""
        desk = Newsroom.init(self.paths[0], "ada")
        for name, role in (("rita", "reporter"), ("ed", "editor"), ("eve", "editor")):
            desk.add_user(name, role)
        self.rooms.append(desk)
        first = self.create(0)
        self.pending.clear()
        for path in self.paths[1:]:
            room = Newsroom.open(path, bootstrap=False, reader=True)
            sync_with(room, str(self.paths[0]))
            self.rooms.append(room)
        self.known = [{first} for _ in range(REPLICAS)]
        return first

    def teardown(self) -> None:
        try:
            if len(self.rooms) == REPLICAS:
                self.converge()
        finally:
            for room in self.rooms:
                room.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def token(self) -> str:
        value = f"tok{next(self.counter)}"
        self.written.add(value)
        return value

    def act(self, replica: int, name: str) -> Newsroom:
        room = self.rooms[replica]
        room.switch_user(name)
        return room

    @rule(target=articles, replica=st.integers(0, REPLICAS - 1))
    def create(self, replica):
        words = [self.token() for _ in range(3)]
        room = self.act(replica, "rita")
        article = room.create_article(
            f"Story {words[0]}", join_paragraphs(f"Para {w}." for w in words), section="News"
        )
        self.known[replica].add(article.id)
        self.pending[(replica, article.id)] = set(words)
        return article.id

    @rule(
        article=articles,
        replica=st.integers(0, REPLICAS - 1),
        where=st.integers(0, 5),
        append=st.booleans(),
    )
    def edit(self, article, replica, where, append):
        if article not in self.known[replica]:
            return
        room = self.rooms[replica]
        current = room.get_article(article)
        writer = {"draft": "rita", "changes_requested": "rita", "submitted": "ed"}.get(
            current.status.value
        )
        if writer is None:
            return
        room = self.act(replica, writer)
        blocks = split_paragraphs(current.body)
        word = self.token()
        if append or not blocks:
            blocks.append(f"Added {word}.")
        else:
            blocks[where % len(blocks)] = f"Changed {word}."
        try:
            room.save_article(
                article, expected_version=current.version, body=join_paragraphs(blocks)
            )
        except (PermissionDeniedError, StaleWriteError):
            return
        mine = self.pending.setdefault((replica, article), set())
        mine.add(word)
        body = room.get_article(article).body
        mine.intersection_update(w for w in mine if w in body)  # an own overwrite

    @rule(
        article=articles,
        pair=st.permutations(range(REPLICAS)).map(lambda p: tuple(p[:2])),
        where=st.tuples(st.integers(0, 5), st.integers(0, 5)),
    )
    def edit_apart(self, article, pair, where):
        """The same article edited on two replicas before they meet (they must merge)."""
        for replica, paragraph in zip(pair, where, strict=True):
            self.edit(article, replica, paragraph, append=False)

    @rule(
        article=articles,
        replica=st.integers(0, REPLICAS - 1),
        move=st.sampled_from(["submit", "return", "approve", "spike", "reopen"]),
        who=st.sampled_from(["rita", "ed", "eve"]),
    )
    def transition(self, article, replica, move, who):
        if article not in self.known[replica]:
            return
        room = self.act(replica, who)
        note = f"{move} by {who}: see the figures."
        with contextlib.suppress(PermissionDeniedError, TransitionError):
            room.transition(article, move, note=note)

    @rule(article=articles, replica=st.integers(0, REPLICAS - 1))
    def comment(self, article, replica):
        if article not in self.known[replica]:
            return
        room = self.act(replica, "ed")
        body = room.get_article(article).body
        if not body.strip():
            return
        quote = body.strip().split()[0]
        room.add_comment(article, quote, body.find(quote), body=f"Note {self.token()}")

    @rule(
        pair=st.permutations(range(REPLICAS)).map(lambda p: tuple(p[:2])),
        drop=st.one_of(st.none(), st.sampled_from(STAGES)),
    )
    def sync(self, pair, drop):
        here, there = pair
        local, remote = self.rooms[here], self.rooms[there]
        if drop is not None:
            before = state(local.store), state(remote.store)

            def interrupt(stage):
                if stage == drop:
                    raise Dropped(stage)

            with pytest.raises(Dropped):
                sync_with(local, str(self.paths[there]), interrupt=interrupt)
            assert state(local.store) == before[0]
            if drop != "remote-committed":
                assert state(remote.store) == before[1]
                return
        report = sync_with(local, str(self.paths[there]))
        assert report.refused == [], report.refused
        self.met(here, there)

    def met(self, here: int, there: int) -> None:
        """After a complete sync: what either wrote since it last met anyone is in both."""
        shared = self.known[here] | self.known[there]
        for replica in (here, there):
            for article in shared:
                body = self.rooms[replica].get_article(article).body
                for side in (here, there):
                    missing = [w for w in self.pending.get((side, article), ()) if w not in body]
                    assert not missing, (article, replica, side, missing, body)
        for side in (here, there):
            for article in shared:
                self.pending.pop((side, article), None)
        self.known[here], self.known[there] = set(shared), set(shared)

    def converge(self) -> None:
        hub = str(self.paths[0])
        for _round in range(2):
            for replica in range(1, REPLICAS):
                assert sync_with(self.rooms[replica], hub).refused == []
                self.met(replica, 0)
        states = [state(room.store) for room in self.rooms]
        assert states[1] == states[0] and states[2] == states[0]
        for replica in range(1, REPLICAS):
            assert not sync_with(self.rooms[replica], hub).changed
        history = " ".join(r[4] for r in states[0]["revisions"].values())
        comments = " ".join(c[1] for c in states[0]["comments"].values())
        lost = [w for w in self.written if w not in history and w not in comments]
        assert not lost


SyncMachine.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=25,
    deadline=None,
    # No "explain" phase: its line tracing makes each failing example many times slower.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestSyncMachine = SyncMachine.TestCase
