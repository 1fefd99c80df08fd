"""Where the store is: the default location, and whether a location is a URL or shared.

Nothing here imports SQLAlchemy, so the command line can tell which store a command
means before deciding whether it needs the ORM at all (`editor.store.direct_reads`).
`editor.store.opening` re-exports these names.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "newsroom-editor"
APP_AUTHOR = "Newsroom"


def default_store_path() -> Path:
    """The store used when none is named: `NEWSROOM_STORE`, else the user data folder."""
    env = os.environ.get("NEWSROOM_STORE")
    if env:
        return Path(env).expanduser()
    import platformdirs  # 10 ms, and only when no store is named

    return platformdirs.user_data_path(APP_NAME, APP_AUTHOR) / "newsroom.db"


def default_store_location() -> str:
    """`default_store_path`, but a URL in `NEWSROOM_STORE` stays a URL (a path folds `//`)."""
    env = os.environ.get("NEWSROOM_STORE", "").strip()
    return env if is_url(env) else str(default_store_path())


def is_url(location: str) -> bool:
    return "://" in location


def is_shared(location: str | os.PathLike[str] | None) -> bool:
    """Whether `location` (None: the default store) is a shared store: a PostgreSQL URL.

    On a shared store the acting user is the database login, never a name given on the
    command line (see `editor.store.rights`).
    """
    text_location = default_store_location() if location is None else str(location)
    if not is_url(text_location):
        return False
    return text_location.split("://", 1)[0].split("+", 1)[0].lower() in ("postgresql", "postgres")
