"""Conversation keys as they may appear in logs and error messages: a keyed hash.

A key is a Telegram chat id, which in a private chat is the user's id: it must not be logged
above DEBUG. :func:`tag` gives the same short tag for the same key within one process (to follow
one chat through the log) and cannot be turned back into the id without the process's key.
"""

from __future__ import annotations

import hashlib
import secrets

_SECRET = secrets.token_bytes(16)


def tag(key: str) -> str:
    """``chat#`` and 12 hex digits of a keyed BLAKE2b hash of ``key``."""
    digest = hashlib.blake2b(key.encode(), key=_SECRET, digest_size=6).hexdigest()
    return f"chat#{digest}"
