"""RedisSessionStore specifics: key layout, transactions, cross-process locks, outages."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from bot.store import RedisSessionStore, ReleaseWriteFailed, StoreUnavailable
from bot.store._redis_batch import BatchedConnection
from bot.store._tag import tag
from tests.fakes.redis_server import RedisServer

SESSION = '{"state": "ask_side", "slots": {"name": "Zoë"}}'


@pytest.fixture
async def raw(redis_url: str) -> AsyncIterator[Redis]:
    """A plain client on the same database, to look at what the store wrote."""
    client = Redis.from_url(redis_url, decode_responses=True)
    yield client
    await client.aclose()


OpenStore = Callable[..., RedisSessionStore]


@pytest.fixture
async def open_store(redis_url: str) -> AsyncIterator[OpenStore]:
    """``open_store(**options)``: a store on the test database, like another replica; all are
    closed at the end."""
    opened: list[RedisSessionStore] = []

    def open_one(**options: Any) -> RedisSessionStore:
        opened.append(RedisSessionStore.from_url(redis_url, **options))
        return opened[-1]

    yield open_one
    for store in opened:
        await store.close()


@pytest.fixture
async def replicas(redis_url: str) -> AsyncIterator[list[RedisSessionStore]]:
    """Two stores on the same database, like two webhook replicas with their own connections."""
    stores = [RedisSessionStore.from_url(redis_url) for _ in range(2)]
    yield stores
    for store in stores:
        await store.close()


async def test_key_layout_and_expiry(redis_url: str, raw: Redis) -> None:
    store = RedisSessionStore.from_url(redis_url, idle_ttl=120)
    try:
        await store.save("42", SESSION, dedupe="1001")
        async with store.lock("42"):
            assert await raw.exists("hipbot:lock:42")
    finally:
        await store.close()
    assert sorted(await raw.keys("*")) == ["hipbot:session:42", "hipbot:update:1001"]
    assert await raw.get("hipbot:session:42") == SESSION
    assert await raw.get("hipbot:update:1001") == "1"
    assert 118_000 < await raw.pttl("hipbot:session:42") <= 120_000
    assert 86_300 < await raw.ttl("hipbot:update:1001") <= 86_400


async def test_no_idle_ttl_means_no_expiry(redis_url: str, raw: Redis) -> None:
    store = RedisSessionStore.from_url(redis_url, idle_ttl=None)
    try:
        await store.save("42", SESSION)
    finally:
        await store.close()
    assert await raw.ttl("hipbot:session:42") == -1  # exists, no expiry


async def test_save_is_one_script_that_writes_both_keys(
    redis_store: RedisSessionStore, raw: Redis
) -> None:
    async with raw.monitor() as monitor:
        await redis_store.save("42", SESSION, dedupe="7")
        sent: list[str] = []
        ran: list[str] = []
        async with asyncio.timeout(5):
            while len(ran) < 2:
                info = await monitor.next_command()
                word = str(info["command"]).split()[0].upper()
                (ran if info.get("client_type") == "lua" else sent).append(word)
    assert ran == ["SET", "SET"]  # the session and the processed marker, atomically
    assert sent[-1] == "EVALSHA" and "MULTI" not in sent
    assert await raw.get("hipbot:session:42") == SESSION
    assert await raw.ttl("hipbot:update:7") > 0


async def test_save_without_a_dedupe_id_is_one_set(
    redis_store: RedisSessionStore, raw: Redis
) -> None:
    async with raw.monitor() as monitor:
        await redis_store.save("42", SESSION)
        async with asyncio.timeout(5):
            info = await monitor.next_command()
            while str(info["command"]).split()[0].upper() in ("HELLO", "SELECT", "CLIENT"):
                info = await monitor.next_command()
    assert str(info["command"]).split()[:2] == ["SET", "hipbot:session:42"]


async def test_a_turn_costs_two_round_trips_of_locking_none_of_loading_and_of_emptying(
    redis_store: RedisSessionStore, raw: Redis
) -> None:
    await redis_store.save("42", SESSION, dedupe="7")
    async with redis_store.lock("warm-up", order=1):
        pass  # Redis now has the scripts
    async with raw.monitor() as monitor:
        async with redis_store.lock("42", order=8, dedupe="8") as held:
            assert await redis_store.load_unless_processed("42", "8") == (False, SESSION)
            await redis_store.save("42", '{"v": 2}', dedupe="8")
            # read again after a save: Redis is asked, not what taking the lock read
            assert await redis_store.load_unless_processed("42", "8") == (True, None)
            held.save_on_release('{"v": 3}')
        await raw.get("sentinel")
        commands: list[str] = []
        async with asyncio.timeout(5):
            while not commands or commands[-1] != "GET sentinel":
                info = await monitor.next_command()
                words = str(info["command"]).split()
                # not those a script ran, nor a new connection's set-up
                if info.get("client_type") != "lua" and words[0] not in ("HELLO", "SELECT"):
                    commands.append(" ".join(words[:2]) if words[0] == "GET" else words[0])
    assert commands == [
        "EVALSHA",  # join the queue, check it, take the lock, read the session
        "EVALSHA",  # the save: the session and the processed marker in one script
        "EXISTS", "GET hipbot:session:42",  # the second read
        "EVALSHA",  # write what was left for the release, release the lock, leave the queue
        "GET sentinel",
    ]  # fmt: skip
    assert await raw.get("hipbot:session:42") == '{"v": 3}'


async def test_concurrent_turns_share_one_connection_and_a_few_writes(
    redis_store: RedisSessionStore, raw: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with redis_store.lock("warm-up", order=1, dedupe="warm-up"):
        await redis_store.save("warm-up", SESSION, dedupe="warm-up")  # Redis has the scripts
    batched = redis_store._batched
    batches: list[int] = []
    exchange = batched._exchange

    async def counted(commands: list[Any]) -> list[Any]:
        batches.append(len(commands))
        return await exchange(commands)

    monkeypatch.setattr(batched, "_exchange", counted)

    async def turn(chat: int) -> None:
        async with redis_store.lock(str(chat), order=chat, dedupe=str(chat)) as held:
            assert await redis_store.load_unless_processed(str(chat), str(chat)) == (False, None)
            await redis_store.save(str(chat), SESSION, dedupe=str(chat))
            held.save_on_release(SESSION)

    await asyncio.gather(*(turn(chat) for chat in range(50)))
    assert sum(batches) == 50 * 3  # take the lock, save, release: nothing else
    assert len(batches) <= 10  # the commands of many chats went out together
    assert await raw.get("hipbot:session:49") == SESSION and not await raw.keys("hipbot:lock:*")
    # the test's own clients (this one, the fixture's that emptied the database) left out
    others = ("client|list", "flushdb")
    assert len([c for c in await raw.client_list() if c["cmd"] not in others]) == 1


async def test_batched_commands_keep_their_own_replies(redis_url: str) -> None:
    client = Redis.from_url(redis_url, decode_responses=True)
    batched = BatchedConnection(client.connection_pool, client.get_retry())
    try:
        await batched.call(("SET", "text", "v"))
        good, wrong_type, both = await asyncio.gather(
            batched.call(("GET", "text")),
            batched.call(("LPUSH", "text", "x")),  # an error reply fails its own caller only
            batched.call(("EXISTS", "text"), ("GET", "missing")),
            return_exceptions=True,
        )
        assert good == ["v"] and isinstance(wrong_type, ResponseError) and both == [1, None]

        slow = asyncio.create_task(batched.call(("DEBUG", "SLEEP", "0.05")))
        await asyncio.sleep(0.01)
        slow.cancel()  # its reply still comes, and is dropped: the next reply is the next one's
        assert await batched.call(("GET", "text")) == ["v"]
    finally:
        await batched.close()
        await client.aclose()


async def test_a_closed_store_fails_at_once(redis_url: str) -> None:
    store = RedisSessionStore.from_url(redis_url)
    await store.save("42", SESSION)
    await store.close()
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="closed"):
        await store.load("42")
    assert time.monotonic() - started < 0.1  # not retried


async def test_scripts_are_loaded_again_after_a_flush(
    redis_store: RedisSessionStore, raw: Redis
) -> None:
    async with redis_store.lock("42", order=1, dedupe="1"):
        pass
    await raw.script_flush()  # a restarted Redis, or SCRIPT FLUSH: EVALSHA answers NOSCRIPT
    async with redis_store.lock("42", order=2, dedupe="2") as held:
        held.save_on_release(SESSION)
    assert await redis_store.load("42") == SESSION


async def test_lock_is_exclusive_across_replicas(replicas: list[RedisSessionStore]) -> None:
    rounds = 10

    async def increment(store: RedisSessionStore) -> None:
        for _ in range(rounds):
            async with store.lock("42"):
                raw_value = await store.load("42")
                count = json.loads(raw_value)["count"] if raw_value else 0
                await asyncio.sleep(0.005)  # the other replica tries to get in here
                await store.save("42", json.dumps({"count": count + 1}))

    async with asyncio.timeout(20):
        await asyncio.gather(*(increment(store) for store in replicas for _ in range(2)))
    assert json.loads(await replicas[0].load("42") or "")["count"] == 4 * rounds


async def test_lock_wait_gives_up_with_store_unavailable(open_store: OpenStore) -> None:
    holder, impatient = open_store(), open_store(lock_wait=0.2)
    async with holder.lock("42"):
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="still held by another process") as failure:
            async with impatient.lock("42"):
                pytest.fail("entered a lock held by another replica")
        assert 0.15 < time.monotonic() - started < 2
    said = str(failure.value).split(": ", 1)[1]
    assert tag("42") in said and "42" not in said.replace(tag("42"), "")  # no chat (user) id
    async with asyncio.timeout(2), impatient.lock("42"):
        pass  # free again once the holder released it


async def test_lock_of_a_crashed_holder_expires(
    open_store: OpenStore, caplog: pytest.LogCaptureFixture
) -> None:
    crashed, survivor = open_store(lock_timeout=0.3), open_store(lock_wait=5)
    held = crashed.lock("42")
    await held.__aenter__()  # and never leaves: the process "died" holding it
    started = time.monotonic()
    async with survivor.lock("42"):
        assert time.monotonic() - started > 0.1
    with caplog.at_level(logging.ERROR, logger="bot.store.redis"):
        await held.__aexit__(None, None, None)  # the late holder finds the lock gone
    assert "expired while held" in caplog.text
    said = " ".join(caplog.messages)
    assert tag("42") in said and "42" not in said.replace(tag("42"), "")  # no chat (user) id


async def test_a_working_holder_keeps_its_lock_past_the_lease(open_store: OpenStore) -> None:
    holder = open_store(lock_lease=0.6, lock_timeout=10)
    impatient = open_store(lock_wait=1.5)
    async with holder.lock("42"):
        with pytest.raises(StoreUnavailable, match="still held"):
            async with impatient.lock("42"):
                pytest.fail("entered a lock whose holder is still working")
    async with asyncio.timeout(2), impatient.lock("42"):
        pass


HOLD_AND_WAIT = """
import asyncio, sys
from bot.store import RedisSessionStore

async def main():
    store = RedisSessionStore.from_url(sys.argv[1], lock_lease=0.6, lock_timeout=60)
    async with store.lock("42"):
        print("held", flush=True)
        await asyncio.sleep(60)

asyncio.run(main())
"""


async def test_the_lock_of_a_killed_process_frees_itself_within_the_lease(
    redis_url: str, open_store: OpenStore
) -> None:
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOLD_AND_WAIT, redis_url, stdout=asyncio.subprocess.PIPE
    )
    survivor, impatient = open_store(lock_wait=10), open_store(lock_wait=0.1)
    try:
        assert holder.stdout is not None
        async with asyncio.timeout(20):
            assert await holder.stdout.readline() == b"held\n"
        await asyncio.sleep(1.0)  # past the lease, renewed meanwhile: still held
        with pytest.raises(StoreUnavailable):
            async with impatient.lock("42"):
                pytest.fail("entered a lock whose holder is alive")
        holder.kill()  # SIGKILL: no release, no more renewals
        await holder.wait()
        killed = time.monotonic()
        async with survivor.lock("42"):
            assert time.monotonic() - killed < 0.6 + 1.0  # not the 60 s of lock_timeout
    finally:
        if holder.returncode is None:
            holder.kill()
            await holder.wait()


async def test_a_write_left_for_the_release_is_not_made_once_the_lock_was_lost(
    open_store: OpenStore, caplog: pytest.LogCaptureFixture
) -> None:
    slow = open_store(lock_lease=0.2, lock_timeout=0.2)
    other = open_store(lock_wait=5)
    with pytest.raises(ReleaseWriteFailed, match="lost"):
        async with slow.lock("42") as held:
            async with other.lock("42"):  # got in once the lock expired
                await other.save("42", '{"by": "other"}')
            held.save_on_release('{"by": "slow"}')
    assert await other.load("42") == '{"by": "other"}'
    assert "expired while held" in caplog.text


async def test_a_hung_holder_loses_its_lock_after_the_timeout(
    open_store: OpenStore, caplog: pytest.LogCaptureFixture
) -> None:
    hung = open_store(lock_lease=0.3, lock_timeout=1.0)
    survivor = open_store(lock_wait=5)

    async def hang() -> None:
        async with hung.lock("42"):
            await asyncio.sleep(4)

    with caplog.at_level(logging.ERROR, logger="bot.store.redis"):
        task = asyncio.create_task(hang())
        await asyncio.sleep(0.05)
        started = time.monotonic()
        async with survivor.lock("42"):
            assert 0.7 < time.monotonic() - started < 3.0  # not the 4 s it hung
        await task
    assert "expired while held" in caplog.text


async def test_entries_of_a_crashed_attempt_go_once_the_update_is_processed(
    redis_store: RedisSessionStore, raw: Redis
) -> None:
    queue = "hipbot:queue:42"
    await raw.zadd(queue, {f"{time.time() + 60:.3f}:crashed-attempt": 6})  # looks alive
    async with (
        asyncio.timeout(2),
        redis_store.lock("42", order=6, dedupe="6"),
    ):  # Telegram's retry of 6
        await redis_store.save("42", SESSION, dedupe="6")
    assert await raw.zcard(queue) == 0
    async with asyncio.timeout(2), redis_store.lock("42", order=7):
        pass  # the next update is not held up by the crashed attempt


async def test_entries_of_an_update_not_processed_stay(
    redis_store: RedisSessionStore, raw: Redis
) -> None:
    queue = "hipbot:queue:42"
    await raw.zadd(queue, {f"{time.time() + 60:.3f}:retry-waiting": 6})
    async with asyncio.timeout(2), redis_store.lock("42", order=6, dedupe="6"):
        pass  # failed before saving: the update will be retried, its waiter keeps its place
    entries = [str(entry) for entry in await raw.zrange(queue, 0, -1)]
    assert len(entries) == 1 and entries[0].endswith(":retry-waiting")


async def test_bytes_responses_are_decoded(redis_url: str) -> None:
    store = RedisSessionStore(Redis.from_url(redis_url))  # decode_responses=False
    try:
        await store.save("42", SESSION)
        assert await store.load("42") == SESSION
    finally:
        await store.close()


async def test_unreachable_redis_raises_store_unavailable() -> None:
    store = RedisSessionStore.from_url("redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        with pytest.raises(StoreUnavailable, match=r"Redis at 127\.0\.0\.1:1/0 is unavailable"):
            await store.ping()
    finally:
        await store.close()


async def test_stopped_redis_raises_store_unavailable_then_recovers(
    redis_server_factory: Callable[..., RedisServer],
) -> None:
    server = redis_server_factory()
    store = RedisSessionStore.from_url(f"{server.url}/0")
    try:
        await store.ping()
        await store.save("42", SESSION, dedupe="1")
        server.stop()

        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="is unavailable"):
            await store.ping()
        with pytest.raises(StoreUnavailable):
            await store.load("42")
        with pytest.raises(StoreUnavailable):
            await store.save("42", SESSION, dedupe="2")
        with pytest.raises(StoreUnavailable):
            await store.was_processed("1")
        with pytest.raises(StoreUnavailable):
            await store.delete("42")
        with pytest.raises(StoreUnavailable):
            async with store.lock("42"):
                pytest.fail("locked a key on a stopped server")
        assert time.monotonic() - started < 10

        redis_server_factory(port=server.port)  # back (empty: nothing is persisted)
        await store.ping()
        await store.save("42", SESSION, dedupe="3")
        assert await store.load("42") == SESSION
    finally:
        await store.close()


async def test_ping_proves_a_write_and_fails_when_redis_is_out_of_memory(
    redis_server_factory: Callable[..., RedisServer],
) -> None:
    server = redis_server_factory()
    store = RedisSessionStore.from_url(f"{server.url}/0")
    try:
        await store.ping()
        room = await store.capacity()
        assert room["memory_used_bytes"] > 0 and room["memory_limit_bytes"] == 0
        async with Redis(port=server.port) as admin:
            await admin.config_set("maxmemory-policy", "noeviction")
            await admin.config_set("maxmemory", "1")  # every write is refused: OOM
            await admin.ping()  # reads still work: a ping alone would call this healthy
        with pytest.raises(StoreUnavailable, match=r"OutOfMemory|OOM"):
            await store.ping()
        assert (await store.capacity())["memory_limit_bytes"] == 1
    finally:
        await store.close()
