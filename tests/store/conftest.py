"""Store fixtures: real SQLite files in tmp_path, and a fresh PostgreSQL schema per test.

The `newsroom` fixture runs each test on both databases; PostgreSQL is the local
server every machine of this project has (127.0.0.1:5432, database `test`).
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from editor.services.newsroom import Newsroom

POSTGRES = os.environ.get("NEWSROOM_TEST_POSTGRES", "postgresql+psycopg://root@127.0.0.1/test")


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "newsroom.db"


@pytest.fixture
def postgres_url():
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    schema = f"nr_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as error:  # the server is part of the machine; say clearly if not
        admin.dispose()
        pytest.skip(f"PostgreSQL at {POSTGRES} is not reachable: {error}")
    yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, store_path):
    """Where a store lives: a SQLite file, or a PostgreSQL schema."""
    return store_path if request.param == "sqlite" else request.getfixturevalue("postgres_url")


@pytest.fixture
def newsroom(location):
    room = Newsroom.open(location)
    yield room
    room.close()


@pytest.fixture
def sqlite_newsroom(store_path):
    room = Newsroom.open(store_path)
    yield room
    room.close()
