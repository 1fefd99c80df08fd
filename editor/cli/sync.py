"""`newsroom sync`, `newsroom send` and `newsroom receive`: sync and story packages.

    newsroom sync [--with URL]             exchange changes with the shared store
                                           (default: $NEWSROOM_DESK)
    newsroom send ID_OR_SLUG --to FILE     write a story package (.nrpkg)
    newsroom receive FILE.nrpkg...         sync story packages into this store

`sync` prints one line, "Synced 10:42, 3 articles up, 5 down", then one line per
conflict left in an article (to resolve in the editor) and per change the other side
refused, on stderr; the exit code is 1 when something was refused, else 0.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.store.sync import SyncReport


def add_parsers(commands, common: argparse.ArgumentParser) -> None:
    """Add the `sync`, `send` and `receive` verbs to the `newsroom` command's subparsers."""
    sub = commands.add_parser(
        "sync",
        parents=[common],
        help="exchange changes with the shared store",
        description="Send this store's changes to the shared store and bring its changes "
        "here, both ways in one go; articles changed on both sides are merged, passages "
        "changed on both sides become conflicts to resolve in the editor.",
    )
    sub.add_argument(
        "--with",
        dest="peer",
        metavar="URL",
        default=None,
        help="the store to sync with (default: $NEWSROOM_DESK)",
    )
    sub = commands.add_parser(
        "send", parents=[common], help="write an article to a story package (.nrpkg)"
    )
    sub.add_argument("article", metavar="ID_OR_SLUG")
    sub.add_argument("--to", dest="to", required=True, type=Path, metavar="FILE")
    sub = commands.add_parser(
        "receive", parents=[common], help="sync story packages (.nrpkg) into this store"
    )
    sub.add_argument("packages", nargs="+", type=Path, metavar="FILE")


def summary_line(report: SyncReport) -> str:
    """ "Synced 10:42, 3 articles up, 5 down" (local time)."""
    when = report.finished_at.replace(tzinfo=UTC).astimezone().strftime("%H:%M")
    up, down = len(report.up), len(report.down)
    noun = "article" if up == 1 else "articles"
    return f"Synced {when}, {up} {noun} up, {down} down"


def _details(report: SyncReport) -> int:
    for conflict in report.conflicts:
        print(f"  conflict: {conflict.article_id[:8]} “{conflict.headline}”: {conflict.what}")
    for refused in report.refused:
        print(
            f"newsroom: not synced: {refused.article_id[:8]} “{refused.headline}”: {refused.what}",
            file=sys.stderr,
        )
    return 1 if report.refused else 0


def run_sync(newsroom, args: argparse.Namespace) -> int:
    from editor.services.syncing import desk_location, sync_with

    report = sync_with(newsroom, desk_location(args.peer))
    print(summary_line(report))
    return _details(report)


def run_send(newsroom, args: argparse.Namespace) -> int:
    from editor.services.syncing import send_story

    target = send_story(newsroom, args.article, args.to)
    print(f"sent to {target}")
    return 0


def run_receive(newsroom, args: argparse.Namespace) -> int:
    from editor.services.syncing import import_story

    code = 0
    for package in args.packages:
        report = import_story(newsroom, package)
        count = len(report.down)
        print(
            f"{package.name}: {count} article{'s' if count != 1 else ''} received"
            if report.changed
            else f"{package.name}: nothing new"
        )
        code = max(code, _details(report))
    return code


#: The handlers `editor.cli` dispatches to, by verb.
HANDLERS = {"sync": run_sync, "send": run_send, "receive": run_receive}
