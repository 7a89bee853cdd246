"""Helpers for the Telegram channel tests: what the bot should send, and what the fake got.

:class:`Reference` runs the real engine alongside the bot under test with the same inputs, so a
test knows exactly which messages (text and buttons) each update must produce.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from bot.channels.telegram import outgoing
from bot.config import Settings
from bot.dialogue import Incoming, Option, Session, Turn
from tests.fakes.bot_api import FakeBotAPI
from tests.support.engine import real_engine

JSON = dict[str, Any]
SECRET = "s3cret-Webhook_token"
"""The webhook secret of :func:`settings_for`."""
PATH = "/telegram"
"""The webhook path of :func:`settings_for`."""


def update_for(api: FakeBotAPI, action: Action, update_id: int, chat: int) -> JSON:
    """The update Telegram would deliver for ``action`` in ``chat`` (a tap: on message 1)."""
    if action.kind == "text":
        update = api.make_text_update(chat, action.value)
    else:
        update = api.make_callback_update(chat, action.callback_data, 1)
    return {"update_id": update_id, **update}


def settings_for(api: FakeBotAPI, *, store_url: str = "memory://", **extra: str) -> Settings:
    """Settings for a bot talking to the fake Bot API ``api`` (polling or webhook), with
    ``extra`` variables on top."""
    return Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_PATH": PATH,
            "STORE_URL": store_url,
            **extra,
        }
    )


CONSULTATION_DESCRIPTION = "sore outer hip after my long runs, it hurts lying on that side"


@dataclass(frozen=True)
class Sent:
    """One bot message as the user sees it: its (HTML) text and its buttons' callback data."""

    text: str
    buttons: tuple[str, ...] = ()
    picture: bool = False
    """A photo, with ``text`` as its caption."""


def as_sent(message: JSON) -> Sent:
    """A message recorded by the fake (``sent_messages()``) as :class:`Sent`."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    text = message.get("text", message.get("caption", ""))
    return Sent(text, tuple(b["callback_data"] for row in rows for b in row), "photo" in message)


def rendered(turn: Turn) -> list[Sent]:
    """The messages the Telegram channel sends for ``turn`` (packing is unit-tested on its own)."""
    messages = outgoing(turn.replies)
    buttons = tuple(f"{turn.session.step}:{o.value}" for o in turn.replies[-1].options)
    return [
        Sent(m.text, buttons if i == len(messages) - 1 else (), m.picture is not None)
        for i, m in enumerate(messages)
    ]


class Reference:
    """The real engine fed the same inputs as the bot under test."""

    def __init__(self) -> None:
        self.engine = real_engine()
        self.session: Session | None = None
        self.options: tuple[Option, ...] = ()
        """The buttons under the last message."""

    @property
    def state(self) -> str | None:
        """The reference conversation's state (``None`` before the first message)."""
        return None if self.session is None else self.session.state

    def text(self, text: str) -> list[Sent]:
        """Type ``text``; returns the expected messages."""
        return self._step(Incoming(text=text, at=time.time()))

    def tap(self, value: str, *, step: int | None = None) -> list[Sent]:
        """Tap the button ``value`` shown at ``step`` (default: the current step)."""
        assert self.session is not None
        shown = self.session.step if step is None else step
        return self._step(Incoming(button=value, step=shown, at=time.time()))

    def _step(self, incoming: Incoming) -> list[Sent]:
        turn = self.engine.step(self.session, incoming)
        self.session = None if turn.forget else turn.session
        self.options = turn.options
        return rendered(turn)


@dataclass(frozen=True)
class Action:
    """One user action of a scripted conversation and the messages it must produce."""

    kind: str
    """``"text"`` or ``"tap"``."""
    value: str
    """The text typed, or the value of the button tapped."""
    step: int | None
    """For a tap: the step the button was shown at (its callback data is ``step:value``)."""
    expected: list[Sent]

    @property
    def callback_data(self) -> str:
        """The callback data of the tapped button."""
        return f"{self.step}:{self.value}"


def consultation(reference: Reference | None = None) -> list[Action]:
    """A whole consultation from /start to the result, each action with its expected messages.

    Buttons are tapped except for the description and the age, which are typed.
    """
    reference = reference or Reference()
    actions: list[Action] = []

    def do(kind: str, value: str) -> None:
        step = reference.session.step if kind == "tap" and reference.session else None
        expected = reference.text(value) if kind == "text" else reference.tap(value)
        actions.append(Action(kind, value, step, expected))

    for kind, value in [
        ("text", "/start"),
        ("tap", "start"),
        ("tap", "none"),
        ("text", CONSULTATION_DESCRIPTION),
        ("text", "I'm 40"),
        ("tap", "days"),
        ("tap", "none"),
    ]:
        do(kind, value)
    taps = {"duration": "days", "signs": "none", "questions": "no"}
    while reference.state in taps:
        do("tap", taps[reference.state])
    assert reference.state == "review", reference.state
    do("tap", "confirm")
    assert reference.state == "result"
    return actions
