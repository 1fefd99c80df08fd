"""A refusal by the shared desk's database reads as one sentence, not a driver dump."""

from __future__ import annotations

import pytest

from editor.core.errors import PermissionDeniedError
from editor.services.newsroom import Newsroom
from tests.store.test_rights import Desk, desk  # noqa: F401  (the fixture)


def test_the_databases_refusal_is_a_permission_error_in_one_line(desk: Desk, monkeypatch):  # noqa: F811
    rob = desk.room("Rob Reporter")
    story = rob.create_article("Rob's story", "His text.")
    rita = desk.room("Rita Reporter")
    # The app would refuse first; take its check away to reach the database's own.
    monkeypatch.setattr(Newsroom, "check_edit", lambda self, article: None)
    with pytest.raises(PermissionDeniedError) as refused:
        rita.save_article(story.id, expected_version=story.version, body="Her text.")
    message = str(refused.value)
    assert message.startswith("The shared desk refused this: ")
    assert "\n" not in message and "CONTEXT" not in message
    assert rob.get_article(story.id).body == "His text."


def test_a_grant_or_trigger_refusal_becomes_one_sentence(tmp_path):
    from types import SimpleNamespace

    from sqlalchemy.exc import ProgrammingError

    from editor.store.store import Store

    class Refused(Exception):
        sqlstate = "42501"
        diag = SimpleNamespace(message_primary="a reporter does not approve\nCONTEXT: PL/pgSQL")

    store = Store.open(tmp_path / "s.db")
    try:
        with pytest.raises(PermissionDeniedError) as refused, store.db.guard():
            raise ProgrammingError("UPDATE articles ...", {}, Refused())
        assert str(refused.value) == "The shared desk refused this: a reporter does not approve."
    finally:
        store.close()
