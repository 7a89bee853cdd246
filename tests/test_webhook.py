"""The webhook app from ``create_app``, served by uvicorn on 127.0.0.1 and driven over HTTP."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import redis.asyncio as redis_client
from starlette.applications import Starlette

from bot.channels.http_guard import MAX_BODY_BYTES
from bot.channels.telegram import SEND_ATTEMPTS, TelegramChannel
from bot.channels.webhook import create_app
from bot.config import Settings
from bot.runtime import build_application, build_service
from bot.service import ChatService
from bot.store import RedisSessionStore, SessionStore, StoreUnavailable, open_store
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.redis_server import RedisServer
from tests.support.engine import dialogue_text, real_engine
from tests.support.ports import free_port
from tests.support.telegram import (
    JSON,
    PATH,
    SECRET,
    Action,
    Reference,
    Sent,
    as_sent,
    consultation,
    settings_for,
    update_for,
)
from tests.support.webhook import serve

CHAT = 31337


@dataclass
class Webhook:
    """A served webhook app, its store, and a client to talk to it."""

    api: FakeBotAPI
    store: SessionStore
    client: httpx.AsyncClient

    async def post(
        self, update: Any, *, secret: str | None = SECRET, content_type: str = "application/json"
    ) -> httpx.Response:
        headers = {"content-type": content_type}
        if secret is not None:
            headers["x-telegram-bot-api-secret-token"] = secret
        body = update if isinstance(update, bytes) else json.dumps(update).encode()
        return await self.client.post(PATH, content=body, headers=headers)

    async def healthy(self) -> int:
        return (await self.client.get("/healthz")).status_code

    def sent(self, chat_id: int = CHAT) -> list[Sent]:
        return [as_sent(m) for m in self.api.sent_messages(chat_id)]

    def update_for(self, action: Action, chat_id: int = CHAT, update_id: int = 1) -> JSON:
        return update_for(self.api, action, update_id, chat_id)


def webhook_app(settings: Settings, service: ChatService | None = None) -> Starlette:
    service = service or ChatService(
        real_engine(), open_store(settings.store_url, idle_ttl=settings.session_idle_seconds)
    )
    channel = TelegramChannel(service)
    application = build_application(settings, channel, with_updater=False)
    return create_app(settings, channel, application, service.store)


@asynccontextmanager
async def running_webhook(api: FakeBotAPI, store_url: str = "memory://") -> AsyncIterator[Webhook]:
    settings = settings_for(api, store_url=store_url)
    service = ChatService(real_engine(), open_store(store_url))
    async with (
        serve(webhook_app(settings, service)) as url,
        httpx.AsyncClient(base_url=url, timeout=20) as client,
    ):
        yield Webhook(api, service.store, client)


@pytest.fixture
async def webhook(fake_bot_api: FakeBotAPI) -> AsyncIterator[Webhook]:
    async with running_webhook(fake_bot_api) as served:
        yield served


# -- a consultation -----------------------------------------------------------------------------


async def test_a_whole_consultation_over_the_webhook(fake_bot_api: FakeBotAPI) -> None:
    settings = settings_for(fake_bot_api)
    app = webhook_app(settings, build_service(settings))
    async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=20) as client:
        served = Webhook(fake_bot_api, open_store("memory://"), client)
        assert [c.method for c in fake_bot_api.calls()] == ["getMe"]
        actions = consultation()
        for update_id, action in enumerate(actions, start=1):
            before = len(served.sent())
            update = served.update_for(action, update_id=update_id)
            response = await served.post(update)
            assert response.status_code == 200, response.text
            if action.kind == "tap":  # the tap is answered in the webhook response itself
                assert response.json() == {
                    "method": "answerCallbackQuery",
                    "callback_query_id": update["callback_query"]["id"],
                }
            else:
                assert response.text == "ok"
            # acknowledged only once the replies were sent
            assert served.sent()[before:] == action.expected
        assert "See a professional" in served.sent()[-len(actions[-1].expected)].text
        health = await client.get("/healthz")
        assert health.status_code == 200
        body = health.json()
        assert (body["status"], body["store"]) == ("ok", "up")
        if "free_disk_bytes" in body:  # SQLite tells the room left on its disk
            assert body["free_disk_bytes"] > 0
    assert all(c.params["parse_mode"] == "HTML" for c in fake_bot_api.calls("sendMessage"))
    assert fake_bot_api.calls("answerCallbackQuery") == []  # no extra round trip per tap


# -- refused requests ---------------------------------------------------------------------------


async def test_a_wrong_or_missing_secret_is_403_and_nothing_is_stored(webhook: Webhook) -> None:
    update = {"update_id": 1, **webhook.api.make_text_update(CHAT, "/start")}
    for secret in [None, "", "wrong", SECRET[:-1], SECRET + "x", SECRET.upper(), SECRET + SECRET]:
        response = await webhook.post(update, secret=secret)
        assert response.status_code == 403, secret
    assert await webhook.store.load(str(CHAT)) is None
    assert not await webhook.store.was_processed("1")
    assert webhook.api.calls("sendMessage") == []
    # the same update with the right secret is then processed
    assert (await webhook.post(update)).status_code == 200
    assert await webhook.store.load(str(CHAT)) is not None


async def test_the_content_type_must_be_json(webhook: Webhook) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "", "json"):
        update = {"update_id": 7, **webhook.api.make_text_update(CHAT, "/help")}
        response = await webhook.post(update, content_type=content_type)
        assert response.status_code == 415, content_type
    assert await webhook.store.load(str(CHAT)) is None
    for number, content_type in enumerate(["application/json; charset=utf-8", "Application/JSON"]):
        update = {"update_id": 8 + number, **webhook.api.make_text_update(CHAT, "/help")}
        response = await webhook.post(update, content_type=content_type)
        assert response.status_code == 200, content_type
    assert await webhook.store.was_processed("8")
    assert await webhook.store.was_processed("9")


async def test_a_body_over_1_mb_is_413(webhook: Webhook) -> None:
    update = webhook.api.make_text_update(CHAT, "x" * 4000)
    body = json.dumps({"update_id": 1, **update, "padding": "p" * MAX_BODY_BYTES}).encode()
    assert (await webhook.post(body)).status_code == 413

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: streamed, chunked
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    response = await webhook.client.post(
        PATH,
        content=chunks(),
        headers={"content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET},
    )
    assert response.status_code == 413
    assert await webhook.store.load(str(CHAT)) is None
    assert await webhook.healthy() == 200


def _message(**fields: Any) -> JSON:
    message = {
        "message_id": 1,
        "date": 1_700_000_000,
        "chat": {"id": CHAT, "type": "private"},
        "from": {"id": CHAT, "is_bot": False, "first_name": "Runner"},
        "text": "/start",
    }
    return {**message, **fields}


NOT_UPDATES = [
    b"{not json",
    b"\xff\xfe",
    b"",
    b"[" * 100_000 + b"]" * 100_000,
    b"[]",
    b'[{"update_id": 1}]',
    b'"update"',
    b"42",
    b"null",
    json.dumps({"message": _message()}).encode(),
    json.dumps({"update_id": "1", "message": _message()}).encode(),
    json.dumps({"update_id": 1.5, "message": _message()}).encode(),
    json.dumps({"update_id": True, "message": _message()}).encode(),
    json.dumps({"update_id": None, "message": _message()}).encode(),
    # integers no Telegram update holds, which would overflow a store (or Python's int parser)
    json.dumps({"update_id": 2**63, "message": _message()}).encode(),
    json.dumps({"update_id": -1, "message": _message()}).encode(),
    json.dumps(
        {"update_id": 1, "message": _message(chat={"id": -(2**64), "type": "group"})}
    ).encode(),
    json.dumps({"update_id": 1, "message": _message(**{"from": {"id": 10**30}})}).encode(),
    b'{"update_id": 1' + b"0" * 5_000 + b', "message": {}}',
    json.dumps(
        {
            "update_id": 1,
            "callback_query": {
                "id": "q",
                "from": {"id": CHAT, "is_bot": False, "first_name": "R"},
                "chat_instance": "1",
                "data": "9" * 5_000 + ":yes",
                "message": _message(),
            },
        }
    ).encode(),
    json.dumps({"update_id": 1, "message": "hello"}).encode(),
    json.dumps({"update_id": 1, "message": []}).encode(),
    json.dumps({"update_id": 1, "message": {"text": "hi"}}).encode(),
    json.dumps({"update_id": 1, "message": _message(text=5)}).encode(),
    json.dumps(
        {"update_id": 1, "message": _message(chat={"id": "x", "type": "private"})}
    ).encode(),
    json.dumps({"update_id": 1, "message": _message(date="yesterday")}).encode(),
    json.dumps({"update_id": 1, "message": _message(**{"from": "me"})}).encode(),
    json.dumps(
        {
            "update_id": 1,
            "callback_query": {
                "id": "1",
                "from": {"id": CHAT, "is_bot": False, "first_name": "R"},
                "chat_instance": "1",
                "data": 7,
                "message": _message(),
            },
        }
    ).encode(),
]


async def test_what_is_not_an_update_is_400(webhook: Webhook) -> None:
    for body in NOT_UPDATES:
        response = await webhook.post(body)
        assert response.status_code == 400, body[:80]
        assert await webhook.healthy() == 200
    assert webhook.api.calls("sendMessage") == []
    assert await webhook.store.load(str(CHAT)) is None
    metrics = (await webhook.client.get("/metrics")).text
    assert _metric(metrics, 'hipbot_updates_total{outcome="bad_request"}') == len(NOT_UPDATES)


async def test_an_update_of_another_kind_is_acknowledged_and_ignored(webhook: Webhook) -> None:
    for update in (
        {"update_id": 1},
        {"update_id": 2, "edited_message": {**_message(), "edit_date": 1_700_000_001}},
        {"update_id": 3, "channel_post": {**_message(), "chat": {"id": -5, "type": "channel"}}},
        {"update_id": 4, "unknown_future_kind": {"x": 1}},
        {"update_id": 5, "inline_query": {"id": "q1", "from": _user(), "query": "hip",
                                          "offset": ""}},
        {"update_id": 6, "chat_member": {
            "chat": {"id": -7, "type": "group", "title": "runners"}, "from": _user(),
            "date": 1_700_000_000,
            "old_chat_member": {"status": "left", "user": _user()},
            "new_chat_member": {"status": "member", "user": _user()}}},
        {"update_id": 7, "my_chat_member": {
            "chat": {"id": CHAT, "type": "private", "first_name": "Runner"}, "from": _user(),
            "date": 1_700_000_000,
            "old_chat_member": {"status": "member", "user": _user()},
            "new_chat_member": {"status": "kicked", "user": _user(), "until_date": 0}}},
    ):  # fmt: skip
        assert (await webhook.post(update)).status_code == 200
        assert await webhook.healthy() == 200
    assert webhook.api.calls("sendMessage") == []
    assert await webhook.store.load(str(CHAT)) is None  # nothing stored


def _user() -> JSON:
    return {"id": CHAT, "is_bot": False, "first_name": "Runner"}


async def test_a_burst_of_duplicates_is_processed_once(webhook: Webhook) -> None:
    update = {"update_id": 77, **webhook.api.make_text_update(CHAT, "/start")}
    responses = await asyncio.gather(*(webhook.post(update) for _ in range(25)))
    assert [r.status_code for r in responses] == [200] * 25
    assert webhook.sent() == Reference().text("/start")  # one set of replies
    metrics = (await webhook.client.get("/metrics")).text
    assert _metric(metrics, 'hipbot_updates_total{outcome="ok"}') == 1
    assert _metric(metrics, 'hipbot_updates_total{outcome="duplicate"}') == 24


async def test_the_server_keeps_serving_after_every_bad_request(webhook: Webhook) -> None:
    update = {"update_id": 9, **webhook.api.make_text_update(CHAT, "/start")}
    bad: list[Callable[[], Awaitable[httpx.Response]]] = [
        lambda: webhook.post(update, secret="nope"),
        lambda: webhook.post(update, content_type="text/plain"),
        lambda: webhook.post(b"{"),
        lambda: webhook.post(b"x" * (MAX_BODY_BYTES + 1)),
        lambda: webhook.client.get(PATH),
        lambda: webhook.client.post("/elsewhere", content=b"{}"),
    ]
    for request in bad:
        assert (await request()).status_code >= 400
        assert await webhook.healthy() == 200
    assert (await webhook.post(update)).status_code == 200
    assert webhook.sent() == Reference().text("/start")  # answered once, as normal


# -- exactly once -------------------------------------------------------------------------------


async def test_a_replayed_update_is_processed_once(webhook: Webhook) -> None:
    (greeting, start, *_) = consultation()
    await webhook.post(webhook.update_for(greeting, update_id=1))
    tap = webhook.update_for(start, update_id=2)
    first = await webhook.post(tap)
    again = await webhook.post(tap)
    assert (first.status_code, again.status_code) == (200, 200)
    assert webhook.sent() == greeting.expected + start.expected

    # the same update in flight twice at once
    (_, _, none, *_) = consultation()
    both = await asyncio.gather(*[webhook.post(webhook.update_for(none, update_id=3))] * 2)
    assert [r.status_code for r in both] == [200, 200]
    assert webhook.sent() == greeting.expected + start.expected + none.expected


async def test_notices_are_sent_once_per_update_like_replies(webhook: Webhook) -> None:
    """ "Please type", the group suggestion and "that question has moved on" change no
    conversation, but a retried update must not repeat them either; a failed one is sent by
    the retry."""
    api, group = webhook.api, -100_777
    sticker = {"update_id": 11, "message": {**_message(), "text": None, "sticker": {}}}
    del sticker["message"]["text"]
    in_group = {
        "update_id": 12,
        "message": {
            **_message(text="/start"),
            "chat": {"id": group, "type": "group", "title": "G"},
        },
    }
    stale = {"update_id": 13, **api.make_callback_update(CHAT, "garbage", 1)}
    for update in (sticker, in_group, stale):
        statuses = [(await webhook.post(update)).status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
    assert [m.text for m in webhook.sent()] == [
        dialogue_text("not_text"),
        dialogue_text("moved_on"),
    ]
    assert len(webhook.sent(group)) == 1

    api.fail_next("sendMessage", status=500, times=SEND_ATTEMPTS)  # every attempt of one try
    again = {**sticker, "update_id": 14}
    assert (await webhook.post(again)).status_code == 502
    assert (await webhook.post(again)).status_code == 200  # Telegram's retry
    assert (await webhook.post(again)).status_code == 200
    assert [m.text for m in webhook.sent()][2:] == [dialogue_text("not_text")]


# -- the store going down and coming back -------------------------------------------------------


async def test_a_store_outage_is_503_until_it_comes_back(
    fake_bot_api: FakeBotAPI, redis_server_factory: Callable[..., RedisServer]
) -> None:
    redis = redis_server_factory(port=free_port())  # restarted below on the same port
    greeting, start, *_ = consultation()
    async with running_webhook(fake_bot_api, f"{redis.url}/0") as webhook:
        assert await webhook.healthy() == 200
        redis.stop()
        update = webhook.update_for(greeting, update_id=1)
        assert (await webhook.post(update)).status_code == 503
        assert (await webhook.post(update)).status_code == 503
        health = await webhook.client.get("/healthz")
        assert (health.status_code, health.json()["status"]) == (503, "unavailable")
        assert str(redis.port) not in health.text  # no internals on a public endpoint
        assert webhook.sent() == []  # nothing said while the store is down

        redis.start()
        assert await webhook.healthy() == 200
        assert (await webhook.post(update)).status_code == 200  # Telegram's retry
        assert (await webhook.post(update)).status_code == 200
        tap = webhook.update_for(start, update_id=2)
        assert (await webhook.post(tap)).status_code == 200
        assert webhook.sent() == greeting.expected + start.expected

        metrics = (await webhook.client.get("/metrics")).text
        assert _metric(metrics, 'hipbot_updates_total{outcome="unavailable"}') == 2
        assert _metric(metrics, 'hipbot_updates_total{outcome="ok"}') == 2
        assert _metric(metrics, 'hipbot_updates_total{outcome="duplicate"}') == 1
        assert _metric(metrics, "hipbot_errors_total") == 2


# -- metrics ------------------------------------------------------------------------------------


def _metric(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    assert match, f"{name} not in:\n{text}"
    return float(match.group(1))


async def test_metrics_count_requests_by_outcome(webhook: Webhook) -> None:
    update = {"update_id": 1, **webhook.api.make_text_update(CHAT, "/start")}
    await webhook.post(update)
    await webhook.post(update)  # a duplicate is still acknowledged
    await webhook.post(update, secret="wrong")
    await webhook.post(update, content_type="text/html")
    await webhook.post(b"[]")
    await webhook.post(b"x" * (MAX_BODY_BYTES + 1))

    response = await webhook.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert _metric(text, 'hipbot_updates_total{outcome="ok"}') == 1
    assert _metric(text, 'hipbot_updates_total{outcome="duplicate"}') == 1
    assert _metric(text, 'hipbot_updates_total{outcome="forbidden"}') == 1
    assert _metric(text, 'hipbot_updates_total{outcome="unsupported_type"}') == 1
    assert _metric(text, 'hipbot_updates_total{outcome="bad_request"}') == 1
    assert _metric(text, 'hipbot_updates_total{outcome="too_large"}') == 1
    assert _metric(text, "hipbot_errors_total") == 0
    assert _metric(text, "hipbot_update_seconds_count") == 2
    assert _metric(text, 'hipbot_update_seconds_bucket{le="+Inf"}') == 2
    assert _metric(text, "hipbot_update_seconds_sum") > 0
    buckets = [
        float(v)
        for v in re.findall(
            r'^hipbot_update_seconds_bucket\{le="[^"]+"\} (\S+)$', text, re.MULTILINE
        )
    ]
    assert buckets == sorted(buckets)  # cumulative


# -- several replicas ---------------------------------------------------------------------------


async def test_two_replicas_on_one_redis_keep_a_chat_in_order(
    fake_bot_api: FakeBotAPI, redis_url: str
) -> None:
    fake_bot_api.latency = 0.01
    actions = consultation()
    async with (
        running_webhook(fake_bot_api, redis_url) as first,
        running_webhook(fake_bot_api, redis_url) as second,
    ):
        replicas = [first, second]

        async def deliver(update_id: int, action: Action) -> int:
            await asyncio.sleep(0.015 * update_id)  # sent in order, several in flight
            replica = replicas[update_id % 2]
            return (
                await replica.post(replica.update_for(action, update_id=update_id))
            ).status_code

        statuses = await asyncio.gather(
            *(deliver(n, action) for n, action in enumerate(actions, start=1))
        )
        assert statuses == [200] * len(actions)
        assert first.sent() == [m for action in actions for m in action.expected]
        raw = await first.store.load(str(CHAT))
        assert raw is not None and json.loads(raw)["state"] == "result"


async def test_a_queue_entry_left_by_a_crashed_replica_expires(redis_url: str) -> None:
    store = RedisSessionStore.from_url(redis_url, lock_wait=0.3)
    queue = f"hipbot:queue:{CHAT}"
    try:
        async with redis_client.from_url(redis_url) as client:
            await client.zadd(queue, {f"{time.time() + 60:.3f}:alive": 5})
            with pytest.raises(StoreUnavailable, match="earlier updates"):
                async with store.lock(str(CHAT), order=6):
                    pass
            await client.delete(queue)
            await client.zadd(queue, {f"{time.time() - 1:.3f}:crashed": 5})  # its time is up
            async with asyncio.timeout(2), store.lock(str(CHAT), order=6):
                pass
            assert await client.zcard(queue) == 0  # the stale entry and our own are gone
            async with asyncio.timeout(2), store.lock(str(CHAT), order=4):
                pass  # an update older than one already processed is not held up
    finally:
        await store.close()


async def test_a_reply_the_user_blocked_is_acknowledged(webhook: Webhook) -> None:
    update = {"update_id": 1, **webhook.api.make_text_update(CHAT, "/start")}
    webhook.api.fail_next("sendMessage", status=403)  # "bot was blocked by the user"
    assert (await webhook.post(update)).status_code == 200  # Telegram must not retry it
    webhook.api.fail_next("sendMessage", status=401)  # anything else is worth a retry
    later = {"update_id": 2, **webhook.api.make_text_update(CHAT, "/help")}
    assert (await webhook.post(later)).status_code == 502
    metrics = (await webhook.client.get("/metrics")).text
    assert _metric(metrics, 'hipbot_updates_total{outcome="undeliverable"}') == 1
    assert _metric(metrics, 'hipbot_updates_total{outcome="undelivered"}') == 1
    assert _metric(metrics, "hipbot_errors_total") == 1
    assert (await webhook.post(later)).status_code == 200  # the retry delivers the reply
    # The 403 forgot the chat (a blocked bot keeps nothing), so /help meets a new conversation:
    # the help and the greeting, each sent once.
    sent = [message.text for message in webhook.sent()]
    assert len(sent) == len(set(sent)) == 2
    assert any("/forget" in text for text in sent)


async def test_a_runner_who_blocked_the_bot_is_forgotten_with_their_check_ins(
    webhook: Webhook,
) -> None:
    first = {"update_id": 1, **webhook.api.make_text_update(CHAT, "/start")}
    assert (await webhook.post(first)).status_code == 200
    stored = json.loads(await webhook.store.load(str(CHAT)) or "{}")
    stored["checkin"] = time.time() + 3 * 86400
    await webhook.store.save(str(CHAT), json.dumps(stored))
    webhook.api.fail_next("sendMessage", status=403)  # "bot was blocked by the user"
    later = {"update_id": 2, **webhook.api.make_text_update(CHAT, "/help")}
    assert (await webhook.post(later)).status_code == 200
    assert await webhook.store.load(str(CHAT)) is None


async def test_progress_sends_the_chart_as_a_png_photo(webhook: Webhook) -> None:
    plan = {"step": 1, "streak": 1, "runs": [[2, 1, 0], [3, 1, 0], [1, 1, 0], [2, 0, 1]]}
    session = {**real_engine().new_session().to_dict(), "state": "result", "plan": plan}
    await webhook.store.save(str(CHAT), json.dumps(session))
    update = {"update_id": 1, **webhook.api.make_text_update(CHAT, "/progress")}
    assert (await webhook.post(update)).status_code == 200
    texts = [m.text for m in webhook.sent()]
    assert any("4 run(s) logged" in t for t in texts) and any("(2 of 6)" in t for t in texts)
    photos = webhook.api.calls("sendPhoto")
    assert len(photos) == 1
    attached = photos[0].params["photo"].removeprefix("attach://")
    assert photos[0].params[attached]["size"] > 20_000  # a real PNG went out
    assert int(photos[0].params["chat_id"]) == CHAT
