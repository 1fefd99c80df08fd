"""Opening an up-to-date store reads the schema's revisions from the migration files,
without alembic; what it reads is what alembic itself says."""

from __future__ import annotations

import sys

from alembic.config import Config
from alembic.script import ScriptDirectory

from editor.store.opening import MIGRATIONS, schema_revisions
from editor.store.store import Store


def test_the_files_say_what_alembic_says() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    head, known = schema_revisions()
    assert head == script.get_current_head()
    assert known == {revision.revision for revision in script.walk_revisions()}


def test_an_up_to_date_store_opens_without_alembic(tmp_path, monkeypatch) -> None:
    path = tmp_path / "s.db"
    Store.open(path).close()  # created and migrated (alembic runs)
    for name in [n for n in sys.modules if n == "alembic" or n.startswith("alembic.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "alembic", None)  # importing it now fails
    store = Store.open(path)
    try:
        assert store.list_articles() == []
    finally:
        store.close()
