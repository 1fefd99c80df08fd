"""A newsroom's own agency formats, named in its house style file (`wire:`), reach the wire
importer: tried before the shapes it knows, checked when the file is read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.cli import main
from editor.core.checks import load_style
from editor.core.checks.spec import StyleError
from editor.core.checks.style import parse_style
from editor.core.importing import parse_file

OWN_STYLE = r"""extends: house
wire:
  northwire-dateline:
    kind: dateline
    pattern: '^(?P<dateline>[A-Z][A-Z ]+) \(Northwire\) ::\s+'
  northwire-slug-line:
    kind: furniture
    pattern: '^NW-\d{4}-[A-Z]+$'
rules:
  passive-voice: {level: off}
"""

COPY = (
    "NW-0412-HARB\n\n"
    "North quay to close for repairs\n\n"
    "By Jane Doe\n\n"
    "PORT ELLEN (Northwire) :: The harbour board voted on Tuesday to close the north quay "
    "for repairs, moving the ferry service to the south pier for at least six months.\n\n"
    "Engineers found cracks in three of the quay's concrete piles during an inspection.\n"
)


@pytest.fixture
def style_file(tmp_path: Path) -> Path:
    path = tmp_path / "style.yml"
    path.write_text(OWN_STYLE, encoding="utf-8")
    return path


@pytest.fixture
def copy_file(tmp_path: Path) -> Path:
    path = tmp_path / "quay.txt"
    path.write_text(COPY, encoding="utf-8")
    return path


def test_the_house_style_file_carries_its_agency_formats_in_file_order(style_file) -> None:
    style = load_style(style_file)
    assert [p.name for p in style.wire] == ["northwire-dateline", "northwire-slug-line"]
    assert {p.kind for p in style.wire} == {"dateline", "furniture"}
    assert "passive-voice" not in {rule.id for rule in style.rules}  # rules merge as before
    assert load_style(None).wire == ()  # the house style itself names none


def test_an_own_format_is_tried_before_the_shapes_the_importer_knows(style_file, copy_file) -> None:
    plain = parse_file(copy_file)
    assert plain.dateline == ""  # "::" is no shape the importer knows
    assert plain.body.startswith("PORT ELLEN (Northwire) ::")

    parsed = parse_file(copy_file, load_style(style_file).wire)
    assert parsed.headline == "North quay to close for repairs"
    assert parsed.dateline == "PORT ELLEN"
    assert parsed.body.startswith("The harbour board voted on Tuesday")
    assert "NW-0412-HARB" not in parsed.body
    assert any("NW-0412-HARB" in item["text"] for item in parsed.import_notes)  # kept


@pytest.mark.parametrize(
    ("wire", "message"),
    [
        ("wire: [a, b]", "'wire' must map pattern names"),
        ("wire:\n  x: {kind: byline}", "wire pattern 'x' needs a kind and a pattern"),
        ("wire:\n  x: {kind: masthead, pattern: 'a'}", "the kind must be one of"),
        ("wire:\n  x: {kind: credit, pattern: '(unclosed'}", "x is not a valid pattern"),
        ("wire:\n  x: {kind: dateline, pattern: '^[A-Z]+ -'}", "needs a (?P<dateline>...) group"),
        ("wire:\n  x: {kind: credit, pattern: 'a', flags: i}", "unknown key flags"),
    ],
)
def test_a_mistake_in_a_wire_pattern_names_the_file_and_line(wire: str, message: str) -> None:
    with pytest.raises(StyleError) as raised:
        parse_style("extends: house\n" + wire + "\n", "own.yml")
    assert message in str(raised.value)
    assert str(raised.value).startswith("own.yml")


def test_newsroom_import_uses_the_style_files_formats(
    tmp_path, capsys, monkeypatch, style_file, copy_file
) -> None:
    monkeypatch.delenv("NEWSROOM_STORE", raising=False)
    monkeypatch.delenv("NEWSROOM_STYLE", raising=False)
    store = str(tmp_path / "s.db")
    assert main(["--store", store, "init", "--admin", "Ada"]) == 0
    argv = ["--store", store, "--as", "Ada", "import", "--json", "--duplicates", "copy"]
    assert main([*argv, "--style", str(style_file), str(copy_file)]) == 0
    capsys.readouterr()  # (the import's own lines)
    monkeypatch.setenv("NEWSROOM_STYLE", str(style_file))  # the environment works too
    assert main([*argv, str(copy_file)]) == 0
    capsys.readouterr()
    assert main(["--store", store, "list", "--json"]) == 0
    ids = [row["id"] for row in json.loads(capsys.readouterr().out)]
    assert len(ids) == 2
    for article_id in ids:
        assert main(["--store", store, "show", article_id, "--json"]) == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["dateline"] == "PORT ELLEN"
        assert shown["body"].startswith("The harbour board voted")
