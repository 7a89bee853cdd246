"""Check-ins in one process: the service keeps the store's schedule in step with the session,
and the check-in loop sends each due check-in once, through the outbox: with two loops sharing
a store, after a failed delivery, and after a sender that died mid-send."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.checkin_loop import CheckinLoop
from bot.dialogue import Turn
from bot.service import ChatService, DeliveryFailed
from bot.store import SessionStore, open_store
from tests.support.checkins import at_result
from tests.support.engine import real_engine

NOW = 1_700_000_000.0
DAY = 86_400.0
ASKED = "How is the hip compared"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


class Inbox:
    """What a fake channel delivered, per chat; ``fail`` makes deliveries fail (nothing sent)."""

    def __init__(self) -> None:
        self.got: dict[str, list[str]] = {}
        self.fail = False

    def deliver_to(self, key: str) -> Callable[[Turn], Awaitable[None]]:
        async def deliver(turn: Turn) -> None:
            if self.fail:
                raise DeliveryFailed(turn.replies, "the Bot API answered 502")
            self.got.setdefault(key, []).extend(r.text for r in turn.replies)

        return deliver

    def check_ins(self, key: str) -> int:
        return sum(ASKED in text for text in self.got.get(key, []))


def loop_for(service: ChatService, inbox: Inbox, clock: Clock, **options: float) -> CheckinLoop:
    async def send(key: str, due: float) -> bool:
        return await service.check_in(key, due, inbox.deliver_to(key))

    return CheckinLoop(service.store, send, clock=clock, per_second=0, **options)  # type: ignore[arg-type]


@pytest.fixture(params=["memory", "sqlite", "redis"])
async def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "redis":
        return str(request.getfixturevalue("redis_url"))
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'checkins.db'}"
    return "memory://"


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[SessionStore]:
    opened = open_store(store_url)
    yield opened
    await opened.close()


async def opt_in(service: ChatService, key: str, inbox: Inbox, days: int = 3) -> None:
    """A conversation at its result taps "In 3 days" (or "In a week") through the service."""
    session = at_result(service.engine)
    await service.store.save(key, session.to_json())
    await service.handle(
        key, button=f"checkin_{days}", step=session.step, deliver=inbox.deliver_to(key)
    )


async def test_opting_in_schedules_and_cancelling_or_forget_unschedules(
    store: SessionStore,
) -> None:
    clock, inbox = Clock(), Inbox()
    service = ChatService(real_engine(), store, clock=clock)
    for key in ("1", "2", "3", "4"):
        await opt_in(service, key, inbox)
    await service.handle("2", text="/checkins", deliver=inbox.deliver_to("2"))
    assert "in 3 days" in inbox.got["2"][-1]
    await service.handle("2", button="checkin_cancel", deliver=inbox.deliver_to("2"))
    await service.handle("3", text="/forget", deliver=inbox.deliver_to("3"))
    await service.forget("4")  # the runner blocked the bot
    assert await store.load("4") is None
    claimed = await store.claim_due(NOW + 3 * DAY, lease=60, limit=10)
    assert claimed == [("1", NOW + 3 * DAY)]


async def test_the_loop_sends_each_due_check_in_once_at_its_time(store: SessionStore) -> None:
    clock, inbox = Clock(), Inbox()
    service = ChatService(real_engine(), store, clock=clock)
    keys = [str(n) for n in range(12)]
    for key in keys:
        await opt_in(service, key, inbox, days=3 if int(key) % 2 else 7)
    loop = loop_for(service, inbox, clock, batch=5)
    clock.now = NOW + 3 * DAY - 1
    await loop.tick()
    assert not any(inbox.check_ins(k) for k in keys)
    clock.now = NOW + 3 * DAY
    while await loop.tick():
        pass
    assert [inbox.check_ins(k) for k in keys] == [int(k) % 2 for k in keys]
    clock.now = NOW + 8 * DAY
    while await loop.tick():
        pass
    clock.now = NOW + 30 * DAY
    await loop.tick()
    assert [inbox.check_ins(k) for k in keys] == [1] * len(keys)
    assert loop.sent == len(keys)
    answer = await service.handle("1", button="followup_better", deliver=inbox.deliver_to("1"))
    assert answer.turn is not None and "during your last run" in answer.turn.replies[0].text


async def test_two_loops_sharing_a_store_send_each_check_in_once(store_url: str) -> None:
    clock, inbox = Clock(), Inbox()
    engine = real_engine()
    stores = [open_store(store_url), open_store(store_url)]
    if store_url == "memory://":
        stores = [stores[0], stores[0]]
    try:
        services = [ChatService(engine, s, clock=clock) for s in stores]
        keys = [str(n) for n in range(30)]
        for n, key in enumerate(keys):
            await opt_in(services[n % 2], key, inbox)
        clock.now = NOW + 3 * DAY
        loops = [loop_for(s, inbox, clock, batch=4) for s in services]

        async def drain(loop: CheckinLoop) -> None:
            for _ in range(len(keys)):  # a full batch means more may be due
                if not await loop.tick():
                    return

        await asyncio.gather(*(drain(loop) for loop in loops))
        assert [inbox.check_ins(k) for k in keys] == [1] * len(keys)
        assert sum(loop.sent for loop in loops) == len(keys)
    finally:
        for s in {id(s): s for s in stores}.values():
            await s.close()


async def test_a_failed_delivery_is_sent_again_after_the_lease(store: SessionStore) -> None:
    clock, inbox = Clock(), Inbox()
    service = ChatService(real_engine(), store, clock=clock)
    await opt_in(service, "5", inbox)
    loop = loop_for(service, inbox, clock, lease=60)
    clock.now = NOW + 3 * DAY
    inbox.fail = True
    await loop.tick()
    inbox.fail = False
    await loop.tick()
    assert inbox.check_ins("5") == 0  # claimed: hidden until its lease is over
    clock.now += 61
    await loop.tick()
    assert inbox.check_ins("5") == 1
    clock.now += 1000
    await loop.tick()
    assert inbox.check_ins("5") == 1


async def test_a_sender_that_died_mid_send_leaves_it_to_another_once(store_url: str) -> None:
    clock, inbox = Clock(), Inbox()
    engine = real_engine()
    first, second = open_store(store_url), open_store(store_url)
    if store_url == "memory://":
        second = first
    try:
        service = ChatService(engine, first, clock=clock)
        await opt_in(service, "9", inbox)
        clock.now = NOW + 3 * DAY
        hang = asyncio.Event()

        async def stuck(key: str, due: float) -> bool:
            async def deliver(turn: Turn) -> None:
                await hang.wait()  # the process dies here, after the check-in was saved

            return await service.check_in(key, due, deliver)

        dying = CheckinLoop(first, stuck, clock=clock, lease=60, per_second=0)
        task = asyncio.create_task(dying.tick())
        await asyncio.sleep(0.3)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        other = ChatService(engine, second, clock=clock)
        survivor = loop_for(other, inbox, clock, lease=60)
        await survivor.tick()
        assert inbox.check_ins("9") == 0  # still leased by the dead sender
        clock.now += 61
        await survivor.tick()
        assert inbox.check_ins("9") == 1  # from its outbox: not asked anew
        clock.now += 1000
        await survivor.tick()
        assert inbox.check_ins("9") == 1
    finally:
        await first.close()
        if second is not first:
            await second.close()


def test_check_in_and_follow_up_buttons_fit_telegram_callback_data() -> None:
    from bot.dialogue import checkins, followup

    texts = real_engine().render
    options = [*checkins.offer_options(texts), checkins.cancel_option(texts)]
    options += [*followup.compare_options(texts), *followup.pain_options(texts)]
    for option in options:
        assert re.fullmatch(r"[a-z0-9_]+", option.value), option
        assert len(f"999999999:{option.value}".encode()) <= 64
