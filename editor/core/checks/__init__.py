"""Copy-desk checks: a rule engine driven by a house style file.

`engine_for(style_path, dictionary)` gives the engine for a style (house.yml, or the
newsroom's own file) and a dictionary; its `check(article)` gives the findings. The
service part that runs them for a newsroom, remembers dismissals and says which errors
hold back a Submit is `editor.services.checks`.
"""

from __future__ import annotations

import threading
from pathlib import Path

from editor.core.checks.engine import CheckEngine, CheckStopped
from editor.core.checks.findings import (
    BODY,
    Dismissal,
    Finding,
    Level,
    apply_fix,
    mark_dismissed,
)
from editor.core.checks.rules import Hit, register_check
from editor.core.checks.style import Style, StyleError, load_style, style_path_from

__all__ = [
    "BODY",
    "CheckEngine",
    "CheckStopped",
    "Dismissal",
    "Finding",
    "Hit",
    "Level",
    "Style",
    "StyleError",
    "apply_fix",
    "engine_for",
    "load_style",
    "mark_dismissed",
    "register_check",
    "style_path_from",
]

_ENGINES: dict[tuple, CheckEngine] = {}
_ENGINES_LOCK = threading.Lock()


def engine_for(style_path: Path | None, dictionary: frozenset[str]) -> CheckEngine:
    """A shared engine (and so a shared cache) per style file version and dictionary."""
    stamp = None
    if style_path is not None:
        try:
            stat = style_path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = None  # load_style says what is wrong with it
    key = (str(style_path) if style_path else None, stamp, dictionary)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
    if engine is None:
        engine = CheckEngine(load_style(style_path), dictionary)
        with _ENGINES_LOCK:
            if len(_ENGINES) > 8:
                _ENGINES.clear()
            _ENGINES[key] = engine
    return engine
