"""Dismissed findings are remembered per article, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from editor.core.errors import NotFoundError

BODY = "He saw the the car.\n\nIt rose 5% today."


def test_dismiss_and_undismiss(newsroom):
    article = newsroom.create_article("Cars and more cars", BODY, section="World")
    findings = newsroom.check_article(article.id)
    doubled = next(f for f in findings if f.rule == "doubled-word")
    assert doubled in newsroom.blocking_findings(article.id)

    dismissal = newsroom.dismiss_finding(article.id, doubled, note="  quoting him  ")
    assert (dismissal.rule, dismissal.note) == ("doubled-word", "quoting him")
    assert dismissal.user_id == newsroom.user.id
    remaining = newsroom.check_article(article.id)
    assert "doubled-word" not in [f.rule for f in remaining]
    assert newsroom.blocking_findings(article.id) == []
    shown = newsroom.check_article(article.id, include_dismissed=True)
    assert [f.dismissed for f in shown if f.rule == "doubled-word"] == [True]

    again = newsroom.dismiss_finding(article.id, doubled, note="still fine")
    assert again.note == "still fine"
    assert len(newsroom.dismissed_findings(article.id)) == 1

    assert newsroom.undismiss(article.id, doubled) is True
    assert newsroom.undismiss(article.id, doubled) is False
    assert doubled in newsroom.blocking_findings(article.id)


def test_dismissal_survives_edits_elsewhere_and_is_per_article(newsroom):
    first = newsroom.create_article("One story", BODY, section="World")
    second = newsroom.create_article("Another story", BODY, section="World")
    percent = next(f for f in newsroom.check_article(first.id) if f.rule == "percent")
    newsroom.dismiss_finding(first.id, percent)
    saved = newsroom.save_article(
        first.id, expected_version=first.version, body="A new first paragraph.\n\n" + BODY
    )
    assert "percent" not in [f.rule for f in newsroom.check_article(saved.id)]
    assert "percent" in [f.rule for f in newsroom.check_article(second.id)]


def test_dismissing_for_a_missing_article(newsroom):
    article = newsroom.create_article("One story", BODY)
    finding = newsroom.check_article(article.id)[0]
    with pytest.raises(NotFoundError):
        newsroom.dismiss_finding("no-such-id", finding)


def test_long_matches_have_short_fingerprints(newsroom):
    long_paragraph = "Words " + " ".join(["word"] * 120) + " the the end."
    article = newsroom.create_article("Long", long_paragraph, section="World")
    findings = newsroom.check_article(article.id)
    for finding in findings:
        assert len(finding.fingerprint) < 200
    for finding in findings:
        newsroom.dismiss_finding(article.id, finding)
    assert newsroom.check_article(article.id) == []
