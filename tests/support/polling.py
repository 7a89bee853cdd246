"""A polling bot run inside the test's event loop against the fake Bot API, seen from one
private chat."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram.ext import Application

from bot.channels.telegram import (
    ALLOWED_UPDATES,
    TelegramChannel,
)
from bot.dialogue import Session
from bot.outbox import decode
from bot.runtime import build_application
from bot.service import ChatService
from bot.store import MemorySessionStore
from tests.fakes.bot_api import FakeBotAPI
from tests.support.engine import real_engine
from tests.support.telegram import Sent, as_sent, settings_for

CHAT = 4242


@asynccontextmanager
async def polling(application: Application) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """What ``run_polling`` does, inside the test's event loop."""
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=list(ALLOWED_UPDATES))
        await application.start()
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


class Bot:
    """The bot under test as one private chat sees it, with helpers to talk to it."""

    def __init__(self, api: FakeBotAPI, service: ChatService, chat_id: int = CHAT) -> None:
        self.api = api
        self.service = service
        self.chat_id = chat_id

    def sent(self, chat_id: int | None = None) -> list[Sent]:
        return [as_sent(m) for m in self.api.sent_messages(chat_id or self.chat_id)]

    async def replies(self, count: int, *, chat_id: int | None = None) -> list[Sent]:
        """Wait until ``count`` messages were sent to the chat in all; return the last ones."""
        chat = chat_id or self.chat_id
        deadline = time.monotonic() + 10
        while len(self.api.sent_messages(chat)) < count:
            assert time.monotonic() < deadline, f"waited for {count} messages: {self.sent(chat)}"
            await asyncio.sleep(0.005)
        return self.sent(chat)

    async def say(self, text: str, expect: int) -> list[Sent]:
        """Type ``text`` and wait for ``expect`` new messages; returns them."""
        before = len(self.api.sent_messages(self.chat_id))
        self.api.push_text(self.chat_id, text)
        return (await self.replies(before + expect))[before:]

    async def tap(self, data: str, expect: int, *, message_id: int | None = None) -> list[Sent]:
        """Tap the button with ``data`` (on the newest message that has it)."""
        before = len(self.api.sent_messages(self.chat_id))
        if message_id is None:
            message_id = self.message_with(data)
        self.api.push_callback(self.chat_id, data, message_id)
        return (await self.replies(before + expect))[before:]

    def message_with(self, data: str) -> int:
        for message in reversed(self.api.sent_messages(self.chat_id)):
            if data in as_sent(message).buttons:
                return int(message["message_id"])
        raise AssertionError(f"no message has a button {data!r}")

    async def session(self) -> Session | None:
        raw = await self.service.store.load(str(self.chat_id))
        return None if raw is None else decode(raw).session  # (its replies may be in flight)

    async def quiet(self, seconds: float = 0.3) -> None:
        """Let the bot finish whatever it is doing; then nothing more may arrive."""
        before = self.api.sent_messages()
        await asyncio.sleep(seconds)
        assert self.api.sent_messages() == before


@asynccontextmanager
async def running_bot(api: FakeBotAPI, service: ChatService | None = None) -> AsyncIterator[Bot]:
    settings = settings_for(api)
    service = service or ChatService(real_engine(), MemorySessionStore())
    application = build_application(settings, TelegramChannel(service), with_updater=True)
    async with polling(application):
        yield Bot(api, service)
