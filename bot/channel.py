"""What every channel shares: the key of a conversation, one incoming event, and the protocol.

A channel (Telegram, the console, plain HTTP JSON…) is the edge where a transport meets the
:class:`~bot.service.ChatService`. Inbound, it parses one transport event (a Telegram update,
a typed line, an HTTP request) into an :class:`Incoming`: whose conversation it is
(a :class:`SessionKey`), what the runner did, and an opaque dedupe id that a retried event
carries again. Outbound, it renders the engine's replies within its own limits (Telegram:
4,096 characters a message, HTML) and delivers them. The core never sees a transport type.

A new channel is one module implementing :class:`Channel` plus one line in
:data:`bot.channels.registry.CHANNELS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from bot.dialogue import Reply

EventT_contra = TypeVar("EventT_contra", contravariant=True)
MessageT_co = TypeVar("MessageT_co", covariant=True)

LEGACY_CHANNEL = "telegram"
"""The channel whose keys are stored as the bare chat id: sessions were keyed that way before
keys named their channel, and keeping the form keeps every stored conversation."""


@dataclass(frozen=True, slots=True, order=True)
class SessionKey:
    """Whose conversation: a chat of one channel (in the style of aiogram's ``StorageKey``).

    ``str(key)`` is the store's key: ``"<channel>:<chat>"``, or the bare chat for Telegram
    (:data:`LEGACY_CHANNEL`), so that two channels never share a conversation by accident.
    """

    channel: str
    chat: str

    def __post_init__(self) -> None:
        if not self.channel or ":" in self.channel:
            raise ValueError(f"a channel name must be non-empty, without ':': {self.channel!r}")
        if not self.chat:
            raise ValueError("a chat must be named")

    def __str__(self) -> str:
        return self.chat if self.channel == LEGACY_CHANNEL else f"{self.channel}:{self.chat}"

    @classmethod
    def parse(cls, stored: str) -> SessionKey:
        """The key that ``str(key)`` wrote (a check-in names its conversation this way)."""
        channel, colon, chat = stored.partition(":")
        return cls(channel, chat) if colon else cls(LEGACY_CHANNEL, stored)


@dataclass(frozen=True, slots=True)
class Incoming:
    """One event a channel received, as the service handles it.

    ``text`` is what the runner typed, or ``button`` the option they tapped (``step``: the step
    the button was shown at, for channels that keep old buttons on screen). ``dedupe`` is an
    opaque id that a retry of the same event carries again (Telegram: the ``update_id``), so it
    is applied once; ``order`` orders one chat's events across processes where the channel
    numbers them (Telegram: the ``update_id`` again).
    """

    key: SessionKey
    text: str | None = None
    button: str | None = None
    step: int | None = None
    dedupe: str | None = None
    order: int | None = None


class Channel(Protocol[EventT_contra, MessageT_co]):
    """A transport's edge: events in, the engine's replies out, with the transport's limits.

    Delivery itself is transport work (a Bot API call, a line on stdout, an HTTP response);
    the channel hands the service a ``deliver`` callback for it with each :class:`Incoming`.
    """

    name: str
    """The channel's name in every :class:`SessionKey` it makes (no ``:``)."""
    max_text: int
    """The longest text read from the runner; longer text is read up to here."""

    def incoming(self, event: EventT_contra) -> Incoming | None:
        """The event as the service handles it; ``None`` for one that asks nothing of the bot
        (an edited message, a malformed request)."""
        ...

    def render(self, replies: Sequence[Reply]) -> Sequence[MessageT_co]:
        """The replies as this channel's messages, within its limits."""
        ...


def clip(text: str | None, limit: int) -> str | None:
    """``text`` cut to ``limit`` characters (a channel's :attr:`Channel.max_text`)."""
    return text if text is None or len(text) <= limit else text[:limit]
