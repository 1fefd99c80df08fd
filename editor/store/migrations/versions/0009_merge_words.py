"""A merge revision has no words of its own: the sync receiver checks it (PostgreSQL).

0007's receiver took a merge revision in someone else's name (its first parent's author,
as a sync makes it) with its words on trust: "the desk cannot redo the three-way merge".
A reporter's client could so put any text on the desk in an editor's name, and even in
her own name a merge was the one revision whose text no rule looked at.

The rule now, for every merge revision (two parents) in anyone's name: **a merge carries
only its parents' words**. What `editor.core.merge` makes always does, so the desk can
check it without redoing the merge:

- every line of its body is a line of one of its two parents, or one of the marker lines
  a merge writes: a conflict's start, naming one parent's author and time ("**CONFLICT ▶
  Ed Editor's version (2026-12-02 10:42:00 UTC):**"), its end, "*(deleted this
  passage)*", or a field conflict naming the field, the two parents' authors and their
  two values exactly ("**CONFLICT ▶ headline changed on both sides: kept Ed Editor's
  “A”; Rita Reporter's was “B”.**");
- each metadata field (the status aside, which follows 0007's rule) holds one parent's
  value; the tags are tags of either parent.

A merge in someone else's name is moreover only as a sync makes it (0007: its first
parent is theirs and the second arrives in the same sync). Resolving a conflict is a
later save by a person, checked as their edit. What a merge in another's name can still
do is choose among its parents' lines, which is what a three-way merge does; it cannot
say a word its parents did not. A refused merge refuses the whole sync, as in 0007; the
app refuses the same article by article first (`editor.store.merge_words`).

`newsroom_merge_words(merge varchar)` answers the question (NULL when the merge carries
only its parents' words, else the first line or field that does not); the receiver is
0007's, with that check added where it checks a merge.

Revision ID: 0009_merge_words
Revises: 0008_import_notes_null
Create Date: 2026-12-02
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0009_merge_words"
down_revision = "0008_import_notes_null"
branch_labels = None
depends_on = None

#: Where 0007's receiver checks a merge's status; the words are checked just before.
_ANCHOR = "                IF status NOT IN (pstatus, qstatus, 'submitted') THEN\n"
_CHECK = """                IF newsroom_merge_words(r.id) IS NOT NULL THEN
                    PERFORM newsroom_sync_refuse(a.id, 'a merge in the name of '
                        || newsroom_user_name(r.author_id) || ' says what neither of its '
                        'parents says (' || left(newsroom_merge_words(r.id), 80) || ')');
                END IF;
"""


def _receiver_0007():
    path = Path(__file__).with_name("0007_sync_receiver.py")
    spec = importlib.util.spec_from_file_location("newsroom_0007_for_0009", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _receiver(s: str, path: str, *, checked: bool) -> str:
    sql = _receiver_0007()._receiver(s, path)
    assert sql.count(_ANCHOR) == 1, "0007's receiver is not what 0009 expects"
    if checked:
        sql = sql.replace(_ANCHOR, _CHECK + _ANCHOR)
    return sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def _functions(s: str, path: str) -> list[str]:
    return [
        # A value as a field-conflict line shows it (`editor.core.merge.shown_value`).
        f"""CREATE FUNCTION {s}.newsroom_shown(v jsonb) RETURNS text
            LANGUAGE sql IMMUTABLE {path} AS $$
            SELECT CASE
                WHEN v IS NULL OR v = 'null'::jsonb OR v = '""'::jsonb THEN '(empty)'
                WHEN jsonb_typeof(v) = 'array' THEN '“' || coalesce((
                    SELECT string_agg(t.x, ', ' ORDER BY t.n)
                    FROM jsonb_array_elements_text(v) WITH ORDINALITY AS t(x, n)), '') || '”'
                ELSE '“' || (v #>> '{{}}') || '”' END $$""",
        # The lines of a body, as the merge cuts and joins them.
        f"""CREATE FUNCTION {s}.newsroom_lines(body text) RETURNS text[]
            LANGUAGE sql IMMUTABLE {path} AS $$
            SELECT string_to_array(replace(coalesce(body, ''), E'\\r\\n', E'\\n'), E'\\n') $$""",
        f"""CREATE FUNCTION {s}.newsroom_merge_words(merge varchar) RETURNS text
            LANGUAGE plpgsql STABLE {path} AS $$
            DECLARE
                r revisions;
                p revisions;
                q revisions;
                rm jsonb;
                pm jsonb;
                qm jsonb;
                pname text;
                qname text;
                allowed text[];
                found text;
            BEGIN
                SELECT * INTO r FROM revisions WHERE id = merge;
                SELECT * INTO p FROM revisions WHERE id = r.parent_id;
                SELECT * INTO q FROM revisions WHERE id = r.second_parent_id;
                IF p.id IS NULL OR q.id IS NULL THEN
                    RETURN 'a parent it does not have';
                END IF;
                rm := coalesce(r.metadata::jsonb, '{{}}');
                pm := coalesce(p.metadata::jsonb, '{{}}');
                qm := coalesce(q.metadata::jsonb, '{{}}');
                pname := newsroom_user_name(p.author_id);
                qname := newsroom_user_name(q.author_id);
                allowed := newsroom_lines(p.body) || newsroom_lines(q.body) || ARRAY[
                    '', '*(deleted this passage)*',
                    '**CONFLICT ◀ end. Keep one version, then delete the marker lines.**',
                    '**CONFLICT ▶ ' || pname || '''s version ('
                        || to_char(p.created_at, 'YYYY-MM-DD HH24:MI:SS') || ' UTC):**',
                    '**CONFLICT ▶ ' || qname || '''s version ('
                        || to_char(q.created_at, 'YYYY-MM-DD HH24:MI:SS') || ' UTC):**'
                ] || ARRAY(
                    SELECT '**CONFLICT ▶ ' || k || ' changed on both sides: kept ' || pname
                        || '''s ' || newsroom_shown(pm->k) || '; ' || qname || '''s was '
                        || newsroom_shown(qm->k) || '.**'
                    FROM (SELECT jsonb_object_keys(pm) UNION SELECT jsonb_object_keys(qm)) AS f(k)
                    WHERE k NOT IN ('status', 'slug')
                );
                SELECT line INTO found FROM unnest(newsroom_lines(r.body)) AS l(line)
                WHERE NOT line = ANY(allowed) LIMIT 1;
                IF found IS NOT NULL THEN
                    RETURN found;
                END IF;
                SELECT e.key INTO found FROM jsonb_each(rm) e
                WHERE e.key <> 'status'
                AND e.value IS DISTINCT FROM coalesce(pm->e.key, 'null'::jsonb)
                AND e.value IS DISTINCT FROM coalesce(qm->e.key, 'null'::jsonb)
                AND NOT (e.key = 'tags' AND jsonb_typeof(e.value) = 'array' AND NOT EXISTS (
                    SELECT 1 FROM jsonb_array_elements(e.value) t(tag)
                    WHERE NOT (coalesce(pm->'tags', '[]') @> jsonb_build_array(t.tag)
                               OR coalesce(qm->'tags', '[]') @> jsonb_build_array(t.tag))))
                LIMIT 1;
                IF found IS NOT NULL THEN
                    RETURN 'its ' || found;
                END IF;
                RETURN NULL;
            END $$""",
    ]


def _schema(bind) -> str:
    name = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    return '"' + name.replace('"', '""') + '"'


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    s = _schema(bind)
    path = f"SET search_path = pg_catalog, {s}, pg_temp"
    for statement in [*_functions(s, path), _receiver(s, path, checked=True)]:
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    s = _schema(bind)
    path = f"SET search_path = pg_catalog, {s}, pg_temp"
    for statement in [
        _receiver(s, path, checked=False),
        f"DROP FUNCTION {s}.newsroom_merge_words(varchar)",
        f"DROP FUNCTION {s}.newsroom_lines(text)",
        f"DROP FUNCTION {s}.newsroom_shown(jsonb)",
    ]:
        bind.exec_driver_sql(statement)
