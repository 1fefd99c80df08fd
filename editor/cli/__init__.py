"""The `newsroom` command: the GUI without a subcommand, scriptable verbs with one.

Errors are one line on stderr and exit code 2; output cut short by its reader (`| head`)
ends quietly with exit code 141. `--json` output is stable: `list` prints an array of
article summaries, `show` one article with its `body`.

Who acts: `--as NAME`, or the store's only user. Reading (list, show, check, export,
user list) needs nobody; writing does, and a store with no users yet says to run
`newsroom init --admin NAME`, which makes its first admin. On a shared (PostgreSQL)
store the acting user is the database login's newsroom user and `--as` is refused.

Start-up is kept to what a command needs: `--help` loads no SQLAlchemy, and `list`, `list
--search` and `show` on a SQLite store read it with sqlite3 alone
(`editor.store.direct_reads`), falling back to the full open whenever it must see the
store first (see `_run_directly`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

from editor import __version__
from editor.core.errors import NewsroomError, StoreFullError, ValidationError
from editor.core.model import Article, ArticleQuery, ArticleSummary, Desk, Status

EXIT_ERROR = 2
#: An import that worked but wants a look: a page that gave little or no text, say.
EXIT_CHECK = 3
#: A closed pipe (`newsroom list | head`): 128 + SIGPIPE, as a shell reports it.
EXIT_PIPE = 141
_PAGE = 500


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--store",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="store file or SQLAlchemy URL (default: $NEWSROOM_STORE or the user data folder)",
    )
    common.add_argument(
        "--as", dest="user", metavar="USER", default=argparse.SUPPRESS, help="acting user"
    )
    parser = argparse.ArgumentParser(
        prog="newsroom",
        description="Newsroom Editor: write, review and publish articles. "
        "Without a command, opens the editor window.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub = commands.add_parser(
        "import", parents=[common], help="import .txt .md .html .docx files as drafts"
    )
    sub.add_argument(
        "files", nargs="+", type=Path, metavar="FILE",
        help="a file, or a folder: the files in it and its subfolders whose names say they "
        "can be imported",
    )  # fmt: skip
    sub.add_argument("--json", action="store_true", help="print the imported articles as JSON")
    sub.add_argument(
        "--duplicates",
        choices=["skip", "copy", "update"],
        default="skip",
        help="a file imported before: skip it (default), import a new copy, "
        "or update the earlier import",
    )
    sub.add_argument(
        "--style", type=Path, metavar="FILE",
        help="a style file whose 'wire:' patterns name your agencies' formats",
    )  # fmt: skip

    sub = commands.add_parser("list", parents=[common], help="list articles, newest first")
    sub.add_argument("--status", choices=[s.value for s in Status])
    sub.add_argument("--search", default="", metavar="Q", help="full-text search")
    sub.add_argument("--desk", choices=[d.value for d in Desk], help="a desk view")
    sub.add_argument("--deleted", action="store_true", help="include deleted articles")
    sub.add_argument("--json", action="store_true")

    sub = commands.add_parser("show", parents=[common], help="show one article")
    sub.add_argument("article", metavar="ID_OR_SLUG")
    sub.add_argument("--json", action="store_true")

    sub = commands.add_parser(
        "check",
        parents=[common],
        help="run the copy-desk checks (exit code 1 when there are errors)",
        description="Check an article of the store, or a file without storing it, against "
        "the house style ($NEWSROOM_STYLE or --style FILE to use another).",
    )
    sub.add_argument("article", metavar="ID_OR_SLUG_OR_FILE")
    sub.add_argument("--json", action="store_true", help="print the findings as JSON")
    sub.add_argument("--style", type=Path, metavar="FILE", help="a style file (YAML)")

    sub = commands.add_parser(
        "export",
        parents=[common],
        help="export a static web site (approved and published articles)",
        description="Write a static site: article pages, front page, section pages, Atom "
        "feed, sitemap and images. Unchanged pages are skipped; embargoed, held and "
        "unapproved articles are listed with the reason. With --preview, each article "
        "given becomes one standalone page (a draft is marked as a preview).",
    )
    which = sub.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every article that is not deleted")
    which.add_argument("--status", choices=[s.value for s in Status])
    which.add_argument("articles", nargs="*", default=[], metavar="ID_OR_SLUG")
    sub.add_argument("--out", required=True, type=Path, metavar="DIR")
    sub.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="the newsroom's templates (default: the store's: newsroom site)",
    )
    sub.add_argument(
        "--base-url",
        default=os.environ.get("NEWSROOM_BASE_URL"),
        metavar="URL",
        help="address of the site, for canonical links (default: $NEWSROOM_BASE_URL, "
        "else the store's: newsroom site)",
    )
    sub.add_argument("--site-name", metavar="NAME", help="the site's name (default: the store's)")
    sub.add_argument(
        "--preview", action="store_true", help="standalone page per ID_OR_SLUG, drafts too"
    )

    sub = commands.add_parser("status", parents=[common], help="move an article in the workflow")
    sub.add_argument("article", metavar="ID_OR_SLUG")
    sub.add_argument("--to", required=True, choices=[s.value for s in Status], dest="to")
    sub.add_argument("--note", default="", metavar="TEXT", help="a note for the audit log")

    sub = commands.add_parser("delete", parents=[common], help="delete an article (undoable)")
    sub.add_argument("article", metavar="ID_OR_SLUG")
    sub = commands.add_parser("restore", parents=[common], help="undo the delete of an article")
    sub.add_argument("article", metavar="ID", help="the id, or its first eight characters")

    sub = commands.add_parser(
        "init",
        parents=[common],
        help="create the store (if needed) and its first admin",
        description="Make the first admin of a store that has no users yet (the store is "
        "created if it does not exist). Refused when the store already has users.",
    )
    sub.add_argument("--admin", required=True, metavar="NAME", help="the first admin's name")
    sub.add_argument("--login", metavar="LOGIN", help=_LOGIN_HELP)

    user = commands.add_parser("user", parents=[common], help="manage users")
    user_commands = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    sub = user_commands.add_parser("add", parents=[common], help="add a user")
    sub.add_argument("name")
    sub.add_argument("--role", required=True, choices=["reporter", "editor", "admin"])
    sub.add_argument("--login", metavar="LOGIN", help=_LOGIN_HELP)
    sub = user_commands.add_parser("list", parents=[common], help="list users")
    sub.add_argument("--json", action="store_true")
    from editor.cli import backup as cli_backup
    from editor.cli import site as cli_site
    from editor.cli import sync as cli_sync

    cli_sync.add_parsers(commands, common)
    cli_backup.add_parsers(commands, common)
    cli_site.add_parsers(commands, common)
    return parser


_LOGIN_HELP = (
    "shared (PostgreSQL) store: the database login this person connects with, taken as "
    "it is when the server has it (default: made from the name, and new)"
)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    store = getattr(args, "store", None) or _store_from_environment()
    user = getattr(args, "user", None)
    if problem := _identity_problem(args, store, user):
        print(f"newsroom: {problem}", file=sys.stderr)
        return EXIT_ERROR
    if args.command is None:
        if problem := _no_display():
            print(f"newsroom: {problem}", file=sys.stderr)
            return EXIT_ERROR
        from editor.ui.app import run_gui  # Qt loads only for the window

        return run_gui(store, user)
    try:
        code = _run_directly(args, store, user)
        if code is None:
            code = _run(args, store, user)
        sys.stdout.flush()  # a reader gone away shows here, inside this handler
        return code
    except BrokenPipeError:
        return _pipe_closed()
    except NewsroomError as error:
        print(f"newsroom: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("newsroom: interrupted", file=sys.stderr)
        return 130


def _pipe_closed() -> int:
    """Stdout's reader went away (`newsroom show ID | head -1`): stop quietly.

    What is still buffered goes to /dev/null, so Python's flush at exit does not print
    a second BrokenPipeError of its own.
    """
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no descriptor (io.UnsupportedOperation)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends
        return EXIT_PIPE
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)
    return EXIT_PIPE


def _store_from_environment() -> str | None:
    """A URL in NEWSROOM_STORE, taken as it is (None: the default store, found later)."""
    from editor.store.location import default_store_location, is_url

    location = default_store_location()
    return location if is_url(location) else None


def _identity_problem(args: argparse.Namespace, store: str | None, user: str | None) -> str:
    """Why the command line cannot say who acts here ("" when it can): `--as` on a shared
    store, where the database login is who acts; `--login` on a file store."""
    from editor.store.location import is_shared

    shared = is_shared(store)
    if user is not None and shared:
        return (
            "--as is not used on a shared (PostgreSQL) store: you act as your database login. "
            "To act as someone else, connect with their login (the user in the URL, PGUSER "
            "or a service file)."
        )
    if getattr(args, "login", None) and not shared:
        return "--login is for a shared (PostgreSQL) store, where each person has a login."
    return ""


def _login_for(store: str | None, name: str, login: str | None) -> tuple[str | None, bool]:
    """The database login a person added on a shared store gets, and whether an existing
    role may be taken: only one named with --login (a name's default may be another's)."""
    from editor.store.opening import is_shared
    from editor.store.rights import default_login

    if not is_shared(store):
        return None, False
    if login:
        return login, True
    made = default_login(name)
    if not made:
        raise ValidationError(f"Give '{name}' a database login with --login LOGIN.")
    return made, False


def _reads_only(args: argparse.Namespace) -> bool:
    """Whether the command only reads, which everyone may do without `--as`."""
    if args.command == "user":
        return args.user_command == "list"
    if args.command in ("site", "sections"):
        from editor.cli import site as cli_site

        return cli_site.reads_only(args)
    return args.command in ("list", "show", "check", "export")


def _no_display() -> str | None:
    """Why the window cannot open here, said before Qt aborts with a core dump."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); "
        "the subcommands (import, list, show, export...) work without one."
    )


def _run_directly(args: argparse.Namespace, store: str | None, user: str | None) -> int | None:
    """`list`, `show` and `export` on a SQLite store read with sqlite3 alone, without
    loading the ORM (`editor.store.direct_reads`); None when the command needs the full
    open (a desk view, `--as`, a URL, or a store that must be created, migrated, refused
    or read on a full disk first)."""
    if args.command not in ("list", "show", "export") or user is not None:
        return None
    if args.command == "list" and args.desk:
        return None
    from editor.store import location

    where = store if store is not None else location.default_store_location()
    if location.is_url(where):
        return None
    from editor.store.direct_reads import DirectReader

    reader = DirectReader.open(Path(where).expanduser().resolve())
    if reader is None:
        return None
    try:
        if args.command == "show":
            return _show(reader, args)
        if args.command == "export":
            from editor.cli.site import DirectSite

            return _export(DirectSite(reader), args)
        query = ArticleQuery(
            search=args.search,
            status=Status(args.status) if args.status else None,
            include_deleted=args.deleted,
        )
        if args.json:  # every hit of a common word: at SQLite's pace (within 2x)
            _print_json_lines(reader.iter_listing_json(query))
        else:
            _print_listing(reader.iter_listing(query), as_json=False)
        return 0
    finally:
        reader.close()


def _run(args: argparse.Namespace, store: str | None, user: str | None) -> int:
    from editor.cli import backup as cli_backup
    from editor.cli import site as cli_site
    from editor.cli import sync as cli_sync
    from editor.services.newsroom import Newsroom

    if args.command in cli_backup.COMMANDS:  # before opening: they work on a damaged store
        return cli_backup.run(args, store)
    if args.command == "init":
        return _init(Newsroom, store, args.admin, args.login)
    if not _reads_only(args) and not _on_a_full_disk(store):
        # Not on a full disk: the probe could leave a `-shm` beside the store there (and
        # the store opens for reading only, so the command is refused below anyway).
        cli_backup.wait_if_locked(store)  # says "waiting for ..." at once, then gives up
    # No silent admin here (the window's first start makes one): `newsroom init` does.
    # Sync and packages act as nobody: every change they carry is checked under its author.
    acts_as_nobody = _reads_only(args) or args.command in cli_sync.HANDLERS
    newsroom = Newsroom.open(store, user, bootstrap=False, reader=acts_as_nobody)
    try:
        _refuse_or_warn_on_full_disk(newsroom, args)
        handler = (
            _HANDLERS.get(args.command)
            or cli_site.HANDLERS.get(args.command)
            or cli_sync.HANDLERS[args.command]
        )
        return handler(newsroom, args)
    finally:
        newsroom.close()


def _on_a_full_disk(store: str | None) -> bool:
    """Whether the store is a file on a disk with no room left (`integrity.disk_is_full`)."""
    from editor.store import integrity, opening

    location = str(store) if store is not None else opening.default_store_location()
    if opening.is_url(location):
        return False
    path = Path(location).expanduser().resolve()
    return path.is_file() and integrity.disk_is_full(path)


def _refuse_or_warn_on_full_disk(newsroom, args: argparse.Namespace) -> None:
    """A store on a full disk opens for reading only: a reading command says so in one
    line on stderr and goes on; a writing one is refused before it changes anything."""
    reason = newsroom.store.read_only_reason
    if reason is None:
        return
    if not _reads_only(args):
        raise StoreFullError(
            f"{reason.rstrip('.')}: `newsroom {args.command}` was not run, nothing was "
            "changed. Free some space and run it again."
        )
    print(f"newsroom: warning: {reason}", file=sys.stderr)


def _init(newsroom_class, store: str | None, admin: str, login: str | None = None) -> int:
    login, take_existing = _login_for(store, admin, login)
    newsroom = newsroom_class.init(store, admin, login, take_existing=take_existing)
    try:
        where = newsroom.store.path or newsroom.store.db.name
        name = newsroom.user.name
        if (admin_login := newsroom.login_of(newsroom.user)) is not None:
            print(f"initialised {where}: {name} is its first admin, database login {admin_login}")
            print(
                f"add people with: newsroom user add NAME --role reporter|editor, connected "
                f"as {admin_login}"
            )
            return 0
        print(f"initialised {where}: {name} is its first admin")
        print(f'add people with: newsroom --as "{name}" user add NAME --role reporter|editor')
    finally:
        newsroom.close()
    return 0


def _import(newsroom, args: argparse.Namespace) -> int:
    packages = [path for path in args.files if path.suffix == ".nrpkg"]
    files = [path for path in args.files if path.suffix != ".nrpkg"]
    package_code = 0
    if packages:  # story packages are synced in, not imported as new copy
        from editor.cli.sync import run_receive

        package_code = run_receive(newsroom, argparse.Namespace(packages=packages))
        if not files:
            return package_code
    return max(package_code, _import_files(newsroom, files, args))


def _import_files(newsroom, files: list[Path], args: argparse.Namespace) -> int:
    if args.style is not None:
        newsroom.checks.set_style_path(args.style)
    files = _with_folders_opened(files)
    progress = _ImportProgress() if sys.stderr.isatty() and len(files) > 1 else None
    try:
        report = newsroom.import_files(files, on_duplicate=args.duplicates, progress=progress)
    finally:
        if progress is not None:
            progress.done()
    if args.json:
        articles = [*report.imported, *report.updated]
        print(json.dumps([article_json(a, body=False) for a in articles], indent=2))
    else:
        for article in report.imported:
            print(f"imported {article.id[:8]}  {article.slug}  “{article.headline}”")
        for article in report.updated:
            print(f"updated  {article.id[:8]}  {article.slug}  “{article.headline}”")
    for duplicate in report.skipped:
        print(
            f"newsroom: {duplicate.path.name} was imported before as {duplicate.article_id[:8]} "
            f"“{duplicate.headline}”; skipped (use --duplicates copy or update).",
            file=sys.stderr,
        )
    for path, message in report.warnings:
        where = "" if path.name in message else f"{path}: "
        print(f"newsroom: warning: {where}{message}", file=sys.stderr)
    for path, message in report.failed:
        print(
            f"newsroom: {message}" if path.name in message else f"newsroom: {path}: {message}",
            file=sys.stderr,
        )
    if report.failed:
        return EXIT_ERROR
    return EXIT_CHECK if report.warnings else 0


def _with_folders_opened(paths: list[Path]) -> list[Path]:
    """A folder stands for the importable files in it and its subfolders, by name; one
    with none stays itself, so the import says it is a folder and no file."""
    from editor.core.importing import IMPORT_SUFFIXES

    files: list[Path] = []
    for path in paths:
        found = []
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix.lower() in IMPORT_SUFFIXES and p.is_file()
            )
        files.extend(found or [path])
    return files


class _ImportProgress:
    """One line on a terminal's stderr, rewritten in place: files done, rate, what is next."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.shown = 0.0

    def __call__(self, done: int, total: int, path: Path) -> None:
        now = time.monotonic()
        if now - self.shown < 0.1:
            return
        self.shown = now
        rate = done / (now - self.started) if done else 0.0
        line = f"importing {done:,} of {total:,} files ({rate:,.0f} a second)  {path.name}"
        print(f"\r{line[:100]:<100}", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        print("\r" + " " * 100 + "\r", end="", file=sys.stderr, flush=True)


def _list(newsroom, args: argparse.Namespace) -> int:
    query = newsroom.with_desk_user(
        ArticleQuery(
            search=args.search,
            status=Status(args.status) if args.status else None,
            include_deleted=args.deleted,
            desk=args.desk,
        )
    )
    # One query read as it goes, printed as it comes: the first rows of 100,000 hits show
    # at once, and no page re-runs the match (`Store.iter_articles`).
    rows = _marked_deleted(newsroom, newsroom.store.iter_articles(query), args.deleted)
    _print_listing(rows, args.json)
    return 0


def _print_listing(rows: Iterable[tuple[ArticleSummary, bool]], as_json: bool) -> None:
    """`newsroom list`'s output, a line (or a JSON item) per row as it comes."""
    if as_json:
        _print_json_array(summary_json(r, deleted) for r, deleted in rows)
        return
    for r, deleted in rows:
        when = r.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        mark = "  [deleted]" if deleted else ""
        print(
            f"{r.id[:8]}  {r.status.label:<10} {when}  {r.word_count:>6}w  "
            f"{r.section or '-':<10.10} {r.headline or 'Untitled'}{mark}"
        )


def _marked_deleted(
    newsroom, rows: Iterator[ArticleSummary], include_deleted: bool
) -> Iterator[tuple[ArticleSummary, bool]]:
    """Each row with whether it is deleted (asked 500 rows at a time, with `--deleted`)."""
    if not include_deleted:
        yield from ((r, False) for r in rows)
        return
    while batch := list(islice(rows, _PAGE)):
        deleted = newsroom.deleted_among(r.id for r in batch)
        yield from ((r, r.id in deleted) for r in batch)


#: `json.dumps(items, separators=(",", ":"))`, by the C encoder.
_COMPACT = json.JSONEncoder(separators=(",", ":")).encode


def _print_json_array(items: Iterable[dict[str, object]]) -> None:
    """`list --json`: a JSON array of `summary_json` items, one item a line, written as
    they come (encoded 500 at a time, in one call of the C encoder each)."""
    items = iter(items)
    # `},{"id":` is the end of one item and the start of the next: in a string, a quote
    # is escaped, and no value holds an object.
    _print_json_lines(
        _COMPACT(batch)[1:-1].replace('},{"id":', '},\n{"id":')
        for batch in iter(lambda: list(islice(items, _PAGE)), [])
    )


def _print_json_lines(runs: Iterable[str]) -> None:
    """A JSON array of the items in `runs` (each run items on lines of their own, joined
    by commas): `[`, the items, `]`, each on its own line; `[]` when there are none."""
    write = sys.stdout.write
    empty = True
    for run in runs:
        write("[\n" if empty else ",\n")
        write(run)
        empty = False
    write("[]\n" if empty else "\n]\n")


def _show(newsroom, args: argparse.Namespace) -> int:
    article = newsroom.find_article(args.article)
    if args.json:
        data = article_json(article)
        data["events"] = [
            {
                "actor": e.actor,
                "at": e.created_at.isoformat(),
                "action": e.action,
                "from": e.from_status,
                "to": e.to_status,
                "note": e.note,
            }
            for e in newsroom.events(article.id)
        ]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(article.headline or "Untitled")
    print("=" * min(len(article.headline or "Untitled"), 78))
    for label, value in (
        ("Standfirst", article.standfirst),
        ("Byline", article.byline),
        ("Dateline", article.dateline),
        ("Date", article.story_date.isoformat() if article.story_date else ""),
        ("Section", article.section),
        ("Tags", ", ".join(article.tags)),
        ("Status", article.status.label),
        ("Slug", article.slug),
        ("Words", str(article.word_count)),
        ("Id", article.id),
    ):
        if value:
            print(f"{label + ':':<12}{value}")
    print()
    print(article.body)
    from editor.cli.workflow import print_history

    print_history(newsroom.events(article.id))
    return 0


def _check(newsroom, args: argparse.Namespace) -> int:
    from editor.core.checks import report

    if args.style is not None:
        newsroom.checks.set_style_path(args.style)
    path = Path(args.article)
    if path.suffix and path.is_file():
        from editor.core.importing import parse_file

        parsed = parse_file(path)
        fields = ("headline", "standfirst", "byline", "section", "dateline", "tags")
        article = Article(id="", body=parsed.body, **{f: getattr(parsed, f) for f in fields})
        subject: dict[str, object] = {"file": str(path)}
    else:
        article = newsroom.find_article(args.article)
        subject = {"id": article.id, "slug": article.slug, "headline": article.headline}
    findings = newsroom.checks.check_article(article)
    if args.json:
        version = newsroom.checks.check_engine().version
        print(json.dumps(report.report_json(findings, subject, version), indent=2,
                         ensure_ascii=False))  # fmt: skip
    else:
        for line in report.text_lines(findings):
            print(line)
        print(report.summary(findings))
    return 1 if report.has_errors(findings) else 0


def _export(newsroom, args: argparse.Namespace) -> int:
    from editor.core import site

    if args.preview:
        if not args.articles:
            raise NewsroomError("--preview exports the articles named by ID_OR_SLUG.")
        try:
            args.out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise NewsroomError(f"Cannot create {args.out}: {error.strerror}.") from None
        for key in args.articles:
            path = site.export_single_page(newsroom, newsroom.find_article(key), args.out)
            print(f"wrote {path}")
        return 0
    if args.articles:
        ids = tuple(dict.fromkeys(newsroom.find_article(key).id for key in args.articles))
        selection = site.Selection(ids=ids)
    else:
        selection = site.Selection(status=Status(args.status) if args.status else None)
    from editor.cli.site import export_options

    options = site.ExportOptions(
        **export_options(
            newsroom,
            base_url=args.base_url,
            templates_dir=args.templates,
            site_name=args.site_name,
        )
    )
    progress = _export_progress if sys.stderr.isatty() else None
    report = site.export_site(newsroom, args.out, selection=selection, options=options,
                              progress=progress)  # fmt: skip
    if progress is not None:
        print(file=sys.stderr)
    for line in report.summary_lines():
        print(line)
    return 0


def _export_progress(done: int, total: int, what: str) -> None:
    print(f"\r{done:>6}/{total} articles: {what}\033[K", end="", file=sys.stderr, flush=True)


def _delete(newsroom, args: argparse.Namespace) -> int:
    article = newsroom.find_article(args.article)
    newsroom.delete_article(article.id)
    print(f"deleted “{article.headline}” ({article.id}); undo with: newsroom restore {article.id}")
    return 0


def _restore(newsroom, args: argparse.Namespace) -> int:
    # The short ids `list --deleted` prints work here too, as for every other command.
    article = newsroom.find_article(args.article, include_deleted=True)
    headline = article.headline or "Untitled"
    if article.deleted_at is None:
        raise ValidationError(
            f"“{headline}” ({article.id[:8]}) is not deleted: nothing to restore."
        )
    newsroom.restore_article(article.id)
    print(f"restored {article.id}  “{headline}”")
    return 0


def _status(newsroom, args: argparse.Namespace) -> int:
    from editor.cli.workflow import run_status

    return run_status(newsroom, args)


def _user(newsroom, args: argparse.Namespace) -> int:
    if args.user_command == "add":
        login, take_existing = _login_for(newsroom.store.location, args.name, args.login)
        user = newsroom.add_user(args.name, args.role, login=login, take_existing=take_existing)
        login = newsroom.login_of(user)
        print(
            f"added {user.name} ({user.role.value})"
            + (f", database login {login}" if login else "")
        )
        return 0
    users = newsroom.users()
    if not users and not args.json:
        print("newsroom: no users yet: run `newsroom init --admin NAME`.", file=sys.stderr)
    if args.json:
        print(json.dumps([{"id": u.id, "name": u.name, "role": u.role.value} for u in users]))
    else:
        for u in users:
            print(f"{u.name:<30} {u.role.value}")
    return 0


_HANDLERS = {
    "import": _import,
    "list": _list,
    "show": _show,
    "check": _check,
    "export": _export,
    "delete": _delete,
    "restore": _restore,
    "user": _user,
    "status": _status,
}


def summary_json(summary: ArticleSummary, deleted: bool = False) -> dict[str, object]:
    """One `list --json` row; `deleted` is true only for rows `--deleted` brought in."""
    return {
        "id": summary.id,
        "headline": summary.headline,
        "slug": summary.slug,
        "status": summary.status.value,
        "section": summary.section,
        "byline": summary.byline,
        "word_count": summary.word_count,
        "updated_at": summary.updated_at.isoformat(),
        "deleted": deleted,
    }


def article_json(article: Article, body: bool = True) -> dict[str, object]:
    data: dict[str, object] = {
        "id": article.id,
        "headline": article.headline,
        "standfirst": article.standfirst,
        "slug": article.slug,
        "byline": article.byline,
        "section": article.section,
        "tags": list(article.tags),
        "dateline": article.dateline,
        "story_date": article.story_date.isoformat() if article.story_date else None,
        "status": article.status.value,
        "word_count": article.word_count,
        "version": article.version,
        "created_at": article.created_at.isoformat() if article.created_at else None,
        "updated_at": article.updated_at.isoformat() if article.updated_at else None,
    }
    if body:
        data["body"] = article.body
    return data
