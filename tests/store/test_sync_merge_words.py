"""A merge revision carries only its parents' words (migration 0009, issue 16): the desk's
receiver and the app's sync check it, for a merge in anyone's name, with real logins.

Rita's laptop holds a merge in Ed's name, as a sync makes it (his desk edit first, her
offline edit second); an honest one goes up under her login, one with a line of its own
is refused by `newsroom sync` (the article named, the rest synced) and, from a client
that skips the app's check, by the database, whole.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from editor.cli import main
from editor.store.models import ArticleRow, RevisionRow
from editor.store.rows import utc_now
from editor.store.store import Store
from editor.store.sync import SyncRefused, _Sync, accept_all, sync_stores
from tests.store.test_rights import desk  # noqa: F401  (a fixture)
from tests.store.test_sync_logins import BODY, _no_house_style, laptops  # noqa: F401
from tests.store.test_sync_support import edit, state

TAMPER = "The mayor resigned, Ed Editor confirms."


def _offline_merge(desk, laptops, *, extra: str = "", headline: str | None = None):  # noqa: F811
    """A story of Rita's that Ed edited on the desk while she wrote a fourth paragraph
    offline; her laptop holds the merge of the two in Ed's name (plus `extra`)."""
    rita = laptops.of("Rita Reporter")
    story = rita.create_article("Fire at the mill", BODY, section="Local")
    draft = rita.get_article(story.id).head_revision_id
    rita.transition(story.id, "submit")
    laptops.sync("Rita Reporter")
    edit(desk.room("Ed Editor"), story.id, "First paragraph.", "First paragraph, checked.")
    laptops.sync("Rita Reporter")
    by_name = {n: desk.owner.store.get_user_by_name(n).id for n in ("Ed Editor", "Rita Reporter")}
    with rita.store.db.write() as session:
        row = session.get(ArticleRow, story.id)
        ed_head = session.get(RevisionRow, row.head_revision_id)
        old = session.get(RevisionRow, draft)
        now = utc_now().replace(tzinfo=None)
        mine = RevisionRow(
            id=str(uuid.uuid4()),
            article_id=story.id,
            parent_id=old.id,
            author_id=by_name["Rita Reporter"],
            created_at=now - timedelta(seconds=1),
            reason="save",
            body=old.body + "\n\nFourth, from the train.",
            meta=dict(old.meta),
        )
        body = ed_head.body + "\n\nFourth, from the train." + (f"\n\n{extra}" if extra else "")
        meta = dict(ed_head.meta)
        if headline is not None:
            meta["headline"] = headline
        merge = RevisionRow(
            id=str(uuid.uuid4()),
            article_id=story.id,
            parent_id=ed_head.id,
            second_parent_id=mine.id,
            author_id=by_name["Ed Editor"],
            created_at=now,
            reason="merge",
            body=body,
            meta=meta,
        )
        session.add_all([mine, merge])
        session.flush()
        session.execute(
            update(ArticleRow)
            .where(ArticleRow.id == story.id)
            .values(
                head_revision_id=merge.id,
                version=row.version + 1,
                updated_at=now,
                headline=meta["headline"],
            )
        )
    return rita, story, merge.id


def _on_desk(desk, revision_id: str) -> bool:  # noqa: F811
    with desk.owner.store.db.read() as session:
        found = session.scalar(select(RevisionRow.id).where(RevisionRow.id == revision_id))
    return found is not None


def test_an_honest_merge_in_eds_name_goes_up_under_ritas_login(desk, laptops):  # noqa: F811
    rita, story, merge = _offline_merge(desk, laptops)
    report = laptops.sync("Rita Reporter")
    assert report.refused == [] and report.up == [story.id]
    assert _on_desk(desk, merge)
    body = desk.owner.get_article(story.id).body
    assert "First paragraph, checked." in body and "Fourth, from the train." in body
    assert state(rita.store) == state(desk.owner.store)


def test_newsroom_sync_refuses_a_merge_in_eds_name_with_words_of_its_own(
    desk,  # noqa: F811
    laptops,  # noqa: F811
    capsys,
):
    rita, story, merge = _offline_merge(desk, laptops, extra=TAMPER)
    fine = rita.create_article("Bridge reopens", BODY)
    code = main(
        ["--store", str(rita.store.path), "--as", "Rita Reporter", "sync", "--with",
         laptops.url("Rita Reporter")]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 1
    assert ", 1 article up, 0 down" in out
    assert err.strip().splitlines() == [
        f"newsroom: not synced: {story.id[:8]} “Fire at the mill”: a merge in the name of Ed "
        f"Editor says what neither of its parents says ({TAMPER})"
    ]
    assert not _on_desk(desk, merge)
    assert TAMPER not in desk.owner.get_article(story.id).body
    assert desk.owner.get_article(fine.id).headline == "Bridge reopens"


@pytest.mark.parametrize("tamper", ["line", "headline"])
def test_a_client_without_the_check_meets_the_database(desk, laptops, monkeypatch, tamper):  # noqa: F811
    """Without the app's check the receiver refuses the whole sync, naming the merge."""
    if tamper == "line":
        rita, _story, _merge = _offline_merge(desk, laptops, extra=TAMPER)
        said = TAMPER
    else:
        rita, _story, _merge = _offline_merge(desk, laptops, headline="Mill burnt down on purpose")
        said = "its headline"  # (the refusal names the article by its incoming headline)
    monkeypatch.setattr(_Sync, "merge_words", lambda self, new_revs: None)
    desk_before, laptop_before = state(desk.owner.store), state(rita.store)
    remote = Store.open(laptops.url("Rita Reporter"))
    try:
        with pytest.raises(SyncRefused) as refused:
            sync_stores(rita.store, remote, checker=accept_all)
    finally:
        remote.close()
    message = str(refused.value)
    title = "“Fire at the mill”" if tamper == "line" else "“Mill burnt down on purpose”"
    assert title in message and "Nothing was synced" in message
    assert "a merge in the name of Ed Editor says what neither of its parents says" in message
    assert said in message
    assert state(desk.owner.store) == desk_before and state(rita.store) == laptop_before


def test_through_sql_a_merge_says_nothing_of_its_own_in_anyones_name(desk, laptops):  # noqa: F811
    """Straight through `newsroom_sync_receive` as Rita's login: merges of her offline
    edit with Ed's desk edit, in his name and in hers."""
    _rita, story, _merge = _offline_merge(desk, laptops)
    on_desk = desk.owner.get_article(story.id)
    ed_head = desk.owner.revision(on_desk.head_revision_id)
    draft = next(r for r in desk.owner.revisions(story.id) if r.reason == "create")
    ids = {n: desk.owner.store.get_user_by_name(n).id for n in ("Ed Editor", "Rita Reporter")}

    def receive(merge_author: str, body_extra: str = "", meta_extra=None) -> str:
        mine, merge = str(uuid.uuid4()), str(uuid.uuid4())
        old_meta = desk.owner.revision(draft.id).metadata
        revisions = [
            {"id": mine, "article_id": story.id, "parent_id": draft.id,
             "author_id": ids["Rita Reporter"], "created_at": "2026-12-02T08:00:00",
             "reason": "save", "body": draft.body + "\n\nFourth.", "metadata": old_meta},
            {"id": merge, "article_id": story.id, "parent_id": ed_head.id,
             "second_parent_id": mine, "author_id": ids[merge_author],
             "created_at": "2026-12-02T08:00:01", "reason": "merge",
             "body": ed_head.body + "\n\nFourth." + body_extra,
             "metadata": {**ed_head.metadata, **(meta_extra or {})}},
        ]  # fmt: skip
        payload = json.dumps(
            {
                "revisions": revisions,
                "updated_articles": [
                    {"id": story.id, "_version": on_desk.version, "head_revision_id": merge}
                ],
            }
        )
        with desk.sql("Rita Reporter") as sql:
            transaction = sql.begin()
            try:
                sql.execute(text("SELECT newsroom_sync_receive(CAST(:p AS jsonb))"), {"p": payload})
                sql.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
                return ""
            except Exception as error:  # the refusal's words are the point
                return str(getattr(error, "orig", error))
            finally:
                transaction.rollback()

    assert receive("Ed Editor") == ""
    refused = receive("Ed Editor", f"\n\n{TAMPER}")
    assert f"a merge in the name of Ed Editor says what neither of its parents says ({TAMPER})" in (
        refused
    )
    assert "says what neither" in receive("Rita Reporter", f"\n\n{TAMPER}")
    assert "(its standfirst)" in receive("Ed Editor", meta_extra={"standfirst": "Arson."})
    assert "(its tags)" in receive("Ed Editor", meta_extra={"tags": ["arson"]})
    # Markers a merge writes for these parents are no words of its own; a made-up one is.
    end = "**CONFLICT ◀ end. Keep one version, then delete the marker lines.**"
    assert receive("Ed Editor", f"\n\n{end}") == ""
    assert "says what neither" in receive("Ed Editor", "\n\n**CONFLICT ▶ Arson, says Ed.**")
