"""Faults survived, in process: the Bot API failing, rate limiting or timing out, and the store
going down, over the webhook and over polling, with the fake Bot API and real stores.

Every test plays real conversations and checks what the runner saw (each reply exactly once, in
order) and what was stored (the session advanced once per message), then prints the faults it
injected and what was lost or duplicated, for BENCHMARKS.md.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from redis import Redis

from bot.channels.telegram import SEND_ATTEMPTS, TelegramChannel
from bot.dialogue import Option, Reply, Session, SessionFormatError, Turn
from bot.outbox import Outbox, Record, decode, encode
from bot.runtime import build_application
from bot.service import ChatService, DeliveryFailed
from bot.store import (
    MemorySessionStore,
    SessionStore,
    SqliteSessionStore,
    StoreUnavailable,
    open_store,
)
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.redis_server import RedisServer
from tests.support.engine import dialogue_text, real_engine
from tests.support.faults import (
    BACKOFF,
    CHAT,
    REQUEST_TIMEOUT,
    lost_and_duplicated,
    reference_at,
    report,
    same_conversation,
    webhook,
)
from tests.support.polling import polling
from tests.support.ports import free_port
from tests.support.telegram import (
    Action,
    Reference,
    Sent,
    as_sent,
    consultation,
    settings_for,
    update_for,
)

OTHER = 7070
RETRY_DELAYS = (0.05, 0.2)  # polling's retries of a held update (0.5 … 30 in production)
NOTICE = Sent(dialogue_text("store_down"))


def injected(api: FakeBotAPI) -> int:
    """Bot API calls that were answered by an injected fault (delays that let a call through
    are not counted)."""
    return sum(1 for call in api.calls() if call.fault)


async def stored(store: SessionStore, chat: int = CHAT) -> tuple[Session | None, int]:
    """The chat's stored session and how many replies are still in its outbox."""
    raw = await store.load(str(chat))
    if raw is None:
        return None, 0
    record = decode(raw)
    return record.session, len(record.outbox.replies) if record.outbox else 0


# -- the two transports -------------------------------------------------------------------------


@dataclass
class Poller:
    api: FakeBotAPI
    service: ChatService

    def push(self, action: Action, chat: int = CHAT) -> None:
        if action.kind == "text":
            self.api.push_text(chat, action.value)
            return
        message = next(
            (m for m in reversed(self.api.sent_messages(chat))
             if action.callback_data in as_sent(m).buttons), {"message_id": 1},
        )  # fmt: skip
        self.api.push_callback(chat, action.callback_data, message["message_id"])

    async def wait_sent(self, count: int, chat: int = CHAT, timeout: float = 15) -> list[Sent]:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        while len(self.api.sent_messages(chat)) < count:
            assert time.monotonic() < deadline, f"waited for {count} messages: {self.sent(chat)}"
            await asyncio.sleep(0.01)
        return self.sent(chat)

    def sent(self, chat: int = CHAT) -> list[Sent]:
        return [as_sent(m) for m in self.api.sent_messages(chat)]

    async def quiet(self, seconds: float = 0.3) -> None:
        before = self.api.sent_messages()
        await asyncio.sleep(seconds)
        assert self.api.sent_messages() == before


@asynccontextmanager
async def polling_bot(api: FakeBotAPI, store: SessionStore) -> AsyncIterator[Poller]:
    service = ChatService(real_engine(), store)
    application = build_application(
        settings_for(api, TELEGRAM_MAX_MESSAGES_PER_SECOND="0"), TelegramChannel(service, backoff=BACKOFF), with_updater=True,
        request_timeout=REQUEST_TIMEOUT, retry_delays=RETRY_DELAYS,
    )  # fmt: skip
    async with polling(application):
        await api.wait_for(method="getUpdates")
        yield Poller(api, service)


# -- (1) the Bot API fails, rate limits or times out ---------------------------------------------

FAULTS: list[tuple[str, Callable[[FakeBotAPI], None]]] = [
    ("500", lambda api: api.fail_next("sendMessage", status=500)),
    # held past the bot's read timeout, then failed: the bot gave up and sent it again
    ("timeout", lambda api: api.fail_next("sendMessage", status=504, delay=2 * REQUEST_TIMEOUT)),
    ("502", lambda api: api.fail_next("sendMessage", status=502)),
    (f"500 x{SEND_ATTEMPTS - 1}",
     lambda api: api.fail_next("sendMessage", status=500, times=SEND_ATTEMPTS - 1)),
    ("429", lambda api: api.fail_next("sendMessage", status=429, retry_after=1)),
]  # fmt: skip


@pytest.mark.parametrize("transport", ["webhook", "polling"])
async def test_bot_api_faults_on_every_message_of_a_consultation(
    fake_bot_api: FakeBotAPI, transport: str, capsys: pytest.CaptureFixture[str]
) -> None:
    api = fake_bot_api
    reference = Reference()
    actions = consultation(reference)
    store = MemorySessionStore()
    kinds: Counter[str] = Counter()
    if transport == "webhook":
        async with webhook(api, store) as hook:
            for update_id, action in enumerate(actions, start=1):
                name, inject = FAULTS[update_id % len(FAULTS)]
                inject(api)
                kinds[name] += 1
                statuses = await hook.deliver(update_for(api, action, update_id, CHAT))
                # only a send that timed out (it may have gone through) is left for a retry
                assert statuses == ([502, 200] if name == "timeout" else [200]), name
            sent = hook.sent()
    else:
        async with polling_bot(api, store) as bot:
            for number, action in enumerate(actions, start=1):
                name, inject = FAULTS[number % len(FAULTS)]
                inject(api)
                kinds[name] += 1
                before = len(bot.sent())
                bot.push(action)
                assert (await bot.wait_sent(before + len(action.expected)))[before:] == (
                    action.expected
                ), name
            await bot.quiet(0.2)
            sent = bot.sent()
    expected = [m for action in actions for m in action.expected]
    assert sent == expected  # every reply once, in order
    session, pending = await stored(store)
    same_conversation(session, reference)
    assert pending == 0
    assert injected(api) == sum(
        SEND_ATTEMPTS - 1 if name.startswith("500 x") else 1 for name in kinds.elements()
    )
    report(capsys, f"Bot API faults over {transport} ({dict(kinds)})", injected(api), sent,
           expected)  # fmt: skip


async def test_a_long_429_is_answered_within_the_budget_and_delivered_once_later(
    fake_bot_api: FakeBotAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    """Waiting out a 429 longer than the update's budget would hold the request past the
    proxy's patience (and the chat's lock past its lease): the update is answered 502 at once,
    Telegram's retries find the chat still backing off without calling the Bot API, and the
    first retry after ``retry_after`` sends the reply, once."""
    api = fake_bot_api
    budget, retry_after = 0.5, 2
    greeting, *_ = consultation()
    async with webhook(api, MemorySessionStore(), budget=budget) as hook:
        api.fail_next("sendMessage", status=429, retry_after=retry_after)
        update = update_for(api, greeting, 1, CHAT)
        statuses, longest, started = [], 0.0, time.monotonic()
        for attempt in range(12):
            began = time.monotonic()
            statuses.append((await hook.post(update)).status_code)
            longest = max(longest, time.monotonic() - began)
            if statuses[-1] == 200:
                break
            await asyncio.sleep(0.01 * 2**attempt)
        sent = hook.sent()
    assert statuses[-1] == 200 and set(statuses[:-1]) == {502}, statuses
    assert longest < budget + 0.5  # every answer within the budget
    assert time.monotonic() - started >= retry_after  # delivered only once the 429 was over
    assert [call.fault for call in api.calls("sendMessage")] == [429, None]  # no hammering
    assert sent == greeting.expected
    report(capsys, f"a {retry_after} s 429 with a {budget} s budget per update, webhook: "
           f"{len(statuses) - 1} retries answered 502 within {longest:.2f} s", 1, sent,
           greeting.expected)  # fmt: skip


@pytest.mark.parametrize("slow", ["one call", "every call"])
async def test_a_send_the_api_completed_after_the_bot_timed_out_goes_out_at_most_twice(
    fake_bot_api: FakeBotAPI, slow: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Held past the read timeout and then carried out: Telegram delivered it, but the bot
    cannot know (a Bot API call has no idempotency key). The update is answered 502, and
    Telegram's retry sends it once more; a reply that times out twice is not sent a third
    time. Never lost, and never more than two copies, even when every call is too slow."""
    api = fake_bot_api
    actions = consultation()[:3]
    expected = [m for action in actions for m in action.expected]
    async with webhook(api, MemorySessionStore()) as hook:
        if slow == "one call":
            api.delay_next("sendMessage", 2 * REQUEST_TIMEOUT)
        else:
            api.latency = 2 * REQUEST_TIMEOUT  # slower than the bot's read timeout, always
        for update_id, action in enumerate(actions, start=1):
            statuses = await hook.deliver(update_for(api, action, update_id, CHAT), attempts=12)
            assert statuses[-1] == 200 and set(statuses[:-1]) <= {502}, statuses
        await asyncio.sleep(3 * REQUEST_TIMEOUT)  # the held calls complete
        api.latency = 0
        sent = hook.sent()
        session, pending = await stored(hook.service.store)
    copies = Counter(sent)
    lost, duplicated = lost_and_duplicated(sent, expected)
    assert lost == 0
    assert max(copies.values()) <= 2  # the bound stated in README
    timed_out = [call for call in api.calls("sendMessage") if call.fault == 0]
    if slow == "one call":
        assert len(timed_out) == 1 and duplicated == 1
        assert copies[as_sent(timed_out[0].params)] == 2  # a copy of the one that timed out
    else:
        assert duplicated == len(expected)  # every send was carried out, each one twice
    same_conversation(session, reference_at(len(actions)))
    assert pending == 0
    report(capsys, f"sendMessage slower than the bot's timeout ({slow})",
           len(timed_out) if slow == "one call" else len(api.calls("sendMessage")), sent,
           expected, unit="calls timed out")  # fmt: skip


# -- delivery fails for good: the outbox --------------------------------------------------------


def fail_every_attempt(api: FakeBotAPI) -> None:
    api.fail_next("sendMessage", status=500, times=SEND_ATTEMPTS)


async def test_undelivered_replies_are_sent_by_the_retried_update_once(
    fake_bot_api: FakeBotAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = fake_bot_api
    reference = Reference()
    actions = consultation(reference)
    store = SqliteSessionStore(tmp_path / "sessions.db")
    async with webhook(api, store) as hook:
        first, second, third, fourth, *rest = actions
        assert (await hook.post(update_for(api, first, 1, CHAT))).status_code == 200

        # every attempt fails: 5xx, so Telegram retries; the turn is saved with its replies
        fail_every_attempt(api)
        tap = update_for(api, second, 2, CHAT)
        assert (await hook.post(tap)).status_code == 502
        session, pending = await stored(store)
        assert session is not None and session.state == "red_flag_screen"
        assert pending == len(second.expected)
        assert await store.was_processed("2")
        assert hook.sent() == first.expected

        # Telegram's retry sends them, once; the conversation is not stepped again
        retried = await hook.post(tap)
        assert retried.status_code == 200
        assert retried.json()["method"] == "answerCallbackQuery"
        assert hook.sent() == first.expected + second.expected
        again, pending = await stored(store)
        assert again == session and pending == 0
        assert (await hook.post(tap)).status_code == 200  # and a further retry sends nothing
        assert hook.sent() == first.expected + second.expected

        # a later update that comes before the retry: the pending replies go out first
        fail_every_attempt(api)
        assert (await hook.post(update_for(api, third, 3, CHAT))).status_code == 502
        assert (await hook.post(update_for(api, fourth, 4, CHAT))).status_code == 200
        assert (await hook.post(update_for(api, third, 3, CHAT))).status_code == 200
        expected = [m for action in (first, second, third, fourth) for m in action.expected]
        assert hook.sent() == expected

        for update_id, action in enumerate(rest, start=5):
            assert (await hook.post(update_for(api, action, update_id, CHAT))).status_code == 200
        expected = [m for action in actions for m in action.expected]
        assert hook.sent() == expected
        session, pending = await stored(store)
        same_conversation(session, reference)
        assert pending == 0
        metrics = (await hook.client.get("/metrics")).text
        assert 'hipbot_updates_total{outcome="undelivered"} 2' in metrics
        report(capsys, "sendMessage failing on every attempt, webhook + SQLite", injected(api),
               hook.sent(), expected)  # fmt: skip


async def test_only_the_messages_not_delivered_are_sent_again(
    fake_bot_api: FakeBotAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    api = fake_bot_api
    reference = Reference()
    actions = consultation(reference)
    summary = reference.text("/summary")  # the summary, then the buttons
    assert len(summary) == 2
    store = MemorySessionStore()
    async with webhook(api, store) as hook:
        for update_id, action in enumerate(actions, start=1):
            assert (await hook.post(update_for(api, action, update_id, CHAT))).status_code == 200
        before = hook.sent()
        api.delay_next("sendMessage", 0)  # the first message goes out…
        fail_every_attempt(api)  # …the second does not
        update = {"update_id": 100, **api.make_text_update(CHAT, "/summary")}
        assert (await hook.post(update)).status_code == 502
        assert hook.sent() == [*before, summary[0]]
        assert (await stored(store))[1] == 1
        assert (await hook.post(update)).status_code == 200
        assert hook.sent() == [*before, *summary]
        report(capsys, "second message of a turn failing on every attempt", injected(api),
               hook.sent(), [*before, *summary])  # fmt: skip


async def test_polling_holds_an_undelivered_update_and_sends_it_once(
    fake_bot_api: FakeBotAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    api = fake_bot_api
    reference = Reference()
    first, second, third, *_ = consultation(reference)
    store = MemorySessionStore()
    async with polling_bot(api, store) as bot:
        bot.push(first)
        await bot.wait_sent(len(first.expected))
        fail_every_attempt(api)
        bot.push(second)
        await api.wait_for(lambda c: c.fault == 500, method="sendMessage", count=SEND_ATTEMPTS)
        expected = first.expected + second.expected
        assert await bot.wait_sent(len(expected)) == expected  # retried until it went out
        bot.push(third)
        expected += third.expected
        assert await bot.wait_sent(len(expected)) == expected
        await bot.quiet(0.2)
        session, pending = await stored(store)
    same_conversation(session, reference_at(3))
    assert pending == 0
    report(capsys, "sendMessage failing on every attempt, polling", injected(api), bot.sent(),
           expected)  # fmt: skip


# -- (2) the store is unavailable ---------------------------------------------------------------


@pytest.fixture
def immutable() -> Iterator[Callable[[Path, bool], None]]:
    """``make(path, read_only)``: make a file unwritable (chattr +i as root, who ignores chmod)
    or writable again."""
    made: list[Path] = []

    def make(path: Path, read_only: bool) -> None:
        if read_only:
            path.chmod(0o444)
        if os.geteuid() == 0:
            flag = "+i" if read_only else "-i"
            done = subprocess.run(["chattr", flag, str(path)], capture_output=True, text=True)
            if done.returncode != 0:
                pytest.skip(f"running as root and chattr {flag} failed: {done.stderr.strip()}")
            if read_only:
                made.append(path)
        if not read_only:
            path.chmod(0o644)

    yield make
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=False)


@pytest.mark.parametrize("fault", ["locked", "read-only"])
async def test_sqlite_unavailable_is_503_until_it_is_back(
    fake_bot_api: FakeBotAPI, tmp_path: Path, fault: str,
    immutable: Callable[[Path, bool], None], capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    api = fake_bot_api
    reference = Reference()
    _, start, none, *_ = consultation(reference)
    path = tmp_path / "sessions.db"
    setup = SqliteSessionStore(path)
    await ChatService(real_engine(), setup).handle(str(CHAT), text="/start", dedupe="1")
    await setup.close()
    other: sqlite3.Connection | None = None
    if fault == "locked":  # another process holds the write lock
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
    else:
        immutable(path, True)
    store = SqliteSessionStore(path, busy_timeout=0.2)
    refused = 0
    try:
        async with webhook(api, store) as hook:
            before, _ = await stored(store)
            assert before is not None and before.state == "greeting"
            for update_id, action in ((2, start), (3, none)):
                for _ in range(2):  # Telegram tries again, and again
                    assert (
                        await hook.post(update_for(api, action, update_id, CHAT))
                    ).status_code == 503
                    refused += 1
                assert not await store.was_processed(str(update_id))
            assert await hook.health() == 503
            assert hook.sent() == []  # nothing said, nothing half-written
            assert (await stored(store))[0] == before

            if other is not None:
                other.execute("ROLLBACK")
            else:
                immutable(path, False)
            assert await hook.health() == 200  # back by itself
            for update_id, action in ((2, start), (3, none)):
                assert (
                    await hook.post(update_for(api, action, update_id, CHAT))
                ).status_code == 200
            assert hook.sent() == start.expected + none.expected
            session, pending = await stored(store)
            same_conversation(session, reference_at(3))
            assert pending == 0
            metrics = (await hook.client.get("/metrics")).text
            assert f'hipbot_updates_total{{outcome="unavailable"}} {refused}' in metrics
    finally:
        if other is not None:
            other.close()
    report(capsys, f"SQLite {fault}, webhook", refused, hook.sent(),
           start.expected + none.expected, unit="requests refused with 503")  # fmt: skip


@pytest.mark.parametrize("kind", ["redis stopped", "sqlite locked"])
async def test_polling_keeps_updates_while_the_store_is_down(
    fake_bot_api: FakeBotAPI, tmp_path: Path, kind: str,
    request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    api = fake_bot_api
    reference = Reference()
    greeting, start, none, describe, *_ = consultation(reference)
    other_reference = Reference()
    other_greeting = other_reference.text("/start")
    other_help = other_reference.text("/help")
    redis: RedisServer | None = None
    lock: sqlite3.Connection | None = None
    if kind == "redis stopped":
        redis = request.getfixturevalue("redis_server_factory")(port=free_port())
        store: SessionStore = open_store(f"{redis.url}/0")
    else:
        store = SqliteSessionStore(tmp_path / "sessions.db", busy_timeout=0.1)
    try:
        async with polling_bot(api, store) as bot:
            bot.push(greeting)
            await bot.wait_sent(len(greeting.expected))

            if redis is not None:
                with Redis(port=redis.port) as client:
                    # The greeting's turn ends after its reply went out (outbox cleared, lock and
                    # queue entry released): stop Redis only then, or the snapshot keeps the lock
                    # and the chat waits out its expiry after the restart.
                    deadline = time.monotonic() + 10
                    while client.keys(f"*lock:{CHAT}") or client.keys(f"*queue:{CHAT}"):
                        assert time.monotonic() < deadline, "the greeting's turn never ended"
                        await asyncio.sleep(0.01)
                    client.save()  # a snapshot to come back with (the test server saves none)
                redis.stop()
            else:
                lock = sqlite3.connect(tmp_path / "sessions.db", isolation_level=None)
                lock.execute("BEGIN EXCLUSIVE")
            bot.push(start)
            await bot.wait_sent(len(greeting.expected) + 1)  # the runner is told, once
            for action in (none, describe):  # the chat's later messages wait their turn
                bot.push(action)
            bot.api.push_text(OTHER, "/start")
            bot.api.push_text(OTHER, "/help")
            await bot.wait_sent(1, chat=OTHER)
            await asyncio.sleep(0.5)  # retried meanwhile, and told nothing more
            assert bot.sent() == [*greeting.expected, NOTICE]
            assert bot.sent(OTHER) == [NOTICE]

            if redis is not None:
                redis.start()
            else:
                assert lock is not None
                lock.execute("ROLLBACK")
            expected = [*greeting.expected, NOTICE]
            expected += [m for action in (start, none, describe) for m in action.expected]
            assert await bot.wait_sent(len(expected)) == expected
            assert await bot.wait_sent(3, chat=OTHER) == [NOTICE, *other_greeting, *other_help]
            await bot.quiet(0.3)
            session, pending = await stored(store)
            same_conversation(session, reference_at(4))  # as if there had been no outage
            assert pending == 0
            other_session, _ = await stored(store, OTHER)
            same_conversation(other_session, other_reference)
    finally:
        if lock is not None:
            lock.close()
    report(capsys, f"{kind}, polling, 2 chats", 5, [*bot.sent(), *bot.sent(OTHER)],
           [*expected, NOTICE, *other_greeting, *other_help], unit="updates held")  # fmt: skip


class OneChatDown(MemorySessionStore):
    """A store that cannot reach one chat's data while ``down`` is set (as when a crashed
    replica still holds that chat's lock)."""

    def __init__(self, chat: int) -> None:
        super().__init__()
        self.chat = str(chat)
        self.down = True

    async def load(self, key: str) -> str | None:
        if self.down and key == self.chat:
            raise StoreUnavailable("this chat's data cannot be reached")
        return await super().load(key)


async def test_a_chat_held_for_retry_does_not_hold_up_other_chats(
    fake_bot_api: FakeBotAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    api = fake_bot_api
    store = OneChatDown(CHAT)
    reference, other = Reference(), Reference()
    actions, others = consultation(reference), consultation(other)
    async with polling_bot(api, store) as bot:
        for action in actions[:3]:
            bot.push(action)
        await bot.wait_sent(1)
        for action in others:  # a whole consultation in the other chat meanwhile
            before = len(bot.sent(OTHER))
            bot.push(action, OTHER)
            await bot.wait_sent(before + len(action.expected), OTHER)
        assert bot.sent(OTHER) == [m for action in others for m in action.expected]
        assert bot.sent() == [NOTICE]
        store.down = False
        expected = [NOTICE, *(m for action in actions[:3] for m in action.expected)]
        assert await bot.wait_sent(len(expected)) == expected
        await bot.quiet(0.2)
        session, _ = await stored(store)
    same_conversation(session, reference_at(3))
    report(capsys, "one chat's store unreachable, polling, the other chat served meanwhile", 3,
           bot.sent(), expected, unit="updates held")  # fmt: skip


# -- the outbox, through the service alone ------------------------------------------------------


class Outlet:
    """A channel stand-in: records what it delivers, fails while ``failing`` is set."""

    def __init__(self) -> None:
        self.delivered: list[str] = []
        self.failing: Exception | None = None

    async def __call__(self, turn: Turn) -> None:
        if self.failing is not None:
            raise self.failing
        self.delivered += [reply.text for reply in turn.replies]


class FlakySaves(MemorySessionStore):
    """Refuses the next ``refuse`` saves that only update an outbox (no update id)."""

    refuse = 0

    async def save(self, key: str, data: str, *, dedupe: str | None = None) -> None:
        if self.refuse and dedupe is None:
            self.refuse -= 1
            raise StoreUnavailable("the test store refused a save")
        await super().save(key, data, dedupe=dedupe)


async def test_the_outbox_is_kept_until_delivered_and_then_emptied() -> None:
    store = FlakySaves()
    service = ChatService(real_engine(), store)
    outlet = Outlet()
    await service.handle("1", text="/start", dedupe="1", deliver=outlet)
    plain = await store.load("1")
    assert plain is not None and Session.from_json(plain).state == "greeting"  # as before

    outlet.failing = DeliveryFailed([Reply("x")], "NetworkError")
    with pytest.raises(DeliveryFailed):
        await service.handle("1", button="start", step=1, dedupe="2", deliver=outlet)
    session, pending = await stored(store, 1)
    assert session is not None and session.state == "red_flag_screen" and pending == 1

    outlet.failing = None
    handled = await service.handle("1", button="start", step=1, dedupe="2", deliver=outlet)
    assert (handled.duplicate, handled.resent, outlet.delivered[-1]) == (True, 1, "x")
    assert (await stored(store, 1)) == (session, 0)

    # delivered, but the store refused to empty the outbox: this process does not send it again
    store.refuse = 1
    await service.handle("1", button="none", step=2, dedupe="3", deliver=outlet)
    assert (await stored(store, 1))[1] > 0
    before = list(outlet.delivered)
    handled = await service.handle("1", text="/help", dedupe="4", deliver=outlet)
    assert handled.resent == 0 and handled.turn is not None
    assert outlet.delivered == before + [reply.text for reply in handled.turn.replies]
    assert (await stored(store, 1))[1] == 0

    # refused for good (the runner blocked the bot): dropped, not kept for ever
    outlet.failing = RuntimeError("Forbidden")
    with pytest.raises(RuntimeError):
        await service.handle("1", text="/why", dedupe="5", deliver=outlet)
    assert (await stored(store, 1))[1] == 0


def test_an_outbox_record_round_trips_and_a_damaged_one_is_refused() -> None:
    session = real_engine().start(at=1.0).session
    replies = (Reply("Hello <b>", (Option("Yes", "yes"),)), Reply("Bye"))
    outbox = Outbox.new(replies)
    record = decode(encode(session, outbox))
    assert record.session == session and record.outbox == outbox
    assert decode(encode(session)) == Record(session)  # nothing pending: the plain session
    assert encode(session, Outbox.new(())) == session.to_json()
    for damaged in (
        '{"session": [], "outbox": {}}',
        '{"session": {"state": "greeting", "v": 1}, "outbox": {"id": 1, "replies": []}}',
        '{"session": {"state": "greeting", "v": 1}, "outbox": {"id": "a", "replies": [{}]}}',
        '{"session": {"state": "greeting", "v": 1}, "outbox": {"id": "a", "replies": '
        '[{"text": "t", "options": [["only a label"]]}]}}',
        '{"session": {"state": "greeting", "v": 1}, "outbox": {"id": "a", "replies": '
        '[{"text": "t", "options": []}], "tries": 3}}',
    ):
        with pytest.raises(SessionFormatError):
            decode(damaged)


def test_a_reply_that_may_have_gone_out_twice_is_not_sent_a_third_time() -> None:
    """The copy count behind README's "at most twice": every attempt whose outcome is unknown
    (in flight at a crash, timed out) counts; a known failure does not."""
    first, second = Reply("first"), Reply("second")
    box = Outbox.new((first, second))
    assert box.tries == 1  # saved just before its first attempt
    # a known failure (429, 500) of the first reply: it did not go out
    assert box.after((first, second), maybe_sent=False) == Outbox(box.id, (first, second), 0)
    # a timeout: it may have; the retry is its second and last copy
    timed_out = box.after((first, second), maybe_sent=True)
    assert timed_out == Outbox(box.id, (first, second), 1)
    assert timed_out is not None
    retry = timed_out.attempting()
    assert retry.tries == 2
    assert retry.after((first, second), maybe_sent=True) == Outbox(box.id, (second,), 0)
    # a crash during the retry leaves tries at 2: the next attempt starts with the second reply
    assert retry.capped() == Outbox(box.id, (second,), 0)
    # the first went out, the second timed out: the count starts again for the second
    assert box.after((second,), maybe_sent=True) == Outbox(box.id, (second,), 1)
    assert Outbox(box.id, (first,), 2).capped() is None
    record = decode(encode(real_engine().start(at=1.0).session, retry))
    assert record.outbox == retry


async def test_polling_stopped_while_the_store_is_down_loses_nothing(
    fake_bot_api: FakeBotAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Updates that arrive while the store cannot save them stay with Telegram (the offset does
    not move past them), also through a graceful stop; the next run answers every one."""
    api = fake_bot_api
    path = tmp_path / "sessions.db"
    reference = Reference()
    greeting, start, none, describe, *_ = consultation(reference)
    lock = sqlite3.connect(path, isolation_level=None)
    try:
        async with polling_bot(api, SqliteSessionStore(path, busy_timeout=0.1)) as bot:
            bot.push(greeting)
            await bot.wait_sent(len(greeting.expected))
            lock.execute("BEGIN EXCLUSIVE")
            bot.push(start)
            await bot.wait_sent(len(greeting.expected) + 1)  # the runner is told, once
            bot.push(none)
            await asyncio.sleep(0.3)
        unconfirmed = api.pending_updates()
        assert len(unconfirmed) == 2  # stopped: both are still Telegram's to deliver again
        lock.execute("ROLLBACK")
        async with polling_bot(api, SqliteSessionStore(path)) as bot:
            expected = [*greeting.expected, NOTICE, *start.expected, *none.expected]
            assert await bot.wait_sent(len(expected)) == expected
            bot.push(describe)
            expected += describe.expected
            assert await bot.wait_sent(len(expected)) == expected
            await bot.quiet(0.2)
            session, pending = await stored(bot.service.store)
        same_conversation(session, reference_at(4))  # each update applied once
        assert pending == 0
    finally:
        lock.close()
    report(capsys, "polling stopped (SIGTERM) while SQLite is locked, restarted", 2, bot.sent(),
           expected, unit="updates left with Telegram")  # fmt: skip
