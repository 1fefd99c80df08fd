"""A shared desk under load: 20 people at once on one PostgreSQL store of 100,000 articles.

    .venv/bin/python benchmarks/bench_desk_load.py [--seconds 60] [--clients 20]
        [--articles 100000] [--name newsroom_load] [--rebuild] [--json OUT] [--drop]

Setup (once; a second run with the same --name and --articles reuses it): a database
NAME on the test server (`NEWSROOM_TEST_POSTGRES`, 127.0.0.1:5432, trust authentication),
made by the app's own `Newsroom.init` (its migrations, rights, triggers), seven reporters
and four editors added by the app's `add_user`, each with their own database login
(NAME_rita_reyes, ...), then 100,000 articles written straight into the app's tables by
COPY: the same generated prose as `bench_search.py` (550-800 words, Zipf words from the
samples and a long tail of names, doubled words collapsed), the app's own slugs, word
counts, revision metadata and search vectors (`editor.store.search`'s expressions). 80 %
are a published archive (one imported revision); the rest is the working desk, each with
the history the workflow would have written: drafts, submitted, returned (with the
editor's note), approved and spiked articles, revisions and events in their people's names.
The database is VACUUM ANALYZEd and marked complete (a COMMENT on it); `--drop` drops it
and its logins.

The load: `--clients` processes (spawn), each the app's `Newsroom` opened with one
person's login, so the database's row-level security and workflow triggers check every
write as they would on a real desk. Reporters work on two machines each (14 clients), two
editors on two and two on one (6). Each loops for `--seconds` over a weighted mix, without
pauses (a closed loop: the figures are what the machine can carry):

- list: the window's list reset (count + first 200 rows) of a desk view: a reporter's
  drafts, returned to them, or everything; an editor's waiting, approved, or everything;
- search: the same reset for one or two words from the corpus (common to rare);
- open: `get_article` of a row of the last page (the top rows more often: everyone works
  the top of the list), then `allowed_actions` (the workflow strip), timed apart;
- save: the open article (if the person may edit it, else one from their own desk), with
  the version it had when it was opened, a sentence with a unique token added to one
  paragraph; a stale write (the app's `StaleWriteError`) is a conflict, re-read and retried
  once; a save refused by the rules (the article moved on meanwhile) is a refusal;
- transition: a reporter submits an own draft or returned article (the copy desk's
  errors refuse some: a refusal), an editor approves a waiting article when allowed, or
  returns it with a note.

What is checked afterwards: every save a client saw succeed is in the history (a revision
of that article holds its token, on the head's parent chain, at the version the save
returned) and in the current text (a later write on an older text would have dropped
it); every transition is on the chain at its version with its action as the reason; for
every touched article the version equals the chain's length and the number of its
revisions. Lost updates are the saves failing any of that. Hangs: a watchdog flags any
operation running past `--op-timeout`; `pg_stat_activity` is sampled each second (waiting
on a lock, idle in a transaction) and checked before and after the clients close; the
server's deadlock count (`pg_stat_database`) is read before and after; errors carry their
SQLSTATE (40P01 deadlock, 40001 serialization failure). The app has no retry for either
(`editor/store/database.py` turns them into a `StoreError`), so any would show as errors.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import queue
import random
import re
import statistics
import sys
import threading
import time
import traceback
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sqlalchemy import create_engine, make_url, text  # noqa: E402

from editor.core.errors import (  # noqa: E402
    NotFoundError,
    PermissionDeniedError,
    StaleWriteError,
    TransitionError,
    ValidationError,
)
from editor.core.model import Article, ArticleQuery, Role, Status  # noqa: E402
from editor.core.text import slugify, word_count  # noqa: E402
from editor.store import search  # noqa: E402
from editor.store.rights import default_login  # noqa: E402
from editor.store.rows import article_row_fields, revision_meta  # noqa: E402

POSTGRES = os.environ.get("NEWSROOM_TEST_POSTGRES", "postgresql+psycopg://root@127.0.0.1/test")

ADMIN = "Ada Admin"
REPORTERS = (
    "Rita Reyes",
    "Ravi Rao",
    "Rosa Romero",
    "Rob Reid",
    "Ruth Ross",
    "Raj Rahman",
    "Rena Roth",
)
EDITORS = ("Edna Ellis", "Eli Evans", "Esme Eze", "Ezra Eng")
#: Who each client is, in order: every reporter on two machines, two editors on two.
SEATS = (
    *(name for name in REPORTERS for _ in range(2)),
    EDITORS[0],
    EDITORS[0],
    EDITORS[1],
    EDITORS[1],
    EDITORS[2],
    EDITORS[3],
)

#: The working desk's share of each status; the rest (80 %) is the published archive.
DESK_MIX = (
    (0.09, Status.DRAFT),
    (0.05, Status.SUBMITTED),
    (0.02, Status.CHANGES_REQUESTED),
    (0.03, Status.APPROVED),
    (0.01, Status.SPIKED),
)
#: The transitions that brought an article to its status, after its "create".
HISTORY = {
    Status.DRAFT: (),
    Status.SUBMITTED: (("submit", Status.SUBMITTED),),
    Status.CHANGES_REQUESTED: (
        ("submit", Status.SUBMITTED),
        ("return", Status.CHANGES_REQUESTED),
    ),
    Status.APPROVED: (("submit", Status.SUBMITTED), ("approve", Status.APPROVED)),
    Status.SPIKED: (("spike", Status.SPIKED),),
}
RETURN_NOTES = (
    "Who is the second source in the fourth paragraph?",
    "Needs the council's reply before it runs.",
    "Check the figures in the standfirst against the report.",
)

KINDS = ("list", "search", "open", "actions", "save", "transition")
#: The mix, by weight (`actions` follows every open: it has no weight of its own).
WEIGHTS = {"list": 25, "search": 15, "open": 30, "save": 20, "transition": 10}
PAGE = 200
BATCH = 5000


# -- the store ----------------------------------------------------------------


def database_url(name: str, login: str | None = None) -> str:
    url = make_url(POSTGRES).set(database=name)
    if login:
        url = url.set(username=login)
    return url.render_as_string(hide_password=False)


def login_of(database: str, person: str) -> str:
    return f"{database}_{default_login(person)}"[:63]


def _marker(articles: int) -> str:
    return f"bench_desk_load complete: {articles} articles, seed 13"


def _admin():
    return create_engine(POSTGRES, isolation_level="AUTOCOMMIT")


def prepared(name: str, articles: int) -> bool:
    """Whether database `name` exists and was built complete for `articles`."""
    engine = _admin()
    try:
        with engine.connect() as connection:
            comment = connection.execute(
                text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = :name"
                ),
                {"name": name},
            ).scalar()
        return comment == _marker(articles)
    finally:
        engine.dispose()


def drop(name: str) -> None:
    """Drop the database and the logins this benchmark made for it."""
    engine = _admin()
    try:
        with engine.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            for person in (ADMIN, *REPORTERS, *EDITORS):
                connection.exec_driver_sql(f'DROP ROLE IF EXISTS "{login_of(name, person)}"')
    finally:
        engine.dispose()


def build(name: str, count: int) -> dict[str, float]:
    """Create database `name` with the app's schema, its people and `count` articles."""
    from bench_search import generate

    from editor.services.newsroom import Newsroom

    timings: dict[str, float] = {}
    drop(name)
    engine = _admin()
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    began = time.perf_counter()
    url = database_url(name)
    room = Newsroom.init(url, ADMIN)  # the app's migrations, rights and first admin
    try:
        for person in REPORTERS:
            room.add_user(person, Role.REPORTER, login=login_of(name, person))
        for person in EDITORS:
            room.add_user(person, Role.EDITOR, login=login_of(name, person))
        users = {u.name: u for u in room.users()}
        timings["schema and people"] = time.perf_counter() - began
        began = time.perf_counter()
        generated = generate(count)
        timings["generate"] = time.perf_counter() - began
        began = time.perf_counter()
        _copy_articles(room.store.db.engine, generated, users)
        timings["copy"] = time.perf_counter() - began
    finally:
        room.close()
    began = time.perf_counter()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    timings["vacuum analyze"] = time.perf_counter() - began
    engine = _admin()
    with engine.connect() as connection:
        connection.exec_driver_sql(f"COMMENT ON DATABASE \"{name}\" IS '{_marker(count)}'")
    engine.dispose()
    return timings


_DOUBLED = re.compile(r"\b(\w+)(?:\W+\1\b)+", re.IGNORECASE)

_ARTICLE_COLUMNS = (
    "id",
    *article_row_fields(Article(id="")).keys(),
    "search_rowid",
    "head_revision_id",
    "version",
    "created_by",
    "created_at",
    "updated_at",
    "deleted_at",
)
_FOLDED = ("f_headline", "f_standfirst", "f_body", "f_credits")
_REVISION_COLUMNS = (
    "id",
    "article_id",
    "parent_id",
    "second_parent_id",
    "author_id",
    "created_at",
    "reason",
    "session_id",
    "body",
    "metadata",
)
_EVENT_COLUMNS = (
    "id",
    "article_id",
    "actor_id",
    "created_at",
    "action",
    "from_status",
    "to_status",
    "note",
    "revision_id",
)


#: The articles' JSON columns: None in them is JSON null, as SQLAlchemy writes it (SQL NULL
#: there would differ from what the app writes, and the desk's trigger would see a change).
_JSON_COLUMNS = frozenset({"tags", "import_notes"})


def _json_ready(name: str, value: object) -> object:
    return json.dumps(value) if name in _JSON_COLUMNS else value


def _copy_articles(engine, generated: list[dict], users: dict) -> None:
    """COPY the articles, their revisions and events, in batches, through a staging table
    that holds the folded texts from which the app's own expressions make the vectors."""
    rng = random.Random(29)
    reporters = [users[n] for n in REPORTERS]
    editors = [users[n] for n in EDITORS]
    now = datetime.now(UTC).replace(tzinfo=None)
    start = now - timedelta(minutes=2 * len(generated))
    taken: set[str] = set()
    vector = search.PG_VECTOR
    for field_name in ("headline", "standfirst", "body", "credits"):
        vector = vector.replace(f":{field_name}", f"f_{field_name}")
    headline_vector = search.PG_HEADLINE.replace(":headline", "f_headline")
    columns = ", ".join(_ARTICLE_COLUMNS)
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()
        cursor.execute(
            "CREATE TEMP TABLE load_articles (LIKE articles INCLUDING DEFAULTS, "
            + ", ".join(f"{c} text" for c in _FOLDED)
            + ")"
        )
        for first in range(0, len(generated), BATCH):
            article_rows, revision_rows, event_rows = [], [], []
            for n, item in enumerate(generated[first : first + BATCH], start=first):
                rows = _history(item, n, rng, reporters, editors, start, taken)
                article_rows.append(rows[0])
                revision_rows.extend(rows[1])
                event_rows.extend(rows[2])
            with cursor.copy(
                f"COPY load_articles ({columns}, {', '.join(_FOLDED)}) FROM STDIN"
            ) as copy:
                for row in article_rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO articles ({columns}, search_vector, search_headline) "
                f"SELECT {columns}, {vector}, {headline_vector} FROM load_articles"
            )
            cursor.execute("TRUNCATE load_articles")
            with cursor.copy(f"COPY revisions ({', '.join(_REVISION_COLUMNS)}) FROM STDIN") as copy:
                for row in revision_rows:
                    copy.write_row(row)
            with cursor.copy(f"COPY events ({', '.join(_EVENT_COLUMNS)}) FROM STDIN") as copy:
                for row in event_rows:
                    copy.write_row(row)
            raw.driver_connection.commit()
            print(f"  {first + len(article_rows)} articles written", flush=True)
        cursor.execute("DROP TABLE load_articles")
        raw.driver_connection.commit()
    finally:
        raw.close()


def _history(item: dict, n: int, rng: random.Random, reporters, editors, start, taken):
    """One article's row (with its folded texts), revisions and events, as the app writes
    them for the history its status implies."""
    pick = rng.random()
    status, bound = Status.PUBLISHED, 0.0
    for share, desk_status in DESK_MIX:
        bound += share
        if pick < bound:
            status = desk_status
            break
    author = rng.choice(reporters)
    editor = rng.choice(editors)
    body = _DOUBLED.sub(r"\1", item["body"])
    base = slugify(item["headline"]) or "untitled"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    created = start + timedelta(minutes=2 * n)
    article = Article(
        id=item["id"],
        headline=item["headline"],
        standfirst=item["standfirst"],
        slug=slug,
        byline=author.name,
        section=item["section"],
        tags=list(item["tags"]),
        body=body,
        word_count=word_count(body),
        created_by=author.id,
    )
    if status is Status.PUBLISHED:
        steps = [("import", author, Status.PUBLISHED, "Imported from the archive")]
        article.published_at = created + timedelta(minutes=1)
    else:
        steps = [("create", author, Status.DRAFT, "")]
        for action, moved_to in HISTORY[status]:
            actor = author if action == "submit" else editor
            note = rng.choice(RETURN_NOTES) if action == "return" else ""
            steps.append((action, actor, moved_to, note))
    revisions, events = [], []
    parent, previous = None, None
    for step, (reason, actor, moved_to, note) in enumerate(steps):
        moment = created + timedelta(seconds=40 * step)
        revision_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        article.status = moved_to
        meta = json.dumps(revision_meta(article))
        revisions.append(
            (revision_id, article.id, parent, None, actor.id, moment, reason, None, body, meta)
        )
        action = "create" if reason in ("create", "import") else reason
        events.append(
            (
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                article.id,
                actor.id,
                moment,
                action,
                previous,
                moved_to.value,
                note,
                revision_id if action != "create" else None,
            )
        )
        parent, previous = revision_id, moved_to.value
    fields = {k: _json_ready(k, v) for k, v in article_row_fields(article).items()}
    row = (
        article.id,
        *fields.values(),
        None,
        parent,
        len(steps),
        author.id,
        created,
        created + timedelta(seconds=40 * (len(steps) - 1)),
        None,
        *search.pg_vector_texts(
            article.headline, article.standfirst, article.byline, article.tags, body
        ).values(),
    )
    return row, revisions, events


def search_words() -> list[str]:
    """Words to search for: the corpus' vocabulary (`bench_search`), common to rare."""
    from bench_search import _vocabulary

    vocabulary, _ = _vocabulary(random.Random(13))  # generate()'s first draw: the same words
    rng = random.Random(5)
    common = vocabulary[20:300]
    middle = vocabulary[300:3000]
    rare = vocabulary[-60_000:]
    return (
        rng.sample(common, 60)
        + rng.sample(middle, 120)
        + rng.sample(rare, 60)
        + [f"{a} {b}" for a, b in zip(rng.sample(common, 30), rng.sample(middle, 30), strict=True)]
    )


# -- one client -----------------------------------------------------------------


@dataclass
class Tally:
    """What one client measured and believes it wrote."""

    seat: int
    person: str
    role: str
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    #: The client process's own CPU seconds per operation (the rest is the server, or waiting).
    cpu: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    outcomes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    samples: dict[str, str] = field(default_factory=dict)
    saves: list[tuple[str, int, str]] = field(default_factory=list)
    transitions: list[tuple[str, int, str]] = field(default_factory=list)
    retried: Counter = field(default_factory=Counter)
    failure: str = ""

    def as_dict(self) -> dict:
        return {
            "seat": self.seat,
            "person": self.person,
            "role": self.role,
            "latencies": dict(self.latencies),
            "cpu": dict(self.cpu),
            "outcomes": {k: dict(v) for k, v in self.outcomes.items()},
            "samples": self.samples,
            "saves": self.saves,
            "transitions": self.transitions,
            "retried": dict(self.retried),
            "failure": self.failure,
        }


def sqlstate_of(error: BaseException) -> str | None:
    """The SQLSTATE behind an error, through the app's `raise ... from None` wrappers."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        for candidate in (error, getattr(error, "orig", None)):
            state = getattr(candidate, "sqlstate", None)
            if state:
                return state
        error = error.__cause__ or error.__context__
    return None


def outcome_of(error: BaseException) -> str:
    """conflict (a stale write refused), refused:<why> (the rules said no: the article
    moved on), or error:<type>[:SQLSTATE] (anything else: a failure)."""
    if isinstance(error, StaleWriteError):
        return "conflict"
    if isinstance(error, TransitionError) and getattr(error, "findings", None):
        return "refused:copy-desk errors"
    if isinstance(error, PermissionDeniedError | TransitionError | ValidationError):
        return f"refused:{type(error).__name__}"
    if isinstance(error, NotFoundError):
        return "refused:NotFoundError"
    state = sqlstate_of(error)
    return f"error:{type(error).__name__}" + (f":{state}" if state else "")


class Client:
    """One person's app on one machine, working the desk in a closed loop."""

    def __init__(self, seat: int, person: str, room, words: list[str], token: str, busy) -> None:
        self.room = room
        self.user = room.user
        self.desk_person = self.user.role is not Role.REPORTER
        self.words = words
        self.token = token
        self.busy = busy  # shared: [start time of the running operation, kind index] per seat
        self.seat = seat
        self.rng = random.Random(seat * 7919 + int(time.time()))
        self.tally = Tally(seat, person, self.user.role.value)
        self.page: list[str] = []
        self.own: dict[str, list[str]] = {}  # desk view -> ids of its first page
        self.opened: Article | None = None
        self.edits = 0

    # -- timing ---------------------------------------------------------------

    def timed(self, kind: str, call):
        """Run `call`, recording its latency under `kind` and its outcome; re-raise nothing:
        returns (ok, result or error)."""
        self.busy[2 * self.seat + 1] = KINDS.index(kind)
        self.busy[2 * self.seat] = time.time()
        began, began_cpu = time.perf_counter(), time.process_time()
        try:
            result = call()
        except Exception as error:  # every failure is counted, none stops the client
            elapsed = time.perf_counter() - began
            self.busy[2 * self.seat] = 0.0
            self.tally.cpu[kind].append(time.process_time() - began_cpu)
            outcome = outcome_of(error)
            self.tally.latencies[kind].append(elapsed)
            self.tally.outcomes[kind][outcome] += 1
            key = f"{kind} {outcome}"
            if key not in self.tally.samples:
                self.tally.samples[key] = str(error)[:300]
            return False, error
        elapsed = time.perf_counter() - began
        self.busy[2 * self.seat] = 0.0
        self.tally.cpu[kind].append(time.process_time() - began_cpu)
        self.tally.latencies[kind].append(elapsed)
        self.tally.outcomes[kind]["ok"] += 1
        return True, result

    def pick(self, ids: list[str]) -> str | None:
        """A row of a page, the top ones far more often (everyone works the top)."""
        if not ids:
            return None
        return ids[min(int(self.rng.expovariate(1 / 8)), len(ids) - 1)]

    # -- the operations -------------------------------------------------------------

    def reset(self, kind: str, query: ArticleQuery) -> list[str]:
        """The list's reset: the count and the first page, as the window asks for them."""

        def call():
            self.room.count_articles(query)
            return self.room.list_articles(query, limit=PAGE)

        ok, rows = self.timed(kind, call)
        return [r.id for r in rows] if ok else []

    def list_desk(self) -> None:
        views = (
            ("waiting", "waiting", "approved", None)
            if self.desk_person
            else ("my_drafts", "my_drafts", "returned_to_me", None)
        )
        view = self.rng.choice(views)
        ids = self.reset("list", ArticleQuery(desk=view))
        if view is not None:
            self.own[view] = ids
        self.page = ids or self.page

    def search(self) -> None:
        ids = self.reset("search", ArticleQuery(search=self.rng.choice(self.words)))
        self.page = ids or self.page

    def open(self, ids: list[str] | None = None) -> Article | None:
        article_id = self.pick(self.page if ids is None else ids)
        if article_id is None:
            self.list_desk()
            article_id = self.pick(self.page)
            if article_id is None:
                return None
        ok, article = self.timed("open", lambda: self.room.get_article(article_id))
        if not ok:
            return None
        self.opened = article
        self.timed("actions", lambda: self.room.allowed_actions(article))
        return article

    def may_edit(self, article: Article | None) -> bool:
        if article is None:
            return False
        if self.desk_person:
            return article.status is Status.SUBMITTED
        return article.created_by == self.user.id and article.status in (
            Status.DRAFT,
            Status.CHANGES_REQUESTED,
        )

    def own_page(self) -> list[str]:
        """Ids of the person's own desk (listing it first when not seen yet)."""
        views = ("waiting",) if self.desk_person else ("my_drafts", "returned_to_me")
        view = self.rng.choice(views)
        if not self.own.get(view):
            ids = self.reset("list", ArticleQuery(desk=view))
            self.own[view] = ids
        if not self.own.get(view) and not self.desk_person:
            view = "my_drafts"
            if not self.own.get(view):
                self.own[view] = self.reset("list", ArticleQuery(desk=view))
        return self.own.get(view, [])

    def edited(self, article: Article, token: str) -> str:
        paragraphs = article.body.split("\n\n")
        where = self.rng.randrange(max(1, len(paragraphs) - 1))
        paragraphs[where] = paragraphs[where].rstrip() + f" Update {token}."
        return "\n\n".join(paragraphs)

    def save(self) -> None:
        article = self.opened if self.may_edit(self.opened) else None
        if article is None:
            article = self.open(self.own_page())
            if not self.may_edit(article):
                return
        self.edits += 1
        token = f"{self.token}s{self.seat:02d}n{self.edits:05d}"
        for attempt in (0, 1):
            body = self.edited(article, token)
            ok, result = self.timed(
                "save",
                lambda a=article, b=body: self.room.save_article(
                    a.id, expected_version=a.version, body=b
                ),
            )
            if ok:
                self.tally.saves.append((result.id, result.version, token))
                self.opened = result
                if attempt:
                    self.tally.retried["save succeeded on retry"] += 1
                return
            if not isinstance(result, StaleWriteError) or attempt:
                if attempt:
                    self.tally.retried[f"save retry: {outcome_of(result)}"] += 1
                self.opened = None
                return
            ok, fresh = self.timed("open", lambda a=article: self.room.get_article(a.id))
            if not ok or not self.may_edit(fresh):
                self.tally.retried["save retry: no longer editable"] += 1
                self.opened = fresh if ok else None
                return
            article = fresh

    def transition(self) -> None:
        article = self.opened
        wanted = (
            {Status.SUBMITTED} if self.desk_person else {Status.DRAFT, Status.CHANGES_REQUESTED}
        )
        if (
            article is None
            or article.status not in wanted
            or (not self.desk_person and article.created_by != self.user.id)
        ):
            article = self.open(self.own_page())
            if article is None or article.status not in wanted:
                return
        if self.desk_person:
            ok, decisions = self.timed("actions", lambda: self.room.allowed_actions(article))
            if not ok:
                return
            approve = next((d for d in decisions if d.action.value == "approve"), None)
            if approve is not None and approve.allowed and self.rng.random() < 0.7:
                action, note = "approve", ""
            else:
                action, note = "return", self.rng.choice(RETURN_NOTES)
        else:
            action, note = "submit", ""
        ok, result = self.timed(
            "transition",
            lambda: self.room.transition(
                article.id, action, note, expected_version=article.version
            ),
        )
        self.tally.latencies[f"transition {action}"].append(self.tally.latencies["transition"][-1])
        self.tally.cpu[f"transition {action}"].append(self.tally.cpu["transition"][-1])
        self.tally.outcomes[f"transition {action}"][outcome_of(result) if not ok else "ok"] += 1
        if ok:
            self.tally.transitions.append((result.id, result.version, action))
        self.opened = None

    def run(self, deadline: float) -> None:
        kinds = list(WEIGHTS)
        weights = [WEIGHTS[k] for k in kinds]
        actions = {
            "list": self.list_desk,
            "search": self.search,
            "open": self.open,
            "save": self.save,
            "transition": self.transition,
        }
        while time.time() < deadline:
            chosen = self.rng.choices(kinds, weights)[0]
            try:
                actions[chosen]()
            except Exception as error:  # outside a timed call: the client's own bug, counted
                self.tally.outcomes["client"][f"{chosen}: {type(error).__name__}"] += 1
                self.tally.samples.setdefault(f"client {chosen}", traceback.format_exc()[-600:])
                self.opened = None


def client_main(seat: int, url: str, words, token, start, deadline, busy, results, close) -> None:
    """A client process: open the app as the seat's person, wait for the start, work
    until the deadline, send the tally, and close only when the parent has looked at the
    server's sessions (so sessions left in a transaction would still be there to see)."""
    from editor.services.newsroom import Newsroom

    person = SEATS[seat % len(SEATS)]
    tally = Tally(seat, person, "")
    room = None
    try:
        room = Newsroom.open(url, bootstrap=False)
        # A window that has been open a while: the copy desk's engine is built, the
        # connection pool is warm.
        room.check_engine()
        room.list_articles(ArticleQuery(), limit=1)
        client = Client(seat, person, room, words, token, busy)
        tally = client.tally
        results.put(("ready", seat))
        start.wait()
        client.run(deadline.value)
    except BaseException:  # the report must say, and the others go on
        tally.failure = traceback.format_exc()[-2000:]
        results.put(("ready", seat))
    results.put(("tally", tally.as_dict()))
    close.wait(600)
    if room is not None:
        room.close()


# -- the run ----------------------------------------------------------------------


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def server_counters(engine, name: str) -> dict[str, int]:
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT deadlocks, xact_commit, xact_rollback, conflicts FROM "
                "pg_stat_database WHERE datname = :name"
            ),
            {"name": name},
        ).one()
    return dict(zip(("deadlocks", "commits", "rollbacks", "conflicts"), row, strict=True))


_SESSION_FIGURES = (
    "sessions",
    "waiting on a lock",
    "idle in transaction",
    "oldest transaction s",
    "longest idle in transaction s",
)


def sessions(engine, name: str) -> dict[str, float]:
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT count(*), "
                "count(*) FILTER (WHERE wait_event_type = 'Lock'), "
                "count(*) FILTER (WHERE state LIKE 'idle in transaction%'), "
                "coalesce(extract(epoch FROM max(now() - xact_start) "
                "FILTER (WHERE state <> 'idle')), 0)::float, "
                "coalesce(extract(epoch FROM max(now() - state_change) "
                "FILTER (WHERE state LIKE 'idle in transaction%')), 0)::float "
                "FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid() "
                "AND backend_type = 'client backend'"
            ),
            {"name": name},
        ).one()
    return dict(
        zip(
            _SESSION_FIGURES,
            row,
            strict=True,
        )
    )


_STUCK = text(
    "SELECT CASE WHEN wait_event_type = 'Lock' THEN 'waiting on a lock' ELSE state END "
    "AS what, CASE WHEN backend_xid IS NULL THEN 'read only' ELSE 'has written' END AS "
    "wrote, query FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid() "
    "AND ((state LIKE 'idle in transaction%' AND now() - state_change > interval '1 s') "
    "OR (wait_event_type = 'Lock' AND now() - state_change > interval '1 s'))"
)


class Watch(threading.Thread):
    """Samples the server's sessions, the load average and each client's running
    operation once a second; notes every operation running past `timeout`."""

    def __init__(self, engine, name: str, busy, clients: int, timeout: float) -> None:
        super().__init__(daemon=True)
        self.engine, self.name, self.busy = engine, name, busy
        self.clients, self.timeout = clients, timeout
        self.stop = threading.Event()
        self.peak: dict[str, float] = Counter()
        self.loads: list[str] = []
        self.hung: dict[tuple[int, float], tuple[str, float]] = {}
        #: Sessions seen idle in a transaction, or waiting on a lock, for over a second:
        #: (state, whether the transaction has written, its last statement) -> times seen.
        self.stuck: Counter = Counter()

    def run(self) -> None:
        while not self.stop.wait(1.0):
            try:
                for key, value in sessions(self.engine, self.name).items():
                    self.peak[key] = max(self.peak[key], float(value))
                with self.engine.connect() as connection:
                    for row in connection.execute(_STUCK, {"name": self.name}):
                        query = " ".join(row.query.split())[:90]
                        self.stuck[f"{row.what}, {row.wrote}: {query}"] += 1
            except Exception as error:  # keep watching; say so
                self.peak["sampling errors"] += 1
                print(f"  (pg_stat_activity sample failed: {error})", flush=True)
            self.loads.append(load_average())
            now = time.time()
            for seat in range(self.clients):
                began = self.busy[2 * seat]
                if began and now - began > self.timeout:
                    kind = KINDS[int(self.busy[2 * seat + 1])]
                    self.hung[(seat, began)] = (kind, now - began)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def verify(engine, tallies: list[dict], run_token: str) -> dict:
    """Every save and transition a client saw succeed, against the store's history."""
    saves = [(a, v, t, x["seat"]) for x in tallies for a, v, t in x["saves"]]
    moves = [(a, v, action) for x in tallies for a, v, action in x["transitions"]]
    touched = sorted({a for a, *_ in saves} | {a for a, *_ in moves})
    revisions: dict[str, dict[str, tuple]] = defaultdict(dict)
    heads: dict[str, tuple[int, str]] = {}
    with engine.connect() as connection:
        for first in range(0, len(touched), 500):
            chunk = touched[first : first + 500]
            for row in connection.execute(
                text(
                    "SELECT id, article_id, parent_id, reason, body FROM revisions "
                    "WHERE article_id = ANY(:ids)"
                ),
                {"ids": chunk},
            ):
                revisions[row.article_id][row.id] = (row.parent_id, row.reason, row.body)
            for row in connection.execute(
                text("SELECT id, version, head_revision_id FROM articles WHERE id = ANY(:ids)"),
                {"ids": chunk},
            ):
                heads[row.id] = (row.version, row.head_revision_id)
    chains: dict[str, list[str]] = {}
    problems: list[str] = []
    for article_id in touched:
        version, head = heads[article_id]
        chain, cursor = [], head
        while cursor is not None and cursor in revisions[article_id] and cursor not in chain:
            chain.append(cursor)
            cursor = revisions[article_id][cursor][0]
        chain.reverse()  # chain[v - 1] is the revision written at version v
        chains[article_id] = chain
        if len(chain) != version or len(revisions[article_id]) != version:
            problems.append(
                f"{article_id}: version {version}, chain of {len(chain)}, "
                f"{len(revisions[article_id])} revisions"
            )
    lost = []
    seen_versions: Counter = Counter()
    for article_id, version, token, seat in saves:
        seen_versions[(article_id, version)] += 1
        chain = chains[article_id]
        bodies = revisions[article_id]
        in_history = any(token in body for _, _, body in bodies.values())
        head_body = bodies[chain[-1]][2] if chain else ""
        at_version = (
            version <= len(chain)
            and token in bodies[chain[version - 1]][2]
            and (version == 1 or token not in bodies[chain[version - 2]][2])
        )
        if not (in_history and token in head_body and at_version):
            lost.append(
                f"seat {seat}: {article_id} v{version} {token}: in history {in_history}, "
                f"in current text {token in head_body}, at its version {at_version}"
            )
    for article_id, version, action in moves:
        seen_versions[(article_id, version)] += 1
        chain = chains[article_id]
        if version > len(chain) or revisions[article_id][chain[version - 1]][1] != action:
            problems.append(f"{article_id}: the {action} at v{version} is not on the chain")
    doubled = [f"{a} v{v} claimed {n} times" for (a, v), n in seen_versions.items() if n > 1]
    return {
        "saves logged": len(saves),
        "transitions logged": len(moves),
        "articles touched": len(touched),
        "lost updates": len(lost),
        "lost": lost[:20],
        "version claimed twice": doubled[:20],
        "inconsistent histories": problems[:20],
        "inconsistent count": len(problems),
        "run token": run_token,
    }


_BEFORE_CLOSING = "sessions at the end (before the clients closed)"


def run(args) -> dict:
    name = args.name
    url_owner = database_url(name)
    words = search_words()
    token = "lq" + uuid.uuid4().hex[:6]
    context = mp.get_context("spawn")
    busy = context.Array("d", 2 * args.clients, lock=False)
    results = context.Queue()
    start, close = context.Event(), context.Event()
    deadline = context.Value("d", 0.0, lock=False)
    owner = create_engine(url_owner, isolation_level="AUTOCOMMIT", pool_size=2)
    before = server_counters(owner, name)
    load_before = load_average()
    processes = []
    for seat in range(args.clients):
        person = SEATS[seat % len(SEATS)]
        url = database_url(name, login_of(name, person))
        process = context.Process(
            target=client_main,
            args=(seat, url, words, token, start, deadline, busy, results, close),
            name=f"client-{seat}",
        )
        process.start()
        processes.append(process)
    ready = 0
    while ready < args.clients:
        kind, _ = results.get(timeout=300)
        ready += kind == "ready"
    watch = Watch(owner, name, busy, args.clients, args.op_timeout)
    deadline.value = time.time() + args.seconds
    began = time.perf_counter()
    watch.start()
    start.set()
    tallies = []
    wait_until = deadline.value + args.op_timeout + 30
    while len(tallies) < args.clients and time.time() < wait_until:
        try:
            kind, payload = results.get(timeout=1.0)
        except queue.Empty:
            continue
        if kind == "tally":
            tallies.append(payload)
    wall = time.perf_counter() - began
    watch.stop.set()
    watch.join()
    missing = sorted(set(range(args.clients)) - {t["seat"] for t in tallies})
    left_open = sessions(owner, name)  # the clients' sessions, before they close
    close.set()
    for process in processes:
        process.join(30)
        if process.is_alive():
            process.terminate()
            process.join(10)
    time.sleep(1.5)  # the server counts a backend's statistics when it exits
    left_after = sessions(owner, name)
    after = server_counters(owner, name)
    load_after = load_average()
    checked = verify(owner, tallies, token)
    owner.dispose()
    return {
        "tallies": tallies,
        "wall": wall,
        "missing clients": missing,
        "hung operations": [
            {"seat": seat, "kind": kind, "seconds": round(seconds, 1)}
            for (seat, _), (kind, seconds) in watch.hung.items()
        ],
        _BEFORE_CLOSING: left_open,
        "sessions after the clients closed": left_after,
        "peak during the run": dict(watch.peak),
        "stuck over 1 s (samples)": dict(watch.stuck.most_common(12)),
        "server counters": {k: after[k] - before[k] for k in after},
        "load before": load_before,
        "load during": watch.loads,
        "load after": load_after,
        "verification": checked,
    }


def summary(result: dict, seconds: float) -> dict:
    by_kind: dict[str, dict] = {}
    found = {k for t in result["tallies"] for k in t["latencies"]}
    for kind in [*KINDS, *sorted(found - set(KINDS))]:
        values = [v for t in result["tallies"] for v in t["latencies"].get(kind, [])]
        outcomes: Counter = Counter()
        for t in result["tallies"]:
            outcomes.update(t["outcomes"].get(kind, {}))
        if not values:
            continue
        ms = [v * 1000 for v in values]
        cpu = [v * 1000 for t in result["tallies"] for v in t.get("cpu", {}).get(kind, [])]
        by_kind[kind] = {
            "count": len(values),
            "ops/s": len(values) / seconds,
            "p50 ms": statistics.median(ms),
            "p95 ms": percentile(ms, 0.95),
            "p99 ms": percentile(ms, 0.99),
            "max ms": max(ms),
            "client CPU p50 ms": statistics.median(cpu) if cpu else 0.0,
            "outcomes": dict(outcomes),
        }
    retried: Counter = Counter()
    for t in result["tallies"]:
        retried.update(t["retried"])
    samples = {}
    for t in result["tallies"]:
        for key, message in t["samples"].items():
            samples.setdefault(key, message)
    failures = {t["seat"]: t["failure"] for t in result["tallies"] if t["failure"]}
    return {"by kind": by_kind, "retries": dict(retried), "samples": samples, "failures": failures}


def report(result: dict, summed: dict, seconds: float) -> None:
    print(f"\n{len(result['tallies'])} clients, {seconds:.0f} s (wall {result['wall']:.1f} s)")
    total = sum(k["count"] for kind, k in summed["by kind"].items() if kind in KINDS)
    print(f"all operations: {total} = {total / seconds:.1f} ops/s")
    print(
        f"{'kind (ms)':<20}{'count':>7}{'ops/s':>7}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>7}"
        f"{'cpu50':>7}  outcomes"
    )
    for kind, k in summed["by kind"].items():
        print(
            f"{kind:<20}{k['count']:>7}{k['ops/s']:>7.1f}{k['p50 ms']:>7.0f}{k['p95 ms']:>7.0f}"
            f"{k['p99 ms']:>7.0f}{k['max ms']:>7.0f}{k['client CPU p50 ms']:>7.0f}  {k['outcomes']}"
        )
    states: Counter = Counter()
    for k in summed["by kind"].values():
        for outcome, n in k["outcomes"].items():
            for state in ("40P01", "40001"):
                states[state] += n if outcome.endswith(state) else 0
    print(
        f"deadlock errors (40P01) seen by clients: {states['40P01']}, serialization failures "
        f"(40001): {states['40001']} (the app has no retry for either)"
    )
    print(f"save retries: {summed['retries']}")
    for key, message in sorted(summed["samples"].items()):
        print(f"  e.g. {key}: {message[:160]}")
    checked = result["verification"]
    print(
        f"verification: {checked['saves logged']} saves and {checked['transitions logged']} "
        f"transitions on {checked['articles touched']} articles; lost updates "
        f"{checked['lost updates']}; inconsistent histories {checked['inconsistent count']}; "
        f"versions claimed twice {len(checked['version claimed twice'])}"
    )
    for line in checked["lost"] + checked["inconsistent histories"]:
        print(f"  {line}")
    print(f"hung operations (> timeout): {result['hung operations']}")
    print(f"clients that never reported: {result['missing clients']}")
    print(f"sessions at the end, before closing: {result[_BEFORE_CLOSING]}")
    print(f"sessions after closing: {result['sessions after the clients closed']}")
    print(f"peak during the run: {result['peak during the run']}")
    print("sessions seen idle in a transaction or waiting on a lock for over 1 s (samples):")
    for what, n in result["stuck over 1 s (samples)"].items():
        print(f"  {n:>4}  {what}")
    print(f"server counters over the run: {result['server counters']}")
    loads = result["load during"]
    if loads:
        print(
            f"1-minute load average during the run: peak {max(float(x.split()[0]) for x in loads)}"
        )
    print(
        f"load average: before {result['load before']}, during "
        f"{loads[0] if loads else '-'} .. {loads[-1] if loads else '-'}, "
        f"after {result['load after']}"
    )
    for seat, failure in summed["failures"].items():
        print(f"client {seat} failed:\n{failure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--name", default="newsroom_load", help="the database (made or reused)")
    parser.add_argument("--rebuild", action="store_true", help="build the database afresh")
    parser.add_argument("--drop", action="store_true", help="drop the database and its logins")
    parser.add_argument("--op-timeout", type=float, default=30, help="an operation hangs past it")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", args.name):
        parser.error("--name: lower-case letters, digits and _ (up to 41)")
    if args.drop:
        drop(args.name)
        print(f"dropped {args.name} and its logins")
        return
    print(f"load average at the start: {load_average()}")
    if args.rebuild or not prepared(args.name, args.articles):
        print(f"building {args.name}: {args.articles} articles", flush=True)
        timings = build(args.name, args.articles)
        print("built: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()))
    else:
        print(f"reusing {args.name} ({args.articles} articles)")
    result = run(args)
    summed = summary(result, args.seconds)
    report(result, summed, args.seconds)
    if args.json:
        slim = {k: v for k, v in result.items() if k != "tallies"}
        args.json.write_text(json.dumps({**slim, **summed}, indent=1, default=str))


if __name__ == "__main__":
    main()
