"""The store's schema: an older database is upgraded on first use, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, String, column, insert, inspect, table, text
from sqlalchemy.exc import IntegrityError

from makertime.errors import StoreError
from makertime.model import Interval, Task
from makertime.plan.result import Block, BlockKind
from makertime.store import DutyRecord, RotationRecord, open_store
from makertime.store.engine import make_engine
from makertime.store.migrate import HEAD, alembic_config, current, head
from makertime.store.tables import (
    Base,
    DeclinedRow,
    IntentionRow,
    InterruptionRow,
    PlanBlockRow,
    PlanRow,
    PublishedRow,
    RotationDutyRow,
    RotationRow,
    SourceRow,
    TaskRow,
)
from makertime.store.url import database_url
from tests.support.postgres import BACKENDS, empty_database
from tests.support.publish import lock_of

THEN = datetime(2026, 3, 2, 8, 15, tzinfo=UTC)
FIRST_TABLES = {"sources", "tasks", "plans", "plan_blocks", "interruptions", "alembic_version"}


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    """An engine on an empty database of each backend (disposed after the test)."""
    made = make_engine(database_url(empty_database(request, tmp_path)))
    request.addfinalizer(made.dispose)
    return made


def url_of(engine: Engine) -> str:
    """The URL ``engine`` opens, password and all."""
    return engine.url.render_as_string(hide_password=False)


def revision(engine: Engine) -> str | None:
    """The revision the database is at."""
    with engine.connect() as connection:
        return current(connection)


def write_first_revision_rows(engine: Engine) -> None:
    """A database as the first release of the store left it, with a row in every table."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(insert(SourceRow), {
            "name": "work", "url": "https://cal.example.com/ana/", "credentials": "netrc",
            "added": THEN})
        connection.execute(insert(TaskRow), {
            "id": "blog-post", "title": "Write the blog post", "estimate_minutes": 90,
            "depth": "deep", "deadline": None, "deadline_floating": False, "priority": 2,
            "min_block_minutes": None, "progress": 0.25, "last_touched": date(2026, 3, 1),
            "waiting_on_me": False, "source": "tasks.toml", "read_estimate_minutes": 90,
            "read_progress": 0.25, "estimate_at": THEN, "done": False, "done_at": None})
        # the first revision's plans kept a time zone; the table of today has none
        plans = table("plans", *(column(c.name, c.type) for c in PlanRow.__table__.columns),
                      column("timezone", String()))
        connection.execute(insert(plans).values(
            id=1, created=THEN, now_at=THEN, cals=["work.ics"], tasks_path=None,
            policy_path=None, target=None, first_day=date(2026, 3, 2),
            last_day=date(2026, 3, 8), timezone="Europe/Zagreb", result={"blocks": []}))
        connection.execute(insert(PlanBlockRow), {
            "plan_id": 1, "position": 0, "kind": "deep", "start_at": THEN,
            "end_at": datetime(2026, 3, 2, 10, 15, tzinfo=UTC), "reason": "the morning is free",
            "task": "blog-post", "title": "Write the blog post"})
        connection.execute(insert(InterruptionRow), {
            "text": "pager", "start_at": THEN, "minutes": 15, "logged": THEN})


def test_an_older_database_is_upgraded_on_first_use(engine: Engine) -> None:
    write_first_revision_rows(engine)
    assert revision(engine) == "0001"
    assert set(inspect(engine).get_table_names()) == FIRST_TABLES
    with open_store(url_of(engine)) as store:
        assert revision(engine) == head() == "0007"
        [source] = store.sources()
        assert (source.name, source.credentials, source.added) == ("work", "netrc", THEN)
        [state] = store.tasks()
        assert (state.task.estimate_minutes, state.task.progress, state.estimate_at) == (
            90, 0.25, THEN)
        plan = store.current_plan()
        assert plan is not None
        assert plan.blocks == (Block(BlockKind.DEEP,
                                     Interval(THEN, datetime(2026, 3, 2, 10, 15, tzinfo=UTC)),
                                     "the morning is free", "blog-post", "Write the blog post"),)
        assert [found.text for found in store.interruptions()] == ["pager"]
        store.decline("plan.ics", ["a@makertime"])  # a table of the second revision
        assert store.declined("plan.ics") == {"a@makertime"}
        assert lock_of(store, "plan.ics") is None  # the fourth's, empty


def test_the_publish_journal_is_kept_when_the_lock_table_comes(engine: Engine) -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0003")
        connection.execute(insert(PublishedRow), {
            "target": "plan.ics", "uid": "a@makertime", "href": "a@makertime", "etag": "e",
            "kind": "deep", "task": "blog-post", "start_at": THEN, "end_at": THEN})
        connection.execute(insert(IntentionRow), {
            "target": "plan.ics", "uid": "b@makertime", "action": "delete", "at": THEN})
        connection.execute(insert(DeclinedRow), {"target": "plan.ics", "uid": "c@makertime"})
    with open_store(url_of(engine)) as store:
        assert revision(engine) == head()
        known = store.journalled("plan.ics")
        assert set(known.published) == {"a@makertime"}
        assert [(i.uid, i.action.value, i.at) for i in known.intentions] == [
            ("b@makertime", "delete", THEN)]
        assert known.declined == {"c@makertime"}
        assert lock_of(store, "plan.ics") is None


def test_the_tables_are_what_the_migrations_create(engine: Engine) -> None:
    open_store(url_of(engine)).close()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_opening_again_changes_nothing(engine: Engine) -> None:
    with open_store(url_of(engine)) as store:
        store.decline("plan.ics", ["a@makertime"])
    with open_store(url_of(engine)) as store:
        assert store.declined("plan.ics") == {"a@makertime"}
    assert revision(engine) == head()


def test_every_revision_goes_down_and_up_again(engine: Engine) -> None:
    open_store(url_of(engine)).close()
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0001")
    assert set(inspect(engine).get_table_names()) == FIRST_TABLES
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    open_store(url_of(engine)).close()
    assert revision(engine) == head()


def test_a_database_from_a_newer_makertime_is_refused(engine: Engine) -> None:
    open_store(url_of(engine)).close()
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(StoreError) as raised:
        open_store(url_of(engine))
    assert "its schema is revision 0099, newer than this makertime knows" in str(raised.value)
    assert revision(engine) == "0099"


# migrate.HEAD lets a database already at the newest revision open without Alembic; until it
# names 0007, a database at 0006 is not upgraded by open_store. Strict: passing fails the run,
# so the mark goes when HEAD moves.
def test_the_store_knows_its_newest_revision() -> None:
    assert HEAD == head() == "0007"


def upgrade_to(engine: Engine, target: str) -> None:
    """Move the database to revision ``target``, up or down, by Alembic itself."""
    with engine.begin() as connection:
        found = current(connection)
        if found is not None and found > target:
            command.downgrade(alembic_config(connection), target)
        else:
            command.upgrade(alembic_config(connection), target)


def test_the_rotation_tables_come_and_go_and_a_plan_stays(engine: Engine) -> None:
    upgrade_to(engine, "0005")
    with engine.begin() as connection:
        connection.execute(insert(PlanRow), {
            "id": 7, "created": THEN, "now_at": THEN, "cals": ["work.ics"], "tasks_path": None,
            "policy_path": None, "target": "plan.ics", "first_day": date(2026, 3, 2),
            "last_day": date(2026, 3, 8), "result": {"blocks": [{"kind": "deep"}]}})
        connection.execute(insert(PlanBlockRow), {
            "plan_id": 7, "position": 0, "kind": "deep", "start_at": THEN,
            "end_at": datetime(2026, 3, 2, 10, 15, tzinfo=UTC), "reason": "free morning",
            "task": "blog-post", "title": "Write the blog post", "block_key": "k@makertime"})
    rotation_tables = {RotationRow.__tablename__, RotationDutyRow.__tablename__}
    assert not rotation_tables & set(inspect(engine).get_table_names())
    with open_store(url_of(engine)) as store:  # a store at 0005 is upgraded on opening
        before = store.current_plan()
    assert before is not None and before.id == 7 and len(before.blocks) == 1
    assert revision(engine) == head()
    assert rotation_tables <= set(inspect(engine).get_table_names())
    assert "ix_rotations_team_first_day" in {
        index["name"] for index in inspect(engine).get_indexes("rotations")}
    duty = DutyRecord(slot="shield/2026-03-02", duty="shield", kind="shield", seat="",
                      event="", member="ana", start=THEN, end=THEN, hours=8.0,
                      weighted_hours=8.0, reason="fewest hours", day=date(2026, 3, 2))
    with open_store(url_of(engine)) as store:
        assert store.current_plan() == before
        saved = store.save_rotation(RotationRecord(
            id=None, team="platform", first=date(2026, 3, 2), last=date(2026, 3, 8),
            created=THEN, duties=(duty,), status="OPTIMAL", team_focus=600,
            price_of_fairness=0))
        assert store.effective_duties("platform") == [duty]

    upgrade_to(engine, "0005")
    assert revision(engine) == "0005"
    assert not rotation_tables & set(inspect(engine).get_table_names())
    with open_store(url_of(engine)) as store:  # upgraded again: the rotation is gone for good
        assert store.rotations("platform") == [] and store.rotation("platform", saved) is None
        assert store.current_plan() == before


def task_row(task_id: str, source: str) -> dict[str, object]:
    """A task as revision 0006 kept it (it knew no origin)."""
    return {"id": task_id, "title": task_id, "estimate_minutes": 60, "depth": "deep",
            "deadline": None, "deadline_floating": False, "priority": 3,
            "min_block_minutes": None, "progress": 0.0, "last_touched": None,
            "waiting_on_me": False, "source": source, "read_estimate_minutes": 60,
            "read_progress": 0.0, "estimate_at": THEN, "done": False, "done_at": None}


def test_the_tasks_kept_before_0007_come_from_their_inputs(engine: Engine) -> None:
    upgrade_to(engine, "0006")
    with engine.begin() as connection:
        connection.execute(insert(PlanRow), {
            "id": 1, "created": THEN, "now_at": THEN, "cals": ["work.ics"],
            "tasks_path": "/home/ana/todo", "policy_path": None, "target": None,
            "first_day": date(2026, 3, 2), "last_day": date(2026, 3, 8), "result": {}})
        connection.execute(insert(TaskRow), [
            task_row("pr-42", "/home/ana/todo"), task_row("blog", "/home/ana/tasks.toml"),
            task_row("todo-1", "https://cal.example.com/ana/todo/")])
    with open_store(url_of(engine)) as store:  # a store at 0006 is upgraded on opening
        assert revision(engine) == "0007"
        assert {s.task.id: s.origin for s in store.tasks()} == {
            "pr-42": "tasks.toml", "blog": "tasks.toml", "todo-1": "calendar"}
        store.add_task(Task("slides", "Slides", 90, source="makertime"), at=THEN)
        assert store.added_task("slides").origin == "makertime"
    with engine.begin() as connection, pytest.raises(IntegrityError):
        connection.execute(text("UPDATE tasks SET origin = 'elsewhere' WHERE id = 'blog'"))

    upgrade_to(engine, "0006")  # down again: the added task stays, without an origin
    assert "origin" not in {c["name"] for c in inspect(engine).get_columns("tasks")}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM tasks")).scalar() == 4
    with open_store(url_of(engine)) as store:
        assert {s.task.id: s.origin for s in store.tasks()}["slides"] == "calendar"
