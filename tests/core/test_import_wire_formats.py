"""Wire copy in the shapes agencies and sites send it: each line lands in its field or in
the import notes, never silently dropped and never left in the body."""

from __future__ import annotations

from datetime import date

import pytest

from editor.core.errors import ValidationError
from editor.core.importers.wire import WIRE_PATTERNS, parse_wire_text, wire_pattern

LEAD = (
    "The harbour board voted on Tuesday to close the north quay for repairs, moving the "
    "ferry service to the south pier for at least six months."
)
SECOND = "Engineers found cracks in three of the quay's concrete piles during an inspection."


def kinds(parsed) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in parsed.import_notes:
        found.setdefault(item["kind"], []).append(item["text"])
    return found


def test_byline_with_updated_and_created_dates():
    parsed = parse_wire_text(
        "North quay to close for repairs\n\n"
        "By Jane Doe | Updated: July 18, 2024 | Created: July 17, 2024\n\n"
        f"{LEAD}\n\n{SECOND}"
    )
    assert parsed.headline == "North quay to close for repairs"
    assert parsed.byline == "Jane Doe"
    assert parsed.story_date == date(2024, 7, 17)
    assert parsed.body.startswith("The harbour board voted")
    assert kinds(parsed)["byline"] == [
        "By Jane Doe | Updated: July 18, 2024 | Created: July 17, 2024"
    ]


def test_dateline_city_agency_dash():
    parsed = parse_wire_text(f"Quay to close\n\nPORTSMOUTH (Harbour Wire) - {LEAD}\n\n{SECOND}")
    assert parsed.dateline == "PORTSMOUTH (Harbour Wire)"
    assert parsed.body.startswith("The harbour board voted")


def test_dateline_city_month_day_slash_agency():
    parsed = parse_wire_text(f"Quay to close\n\nMOSCOW, July 17. /TASS/. {LEAD}\n\n{SECOND}")
    assert parsed.dateline == "MOSCOW, July 17"
    assert parsed.body.startswith("The harbour board voted")
    assert kinds(parsed)["byline"] == ["TASS"]


def test_the_lead_printed_above_the_headline_as_a_teaser():
    parsed = parse_wire_text(
        f"{LEAD}\n\nNorth quay to close for repairs\n\nBy Jane Doe\n\n{LEAD}\n\n{SECOND}"
    )
    assert parsed.headline == "North quay to close for repairs"
    assert parsed.byline == "Jane Doe"
    assert parsed.body.count("The harbour board voted") == 1
    assert kinds(parsed)["teaser"] == [LEAD]


def test_a_standfirst_directly_under_the_headline():
    parsed = parse_wire_text(
        "North quay to close for repairs\n\n"
        "Ferries move to the south pier for six months while cracked piles are replaced\n\n"
        f"By Jane Doe\n\nPORTSMOUTH (Harbour Wire) - {LEAD}\n\n{SECOND}"
    )
    assert parsed.standfirst.startswith("Ferries move to the south pier")
    assert parsed.byline == "Jane Doe"
    assert parsed.dateline == "PORTSMOUTH (Harbour Wire)"
    assert parsed.body.startswith("The harbour board voted")


def test_the_first_paragraph_is_not_a_standfirst_without_a_byline_or_dateline_after_it():
    parsed = parse_wire_text(f"Quay to close\n\n{LEAD}\n\n{SECOND}")
    assert parsed.standfirst == ""
    assert parsed.body.startswith("The harbour board voted")


def test_closing_reporting_and_editing_credit_goes_to_the_notes():
    credit = "(Reporting by Jane Doe in Portsmouth; Editing by Li Wei)"
    parsed = parse_wire_text(f"Quay to close\n\n{LEAD}\n\n{SECOND}\n\n{credit}")
    assert "Reporting by" not in parsed.body
    assert kinds(parsed)["credit"] == [credit]
    assert parsed.import_notes[-1]["position"] == 2


def test_site_furniture_around_the_story_goes_to_the_notes():
    parsed = parse_wire_text(
        "Skip to content\n\nNorth quay to close for repairs\n\nShare this article\n\n"
        f"{LEAD}\n\nRead also: Bridge reopens after three years\n\n{SECOND}\n\n"
        "Sign up for our morning newsletter\n\nFollow us on Facebook"
    )
    assert parsed.headline == "North quay to close for repairs"
    assert parsed.body == f"{LEAD}\n\n{SECOND}"
    found = kinds(parsed)
    assert found["boilerplate"] == ["Skip to content"]
    assert found["social"] == ["Share this article", "Follow us on Facebook"]
    assert found["related"] == ["Read also: Bridge reopens after three years"]
    assert found["newsletter"] == ["Sign up for our morning newsletter"]


def test_a_newsroom_adds_its_own_agency_format():
    agency = wire_pattern(
        "harbour-wire-slug", "dateline", r"^(?P<dateline>[A-Z]+)\s+\[HW\]\s+:\s+(?=\S)"
    )
    parsed = parse_wire_text(
        f"Quay to close\n\nPORTSMOUTH [HW] : {LEAD}", patterns=(*WIRE_PATTERNS, agency)
    )
    assert parsed.dateline == "PORTSMOUTH"
    assert parsed.body.startswith("The harbour board voted")


def test_a_bad_pattern_is_reported_by_its_name():
    with pytest.raises(ValidationError, match="Wire pattern mine is not a valid pattern"):
        wire_pattern("mine", "dateline", r"(?P<dateline>[")
    with pytest.raises(ValidationError, match=r"needs a \(\?P<name>"):
        wire_pattern("mine", "byline", r"^By (\w+)$")
    with pytest.raises(ValidationError, match="kind must be one of"):
        wire_pattern("mine", "headline", r"^x$")
