"""Shared fixtures. Each section belongs to one area; add yours in a section of its own."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path

import pytest
import redis

from bot.store import MemorySessionStore, RedisSessionStore, SqliteSessionStore
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.redis_server import RedisServer, find_redis_server

# ---------------------------------------------------------------------------------------------
# python-telegram-bot
# ---------------------------------------------------------------------------------------------

# PTB 22 warns (PTBDeprecationWarning) whenever a time period such as RetryAfter.retry_after is
# read as an int; with filterwarnings=error that warning would replace the real exception. Opt in
# to the future behaviour (datetime.timedelta values) for the whole test run.
os.environ.setdefault("PTB_TIMEDELTA", "true")

# ---------------------------------------------------------------------------------------------
# Session stores and redis (bot/store)
# ---------------------------------------------------------------------------------------------

REDIS_DATABASES = 16  # redis-server's default; database 0 is left unused


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _redis_executable() -> str:
    """``redis-server``'s path; skips the test without it, or fails when running in CI."""
    executable = find_redis_server()
    if executable is None:
        if _in_ci():
            pytest.fail("redis-server is required in CI; .ci/run installs it", pytrace=False)
        pytest.skip("redis-server not on PATH (apt-get install redis-server); redis tests skipped")
    return executable


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server on 127.0.0.1 shared by the whole run (``.url``, ``.port``)."""
    server = RedisServer(tmp_path_factory.mktemp("redis"), executable=_redis_executable())
    with server:
        yield server


_next_db = itertools.cycle(range(1, REDIS_DATABASES))


@pytest.fixture
def redis_url(redis_server: RedisServer) -> Iterator[str]:
    """``redis://127.0.0.1:PORT/N``: a database of the shared server, empty at start and end."""
    db = next(_next_db)
    with redis.Redis(host="127.0.0.1", port=redis_server.port, db=db) as client:
        client.flushdb()
        yield f"{redis_server.url}/{db}"
        client.flushdb()


@pytest.fixture
def redis_server_factory(tmp_path: Path) -> Iterator[Callable[..., RedisServer]]:
    """``start(*, port=0, options=())`` starts a dedicated redis-server (e.g. to stop it mid-test) and
    returns it; all are stopped at the end."""
    executable = _redis_executable()
    servers: list[RedisServer] = []

    def start(*, port: int = 0, options: Sequence[str] = ()) -> RedisServer:
        workdir = tmp_path / f"redis-{len(servers)}"
        server = RedisServer(workdir, executable=executable, port=port, options=options)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
async def memory_store() -> AsyncIterator[MemorySessionStore]:
    """A fresh in-memory store."""
    store = MemorySessionStore()
    yield store
    await store.close()


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[SqliteSessionStore]:
    """A store on ``tmp_path/sessions.db``; closed at the end."""
    store = SqliteSessionStore(tmp_path / "sessions.db")
    yield store
    await store.close()


@pytest.fixture
async def redis_store(redis_url: str) -> AsyncIterator[RedisSessionStore]:
    """A store on a fresh database of the shared redis-server; closed at the end."""
    store = RedisSessionStore.from_url(redis_url)
    yield store
    await store.close()


# ---------------------------------------------------------------------------------------------
# Fake Telegram Bot API (tests/fakes/bot_api.py)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
async def fake_bot_api() -> AsyncIterator[FakeBotAPI]:
    """A fake Bot API served from the test's event loop; ``.base_url`` goes to PTB."""
    async with FakeBotAPI() as api:
        yield api


@pytest.fixture
def fake_bot_api_thread() -> Iterator[FakeBotAPI]:
    """A fake Bot API served from a background thread (for code that runs its own loop)."""
    with FakeBotAPI().running_in_thread() as api:
        yield api


# ---------------------------------------------------------------------------------------------
# Exercise pictures (bot/pictures.py)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True, scope="session")
def _pictures_in_a_temporary_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Pictures the bot draws during the tests go to a folder of this run, not ~/.cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield
