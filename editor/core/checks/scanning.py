"""Regular-expression scans of a long text in windows, so a worker thread shares the GIL.

Python's `re` holds the GIL for the whole of one search: looking for a pattern that is not
in a 5 MB paragraph held it for a second, and the window's thread (which needs it for
every keystroke) waited that long while the copy desk checked in the background.
`finditer(pattern, text)` gives the same matches as `pattern.finditer(text)` for any
match shorter than `OVERLAP`, searching at most `WINDOW` characters at a time.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator

#: Characters searched in one call into `re` (a few milliseconds of GIL).
WINDOW = 65_536
#: A match is taken from a window only when it ends this far before the window's end, so
#: the window's end (which `re` sees as the text's end) cannot have changed it.
OVERLAP = 8_192


class ScanStopped(Exception):
    """Raised between two windows once the callable given to `stop_when` says so."""


_local = threading.local()


def stop_when(should_stop: Callable[[], bool] | None) -> None:
    """Between windows, this thread's scans ask `should_stop()` and raise `ScanStopped`
    (the checks of a 5 MB paragraph stop within milliseconds when the window closes)."""
    _local.should_stop = should_stop


def _stopping() -> bool:
    should_stop = getattr(_local, "should_stop", None)
    return should_stop is not None and should_stop()


def finditer(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, searched in windows on a long text (see the docstring)."""
    length = len(text)
    if length <= WINDOW + OVERLAP:
        yield from pattern.finditer(text)
        return
    position = 0
    last: tuple[int, int] | None = None
    while position < length:
        if _stopping():
            raise ScanStopped
        end = min(length, position + WINDOW + OVERLAP)
        final = end == length
        resume = max(position, end - OVERLAP)
        for match in pattern.finditer(text, position, end):
            if not final and match.end() > end - OVERLAP:
                resume = match.start()  # may need text past the window: search it again
                break
            if match.span() == last:
                continue  # an empty match where the window before ended
            last = match.span()
            yield match
            resume = max(resume, match.end())
        else:
            if final:
                return
        if resume <= position:  # one match longer than a window: search the rest whole
            for match in pattern.finditer(text, position):
                if match.span() != last:
                    yield match
            return
        position = resume


def count(pattern: re.Pattern[str], text: str) -> int:
    """`len(pattern.findall(text))`, searched in windows on a long text."""
    if len(text) <= WINDOW + OVERLAP:
        return len(pattern.findall(text))
    return sum(1 for _ in finditer(pattern, text))
