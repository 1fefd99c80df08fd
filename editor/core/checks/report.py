"""Findings as the `newsroom check` command prints them: text lines or a JSON document."""

from __future__ import annotations

from collections import Counter

from editor.core.checks.findings import BODY, Finding, Level


def counts(findings: list[Finding]) -> dict[str, int]:
    found = Counter(f.level.value for f in findings)
    return {level.value: found.get(level.value, 0) for level in Level}


def text_lines(findings: list[Finding]) -> list[str]:
    """One line per finding: `line:col level rule message` (a field name for metadata)."""
    lines = []
    for f in findings:
        where = f"{f.line}:{f.column}" if f.field == BODY else f.field
        fix = f"  [fix: “{f.replacement}”]" if f.replacement else ""
        if f.replacement == "":
            fix = "  [fix: remove]"
        elif f.replacement is None and f.choices:
            fix = "  [choose: " + " or ".join(f"“{c}”" for c in f.choices) + "]"
        lines.append(f"{where} {f.level.value} {f.rule} {f.message}{fix}")
    return lines


def summary(findings: list[Finding]) -> str:
    found = counts(findings)
    if not findings:
        return "No findings."
    parts = [f"{n} {level}{'s' * (n != 1)}" for level, n in found.items() if n]
    return ", ".join(parts) + "."


def report_json(findings: list[Finding], subject: dict[str, object], style: str) -> dict:
    """The stable JSON of `newsroom check --json`."""
    return {
        **subject,
        "style": style,
        "counts": counts(findings),
        "findings": [f.to_json() for f in findings],
    }


def has_errors(findings: list[Finding]) -> bool:
    return any(f.level is Level.ERROR and not f.dismissed for f in findings)
