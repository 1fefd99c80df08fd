"""The shared settings and sections in a sync (issue 16): who wins, and what is taken.

Settings travel by key, sections by id (or, for a section each store made on its own,
such as the ones every store starts with, by folded name) in every full sync. Per key
the row set last wins whole (`updated_at`); a value someone set beats a default nobody
set (`updated_by` empty); at the same moment the authority's wins. The winner goes to a
side that holds another value only if whoever set it may set it (the authority's roles:
settings an admin's, sections an editor's or an admin's; into a shared store under a
person's login, only that person's own, as migration 0005's grants hold); otherwise each
side keeps its own. A setting reset to its default (its row deleted) does not travel.

The sides are `editor.store.sync`'s (`_Side`): their `session`, `canon`/`local` user-id
mapping, `login_user`, `shared` (what they hold) and `out_settings` (what to write).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update

from editor.store.models import Base
from editor.store.settings import SectionRow, SettingRow

_T = Base.metadata.tables
#: Each table, the column its rows are known by, and the roles that may set them.
TABLES = {
    SettingRow.__tablename__: ("key", ("admin",)),
    SectionRow.__tablename__: ("id", ("editor", "admin")),
}
#: What a setting's or a section's state is (the rest is who and when, or its own id).
STATE = {"settings": ("value",), "sections": ("name", "name_key", "position", "retired")}


def load(side: Any) -> None:
    for table, (key, _roles) in TABLES.items():
        rows = side.session.execute(select(_T[table])).mappings()
        side.shared[table] = {row[key]: side.canon(table, row) for row in rows}


def plan(local: Any, remote: Any, roles: dict[str, str], receives) -> None:
    """What each side must write: `roles` are the authority's by canonical user id,
    `receives(side)` whether a side may be written."""
    for table, (_key, allowed) in TABLES.items():
        for a, b in pairs(table, local.shared[table], remote.shared[table]):
            winner = winning(a, b, local_first=local.authority)
            for side, held in ((local, a), (remote, b)):
                if held is winner or not receives(side):
                    continue
                if held is not None and all(held[c] == winner[c] for c in STATE[table]):
                    continue
                who = winner["updated_by"]
                if roles.get(who or "") not in allowed or (
                    side.login_user is not None and who != side.login_user
                ):
                    continue
                row = dict(winner)
                if table == "sections":
                    if held is not None:
                        row["id"] = held["id"]  # each store keeps its own section ids
                    if any(
                        r["name_key"] == row["name_key"] and r["id"] != row["id"]
                        for r in side.shared[table].values()
                    ):
                        continue  # another section here has that name: left as it is
                side.out_settings.append((table, row, held is None))


def pairs(table: str, local: dict, remote: dict) -> list[tuple[dict | None, dict | None]]:
    """The two sides' rows of each setting (by key) or section (by id, else by name)."""
    if table == "settings":
        return [(local.get(k), remote.get(k)) for k in sorted(set(local) | set(remote))]
    by_name = {r["name_key"]: r for r in remote.values()}
    found: list[tuple[dict | None, dict | None]] = []
    used: set[str] = set()
    for sid in sorted(local):
        a = local[sid]
        b = remote.get(sid)
        if b is None:
            b = by_name.get(a["name_key"])
            if b is not None and (b["id"] in local or b["id"] in used):
                b = None
        if b is not None:
            used.add(b["id"])
        found.append((a, b))
    found.extend((None, remote[sid]) for sid in sorted(remote) if sid not in used)
    return found


def winning(a: dict | None, b: dict | None, *, local_first: bool) -> dict:
    """Of two sides' rows for one key (`a` local, `b` remote; either may be missing),
    the one that wins: set beats default, then the later, then the authority's."""
    if a is None or b is None:
        return a if b is None else b

    def rank(row: dict, authority: bool) -> tuple:
        return (row["updated_by"] is not None, row["updated_at"], authority)

    return a if rank(a, local_first) > rank(b, not local_first) else b


def write(side: Any) -> None:
    """Write what was planned for `side`, as the rows themselves (under a person's login
    through 0005's grants and policies: only what that login may set was planned)."""
    for table, row, new in side.out_settings:
        values = side.local(table, row)
        target = _T[table]
        if new:
            side.session.execute(insert(target), [values])
            continue
        key = "id" if table == "sections" else "key"
        changes = {c: values[c] for c in (*STATE[table], "updated_at", "updated_by")}
        side.session.execute(update(target).where(target.c[key] == values[key]).values(changes))
