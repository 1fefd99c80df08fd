"""Word documents laid out as reporters send them: merged cells, a table first, one
paragraph, footnotes in odd places. Built with python-docx (no binary fixtures)."""

from __future__ import annotations

import io

import pytest

from editor.core.importers.docx import parse_docx
from tests.core.test_import_docx import with_footnotes

docx = pytest.importorskip("docx")


def save(document, notes: list[str] | None = None) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    return with_footnotes(data, notes) if notes else data


def results_table(document):
    table = document.add_table(rows=3, cols=3)
    for row, values in enumerate(
        [("Ward", "Party", "Votes"), ("North", "Green", "1,204"), ("", "Labour", "988")]
    ):
        for col, text in enumerate(values):
            table.cell(row, col).text = text
    merged = table.cell(1, 0).merge(table.cell(2, 0))
    merged.text = "North"
    return table


def test_vertically_merged_cells_do_not_shift_later_cells():
    document = docx.Document()
    document.add_paragraph("Council results", style="Title")
    results_table(document)
    document.add_paragraph("Turnout was 41 per cent.")
    parsed = parse_docx(save(document), "results.docx")
    table = parsed.body.split("\n\n")[0].splitlines()
    assert table == [
        "| Ward | Party | Votes |",
        "| --- | --- | --- |",
        "| North | Green | 1,204 |",
        "|  | Labour | 988 |",
    ]


def test_horizontally_merged_cells_keep_the_columns():
    document = docx.Document()
    document.add_paragraph("Budget", style="Title")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Spending"
    table.cell(0, 2).text = "Total"
    for col, text in enumerate(("Roads", "Schools", "£9m")):
        table.cell(1, col).text = text
    parsed = parse_docx(save(document), "budget.docx")
    rows = parsed.body.split("\n\n")[0].splitlines()
    assert rows[0] == "| Spending |  | Total |"
    assert rows[2] == "| Roads | Schools | £9m |"


def test_a_document_that_opens_with_a_table_keeps_its_first_cell():
    document = docx.Document()
    results_table(document)
    document.add_paragraph("The Greens held North ward by 216 votes.")
    parsed = parse_docx(save(document), "table-first.docx")
    assert parsed.headline == ""
    assert parsed.body.startswith("| Ward | Party | Votes |")
    assert "The Greens held North ward" in parsed.body


def test_a_one_paragraph_document_keeps_its_text_and_emphasis():
    document = docx.Document()
    paragraph = document.add_paragraph("Council meeting moved to ")
    paragraph.add_run("Thursday").bold = True
    paragraph.add_run(", not ")
    paragraph.add_run("Wednesday").font.strike = True
    parsed = parse_docx(save(document), "one.docx")
    assert parsed.headline == ""
    assert parsed.body == "Council meeting moved to **Thursday**, not Wednesday"
    assert parsed.import_notes == [
        {
            "kind": "strikethrough",
            "text": "Struck out in the document (kept in the body as plain text): “Wednesday”",
            "position": None,
        }
    ]


def test_a_short_first_line_before_more_text_is_still_the_headline():
    document = docx.Document()
    document.add_paragraph("Council meeting moved")
    document.add_paragraph("The meeting will be on Thursday.")
    parsed = parse_docx(save(document), "two.docx")
    assert (parsed.headline, parsed.body) == (
        "Council meeting moved",
        "The meeting will be on Thursday.",
    )


def test_footnote_references_are_kept_wherever_they_stand():
    document = docx.Document()
    document.add_paragraph("Council approves plan[[1]]")
    document.add_paragraph("The council voted after a long debate[[2]]")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Walls[[3]]"
    table.cell(0, 1).text = "£40m"
    parsed = parse_docx(save(document, ["Minutes.", "Interview.", "Budget book."]), "fn.docx")
    body = parsed.body
    for number in (1, 2, 3):
        assert body.count(f"[^{number}]") == 2, body  # the reference and its definition
    assert "[^3]: Budget book." in body


def test_a_heading_with_a_footnote_keeps_the_reference_in_the_body():
    document = docx.Document()
    document.add_heading("Flood plan approved[[1]]", 1)
    document.add_paragraph("The council voted.")
    parsed = parse_docx(save(document, ["Minutes."]), "heading.docx")
    assert parsed.headline == "Flood plan approved"
    assert parsed.body.count("[^1]") == 2
