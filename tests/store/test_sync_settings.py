"""Settings and sections travel with sync (issue 16): per key, the value someone set last
wins, a value set beats a default, and only what its setter may set is taken. Each test
runs with the desk on SQLite and on PostgreSQL; the last ones with real logins."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text, update

from editor.services.syncing import sync_with
from editor.store.rows import utc_now
from editor.store.settings import SettingRow
from tests.store.test_rights import desk as login_desk  # noqa: F401  (a fixture)
from tests.store.test_sync import agree, as_user, desk, desk_url, laptop  # noqa: F401
from tests.store.test_sync_logins import Laptops


def _sections(room) -> list[tuple[str, bool]]:
    return [(s.name, s.retired) for s in room.settings.sections(include_retired=True)]


def test_a_new_laptop_changes_nothing_and_gets_the_desks_settings(laptop, desk, desk_url):  # noqa: F811
    # Each store starts with the same sections under its own ids: nothing to sync.
    assert not sync_with(laptop, desk_url).changed
    as_user(desk, "ada").settings.set_site(site_name="The Gazette", check_templates=False)
    as_user(desk, "ed").settings.add_section("Nature")
    report = sync_with(laptop, desk_url)
    assert report.changed and report.refused == []
    assert laptop.settings.site().site_name == "The Gazette"
    assert _sections(laptop) == _sections(desk)
    assert not sync_with(laptop, desk_url).changed


def test_the_value_set_last_wins_on_both_sides(laptop, desk, desk_url):  # noqa: F811
    as_user(desk, "ada").settings.set_site(site_name="Desk name", check_templates=False)
    as_user(laptop, "ada").settings.set_site(site_name="Laptop name", check_templates=False)
    as_user(laptop, "ed").settings.reorder_sections(
        list(reversed([s.name for s in laptop.settings.sections()]))
    )
    as_user(desk, "ed").settings.retire_section(desk.settings.sections()[0].name)
    sync_with(laptop, desk_url)
    assert laptop.settings.site().site_name == desk.settings.site().site_name == "Laptop name"
    assert _sections(laptop) == _sections(desk)
    # Per section, the row set last wins whole: the laptop's reorder came after the
    # desk's retirement, so the reordered rows (the retired one among them) are the
    # laptop's, on both sides.
    assert [n for n, _r in _sections(desk)] == [n for n, _r in _sections(laptop)]
    agree_settings(laptop, desk)


def agree_settings(a, b) -> None:
    assert a.settings.site() == b.settings.site()
    assert _sections(a) == _sections(b)


def test_a_renamed_section_travels_as_itself(laptop, desk, desk_url):  # noqa: F811
    as_user(desk, "ed").settings.add_section("Nature")
    sync_with(laptop, desk_url)
    as_user(laptop, "ed").settings.rename_section("Nature", "Nature and tech")
    sync_with(laptop, desk_url)
    names = [n for n, _r in _sections(desk)]
    assert "Nature and tech" in names and "Nature" not in names
    agree_settings(laptop, desk)


def test_a_setting_by_someone_without_the_right_is_not_taken(laptop, desk, desk_url):  # noqa: F811
    """A row written on the laptop in a reporter's name (by SQL: the app refuses it) is
    not taken by the desk, and stays on the laptop."""
    rita = laptop.store.get_user_by_name("rita").id
    with laptop.store.db.write() as session:
        session.add(
            SettingRow(key="site_name", value="Rita's site", updated_at=utc_now(), updated_by=rita)
        )
    sync_with(laptop, desk_url)
    assert desk.settings.site().site_name != "Rita's site"
    assert laptop.settings.site().site_name == "Rita's site"
    # An admin's later value on the desk wins on both.
    as_user(desk, "ada").settings.set_site(site_name="The Gazette", check_templates=False)
    with desk.store.db.write() as session:
        session.execute(
            update(SettingRow)
            .where(SettingRow.key == "site_name")
            .values(updated_at=utc_now() + timedelta(minutes=1))
        )
    sync_with(laptop, desk_url)
    assert laptop.settings.site().site_name == "The Gazette"


def test_with_logins_settings_come_down_and_only_ones_own_go_up(login_desk, tmp_path):  # noqa: F811
    laptops = Laptops(login_desk, tmp_path)
    try:
        owner = login_desk.owner
        owner.settings.set_site(site_name="The Gazette", check_templates=False)
        rita = laptops.of("Rita Reporter")
        assert rita.settings.site().site_name == "The Gazette"
        # Offline, anyone can pick the admin on a laptop; her login cannot send his work.
        rita.switch_user("Ada Admin")
        rita.settings.set_site(site_name="Rita's site", check_templates=False)
        rita.switch_user("Rita Reporter")
        report = laptops.sync("Rita Reporter")
        assert report.refused == []
        assert owner.settings.site().site_name == "The Gazette"
        # Ed's own section goes up under his login (the desk's grants let an editor).
        ed = laptops.of("Ed Editor")
        ed.settings.add_section("Nature")
        laptops.sync("Ed Editor")
        assert "Nature" in [n for n, _r in _sections(owner)]
        with login_desk.sql("Ed Editor") as sql:
            who = sql.execute(
                text("SELECT u.name FROM sections s JOIN users u ON u.id = s.updated_by "
                     "WHERE s.name = 'Nature'")
            ).scalar()  # fmt: skip
        assert who == "Ed Editor"
    finally:
        for room in laptops.rooms.values():
            room.close()
