"""The check-in loop of a serving process, wired to the Telegram channel (see
:mod:`bot.checkin_loop`)."""

from __future__ import annotations

from functools import partial

from bot.channels.lean_bot import LeanBot
from bot.channels.telegram import TelegramChannel
from bot.checkin_loop import CheckinLoop
from bot.config import Settings
from bot.store import SessionStore


def checkin_loop(
    settings: Settings, channel: TelegramChannel, bot: LeanBot, store: SessionStore
) -> CheckinLoop:
    """The check-in loop of one serving process, sending through ``channel``: it looks for due
    check-ins every few seconds (every 1/2000 of a check-in day, at most 5 s) and sends at most
    a third of the rate cap, leaving the rest for replies."""
    rate = settings.telegram_max_messages_per_second
    return CheckinLoop(
        store, partial(channel.check_in, bot),
        every=min(5.0, max(0.05, settings.checkin_day_seconds / 2000)),
        lease=settings.checkin_lease_seconds, per_second=rate / 3 if rate else 0.0,
    )  # fmt: skip
