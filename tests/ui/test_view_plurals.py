"""Counted labels agree with their number: "1 note", "2 notes", never "note(s)"."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.site import ExportReport
from editor.core.text import counted
from editor.ui.body.copyfit import Counts
from editor.ui.import_export.export_dialog import report_box


@pytest.mark.parametrize(
    ("count", "noun", "plural", "shown"),
    [
        (0, "note", None, "0 notes"),
        (1, "note", None, "1 note"),
        (2, "note", None, "2 notes"),
        (1204, "word", None, "1,204 words"),
        (1, "person", "people", "1 person"),
        (3, "person", "people", "3 people"),
    ],
)
def test_counted_agrees_with_its_number(count, noun, plural, shown) -> None:
    assert counted(count, noun, plural) == shown


@pytest.mark.parametrize(("warnings", "shown"), [(["one"], "1 note"), (["a", "b"], "2 notes")])
def test_the_export_report_counts_its_notes(app, tmp_path: Path, warnings, shown) -> None:
    report = ExportReport(out_dir=tmp_path, articles=3, warnings=warnings)
    box = report_box(None, report)
    try:
        assert box.informativeText() == f"{shown}: see the details."
        assert "(s)" not in box.informativeText()
    finally:
        box.deleteLater()


def test_the_status_bar_says_one_character(make_window) -> None:
    window = make_window()
    window.status.show_counts(Counts(words=1, characters=1, characters_no_spaces=1))
    assert window.status.words.text() == "1 word · 1 character · 1 min read"
    assert window.status.words.toolTip().startswith("1 character without spaces")


def test_no_label_says_s_in_brackets() -> None:
    """No message of the window, the command or the export counts with "(s)"."""
    root = Path(__file__).resolve().parents[2] / "editor"
    for path in sorted(root.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "(s)" in line and ('f"' in line or "f'" in line):
                raise AssertionError(f"{path.relative_to(root)}:{number}: {line.strip()}")
