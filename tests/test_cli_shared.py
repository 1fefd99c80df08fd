"""The `newsroom` command on a shared (PostgreSQL) store: who acts is the database login.

Setting a desk up (`init`, then `user add` as the admin's login), `--as` refused, a login
that is nobody told so, and the database refusing what the workflow refuses. Every
login role made here has a unique name and is dropped at teardown.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, make_url, text

from editor.cli import main
from editor.store import opening
from tests.store.conftest import POSTGRES
from tests.store.test_rights import as_login, drop_logins


@pytest.fixture
def shared():
    """A fresh schema on the test server, and the logins made in it (dropped after)."""
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    schema = f"nr_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as error:  # the server is part of the machine; say clearly if not
        admin.dispose()
        pytest.skip(f"PostgreSQL at {POSTGRES} is not reachable: {error}")
    logins: list[str] = []
    yield f"{POSTGRES}?options=-csearch_path%3D{schema}", logins
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()
    drop_logins(logins)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _login(logins: list[str], who: str) -> str:
    login = f"nrt_{uuid.uuid4().hex[:10]}_{who}"
    logins.append(login)
    return login


AS_REFUSED = (
    "newsroom: --as is not used on a shared (PostgreSQL) store: you act as your database "
    "login. To act as someone else, connect with their login (the user in the URL, PGUSER "
    "or a service file).\n"
)


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["status", "x", "--to", "approved"],
        ["user", "add", "mallory", "--role", "admin"],
        [],  # the window
    ],
)
def test_as_is_refused_on_a_shared_store_before_anything_opens(capsys, argv):
    # Refused before connecting: no server is needed to say so.
    url = "postgresql+psycopg://nobody@127.0.0.1:1/nowhere"
    assert run(capsys, "--store", url, "--as", "admin", *argv) == (2, "", AS_REFUSED)


def test_as_is_refused_for_a_shared_store_named_by_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("NEWSROOM_STORE", "postgresql://nobody@127.0.0.1:1/nowhere")
    assert run(capsys, "--as", "admin", "list") == (2, "", AS_REFUSED)
    assert opening.is_shared(None)
    assert opening.default_store_location() == "postgresql://nobody@127.0.0.1:1/nowhere"


def test_login_is_for_shared_stores_only(capsys, tmp_path):
    store = str(tmp_path / "n.db")
    code, out, err = run(capsys, "--store", store, "init", "--admin", "Ada", "--login", "ada")
    assert (code, out) == (2, "")
    assert err == (
        "newsroom: --login is for a shared (PostgreSQL) store, where each person has a login.\n"
    )


def test_a_desk_is_set_up_and_each_person_acts_as_their_login(shared, capsys, monkeypatch):
    monkeypatch.setattr(
        "editor.services.newsroom.Newsroom.blocking_findings", lambda self, article_id: []
    )
    url, logins = shared
    ada = _login(logins, "ada")
    code, out, err = run(capsys, "--store", url, "init", "--admin", "Ada Admin", "--login", ada)
    assert (code, err) == (0, "")
    assert f"Ada Admin is its first admin, database login {ada}" in out
    # Ada, connected as herself, adds the desk; their logins are made on the server.
    rita, ed = _login(logins, "rita"), _login(logins, "ed")
    as_ada = as_login(url, ada)
    code, out, err = run(
        capsys, "--store", as_ada, "user", "add", "Rita Reporter", "--role", "reporter",
        "--login", rita,
    )  # fmt: skip
    assert (code, out, err) == (0, f"added Rita Reporter (reporter), database login {rita}\n", "")
    assert (
        run(capsys, "--store", as_ada, "user", "add", "Ed", "--role", "editor", "--login", ed)[0]
        == 0
    )
    # Rita imports and submits as herself; --as cannot make her anyone else.
    story = _import_one(capsys, as_login(url, rita))
    code, out, err = run(
        capsys, "--store", as_login(url, rita), "status", story, "--to", "submitted"
    )
    assert (code, err) == (0, "")
    code, out, err = run(
        capsys, "--store", as_login(url, rita), "status", story, "--to", "approved"
    )
    assert (code, out) == (2, "")
    assert err == "newsroom: Only an editor can approve.\n"
    code, out, err = run(capsys, "--store", as_login(url, ed), "status", story, "--to", "approved")
    assert (code, err) == (0, "")
    code, out, err = run(capsys, "--store", as_login(url, rita), "show", story, "--json")
    assert '"status": "approved"' in out
    assert '"actor": "Ed"' in out and '"actor": "Rita Reporter"' in out


def _import_one(capsys, store: str) -> str:
    from pathlib import Path
    from tempfile import TemporaryDirectory

    with TemporaryDirectory() as folder:
        path = Path(folder) / "story.md"
        path.write_text("# Floods hit York\n\nThe river rose overnight.\n", encoding="utf-8")
        code, out, err = run(capsys, "--store", store, "import", str(path))
    assert code == 0, err
    return out.split()[1]


def test_a_login_that_is_no_newsroom_user_is_told_who_adds_it(shared, capsys):
    url, logins = shared
    ada = _login(logins, "ada")
    assert run(capsys, "--store", url, "init", "--admin", "Ada", "--login", ada)[0] == 0
    member = _login(logins, "member")
    engine = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE ROLE "{member}" LOGIN IN ROLE newsroom_reporter'))
    engine.dispose()
    code, out, err = run(capsys, "--store", as_login(url, member), "list")
    assert (code, out) == (2, "")
    assert err == (
        f"newsroom: The database login {member} is not a user of this newsroom: an admin "
        f"adds you with `newsroom user add NAME --role reporter --login {member}`.\n"
    )


def test_a_default_login_never_takes_a_role_the_server_already_has(shared, capsys):
    url, logins = shared
    ada = _login(logins, "ada")
    assert run(capsys, "--store", url, "init", "--admin", "Ada", "--login", ada)[0] == 0
    taken = _login(logins, "someone")
    engine = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE ROLE "{taken}" LOGIN'))
    engine.dispose()
    code, out, err = run(
        capsys, "--store", as_login(url, ada), "user", "add", taken, "--role", "editor"
    )
    assert (code, out) == (2, "")
    assert f"The server already has a database login '{taken}'" in err
    assert f"give --login {taken} to use it" in err
    # Named on purpose, it is taken (and granted the editor group).
    code, out, err = run(
        capsys, "--store", as_login(url, ada), "user", "add", taken, "--role", "editor",
        "--login", taken,
    )  # fmt: skip
    assert (code, err) == (0, "")
    code, out, err = run(capsys, "--store", as_login(url, taken), "user", "list", "--json")
    assert code == 0 and f'"name": "{taken}", "role": "editor"' in out


def test_the_server_asking_for_a_password_is_a_typed_error():
    """What the window catches to ask for a password (the test server trusts every
    login, so the server's answers are given here as psycopg words them)."""
    from sqlalchemy.exc import OperationalError

    url = "postgresql+psycopg://rita@db.example/newsroom"
    asked = OperationalError("connect", {}, Exception(
        'connection to server at "db.example", port 5432 failed: fe_sendauth: no password '
        "supplied"))  # fmt: skip
    error = opening.password_error(asked, url)
    assert isinstance(error, opening.PasswordRequiredError)
    assert (error.login, error.rejected) == ("rita", False)
    assert str(error) == (
        "The server of postgresql+psycopg://rita@db.example/newsroom asks for a password "
        "for the database login rita."
    )
    refused = OperationalError("connect", {}, Exception(
        'password authentication failed for user "rita"'))  # fmt: skip
    assert opening.password_error(refused, url).rejected
    assert opening.password_error(OperationalError("x", {}, Exception("timeout")), url) is None
    # The password typed goes to that store's connections (not into its URL), from memory.
    assert _password_sent(url) is None
    opening.supply_password(url, "s3cret")
    try:
        assert _password_sent(url) == "s3cret"
        assert _password_sent("postgresql+psycopg://ed@db.example/newsroom") is None
    finally:
        opening.supply_password(url, None)
    assert _password_sent(url) is None


class _Stop(Exception):
    pass


def _password_sent(url: str) -> str | None:
    """The password a connection to `url` would send (caught before any network)."""
    from sqlalchemy import event

    engine = opening.create_store_engine(url)
    assert "s3cret" not in engine.url.render_as_string(hide_password=False)
    sent: dict = {}

    @event.listens_for(engine, "do_connect")
    def capture(dialect, record, cargs, cparams):
        sent.update(cparams)
        raise _Stop

    with pytest.raises(_Stop):
        engine.connect()
    engine.dispose()
    return sent.get("password")


def test_a_url_without_host_or_user_connects_with_the_pg_variables(shared, capsys, monkeypatch):
    """`postgresql+psycopg://` alone: libpq's PGHOST, PGUSER and PGDATABASE say where."""
    url, logins = shared
    ada = _login(logins, "ada")
    assert run(capsys, "--store", url, "init", "--admin", "Ada Admin", "--login", ada)[0] == 0
    server = make_url(POSTGRES)
    monkeypatch.setenv("PGHOST", server.host)
    monkeypatch.setenv("PGDATABASE", server.database)
    monkeypatch.setenv("PGUSER", ada)
    bare = "postgresql+psycopg://?" + url.split("?", 1)[1]  # the schema option only
    code, out, err = run(capsys, "--store", bare, "user", "list", "--json")
    assert (code, err) == (0, "")
    assert '"name": "Ada Admin", "role": "admin"' in out
    # And who acts is that login: Ada may add people.
    rob = _login(logins, "rob")
    code, out, err = run(capsys, "--store", bare, "user", "add", "Rob", "--role", "reporter",
                         "--login", rob)  # fmt: skip
    assert (code, err) == (0, "")
