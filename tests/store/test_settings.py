"""The newsroom's shared settings in the store: site settings and the managed sections.

Every test runs on SQLite and PostgreSQL (the `newsroom` fixture); the last ones connect
to PostgreSQL as people's own logins and check that the grants hold the same rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from editor.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from editor.core.model import Role
from editor.core.settings_model import DEFAULT_SECTIONS, SiteSettings, match_section
from editor.core.text import slugify
from editor.services.newsroom import Newsroom
from tests.store.test_rights import desk  # noqa: F401  (the PostgreSQL logins fixture)


def _as(newsroom: Newsroom, name: str, role: Role) -> Newsroom:
    newsroom.add_user(name, role)
    newsroom.switch_user(name)
    return newsroom


def test_a_new_store_has_the_default_sections_and_site(newsroom):
    assert newsroom.settings.section_names() == list(DEFAULT_SECTIONS)
    assert newsroom.settings.site() == SiteSettings("Newsroom", "", "")
    assert not newsroom.settings.site_is_set()


def test_an_admin_sets_the_site_and_who_did_is_kept(newsroom, tmp_path: Path):
    settings = newsroom.settings
    site = settings.set("base_url", "  https://news.example.org ")
    assert site.base_url == "https://news.example.org/"
    settings.set_site(site_name="  The   Riverside Post ", templates_dir=str(tmp_path))
    assert settings.site() == SiteSettings(
        "The Riverside Post", "https://news.example.org/", str(tmp_path)
    )
    assert settings.site_is_set()
    when, who = newsroom.store.settings.changed("site_name")
    assert who == newsroom.user.id and when is not None
    # Bad values are refused with a clear message; nothing changes.
    for key, value, words in (
        ("base_url", "javascript:alert(1)", "not a site address"),
        ("templates_dir", str(tmp_path / "missing"), "does not exist"),
        ("site_name", "   ", "needs a name"),
        ("site_name", "Bad\x01name", "control"),
        ("colour", "red", "not a site setting"),
    ):
        with pytest.raises(ValidationError, match=words):
            settings.set(key, value)
    with pytest.raises(ValidationError):  # one bad value of several: none is applied
        settings.set_site(site_name="Other", base_url="ftp://x")
    assert settings.site().site_name == "The Riverside Post"


def test_only_an_admin_changes_the_site(newsroom):
    _as(newsroom, "Ed Editor", Role.EDITOR)
    assert not newsroom.settings.may_change_site
    with pytest.raises(PermissionDeniedError, match="Only an admin"):
        newsroom.settings.set("site_name", "Mine")
    assert newsroom.settings.site().site_name == "Newsroom"


def test_sections_added_renamed_retired_reordered(newsroom):
    settings = newsroom.settings
    health = settings.add_section("  Health ")
    assert health.name == "Health" and settings.section_names()[-1] == "Health"
    with pytest.raises(ValidationError, match="already in the list"):
        settings.add_section("HEALTH")
    with pytest.raises(ValidationError, match="control"):
        settings.add_section("Sport\x01")
    with pytest.raises(ValidationError, match="at most"):
        settings.add_section("x" * 61)

    settings.retire_section("culture")
    assert "Culture" not in settings.section_names()
    assert [s.name for s in settings.sections(include_retired=True) if s.retired] == ["Culture"]
    assert settings.managed_section("CULTURE") == "Culture"  # old articles still match it
    settings.add_section("culture")  # adding a retired one brings it back
    assert "culture" in settings.section_names()

    order = settings.reorder_sections(["Sport", "local"])
    assert [s.name for s in order][:3] == ["Sport", "Local", "World"]
    assert settings.section_names()[:3] == ["Sport", "Local", "World"]
    with pytest.raises(NotFoundError):
        settings.reorder_sections(["Nowhere"])
    with pytest.raises(ValidationError, match="twice"):
        settings.reorder_sections(["Sport", "sport"])


def test_renaming_a_section_renames_it_on_its_articles(newsroom):
    first = newsroom.create_article("One", "Text.", section="Technology")
    second = newsroom.create_article("Two", "Text.", section="technology")
    other = newsroom.create_article("Three", "Text.", section="Sport")
    section, moved = newsroom.settings.rename_section("TECHNOLOGY", "Science & Tech")
    assert section.name == "Science & Tech" and moved == 2
    assert newsroom.get_article(first.id).section == "Science & Tech"
    again = newsroom.get_article(second.id)
    assert again.section == "Science & Tech" and again.version == second.version + 1
    assert newsroom.get_article(other.id).section == "Sport"
    assert "Technology" not in newsroom.settings.section_names()
    with pytest.raises(ValidationError, match="already in the list"):
        newsroom.settings.rename_section("Sport", "science & tech")
    with pytest.raises(NotFoundError):
        newsroom.settings.rename_section("Nowhere", "Somewhere")
    # Renaming only the case of a name is allowed.
    newsroom.settings.rename_section("Science & Tech", "SCIENCE & TECH")
    assert newsroom.get_article(first.id).section == "SCIENCE & TECH"


def test_a_reporter_cannot_change_sections(newsroom):
    _as(newsroom, "Rita Reporter", Role.REPORTER)
    assert not newsroom.settings.may_manage_sections
    for call in (
        lambda: newsroom.settings.add_section("Health"),
        lambda: newsroom.settings.rename_section("Sport", "Games"),
        lambda: newsroom.settings.retire_section("Sport"),
        lambda: newsroom.settings.reorder_sections(["Sport"]),
    ):
        with pytest.raises(PermissionDeniedError, match="editor or an admin"):
            call()
    assert newsroom.settings.section_names() == list(DEFAULT_SECTIONS)


def test_an_editor_manages_sections(newsroom):
    _as(newsroom, "Ed Editor", Role.EDITOR)
    newsroom.settings.add_section("Health")
    assert "Health" in newsroom.settings.section_names()


def test_match_section_ignores_case_and_spacing():
    assert match_section("  world ", ["World", "Sport"]) == "World"
    assert match_section("Straße", ["STRASSE"]) == "STRASSE"
    assert match_section("Weather", ["World"]) is None
    assert match_section("", ["World"]) is None


def test_create_article_keeps_the_slug_it_is_given(newsroom):
    article = newsroom.create_article("A headline", "Text.", slug="my-own-slug")
    assert article.slug == "my-own-slug" and article.slug_locked
    assert newsroom.get_article(article.id).slug == "my-own-slug"
    # It stays when the headline changes (set by hand).
    saved = newsroom.save_article(
        article.id, expected_version=article.version, changes={"headline": "Another"}
    )
    assert saved.slug == "my-own-slug"
    # Taken: numbered; not written as a slug: written as one; still set by hand.
    taken = newsroom.create_article("Other", "Text.", slug="my-own-slug")
    assert taken.slug == "my-own-slug-2" and taken.slug_locked
    spaced = newsroom.create_article("Other", "Text.", slug="Town Hall Łódź")
    assert spaced.slug == slugify("Town Hall Łódź") and spaced.slug_locked
    assert newsroom.get_article(article.id).slug == "my-own-slug"
    nothing = newsroom.create_article("Only symbols", "Text.", slug="!!!")
    assert nothing.slug == "only-symbols" and not nothing.slug_locked
    plain = newsroom.create_article("A headline", "Text.")
    assert plain.slug == "a-headline" and not plain.slug_locked


# -- PostgreSQL: the grants of migration 0005, for anyone with a SQL client --------------


def _try(connection, statement: str, **params) -> str:
    """Run `statement` (rolled back afterwards); the refusal's message, or ""."""
    transaction = connection.begin()
    try:
        connection.execute(text(statement), params)
    except DBAPIError as error:
        return str(error.orig)
    else:
        return ""
    finally:
        transaction.rollback()


def test_the_database_lets_only_admins_write_settings(desk):  # noqa: F811
    reporter, editor, admin = (
        desk.sql("Rita Reporter"),
        desk.sql("Ed Editor"),
        desk.sql("Ada Admin"),
    )
    try:
        ids = {
            name: desk.owner.store.get_user_by_name(name).id
            for name in ("Rita Reporter", "Ed Editor", "Ada Admin")
        }
        put = (
            "INSERT INTO settings (key, value, updated_at, updated_by) "
            "VALUES ('site_name', '\"Mine\"', now(), :who)"
        )
        rename = "UPDATE sections SET name = 'Games', updated_by = :who WHERE name = 'Sport'"
        for connection in (reporter, editor, admin):  # everyone reads
            assert connection.execute(text("SELECT count(*) FROM sections")).scalar_one() == len(
                DEFAULT_SECTIONS
            )
            connection.rollback()
        assert "permission denied" in _try(reporter, put, who=ids["Rita Reporter"])
        assert "permission denied" in _try(editor, put, who=ids["Ed Editor"])
        assert _try(admin, put, who=ids["Ada Admin"]) == ""
        assert "row-level security" in _try(admin, put, who=ids["Ed Editor"])  # own name only
        assert "permission denied" in _try(reporter, rename, who=ids["Rita Reporter"])
        assert _try(editor, rename, who=ids["Ed Editor"]) == ""
    finally:
        for connection in (reporter, editor, admin):
            connection.close()
    # And through the app, as the people's logins.
    editor_room = desk.room("Ed Editor")
    editor_room.settings.add_section("Health")
    with pytest.raises(PermissionDeniedError):
        editor_room.settings.set("site_name", "Mine")
    admin_room = desk.room("Ada Admin")
    admin_room.settings.set("site_name", "The Desk")
    assert desk.room("Rita Reporter").settings.site().site_name == "The Desk"
    assert "Health" in desk.room("Rita Reporter").settings.section_names()


def test_on_a_shared_store_a_rename_the_database_refuses_is_refused_whole(
    desk,  # noqa: F811
    monkeypatch,
):
    """The database lets only an article's author edit a draft and nobody edit a
    published article (0004): a section rename that would change such an article is
    refused in one sentence saying so, and nothing of it is applied."""
    monkeypatch.setattr(Newsroom, "blocking_findings", lambda self, article_id: [])
    rita, ed, eve = desk.room("Rita Reporter"), desk.room("Ed Editor"), desk.room("Eve Editor")
    draft = rita.create_article("Draft story", "Text.", section="Sport")
    story = ed.create_article("Match report", "Text.", section="Local")
    ed.transition(story.id, "submit")
    eve.transition(story.id, "approve")
    eve.transition(story.id, "publish")
    for old in ("Sport", "Local"):
        with pytest.raises(PermissionDeniedError, match="Nothing was renamed"):
            ed.settings.rename_section(old, "Games")
        assert old in ed.settings.section_names()
    assert ed.get_article(draft.id).section == "Sport"
    # Over articles the editor may change, the rename goes through on a shared store.
    ed.create_article("Science story", "Text.", section="Science")
    section, moved = ed.settings.rename_section("Science", "Science & Health")
    assert (section.name, moved) == ("Science & Health", 1)
