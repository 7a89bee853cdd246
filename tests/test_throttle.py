"""429s are kept to what they are about: one chat's back-off delays that chat only, a global
429 slows the whole bot (bot/channels/throttle.py), over real HTTP with the fake Bot API."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator

import pytest

from bot.channels.aiohttp_request import DEFAULT_TIMEOUT
from bot.channels.telegram import UPDATE_BUDGET_SECONDS
from bot.channels.throttle import Throttle
from bot.store import MemorySessionStore, RedisSessionStore
from tests.fakes.bot_api import FakeBotAPI
from tests.support.faults import Webhook, report, webhook

LATENCY = 0.1  # seconds every Bot API call takes: the turns wait on I/O, not on the CPU
CHATS = range(9001, 9009)
TURNS = 10  # per chat, one at a time as Telegram sends them
FLOODED = 4242
RETRY_AFTER = 2  # seconds; AIORateLimiter paused every chat this long, three times
FLOOD_429S = 3
ROUNDS = 3


async def throughput(hook: Webhook, ids: Iterator[int], turns: int = TURNS) -> float:
    """Updates per second the other chats get through, each chat one update at a time."""

    async def chat(chat_id: int) -> None:
        for _ in range(turns):
            update = {"update_id": next(ids), **hook.api.make_text_update(chat_id, "hello")}
            assert (await hook.post(update)).status_code == 200

    started = time.perf_counter()
    await asyncio.gather(*(chat(chat_id) for chat_id in CHATS))
    return len(CHATS) * turns / (time.perf_counter() - started)


async def test_one_chats_429s_leave_the_other_chats_throughput_alone(
    fake_bot_api: FakeBotAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    api = fake_bot_api
    ids = itertools.count(1)
    async with webhook(api, MemorySessionStore(), request_timeout=5.0) as hook:
        api.latency = LATENCY
        await throughput(hook, ids, turns=5)  # warm up: connections, caches
        # the best of a few rounds on each side: a busy machine only ever slows a round
        normal = max([await throughput(hook, ids) for _ in range(ROUNDS)])
        api.fail_next(
            "sendMessage", chat_id=FLOODED, status=429, retry_after=RETRY_AFTER, times=FLOOD_429S
        )
        flood = {"update_id": next(ids), **api.make_text_update(FLOODED, "hello")}
        flooded = asyncio.create_task(hook.post(flood))
        await api.wait_for(lambda call: call.fault == 429, method="sendMessage")
        limited = max([await throughput(hook, ids) for _ in range(ROUNDS)])
        assert not flooded.done()  # every round ran while the chat was backing off
        assert (await flooded).status_code == 200  # waited out its own back-off, then sent
        api.latency = 0
    ratio = limited / normal
    assert ratio >= 0.9, f"{normal:.0f}/s normally, {limited:.0f}/s while one chat got 429s"
    assert len(api.sent_messages(FLOODED)) == 1
    assert [c.fault for c in api.calls("sendMessage") if c.params["chat_id"] == FLOODED] == [
        429
    ] * FLOOD_429S + [None]
    report(capsys, f"one chat answered 429 (retry_after {RETRY_AFTER} s) {FLOOD_429S} times: "
           f"other chats {normal:.0f} updates/s before, {limited:.0f}/s during "
           f"({ratio:.0%})", FLOOD_429S, [], [])  # fmt: skip


def test_a_429_for_one_chat_delays_that_chat_only() -> None:
    now = [100.0]
    throttle = Throttle(clock=lambda: now[0])
    throttle.record(1, 5)
    assert throttle.wait(1) == 5
    assert throttle.wait(2) == 0 and throttle.wait(None) == 0
    now[0] += 4
    assert throttle.wait(1) == pytest.approx(1)
    now[0] += 1
    assert throttle.wait(1) == 0 and throttle.limited_chats == 0


def test_a_429_without_a_chat_or_for_several_chats_at_once_slows_everyone() -> None:
    now = [100.0]
    throttle = Throttle(clock=lambda: now[0], global_chats=3, window=1.0)
    throttle.record(None, 2)
    assert throttle.wait(7) == 2 and throttle.wait(None) == 2
    now[0] += 2
    throttle.record(1, 3)
    now[0] += 0.5
    throttle.record(2, 3)
    assert throttle.wait(9) == 0  # two chats: their own floods
    now[0] += 0.4
    throttle.record(3, 3)  # three chats within a second: the bot's overall limit
    assert throttle.wait(9) == pytest.approx(3)
    assert throttle.wait(None) == pytest.approx(3)


def test_429s_of_chats_far_apart_stay_with_their_chats() -> None:
    now = [0.0]
    throttle = Throttle(clock=lambda: now[0], global_chats=3, window=1.0)
    for chat in range(10):
        throttle.record(chat, 1)
        now[0] += 2
    assert throttle.wait(None) == 0


def test_the_work_under_a_chat_lock_ends_before_the_lock_can_expire() -> None:
    """An update's delivery stops waiting at its budget; the send under way then ends within
    one read timeout, and the turn's last writes within the store's timeouts. All of it must
    fit in the lock's lifetime, or a second replica could take the chat meanwhile."""
    store = RedisSessionStore.from_url("redis://127.0.0.1:6399/0")  # never connected
    socket_timeout = store._redis.connection_pool.connection_kwargs["socket_timeout"]
    worst = UPDATE_BUDGET_SECONDS + DEFAULT_TIMEOUT + 2 * socket_timeout
    assert worst < store.lock_timeout
    assert UPDATE_BUDGET_SECONDS + DEFAULT_TIMEOUT < 55  # a proxy's patience
