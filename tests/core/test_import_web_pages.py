"""Web pages laid out as real sites lay them out: the story found, its fields clean."""

from __future__ import annotations

import time

from editor.core.importers.common import ParsedArticle, clean_byline
from editor.core.importers.extract import MainText, shingle_set
from editor.core.importers.html import check_length, parse_html, strip_site_name

STORY = [
    "The harbour board voted on Tuesday to close the north quay for repairs, a decision "
    "that will move the ferry service to the south pier for at least six months.",
    "Engineers found cracks in three of the quay's concrete piles during an inspection in "
    "March, and the board's chair said the structure could no longer be trusted.",
    "Ferry operators said the move would add ten minutes to each crossing, and warned that "
    "summer timetables would have to be rewritten before the holiday season begins.",
    "Residents near the south pier raised concerns about traffic and parking, and the "
    "council promised a consultation on a temporary car park before the works start.",
    "The repairs are expected to cost four million pounds, most of it paid by a grant from "
    "the national infrastructure fund awarded to the port last year.",
]


def paragraphs(items: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in items)


def page(body: str, head: str = "") -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"{head}</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"{body}<footer>© 2024 The Harbour Times. All rights reserved.</footer></body></html>"
    )


def words_of(text: str) -> set[str]:
    return set(text.replace("*", "").split())


def holds_story(body: str, items: list[str] = STORY) -> bool:
    return all(p[:60] in body for p in items)


def test_a_layout_wrapper_named_sidebar_is_not_furniture():
    html = page(
        "<div class='content-with-sidebar-wrp'><div class='l-sidebar-fixed "
        f"l-article-body-segment'><h1>Quay to close</h1>{paragraphs(STORY)}</div>"
        "<div class='sidebar-widget'><a href='/x'>Most read</a></div></div>"
    )
    parsed = parse_html(html, "quay.html")
    assert holds_story(parsed.body)
    assert "Most read" not in parsed.body


def test_a_post_laid_out_with_div_and_br_is_found():
    post = "<br><br>".join(STORY)
    html = page(
        "<div class='menu'><a href='/a'>Archive</a> <a href='/b'>About</a></div>"
        f"<div class='post'>{post}</div>"
        "<div class='widget'><a href='/c'>Links</a> <a href='/d'>More links</a></div>"
    )
    parsed = parse_html(html, "post.html")
    assert holds_story(parsed.body)
    assert "Archive" not in parsed.body


def test_sibling_sections_of_the_story_are_merged():
    html = page(
        "<div id='story'><h1>Quay to close</h1>"
        f"<section class='part'>{paragraphs(STORY[:2])}</section>"
        f"<section class='part'>{paragraphs(STORY[2:4])}</section>"
        f"<section class='part'>{paragraphs(STORY[4:])}</section></div>"
    )
    parsed = parse_html(html, "sections.html")
    assert holds_story(parsed.body)


def test_a_related_story_teaser_article_does_not_win():
    teaser = (
        "<article class='card'><h3><a href='/other'>Bridge reopens after three years of "
        "works on the river crossing</a></h3><p>The old bridge over the river reopened to "
        "traffic this morning after a long and expensive programme of repairs.</p></article>"
    )
    html = page(
        f"<div class='story-body'><h1>Quay to close</h1>{paragraphs(STORY)}</div>"
        f"<div class='more'>{teaser}</div>"
    )
    parsed = parse_html(html, "teaser.html")
    assert holds_story(parsed.body)
    assert "old bridge" not in parsed.body


def test_a_teaser_inside_the_story_is_noted_where_it_stood():
    teaser = (
        "<article class='card'><h3><a href='/other'>Bridge reopens after three years of "
        "works</a></h3><p>The old bridge reopened to traffic this morning.</p></article>"
    )
    html = page(
        f"<div class='story-body'><h1>Quay to close</h1>{paragraphs(STORY[:3])}{teaser}"
        f"{paragraphs(STORY[3:])}</div>"
    )
    parsed = parse_html(html, "inline-teaser.html")
    assert holds_story(parsed.body)
    [teaser_note] = [n for n in parsed.import_notes if "old bridge" in n["text"]]
    assert teaser_note["position"] == 3


def test_headline_from_metadata_with_the_site_name_removed():
    head = (
        "<title>Quay to close for repairs – The Harbour Times</title>"
        "<meta property='og:site_name' content='The Harbour Times'>"
    )
    parsed = parse_html(page(f"<h1>Read more</h1>{paragraphs(STORY)}", head), "t.html")
    assert parsed.headline == "Quay to close for repairs"


def test_a_visible_h1_wins_only_when_it_agrees():
    head = "<meta property='og:title' content='Quay to close | Harbour Times'>"
    agrees = parse_html(page(f"<h1>Quay to close</h1>{paragraphs(STORY)}", head), "a.html")
    assert agrees.headline == "Quay to close"
    head = "<meta property='og:title' content='North quay to close for six months'>"
    caption = page(f"<h1>Photo: the quay at dawn</h1>{paragraphs(STORY)}", head)
    assert parse_html(caption, "b.html").headline == "North quay to close for six months"


def test_json_ld_headline_outranks_the_h1():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "North quay to close for repairs"}</script>'
    )
    parsed = parse_html(page(f"<h1>Engadget</h1>{paragraphs(STORY)}", head), "ld.html")
    assert parsed.headline == "North quay to close for repairs"


def test_site_names_and_section_labels_come_off_titles():
    assert strip_site_name("Storm hits coast | CNN Politics", ["CNN Politics"]) == (
        "Storm hits coast"
    )
    assert strip_site_name("Yonhap: Storm hits coast", ["Yonhap"]) == "Storm hits coast"
    assert strip_site_name("Storm hits coast — Yonhap News", ["Yonhap News"]) == (
        "Storm hits coast"
    )


def test_bylines_are_cleaned_of_dates_prefixes_and_dashes():
    assert clean_byline("Posted by Jane Doe | July 17, 2024") == "Jane Doe"
    assert clean_byline("By Jane Doe -") == "Jane Doe"
    assert clean_byline("About the author: Li Wei") == "Li Wei"
    assert clean_byline("By Jane Doe, Updated 10:45 GMT") == "Jane Doe"
    assert clean_byline("Jane Doe and Li Wei") == "Jane Doe and Li Wei"


def test_byline_in_the_page_is_cleaned():
    html = page(
        f"<article><h1>Quay</h1><p class='byline'>Posted by Jane Doe | 17 July 2024 –</p>"
        f"{paragraphs(STORY)}</article>"
    )
    assert parse_html(html, "by.html").byline == "Jane Doe"


def test_a_body_far_shorter_than_the_main_text_says_so():
    # What the markup gave (one line) against the extractor's main text of the page.
    parsed = ParsedArticle(headline="Quay to close", body="Quay closes.")
    main = MainText("\n".join(STORY), shingle_set("\n".join(STORY)))
    check_length(parsed, main, "short.html")
    assert parsed.import_notes[0]["kind"] == "extraction"
    assert "2 words" in parsed.import_notes[0]["text"]
    assert holds_story(parsed.body)
    assert {"kind": "left-out", "text": "Quay closes.", "position": None} in parsed.import_notes


def test_a_page_with_no_article_text_says_so():
    head = "<meta property='og:title' content='Gallery: the quay at dawn'>"
    parsed = parse_html(page("<div class='gallery'><img src='a.jpg'></div>", head), "g.html")
    assert parsed.body == ""
    assert parsed.import_notes[0]["kind"] == "extraction"
    assert "words of article text were found in g.html" in parsed.import_notes[0]["text"]


def test_a_big_page_imports_quickly():
    furniture = "".join(
        f"<div class='card'><a href='/s{i}'>Story {i}</a><span>{i} min</span></div>"
        for i in range(3000)
    )
    nested = "<div>" * 150 + paragraphs(STORY * 40) + "</div>" * 150
    html = page(f"<div class='grid'>{furniture}</div>{nested}")
    started = time.process_time()
    parsed = parse_html(html, "big.html")
    assert time.process_time() - started < 2.0
    assert holds_story(parsed.body)


def test_an_h1_with_the_logo_words_beside_the_headline_loses_to_the_title():
    head = "<title>Quay to close for repairs » Local » Noticias » Harbour Times</title>"
    html = page(f"<h1>Quay to close for repairs Harbour Times</h1>{paragraphs(STORY)}", head)
    assert parse_html(html, "logo.html").headline == "Quay to close for repairs"


def test_a_huge_page_is_left_to_our_own_scorer_and_stays_quick():
    furniture = "".join(
        f"<div class='card'><a href='/s{i}'>Story {i}</a><span>{i} min</span></div>"
        for i in range(30000)
    )
    html = page(
        f"<div class='grid'>{furniture}</div><div class='story'>{paragraphs(STORY * 50)}</div>"
    )
    started = time.process_time()
    parsed = parse_html(html, "huge.html")
    assert time.process_time() - started < 2.0
    assert holds_story(parsed.body)
    assert "Story 17" not in parsed.body


def test_putting_back_a_note_of_several_paragraphs_keeps_the_order():
    from editor.core.importers.notes import put_back

    body = "One.\n\nFour."
    notes = [
        {"kind": "left-out", "text": "Two.\n\nThree.", "position": 1},
        {"kind": "related", "text": "Five.", "position": 2},
    ]
    body, notes = put_back(body, notes, 0)
    assert notes == [{"kind": "related", "text": "Five.", "position": 4}]
    body, notes = put_back(body, notes, 0)
    assert body == "One.\n\nTwo.\n\nThree.\n\nFour.\n\nFive."


def test_a_run_of_left_out_paragraphs_is_one_note():
    menu = "".join(
        f"<p><a href='/s{i}'>Section number {i} of the site menu</a></p>" for i in range(8)
    )
    html = page(f"<div class='story'><h1>Quay to close</h1>{menu}{paragraphs(STORY)}</div>")
    parsed = parse_html(html, "menu.html")
    assert holds_story(parsed.body)
    [left] = [n for n in parsed.import_notes if n["kind"] == "left-out"]
    assert left["position"] == 0
    assert left["text"].count("Section number") == 8
    assert "Section number" not in parsed.body
