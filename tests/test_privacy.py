"""What is stored is the minimum, ``/forget`` erases it everywhere, idle sessions expire.

A runner types their name, email address and phone number along with their symptoms. The
session JSON must hold none of it: only ids (states and findings), answers, an age and counters.
Through :class:`bot.service.ChatService` on every backend (memory, SQLite, Redis) nothing typed
reaches the store or the logs, ``/forget`` deletes the chat's data (for SQLite down to the bytes
of the database file, for Redis every key naming the chat), and a session idle for longer than
the store's ``idle_ttl`` is gone.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import yaml

from bot.dialogue import Incoming, Session, Turn
from bot.service import ChatService
from bot.store import MemorySessionStore, RedisSessionStore, SessionStore, SqliteSessionStore
from tests.fakes.redis_server import RedisServer
from tests.support.engine import PATHS, real_engine, walk_to

CHAT = "4242424242"
OTHER_CHAT = "5151515151"
INTRO = "I'm Jane Smith, jane@example.com, 07700 900123, my outer hip hurts"
TYPED = [
    "Hi! Jane here (jane@example.com)",
    "None of these",
    INTRO,
    "+44 7700 900123 — call me, Jane",
    "I'm 34, Jane Smith, 12 Acacia Avenue",
    "no, but my coach Bob says it's my glutes",
]
"""Typed first; then "no" to each question, "Looks right" at the review, and a last word."""
LAST = "thanks Jane Smith jane@example.com"
SECRETS = [
    "Jane", "Smith", "jane@", "example.com", "07700", "900123", "Acacia", "Bob", "coach",
    "glutes", "outer hip hurts", "call me", "thanks",
]  # fmt: skip
SESSION_KEYS = {
    "state", "question", "answers", "age", "asked", "unread", "step", "paused", "updated_at",
    "history", "v",
}  # fmt: skip
UNDO_KEYS = {"state", "question", "answers", "age", "asked", "unread"}


def words_in(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from words_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from words_in(item)


def check_minimal(raw: str) -> None:
    """The stored JSON: known keys, and its only strings are state and finding ids."""
    engine = real_engine()
    for secret in SECRETS:
        assert secret.lower() not in raw.lower(), secret
    data = json.loads(raw)
    assert set(data) == SESSION_KEYS
    assert all(set(undo) == UNDO_KEYS for undo in data["history"])
    allowed = set(engine.knowledge.findings) | set(engine.dialogue.states) | {"-"}
    allowed |= SESSION_KEYS | UNDO_KEYS
    assert set(words_in(data)) <= allowed, set(words_in(data)) - allowed
    for age in [data["age"], *(undo["age"] for undo in data["history"])]:
        assert age is None or age == "-" or (isinstance(age, int) and 1 <= age <= 110)
    assert all(value in (True, False, None) for value in data["answers"].values())


def next_line(turn: Turn, sent: int) -> str | None:
    """What the runner types next (``None`` once the result has had its last word)."""
    if sent < len(TYPED):
        return TYPED[sent]
    if turn.session.state == "review":
        return "Looks right, show result"
    if turn.session.state == "result":
        return LAST if sent < len(TYPED) + 20 else None
    assert sent < len(TYPED) + 20, "no result"
    return "no"


def test_the_session_holds_only_ids_answers_and_an_age() -> None:
    engine = real_engine()
    turn = engine.start(at=1_000.0)
    sent = 0
    while (text := next_line(turn, sent)) is not None:
        turn = engine.step(turn.session, Incoming(text=text, at=turn.session.updated_at + 1))
        check_minimal(turn.session.to_json())
        sent = len(TYPED) + 20 if text == LAST else sent + 1
    assert turn.session.state == "result"
    assert turn.session.answers["pain_side"] is True
    assert turn.session.age == 34


def test_free_text_in_every_state_is_never_stored() -> None:
    engine = real_engine()
    for lines in PATHS.values():
        start = walk_to(engine, lines).session
        for text in (*TYPED, LAST):
            turn = engine.step(start, Incoming(text=text, at=start.updated_at + 5))
            check_minimal(turn.session.to_json())
            turn = engine.step(start, Incoming(button=text, at=start.updated_at + 5))
            check_minimal(turn.session.to_json())


# -- through the chat service, on every backend --------------------------------------------------


def sqlite_bytes(path: Path) -> bytes:
    """The database file and its WAL and shared-memory files, as they are on disk."""
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def redis_dump(url: str) -> dict[str, Any]:
    """Every key of the database with its value, whatever its type."""
    with redis.Redis.from_url(url, decode_responses=True) as client:
        dump: dict[str, Any] = {}
        for key in client.scan_iter():
            kind = client.type(key)
            if kind == "string":
                dump[key] = client.get(key)
            elif kind == "zset":
                dump[key] = client.zrange(key, 0, -1, withscores=True)
            elif kind == "hash":
                dump[key] = client.hgetall(key)
            else:
                dump[key] = kind
        return dump


class Backend:
    """A store under test, plus a way to look at everything it keeps (its raw storage)."""

    def __init__(self, kind: str, store: SessionStore, raw: Callable[[], str]) -> None:
        self.kind = kind
        self.store = store
        self.raw = raw


@pytest.fixture(params=["memory", "sqlite", "redis"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    if request.param == "memory":
        memory = MemorySessionStore()
        store: SessionStore = memory
        # everything the object holds, its clock readings aside ("10941.077008" is no phone number)
        raw = lambda: re.sub(r"\d+\.\d+", "<time>", repr(memory.__dict__))  # noqa: E731
    elif request.param == "sqlite":
        path = tmp_path / "sessions.db"
        store = SqliteSessionStore(path)
        raw = lambda: sqlite_bytes(path).decode("utf-8", "replace")  # noqa: E731
    else:
        url = request.getfixturevalue("redis_url")
        store = RedisSessionStore.from_url(url)
        raw = lambda: json.dumps(redis_dump(url), ensure_ascii=False)  # noqa: E731
    yield Backend(request.param, store, raw)
    await store.close()


async def consult(service: ChatService, chat: str, first_update: int) -> None:
    """A whole consultation through the service, ending at the result."""
    handled = await service.handle(chat, text="/start", dedupe=str(first_update))
    sent = 0
    while handled.turn is not None and (text := next_line(handled.turn, sent)) is not None:
        handled = await service.handle(chat, text=text, dedupe=str(first_update + 1 + sent))
        assert handled.turn is not None and handled.turn.replies
        sent = len(TYPED) + 20 if text == LAST else sent + 1
    assert handled.turn is not None and handled.turn.session.state == "result"


async def test_nothing_typed_reaches_the_store_or_the_logs(
    backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    service = ChatService(real_engine(), backend.store)
    await consult(service, CHAT, 1000)
    stored = await backend.store.load(CHAT)
    assert stored is not None
    check_minimal(stored)
    assert Session.from_json(stored).state == "result"
    everything = backend.raw()
    for secret in SECRETS:
        assert secret.lower() not in everything.lower(), secret
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in [*SECRETS, CHAT]:
        assert secret not in logged, secret


async def test_forget_erases_the_chat_in_every_backend(backend: Backend) -> None:
    service = ChatService(real_engine(), backend.store)
    await consult(service, CHAT, 2000)
    await consult(service, OTHER_CHAT, 3000)
    assert CHAT in backend.raw()

    handled = await service.handle(CHAT, text="/forget", dedupe="2999")
    assert handled.turn is not None and handled.turn.forget
    assert "deleted everything" in handled.turn.replies[0].text
    assert await backend.store.load(CHAT) is None
    assert CHAT not in backend.raw(), "the chat id is still in the store"
    assert await backend.store.load(OTHER_CHAT) is not None  # only this chat's data goes

    # After /forget the chat starts afresh; nothing of the old consultation comes back.
    handled = await service.handle(CHAT, text="/summary", dedupe="3999")
    assert handled.turn is not None
    assert handled.turn.session.answers == {} and handled.turn.session.age is None
    assert "No answers recorded yet" in "\n".join(r.text for r in handled.turn.replies)


async def test_forget_leaves_no_trace_in_the_sqlite_file(tmp_path: Path) -> None:
    """Deleted rows linger in SQLite's WAL and free pages unless the store scrubs them."""
    path = tmp_path / "sessions.db"
    store = SqliteSessionStore(path)
    try:
        service = ChatService(real_engine(), store)
        await consult(service, CHAT, 4000)
        await consult(service, OTHER_CHAT, 5000)
        await service.handle(CHAT, text="/forget", dedupe="4999")
        assert await store.load(CHAT) is None
        on_disk = sqlite_bytes(path)
        assert CHAT.encode() not in on_disk, "the chat id is still in the database file"
        assert b"pain_side" in on_disk  # the other chat's session is still there
    finally:
        await store.close()


async def test_forget_from_every_state_deletes_the_session() -> None:
    store = MemorySessionStore()
    service = ChatService(real_engine(), store)
    for state, lines in PATHS.items():
        for line in lines:
            await service.handle(CHAT, text=line)
        assert (await store.load(CHAT)) is not None or state == "greeting"
        handled = await service.handle(CHAT, text="/forget")
        assert handled.turn is not None and handled.turn.forget, state
        assert await store.load(CHAT) is None, state


# -- idle sessions expire ----------------------------------------------------------------------


async def test_idle_sessions_expire_in_memory() -> None:
    now = [0.0]
    store = MemorySessionStore(idle_ttl=60, clock=lambda: now[0])
    service = ChatService(real_engine(), store)
    await consult(service, CHAT, 1)
    now[0] += 59
    assert await store.load(CHAT) is not None
    await service.handle(CHAT, text="/why")  # a message keeps it alive
    now[0] += 59
    assert await store.load(CHAT) is not None
    now[0] += 61
    assert await store.load(CHAT) is None
    assert CHAT not in repr(store.__dict__)
    handled = await service.handle(CHAT, text="/summary")
    assert handled.turn is not None and handled.turn.session.answers == {}


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
async def test_idle_sessions_expire_in_shared_stores(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    ttl = 0.5
    store: SessionStore
    if kind == "sqlite":
        store = SqliteSessionStore(tmp_path / "sessions.db", idle_ttl=ttl)
    else:
        store = RedisSessionStore.from_url(request.getfixturevalue("redis_url"), idle_ttl=ttl)
    try:
        service = ChatService(real_engine(), store)
        await service.handle(CHAT, text="/start")
        await service.handle(CHAT, text=INTRO)
        assert await store.load(CHAT) is not None
        await asyncio.sleep(ttl + 0.3)
        assert await store.load(CHAT) is None
        handled = await service.handle(CHAT, text="/summary")
        assert handled.turn is not None and handled.turn.session.answers == {}
    finally:
        await store.close()


async def test_an_expired_session_leaves_no_trace_in_the_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "sessions.db"
    store = SqliteSessionStore(path, idle_ttl=0.3)
    try:
        service = ChatService(real_engine(), store)
        await service.handle(CHAT, text=INTRO)
        await service.handle(OTHER_CHAT, text=INTRO)
        await asyncio.sleep(0.5)
        assert await store.load(CHAT) is None
        assert CHAT.encode() not in sqlite_bytes(path), "the expired chat is still on disk"
    finally:
        await store.close()


async def test_an_idle_sqlite_store_expires_sessions_on_its_own(tmp_path: Path) -> None:
    """No message comes in after the chat went idle: the sweep runs on a timer all the same."""
    path = tmp_path / "sessions.db"
    store = SqliteSessionStore(path, idle_ttl=0.3, purge_interval=0.2)
    try:
        service = ChatService(real_engine(), store)
        await service.handle(CHAT, text=INTRO)
        assert CHAT.encode() in sqlite_bytes(path)
        await asyncio.sleep(1.0)  # the bot is idle: no load, no save
        assert CHAT.encode() not in sqlite_bytes(path), "the idle chat is still on disk"
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("SELECT COUNT(*) FROM sessions").fetchone() == (0,)
        finally:
            conn.close()
    finally:
        await store.close()


REPO = Path(__file__).resolve().parents[1]
FORGOTTEN_WITHIN = 60  # seconds, as deploy/README.md and deploy/docker-compose.yml say


def compose_redis_options() -> list[str]:
    """The ``redis-server`` arguments of deploy/docker-compose.yml."""
    compose = yaml.safe_load((REPO / "deploy" / "docker-compose.yml").read_text())
    command: list[str] = compose["services"]["redis"]["command"]
    assert command[0] == "redis-server"
    return command[1:]


def redis_files(workdir: Path) -> bytes:
    """Everything Redis keeps on disk: the snapshot and any append-only files."""
    skip = {"redis.log"}
    return b"".join(
        f.read_bytes() for f in sorted(workdir.rglob("*")) if f.is_file() and f.name not in skip
    )


async def test_forget_on_redis_with_the_compose_settings_leaves_the_data_files(
    tmp_path: Path, redis_server_factory: Callable[..., RedisServer]
) -> None:
    """The compose file runs Redis without an append-only file and with a snapshot within
    ``FORGOTTEN_WITHIN`` seconds of any change. Run with those settings (the snapshot period
    scaled down to a second), a forgotten chat is gone from every Redis file on disk."""
    options = compose_redis_options()
    settings = dict(zip(options[::2], options[1::2], strict=True))
    assert settings["--appendonly"] == "no"
    period, changes = settings["--save"].split()
    assert int(period) <= FORGOTTEN_WITHIN and changes == "1"
    scaled = [*options[: options.index("--save")], "--save", "1 1"]
    scaled += options[options.index("--save") + 2 :]
    server = redis_server_factory(options=scaled)
    store = RedisSessionStore.from_url(f"{server.url}/0")
    try:
        service = ChatService(real_engine(), store)
        await consult(service, CHAT, 2000)
        await consult(service, OTHER_CHAT, 3000)
        deadline = time.monotonic() + 10
        while CHAT.encode() not in redis_files(server.workdir):  # the snapshot holds the chat
            assert time.monotonic() < deadline, "no snapshot was written"
            await asyncio.sleep(0.1)
        await service.handle(CHAT, text="/forget", dedupe="2999")
        deadline = time.monotonic() + 10
        while CHAT.encode() in redis_files(server.workdir):
            assert time.monotonic() < deadline, "the forgotten chat is still in Redis's files"
            await asyncio.sleep(0.1)
        assert OTHER_CHAT.encode() in redis_files(server.workdir)  # a snapshot, not a wipe
    finally:
        await store.close()
