"""Store fixtures: real SQLite files in tmp_path."""

from __future__ import annotations

import pytest

from editor.core.newsroom import Newsroom


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "newsroom.db"


@pytest.fixture
def newsroom(store_path):
    room = Newsroom.open(store_path)
    yield room
    room.close()
