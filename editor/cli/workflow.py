"""`newsroom status ID --to STATUS [--note TEXT]`: the workflow from the command line.

The target status is mapped to the one action that leads there from the article's
current status; the same permission check as in the window decides.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from editor.core.errors import TransitionError
from editor.core.model import Status

if TYPE_CHECKING:
    from editor.services.workflow import Action


def run_status(newsroom, args: argparse.Namespace) -> int:
    # Here, not at the top: `newsroom show` prints the history through this module and
    # needs none of the workflow's rules.
    from editor.services.workflow import action_for, next_statuses

    article = newsroom.find_article(args.article)
    current, target = article.status, Status(args.to)
    if current is target:
        raise TransitionError(f"“{_title(article)}” is already {target.label.lower()}.")
    # No move leads there from here: still name the action that would, so the one
    # permission check explains the refusal ("Only an approved article can be published").
    action = action_for(current, target) or _action_towards(current, target)
    if action is None:
        reachable = [s.value for s in next_statuses(current)]
        raise TransitionError(
            f"Cannot move “{_title(article)}” from {current.value} to {target.value}; "
            f"from {current.value} it can go to: {', '.join(reachable) or 'nothing'}."
        )
    updated = newsroom.workflow.transition(article.id, action, note=args.note)
    print(f"{action.value}: “{_title(updated)}” {current.value} -> {updated.status.value}")
    return 0


def _action_towards(current: Status, target: Status) -> Action | None:
    from editor.services.workflow import TRANSITIONS, Action, target_status

    leading = [a for a in TRANSITIONS if any(target_status(a, s) is target for s in Status)]
    if Action.REOPEN in leading and current not in (Status.DRAFT, Status.CHANGES_REQUESTED):
        return Action.REOPEN  # "submitted" again after approval or publication: reopen
    return leading[0] if leading else None


def _title(article) -> str:
    return article.headline or "Untitled"


def print_history(events) -> None:
    """The audit log under `newsroom show`: one line per event, notes indented below."""
    if not events:
        return
    print()
    print("History")
    for event in events:
        when = event.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        move = (
            f"{event.from_status} -> {event.to_status}"
            if event.from_status and event.from_status != event.to_status
            else ""
        )
        print(f"  {when}  {event.actor or '-':<16.16} {event.action:<9} {move}".rstrip())
        for line in event.note.splitlines():
            print(f"      {line}")
