"""The window on a shared desk: the database login is the person, a password is asked for
when the server wants one, Switch User is off, and the Users dialog makes logins."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QSettings
from sqlalchemy import create_engine, text

from editor.services.newsroom import Newsroom, PasswordRequiredError
from editor.ui.settings import WindowState
from editor.ui.workflow import users_dialog
from tests.store.conftest import POSTGRES, postgres_url  # noqa: F401  (the fixture)
from tests.store.test_rights import Desk, as_login, desk  # noqa: F401


def _never(_room):
    raise AssertionError("nobody is asked who they are on a shared desk")


def test_the_login_is_the_person_whoever_was_remembered(desk: Desk, app) -> None:  # noqa: F811
    state = WindowState(QSettings())
    state.remember_user("Ed Editor")  # someone else used this profile before
    url = as_login(desk.url, desk.logins["Rita Reporter"])
    room = users_dialog.open_as_someone(url, None, state, choose=_never)
    try:
        assert room.user.name == "Rita Reporter" and room.fixed_identity
        assert state.user_name() == "Rita Reporter"
    finally:
        room.close()


def test_a_password_is_asked_for_again_when_refused_then_used(monkeypatch, tmp_path, app):
    calls: list[str | None] = []
    real_open = Newsroom.open
    Newsroom.init(tmp_path / "s.db", "rita").close()

    def fake_open(location, user_name=None, *, password=None, **kwargs):
        calls.append(password)
        if password != "tide":
            raise PasswordRequiredError(
                "asks for a password", "postgresql+psycopg://desk/n", "rita", password is not None
            )
        return real_open(tmp_path / "s.db", "rita")

    asked: list[bool] = []

    def ask(needed: PasswordRequiredError) -> str | None:
        asked.append(needed.rejected)
        return "wrong" if len(asked) == 1 else "tide"

    monkeypatch.setattr(Newsroom, "open", staticmethod(fake_open))
    state = WindowState(QSettings())
    state.remember_user("rita")
    room = users_dialog.open_as_someone(
        "postgresql+psycopg://desk/n", None, state, ask_password=ask
    )
    try:
        assert asked == [False, True]  # asked, refused, asked again
        assert calls[-1] == "tide" and room.user.name == "rita"
    finally:
        room.close()


def test_declining_the_password_opens_nothing(monkeypatch, app) -> None:
    def fake_open(location, user_name=None, *, password=None, **kwargs):
        raise PasswordRequiredError("asks for a password", str(location), "rita")

    monkeypatch.setattr(Newsroom, "open", staticmethod(fake_open))
    state = WindowState(QSettings())
    assert (
        users_dialog.open_as_someone(
            "postgresql+psycopg://d/n", None, state, ask_password=lambda _n: None
        )
        is None
    )


def test_on_the_shared_desk_switch_user_is_off_and_users_get_logins(
    desk: Desk,  # noqa: F811
    make_window,
    qtbot,
) -> None:
    ada = desk.room("Ada Admin")
    window = make_window(room=ada)
    assert not window.actions["file_switch_user"].isEnabled()
    assert "shared desk" in window.status.identity.text()
    dialog = users_dialog.UsersDialog(ada, window)
    qtbot.addWidget(dialog)
    name = f"Nia {uuid.uuid4().hex[:8]}"  # logins are server-wide: a name of its own
    dialog.new_name.setText(name)
    user = dialog.add_person()
    assert user is not None
    login = ada.login_of(user)
    try:
        assert login and login in dialog.message.text()
        desk.logins[name] = login
        room = desk.room(name)
        assert room.user.name == name and room.fixed_identity
        room.close()
        desk.rooms.remove(room)
    finally:
        _drop_login(login)


def _drop_login(login: str | None) -> None:
    """A login made from a name is not one of the fixture's `nrt_` ones: drop it here."""
    if not login:
        return
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP OWNED BY "{login}"'))
            connection.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
    finally:
        admin.dispose()
