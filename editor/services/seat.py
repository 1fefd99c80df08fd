"""What the parts of the service seam need of `Newsroom`, stated as typed Protocols.

Each part (`newsroom.workflow`, `.review`, ...) is built with the newsroom it serves and
reaches it only through one of these, so its contract is written down, not implied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # for type checkers only: the seam sits above the store
    from editor.core.checks.findings import Finding
    from editor.core.model import Article, User
    from editor.store.store import Store


class Seat(Protocol):
    """A store seen by one acting user (`user` raises a typed error when nobody acts)."""

    @property
    def store(self) -> Store: ...

    @property
    def user(self) -> User: ...


class SavingSeat(Seat, Protocol):
    """A seat that also creates and saves articles the way `Newsroom` does.

    Parts call these back through the newsroom, so a replaced `save_article` (a test's
    failing disk, say) is the one they use.
    """

    def create_article(
        self, headline: str = "", body: str = "", *, sign: bool = True, **metadata: object
    ) -> Article: ...

    def save_article(
        self,
        article_id: str,
        *,
        expected_version: int,
        changes: dict[str, object] | None = None,
        body: str | None = None,
        reason: str = "save",
        session_id: str | None = None,
    ) -> Article: ...


class CheckSeat(Seat, Protocol):
    """A seat with the newsroom dictionary, whose words the copy-desk checks accept."""

    def dictionary_words(self) -> list[str]: ...


class WorkflowSeat(Seat, Protocol):
    """A seat with the copy-desk verdict that holds back a Submit."""

    def blocking_findings(self, article_id: str) -> list[Finding]: ...
