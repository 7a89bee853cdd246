"""The webhook deployment: a Starlette app that Telegram POSTs updates to.

An update is acknowledged (200) only after it was processed, its session saved and its replies
sent, so Telegram retries whatever we did not finish; a retried or duplicated ``update_id`` is
processed once, also across replicas sharing a Redis store.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.channels.metrics import Metrics
from bot.channels.telegram import TelegramChannel
from bot.config import Settings
from bot.store import StoreUnavailable

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000
SECRET_HEADER = "x-telegram-bot-api-secret-token"  # noqa: S105 - a header name


class _TooLarge(Exception):
    pass


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _TooLarge
    return bytes(body)


def create_app(
    settings: Settings,
    channel: TelegramChannel,
    application: Application,  # type: ignore[type-arg]
) -> Starlette:
    """The ASGI app: ``POST WEBHOOK_PATH``, ``GET /healthz`` and ``GET /metrics``."""
    secret = settings.secret.encode()
    metrics = Metrics()
    store = channel.service.store

    async def telegram(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret):
            metrics.observe("forbidden")
            return PlainTextResponse("forbidden", status_code=403)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            metrics.observe("bad_request")
            return PlainTextResponse("expected application/json", status_code=415)
        try:
            body = await _read_body(request)
        except _TooLarge:
            metrics.observe("too_large")
            return PlainTextResponse("request body too large", status_code=413)
        update = _parse_update(body, application)
        if update is None:
            metrics.observe("bad_request")
            return PlainTextResponse("not a Telegram update", status_code=400)
        started = time.perf_counter()
        try:
            await channel.handle_update(update, application.bot)
        except StoreUnavailable as error:
            logger.error("store unavailable; update %s left for Telegram to retry: %s",
                         update.update_id, error)  # fmt: skip
            metrics.observe("unavailable")
            return PlainTextResponse("store unavailable, retry later", status_code=503)
        except Exception as error:  # a bad update must not take the server down
            logger.error("update %s failed: %s", update.update_id, type(error).__name__)
            metrics.observe("error", time.perf_counter() - started)
            return PlainTextResponse("error", status_code=500)
        metrics.observe("ok", time.perf_counter() - started)
        return PlainTextResponse("ok")

    async def healthz(request: Request) -> Response:
        try:
            await store.ping()
        except StoreUnavailable as error:
            return JSONResponse({"status": "unavailable", "store": str(error)}, status_code=503)
        return JSONResponse({"status": "ok"})

    async def metrics_endpoint(request: Request) -> Response:
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with application:
            yield
        await store.close()

    return Starlette(
        routes=[
            Route(settings.webhook_path, telegram, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/metrics", metrics_endpoint, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


def _parse_update(body: bytes, application: Application) -> Update | None:  # type: ignore[type-arg]
    try:
        data: Any = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return None
    try:
        return Update.de_json(data, application.bot)
    except Exception:  # PTB raises many kinds of errors for malformed objects
        return None
