"""Who is who on a shared (PostgreSQL) store: database logins mapped to newsroom users.

On a shared store each person connects with their own PostgreSQL login (the URL, a
libpq service file or the `PG*` environment variables: psycopg reads them all), and the
acting user is the newsroom user that login is mapped to (`newsroom_logins`, made by
migration 0004). The database enforces the workflow for that login whatever program
it uses (`0004_rights.py`: group roles, grants, row-level security, triggers), so a
name given on the command line cannot change who acts.

`Rights(db)` answers who the session is (`login()`) and provisions people: `add_person`
writes the newsroom user, creates the login role when it does not exist (or takes the
existing one), grants it the group role of its newsroom role and maps it, all in one
transaction. Creating roles needs a login with CREATEROLE: the server's owner, or an
admin provisioned here (admins get CREATEROLE and may grant the three groups).

The login roles are made without a password: the server's `pg_hba.conf` says how a
person proves who they are (peer, certificate, or a password set with psql's
`\\password`, which never sends it in clear).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from editor.core.errors import IdentityError, StoreError, ValidationError
from editor.core.model import Role, User
from editor.store.database import Database
from editor.store.models import UserRow
from editor.store.rows import utc_now

#: The group role that carries each newsroom role's grants.
GROUPS = {
    Role.REPORTER: "newsroom_reporter",
    Role.EDITOR: "newsroom_editor",
    Role.ADMIN: "newsroom_admin",
}

#: What a login may be called here: PostgreSQL allows more, psql users type these.
_LOGIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.@-]{0,62}$")


@dataclass(frozen=True, slots=True)
class Login:
    """The session's database login: its name, the newsroom user it is (if any), and
    whether it holds the server's keys (superuser, BYPASSRLS, or the tables' owner), which
    the database's workflow checks do not hold to."""

    name: str
    user_id: str | None
    privileged: bool


def default_login(name: str) -> str:
    """The login made for a newsroom user called `name`: "Edna Editor" -> "edna_editor"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    login = re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")[:63]
    if login and login[0].isdigit():
        login = f"u_{login}"[:63]
    return login


def quote_role(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Rights:
    """Logins and their newsroom users on one store (nothing to say on SQLite)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @property
    def shared(self) -> bool:
        """Whether the store is shared: PostgreSQL, where the login is the identity."""
        return self._db.dialect == "postgresql"

    def login(self) -> Login:
        """Who this session is on the server, and which newsroom user that login is."""
        with self._db.read() as session:
            row = session.execute(
                text("SELECT session_user, newsroom_user_id(), newsroom_privileged()")
            ).one()
        return Login(name=row[0], user_id=row[1], privileged=bool(row[2]))

    def logins(self) -> dict[str, str]:
        """Each mapped newsroom user's login, by user id."""
        with self._db.read() as session:
            rows = session.execute(text("SELECT user_id, login FROM newsroom_logins"))
            return {user_id: login for user_id, login in rows}

    def add_person(
        self,
        name: str,
        role: Role,
        login: str,
        *,
        take_existing: bool = True,
        first: bool = False,
    ) -> tuple[User, str] | None:
        """Add newsroom user `name` with `role`, and the database login they connect with.

        A missing login role is created; an existing one is taken (its newsroom group set
        to match `role`) with `take_existing` or when it is the session's own login, and
        refused otherwise: a role of the server may be someone else's (a login made from
        a name, say, that another newsroom on the server already has).
        With `first`, returns None when the store already has a user (`newsroom init`).
        One transaction: nothing is kept when any step is refused.
        """
        login = login.strip()
        if not _LOGIN.match(login):
            raise ValidationError(
                f"'{login}' cannot be a database login here: use letters, digits and _ . @ - "
                "(up to 63, starting with a letter), for example --login "
                f"{default_login(name) or 'jsmith'}."
            )
        row = UserRow(id=str(uuid.uuid4()), name=name, role=role.value, created_at=utc_now())
        try:
            with self._db.write() as session:
                if first and session.scalar(select(UserRow.id).limit(1)) is not None:
                    return None
                same = func.lower(UserRow.name) == name.strip().lower()
                if session.scalar(select(UserRow.id).where(same)) is not None:
                    raise ValidationError(f"A user named '{name}' already exists.")
                mapped = session.scalar(
                    text("SELECT u.name FROM newsroom_logins l JOIN users u ON u.id = l.user_id "
                         "WHERE l.login = :login"),
                    {"login": login},
                )  # fmt: skip
                if mapped is not None:
                    raise ValidationError(
                        f"The database login '{login}' is already {mapped} in this newsroom: "
                        "give another with --login."
                    )
                session.add(row)
                session.flush()
                _provision(session, login, role, take_existing=take_existing)
                session.execute(
                    text("INSERT INTO newsroom_logins (login, user_id) VALUES (:login, :id)"),
                    {"login": login, "id": row.id},
                )
        except IntegrityError:
            if first:
                return None
            raise ValidationError(f"A user named '{name}' already exists.") from None
        except DBAPIError as error:
            raise _provisioning_error(error, login) from None
        return User(id=row.id, name=row.name, role=role), login


def _provision(session: Session, login: str, role: Role, *, take_existing: bool) -> None:
    """Create `login` if missing (or take an existing one) and give it `role`'s group only."""
    exists, itself = session.execute(
        text("SELECT count(*) > 0, :login = session_user FROM pg_roles WHERE rolname = :login"),
        {"login": login},
    ).one()
    quoted = quote_role(login)
    if exists and not (take_existing or itself):
        raise _taken(login)
    if not exists:
        extra = " CREATEROLE" if role is Role.ADMIN else ""
        try:
            with session.begin_nested():
                session.execute(text(f"CREATE ROLE {quoted} LOGIN{extra}"))
        except DBAPIError as error:  # made at this moment by someone else
            if getattr(error.orig, "sqlstate", None) not in ("42710", "23505"):
                raise
            if not take_existing:
                raise _taken(login) from None
    for other_role, group in GROUPS.items():
        if other_role is not role:
            member = session.scalar(
                text("SELECT pg_has_role(:login, :group, 'MEMBER')"),
                {"login": login, "group": group},
            )
            if member:
                session.execute(text(f"REVOKE {group} FROM {quoted}"))
    if role is Role.ADMIN:
        # An admin provisions people: it grants the groups on to the logins it makes.
        session.execute(text(f"GRANT {', '.join(GROUPS.values())} TO {quoted} WITH ADMIN OPTION"))
    else:
        session.execute(text(f"GRANT {GROUPS[role]} TO {quoted}"))


def _taken(login: str) -> ValidationError:
    return ValidationError(
        f"The server already has a database login '{login}': if it is this person's, "
        f"give --login {login} to use it; otherwise choose another with --login."
    )


def _provisioning_error(error: DBAPIError, login: str) -> StoreError:
    message = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    if "permission denied" in message or "must have" in message or "privilege" in message:
        return IdentityError(
            f"Cannot add the database login '{login}': {message}. Only an admin of the "
            "newsroom (or the server's owner) adds people; nothing was changed."
        )
    return StoreError(f"Cannot add the database login '{login}': {message}; nothing was changed.")
