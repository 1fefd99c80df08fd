"""Smart typography: straight quotes to curly ones, `--` to a dash, `...` to an ellipsis.

One rule set serves both uses: `typed_replacement` decides, as a character is typed, what the
text just before the cursor becomes; `smarten_runs` converts whole blocks by replaying that
rule over the text, so a body converted at once reads the same as one typed with the option
on. Code is never touched: callers pass code runs flagged and they come back unchanged.
The house style chooses the dash (`DashStyle`). Pure functions, no Qt.
"""

from __future__ import annotations

from enum import StrEnum


class DashStyle(StrEnum):
    """What `--` becomes: spaced en dashes (Guardian, AP spaced style) or em dashes."""

    EN = "en"
    EM = "em"


EN_DASH = "\u2013"
EM_DASH = "\u2014"
ELLIPSIS = "\u2026"
OPEN_DOUBLE, CLOSE_DOUBLE = "\u201c", "\u201d"
OPEN_SINGLE, CLOSE_SINGLE = "\u2018", "\u2019"
APOSTROPHE = CLOSE_SINGLE

#: After these (or at the start of a text) a quote opens; after anything else it closes.
_OPENING_CONTEXT = frozenset(" \t\n\xa0([{<\u2018\u201c/-" + EN_DASH + EM_DASH)


def _dash(style: DashStyle | str) -> str:
    return EN_DASH if DashStyle(style) is DashStyle.EN else EM_DASH


def typed_replacement(
    before: str, dash_style: DashStyle | str = DashStyle.EM, after: str = ""
) -> tuple[int, str] | None:
    """What typing the last character of `before` turns into: (characters to replace, text).

    `before` is the text of the paragraph up to and including the character just typed;
    `after` the character following it, if any (a quote opens before a digit: '90s). None
    when nothing changes.
    """
    if not before:
        return None
    last = before[-1]
    if before.endswith("..."):
        return 3, ELLIPSIS
    if before.endswith("--"):
        return 2, _dash(dash_style)
    if last not in "\"'":
        return None
    previous = before[-2] if len(before) > 1 else ""
    opens = previous == "" or previous in _OPENING_CONTEXT
    if last == '"':
        return 1, OPEN_DOUBLE if opens else CLOSE_DOUBLE
    if opens and after[:1].isdigit():
        return 1, APOSTROPHE  # the decade in "the '90s", "rock 'n' roll" needs a person
    return 1, OPEN_SINGLE if opens else CLOSE_SINGLE


def smarten(text: str, dash_style: DashStyle | str = DashStyle.EM, context: str = "") -> str:
    """`text` with smart typography; `context` is the text just before it (for quotes)."""
    out = context
    for index, char in enumerate(text):
        out += char
        change = typed_replacement(out, dash_style, text[index + 1 : index + 2])
        if change is not None and change[0] <= len(out) - len(context):
            count, replacement = change
            out = out[:-count] + replacement
    return out[len(context) :]


def smarten_runs(
    runs: list[tuple[str, bool]], dash_style: DashStyle | str = DashStyle.EM
) -> list[str]:
    """Convert a block given as (text, is_code) runs; code runs come back as they were.

    The text before a run is its context, so a quote after bold text closes correctly. A
    `--` or `...` split across a run boundary is left alone (the runs differ in format).
    """
    result: list[str] = []
    context = ""
    for text, is_code in runs:
        converted = text if is_code else smarten(text, dash_style, context[-1:])
        result.append(converted)
        context += converted
    return result
