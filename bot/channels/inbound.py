"""A Telegram update reduced to what the bot reads, parsed straight from its Bot API JSON.

The channel needs a handful of fields: the chat, its type, a message's text, a button's data.
Building python-telegram-bot's object tree for every webhook update cost more CPU than the rest
of the turn, so the JSON is read here instead, and checked: every field read must have its Bot
API type, or the update is rejected as malformed (``None``). Polling hands over PTB's
:class:`~telegram.Update`, already parsed and typed, which is read from its attributes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from telegram import Update

MAX_ID = 2**53 - 1
MAX_CALLBACK_BYTES = 64


class Kind(enum.Enum):
    """What an update is, as far as the bot is concerned."""

    MESSAGE = "message"
    BUTTON = "callback_query"
    OTHER = "other"
    """Edited messages, channel posts, member changes, kinds added later: nothing to do."""


@dataclass(frozen=True, slots=True)
class Inbound:
    """The parts of one update the channel uses."""

    update_id: int
    kind: Kind = Kind.OTHER
    chat_id: int | None = None
    """The chat to answer in; ``None`` for a button under a message Telegram no longer has."""
    private: bool = False
    text: str | None = None
    """A message's text; ``None`` for a photo, sticker, voice message…"""
    reply_to_user: int | None = None
    """Whose message a message replies to (in groups, a reply to the bot addresses it)."""
    query_id: str = ""
    data: str | None = None
    """A button's callback data."""
    message_id: int | None = None
    """The message a tapped button is under."""

    @classmethod
    def from_update(cls, update: Update) -> Inbound | None:
        """Read an update python-telegram-bot has parsed (polling) from its attributes: PTB
        checked its types already, so it is not turned back into a dict."""
        if update.message is not None:
            message = update.message
            replied = message.reply_to_message
            author = replied.from_user if replied is not None else None
            return cls(
                update.update_id, Kind.MESSAGE, chat_id=message.chat.id,
                private=message.chat.type == "private", text=message.text,
                reply_to_user=author.id if author is not None else None,
            )  # fmt: skip
        query = update.callback_query
        if query is None:
            return cls(update.update_id)
        data = query.data
        if data is not None and len(data.encode("utf-8", "surrogatepass")) > MAX_CALLBACK_BYTES:
            return None  # Telegram never sends more
        under = query.message
        return cls(
            update.update_id, Kind.BUTTON, chat_id=under.chat.id if under else None,
            private=under is not None and under.chat.type == "private", query_id=query.id,
            data=data, message_id=under.message_id if under else None,
        )  # fmt: skip


def parse_update(data: Any) -> Inbound | None:
    """Read an update's JSON object; ``None`` when it is not a well-formed update."""
    if not isinstance(data, dict) or not _id_ok(data.get("update_id"), signed=False):
        return None
    update_id = data["update_id"]
    if "message" in data:
        return _message(update_id, data["message"])
    if "callback_query" in data:
        return _button(update_id, data["callback_query"])
    return Inbound(update_id)


def _message(update_id: int, message: Any) -> Inbound | None:
    chat = _chat(message)
    text = message.get("text") if chat is not None else None
    if chat is None or not isinstance(text, str | None):
        return None
    replied = message.get("reply_to_message")
    if replied is not None and (not isinstance(replied, dict) or not _user_ok(replied)):
        return None
    author = replied.get("from") if replied is not None else None
    return Inbound(
        update_id, Kind.MESSAGE, chat_id=chat[0], private=chat[1] == "private", text=text,
        reply_to_user=author["id"] if author is not None else None,
    )  # fmt: skip


def _button(update_id: int, query: Any) -> Inbound | None:
    if not isinstance(query, dict) or not _user_ok(query, required=True):
        return None
    query_id, data, message = query.get("id"), query.get("data"), query.get("message")
    if not isinstance(query_id, str) or not isinstance(data, str | None):
        return None
    if data is not None and len(data.encode("utf-8", "surrogatepass")) > MAX_CALLBACK_BYTES:
        return None  # Telegram never sends more
    chat = _chat(message) if message is not None else None
    if message is not None and chat is None:
        return None
    message_id = message.get("message_id") if isinstance(message, dict) else None
    return Inbound(
        update_id, Kind.BUTTON, chat_id=chat[0] if chat else None,
        private=chat is not None and chat[1] == "private", query_id=query_id, data=data,
        message_id=message_id if type(message_id) is int else None,
    )  # fmt: skip


def _chat(message: Any) -> tuple[int, str] | None:
    """A message's (chat id, chat type), or ``None`` when the message is malformed."""
    if not isinstance(message, dict) or not _id_ok(message.get("date"), signed=False):
        return None
    chat = message.get("chat")
    if not isinstance(chat, dict) or not _user_ok(message):
        return None
    chat_id, chat_type = chat.get("id"), chat.get("type")
    if not isinstance(chat_id, int) or not _id_ok(chat_id) or not isinstance(chat_type, str):
        return None
    return chat_id, chat_type


def _user_ok(holder: dict[str, Any], *, required: bool = False) -> bool:
    """Whether ``holder["from"]`` is a user object (or absent, unless ``required``)."""
    user = holder.get("from")
    if user is None:
        return not required
    return isinstance(user, dict) and _id_ok(user.get("id"))


def _id_ok(value: Any, *, signed: bool = True) -> bool:
    """An integer as the Bot API sends them: ids fit in 52 bits and a sign (dates and update
    ids are positive); anything larger cannot come from Telegram and would overflow a store."""
    return type(value) is int and (-MAX_ID if signed else 0) <= value <= MAX_ID
