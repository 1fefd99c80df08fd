"""The sort indexes are partial on PostgreSQL without SQLite starts loading its dialect."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import create_engine
from sqlalchemy.schema import CreateIndex

from editor.store.models import ArticleRow


def test_importing_the_models_does_not_load_the_postgres_dialect() -> None:
    code = (
        "import sys, editor.store.models, sqlalchemy.dialects.sqlite;"
        "print('sqlalchemy.dialects.postgresql' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.strip() == "False"


def test_sqlite_sort_indexes_are_partial(tmp_path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect():
        pass
    sort = [i for i in ArticleRow.__table__.indexes if i.name.startswith("ix_articles_sort_")]
    assert len(sort) == 6
    for index in sort:
        ddl = str(CreateIndex(index).compile(dialect=engine.dialect))
        assert ddl.endswith("WHERE deleted_at IS NULL"), ddl


def test_postgres_sort_indexes_are_partial(postgres_url) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.connect():
            pass
        sort = [i for i in ArticleRow.__table__.indexes if i.name.startswith("ix_articles_sort_")]
        for index in sort:
            ddl = str(CreateIndex(index).compile(dialect=engine.dialect))
            assert ddl.endswith("WHERE deleted_at IS NULL"), ddl
    finally:
        engine.dispose()
