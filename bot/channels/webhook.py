"""The webhook deployment: a Starlette app that Telegram POSTs updates to.

An update is acknowledged (200) only after it was processed, its session saved and its replies
sent, so Telegram retries whatever we did not finish (503: the store is down; 502: the replies
could not be delivered, and are saved to go out with the retry); a retried or duplicated
``update_id`` is processed once, also across replicas sharing a Redis store.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application

from bot.channels.checkins import checkin_loop
from bot.channels.http_guard import (
    Answer,
    ASGIApp,
    Guard,
    Receive,
    Scope,
    Send,
    guarded,
    post_route,
)
from bot.channels.inbound import Inbound, parse_update
from bot.channels.lean_bot import LeanBot
from bot.channels.metrics import Metrics
from bot.channels.telegram import TelegramChannel
from bot.config import Settings
from bot.service import DUPLICATE_SEEN, DeliveryFailed
from bot.store import SessionStore, StoreUnavailable

logger = logging.getLogger(__name__)

SECRET_HEADER = b"x-telegram-bot-api-secret-token"


class StartupFailure(Exception):
    """The app could not start; the message never contains the token."""


def create_app(
    settings: Settings,
    channel: TelegramChannel,
    application: Application,  # type: ignore[type-arg]
    store: SessionStore,
) -> ASGIApp:
    """The ASGI app: ``POST WEBHOOK_PATH``, ``GET /healthz`` and ``GET /metrics``; ``store``
    is the service's, for the health check and to close at shutdown.

    The webhook route is plain ASGI (it carries all the load); the rest is Starlette.
    """
    guard = Guard(SECRET_HEADER, settings.secret.encode())
    bot = application.bot
    if not isinstance(bot, LeanBot):
        raise TypeError("the application's bot must be a LeanBot (see bot.runtime)")
    metrics = Metrics()

    async def process(headers: dict[bytes, bytes], receive: Receive) -> Answer:
        body = await guarded(guard, headers, receive)
        if isinstance(body, Answer):
            metrics.observe(body.outcome)
            return body
        update = _read_update(body)
        if update is None:
            metrics.observe("bad_request")
            return Answer(400, b"not a Telegram update")
        started = time.perf_counter()
        DUPLICATE_SEEN.set(False)
        try:
            reply = await channel.handle(update, bot, answer_in_reply=True)
        except StoreUnavailable as error:
            logger.error("store unavailable; update %s left for Telegram to retry: %s",
                         update.update_id, error)  # fmt: skip
            metrics.observe("unavailable")
            return Answer(503, b"store unavailable, retry later")
        except DeliveryFailed as error:  # saved with its replies: Telegram's retry sends them
            logger.warning("update %s: the reply was not delivered, left for Telegram to retry: "
                           "%s", update.update_id, error)  # fmt: skip
            metrics.observe("undelivered", time.perf_counter() - started)
            return Answer(502, b"reply not delivered, retry later")
        except (Forbidden, BadRequest) as error:  # blocked by the user, chat gone: a retry
            # would fail the same way and hold up the chat's later updates at Telegram
            logger.warning("update %s: the reply was refused: %s", update.update_id,
                           type(error).__name__)  # fmt: skip
            metrics.observe("undeliverable", time.perf_counter() - started)
            return Answer(200, b"ok, but the reply was refused")
        except Exception as error:  # a bad update must not take the server down
            logger.error("update %s failed: %s", update.update_id, type(error).__name__)
            metrics.observe("error", time.perf_counter() - started)
            return Answer(500, b"error")
        outcome = "duplicate" if DUPLICATE_SEEN.get() else "ok"
        metrics.observe(outcome, time.perf_counter() - started)
        if reply:
            return Answer(200, json.dumps(reply).encode(), b"application/json")
        return Answer(200, b"ok")

    async def healthz(request: Request) -> Response:
        try:
            await store.ping()
            room = await store.capacity()
        except StoreUnavailable as error:
            logger.warning("health check: %s", error)
            return JSONResponse({"status": "unavailable", "store": "down"}, status_code=503)
        except OSError as error:  # the room is a courtesy: its failure is no outage
            logger.info("health check: store capacity unknown: %s", type(error).__name__)
            room = {}
        return JSONResponse({"status": "ok", "store": "up", **room})

    async def metrics_endpoint(request: Request) -> Response:
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4")

    async def not_allowed(request: Request) -> Response:
        return PlainTextResponse("use POST", status_code=405, headers={"Allow": "POST"})

    async def lifespan(receive: Receive, send: Send) -> None:
        """ASGI lifespan. A start-up failure is reported as one clear line (Starlette's own
        lifespan would report it as a traceback)."""
        await receive()  # lifespan.startup
        try:
            await _initialize(application)
        except StartupFailure as failure:
            await store.close()
            await send({"type": "lifespan.startup.failed", "message": str(failure)})
            return
        except BaseException:
            await store.close()
            raise
        checkins = asyncio.create_task(checkin_loop(settings, channel, bot, store).run())
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        checkins.cancel()
        await asyncio.gather(checkins, return_exceptions=True)
        try:
            await channel.drain()
            await application.shutdown()
        finally:
            await store.close()
        await send({"type": "lifespan.shutdown.complete"})

    rest = Starlette(
        routes=[
            Route(settings.webhook_path, not_allowed, methods=["GET", "PUT", "DELETE", "PATCH"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/metrics", metrics_endpoint, methods=["GET"]),
        ],
    )
    webhook = post_route(settings.webhook_path, process, rest)  # type: ignore[arg-type]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        await webhook(scope, receive, send)

    return app


async def _initialize(application: Application) -> None:  # type: ignore[type-arg]
    try:
        await application.initialize()
    except TelegramError as error:
        # PTB's own message for a rejected token contains the token.
        raise StartupFailure(
            f"{type(error).__name__}: could not reach Telegram (check TELEGRAM_BOT_TOKEN and "
            "TELEGRAM_API_BASE_URL)"
        ) from None


def _read_update(body: bytes) -> Inbound | None:
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, an integer of 4,300+ digits
        return None
    return parse_update(data)
