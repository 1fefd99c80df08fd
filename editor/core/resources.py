"""The one way to reach packaged resources (templates, CSS, samples), installed or not."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    """`resource("templates", "article.html")` -> the file inside `resources/`."""
    node = resources.files("editor.resources")
    for part in parts:
        node = node / part
    return node


def read_resource_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")
