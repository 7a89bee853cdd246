"""Build the long-lived parts from settings: engine, store, service, PTB application."""

from __future__ import annotations

import gc
import logging
from collections.abc import Mapping
from pathlib import Path

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.app import load_engine
from bot.channels.aiohttp_request import DEFAULT_TIMEOUT, AiohttpRequest
from bot.channels.lean_bot import TELEGRAM_API, LeanBot
from bot.channels.retry import FIRST_DELAY, MAX_DELAY, RetryQueue
from bot.channels.telegram import TelegramChannel, set_commands
from bot.channels.throttle import ThrottlingRateLimiter
from bot.config import Settings
from bot.service import ChatService, DeliveryFailed
from bot.store import SessionStore, StoreUnavailable, open_store

logger = logging.getLogger(__name__)
CONNECTION_POOL = 256
RETRY_DELAYS = (FIRST_DELAY, MAX_DELAY)
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
    return ChatService(load_engine(data), store)


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
    service holds a per-chat lock for the whole turn. With the updater (polling), an update
    that fails for a passing reason (store down, Bot API unreachable) is kept and retried,
    ``retry_delays`` = (first, longest) seconds apart; ``request_timeout`` bounds each Bot API
    call (connect and read).
    """
    bot = LeanBot(
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
    if not with_updater:  # the webhook app hands updates to the channel itself
        application = builder.updater(None).build()
        application.add_error_handler(_log_error)
        return application

    async def handle(update: Update) -> None:
        await channel.handle_update(update, application.bot)

    async def on_hold(update: Update, error: Exception) -> None:
        chat = update.effective_chat
        if isinstance(error, StoreUnavailable) and chat is not None:  # said once per chat
            await application.bot.send_message(chat.id, STORE_DOWN)

    queue = RetryQueue(
        handle, on_hold=on_hold, retryable=(StoreUnavailable, DeliveryFailed),
        first_delay=retry_delays[0], max_delay=retry_delays[1],
    )  # fmt: skip

    async def drain(application: Application) -> None:  # type: ignore[type-arg]
        await queue.drain()
        await channel.drain()

    async def close_store(application: Application) -> None:  # type: ignore[type-arg]
        await channel.service.store.close()

    application = builder.post_stop(drain).post_shutdown(close_store).build()

    async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        await queue.submit(chat.id if chat is not None else None, update)

    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(_log_error)
    return application


STORE_DOWN = (
    "Sorry — a technical problem on my side is holding up my reply. I've kept your message and "
    "will answer as soon as it's fixed; there's no need to send it again."
)


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


def environment_settings(environ: Mapping[str, str], dotenv: Path) -> Settings:
    """Settings from the environment and ``.env`` (a thin seam for the CLI)."""
    return Settings.from_env(environ, dotenv=dotenv)
