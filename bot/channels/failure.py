"""How a failed Telegram call is reported on the command line: without the token."""

from __future__ import annotations


class TelegramFailure(Exception):
    """A Telegram call failed; the message never contains the token."""


def telegram_failure(error: Exception, doing: str) -> TelegramFailure:
    """A :class:`TelegramFailure` that names only the error's class: PTB's own messages can
    contain the token (``InvalidToken``) or the request URL."""
    from telegram.error import InvalidToken  # telegram loads only when a call has failed

    hint = " (check TELEGRAM_BOT_TOKEN)" if isinstance(error, InvalidToken) else ""
    return TelegramFailure(f"{type(error).__name__}: could not {doing}{hint}")
