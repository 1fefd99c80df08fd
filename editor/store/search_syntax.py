"""The search syntax, and the SQL of FTS5 matches, with no SQLAlchemy: what both the
store's indexes (`editor.store.search`) and the command line's direct reads
(`editor.store.direct_reads`) build their queries from.

The syntax (`parse`), the same on every engine:

- words are prefix matches, and every word must match (AND): `harb coun` finds an
  article with "harbour" and "council";
- a double-quoted phrase matches those words next to each other, in that order, as
  whole words: `"harbour drought"`; an unclosed quote runs to the end of the query;
- a phrase matches inside one field: the headline, the standfirst, the body, or the
  credits (the byline followed by the tags);
- everything else is a separator: FTS operators (`OR`, `NEAR`, `*`, `^`, `column:`),
  SQL metacharacters and punctuation mean nothing; `OR` and `NEAR` are plain words.
  Case and accents do not matter (`Zürich` finds `zurich`). A query with no word in it
  does not filter at all.

A word is a run of letters and digits (`[^\\W_]+`): "e-mail" is two words, "covid19" one.

The FTS5 tables are named here, and the select of their hits written once
(`fts5_hits_sql`), for the ORM's statements and the direct reads alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+")
_PART = re.compile(r'"([^"]*)"?|([^"]+)')
#: A query with at least this many hits is "many" (`SearchIndex.has_many_hits`).
MANY_HITS = 2000


@dataclass(frozen=True, slots=True)
class Term:
    """One part of a query: a prefix word, or a phrase of whole words."""

    words: tuple[str, ...]
    phrase: bool


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A parsed query: every term must match. Empty when the text had no word in it."""

    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)


def fold(value: str) -> str:
    """Lower case without accents: what the indexes compare."""
    if value.isascii():
        return value.lower()
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(value: str) -> list[str]:
    """The folded words of a text, as both indexes see them."""
    return _WORD.findall(fold(value))


def parse(query: str) -> SearchQuery:
    """The terms of a search box's text; never raises (see the module's syntax)."""
    terms: list[Term] = []
    for match in _PART.finditer(query or ""):
        quoted, bare = match.groups()
        if quoted is not None:
            found = tuple(words(quoted))
            if found:
                terms.append(Term(found, phrase=True))
        elif bare:
            terms.extend(Term((word,), phrase=False) for word in words(bare))
    return SearchQuery(tuple(dict.fromkeys(terms)))


# -- SQLite's FTS5 -------------------------------------------------------------

#: The full-text index of every field (headline, standfirst, body, credits).
FTS5_TABLE = "articles_fts"
#: The index of the headlines alone, for the ranking rule (headline matches first).
FTS5_HEADLINE_TABLE = "articles_fts_headline"


def fts5_expression(query: SearchQuery) -> str:
    """The FTS5 MATCH text of a parsed query: quoted tokens only, so never a syntax error."""
    parts = []
    for term in query.terms:
        quoted = '"' + " ".join(term.words) + '"'
        parts.append(quoted if term.phrase else quoted + "*")
    return " AND ".join(parts)


def fts5_hits_sql(table: str, parameter: str = "match") -> str:
    """The rowids (`articles.search_rowid`) of `table`'s entries that match the FTS5
    expression bound as `:parameter` (`fts5_expression`)."""
    return f"SELECT rowid FROM {table} WHERE {table} MATCH :{parameter}"


def fts5_count_sql(table: str, parameter: str = "match", limit: int = MANY_HITS) -> str:
    """How many entries of `table` match `:parameter`, counted up to `limit` (a count
    that reaches it means "many": walk the list's order, do not sort the hits)."""
    return f"SELECT count(*) FROM ({fts5_hits_sql(table, parameter)} LIMIT {int(limit)})"
