"""Faults survived by the real ``python -m bot`` processes: killed with SIGKILL in the middle of a
turn and restarted, and stopped with SIGTERM while updates are in flight.

The kill with polling is in ``tests/test_processes.py`` (``test_polling_carries_on_after_sigkill``).
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import socket
import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.channels.aiohttp_request import DEFAULT_TIMEOUT
from bot.dialogue import Session
from bot.outbox import decode
from tests.fakes.bot_api import FakeBotAPI
from tests.support.faults import reference_at, report, same_conversation
from tests.support.ports import free_port
from tests.support.processes import (
    SECRET,
    assert_no_secrets,
    bot_env,
    bot_process,
    post,
    wait_until,
    webhook_client,
)
from tests.support.telegram import Reference, Sent, as_sent, consultation, update_for

CHAT = 8080

STOP_WITHIN = 10.0  # seconds from SIGTERM to exit
HELD = 1.5  # seconds the fake Bot API holds the reply in flight


def sent(api: FakeBotAPI) -> list[Sent]:
    return [as_sent(m) for m in api.sent_messages(CHAT)]


def stored(db: Path) -> tuple[Session | None, int]:
    """The chat's session in the SQLite file and how many replies its outbox still holds."""
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT data FROM sessions WHERE key = ?", (str(CHAT),)).fetchone()
    finally:
        conn.close()
    if row is None:
        return None, 0
    record = decode(row[0])
    return record.session, len(record.outbox.replies) if record.outbox else 0


def refused(port: int) -> bool:
    """Whether a new connection to ``port`` is refused."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return True
    return False


async def wait_for(condition: Any, what: str, timeout: float = 15.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:g} s for {what}")
        await asyncio.sleep(0.01)


def webhook_env(api: FakeBotAPI, db: Path, port: int) -> dict[str, str]:
    return bot_env(api, STORE_URL=f"sqlite:///{db}", WEBHOOK_SECRET=SECRET, WEBHOOK_PORT=str(port))


# -- (3) SIGKILL in the middle of a turn ---------------------------------------------------------


async def test_a_webhook_killed_mid_turn_sends_the_reply_once_after_the_restart(
    fake_bot_api_thread: FakeBotAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = fake_bot_api_thread
    db, port = tmp_path / "sessions.db", free_port()
    actions = consultation()
    half = 6
    with bot_process(["webhook"], webhook_env(api, db, port), tmp_path, "first") as first:
        async with webhook_client(port, first) as client:
            for update_id, action in enumerate(actions[:half], start=1):
                assert await post(client, update_for(api, action, update_id, CHAT)) == 200
            # the reply is held at the Bot API (and then fails): the kill lands after the turn
            # was saved and before its reply went out
            api.fail_next("sendMessage", status=502, delay=5)
            in_flight = asyncio.create_task(
                post(client, update_for(api, actions[half], half + 1, CHAT))
            )
            await api.wait_for(lambda call: call.fault == 502, method="sendMessage", timeout=10)
            assert first.kill(signal.SIGKILL) == -signal.SIGKILL
            with pytest.raises(httpx.TransportError):
                await in_flight
    session, pending = stored(db)
    same_conversation(session, reference_at(half + 1))  # saved, with its reply still to send
    assert pending == len(actions[half].expected)
    assert sent(api) == [m for action in actions[:half] for m in action.expected]

    with bot_process(["webhook"], webhook_env(api, db, port), tmp_path, "second") as second:
        async with webhook_client(port, second) as client:
            # Telegram retries the update it got no answer for: the reply goes out, once
            assert await post(client, update_for(api, actions[half], half + 1, CHAT)) == 200
            assert sent(api) == [m for action in actions[: half + 1] for m in action.expected]
            for update_id, action in enumerate(actions[half + 1 :], start=half + 2):
                assert await post(client, update_for(api, action, update_id, CHAT)) == 200
        assert second.kill(signal.SIGTERM) == 0
    expected = [m for action in actions for m in action.expected]
    assert sent(api) == expected
    session, pending = stored(db)
    same_conversation(session, reference_at(len(actions)))
    assert pending == 0
    for process in (first, second):
        assert_no_secrets(process.log, api.token, SECRET)
        assert "Traceback" not in process.log
    report(capsys, "webhook + SQLite killed (SIGKILL) mid-turn, restarted", 1, sent(api),
           expected)  # fmt: skip


# -- (4) SIGTERM: in-flight updates finish, nothing new is accepted ------------------------------


async def test_a_webhook_stops_gracefully_on_sigterm(
    fake_bot_api_thread: FakeBotAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = fake_bot_api_thread
    db, port = tmp_path / "sessions.db", free_port()
    greeting, start, *_ = consultation()
    with bot_process(["webhook"], webhook_env(api, db, port), tmp_path, "webhook") as process:
        async with webhook_client(port, process) as client:
            assert await post(client, update_for(api, greeting, 1, CHAT)) == 200
            api.delay_next("sendMessage", HELD)
            in_flight = asyncio.create_task(post(client, update_for(api, start, 2, CHAT)))
            await api.wait_for(lambda call: call.fault == 0, method="sendMessage", timeout=10)
            process.process.send_signal(signal.SIGTERM)
            stopping = time.monotonic()
            await wait_for(lambda: refused(port), "new connections to be refused", timeout=3)
            assert not in_flight.done()  # refused while the update in flight is still going
            assert await in_flight == 200
        code = await asyncio.to_thread(process.process.wait, STOP_WITHIN)
        took = time.monotonic() - stopping
    assert_stopped_after_the_turn("webhook", code, took, process.log, api, db, capsys)


async def test_polling_stops_gracefully_on_sigterm(
    fake_bot_api_thread: FakeBotAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = fake_bot_api_thread
    db = tmp_path / "sessions.db"
    greeting, start, *_ = consultation()
    env = bot_env(api, STORE_URL=f"sqlite:///{db}")
    with bot_process(["polling"], env, tmp_path, "polling") as process:
        await api.wait_for(method="getUpdates", timeout=20)
        api.push_text(CHAT, greeting.value)
        await wait_for(lambda: len(sent(api)) == len(greeting.expected), "the greeting")
        api.delay_next("sendMessage", HELD)
        message = api.sent_messages(CHAT)[-1]["message_id"]
        api.push_callback(CHAT, start.callback_data, message)
        await api.wait_for(lambda call: call.fault == 0, method="sendMessage", timeout=10)
        polls = len(api.calls("getUpdates"))
        process.process.send_signal(signal.SIGTERM)
        stopping = time.monotonic()
        # once polling has stopped (its last getUpdates only confirms), a new update is left
        # with Telegram for the next run
        await wait_for(
            lambda: any(not c.params.get("timeout") for c in api.calls("getUpdates")[polls:]),
            "the last getUpdates",
            timeout=5,
        )
        late = api.push_text(CHAT, "/help")
        code = await asyncio.to_thread(process.process.wait, STOP_WITHIN)
        took = time.monotonic() - stopping
    assert [u["update_id"] for u in api.pending_updates()] == [late["update_id"]]
    assert_stopped_after_the_turn("polling", code, took, process.log, api, db, capsys)


def assert_stopped_after_the_turn(
    mode: str, code: int, took: float, log: str, api: FakeBotAPI, db: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """SIGTERM let the turn in flight finish (its reply sent, saved, outbox empty), then exit 0."""
    greeting, start, *_ = consultation()
    assert code == 0, log
    assert took < STOP_WITHIN
    assert sent(api) == greeting.expected + start.expected  # the reply in flight went out
    session, pending = stored(db)
    same_conversation(session, reference_at(2))
    assert pending == 0
    assert "Traceback" not in log
    report(capsys, f"{mode} SIGTERM with a reply in flight (exit 0 in {took:.1f} s)", 1,
           sent(api), greeting.expected + start.expected)  # fmt: skip


# -- (4) polling killed with a batch in flight ---------------------------------------------------

BATCH_CHATS = range(7001, 7031)
SLOW_SEND = 1.5  # seconds the fake Bot API takes for each reply of the first run


def test_polling_killed_mid_batch_with_a_slow_bot_api_loses_no_update(
    fake_bot_api_thread: FakeBotAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """30 chats send two messages each; the batch is fetched and confirmed (the fake forgets
    updates below the next offset, as Telegram does), replies are in flight and the second
    messages wait behind their chat's first when the poller is killed. After the restart every
    message is answered: none lost, none applied twice, no reply more than twice."""
    api = fake_bot_api_thread
    db = tmp_path / "sessions.db"
    env = bot_env(api, STORE_URL=f"sqlite:///{db}")
    reference = Reference()
    expected = reference.text("/start") + reference.text("/help")
    with bot_process(["polling"], env, tmp_path, "first") as first:
        api.wait_for_sync(method="getUpdates", timeout=20)
        api.delay_next("sendMessage", SLOW_SEND, times=len(BATCH_CHATS))
        for chat in BATCH_CHATS:
            api.push_text(chat, "/start")
        for chat in BATCH_CHATS:
            api.push_text(chat, "/help")
        wait_until(lambda: not api.pending_updates(), "the batch to be confirmed")
        held = api.wait_for_sync(
            lambda call: call.fault == 0, method="sendMessage", count=len(BATCH_CHATS)
        )
        in_flight = len(held)
        assert not api.sent_messages()  # replies are on their way, none arrived yet
        assert first.kill(signal.SIGKILL) == -signal.SIGKILL
    with bot_process(["polling"], env, tmp_path, "second") as second:
        wait_until(
            lambda: all(len(api.sent_messages(chat)) >= len(expected) for chat in BATCH_CHATS),
            "every message to be answered", timeout=30,
        )  # fmt: skip
        time.sleep(0.5)
        assert second.kill(signal.SIGTERM) == 0
    lost = duplicated = 0
    for chat in BATCH_CHATS:
        seen = Counter(as_sent(m) for m in api.sent_messages(chat))
        due = Counter(expected)
        lost += sum((due - seen).values())
        duplicated += sum((seen - due).values())
        assert max(seen.values()) <= 2, chat
        conn = sqlite3.connect(db)
        try:
            row = conn.execute("SELECT data FROM sessions WHERE key = ?", (str(chat),)).fetchone()
            kept = conn.execute("SELECT COUNT(*) FROM inbox").fetchone()[0]
        finally:
            conn.close()
        record = decode(row[0])
        same_conversation(record.session, reference)  # each message applied exactly once
        assert record.outbox is None
        assert kept == 0
    assert lost == 0
    for process in (first, second):
        assert_no_secrets(process.log, api.token)
        assert "Traceback" not in process.log
    with capsys.disabled():
        print(f"\nfaults: polling + SQLite killed (SIGKILL) with {len(BATCH_CHATS)} chats' batch "
              f"confirmed, {in_flight} replies in flight ({SLOW_SEND} s Bot API) and "
              f"{len(BATCH_CHATS)} messages waiting behind them: {lost} messages lost, "
              f"0 applied twice, {duplicated} replies duplicated (at most 2 copies)")  # fmt: skip


# -- (5) one chat's 429s in the real webhook process --------------------------------------------

OTHER_CHATS = range(9101, 9109)
FLOODED = 9999
TURNS = 10
ROUNDS = 3
FLOOD_429S = 3


async def test_one_chats_429s_leave_the_other_chats_alone_in_the_webhook_process(
    fake_bot_api_thread: FakeBotAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = fake_bot_api_thread
    db, port = tmp_path / "sessions.db", free_port()
    ids = itertools.count(1)

    async def throughput(client: httpx.AsyncClient, turns: int) -> float:
        async def chat(chat_id: int) -> None:
            for _ in range(turns):
                update = {"update_id": next(ids), **api.make_text_update(chat_id, "hello")}
                assert await post(client, update) == 200

        started = time.perf_counter()
        await asyncio.gather(*(chat(chat_id) for chat_id in OTHER_CHATS))
        return len(OTHER_CHATS) * turns / (time.perf_counter() - started)

    # no overall cap (30 messages/s by default), or the cap alone would set the pace
    env = {**webhook_env(api, db, port), "LOG_LEVEL": "INFO",
           "TELEGRAM_MAX_MESSAGES_PER_SECOND": "0"}  # fmt: skip
    with bot_process(["webhook"], env, tmp_path, "webhook") as process:
        async with webhook_client(port, process) as client:
            api.latency = 0.1  # turns wait on I/O: a busy machine barely moves the figures
            await throughput(client, 5)  # warm up
            # the best of a few rounds on each side: a busy machine only ever slows a round
            normal = max([await throughput(client, TURNS) for _ in range(ROUNDS)])
            api.fail_next(
                "sendMessage", chat_id=FLOODED, status=429, retry_after=2, times=FLOOD_429S
            )
            flood = {"update_id": next(ids), **api.make_text_update(FLOODED, "hello")}
            flooded = asyncio.create_task(post(client, flood))
            await api.wait_for(lambda call: call.fault == 429, method="sendMessage", timeout=10)
            limited = max([await throughput(client, TURNS) for _ in range(ROUNDS)])
            assert not flooded.done()  # every round ran while the chat was backing off
            assert await flooded == 200
            api.latency = 0
    ratio = limited / normal
    assert ratio >= 0.9, f"{normal:.0f}/s normally, {limited:.0f}/s while one chat got 429s"
    assert len(api.sent_messages(FLOODED)) == 1
    assert "Traceback" not in process.log
    with capsys.disabled():
        print(f"\nfaults: hipbot webhook + SQLite, one chat answered 429 (retry_after 2 s) "
              f"{FLOOD_429S} times: {len(OTHER_CHATS)} other chats {normal:.0f} updates/s before, "
              f"{limited:.0f}/s during ({ratio:.0%}); the flooded chat's reply sent once")  # fmt: skip


# -- (6) a Bot API slower than the bot's timeout, real webhook process ----------------------------

SLOWER_THAN_TIMEOUT = DEFAULT_TIMEOUT + 1.0  # seconds every sendMessage takes


async def test_a_bot_api_slower_than_the_timeout_gets_each_reply_at_most_twice(
    fake_bot_api_thread: FakeBotAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every send times out at the bot (5 s) and is carried out by the API (6 s). The issue
    measured five copies of every reply here (four attempts, then Telegram's retry); now the
    update is answered 502, Telegram's retry sends it once more, and that is all."""
    api = fake_bot_api_thread
    db, port = tmp_path / "sessions.db", free_port()
    greeting, *_ = consultation()
    statuses = []
    with bot_process(["webhook"], webhook_env(api, db, port), tmp_path, "webhook") as process:
        async with webhook_client(port, process) as client:
            api.latency = SLOWER_THAN_TIMEOUT
            update = update_for(api, greeting, 1, CHAT)
            for attempt in range(6):  # Telegram: again after a non-2xx, 1 s, 2 s… later
                statuses.append(await post(client, update))
                if statuses[-1] == 200:
                    break
                await asyncio.sleep(0.1 * 2**attempt)
            await asyncio.sleep(SLOWER_THAN_TIMEOUT - DEFAULT_TIMEOUT + 0.5)  # the last lands
            api.latency = 0
        session, pending = stored(db)
    copies = len(sent(api))
    assert statuses == [502, 502, 200]
    assert sent(api) == greeting.expected * 2  # carried out twice, never a third time
    same_conversation(session, reference_at(1))
    assert pending == 0
    with capsys.disabled():
        print(f"\nfaults: hipbot webhook, every sendMessage {SLOWER_THAN_TIMEOUT:g} s (the bot "
              f"waits {DEFAULT_TIMEOUT:g} s), Telegram retrying: answers {statuses}, the reply "
              f"delivered {copies} times (at most 2), 0 lost")  # fmt: skip
