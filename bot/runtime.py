"""Build the long-lived parts from settings: engine, store, service, PTB application."""

from __future__ import annotations

import asyncio
import gc
import logging
from functools import partial
from pathlib import Path

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.app import load_engine
from bot.channels.aiohttp_request import DEFAULT_TIMEOUT, AiohttpRequest
from bot.channels.checkins import checkin_loop
from bot.channels.inbox import InboxBot
from bot.channels.lean_bot import TELEGRAM_API, LeanBot
from bot.channels.polling import RETRY_DELAYS, Poller
from bot.channels.telegram import TelegramChannel, set_commands
from bot.channels.throttle import ThrottlingRateLimiter
from bot.config import Settings
from bot.service import ChatService
from bot.store import SessionStore, open_store

logger = logging.getLogger(__name__)
__all__ = [
    "GC_YOUNG_THRESHOLD",
    "build_application",
    "build_service",
    "settle_garbage_collector",
]
CONNECTION_POOL = 256
GC_YOUNG_THRESHOLD = 50_000


def settle_garbage_collector() -> None:
    """Tune the garbage collector for a long-running bot, once everything is built.

    The knowledge base, the dialogue machine and the libraries are some 90,000 objects that
    live as long as the process. With the default settings the collector walked them again and
    again: under load, two full collections a second of up to 70 ms each, about 13% of the CPU
    in all, and the slowest replies. They are moved out of its sight, and young collections
    run less often; reference counting still frees almost everything at once, and cycles made
    later are still collected.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


def build_service(settings: Settings, *, data: Path | None = None) -> ChatService:
    """The engine over the shipped (or given) data and the configured store."""
    store: SessionStore = open_store(settings.store_url, idle_ttl=settings.session_idle_seconds)
    engine = load_engine(data)
    engine.day = settings.checkin_day_seconds
    return ChatService(engine, store)


def build_application(
    settings: Settings,
    channel: TelegramChannel,
    *,
    with_updater: bool,
    request_timeout: float = DEFAULT_TIMEOUT,
    retry_delays: tuple[float, float] = RETRY_DELAYS,
) -> Application:  # type: ignore[type-arg]
    """A PTB application that hands every update to ``channel``.

    Different chats are processed concurrently; one chat's updates stay in order because the
    service holds a per-chat lock for the whole turn. With the updater (polling, see
    :mod:`bot.channels.polling`), every update is kept in the store's inbox before Telegram may
    forget it, and one that fails for a passing reason (store down, Bot API unreachable) is
    retried, ``retry_delays`` = (first, longest) seconds apart; ``request_timeout`` bounds each
    Bot API call (connect and read).
    """
    store = channel.service.store  # the composition root wires the store to each part
    poller = Poller(channel, store, retry_delays=retry_delays) if with_updater else None
    bot_class = partial(InboxBot, **poller.bot_options()) if poller is not None else LeanBot
    bot = bot_class(
        settings.token,
        base_url=settings.telegram_api_base_url or TELEGRAM_API,
        request=AiohttpRequest(
            connection_pool_size=CONNECTION_POOL,
            read_timeout=request_timeout,
            connect_timeout=request_timeout,
        ),
        get_updates_request=AiohttpRequest(connection_pool_size=1, read_timeout=None),
        # 429s are waited out per chat by the channel, never by pausing every chat
        rate_limiter=ThrottlingRateLimiter(
            channel.throttle, max_per_second=settings.telegram_max_messages_per_second
        ),
    )
    builder = ApplicationBuilder().bot(bot).concurrent_updates(True).post_init(_post_init)
    if poller is None:  # the webhook app hands updates to the channel itself
        application = builder.updater(None).build()
        application.add_error_handler(_log_error)
        return application
    poller.attach(bot)

    loop = checkin_loop(settings, channel, bot, store)
    tasks: set[asyncio.Task[None]] = set()

    async def resume(application: Application) -> None:  # type: ignore[type-arg]
        await _post_init(application)
        await poller.resume()
        tasks.add(asyncio.create_task(loop.run()))

    async def drain(application: Application) -> None:  # type: ignore[type-arg]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await poller.drain()

    async def close_store(application: Application) -> None:  # type: ignore[type-arg]
        await store.close()

    builder = builder.post_init(resume).post_stop(drain).post_shutdown(close_store)
    application = builder.build()
    application.add_handler(TypeHandler(Update, poller.on_update))
    application.add_error_handler(_log_error)
    return application


async def _post_init(application: Application) -> None:  # type: ignore[type-arg]
    try:
        await set_commands(application.bot)
    except TelegramError as error:  # the menu is a convenience; the bot works without it
        logger.warning("could not publish the commands menu: %s", type(error).__name__)


async def _log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    # Only the class: the message of a network error can contain the request URL (and token).
    logger.error("update %s failed: %s", update_id, type(error).__name__)
