"""One contract for every session store backend (memory, sqlite, redis), plus URL parsing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Protocol

import pytest

from bot.store import (
    DEFAULT_IDLE_TTL,
    MemorySessionStore,
    RedisSessionStore,
    SessionStore,
    SqliteSessionStore,
    open_store,
)


class MakeStore(Protocol):
    def __call__(self, *, idle_ttl: float | None = DEFAULT_IDLE_TTL) -> SessionStore: ...


@pytest.fixture(params=["memory", "sqlite", "redis"])
async def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[MakeStore]:
    """Opens stores of one backend through :func:`open_store`, all on the same location
    (sqlite file / redis database; memory stores are separate), and closes them at the end."""
    backend = request.param
    if backend == "redis":
        url = request.getfixturevalue("redis_url")
    elif backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'sessions.db'}"  # absolute path: sqlite:////tmp/...
    else:
        url = "memory://"
    opened: list[SessionStore] = []

    def make(*, idle_ttl: float | None = DEFAULT_IDLE_TTL) -> SessionStore:
        store = open_store(url, idle_ttl=idle_ttl)
        opened.append(store)
        return store

    yield make
    for store in opened:
        await store.close()


@pytest.fixture
def store(make_store: MakeStore) -> SessionStore:
    return make_store()


SESSION = json.dumps(
    {"state": "ask_pain", "slots": {"name": "Zoë", "side": "левое бедро", "note": "跑步 🏃‍♀️"}},
    ensure_ascii=False,
)


# -- basic storage --------------------------------------------------------------------------


async def test_load_missing_is_none(store: SessionStore) -> None:
    assert await store.load("42") is None


async def test_round_trip_keeps_unicode_json_verbatim(store: SessionStore) -> None:
    await store.save("42", SESSION)
    assert await store.load("42") == SESSION
    assert json.loads(await store.load("42") or "")["slots"]["note"] == "跑步 🏃‍♀️"


async def test_keys_are_independent(store: SessionStore) -> None:
    await store.save("42", '{"a": 1}')
    await store.save("-100123", '{"b": 2}')
    await store.save("user:7 chat:8 ключ", '{"c": 3}')
    assert await store.load("42") == '{"a": 1}'
    assert await store.load("-100123") == '{"b": 2}'
    assert await store.load("user:7 chat:8 ключ") == '{"c": 3}'
    assert await store.load("4") is None


async def test_save_overwrites(store: SessionStore) -> None:
    await store.save("42", '{"v": 1}')
    await store.save("42", '{"v": 2}')
    assert await store.load("42") == '{"v": 2}'


async def test_delete(store: SessionStore) -> None:
    await store.save("42", SESSION)
    await store.save("43", SESSION)
    await store.delete("42")
    assert await store.load("42") is None
    assert await store.load("43") == SESSION


async def test_delete_missing_is_not_an_error(store: SessionStore) -> None:
    await store.delete("never-saved")
    assert await store.load("never-saved") is None


# -- update de-duplication ------------------------------------------------------------------


async def test_update_marked_processed_by_save(store: SessionStore) -> None:
    assert not await store.was_processed("1001")
    await store.save("42", SESSION, dedupe="1001")
    assert await store.was_processed("1001")
    assert not await store.was_processed("1002")


async def test_an_update_can_be_marked_processed_alone(store: SessionStore) -> None:
    await store.mark_processed("2001")
    assert await store.was_processed("2001")
    assert not await store.was_processed("2002")
    assert await store.load("42") is None  # nothing else stored


async def test_save_without_update_id_marks_nothing(store: SessionStore) -> None:
    await store.save("42", SESSION)
    assert not await store.was_processed("1001")
    assert not await store.was_processed("0")


async def test_processed_mark_survives_session_delete(store: SessionStore) -> None:
    await store.save("42", SESSION, dedupe="7")
    await store.delete("42")
    assert await store.was_processed("7")


# -- idle expiry ----------------------------------------------------------------------------


async def test_idle_sessions_expire_and_saving_refreshes(make_store: MakeStore) -> None:
    store = make_store(idle_ttl=1.0)
    await store.save("idle", '{"v": "idle"}', dedupe="5")
    await store.save("busy", '{"v": 1}')
    await asyncio.sleep(0.6)
    await store.save("busy", '{"v": 2}')  # saved again: its idle time restarts
    await asyncio.sleep(0.5)
    assert await store.load("idle") is None
    assert await store.load("busy") == '{"v": 2}'
    assert await store.was_processed("5")  # update ids live a day, whatever the idle ttl


async def test_no_idle_ttl_keeps_sessions(make_store: MakeStore) -> None:
    store = make_store(idle_ttl=None)
    await store.save("42", SESSION)
    await asyncio.sleep(0.05)
    assert await store.load("42") == SESSION


# -- locking --------------------------------------------------------------------------------

INCREMENTS = 15


async def _increment(store: SessionStore, key: str, *, locked: bool) -> None:
    for _ in range(INCREMENTS):
        if locked:
            async with store.lock(key):
                await _read_modify_write(store, key)
        else:
            await _read_modify_write(store, key)


async def _read_modify_write(store: SessionStore, key: str) -> None:
    raw = await store.load(key)
    count = json.loads(raw)["count"] if raw else 0
    await asyncio.sleep(0.002)  # another task runs here
    await store.save(key, json.dumps({"count": count + 1}))


async def test_lock_makes_read_modify_write_exclusive(store: SessionStore) -> None:
    await asyncio.gather(*(_increment(store, "42", locked=True) for _ in range(3)))
    assert json.loads(await store.load("42") or "")["count"] == 3 * INCREMENTS


async def test_without_the_lock_updates_are_lost(store: SessionStore) -> None:
    # Shows the lock test above can fail: the same workload unlocked loses increments.
    await asyncio.gather(*(_increment(store, "42", locked=False) for _ in range(3)))
    assert json.loads(await store.load("42") or "")["count"] < 3 * INCREMENTS


async def test_locks_of_different_keys_do_not_block(store: SessionStore) -> None:
    held: list[str] = []
    async with store.lock("a"):
        async with asyncio.timeout(2):
            async with store.lock("b"):
                held.append("b")
    assert held == ["b"]  # "b" was taken while "a" was held, within the timeout


async def test_lock_is_released_after_an_error(store: SessionStore) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with store.lock("42"):
            raise RuntimeError("boom")
    async with asyncio.timeout(2):
        async with store.lock("42"):
            pass


async def test_lock_waiter_runs_after_holder(store: SessionStore) -> None:
    order: list[str] = []
    holder_in = asyncio.Event()

    async def holder() -> None:
        async with store.lock("42"):
            holder_in.set()
            await asyncio.sleep(0.1)
            order.append("holder done")

    async def waiter() -> None:
        await holder_in.wait()
        async with store.lock("42"):
            order.append("waiter in")

    async with asyncio.timeout(5):
        await asyncio.gather(holder(), waiter())
    assert order == ["holder done", "waiter in"]


async def test_a_write_left_for_the_release_is_made_as_it_is_released(
    store: SessionStore,
) -> None:
    async with store.lock("42", order=5) as held:
        await store.save("42", '{"v": 1}', dedupe="5")
        held.save_on_release('{"v": 2}')
        assert await store.load("42") == '{"v": 1}'  # not yet
    assert await store.load("42") == '{"v": 2}'
    assert await store.was_processed("5")


async def test_a_write_left_for_the_release_is_dropped_when_the_block_fails(
    store: SessionStore,
) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with store.lock("42") as held:
            held.save_on_release('{"v": 2}')
            raise RuntimeError("boom")
    assert await store.load("42") is None


async def test_the_inbox_keeps_updates_in_order_until_removed(make_store: MakeStore) -> None:
    store = make_store()
    await store.inbox_add([(12, '{"t": "b"}'), (11, '{"t": "a"}')])
    await store.inbox_add([(12, '{"t": "changed"}'), (13, SESSION)])  # a re-fetch: kept as is
    await store.inbox_add([])
    assert await store.inbox_pending() == [(11, '{"t": "a"}'), (12, '{"t": "b"}'), (13, SESSION)]
    await store.inbox_remove(12)
    await store.inbox_remove(99)  # missing: not an error
    assert [update_id for update_id, _ in await store.inbox_pending()] == [11, 13]
    if not isinstance(store, MemorySessionStore):  # durable: another process sees it
        assert [update_id for update_id, _ in await make_store().inbox_pending()] == [11, 13]


async def test_ping_ok(store: SessionStore) -> None:
    await store.save("42", SESSION)
    await store.ping()  # a healthy store: no StoreUnavailable
    assert await store.load("42") == SESSION  # its probe write leaves the sessions alone
    assert await store.inbox_pending() == []


# -- open_store URLs ------------------------------------------------------------------------


async def test_open_store_memory() -> None:
    store = open_store("memory://")
    assert isinstance(store, MemorySessionStore)
    await store.close()


async def test_open_store_sqlite_relative_and_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    relative = open_store("sqlite:///data/sessions.db")
    absolute = open_store(f"sqlite:///{tmp_path}/abs.db")
    try:
        assert isinstance(relative, SqliteSessionStore)
        assert isinstance(absolute, SqliteSessionStore)
        (tmp_path / "data").mkdir()
        await relative.save("42", SESSION)
        await absolute.save("42", SESSION)
        assert (tmp_path / "data" / "sessions.db").exists()
        assert (tmp_path / "abs.db").exists()
    finally:
        await relative.close()
        await absolute.close()


async def test_open_store_redis_does_not_connect_yet() -> None:
    store = open_store("redis://127.0.0.1:1/3", idle_ttl=60)
    assert isinstance(store, RedisSessionStore)
    await store.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgres://x", "STORE_URL 'postgres://x' is not supported: use sqlite:///path.db, "
         "redis://host:port/db or memory://"),
        ("", "STORE_URL '' is not supported"),
        ("sessions.db", "STORE_URL 'sessions.db' is not supported"),
        ("sqlite://sessions.db", "'sqlite://sessions.db' is not a valid sqlite URL: use "
         "sqlite:///relative/path.db or sqlite:////absolute/path.db"),
        ("sqlite:///", "is not a valid sqlite URL"),
        ("sqlite:///dir/", "is not a valid sqlite URL"),
        ("sqlite:///x.db?mode=ro", "is not a valid sqlite URL"),
        ("redis://", "'redis://' is not a valid redis URL: use redis://host:port/db"),
        ("redis://localhost:port/0", "is not a valid redis URL"),
        ("redis://localhost:6379/zero", "is not a valid redis URL"),
        ("redis://localhost:6379/0/1", "is not a valid redis URL"),
        ("memory://somewhere", "'memory://somewhere' is not a valid memory URL"),
    ],
)  # fmt: skip
def test_open_store_rejects_bad_urls(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"^STORE_URL ") as caught:
        open_store(url)
    assert message in str(caught.value)


def test_open_store_error_masks_the_password() -> None:
    with pytest.raises(ValueError, match="not a valid redis URL") as caught:
        open_store("redis://:hunter2@localhost:6379/x")
    assert "hunter2" not in str(caught.value)
    assert "***" in str(caught.value)


@pytest.mark.parametrize("idle_ttl", [0, -1.0])
def test_open_store_rejects_non_positive_ttl(idle_ttl: float) -> None:
    with pytest.raises(ValueError, match="idle_ttl must be a positive number"):
        open_store("memory://", idle_ttl=idle_ttl)


# -- the check-in schedule ------------------------------------------------------------------


async def test_a_check_in_is_claimed_once_it_is_due_and_not_before(store: SessionStore) -> None:
    await store.schedule("42", 1000.0)
    await store.schedule("7", 900.5)
    assert await store.claim_due(899.0, lease=30, limit=10) == []
    assert await store.claim_due(1000.0, lease=30, limit=10) == [("7", 900.5), ("42", 1000.0)]


async def test_a_claimed_check_in_is_hidden_for_its_lease_then_claimable_again(
    make_store: MakeStore,
) -> None:
    one, other = make_store(), make_store()
    await one.schedule("42", 1000.0)
    assert await one.claim_due(1000.0, lease=30, limit=10) == [("42", 1000.0)]
    assert await other.claim_due(1029.0, lease=30, limit=10) in ([], [("42", 1000.0)])
    if isinstance(one, MemorySessionStore):
        return  # memory stores are separate: the rest is about sharing one schedule
    assert await other.claim_due(1029.0, lease=30, limit=10) == []
    assert await other.claim_due(1031.0, lease=30, limit=10) == [("42", 1000.0)]  # claimer died


async def test_finished_unscheduled_or_deleted_check_ins_are_gone(store: SessionStore) -> None:
    for key in ("1", "2", "3"):
        await store.schedule(key, 100.0)
    await store.save("3", '{"a": 1}')
    await store.finish_due("1", 100.0)
    await store.unschedule("2")
    await store.delete("3")
    assert await store.claim_due(200.0, lease=30, limit=10) == []
    assert await store.load("3") is None


async def test_finishing_an_older_due_time_keeps_a_check_in_planned_anew(
    store: SessionStore,
) -> None:
    await store.schedule("42", 100.0)
    assert await store.claim_due(100.0, lease=30, limit=10) == [("42", 100.0)]
    await store.schedule("42", 700.25)  # planned again while the old one was being sent
    await store.finish_due("42", 100.0)
    assert await store.claim_due(700.25, lease=30, limit=10) == [("42", 700.25)]


async def test_claims_are_limited_earliest_first_and_exclusive_under_concurrency(
    make_store: MakeStore,
) -> None:
    stores = [make_store(), make_store()]
    if isinstance(stores[0], MemorySessionStore):
        stores = [stores[0], stores[0]]
    for n in range(40):
        await stores[0].schedule(str(n), 100.0 + n)
    assert [k for k, _ in await stores[0].claim_due(500.0, lease=60, limit=3)] == ["0", "1", "2"]
    batches = await asyncio.gather(
        *(stores[i % 2].claim_due(500.0, lease=60, limit=5) for i in range(20))
    )
    claimed = [key for batch in batches for key, _ in batch]
    assert sorted(claimed, key=int) == [str(n) for n in range(3, 40)]  # each exactly once
