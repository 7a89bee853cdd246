"""Check-ins sent by real ``hipbot webhook`` processes against the fake Bot API, with a check-in
"day" scaled down to one second (``CHECKIN_DAY_SECONDS=1``) and a 2 s claim lease.

Redis, two replicas: every opted-in chat gets exactly one check-in at its due time, also when one
replica is killed with SIGKILL while it sends one; none after ``/forget`` or a 403. SQLite, one
replica killed mid-send and started again: none is lost, none is doubled.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.store import SessionStore, open_store
from tests.fakes.bot_api import Call, FakeBotAPI
from tests.support.checkins import at_result
from tests.support.engine import real_engine
from tests.support.ports import free_port
from tests.support.processes import (
    SECRET,
    assert_no_secrets,
    bot_env,
    bot_process,
    post,
    webhook_client,
)

ASKED = "How is the hip compared"
CHATS = int(os.environ.get("HIPBOT_TEST_CHECKIN_CHATS", "24"))
"""Opted-in chats per test; the README's figures for 200 come from ``=200``."""
LEASE = 2.0
JSON = dict[str, Any]
_update_ids = itertools.count(1)


def env(api: FakeBotAPI, store_url: str, port: int) -> dict[str, str]:
    return bot_env(
        api, STORE_URL=store_url, WEBHOOK_SECRET=SECRET, WEBHOOK_PORT=str(port),
        CHECKIN_DAY_SECONDS="1", CHECKIN_LEASE_SECONDS=str(LEASE), LOG_LEVEL="INFO",
        TELEGRAM_MAX_MESSAGES_PER_SECOND="300",
    )  # fmt: skip


def check_ins(api: FakeBotAPI) -> list[Call]:
    """The check-ins the fake Bot API delivered (a call answered with a fault delivered none)."""
    return [
        call
        for call in api.calls("sendMessage")
        if call.fault in (None, 0) and ASKED in str(call.params.get("text", ""))
    ]


async def seed(store_url: str, chats: list[int]) -> int:
    """Store each chat at a self-care result; the step its buttons carry."""
    store: SessionStore = open_store(store_url)
    session = at_result(real_engine())
    try:
        for chat in chats:
            await store.save(str(chat), session.to_json())
    finally:
        await store.close()
    return session.step


async def tap(client: httpx.AsyncClient, api: FakeBotAPI, chat: int, data: str) -> None:
    update = {"update_id": next(_update_ids), **api.make_callback_update(chat, data, 1)}
    assert await post(client, update) == 200


async def text(client: httpx.AsyncClient, api: FakeBotAPI, chat: int, words: str) -> None:
    update = {"update_id": next(_update_ids), **api.make_text_update(chat, words)}
    assert await post(client, update) == 200


async def wait_for(condition: Any, what: str, timeout: float) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:g} s for {what}")
        await asyncio.sleep(0.05)


def report(capsys: pytest.CaptureFixture[str], title: str, lines: list[str]) -> None:
    with capsys.disabled():
        print(f"\n[check-ins] {title}: " + "; ".join(lines))


def lateness(calls: list[Call], due: dict[int, float]) -> list[float]:
    return sorted(call.at - due[int(call.params["chat_id"])] for call in calls)


async def test_two_redis_replicas_send_each_check_in_once_also_when_one_is_killed_mid_send(
    fake_bot_api_thread: FakeBotAPI, redis_url: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    api = fake_bot_api_thread
    chats = [7000 + n for n in range(CHATS)]
    forgot, blocked = chats[0], chats[1]
    step = await seed(redis_url, chats)
    ports = free_port(), free_port()
    with (
        bot_process(["webhook"], env(api, redis_url, ports[0]), tmp_path, "a") as first,
        bot_process(["webhook"], env(api, redis_url, ports[1]), tmp_path, "b") as second,
    ):
        async with webhook_client(ports[0], first) as a, webhook_client(ports[1], second) as b:
            due: dict[int, float] = {}
            for n, chat in enumerate(chats):  # half in 3 "days" (3 s), half in a week (7 s)
                days = 3 if n % 2 else 7
                due[chat] = time.time() + days
                await tap((a, b)[n % 2], api, chat, f"{step}:checkin_{days}")
            await text(b, api, forgot, "/forget")
            api.fail_next("sendMessage", status=403, chat_id=blocked, times=3)
            first_wave = [c for n, c in enumerate(chats) if n % 2 and c != blocked]
            await wait_for(lambda: len(check_ins(api)) >= len(first_wave), "the 3-day wave", 12)

            # the second wave: replica b is paused, a sends until it is killed mid-send (its
            # first check-in is held at the Bot API, then would fail: it is not delivered)
            second.process.send_signal(signal.SIGSTOP)
            api.fail_next("sendMessage", status=502, delay=5)
            await api.wait_for(lambda call: call.fault == 502, method="sendMessage", timeout=10)
            assert first.kill(signal.SIGKILL) == -signal.SIGKILL
            killed_at = time.time()
            second.process.send_signal(signal.SIGCONT)
            expected = [c for c in chats if c not in (forgot, blocked)]
            await wait_for(lambda: len(check_ins(api)) >= len(expected), "the 7-day wave", 15)
            await asyncio.sleep(LEASE + 1)  # anything doubled would show by now
    calls = check_ins(api)
    per_chat = Counter(int(call.params["chat_id"]) for call in calls)
    assert per_chat == Counter(expected)  # exactly once each; none after /forget or a 403
    store = open_store(redis_url)
    try:
        assert await store.load(str(forgot)) is None and await store.load(str(blocked)) is None
        assert await store.claim_due(time.time() + 30, lease=1, limit=100) == []
    finally:
        await store.close()
    late = lateness(calls, due)
    on_time = list(lateness([c for c in calls if c.at < killed_at], due))
    after = lateness([c for c in calls if c.at >= killed_at], due)
    assert on_time and max(on_time) < 2.0 and min(late) > -0.1
    assert "Traceback" not in second.log
    for process in (first, second):
        assert_no_secrets(process.log, api.token, SECRET)
    # The killed replica's last check-in waits for its chat's Redis lock to expire (10 s).
    report(capsys, "2 Redis replicas, one SIGKILLed mid-send", [
        f"{len(expected)} opted-in chats (+1 /forget, +1 blocked: 403)",
        f"{len(calls)} check-ins, {max(per_chat.values())} at most per chat",
        f"sent before the kill {len(on_time)}, lateness {min(on_time):.2f}-{max(on_time):.2f} s",
        f"after the kill: {len(after)} sent, median {after[len(after) // 2]:.2f} s late, "
        f"at most {max(after):.2f} s (lease {LEASE:g} s)",
    ])  # fmt: skip


async def test_a_sqlite_webhook_killed_mid_send_and_restarted_loses_and_doubles_none(
    fake_bot_api_thread: FakeBotAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = fake_bot_api_thread
    store_url = f"sqlite:///{tmp_path / 'sessions.db'}"
    chats = [8000 + n for n in range(CHATS)]
    step = await seed(store_url, chats)
    port = free_port()
    due: dict[int, float] = {}
    with bot_process(["webhook"], env(api, store_url, port), tmp_path, "first") as first:
        async with webhook_client(port, first) as client:
            for chat in chats:
                due[chat] = time.time() + 3
                await tap(client, api, chat, f"{step}:checkin_3")
            api.fail_next("sendMessage", status=502, delay=5)
            await api.wait_for(lambda call: call.fault == 502, method="sendMessage", timeout=10)
            assert first.kill(signal.SIGKILL) == -signal.SIGKILL
    sent_before = len(check_ins(api))
    with bot_process(["webhook"], env(api, store_url, port), tmp_path, "second") as second:
        async with webhook_client(port, second):
            await wait_for(lambda: len(check_ins(api)) >= len(chats), "every check-in", 15)
            await asyncio.sleep(LEASE + 1)
    calls = check_ins(api)
    assert Counter(int(call.params["chat_id"]) for call in calls) == Counter(chats)
    assert "Traceback" not in second.log
    report(capsys, "SQLite webhook SIGKILLed mid-send, restarted", [
        f"{len(chats)} chats, {len(calls)} check-ins (each once)",
        f"{sent_before} before the kill, the rest after the restart",
        f"lateness at most {max(lateness(calls, due)):.2f} s",
    ])  # fmt: skip
