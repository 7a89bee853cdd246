"""Helpers shared by the ``from_url`` constructors: validation messages and password masking."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

SUPPORTED_URLS = "sqlite:///path.db, redis://host:port/db or memory://"


def redact(url: str) -> str:
    """Return ``url`` with any password replaced by ``***`` so it can go into messages and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if parts.password is None:
        return url
    userinfo, _, hostinfo = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{hostinfo}"))


def unsupported(url: str) -> ValueError:
    """The error for a URL whose scheme names no backend."""
    return ValueError(f"STORE_URL {redact(url)!r} is not supported: use {SUPPORTED_URLS}")


def malformed(url: str, scheme: str, hint: str) -> ValueError:
    """The error for a URL of a known ``scheme`` that cannot be used; ``hint`` shows the form."""
    return ValueError(f"STORE_URL {redact(url)!r} is not a valid {scheme} URL: {hint}")


def check_ttl(idle_ttl: float | None) -> float | None:
    """Validate ``idle_ttl``: a positive number of seconds, or ``None`` to keep forever."""
    if idle_ttl is not None and not idle_ttl > 0:
        raise ValueError(
            f"idle_ttl must be a positive number of seconds or None, not {idle_ttl!r}"
        )
    return idle_ttl


SQLITE_HINT = "use sqlite:///relative/path.db or sqlite:////absolute/path.db"
REDIS_HINT = "use redis://host:port/db, e.g. redis://127.0.0.1:6379/0"


def check_memory(url: str) -> None:
    """Check ``memory://`` (nothing may follow the scheme)."""
    parts = urlsplit(url)
    if parts.scheme != "memory" or parts.netloc or parts.path or parts.query:
        raise malformed(url, "memory", "write exactly memory://")


def sqlite_path(url: str) -> str:
    """The file path of ``sqlite:///relative/path.db`` or ``sqlite:////absolute/path.db``."""
    parts = urlsplit(url)
    if parts.scheme != "sqlite" or parts.netloc or parts.query or parts.fragment:
        raise malformed(url, "sqlite", SQLITE_HINT)
    path = unquote(parts.path[1:])  # drop the "/" that separates the empty host
    if not path or path.endswith("/"):
        raise malformed(url, "sqlite", SQLITE_HINT)
    return path


def check_redis(url: str) -> None:
    """Check ``redis://host:port/db`` (or ``rediss://``)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or parts.fragment:
        raise malformed(url, "redis", REDIS_HINT)
    try:
        port = parts.port
    except ValueError:
        raise malformed(url, "redis", REDIS_HINT) from None
    db = parts.path.lstrip("/")
    if not parts.hostname or port == 0 or (db and not db.isdigit()) or "/" in db:
        raise malformed(url, "redis", REDIS_HINT)


def scheme_of(url: str) -> str:
    """The backend ``url`` names: ``memory``, ``sqlite`` or ``redis``, its form checked by
    parsing alone (nothing is imported, opened or connected).

    Raises:
        ValueError: the scheme is unknown or the URL malformed (the password masked).
    """
    try:
        scheme = urlsplit(url).scheme
    except ValueError:
        raise unsupported(url) from None
    if scheme == "memory":
        check_memory(url)
    elif scheme == "sqlite":
        sqlite_path(url)
    elif scheme in ("redis", "rediss"):
        check_redis(url)
        scheme = "redis"
    else:
        raise unsupported(url)
    return scheme
