"""Fault-injection helpers: a webhook bot inside the test's event loop, the reference
conversation at any point, and one report line per scenario for BENCHMARKS.md."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import pytest

from bot.channels.telegram import UPDATE_BUDGET_SECONDS, TelegramChannel
from bot.channels.webhook import create_app
from bot.dialogue import Session
from bot.runtime import build_application
from bot.service import ChatService
from bot.store import (
    SessionStore,
)
from tests.fakes.bot_api import FakeBotAPI
from tests.support.engine import real_engine
from tests.support.telegram import (
    JSON,
    PATH,
    SECRET,
    Reference,
    Sent,
    as_sent,
    consultation,
    settings_for,
)
from tests.support.webhook import serve

CHAT = 6060


REQUEST_TIMEOUT = 0.25  # seconds a Bot API call may take (5 in production)


BACKOFF = 0.02  # first retry of a failed send (0.4 in production)


def lost_and_duplicated(sent: list[Sent], expected: list[Sent]) -> tuple[int, int]:
    """Messages the runner should have seen and did not, and those seen more often than due."""
    seen, due = Counter(sent), Counter(expected)
    return sum((due - seen).values()), sum((seen - due).values())


def report(capsys: pytest.CaptureFixture[str], scenario: str, faults: int, sent: list[Sent],
           expected: list[Sent], *, unit: str = "faults injected") -> None:  # fmt: skip
    """Print one line for BENCHMARKS.md: the faults, and replies lost or duplicated."""
    lost, duplicated = lost_and_duplicated(sent, expected)
    with capsys.disabled():
        print(f"\nfaults: {scenario}: {faults} {unit}, {lost} replies lost, "
              f"{duplicated} duplicated, {len(expected)} delivered")  # fmt: skip


def same_conversation(session: Session | None, reference: Reference) -> None:
    """The stored conversation is the reference one: every answer recorded once, none lost."""
    assert session is not None and reference.session is not None
    for name in ("state", "question", "answers", "age", "asked", "step", "unread"):
        assert getattr(session, name) == getattr(reference.session, name), name


@dataclass
class Webhook:
    api: FakeBotAPI
    service: ChatService
    client: httpx.AsyncClient

    async def post(self, update: JSON) -> httpx.Response:
        headers = {"x-telegram-bot-api-secret-token": SECRET}
        return await self.client.post(PATH, json=update, headers=headers)

    async def deliver(self, update: JSON, *, attempts: int = 6) -> list[int]:
        """POST ``update`` as Telegram does: again after any answer other than 2xx, with a
        doubling pause (1 s, 2 s… at Telegram; a hundredth of that here). Returns the statuses."""
        statuses: list[int] = []
        for attempt in range(attempts):
            statuses.append((await self.post(update)).status_code)
            if 200 <= statuses[-1] < 300:
                break
            await asyncio.sleep(0.01 * 2**attempt)
        return statuses

    async def health(self) -> int:
        return (await self.client.get("/healthz")).status_code

    def sent(self, chat: int = CHAT) -> list[Sent]:
        return [as_sent(m) for m in self.api.sent_messages(chat)]


@asynccontextmanager
async def webhook(
    api: FakeBotAPI, store: SessionStore, *, budget: float = UPDATE_BUDGET_SECONDS,
    request_timeout: float = REQUEST_TIMEOUT,
) -> AsyncIterator[Webhook]:  # fmt: skip
    settings = settings_for(api, TELEGRAM_MAX_MESSAGES_PER_SECOND="0")
    service = ChatService(real_engine(), store)
    channel = TelegramChannel(service, backoff=BACKOFF, budget=budget)
    application = build_application(
        settings, channel, with_updater=False, request_timeout=request_timeout
    )
    async with (
        serve(create_app(settings, channel, application, service.store)) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as client,
    ):
        yield Webhook(api, service, client)


def reference_at(count: int) -> Reference:
    """A reference conversation after the first ``count`` actions of :func:`consultation`."""
    again = Reference()
    for action in consultation(Reference())[:count]:
        if action.kind == "text":
            again.text(action.value)
        else:
            again.tap(action.value)
    return again
