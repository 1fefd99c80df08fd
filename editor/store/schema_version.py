"""The schema revisions this version of the app knows, read from its migration files.

No alembic and no SQLAlchemy: the command line's direct reads (`editor.store.direct_reads`)
ask whether a store is current without either. `editor.store.opening` re-exports these.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from editor.core.errors import StoreError

MIGRATIONS = Path(__file__).parent / "migrations"

_REVISION = re.compile(r'^(down_revision|revision)\s*=\s*"([^"]+)"', re.MULTILINE)


@functools.cache
def schema_revisions() -> tuple[str, frozenset[str]]:
    """The newest schema revision and every known one, read from the migration files.

    What alembic's `ScriptDirectory` says (a test holds them equal), without importing
    alembic on every open of an up-to-date store.
    """
    revisions: dict[str, str | None] = {}
    for script in (MIGRATIONS / "versions").glob("[0-9]*.py"):
        found = dict(_REVISION.findall(script.read_text(encoding="utf-8")))
        revisions[found["revision"]] = found.get("down_revision")
    parents = set(revisions.values())
    heads = [revision for revision in revisions if revision not in parents]
    if len(heads) != 1:
        raise StoreError(f"The app's schema migrations have {len(heads)} heads: {heads}.")
    return heads[0], frozenset(revisions)
