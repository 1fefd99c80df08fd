"""`newsroom check`: text and JSON output, exit codes 0, 1 and 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "editor" / "resources" / "samples"
WIRE = SAMPLES / "wire-putin-kim-limousine.txt"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSROOM_STORE", raising=False)
    monkeypatch.delenv("NEWSROOM_STYLE", raising=False)
    path = str(tmp_path / "cli.db")
    assert main(["--store", path, "init", "--admin", "Ada"]) == 0  # the store's first admin
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_a_file_without_storing_it(store, capsys):
    code, out, _ = run(capsys, "--store", store, "check", str(WIRE))
    assert code == 1
    assert (
        "1:140 error name-spelled-two-ways “Urus” (2×) is also spelled “Aurus” (1×) in this "
        "story: use “Aurus”, the dictionary spelling.  [fix: “Aurus”]"
    ) in out
    assert "“Aurus” (1×) is also spelled" not in out
    assert "byline error missing-byline" in out
    assert any(line.startswith("7:113 warning vague-attribution") for line in out.splitlines())
    code, out, _ = run(capsys, "--store", store, "list", "--json")
    assert json.loads(out) == []


def test_check_json_shape(store, capsys):
    code, out, _ = run(capsys, "--store", store, "check", str(WIRE), "--json")
    data = json.loads(out)
    assert code == 1
    assert set(data) == {"file", "style", "counts", "findings"}
    assert set(data["counts"]) == {"error", "warning", "suggestion"}
    assert data["counts"]["error"] == sum(f["level"] == "error" for f in data["findings"])
    name = next(f for f in data["findings"] if f["rule"] == "name-spelled-two-ways")
    assert set(name) == {
        "rule", "level", "message", "field", "start", "end", "line", "column", "matched",
        "replacement", "choices", "fingerprint", "dismissed",
    }  # fmt: skip
    assert (name["matched"], name["replacement"], name["field"]) == ("Urus", "Aurus", "body")
    assert name["choices"] == []


def test_check_the_imported_wire_story_points_at_urus(store, capsys):
    code, out, _ = run(capsys, "--store", store, "import", str(WIRE))
    assert code == 0
    code, out, _ = run(capsys, "--store", store, "list", "--json")
    (story,) = json.loads(out)
    code, out, _ = run(capsys, "--store", store, "check", story["id"], "--json")
    assert code == 1
    names = [f for f in json.loads(out)["findings"] if f["rule"] == "name-spelled-two-ways"]
    assert [(f["matched"], f["replacement"]) for f in names] == [("Urus", "Aurus")] * 2


def test_two_unknown_spellings_print_both_choices(store, capsys, tmp_path):
    story = tmp_path / "plant.md"
    story.write_text(
        "Brightloom will build a plant. Shares in Brightloom rose.\n\n"
        "The head of Brightlume spoke.\n"
    )
    code, out, _ = run(capsys, "--store", store, "check", str(story))
    assert code == 1
    assert "Neither is in the dictionary: choose one" in out
    assert "[choose: “Brightloom” or “Brightlume”]" in out


def test_check_a_stored_article_exit_zero_when_clean(store, capsys, tmp_path):
    clean = tmp_path / "clean.md"
    clean.write_text(
        "---\ntitle: Council backs the plan\ndescription: A vote on Thursday.\n"
        "author: Helen Carrow\nsection: Local\n---\nCouncillors backed the plan on Thursday.\n"
    )
    code, out, _ = run(capsys, "--store", store, "import", str(clean))
    assert code == 0
    code, out, _ = run(capsys, "--store", store, "check", "council-backs-the-plan")
    assert (code, out.strip()) == (0, "No findings.")
    code, out, _ = run(capsys, "--store", store, "check", "council-backs-the-plan", "--json")
    data = json.loads(out)
    assert data["slug"] == "council-backs-the-plan" and data["findings"] == []


def test_check_with_a_style_file(store, capsys, tmp_path):
    style = tmp_path / "strict.yml"
    style.write_text("rules:\n  no-kim:\n    kind: existence\n    level: suggestion\n"
                     "    tokens: [Kim]\n")  # fmt: skip
    code, out, _ = run(capsys, "--store", store, "check", str(WIRE), "--style", str(style))
    assert code == 0 and "suggestion no-kim" in out and "error" not in out


def test_usage_and_store_errors_exit_two(store, capsys, tmp_path):
    code, _, err = run(capsys, "--store", store, "check", "no-such-story")
    assert code == 2 and "no-such-story" in err
    bad = tmp_path / "bad.yml"
    bad.write_text("rules: [unclosed\n")
    code, _, err = run(capsys, "--store", store, "check", str(WIRE), "--style", str(bad))
    assert code == 2 and "bad.yml, line 2" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["--store", store, "check"])
    assert exit_info.value.code == 2
