"""The value types of a house style: one rule as written (`RuleSpec`), the rules in force
(`Style`) and the error a bad style file raises; no parsing and no checking here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from editor.core.errors import ValidationError

if TYPE_CHECKING:
    from editor.core.importers.wire import WirePattern


class StyleError(ValidationError):
    """A style file that cannot be read or holds a rule that makes no sense."""


@dataclass(frozen=True)
class RuleSpec:
    """One rule as written in a style file; `options` holds its kind-specific keys."""

    id: str
    kind: str
    level: str
    message: str = ""
    options: dict = field(default_factory=dict)
    source: str = ""
    line: int = 0

    def where(self) -> str:
        return f"{self.source}, line {self.line}" if self.line else self.source

    def fail(self, problem: str) -> StyleError:
        return StyleError(f"{self.where()}: rule '{self.id}': {problem}")


@dataclass(frozen=True)
class Style:
    """The rules in force, in file order; `version` changes whenever any rule does."""

    rules: tuple[RuleSpec, ...]
    source: str
    version: str
    #: The newsroom's own agency formats (the file's `wire:` key), tried by the wire
    #: importer before the shapes it knows.
    wire: tuple[WirePattern, ...] = ()
