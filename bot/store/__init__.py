"""Session stores: where conversations live between messages, chosen by URL::

    store = open_store("sqlite:///hipbot.db")  # or "redis://127.0.0.1:6379/0", "memory://"

- ``memory://``: in-process, lost on exit (tests, console).
- ``sqlite:///relative/path.db`` or ``sqlite:////absolute/path.db``: one file, one process.
- ``redis://host:port/db``: shared by several processes; locks hold across them.

Backends are imported when first used (``open_store`` or the class names below), so a command
that only checks the configuration (``check_url``) loads neither redis nor sqlite3.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from bot.store._url import redact, scheme_of
from bot.store.base import (
    DEFAULT_IDLE_TTL,
    Held,
    ReleaseWriteFailed,
    SessionStore,
    StoreUnavailable,
)

if TYPE_CHECKING:
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
    "check_url",
    "open_store",
    "redact",
]

BACKENDS = {
    "memory": ("bot.store.memory", "MemorySessionStore"),
    "sqlite": ("bot.store.sqlite", "SqliteSessionStore"),
    "redis": ("bot.store.redis", "RedisSessionStore"),
}
"""Each URL scheme's backend: its module and class, imported on first use."""


def __getattr__(name: str) -> object:
    for module, cls in BACKENDS.values():
        if name == cls:
            return getattr(importlib.import_module(module), cls)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_url(url: str) -> None:
    """Check a ``STORE_URL`` by parsing it alone: nothing is imported, opened or connected.

    Raises:
        ValueError: as :func:`open_store`.
    """
    scheme_of(url)


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
    scheme = scheme_of(url)
    if scheme == "memory":
        from bot.store.memory import MemorySessionStore

        return MemorySessionStore.from_url(url, idle_ttl=idle_ttl)
    if scheme == "sqlite":
        from bot.store.sqlite import SqliteSessionStore

        return SqliteSessionStore.from_url(url, idle_ttl=idle_ttl)
    from bot.store.redis import RedisSessionStore

    return RedisSessionStore.from_url(url, idle_ttl=idle_ttl)
