"""Sync into a shared desk under a person's own login: the receiver, checked row by row.

A laptop syncing with the shared PostgreSQL desk connects with its reporter's (or
editor's) own login, and 0004's row-level security and triggers hold for that login. A
sync, though, carries rows that the login could not write one by one: the merge revision
a sync makes (in the name of the newer side's author), a new article that is already
submitted, a status and the text that led to it in one go. So the desk receives a sync
through one function, `newsroom_sync_receive(payload jsonb)`, SECURITY DEFINER (it runs
with the tables' owner's rights, which row-level security does not hold), and checks
every incoming row as if it were made there by the session's login:

- rows are in one's own name: a new article's creator, a revision's author, an event's
  actor, a comment's author, an asset's creator, a word's adder, a resolution's resolver
  are the session's user; the only exception is what a sync itself makes, a merge
  revision (in the name of its first parent's author, as `editor.store.sync` makes it,
  with its second parent arriving in the same sync) and the merge event on it. The
  desk cannot redo the three-way merge, so the words of a merge in another's name are
  taken on that rule; its status and a review are checked (below). Rows the desk
  already has are not sent (the sync sends only what the desk lacks); people are added
  by an admin, never by a sync;
- each new revision follows the workflow from its parent (`newsroom_action`): a
  transition leads where the state machine says, by a role allowed to make it, changes
  no text unless it is a correction; an approval covers no text its approver wrote on
  either branch since the last approval (`newsroom_wrote_text`, below); publishing
  respects the flags; a save keeps the status and edits only where the author may edit;
  a merge keeps a status one of its parents had (or goes back to submitted), and keeps an
  approved or published status only with the text that was approved or published;
- each article's row follows its head: a status changes only with a new head revision
  of that status that descends from the old head; flags are the desk's; deleting and
  restoring follow `decide_delete`; who created it, and when, never changes;
- an article changed on the desk since the sync read it (its `version`) refuses the whole
  sync (SQLSTATE 40001), and the sync is simply run again.

Any refusal raises (SQLSTATE 42501, a message naming the article and the reason) and
the whole transaction is rolled back: nothing is half-applied. Why a function in the
database and not a privileged receiver (a service with the owner's login that laptops
would talk to): the desk is a PostgreSQL server that laptops reach directly; a receiver
process would be a second server to run and secure, and a laptop holding a privileged
login would be no check at all. The function is the one narrow door the owner opens,
and it is inside the database, so `psql` users meet the same checks. The app's own
rights check (`editor.services.syncing.check_incoming`) refuses the same things first,
article by article, so a normal sync reports a refused article and syncs the rest; the
function is the backstop for any other client.

How the 0004 triggers let the receiver's writes through: `newsroom_privileged()` now
also answers true while the current user is the tables' owner but the session's login
is not, which only happens inside a SECURITY DEFINER function of the owner (no other
function of the owner writes). It becomes SECURITY INVOKER to see that (it read only
catalogs everyone can read). The deferred `newsroom_step_logged` trigger is made again
with `NOT newsroom_privileged()` in its WHEN, evaluated as the row changes (inside the
receiver), so the commit-time check does not ask the receiver's rows for an event in
the session's name.

Also here: `newsroom_wrote_text`, the "nobody approves their own text" walk of 0004,
followed only the first parent; a sync's merge has two, and the app
(`editor.core.lineage`) walks both. It is now a recursive query over `parent_id` and
`second_parent_id`, stopping at approvals, like `lineage.since_approval`.

And `sync_peers`, on both engines: per peer store, the state of each article that the
last sync left equal on both sides (article version, head, counts of events and
comments on each side), so a sync with nothing to do skips the articles neither side
touched without loading their history (see `editor.store.sync`).

Revision ID: 0007_sync_receiver
Revises: 0006_presence
Create Date: 2026-12-02
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0007_sync_receiver"
down_revision = "0006_presence"
branch_labels = None
depends_on = None

GROUPS = ("newsroom_reporter", "newsroom_editor", "newsroom_admin")
_PUBLIC = "('published', 'corrected')"
_TRANSITIONS = "('submit', 'return', 'approve', 'publish', 'spike', 'reopen', 'correct')"
_DESK_ACTIONS = (
    "('return', 'approve', 'publish', 'spike', 'reopen', 'correct', 'flags', 'override')"
)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rights_0004():
    """Migration 0004's module (its SQL, to put its functions back on downgrade)."""
    path = Path(__file__).with_name("0004_rights.py")
    spec = importlib.util.spec_from_file_location("newsroom_rights_0004", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _privileged(s: str, path: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION {s}.newsroom_privileged() RETURNS boolean
        LANGUAGE sql STABLE SECURITY INVOKER {path} AS
        $$ SELECT coalesce((
               SELECT r.rolsuper OR r.rolbypassrls
                      OR pg_has_role(session_user, c.relowner, 'USAGE')
                      OR (current_user <> session_user
                          AND pg_has_role(current_user, c.relowner, 'USAGE'))
               FROM pg_roles r, pg_class c
               WHERE r.rolname = session_user AND c.oid = '{s}.articles'::regclass
           ), false) $$"""


def _wrote_text(s: str, path: str) -> str:
    # Both parents, back to the last approval (not included: what it covered stays
    # covered); UNION keeps each revision once, so a damaged cyclic history ends.
    return f"""CREATE OR REPLACE FUNCTION {s}.newsroom_wrote_text(article varchar,
                                                           head varchar, who varchar)
        RETURNS boolean LANGUAGE sql STABLE {path} AS $$
        WITH RECURSIVE walk(id) AS (
            SELECT r.id FROM revisions r
            WHERE r.id = head AND r.article_id = article AND r.reason <> 'approve'
          UNION
            SELECT p.id FROM walk w
            JOIN revisions c ON c.id = w.id
            JOIN revisions p ON p.id = c.parent_id OR p.id = c.second_parent_id
            WHERE p.article_id = article AND p.reason <> 'approve'
        )
        SELECT EXISTS (
            SELECT 1 FROM walk w JOIN revisions r ON r.id = w.id
            WHERE r.author_id = who AND NOT newsroom_pure_transition(r.id)
        ) $$"""


def _step_logged_trigger(s: str, when_extra: str) -> list[str]:
    content = _rights_0004()
    old, new = content._CONTENT_OLD, content._CONTENT_NEW
    return [
        f"DROP TRIGGER IF EXISTS newsroom_step_logged ON {s}.articles",
        f"""CREATE CONSTRAINT TRIGGER newsroom_step_logged AFTER UPDATE ON {s}.articles
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
            WHEN ((OLD.status IS DISTINCT FROM NEW.status OR (NEW.status = 'corrected' AND (
                  OLD.head_revision_id IS DISTINCT FROM NEW.head_revision_id
                  OR ROW({old}) IS DISTINCT FROM ROW({new})))){when_extra})
            EXECUTE FUNCTION {s}.newsroom_step_logged()""",
    ]


def _helpers(s: str, path: str) -> list[str]:
    return [
        # "Not synced: “Headline”: why." in one place, with the words a person reads.
        f"""CREATE FUNCTION {s}.newsroom_sync_refuse(article varchar, why text)
            RETURNS void LANGUAGE plpgsql {path} AS $$
            DECLARE
                title text;
            BEGIN
                SELECT headline INTO title FROM articles WHERE id = article;
                RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                    MESSAGE = 'The desk refused the sync: “' || coalesce(nullif(title, ''),
                        'Untitled') || '”: ' || why || '. Nothing was synced.';
            END $$""",
        f"""CREATE FUNCTION {s}.newsroom_user_name(who varchar) RETURNS text
            LANGUAGE sql STABLE {path} AS
            $$ SELECT coalesce((SELECT name FROM users WHERE id = who), 'someone') $$""",
        # The columns a JSON row names, and what to select for each from
        # jsonb_populate_record: a JSON null in a json column stays JSON null, as the app
        # (SQLAlchemy's JSON type) writes None there, not SQL NULL.
        f"""CREATE FUNCTION {s}.newsroom_sync_columns(tbl text, item jsonb)
            RETURNS text[] LANGUAGE sql STABLE {path} AS $$
            SELECT ARRAY[string_agg(quote_ident(a.attname), ', '),
                         string_agg(CASE WHEN a.atttypid IN ('json'::regtype, 'jsonb'::regtype)
                             THEN 'coalesce(' || quote_ident(a.attname) || ', ''null''::'
                                  || a.atttypid::regtype::text || ')'
                             ELSE quote_ident(a.attname) END, ', ')]
            FROM jsonb_object_keys(item) k
            JOIN pg_attribute a ON a.attrelid = tbl::regclass AND a.attname = k
                                AND a.attnum > 0 AND NOT a.attisdropped $$""",
        # One row from JSON, only the columns it names (the others keep their defaults).
        # (No format(): the driver reads its percent signs as placeholders.)
        f"""CREATE FUNCTION {s}.newsroom_sync_insert(tbl text, item jsonb)
            RETURNS void LANGUAGE plpgsql {path} AS $$
            DECLARE
                cols text[] := newsroom_sync_columns(tbl, item);
            BEGIN
                EXECUTE 'INSERT INTO ' || quote_ident(tbl) || ' (' || cols[1] || ') SELECT '
                    || cols[2] || ' FROM jsonb_populate_record(NULL::' || quote_ident(tbl)
                    || ', $1)' USING item;
            END $$""",
        # Whether `ancestor` is `head` or one of its ancestors (both parents).
        f"""CREATE FUNCTION {s}.newsroom_descends(head varchar, ancestor varchar)
            RETURNS boolean LANGUAGE sql STABLE {path} AS $$
            WITH RECURSIVE walk(id) AS (
                SELECT head
              UNION
                SELECT p.id FROM walk w JOIN revisions c ON c.id = w.id
                CROSS JOIN LATERAL unnest(ARRAY[c.parent_id, c.second_parent_id]) AS p(id)
                WHERE p.id IS NOT NULL
            )
            SELECT ancestor IS NULL OR EXISTS (SELECT 1 FROM walk WHERE id = ancestor) $$""",
    ]


def _receiver(s: str, path: str) -> str:
    return f"""CREATE FUNCTION {s}.newsroom_sync_receive(payload jsonb) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
    DECLARE
        who varchar := newsroom_user_id();
        desk boolean := newsroom_is_desk();
        written integer := 0;
        olds jsonb := '{{}}';
        article_ids varchar[] := '{{}}';
        new_ids varchar[] := '{{}}';
        rev_ids varchar[] := '{{}}';
        item jsonb;
        cols text[];
        a articles;
        o articles;
        r revisions;
        p revisions;
        q revisions;
        e events;
        c comments;
        oc comments;
        x assets;
        ox assets;
        w dictionary_words;
        status varchar;
        pstatus varchar;
        qstatus varchar;
        same boolean;
        owner boolean;
        content_changed boolean;
    BEGIN
        IF who IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                MESSAGE = 'The database login ' || session_user || ' is not a user of this '
                    'newsroom: nothing was synced.';
        END IF;
        IF jsonb_array_length(coalesce(payload->'users', '[]')) > 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                MESSAGE = 'People are added to the desk by an admin, not by a sync: '
                    'nothing was synced.';
        END IF;

        -- The articles to update, as the desk has them now (locked), version checked.
        FOR item IN SELECT * FROM jsonb_array_elements(coalesce(payload->'updated_articles',
                                                                '[]')) LOOP
            SELECT * INTO o FROM articles WHERE id = item->>'id' FOR UPDATE;
            IF NOT FOUND OR o.version <> (item->>'_version')::integer THEN
                RAISE EXCEPTION USING ERRCODE = 'serialization_failure',
                    MESSAGE = 'An article on the desk changed while the sync ran; nothing '
                        'was synced. Run the sync again.';
            END IF;
            olds := olds || jsonb_build_object(o.id, to_jsonb(o));
            article_ids := article_ids || o.id;
            IF item ? 'slug' THEN  -- out of the way first: slugs may swap between articles
                UPDATE articles SET slug = '~sync-' || o.id WHERE id = o.id;
            END IF;
        END LOOP;

        FOR item IN SELECT * FROM jsonb_array_elements(coalesce(payload->'new_articles',
                                                                '[]')) LOOP
            item := item || '{{"version": 1, "search_rowid": null}}';
            a := jsonb_populate_record(NULL::articles, item);
            IF a.created_by IS DISTINCT FROM who THEN
                RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                    MESSAGE = 'The desk refused the sync: “' || coalesce(a.headline, '')
                        || '” was created by ' || newsroom_user_name(a.created_by)
                        || ', who sends it with their own login. Nothing was synced.';
            END IF;
            PERFORM newsroom_sync_insert('articles', item);
            new_ids := new_ids || a.id;
            article_ids := article_ids || a.id;
            written := written + 1;
        END LOOP;

        -- Revisions in the order given (parents first: the foreign keys need it).
        FOR item IN SELECT * FROM jsonb_array_elements(coalesce(payload->'revisions', '[]'))
        LOOP
            item := item || '{{"session_id": null}}';
            r := jsonb_populate_record(NULL::revisions, item);
            PERFORM newsroom_sync_insert('revisions', item);
            rev_ids := rev_ids || r.id;
            written := written + 1;
        END LOOP;

        FOR item IN SELECT * FROM jsonb_array_elements(coalesce(payload->'updated_articles',
                                                                '[]')) LOOP
            cols := newsroom_sync_columns('articles',
                item - 'id' - '_version' - 'version' - 'search_rowid');
            IF cols[1] IS NULL THEN
                CONTINUE;
            END IF;
            EXECUTE 'UPDATE articles SET (' || cols[1] || ', version) = (SELECT ' || cols[2]
                    || ', $3 FROM jsonb_populate_record(NULL::articles, $1)) WHERE id = $2'
                USING item, item->>'id', (item->>'_version')::integer + 1;
            written := written + 1;
        END LOOP;

        -- Each new revision, as if made here by its author.
        FOR r IN SELECT v.* FROM revisions v WHERE v.id = ANY(rev_ids)
                 ORDER BY array_position(rev_ids, v.id) LOOP
            SELECT * INTO a FROM articles WHERE id = r.article_id;
            status := coalesce(r.metadata::jsonb->>'status', 'draft');
            IF r.parent_id IS NULL THEN
                IF r.author_id IS DISTINCT FROM who THEN
                    PERFORM newsroom_sync_refuse(a.id, 'a revision by '
                        || newsroom_user_name(r.author_id) || ' arrived under the login of '
                        || newsroom_user_name(who) || ': each person sends their own work');
                END IF;
                IF status <> 'draft' THEN
                    PERFORM newsroom_sync_refuse(a.id, 'it arrived created as ' || status
                        || ', not as a draft');
                END IF;
                CONTINUE;
            END IF;
            SELECT * INTO p FROM revisions WHERE id = r.parent_id;
            pstatus := coalesce(p.metadata::jsonb->>'status', 'draft');
            IF p.article_id <> r.article_id THEN
                PERFORM newsroom_sync_refuse(a.id, 'its history names another article''s');
            END IF;
            IF r.second_parent_id IS NOT NULL THEN
                -- A merge a sync made: no new status, no new text under a review.
                SELECT * INTO q FROM revisions WHERE id = r.second_parent_id;
                qstatus := coalesce(q.metadata::jsonb->>'status', 'draft');
                IF q.article_id <> r.article_id THEN
                    PERFORM newsroom_sync_refuse(a.id, 'its history names another article''s');
                END IF;
                -- In another's name only as a sync makes it: theirs is the newer head (the
                -- first parent) and the branch merged in (the second) arrives with it.
                IF r.author_id IS DISTINCT FROM who AND NOT (
                    r.author_id IS NOT DISTINCT FROM p.author_id AND q.id = ANY(rev_ids)
                ) THEN
                    PERFORM newsroom_sync_refuse(a.id, 'a merge in the name of '
                        || newsroom_user_name(r.author_id) || ' that no sync of '
                        || newsroom_user_name(who) || ' would make');
                END IF;
                IF status NOT IN (pstatus, qstatus, 'submitted') THEN
                    PERFORM newsroom_sync_refuse(a.id, 'a merge moved it to ' || status);
                END IF;
                IF (status = 'approved' OR status IN {_PUBLIC}) AND NOT EXISTS (
                    SELECT 1 FROM revisions m WHERE m.id IN (p.id, q.id)
                    AND coalesce(m.metadata::jsonb->>'status', 'draft') = status
                    AND m.body = r.body
                    AND (m.metadata::jsonb - 'status') = (r.metadata::jsonb - 'status')
                ) THEN
                    PERFORM newsroom_sync_refuse(a.id, 'a merge kept it ' || status
                        || ' with text nobody reviewed');
                END IF;
                CONTINUE;
            END IF;
            IF r.author_id IS DISTINCT FROM who THEN
                PERFORM newsroom_sync_refuse(a.id, 'a revision by '
                    || newsroom_user_name(r.author_id) || ' arrived under the login of '
                    || newsroom_user_name(who) || ': each person sends their own work');
            END IF;
            same := r.body = p.body
                AND (r.metadata::jsonb - 'status') = (p.metadata::jsonb - 'status');
            owner := a.created_by = who OR (a.created_by IS NULL AND desk);
            IF r.reason IN {_TRANSITIONS} THEN
                IF newsroom_action(pstatus, status) IS DISTINCT FROM r.reason THEN
                    PERFORM newsroom_sync_refuse(a.id, 'a ' || r.reason || ' cannot lead from '
                        || pstatus || ' to ' || status);
                END IF;
                IF NOT same AND r.reason <> 'correct' THEN
                    PERFORM newsroom_sync_refuse(a.id, 'a ' || r.reason || ' changed the text '
                        '(only a correction may)');
                END IF;
                IF r.reason = 'submit' THEN
                    IF NOT owner AND NOT desk THEN
                        PERFORM newsroom_sync_refuse(a.id, 'only its author can submit it');
                    END IF;
                ELSIF NOT desk THEN
                    PERFORM newsroom_sync_refuse(a.id, newsroom_user_name(who)
                        || ' is not an editor here, and only an editor can ' || r.reason);
                END IF;
                IF r.reason = 'approve'
                   AND newsroom_wrote_text(r.article_id, r.parent_id, who) THEN
                    PERFORM newsroom_sync_refuse(a.id, newsroom_user_name(who)
                        || ' wrote some of this text since it was last approved: another '
                        'editor must approve');
                END IF;
                IF r.reason = 'publish' THEN
                    IF a.legal_hold THEN
                        PERFORM newsroom_sync_refuse(a.id, 'it is on legal hold');
                    END IF;
                    IF a.not_for_publication THEN
                        PERFORM newsroom_sync_refuse(a.id, 'it is marked not for publication');
                    END IF;
                    IF a.embargo_until > r.created_at THEN
                        PERFORM newsroom_sync_refuse(a.id, 'it was published before its embargo');
                    END IF;
                END IF;
                CONTINUE;
            END IF;
            IF status <> pstatus THEN
                PERFORM newsroom_sync_refuse(a.id, 'a ' || r.reason || ' changed the status to '
                    || status);
            END IF;
            IF NOT same AND NOT newsroom_may_edit(pstatus, a.created_by) THEN
                PERFORM newsroom_sync_refuse(a.id, newsroom_user_name(who)
                    || '''s edit of a ' || replace(pstatus, '_', ' ')
                    || ' article is not theirs to make');
            END IF;
        END LOOP;

        -- Each article's row follows its head, as the rules of 0004 say.
        FOR a IN SELECT * FROM articles WHERE id = ANY(article_ids) LOOP
            IF a.head_revision_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM revisions v WHERE v.id = a.head_revision_id
                AND v.article_id = a.id
            ) THEN
                PERFORM newsroom_sync_refuse(a.id, 'its head is not one of its revisions');
            END IF;
            IF a.id = ANY(new_ids) THEN
                o := NULL;
                IF NOT desk AND (a.legal_hold OR a.not_for_publication
                                 OR a.embargo_until IS NOT NULL) THEN
                    PERFORM newsroom_sync_refuse(a.id, 'only an editor sets flags');
                END IF;
                IF a.published_at IS NOT NULL AND NOT a.status IN {_PUBLIC} THEN
                    PERFORM newsroom_sync_refuse(a.id, 'only publishing sets the publication '
                        'time');
                END IF;
                IF a.deleted_at IS NOT NULL AND NOT desk AND a.status <> 'draft' THEN
                    PERFORM newsroom_sync_refuse(a.id, 'a reporter deletes only their own '
                        'drafts');
                END IF;
            ELSE
                o := jsonb_populate_record(NULL::articles, olds->a.id);
                IF a.created_by IS DISTINCT FROM o.created_by
                   OR a.created_at IS DISTINCT FROM o.created_at THEN
                    PERFORM newsroom_sync_refuse(a.id, 'who created an article, and when, '
                        'never changes');
                END IF;
                IF NOT desk AND ROW(a.legal_hold, a.not_for_publication, a.embargo_until)
                   IS DISTINCT FROM ROW(o.legal_hold, o.not_for_publication, o.embargo_until)
                THEN
                    PERFORM newsroom_sync_refuse(a.id, 'only an editor sets flags');
                END IF;
                IF a.published_at IS DISTINCT FROM o.published_at
                   AND NOT (a.status IN {_PUBLIC} AND (desk OR a.published_at < o.published_at))
                THEN
                    PERFORM newsroom_sync_refuse(a.id, 'only publishing sets the publication '
                        'time');
                END IF;
                IF a.deleted_at IS DISTINCT FROM o.deleted_at THEN
                    IF o.status IN {_PUBLIC} AND NOT (a.deleted_at IS NULL AND desk) THEN
                        PERFORM newsroom_sync_refuse(a.id, 'a published article is never '
                            'deleted');
                    END IF;
                    IF NOT desk AND (o.status <> 'draft' OR o.created_by IS DISTINCT FROM who)
                    THEN
                        PERFORM newsroom_sync_refuse(a.id, 'a reporter deletes or restores '
                            'only their own drafts');
                    END IF;
                END IF;
                content_changed := ROW(a.headline, a.standfirst, a.byline, a.section,
                    a.tags::jsonb, a.dateline, a.story_date, a.priority, a.length_target,
                    a.source_name, a.featured_asset_id)
                    IS DISTINCT FROM ROW(o.headline, o.standfirst, o.byline, o.section,
                    o.tags::jsonb, o.dateline, o.story_date, o.priority, o.length_target,
                    o.source_name, o.featured_asset_id);
                IF a.head_revision_id IS NOT DISTINCT FROM o.head_revision_id THEN
                    IF a.status <> o.status THEN
                        PERFORM newsroom_sync_refuse(a.id, 'its status changed without the '
                            'revision that changes it');
                    END IF;
                    IF content_changed AND NOT newsroom_may_edit(o.status, o.created_by) THEN
                        PERFORM newsroom_sync_refuse(a.id, 'its text changed where '
                            || newsroom_user_name(who) || ' may not edit it');
                    END IF;
                    IF a.slug <> o.slug AND a.slug <> o.slug || '-' || left(a.id, 6)
                       AND NOT newsroom_may_edit(o.status, o.created_by) THEN
                        PERFORM newsroom_sync_refuse(a.id, 'its slug changed where '
                            || newsroom_user_name(who) || ' may not edit it');
                    END IF;
                    CONTINUE;
                END IF;
                IF NOT a.head_revision_id = ANY(rev_ids)
                   OR NOT newsroom_descends(a.head_revision_id, o.head_revision_id) THEN
                    PERFORM newsroom_sync_refuse(a.id, 'its head moved to a revision that '
                        'does not follow the one the desk has');
                END IF;
            END IF;
            SELECT v.* INTO r FROM revisions v WHERE v.id = a.head_revision_id;
            IF a.status IS DISTINCT FROM coalesce(r.metadata::jsonb->>'status', 'draft') THEN
                PERFORM newsroom_sync_refuse(a.id, 'its status is not its head revision''s');
            END IF;
            -- The words on the list are the head's (the rest of the text is in it).
            IF r.id IS NOT NULL AND EXISTS (
                SELECT 1 FROM jsonb_each_text(r.metadata::jsonb) m
                WHERE m.key IN ('headline', 'standfirst', 'byline', 'section', 'dateline')
                AND m.value IS DISTINCT FROM CASE m.key
                    WHEN 'headline' THEN a.headline WHEN 'standfirst' THEN a.standfirst
                    WHEN 'byline' THEN a.byline WHEN 'section' THEN a.section
                    ELSE a.dateline END
            ) THEN
                PERFORM newsroom_sync_refuse(a.id, 'its headline or details are not its head '
                    'revision''s');
            END IF;
        END LOOP;

        FOR item IN SELECT * FROM jsonb_array_elements(coalesce(payload->'events', '[]')) LOOP
            e := jsonb_populate_record(NULL::events, item);
            IF e.actor_id IS DISTINCT FROM who AND NOT (
                e.action = 'merge' AND e.revision_id = ANY(rev_ids)
                AND e.actor_id IS NOT DISTINCT FROM (
                    SELECT author_id FROM revisions WHERE id = e.revision_id
                    AND second_parent_id IS NOT NULL)
            ) THEN
                PERFORM newsroom_sync_refuse(e.article_id, 'an event of '
                    || newsroom_user_name(e.actor_id) || ' (' || e.action || ') arrived under '
                    'the login of ' || newsroom_user_name(who));
            END IF;
            IF e.action IN {_DESK_ACTIONS} AND e.actor_id = who AND NOT desk THEN
                PERFORM newsroom_sync_refuse(e.article_id, 'only an editor can log '
                    || e.action);
            END IF;
            IF e.action IN {_TRANSITIONS} AND e.revision_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM revisions v WHERE v.id = e.revision_id
                AND v.article_id = e.article_id
                AND coalesce(v.metadata::jsonb->>'status', 'draft')
                    IS NOT DISTINCT FROM e.to_status
            ) THEN
                PERFORM newsroom_sync_refuse(e.article_id, 'its ' || e.action || ' event names '
                    'a revision of another status');
            END IF;
            IF e.action IN ('return', 'correct') AND btrim(coalesce(e.note, '')) = '' THEN
                PERFORM newsroom_sync_refuse(e.article_id, 'a ' || e.action || ' needs a note');
            END IF;
            IF e.action IN ('delete', 'restore') THEN
                SELECT * INTO a FROM articles WHERE id = e.article_id;
                IF coalesce(e.from_status, 'draft') IN {_PUBLIC}
                   AND NOT (e.action = 'restore' AND desk) THEN
                    PERFORM newsroom_sync_refuse(e.article_id, 'a published article is never '
                        'deleted');
                END IF;
                IF NOT desk AND (coalesce(e.from_status, 'draft') <> 'draft'
                                 OR a.created_by IS DISTINCT FROM who) THEN
                    PERFORM newsroom_sync_refuse(e.article_id, 'a reporter deletes or restores '
                        'only their own drafts');
                END IF;
            END IF;
            PERFORM newsroom_sync_insert('events', item);
            written := written + 1;
        END LOOP;

        FOR item IN SELECT * FROM jsonb_array_elements(coalesce(payload->'comments', '[]')) LOOP
            c := jsonb_populate_record(NULL::comments, item);
            IF c.author_id IS DISTINCT FROM who
               OR (c.resolved_by IS NOT NULL AND c.resolved_by IS DISTINCT FROM who) THEN
                PERFORM newsroom_sync_refuse(c.article_id, 'a comment by '
                    || newsroom_user_name(coalesce(c.resolved_by, c.author_id))
                    || ' arrived under the login of ' || newsroom_user_name(who));
            END IF;
            PERFORM newsroom_sync_insert('comments', item);
            written := written + 1;
        END LOOP;
        FOR item IN SELECT * FROM jsonb_array_elements(coalesce(payload->'comment_updates',
                                                                '[]')) LOOP
            SELECT * INTO oc FROM comments WHERE id = item->>'id';
            c := jsonb_populate_record(oc, item);
            IF c.resolved_by IS DISTINCT FROM who
               OR (oc.resolved_at IS NOT NULL AND c.resolved_at IS NULL) THEN
                PERFORM newsroom_sync_refuse(oc.article_id, 'a comment''s resolution by '
                    || newsroom_user_name(c.resolved_by) || ' arrived under the login of '
                    || newsroom_user_name(who));
            END IF;
            UPDATE comments SET resolved_at = c.resolved_at, resolved_by = c.resolved_by
            WHERE id = oc.id;
            written := written + 1;
        END LOOP;

        FOR item IN SELECT * FROM jsonb_array_elements(coalesce(payload->'assets', '[]')) LOOP
            x := jsonb_populate_record(NULL::assets, item);
            IF x.created_by IS DISTINCT FROM who THEN
                PERFORM newsroom_sync_refuse(x.article_id, 'an image added by '
                    || newsroom_user_name(x.created_by) || ' arrived under the login of '
                    || newsroom_user_name(who));
            END IF;
            PERFORM newsroom_sync_insert('assets', item);
            written := written + 1;
        END LOOP;
        FOR item IN SELECT * FROM jsonb_array_elements(coalesce(payload->'asset_updates',
                                                                '[]')) LOOP
            SELECT * INTO ox FROM assets WHERE id = item->>'id';
            IF ox.created_by IS DISTINCT FROM who AND NOT desk THEN
                PERFORM newsroom_sync_refuse(ox.article_id, 'the words of an image added by '
                    || newsroom_user_name(ox.created_by) || ' are theirs or the desk''s');
            END IF;
            x := jsonb_populate_record(ox, item);
            UPDATE assets SET alt = x.alt, caption = x.caption, credit = x.credit
            WHERE id = ox.id;
            written := written + 1;
        END LOOP;

        FOR item IN SELECT * FROM jsonb_array_elements(coalesce(payload->'words', '[]')) LOOP
            w := jsonb_populate_record(NULL::dictionary_words, item);
            IF w.added_by IS DISTINCT FROM who THEN
                RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                    MESSAGE = 'The desk refused the sync: the word “' || w.word
                        || '” was added by ' || newsroom_user_name(w.added_by)
                        || '. Nothing was synced.';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM dictionary_words d WHERE lower(d.word) = lower(w.word))
            THEN
                PERFORM newsroom_sync_insert('dictionary_words', item);
                written := written + 1;
            END IF;
        END LOOP;

        -- The search index of the articles written here (the texts folded by the app).
        FOR item IN SELECT * FROM jsonb_array_elements(coalesce(payload->'index', '[]')) LOOP
            CONTINUE WHEN NOT (item->>'id') = ANY(article_ids);
            UPDATE articles SET
                search_vector = setweight(to_tsvector('simple', item->>'headline'), 'A')
                    || setweight(to_tsvector('simple', item->>'standfirst'), 'B')
                    || setweight(to_tsvector('simple', item->>'body'), 'C')
                    || setweight(to_tsvector('simple', item->>'credits'), 'D'),
                search_headline = to_tsvector('simple', item->>'headline')
            WHERE id = item->>'id';
        END LOOP;
        RETURN written;
    END $$"""


def _peers_table() -> None:
    op.create_table(
        "sync_peers",
        sa.Column("peer", sa.String(64), primary_key=True),
        sa.Column("article_id", sa.String(36), primary_key=True),
        sa.Column("fingerprint", sa.Text, nullable=False),
    )


def upgrade() -> None:
    bind = op.get_bind()
    _peers_table()
    if bind.dialect.name != "postgresql":
        return
    s = _quote(bind.execute(sa.text("SELECT current_schema()")).scalar_one())
    path = f"SET search_path = pg_catalog, {s}, pg_temp"
    everyone = ", ".join(GROUPS)
    statements = [
        _privileged(s, path),
        _wrote_text(s, path),
        *_step_logged_trigger(s, " AND NOT newsroom_privileged()"),
        *_helpers(s, path),
        _receiver(s, path),
        f"REVOKE ALL ON FUNCTION {s}.newsroom_sync_receive(jsonb) FROM PUBLIC",
        f"REVOKE ALL ON FUNCTION {s}.newsroom_sync_insert(text, jsonb) FROM PUBLIC",
        f"REVOKE ALL ON FUNCTION {s}.newsroom_sync_columns(text, jsonb) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {s}.newsroom_sync_receive(jsonb) TO {everyone}",
        # Each laptop keeps its own watermarks; on the desk the table is read-only to people.
        f"GRANT SELECT ON {s}.sync_peers TO {everyone}",
    ]
    for statement in statements:
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_table("sync_peers")
    if bind.dialect.name != "postgresql":
        return
    s = _quote(bind.execute(sa.text("SELECT current_schema()")).scalar_one())
    rights = _rights_0004()
    originals = [
        f.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
        for f in rights._functions(s)
        if "newsroom_privileged()" in f.split("RETURNS")[0]
        or "newsroom_wrote_text(" in f.split("RETURNS")[0]
    ]
    for statement in [
        f"DROP FUNCTION {s}.newsroom_sync_receive(jsonb)",
        f"DROP FUNCTION {s}.newsroom_descends(varchar, varchar)",
        f"DROP FUNCTION {s}.newsroom_sync_insert(text, jsonb)",
        f"DROP FUNCTION {s}.newsroom_sync_columns(text, jsonb)",
        f"DROP FUNCTION {s}.newsroom_user_name(varchar)",
        f"DROP FUNCTION {s}.newsroom_sync_refuse(varchar, text)",
        *_step_logged_trigger(s, ""),
        *originals,
    ]:
        bind.exec_driver_sql(statement)
