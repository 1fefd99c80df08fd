"""An imported article's section is the newsroom's managed one, whatever its case."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.services.newsroom import Newsroom


@pytest.fixture
def newsroom(tmp_path: Path):
    room = Newsroom.open(tmp_path / "store.db")
    yield room
    room.close()


def _story(folder: Path, name: str, section: str) -> Path:
    path = folder / name
    path.write_text(
        f"---\ntitle: Story from {name}\nsection: {section}\n---\nThe council met.\n",
        encoding="utf-8",
    )
    return path


def test_an_incoming_section_maps_to_the_managed_one(newsroom, tmp_path: Path):
    newsroom.settings.add_section("Health & Care")
    paths = [
        _story(tmp_path, "a.md", "WORLD"),
        _story(tmp_path, "b.md", "  sport "),
        _story(tmp_path, "c.md", "health  &  care"),
        _story(tmp_path, "d.md", "Weather"),
    ]
    report = newsroom.import_files(paths)
    assert not report.failed
    sections = {a.source_name: a.section for a in report.imported}
    assert sections == {"a.md": "World", "b.md": "Sport", "c.md": "Health & Care",
                        "d.md": "Weather"}  # fmt: skip
    # A retired section keeps its managed spelling for copy that still names it.
    newsroom.settings.retire_section("Culture")
    again = newsroom.import_files([_story(tmp_path, "e.md", "culture")])
    assert again.imported[0].section == "Culture"
