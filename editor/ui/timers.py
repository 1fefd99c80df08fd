"""Debouncing: one reused single-shot timer per burst of events (STYLE.md)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def debounce_timer(parent: QObject, delay_ms: int, slot: Callable[[], object]) -> QTimer:
    """A single-shot timer that runs `slot` once `delay_ms` after its last `start()`."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(delay_ms)
    timer.timeout.connect(slot)
    return timer
