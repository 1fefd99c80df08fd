"""Typed errors of the newsroom domain; every message is fit to show a person as it is."""

from __future__ import annotations


class NewsroomError(Exception):
    """Base of every error the CLI and the GUI show as one clear line."""


class StoreError(NewsroomError):
    """The store cannot be opened or written."""


class NotAStoreError(StoreError):
    """The file exists but is not a Newsroom store."""


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
