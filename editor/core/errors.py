"""Typed errors of the newsroom domain; every message is fit to show a person as it is."""

from __future__ import annotations

from pathlib import Path


class NewsroomError(Exception):
    """Base of every error the CLI and the GUI show as one clear line."""


class StoreError(NewsroomError):
    """The store cannot be opened or written."""


class IdentityError(StoreError):
    """Who acts on a shared store cannot be what was asked (`--as`, an unmapped login)."""


class PasswordRequiredError(StoreError):
    """The database server asks for a password this process does not have (or refused it).

    `location` is the store as given (without any password), `login` who the connection
    logs in as when known, `rejected` whether a password was given and refused. Ask the
    person, call `supply_password(location, password)` and open the store again; the
    password stays in this process's memory only.
    """

    def __init__(
        self, message: str, location: str, login: str | None, rejected: bool = False
    ) -> None:
        super().__init__(message)
        self.location = location
        self.login = login
        self.rejected = rejected


class NotAStoreError(StoreError):
    """The file exists but is not a Newsroom store."""


class DamagedStoreError(NotAStoreError):
    """The store file is damaged: SQLite's own check found broken pages.

    A `NotAStoreError` (what a damaged file was reported as before): it cannot be used.

    `problems` lists what the check said; `backup` is the newest backup that passes
    the same check (None when there is none). Nothing was written to the store.
    """

    def __init__(self, message: str, path: Path, problems: list[str], backup: Path | None):
        super().__init__(message)
        self.path = path
        self.problems = problems
        self.backup = backup


class StoreTooNewError(StoreError):
    """The store was written by a newer version of Newsroom Editor."""


class ReadOnlyStoreError(StoreError):
    """The store (or its folder) cannot be written."""


class StoreBusyError(StoreError):
    """Another program holds a lock on the store for too long."""


class StoreFullError(StoreError):
    """The disk holding the store is full: nothing can be written to it until space is
    freed. The store itself is intact; it may still be open for reading."""


class StaleWriteError(NewsroomError):
    """The article changed since it was loaded; the write was refused."""


class UserRequiredError(NewsroomError):
    """The store has several users and none was named; `names` lists them."""

    def __init__(self, message: str, names: list[str]) -> None:
        super().__init__(message)
        self.names = names


class NotFoundError(NewsroomError):
    """No article, user or revision matches."""


class NoUsersError(NotFoundError):
    """The store has nobody to act as yet: its first admin is made with `newsroom init`."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "This store has no users yet: run `newsroom init --admin NAME`."
        )


class AmbiguousIdError(NotFoundError):
    """A shortened id matches several articles; `matches` holds their full ids."""

    def __init__(self, message: str, matches: list[str]) -> None:
        super().__init__(message)
        self.matches = matches


class AlreadyInitialisedError(NewsroomError):
    """`newsroom init` on a store that already has users; `names` lists them."""

    def __init__(self, message: str, names: list[str]) -> None:
        super().__init__(message)
        self.names = names


class ExportError(NewsroomError):
    """A page or a site cannot be written where it was asked to go."""


class ImportFileError(NewsroomError):
    """A file given to import cannot become an article."""


class ValidationError(NewsroomError):
    """A value given for an article or user is not acceptable.

    `field` names the article field at fault when there is one, so a form can show the
    message beside it.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDeniedError(NewsroomError):
    """The acting user may not do this ("Only an editor can approve."); `action` names it."""

    def __init__(self, message: str, action: str | None = None) -> None:
        super().__init__(message)
        self.action = action


class TransitionError(NewsroomError):
    """The article's state forbids the workflow action (or its flags, or copy-desk errors).

    `findings` holds the blocking copy-desk findings when those are the reason.
    """

    def __init__(self, message: str, action: str | None = None) -> None:
        super().__init__(message)
        self.action = action
        self.findings: list = []
