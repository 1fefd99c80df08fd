"""Presence on the desk: who has which article open for editing, and how to say so.

A window that opens an article it may edit claims it (one row per window, named by a
session id), renews the claim with a heartbeat every `HEARTBEAT_SECONDS`, and gives it
up when it switches article or closes. A claim whose heartbeat is older than
`EXPIRY_SECONDS` counts as gone: the laptop was shut or the program killed, and nobody
is left to give it up. Pure values and wording; the store keeps the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

#: How often an open window renews its claim.
HEARTBEAT_SECONDS = 25
#: A claim not renewed for this long is taken as gone (three missed heartbeats and more).
EXPIRY_SECONDS = 90


@dataclass(frozen=True, slots=True)
class Presence:
    """One window with an article open for editing: who, since when, last heard of when.

    Times are aware UTC, by the store's clock (the database server's on a shared desk, so
    laptops whose clocks disagree still agree on who is here).
    """

    session_id: str
    article_id: str
    user_id: str
    user_name: str
    since: datetime
    heartbeat_at: datetime


def _local_time(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%H:%M")


def _names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def editing_line(others: list[Presence], my_user_id: str = "") -> str:
    """What the window says about the other windows that have this article open.

    "" for nobody; "Dave is editing since 10:42"; one person's two windows count once,
    from the earliest claim; several people are named together, earliest first: "Dave and
    Rita are editing (since 10:42)". The person's own other window (`my_user_id`: on
    another machine, perhaps forgotten) is "you": "You have it open in another window
    too (since 10:42)".
    """
    earliest: dict[str, tuple[datetime, str]] = {}
    for presence in others:
        key = "" if my_user_id and presence.user_id == my_user_id else presence.user_id
        known = earliest.get(key)
        if known is None or presence.since < known[0]:
            earliest[key] = (presence.since, presence.user_name)
    if not earliest:
        return ""
    first = _local_time(min(since for since, _name in earliest.values()))
    if set(earliest) == {""}:
        return f"You have it open in another window too (since {first})"
    people = sorted(
        (since, name.casefold(), name) for key, (since, name) in earliest.items() if key
    )
    names = [name for _since, _folded, name in people]
    if "" in earliest:
        names.append("you (another window)")
    if len(names) == 1:
        return f"{names[0]} is editing since {first}"
    return f"{_names(names)} are editing (since {first})"


def editing_elsewhere(presences: list[Presence], session_id: str) -> list[Presence]:
    """The claims of every window but this one (`session_id`)."""
    return [p for p in presences if p.session_id != session_id]


def by_article(presences: list[Presence]) -> dict[str, list[Presence]]:
    """The claims grouped by article id, each group oldest first."""
    grouped: dict[str, list[Presence]] = {}
    for presence in sorted(presences, key=lambda p: p.since):
        grouped.setdefault(presence.article_id, []).append(presence)
    return grouped
