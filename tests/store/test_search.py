"""Full-text search on both engines: the query syntax, phrases, prefixes, the ranking rule,
hostile input, the index following every kind of write, and the 0003 migration."""

from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from editor.core.model import ArticleQuery
from editor.services.newsroom import Newsroom
from editor.store import opening, search

#: Hypothesis reuses one store (built once per engine) for all its examples.
_REUSE = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    deadline=None,
    max_examples=60,
)

_ARTICLES = [
    # headline, standfirst, byline, tags, body
    ("Harbour drought hits town", "", "Ana Ruiz", [], "Wells ran dry."),
    ("Council budget", "The harbour is quiet", "Ben Okafor", ["harbour"], "A drought came."),
    (
        "Drought talks",
        "Harbour drought: the",
        "Cy Zhou",
        ["Zürich"],
        "The harbour drought worsens.",
    ),
    ("Zürich bankers", "Drought harbour", "Dee Near", ["or", "not"], "Near the harbour, OR not."),
    ("Okafor scores", "", "", ["sport"], "Okafor scored in stoppage time; harbours shut."),
    ("Café opens near the harbour", "e-mail us", "", [], "The cafe has coffee_beans."),
]


def _fill(room: Newsroom) -> dict[str, tuple]:
    made = {}
    for headline, standfirst, byline, tags, body in _ARTICLES:
        article = room.create_article(
            headline, body, sign=False, standfirst=standfirst, byline=byline, tags=tags
        )
        made[article.id] = (headline, standfirst, byline, tags, body)
    return made


def _ids(room: Newsroom, q: str) -> list[str]:
    return [a.id for a in room.list_articles(ArticleQuery(search=q), limit=1000)]


def _headlines(room: Newsroom, q: str) -> list[str]:
    return [a.headline for a in room.list_articles(ArticleQuery(search=q), limit=1000)]


def _fields(values: tuple) -> list[list[str]]:
    headline, standfirst, byline, tags, body = values
    credits = " ".join([byline, *tags])
    return [
        search.words(headline),
        search.words(standfirst),
        search.words(body),
        search.words(credits),
    ]


def _term_in(term: search.Term, fields: list[list[str]]) -> bool:
    if not term.phrase:
        return any(token.startswith(term.words[0]) for field in fields for token in field)
    size = len(term.words)
    return any(
        tuple(field[i : i + size]) == term.words for field in fields for i in range(len(field))
    )


def _expected(room: Newsroom, made: dict[str, tuple], q: str) -> list[str]:
    """The specification, in Python: which articles match, in the ranking rule's order."""
    query = search.parse(q)
    listed = [a.id for a in room.list_articles(limit=1000)]  # newest first
    if not query:
        return listed
    hits = [i for i in listed if all(_term_in(t, _fields(made[i])) for t in query.terms)]
    first = [i for i in hits if all(_term_in(t, _fields(made[i])[:1]) for t in query.terms)]
    return first + [i for i in hits if i not in first]


def test_a_quoted_phrase_is_a_phrase(newsroom):
    _fill(newsroom)
    assert _headlines(newsroom, '"harbour drought"') == [
        "Harbour drought hits town",
        "Drought talks",
    ]
    # The two words anywhere, in any order: more articles.
    assert len(_headlines(newsroom, "harbour drought")) == 4
    # A phrase does not run from one field into the next (headline, body, credits)...
    assert _headlines(newsroom, '"town wells"') == []
    assert _headlines(newsroom, '"dry ana"') == []
    # ...but the credits are the byline followed by the tags.
    assert _headlines(newsroom, '"okafor harbour"') == ["Council budget"]


def test_words_are_prefixes_and_all_must_match(newsroom):
    _fill(newsroom)
    assert _headlines(newsroom, "okaf") == ["Okafor scores", "Council budget"]
    assert _headlines(newsroom, "okaf stoppage") == ["Okafor scores"]
    assert _headlines(newsroom, "okaf nothing") == []
    # A quoted single word is that whole word, not a prefix.
    assert _headlines(newsroom, '"harbours"') == ["Okafor scores"]
    assert "Okafor scores" not in _headlines(newsroom, '"harbour"')


def test_case_and_accents_do_not_matter(newsroom):
    _fill(newsroom)
    assert _headlines(newsroom, "zurich") == ["Zürich bankers", "Drought talks"]
    assert _headlines(newsroom, "ZÜRICH") == ["Zürich bankers", "Drought talks"]
    assert _headlines(newsroom, "café") == ["Café opens near the harbour"]
    assert _headlines(newsroom, "CAFE") == ["Café opens near the harbour"]


def test_headline_matches_rank_first_then_newest(newsroom):
    made = _fill(newsroom)
    got = _headlines(newsroom, "drought")
    assert got[:2] == ["Drought talks", "Harbour drought hits town"]
    assert got[2:] == ["Zürich bankers", "Council budget"]
    assert _ids(newsroom, "drought") == _expected(newsroom, made, "drought")


def test_operators_are_plain_words(newsroom):
    _fill(newsroom)
    assert _headlines(newsroom, "near OR not") == ["Zürich bankers"]
    assert _headlines(newsroom, "NEAR(harbour drought)") == ["Zürich bankers"]
    assert _headlines(newsroom, "headline:okafor") == []  # "headline" is a word here
    assert _headlines(newsroom, "okafor*") == ["Okafor scores", "Council budget"]
    assert _headlines(newsroom, "^okafor") == ["Okafor scores", "Council budget"]
    assert _headlines(newsroom, "coffee_beans") == ["Café opens near the harbour"]
    assert _headlines(newsroom, "e-mail") == ["Café opens near the harbour"]


def test_unbalanced_quotes_and_sql(newsroom):
    _fill(newsroom)
    assert _headlines(newsroom, '"harbour drought') == [
        "Harbour drought hits town",
        "Drought talks",
    ]
    assert _headlines(newsroom, 'okafor "') == ["Okafor scores", "Council budget"]
    assert _headlines(newsroom, '"; DROP TABLE articles; --') == []
    assert _headlines(newsroom, "' OR 1=1 --") == []
    assert _headlines(newsroom, "%") == _headlines(newsroom, "")  # no word: no filter
    assert len(_headlines(newsroom, "")) == len(_ARTICLES)


def test_count_agrees_with_the_list(newsroom):
    _fill(newsroom)
    for q in ("harbour", '"harbour drought"', "okaf", "zzz", '"'):
        assert newsroom.count_articles(ArticleQuery(search=q)) == len(_ids(newsroom, q))


_VOCABULARY = [
    "harbour", "harb", "harbours", "drought", "dro", "council", "okafor", "ok", "zurich",
    "Zürich", "near", "NEAR", "or", "OR", "AND", "NOT", "the", "cafe", "e", "mail",
    "coffee", "beans", "stoppage", "wells", "quiet", "ana", "ruiz",
]  # fmt: skip
_MADE: dict[Newsroom, dict[str, tuple]] = {}
_NOISE = [
    '"',
    "*",
    "^",
    ":",
    "(",
    ")",
    "-",
    "'",
    ";",
    "%",
    "_",
    "\\",
    "{",
    "}",
    "+",
    " ",
    "headline:",
]


@_REUSE
@given(st.lists(st.sampled_from(_VOCABULARY + _NOISE), max_size=8).map(" ".join))
def test_every_query_matches_the_specification(newsroom, q):
    if newsroom not in _MADE:
        _MADE[newsroom] = _fill(newsroom)
    made = _MADE[newsroom]
    assert _ids(newsroom, q) == _expected(newsroom, made, q)


@_REUSE
@given(st.text(max_size=40))
def test_hostile_input_never_raises(newsroom, q):
    if not newsroom.count_articles():
        _fill(newsroom)
    hits = _ids(newsroom, q)
    assert newsroom.count_articles(ArticleQuery(search=q)) == len(hits)
    assert set(hits) <= set(_ids(newsroom, ""))


def test_the_index_follows_every_kind_of_write(newsroom, tmp_path):
    article = newsroom.create_article("Old headline", "first draft words", sign=False)
    article = newsroom.save_article(
        article.id, expected_version=1, changes={"headline": "Fresh"}, body="second body"
    )
    assert _headlines(newsroom, "old") == [] and _headlines(newsroom, "first") == []
    assert _headlines(newsroom, "fresh second") == ["Fresh"]
    # Autosaves of one session rewrite their own revision in place.
    for n, body in enumerate(["autosave alpha", "autosave beta", "autosave gamma"]):
        article = newsroom.save_article(
            article.id, expected_version=article.version, body=body, reason="autosave",
            session_id="s1",
        )  # fmt: skip
        assert _headlines(newsroom, "autosave") == ["Fresh"], n
    assert _headlines(newsroom, "alpha") == [] and _headlines(newsroom, "beta") == []
    assert _headlines(newsroom, "gamma") == ["Fresh"]
    article = newsroom.save_article(
        article.id,
        expected_version=article.version,
        changes={"tags": ["tidal"], "byline": "Ana Ruiz", "section": "News"},
    )
    article = newsroom.transition(article.id, "submit", expected_version=article.version)
    assert _headlines(newsroom, "tidal gamma") == ["Fresh"]
    source = tmp_path / "wire.txt"
    source.write_text("Wire story\n\nFirst wire text.", encoding="utf-8")
    newsroom.import_files([source])
    report = newsroom.import_files([source], on_duplicate="update")  # the same bytes again
    assert len(report.updated) == 1
    assert _headlines(newsroom, '"first wire"') == ["Wire story"]
    newsroom.delete_article(article.id)
    assert _headlines(newsroom, "gamma") == []
    newsroom.restore_article(article.id)
    assert _headlines(newsroom, "gamma") == ["Fresh"]
    if newsroom.store.db.dialect == "sqlite":
        _assert_fts5_index_is_exact(newsroom)


def _assert_fts5_index_is_exact(room: Newsroom) -> None:
    """The live FTS5 index holds exactly what a rebuild from the revisions would."""
    with room.store.db.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')"
        )
        connection.exec_driver_sql(
            "CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, articles_fts, instance)"
        )
        live = connection.exec_driver_sql("SELECT * FROM temp.fts_terms").all()
        search.fts5_rebuild(connection)
        rebuilt = connection.exec_driver_sql("SELECT * FROM temp.fts_terms").all()
        connection.exec_driver_sql("DROP TABLE temp.fts_terms")
    assert live and sorted(live) == sorted(rebuilt)


def test_the_sqlite_index_keeps_no_copy_of_the_text(sqlite_newsroom, store_path):
    sqlite_newsroom.create_article("Unique headline", "A body of words " * 2000)
    with sqlite3.connect(store_path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "articles_fts_content" not in tables
    assert {"articles_fts", "articles_fts_entries"} <= tables


def test_iter_articles_streams_the_listing_order(newsroom):
    _fill(newsroom)
    for q in ("", "harbour", '"harbour drought"'):
        query = ArticleQuery(search=q)
        assert [a.id for a in newsroom.store.iter_articles(query)] == _ids(newsroom, q)


def _store_at_0002(location) -> None:
    """A store of schema 0002 with one article and its revision, as main wrote it."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(opening.MIGRATIONS))
    url = f"sqlite:///{location}" if not str(location).startswith("postgresql") else location
    engine = create_engine(str(url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002_newsroom_tables")
        connection.execute(
            text(
                "INSERT INTO articles (id, headline, standfirst, slug, slug_locked, byline, "
                "section, tags, dateline, status, priority, legal_hold, not_for_publication, "
                "word_count, source_name, version, created_at, updated_at, head_revision_id, "
                "search_rowid) VALUES ('a1', 'Harbour story', '', 'harbour-story', false, "
                "'Ana Ruiz', '', '[\"tidal\"]', '', 'draft', 0, false, false, 3, '', 1, "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00', 'r1', NULL)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO revisions (id, article_id, created_at, reason, body, metadata) "
                "VALUES ('r1', 'a1', '2026-01-01 00:00:00', 'create', 'The drought came.', "
                '\'{"headline": "Harbour story", "byline": "Ana Ruiz", '
                '"tags": ["tidal"], "standfirst": ""}\')'
            )
        )
    engine.dispose()


def test_the_migration_indexes_existing_articles(location):
    _store_at_0002(location)
    room = Newsroom.open(location)
    try:
        assert _headlines(room, '"the drought"') == ["Harbour story"]
        assert _headlines(room, "tidal ruiz harb") == ["Harbour story"]
        article = room.get_article("a1")
        room.save_article("a1", expected_version=article.version, body="Rain at last.")
        assert _headlines(room, "drought") == [] and _headlines(room, "rain") == ["Harbour story"]
        if room.store.db.dialect == "sqlite":
            _assert_fts5_index_is_exact(room)
    finally:
        room.close()


def test_the_command_line_prints_every_hit_in_ranking_order(newsroom, location, capsys):
    import json

    from editor.cli import main, summary_json

    made = _fill(newsroom)
    newsroom.delete_article(next(iter(made)))
    for q in ("harbour", "drought", "nothing-at-all"):
        capsys.readouterr()
        assert main(["--store", str(location), "list", "--search", q, "--json"]) == 0
        out = capsys.readouterr().out
        expected = newsroom.list_articles(ArticleQuery(search=q), limit=1000)
        lines = [json.dumps(summary_json(a), separators=(",", ":")) for a in expected]
        assert out == ("[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n")  # one a line
    assert main(["--store", str(location), "list", "--search", "harbour", "--deleted"]) == 0
    lines = capsys.readouterr().out.splitlines()
    every = newsroom.list_articles(ArticleQuery(search="harbour", include_deleted=True))
    assert len(lines) == len(every) == 6
    assert [line for line in lines if line.endswith("[deleted]")] == [
        line for line in lines if line.endswith("Harbour drought hits town  [deleted]")
    ]
    assert sum(line.endswith("[deleted]") for line in lines) == 1


def test_the_plan_for_many_hits_lists_the_same_rows(newsroom, monkeypatch):
    made = _fill(newsroom)
    queries = ["harbour", "drought", '"harbour drought"', "the", "okaf", "zzz", ""]
    few = {q: _ids(newsroom, q) for q in queries}
    monkeypatch.setattr(search, "_MANY_HITS", 1)  # every query now "has many hits"
    for q in queries:
        assert _ids(newsroom, q) == few[q] == _expected(newsroom, made, q)
        page = newsroom.list_articles(ArticleQuery(search=q), offset=1, limit=2)
        assert [a.id for a in page] == few[q][1:3]
