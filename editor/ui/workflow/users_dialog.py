"""People: who is at the keyboard (first start, File ▸ Switch User) and the admins' Users dialog.

`open_as_someone` opens the store as the named, remembered or chosen user; the dialogs
list the store's users in a real table model and add people through `Newsroom.add_user`,
whose permission check (only admins, once the store has one) decides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from editor.core.errors import (
    IdentityError,
    NewsroomError,
    NotFoundError,
    PasswordRequiredError,
    PermissionDeniedError,
    UserRequiredError,
)
from editor.core.model import Role, User
from editor.services.deferred_open import open_soon
from editor.ui.settings import WindowState
from editor.ui.status_style import role_icon

if TYPE_CHECKING:
    from editor.services.newsroom import Newsroom

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

ROLE_LABELS = {Role.REPORTER: "Reporter", Role.EDITOR: "Editor", Role.ADMIN: "Admin"}


def describe(user: User) -> str:
    """ "Rosa Reporter (Reporter)": how the window names the acting user."""
    return f"{user.name} ({ROLE_LABELS.get(user.role, user.role.value)})"


class UserTableModel(QAbstractTableModel):
    """The store's users: name and role, sorted by name."""

    def __init__(self, users: list[User], current: User | None = None) -> None:
        super().__init__()
        self.users = list(users)
        self.current = current

    def set_users(self, users: list[User]) -> None:
        self.beginResetModel()
        self.users = list(users)
        self.endResetModel()

    def row_of(self, name: str) -> int | None:
        for row, user in enumerate(self.users):
            if user.name.casefold() == name.casefold():
                return row
        return None

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.users)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else 2

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:  # fmt: skip
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Name", "Role")[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.users):
            return None
        user = self.users[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                you = " (you)" if self.current and user.id == self.current.id else ""
                return user.name + you
            return ROLE_LABELS.get(user.role, user.role.value)
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 1:
            return role_icon(user.role)
        if role == Qt.ItemDataRole.UserRole:
            return user
        return None


class _UsersBase(QDialog):
    """A users table and a "new person" row; subclasses add their buttons."""

    def __init__(self, newsroom: Newsroom, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.newsroom = newsroom
        self.setMinimumSize(460, 400)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.model = UserTableModel(newsroom.users(), newsroom.user)
        self.table = QTableView()
        self.table.setObjectName("usersTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setHighlightSections(False)

        self.new_name = QLineEdit()
        self.new_name.setObjectName("newUserName")
        self.new_name.setPlaceholderText("Full name, e.g. Rosa Martín")
        self.new_role = QComboBox()
        self.new_role.setObjectName("newUserRole")
        for role in Role:
            self.new_role.addItem(role_icon(role), ROLE_LABELS[role], role.value)
        self.add_button = QPushButton("Add Person")
        self.add_button.setObjectName("addUserButton")
        self.message = QLabel()
        self.message.setObjectName("usersMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        adder = QHBoxLayout()
        adder.setSpacing(6)
        adder.addWidget(self.new_name, 1)
        adder.addWidget(self.new_role)
        adder.addWidget(self.add_button)

        self.add_title = QLabel("Someone new")
        self.add_title.setStyleSheet("font-weight: 600; color: #374151;")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(18, 16, 18, 14)
        self.layout_.setSpacing(8)
        self.layout_.addWidget(self.intro)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addSpacing(4)
        self.layout_.addWidget(self.add_title)
        self.layout_.addLayout(adder)
        self.layout_.addWidget(self.message)

        self.add_button.clicked.connect(self.add_person)
        self.new_name.returnPressed.connect(self.add_person)
        self.new_name.textChanged.connect(
            lambda text: self.add_button.setEnabled(self._may_add and bool(text.strip()))
        )
        self._may_add = _may_manage_users(newsroom)
        for widget in (self.new_name, self.new_role):
            widget.setEnabled(self._may_add)
        self.add_button.setEnabled(False)
        if not self._may_add:
            self._say("Only an admin can add people: ask one to add you.", error=False)

    def select(self, name: str) -> None:
        row = self.model.row_of(name)
        if row is not None:
            self.table.selectRow(row)

    def selected_user(self) -> User | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.users[rows[0].row()] if rows else None

    def add_person(self) -> User | None:
        """Add the typed person with the chosen role; a refusal is shown in the dialog."""
        name = self.new_name.text().strip()
        if not name:
            return None
        try:
            user = self.newsroom.add_person(name, Role(self.new_role.currentData()))
        except NewsroomError as error:
            self._say(str(error), error=True)
            return None
        self.model.set_users(self.newsroom.users())
        self.select(user.name)
        self.new_name.clear()
        login = self.newsroom.login_of(user) if self.newsroom.shared else None
        hint = (
            f" Their database login is {login}: they set a password with psql's \\password."
            if login
            else ""
        )
        self._say(f"Added {describe(user)}.{hint}", error=False)
        return user

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet(f"color: {'#b91c1c' if error else '#4b5563'};")
        self.message.setText(text)
        self.message.show()


class ChooseUserDialog(_UsersBase):
    """ "Who are you?": pick yourself from the store's users, or add yourself when allowed."""

    def __init__(self, newsroom: Newsroom, *, first_start: bool = False,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        intro = (
            "Newsroom Editor records every step under your name. Choose yourself, "
            "or add yourself with your role."
            if first_start
            else "Work as another person of this newsroom. Your changes are saved first."
        )
        super().__init__(newsroom, intro, parent)
        self.setObjectName("chooseUserDialog")
        # Qt adds " — Newsroom Editor" to every title: the first start asks in plain words.
        self.setWindowTitle("Welcome: who are you?" if first_start else "Switch User")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton("Work as…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("workAsButton")
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addSpacing(6)
        self.layout_.addWidget(self.buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_ok)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        self.select(newsroom.user.name)
        self._update_ok()

    def _update_ok(self) -> None:
        user = self.selected_user()
        self.ok_button.setEnabled(user is not None)
        self.ok_button.setText(f"Work as {user.name}" if user else "Work as…")

    def accept(self) -> None:
        if self.selected_user() is not None:
            super().accept()


class UsersDialog(_UsersBase):
    """Admins list the people of the store and add new ones with a role."""

    def __init__(self, newsroom: Newsroom, parent: QWidget | None = None) -> None:
        super().__init__(newsroom, "The people of this newsroom and what they may do.", parent)
        self.setObjectName("usersDialog")
        self.setWindowTitle("Users")
        self.add_title.setText("Add a person")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.layout_.addSpacing(6)
        self.layout_.addWidget(buttons)


def _may_manage_users(newsroom: Newsroom) -> bool:
    try:
        newsroom.check_manage_users()
    except PermissionDeniedError:
        return False
    return True


def choose_user(newsroom: Newsroom, parent: QWidget | None = None, *,
                first_start: bool = False) -> User | None:  # fmt: skip
    """Ask who is at the keyboard; None when the person cancels."""
    dialog = ChooseUserDialog(newsroom, first_start=first_start, parent=parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.selected_user()


#: Asks who the person is on a first start: gets the open newsroom, returns a user or None.
Chooser = Callable[["Newsroom"], User | None]


def open_as_someone(store_location: str | None, user_name: str | None,
                    window_state: WindowState,
                    choose: Chooser | None = None,
                    ask_password: Callable[[PasswordRequiredError], str | None] | None = None,
                    ) -> Newsroom | None:  # fmt: skip
    """Open the store as the named user (`--as`), the remembered one, or the one chosen.

    The first start on a machine (nobody remembered, or the remembered person is not in
    this store) asks who the person is, even when the store has one user: that user may
    be the admin created for a new store. None when the person declines to say.
    On a shared desk the database login is the person (no question), and a password the
    server asks for is asked for here (`ask_password`), again when it is refused.
    """
    password: str | None = None
    while True:
        try:
            return _open(store_location, user_name, window_state, choose, password)
        except PasswordRequiredError as needed:
            password = (ask_password or _ask_password)(needed)
            if password is None:
                return None


def _ask_password(needed: PasswordRequiredError) -> str | None:
    """The password the shared desk asks for (kept in memory only, never in settings)."""
    refused = "That password was refused. " if needed.rejected else ""
    password, ok = QInputDialog.getText(
        None,
        "Password for the shared desk",
        f"{refused}The newsroom's database asks for the password of {needed.login}.\n"
        "It is kept only while the app runs. (A ~/.pgpass file saves typing it.)",
        QLineEdit.EchoMode.Password,
    )
    return password if ok and password else None


def _open(store_location: str | None, user_name: str | None, window_state: WindowState,
          choose: Chooser | None, password: str | None) -> Newsroom | None:  # fmt: skip
    known = user_name or window_state.user_name()
    if known and password is None:
        # A local store that knows them: the window paints before the store opens.
        soon = open_soon(store_location, known)
        if soon is not None:
            window_state.remember_user(soon.user.name)
            return soon  # type: ignore[return-value] - a Newsroom once asked for more
    from editor.services.newsroom import Newsroom  # SQLAlchemy, the store

    if user_name:
        newsroom = Newsroom.open(store_location, user_name, password=password)
        window_state.remember_user(newsroom.user.name)
        return newsroom
    remembered = window_state.user_name()
    newsroom: Newsroom | None = None
    if remembered:
        try:
            newsroom = Newsroom.open(store_location, remembered, password=password)
        except (NotFoundError, UserRequiredError, IdentityError):
            newsroom = None  # this store does not know them, or the login is someone else
        else:
            return newsroom
    try:
        newsroom = Newsroom.open(store_location, password=password)
    except UserRequiredError as error:
        newsroom = Newsroom.open(store_location, error.names[0], password=password)
    if newsroom.fixed_identity:  # a shared desk: the database login says who this is
        window_state.remember_user(newsroom.user.name)
        return newsroom
    chooser = choose or (lambda room: choose_user(room, first_start=True))
    try:
        chosen = chooser(newsroom)
        if chosen is None:
            newsroom.close()
            return None
        newsroom.switch_user(chosen)
    except BaseException:
        newsroom.close()
        raise
    window_state.remember_user(newsroom.user.name)
    return newsroom
