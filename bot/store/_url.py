"""Helpers shared by the ``from_url`` constructors: validation messages and password masking."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

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
