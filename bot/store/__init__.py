"""Session stores: where conversations live between messages, chosen by URL::

    store = open_store("sqlite:///hipbot.db")  # or "redis://127.0.0.1:6379/0", "memory://"

- ``memory://``: in-process, lost on exit (tests, console).
- ``sqlite:///relative/path.db`` or ``sqlite:////absolute/path.db``: one file, one process.
- ``redis://host:port/db``: shared by several processes; locks hold across them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.store._url import unsupported
from bot.store.base import (
    DEFAULT_IDLE_TTL,
    Held,
    ReleaseWriteFailed,
    SessionStore,
    StoreUnavailable,
)
from bot.store.memory import MemorySessionStore
from bot.store.redis import RedisSessionStore
from bot.store.sqlite import SqliteSessionStore

__all__ = [
    "DEFAULT_IDLE_TTL",
    "Held",
    "MemorySessionStore",
    "RedisSessionStore",
    "ReleaseWriteFailed",
    "SessionStore",
    "SqliteSessionStore",
    "StoreUnavailable",
    "open_store",
]


def open_store(url: str, *, idle_ttl: float | None = DEFAULT_IDLE_TTL) -> SessionStore:
    """Build the store that ``url`` names; nothing is connected or opened yet.

    Args:
        url: ``memory://``, ``sqlite:///path.db`` or ``redis://host:port/db``.
        idle_ttl: Seconds since its last save after which a session counts as missing;
            ``None`` keeps sessions forever.

    Raises:
        ValueError: The scheme is unknown or the URL is malformed; the message names the URL
            (password masked) and the accepted forms.
    """
    try:
        scheme = urlsplit(url).scheme
    except ValueError:
        raise unsupported(url) from None
    if scheme == "memory":
        return MemorySessionStore.from_url(url, idle_ttl=idle_ttl)
    if scheme == "sqlite":
        return SqliteSessionStore.from_url(url, idle_ttl=idle_ttl)
    if scheme in ("redis", "rediss"):
        return RedisSessionStore.from_url(url, idle_ttl=idle_ttl)
    raise unsupported(url)
