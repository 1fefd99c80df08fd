"""Rights in the database (PostgreSQL): group roles, grants, row-level security, triggers.

On a shared PostgreSQL store the workflow of DESIGN.md holds for a person with `psql`
too, not only for the app. Each person connects with their own login; the table
`newsroom_logins` maps a login to a newsroom user, and `newsroom_user_id()` answers
who the session is (`session_user`, which a person cannot change). Three group roles
(`newsroom_reporter`, `newsroom_editor`, `newsroom_admin`, created if missing: roles
belong to the whole server, several stores may share them) carry the grants:

- everyone reads every table; nobody but an admin writes `users` or `newsroom_logins`;
- `events` take INSERT only, `revisions` INSERT and an UPDATE of body, metadata and
  time that a trigger allows only for the coalescing of one session's autosave at the
  head (the store's autosave rule); triggers refuse every other UPDATE, DELETE and
  TRUNCATE of either;
- row-level security: rows are written in one's own name only (`created_by`,
  `author_id`, `actor_id`, `added_by`, `user_id` equal the session's user); a reporter
  updates only the articles they created;
- a trigger on `articles` checks each change as `editor.services.workflow` does: a status
  change must be a transition of the state machine made by a role allowed to make it
  (a reporter submits their own drafts and returned articles, and nothing else); an
  editor does not approve text they wrote since the last approval; publishing respects
  legal hold, not-for-publication and the embargo; text changes only where editing is
  allowed (the author's drafts and returned articles, submitted ones for the desk);
  flags are the desk's; deleting follows `decide_delete`; the creator never changes;
- at commit (a deferred constraint trigger), every status change, and every change of a
  corrected article's text, has its event in the mover's name for the article's new
  head revision: the audit log cannot be skipped; and events tell the truth (desk
  actions logged by the desk, a transition with the status the article is in).

The server's superusers, logins with BYPASSRLS and the owner of the tables (who runs
the migrations) are not held by these checks: they are the server's keys, not people of
the newsroom (they could drop any trigger). On SQLite this migration does nothing.

Revision ID: 0004_rights
Revises: 0003_search
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_rights"
down_revision = "0003_search"
branch_labels = None
depends_on = None

GROUPS = ("newsroom_reporter", "newsroom_editor", "newsroom_admin")

#: Tables whose rows carry the name of who wrote them, with that column.
_OWN_NAME = {
    "comments": "author_id",
    "assets": "created_by",
    "dictionary_words": "added_by",
    "dismissed_findings": "user_id",
}

#: The state machine of `editor.services.workflow` (from, to, action); a test compares them.
TRANSITIONS = (
    ("draft", "submitted", "submit"),
    ("changes_requested", "submitted", "submit"),
    ("submitted", "changes_requested", "return"),
    ("submitted", "approved", "approve"),
    ("approved", "published", "publish"),
    ("draft", "spiked", "spike"),
    ("submitted", "spiked", "spike"),
    ("changes_requested", "spiked", "spike"),
    ("approved", "spiked", "spike"),
    ("approved", "submitted", "reopen"),
    ("spiked", "draft", "reopen"),
    ("published", "corrected", "correct"),
    ("corrected", "corrected", "correct"),
)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create_groups() -> list[str]:
    """Create the group roles that are missing (another store may have made them)."""
    return [
        f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}') THEN
                CREATE ROLE {group} NOLOGIN;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $$"""
        for group in GROUPS
    ]


def _functions(s: str) -> list[str]:
    moves = " ".join(
        f"WHEN old_status = '{a}' AND new_status = '{b}' THEN '{action}'"
        for a, b, action in TRANSITIONS
    )
    path = f"SET search_path = pg_catalog, {s}, pg_temp"
    return [
        f"""CREATE TABLE {s}.newsroom_logins (
            login varchar(63) PRIMARY KEY,
            user_id varchar(36) NOT NULL UNIQUE REFERENCES {s}.users(id),
            created_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
        )""",
        # Who the session is: its login, mapped. SECURITY DEFINER so policies can ask
        # without a grant of their own; session_user is the login, whatever SET ROLE did.
        f"""CREATE FUNCTION {s}.newsroom_user_id() RETURNS varchar
            LANGUAGE sql STABLE SECURITY DEFINER {path} AS
            $$ SELECT user_id FROM newsroom_logins WHERE login = session_user $$""",
        f"""CREATE FUNCTION {s}.newsroom_user_role() RETURNS varchar
            LANGUAGE sql STABLE SECURITY DEFINER {path} AS
            $$ SELECT u.role FROM newsroom_logins l JOIN users u ON u.id = l.user_id
               WHERE l.login = session_user $$""",
        f"""CREATE FUNCTION {s}.newsroom_is_desk() RETURNS boolean
            LANGUAGE sql STABLE {path} AS
            $$ SELECT coalesce(newsroom_user_role() IN ('editor', 'admin'), false) $$""",
        # The server's keys: superusers, BYPASSRLS logins and members of the tables' owner.
        f"""CREATE FUNCTION {s}.newsroom_privileged() RETURNS boolean
            LANGUAGE sql STABLE SECURITY DEFINER {path} AS
            $$ SELECT coalesce((
                   SELECT r.rolsuper OR r.rolbypassrls
                          OR pg_has_role(session_user, c.relowner, 'USAGE')
                   FROM pg_roles r, pg_class c
                   WHERE r.rolname = session_user AND c.oid = '{s}.articles'::regclass
               ), false) $$""",
        f"""CREATE FUNCTION {s}.newsroom_action(old_status varchar, new_status varchar)
            RETURNS varchar LANGUAGE sql IMMUTABLE AS
            $$ SELECT CASE {moves} END $$""",
        f"""CREATE FUNCTION {s}.newsroom_may_edit(status varchar, created_by varchar)
            RETURNS boolean LANGUAGE sql STABLE {path} AS
            $$ SELECT CASE
                 WHEN status IN ('draft', 'changes_requested') THEN
                      coalesce(created_by = newsroom_user_id(), false)
                      OR (created_by IS NULL AND newsroom_is_desk())
                 WHEN status = 'submitted' THEN newsroom_is_desk()
                 ELSE false END $$""",
        # A pure workflow revision: a transition whose text equals its parent's.
        f"""CREATE FUNCTION {s}.newsroom_pure_transition(revision_id varchar)
            RETURNS boolean LANGUAGE sql STABLE {path} AS
            $$ SELECT coalesce((
                   SELECT r.reason IN ('submit', 'return', 'approve', 'publish', 'spike',
                                       'reopen')
                          AND r.body = p.body
                          AND (r.metadata::jsonb - 'status') = (p.metadata::jsonb - 'status')
                   FROM revisions r JOIN revisions p ON p.id = r.parent_id
                   WHERE r.id = revision_id
               ), false) $$""",
        # Whether `who` wrote any of the text since the last approval (core's
        # `text_writers`): the first-parent chain from the head back to an "approve"
        # revision, pure workflow revisions skipped.
        f"""CREATE FUNCTION {s}.newsroom_wrote_text(article varchar, head varchar,
                                                    who varchar)
            RETURNS boolean LANGUAGE plpgsql STABLE {path} AS $$
            DECLARE
                cur varchar := head;
                seen varchar[] := '{{}}';
                r record;
            BEGIN
                WHILE cur IS NOT NULL AND NOT cur = ANY(seen) LOOP
                    SELECT id, parent_id, author_id, reason INTO r
                    FROM revisions WHERE id = cur AND article_id = article;
                    EXIT WHEN NOT FOUND OR r.reason = 'approve';
                    seen := seen || cur;
                    IF r.author_id = who AND NOT newsroom_pure_transition(r.id) THEN
                        RETURN true;
                    END IF;
                    cur := r.parent_id;
                END LOOP;
                RETURN false;
            END $$""",
        f"""CREATE FUNCTION {s}.newsroom_refuse(message text) RETURNS void
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = message;
            END $$""",
        f"""CREATE FUNCTION {s}.newsroom_append_only() RETURNS trigger
            LANGUAGE plpgsql {path} AS $$
            BEGIN
                IF newsroom_privileged() THEN
                    -- The server's keys own the tables (and could drop this trigger).
                    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END IF;
                IF TG_TABLE_NAME = 'revisions' AND TG_OP = 'UPDATE' THEN
                    -- One editing session's autosaves share the head revision (the store
                    -- coalesces them): only that, by its author, while they may edit.
                    IF OLD.reason = 'autosave' AND NEW.reason = 'autosave'
                       AND NEW.id = OLD.id AND NEW.article_id = OLD.article_id
                       AND NEW.parent_id IS NOT DISTINCT FROM OLD.parent_id
                       AND NEW.second_parent_id IS NOT DISTINCT FROM OLD.second_parent_id
                       AND NEW.author_id IS NOT DISTINCT FROM OLD.author_id
                       AND NEW.session_id IS NOT DISTINCT FROM OLD.session_id
                       AND OLD.author_id = newsroom_user_id()
                       AND EXISTS (SELECT 1 FROM articles a
                                   WHERE a.id = OLD.article_id
                                   AND a.head_revision_id = OLD.id
                                   AND newsroom_may_edit(a.status, a.created_by)) THEN
                        RETURN NEW;
                    END IF;
                END IF;
                IF TG_TABLE_NAME = 'events' THEN
                    PERFORM newsroom_refuse(
                        'The audit log is append-only: events are never changed or removed.');
                END IF;
                PERFORM newsroom_refuse(
                    'History is append-only: revisions are never changed or removed.');
                RETURN NULL;
            END $$""",
        f"""CREATE FUNCTION {s}.newsroom_check_writer() RETURNS trigger
            LANGUAGE plpgsql {path} AS $$
            DECLARE
                now_status varchar;
            BEGIN
                IF newsroom_privileged() THEN
                    RETURN NEW;
                END IF;
                -- The log tells the truth: what only the desk does is logged by the desk,
                -- and a transition is logged with the status the article now has.
                IF NEW.action IN ('return', 'approve', 'publish', 'spike', 'reopen', 'correct',
                                  'flags', 'override')
                   AND NOT newsroom_is_desk() THEN
                    PERFORM newsroom_refuse('Only an editor can log ' || NEW.action || '.');
                END IF;
                IF NEW.action IN ('submit', 'return', 'approve', 'publish', 'spike', 'reopen',
                                  'correct') THEN
                    SELECT status INTO now_status FROM articles WHERE id = NEW.article_id;
                    IF NEW.to_status IS DISTINCT FROM now_status THEN
                        PERFORM newsroom_refuse('A workflow event names the status the '
                            'article is in.');
                    END IF;
                END IF;
                IF NEW.action IN ('return', 'correct') AND btrim(coalesce(NEW.note, '')) = '' THEN
                    PERFORM newsroom_refuse(CASE NEW.action
                        WHEN 'return' THEN 'A return needs a note saying what to change.'
                        ELSE 'A correction needs a note saying what was corrected.' END);
                END IF;
                RETURN NEW;
            END $$""",
        _article_guard(s, path),
        # At commit: a status change (and any change of a corrected article's text) has
        # its event, in the mover's name, for the revision the article now has.
        f"""CREATE FUNCTION {s}.newsroom_step_logged() RETURNS trigger
            LANGUAGE plpgsql {path} AS $$
            DECLARE
                now_row record;
            BEGIN
                IF newsroom_privileged() THEN
                    RETURN NULL;
                END IF;
                SELECT status, head_revision_id INTO now_row FROM articles WHERE id = NEW.id;
                IF NOT EXISTS (
                    SELECT 1 FROM events e
                    WHERE e.article_id = NEW.id AND e.actor_id = newsroom_user_id()
                    AND e.revision_id = now_row.head_revision_id
                    AND e.to_status = now_row.status
                    AND e.action IN ('submit', 'return', 'approve', 'publish', 'spike',
                                     'reopen', 'correct')
                ) THEN
                    PERFORM newsroom_refuse('A workflow step is logged: it needs its event '
                        '(action, status, revision) in your name.');
                END IF;
                RETURN NULL;
            END $$""",
    ]


#: The columns that hold an article's text and metadata (not status, flags, bookkeeping).
_CONTENT = (
    "headline, standfirst, slug, slug_locked, byline, section, tags::jsonb, dateline, "
    "story_date, priority, word_count, length_target, source_name, import_notes::jsonb, "
    "source_hash, featured_asset_id"
).split(", ")
_CONTENT_OLD = ", ".join(f"OLD.{c}" for c in _CONTENT)
_CONTENT_NEW = ", ".join(f"NEW.{c}" for c in _CONTENT)


def _article_guard(s: str, path: str) -> str:
    old, new = _CONTENT_OLD, _CONTENT_NEW
    return f"""CREATE FUNCTION {s}.newsroom_article_guard() RETURNS trigger
        LANGUAGE plpgsql {path} AS $$
        DECLARE
            who varchar := newsroom_user_id();
            desk boolean := newsroom_is_desk();
            owner boolean;
            action varchar;
            text_changed boolean;
            flags_changed boolean;
            head record;
        BEGIN
            IF newsroom_privileged() THEN
                RETURN NEW;
            END IF;
            IF who IS NULL THEN
                PERFORM newsroom_refuse('The database login ' || session_user
                    || ' is not a user of this newsroom.');
            END IF;
            IF TG_OP = 'INSERT' THEN
                IF NEW.created_by IS DISTINCT FROM who THEN
                    PERFORM newsroom_refuse('An article is created in your own name.');
                END IF;
                IF NEW.status <> 'draft' OR NEW.deleted_at IS NOT NULL
                   OR NEW.published_at IS NOT NULL THEN
                    PERFORM newsroom_refuse('A new article starts as a draft.');
                END IF;
                IF NOT desk AND (NEW.legal_hold OR NEW.not_for_publication
                                 OR NEW.embargo_until IS NOT NULL) THEN
                    PERFORM newsroom_refuse('Only an editor can set flags.');
                END IF;
                RETURN NEW;
            END IF;
            IF NEW.id <> OLD.id OR NEW.created_by IS DISTINCT FROM OLD.created_by
               OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
                PERFORM newsroom_refuse('Who created an article, and when, never changes.');
            END IF;
            owner := OLD.created_by = who OR (OLD.created_by IS NULL AND desk);
            text_changed := ROW({old}) IS DISTINCT FROM ROW({new});
            flags_changed := ROW(OLD.legal_hold, OLD.not_for_publication, OLD.embargo_until)
                IS DISTINCT FROM ROW(NEW.legal_hold, NEW.not_for_publication,
                                     NEW.embargo_until);
            IF flags_changed AND NOT desk THEN
                PERFORM newsroom_refuse('Only an editor can set flags.');
            END IF;
            IF NEW.status <> OLD.status THEN
                action := newsroom_action(OLD.status, NEW.status);
                IF action IS NULL THEN
                    PERFORM newsroom_refuse('No workflow step leads from ' || OLD.status
                        || ' to ' || NEW.status || '.');
                END IF;
                IF OLD.deleted_at IS NOT NULL OR NEW.deleted_at IS NOT NULL THEN
                    PERFORM newsroom_refuse('A deleted article does not move in the workflow.');
                END IF;
                IF action = 'submit' THEN
                    IF NOT owner AND NOT desk THEN
                        PERFORM newsroom_refuse('Only its author can submit an article.');
                    END IF;
                ELSIF NOT desk THEN
                    PERFORM newsroom_refuse(CASE action
                        WHEN 'return' THEN 'Only an editor can return an article.'
                        WHEN 'approve' THEN 'Only an editor can approve.'
                        WHEN 'publish' THEN 'Only an editor can publish.'
                        WHEN 'spike' THEN 'Only an editor can spike an article.'
                        WHEN 'reopen' THEN 'Only an editor can reopen an article.'
                        ELSE 'Only an editor can publish a correction.' END);
                END IF;
                IF action = 'approve'
                   AND newsroom_wrote_text(OLD.id, OLD.head_revision_id, who) THEN
                    PERFORM newsroom_refuse('You wrote some of this text since it was last '
                        'approved: another editor must approve.');
                END IF;
                IF action = 'publish' THEN
                    IF NEW.legal_hold THEN
                        PERFORM newsroom_refuse('On legal hold: it cannot be published until '
                            'the hold is lifted.');
                    END IF;
                    IF NEW.not_for_publication THEN
                        PERFORM newsroom_refuse('Marked not for publication.');
                    END IF;
                    IF NEW.embargo_until > (now() AT TIME ZONE 'UTC') THEN
                        PERFORM newsroom_refuse('Embargoed until '
                            || to_char(NEW.embargo_until, 'YYYY-MM-DD HH24:MI') || ' UTC.');
                    END IF;
                END IF;
                IF (text_changed AND action <> 'correct') OR flags_changed THEN
                    PERFORM newsroom_refuse('A workflow step changes only the status (and a '
                        'correction its text): save changes first.');
                END IF;
                IF NEW.published_at IS DISTINCT FROM OLD.published_at
                   AND action <> 'publish' THEN
                    PERFORM newsroom_refuse('Only publishing sets the publication time.');
                END IF;
                RETURN NEW;
            END IF;
            IF NEW.published_at IS DISTINCT FROM OLD.published_at THEN
                PERFORM newsroom_refuse('Only publishing sets the publication time.');
            END IF;
            IF NEW.deleted_at IS DISTINCT FROM OLD.deleted_at THEN
                IF OLD.status IN ('published', 'corrected')
                   AND NOT (NEW.deleted_at IS NULL AND desk) THEN
                    PERFORM newsroom_refuse(CASE WHEN NEW.deleted_at IS NULL
                        THEN 'Only an editor can restore a published article.'
                        ELSE 'A published article cannot be deleted: publish a correction '
                             'instead.' END);
                END IF;
                IF NOT desk AND (OLD.status <> 'draft' OR NOT owner) THEN
                    PERFORM newsroom_refuse('A reporter can delete or restore only their '
                        'own drafts.');
                END IF;
            END IF;
            IF NOT (text_changed OR NEW.head_revision_id IS DISTINCT FROM OLD.head_revision_id)
               OR newsroom_may_edit(OLD.status, OLD.created_by) THEN
                RETURN NEW;
            END IF;
            -- The text moves where editing is not allowed: only the revision a transition
            -- (or, on a corrected article, a correction) has just appended may become the
            -- head, and a correction of a corrected article is the desk's.
            IF OLD.status = 'corrected' AND desk THEN
                RETURN NEW;
            END IF;
            SELECT r.reason, r.author_id, r.parent_id INTO head
            FROM revisions r WHERE r.id = NEW.head_revision_id AND r.article_id = NEW.id;
            IF NOT text_changed AND FOUND AND head.author_id = who
               AND head.parent_id IS NOT DISTINCT FROM OLD.head_revision_id
               AND (newsroom_pure_transition(NEW.head_revision_id)
                    OR (head.reason = 'correct' AND desk AND NEW.status = 'corrected')) THEN
                RETURN NEW;
            END IF;
            PERFORM newsroom_refuse(CASE
                WHEN OLD.status IN ('draft', 'changes_requested') THEN
                    'A draft or a returned article is edited by its author.'
                WHEN OLD.status = 'submitted' THEN
                    'Submitted articles are edited by the desk.'
                WHEN OLD.status IN ('published', 'corrected') THEN
                    'Published articles are read-only: an editor changes them with a '
                    'correction.'
                ELSE 'Approved and spiked articles are read-only until an editor reopens '
                     'them.' END);
            RETURN NULL;
        END $$"""


def _triggers(s: str) -> list[str]:
    statements = []
    for table in ("events", "revisions"):
        statements += [
            f"""CREATE TRIGGER newsroom_append_only BEFORE UPDATE OR DELETE ON {s}.{table}
                FOR EACH ROW EXECUTE FUNCTION {s}.newsroom_append_only()""",
            f"""CREATE TRIGGER newsroom_no_truncate BEFORE TRUNCATE ON {s}.{table}
                FOR EACH STATEMENT EXECUTE FUNCTION {s}.newsroom_append_only()""",
        ]
    return [
        *statements,
        f"""CREATE TRIGGER newsroom_check_writer BEFORE INSERT ON {s}.events
            FOR EACH ROW EXECUTE FUNCTION {s}.newsroom_check_writer()""",
        f"""CREATE TRIGGER newsroom_article_guard BEFORE INSERT OR UPDATE ON {s}.articles
            FOR EACH ROW EXECUTE FUNCTION {s}.newsroom_article_guard()""",
        f"""CREATE CONSTRAINT TRIGGER newsroom_step_logged AFTER UPDATE ON {s}.articles
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
            WHEN (OLD.status IS DISTINCT FROM NEW.status OR (NEW.status = 'corrected' AND (
                  OLD.head_revision_id IS DISTINCT FROM NEW.head_revision_id
                  OR ROW({_CONTENT_OLD}) IS DISTINCT FROM ROW({_CONTENT_NEW}))))
            EXECUTE FUNCTION {s}.newsroom_step_logged()""",
    ]


def _grants(s: str) -> list[str]:
    everyone = ", ".join(GROUPS)
    return [
        f"GRANT USAGE ON SCHEMA {s} TO {everyone}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {everyone}",
        f"GRANT INSERT, UPDATE ON {s}.articles TO {everyone}",
        f"GRANT INSERT ON {s}.revisions, {s}.events TO {everyone}",
        f"GRANT UPDATE (body, metadata, created_at) ON {s}.revisions TO {everyone}",
        f"GRANT INSERT ON {s}.comments TO {everyone}",
        f"GRANT UPDATE (resolved_at, resolved_by) ON {s}.comments TO {everyone}",
        f"GRANT INSERT, UPDATE ON {s}.assets TO {everyone}",
        f"GRANT INSERT, DELETE ON {s}.dictionary_words TO {everyone}",
        f"GRANT INSERT, UPDATE, DELETE ON {s}.recovery_journal TO {everyone}",
        f"GRANT INSERT, UPDATE, DELETE ON {s}.dismissed_findings TO {everyone}",
        f"GRANT INSERT, UPDATE ON {s}.users TO newsroom_admin",
        f"GRANT INSERT, DELETE ON {s}.newsroom_logins TO newsroom_admin",
        *(
            f"GRANT EXECUTE ON FUNCTION {s}.{name} TO {everyone}"
            for name in ("newsroom_user_id()", "newsroom_user_role()", "newsroom_privileged()")
        ),
    ]


def _policies(s: str) -> list[str]:
    me = f"{s}.newsroom_user_id()"
    desk = f"{s}.newsroom_is_desk()"
    own_article = (
        f"EXISTS (SELECT 1 FROM {s}.articles a WHERE a.id = article_id AND a.created_by = {me})"
    )
    statements = [
        f"ALTER TABLE {s}.{table} ENABLE ROW LEVEL SECURITY"
        for table in ("articles", "revisions", "events", "recovery_journal", *_OWN_NAME)
    ]
    statements += [
        f"CREATE POLICY newsroom_read ON {s}.articles FOR SELECT USING (true)",
        f"CREATE POLICY newsroom_create ON {s}.articles FOR INSERT WITH CHECK (created_by = {me})",
        f"""CREATE POLICY newsroom_change ON {s}.articles FOR UPDATE
            USING (created_by = {me} OR {desk}) WITH CHECK (created_by = {me} OR {desk})""",
        f"CREATE POLICY newsroom_read ON {s}.revisions FOR SELECT USING (true)",
        f"""CREATE POLICY newsroom_write ON {s}.revisions FOR INSERT
            WITH CHECK (author_id = {me} AND ({desk} OR {own_article}))""",
        f"""CREATE POLICY newsroom_autosave ON {s}.revisions FOR UPDATE
            USING (author_id = {me}) WITH CHECK (author_id = {me})""",
        f"CREATE POLICY newsroom_read ON {s}.events FOR SELECT USING (true)",
        f"""CREATE POLICY newsroom_write ON {s}.events FOR INSERT
            WITH CHECK (actor_id = {me} AND ({desk} OR {own_article}))""",
        f"""CREATE POLICY newsroom_own ON {s}.recovery_journal FOR ALL
            USING (user_id = {me}) WITH CHECK (user_id = {me})""",
    ]
    for table, column in _OWN_NAME.items():
        statements += [
            f"CREATE POLICY newsroom_read ON {s}.{table} FOR SELECT USING (true)",
            f"CREATE POLICY newsroom_write ON {s}.{table} FOR INSERT WITH CHECK ({column} = {me})",
            f"CREATE POLICY newsroom_delete ON {s}.{table} FOR DELETE USING (true)",
        ]
        if table == "comments":
            statements.append(
                f"""CREATE POLICY newsroom_change ON {s}.comments FOR UPDATE USING (true)
                    WITH CHECK (resolved_by IS NULL OR resolved_by = {me})"""
            )
        else:
            statements.append(
                f"""CREATE POLICY newsroom_change ON {s}.{table} FOR UPDATE USING (true)
                    WITH CHECK ({column} = {me} OR {desk})"""
            )
    return statements


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = _quote(bind.execute(sa.text("SELECT current_schema()")).scalar_one())
    for statement in [
        *_create_groups(),
        *_functions(schema),
        *_triggers(schema),
        *_grants(schema),
        *_policies(schema),
    ]:
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    s = _quote(bind.execute(sa.text("SELECT current_schema()")).scalar_one())
    tables = ("articles", "revisions", "events", "recovery_journal", *_OWN_NAME)
    for table in tables:
        names = bind.execute(
            sa.text(
                "SELECT policyname FROM pg_policies WHERE schemaname = current_schema() "
                "AND tablename = :t"
            ),
            {"t": table},
        ).scalars()
        for name in list(names):
            bind.execute(sa.text(f"DROP POLICY {_quote(name)} ON {s}.{table}"))
        bind.execute(sa.text(f"ALTER TABLE {s}.{table} DISABLE ROW LEVEL SECURITY"))
    for table, trigger in (
        ("events", "newsroom_append_only"),
        ("events", "newsroom_no_truncate"),
        ("events", "newsroom_check_writer"),
        ("revisions", "newsroom_append_only"),
        ("revisions", "newsroom_no_truncate"),
        ("articles", "newsroom_article_guard"),
        ("articles", "newsroom_step_logged"),
    ):
        bind.execute(sa.text(f"DROP TRIGGER IF EXISTS {trigger} ON {s}.{table}"))
    everyone = ", ".join(GROUPS)
    bind.execute(sa.text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {everyone}"))
    bind.execute(sa.text(f"REVOKE USAGE ON SCHEMA {s} FROM {everyone}"))
    bind.execute(sa.text(f"DROP TABLE {s}.newsroom_logins"))
    for function in (
        "newsroom_step_logged()",
        "newsroom_article_guard()",
        "newsroom_check_writer()",
        "newsroom_append_only()",
        "newsroom_refuse(text)",
        "newsroom_wrote_text(varchar, varchar, varchar)",
        "newsroom_pure_transition(varchar)",
        "newsroom_may_edit(varchar, varchar)",
        "newsroom_action(varchar, varchar)",
        "newsroom_privileged()",
        "newsroom_is_desk()",
        "newsroom_user_role()",
        "newsroom_user_id()",
    ):
        bind.execute(sa.text(f"DROP FUNCTION {s}.{function}"))
