"""`newsroom site` and `newsroom sections`: the newsroom's shared site settings and sections.

    newsroom site [--json]                       the site settings in force
    newsroom site set KEY VALUE                  site_name, base_url or templates_dir
                                                 (admins; "" puts a setting back)
    newsroom sections [--all] [--json]           the managed sections in menu order
                                                 (--all: retired ones too, marked)
    newsroom sections --unlisted [--json]        sections written on articles that are
                                                 not in the list, most articles first
    newsroom sections add NAME                   editors and admins
    newsroom sections rename NAME NEW            renames it on its articles too
    newsroom sections retire NAME                no more offered, no menu entry
    newsroom sections restore NAME               offered again
    newsroom sections move NAME... [--first]     put these first, in this order

The settings live in the store, so the window, its preview, `newsroom export` and every
desk use the same ones. `newsroom export` takes them when its flags are absent
(`export_options`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from editor.core.settings_model import SITE_KEYS

_SECTION_ACTIONS = ("add", "rename", "retire", "restore", "move")


def add_parsers(commands, common: argparse.ArgumentParser) -> None:
    """Add `site` and `sections` to the `newsroom` command's subparsers."""
    site = commands.add_parser(
        "site",
        parents=[common],
        help="show or set the site settings (name, address, templates)",
        description="The newsroom's site settings, shared by every desk, the window's "
        "preview and `newsroom export`. Keys: "
        + "; ".join(f"{key}: {what}" for key, what in SITE_KEYS.items())
        + ". Only an admin sets them.",
    )
    site.add_argument("--json", action="store_true", help="print the settings as JSON")
    site_commands = site.add_subparsers(dest="site_command", metavar="ACTION")
    sub = site_commands.add_parser("set", parents=[common], help="set one site setting (admins)")
    sub.add_argument("key", choices=list(SITE_KEYS), metavar="KEY", help=", ".join(SITE_KEYS))
    sub.add_argument("value", metavar="VALUE", help='the new value ("" for the default)')

    sections = commands.add_parser(
        "sections",
        parents=[common],
        help="list or manage the newsroom's sections",
        description="The sections the newsroom files articles under, in menu order: the "
        "inspector offers them and the site's menu is made of them. Editors and admins "
        "change the list; renaming a section renames it on its articles too.",
    )
    sections.add_argument("--json", action="store_true", help="print the list as JSON")
    sections.add_argument("--all", action="store_true", help="retired sections too")
    sections.add_argument(
        "--unlisted",
        action="store_true",
        help="sections on articles that are not in the list (to add or rename them)",
    )
    actions = sections.add_subparsers(dest="sections_command", metavar="ACTION")
    sub = actions.add_parser("add", parents=[common], help="add a section at the menu's end")
    sub.add_argument("name", metavar="NAME")
    sub = actions.add_parser(
        "rename", parents=[common], help="rename a section, and on its articles"
    )
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("new", metavar="NEW")
    sub = actions.add_parser("retire", parents=[common], help="offer a section no more")
    sub.add_argument("name", metavar="NAME")
    sub = actions.add_parser("restore", parents=[common], help="offer a retired section again")
    sub.add_argument("name", metavar="NAME")
    sub = actions.add_parser("move", parents=[common], help="put sections first, in this order")
    sub.add_argument("names", nargs="+", metavar="NAME")


def reads_only(args: argparse.Namespace) -> bool:
    """Whether the command only reads (everyone may, without `--as`)."""
    if args.command == "site":
        return getattr(args, "site_command", None) is None
    return getattr(args, "sections_command", None) is None


def run_site(newsroom, args: argparse.Namespace) -> int:
    settings = newsroom.settings
    if getattr(args, "site_command", None) == "set":
        value = args.value
        if args.key == "site_name" and not value.strip():
            value = "Newsroom"
        site = settings.set(args.key, value)
        print(f"{args.key} = {getattr(site, args.key) or '(none)'}")
        return 0
    site = settings.site()
    values = {key: getattr(site, key) for key in SITE_KEYS}
    if args.json:
        print(json.dumps(values, ensure_ascii=False))
        return 0
    for key, value in values.items():
        print(f"{key:<14} {value or '(none)'}")
    return 0


def run_sections(newsroom, args: argparse.Namespace) -> int:
    settings = newsroom.settings
    action = getattr(args, "sections_command", None)
    if action == "add":
        section = settings.add_section(args.name)
        print(f"added section {section.name}")
    elif action == "rename":
        section, moved = settings.rename_section(args.name, args.new)
        noun = "article" if moved == 1 else "articles"
        print(f"renamed section {args.name} to {section.name} ({moved} {noun} changed)")
    elif action == "retire":
        section = settings.retire_section(args.name)
        print(f"retired section {section.name}: no more offered, its articles keep it")
    elif action == "restore":
        section = settings.restore_section(args.name)
        print(f"section {section.name} is offered again")
    elif action == "move":
        order = settings.reorder_sections(args.names)
        print("sections: " + ", ".join(s.name for s in order if not s.retired))
    else:
        return _list_sections(newsroom, args)
    return 0


def _list_sections(newsroom, args: argparse.Namespace) -> int:
    settings = newsroom.settings
    if getattr(args, "unlisted", False):
        return _list_unlisted(newsroom, args)
    sections = settings.sections(include_retired=args.all)
    counts: dict[str, int] = {}
    for value, count in settings.article_counts().items():
        name = settings.managed_section(value)
        if name is not None:
            counts[name] = counts.get(name, 0) + count
    if args.json:
        rows = [
            {
                "name": s.name,
                "position": s.position,
                "retired": s.retired,
                "articles": counts.get(s.name, 0),
            }
            for s in sections
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    width = max((len(s.name) for s in sections), default=0)
    for section in sections:
        mark = "  (retired)" if section.retired else ""
        print(f"{section.name:<{width}}  {counts.get(section.name, 0):>6} articles{mark}")
    return 0


def _list_unlisted(newsroom, args: argparse.Namespace) -> int:
    """Section values on live articles that match no managed section (retired ones count
    as managed), most articles first; spellings that differ only in case are one."""
    settings = newsroom.settings
    found: dict[str, list] = {}
    for value, count in settings.article_counts().items():
        if not value.strip() or settings.managed_section(value) is not None:
            continue
        key = " ".join(value.split()).casefold()
        entry = found.setdefault(key, [" ".join(value.split()), 0])
        entry[1] += count
    rows = sorted(found.values(), key=lambda e: (-e[1], e[0].casefold()))
    if args.json:
        print(json.dumps([{"name": n, "articles": c} for n, c in rows], ensure_ascii=False))
        return 0
    if not rows:
        print("every article's section is in the list")
        return 0
    width = max(len(n) for n, _ in rows)
    for name, count in rows:
        print(f"{name:<{width}}  {count:>6} articles")
    return 0


class DirectSite:
    """What `newsroom export` reads of a newsroom (its export reads, its site settings and
    sections, `find_article`), from a SQLite store read with sqlite3 alone
    (`editor.store.direct_reads`): the export reads only, and a re-export of a large site
    after one change is mostly start-up and reading without the ORM."""

    def __init__(self, reader) -> None:
        from editor.services.site_settings import SettingsService

        self.store = reader  # `.export_reads` and `.settings`, as a `Store` has them
        self.settings = SettingsService(self)  # reads `self.store.settings` alone
        self.find_article = reader.find_article


def export_options(
    newsroom,
    *,
    base_url: str | None,
    templates_dir: Path | str | None,
    site_name: str | None,
) -> dict[str, object]:
    """The `ExportOptions` fields of `newsroom export`: each flag given wins, the store's
    site settings fill in the absent ones (None)."""
    site = newsroom.settings.site()
    return {
        "base_url": site.base_url if base_url is None else base_url,
        "templates_dir": (site.templates_dir or None) if templates_dir is None else templates_dir,
        "site_name": site.site_name if site_name is None else site_name,
    }


#: The verbs this module runs, for `editor.cli`'s dispatch.
HANDLERS = {"site": run_site, "sections": run_sections}
