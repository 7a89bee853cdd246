"""Build the long-lived parts from settings: engine, store, service, PTB application."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.app import load_engine
from bot.channels.aiohttp_request import DEFAULT_TIMEOUT, AiohttpRequest
from bot.channels.inbound import Inbound
from bot.channels.inbox import Inbox, InboxBot
from bot.channels.lean_bot import TELEGRAM_API, LeanBot
from bot.channels.retry import DRAIN_SECONDS, FIRST_DELAY, MAX_DELAY, RetryQueue
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
    inbox = Inbox(channel.service.store)
    told: set[int] = set()  # chats told that their answer is delayed, while the store is down

    async def on_unkept(updates: Sequence[Inbound]) -> None:
        for chat in dict.fromkeys(u.chat_id for u in updates if u.chat_id is not None):
            if chat not in told:
                told.add(chat)
                await _tell(application.bot, chat)

    bot_class = partial(InboxBot, inbox=inbox, on_unkept=on_unkept) if with_updater else LeanBot
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
    if not with_updater:  # the webhook app hands updates to the channel itself
        application = builder.updater(None).build()
        application.add_error_handler(_log_error)
        return application

    retryable = (StoreUnavailable, DeliveryFailed)

    async def handle(update: Inbound) -> None:
        try:
            await channel.handle(update, application.bot)
        except retryable:
            raise
        except Exception:
            await forget(update)  # it can never go through
            raise
        await forget(update)
        told.discard(update.chat_id or 0)

    async def forget(update: Inbound) -> None:
        if update.chat_id is not None:  # only those are kept
            await inbox.done(update.update_id)

    async def on_hold(update: Inbound, error: Exception) -> None:
        chat = update.chat_id
        if isinstance(error, StoreUnavailable) and chat is not None and chat not in told:
            told.add(chat)  # said once
            await application.bot.send_message(chat, STORE_DOWN)

    queue = RetryQueue(
        handle, on_hold=on_hold, retryable=retryable,
        first_delay=retry_delays[0], max_delay=retry_delays[1],
    )  # fmt: skip
    resuming: set[asyncio.Task[None]] = set()

    async def resume(application: Application) -> None:  # type: ignore[type-arg]
        """Process what a crash or a stop left in the inbox, before any new update."""
        await _post_init(application)
        try:
            left = await inbox.pending()
        except StoreUnavailable as error:
            logger.warning("could not read the inbox at start: %s", error)
            return
        if left:
            logger.info("processing %d update(s) received before the restart", len(left))
        for update in left:
            task = asyncio.create_task(queue.submit(update.chat_id, update))
            resuming.add(task)
            task.add_done_callback(resuming.discard)

    async def drain(application: Application) -> None:  # type: ignore[type-arg]
        if resuming:
            await asyncio.wait(set(resuming), timeout=DRAIN_SECONDS)
        await queue.drain()
        await channel.drain()

    async def close_store(application: Application) -> None:  # type: ignore[type-arg]
        await channel.service.store.close()

    builder = builder.post_init(resume)
    application = builder.post_stop(drain).post_shutdown(close_store).build()

    async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        inbound = Inbound.from_update(update)
        if inbound is None:
            logger.warning("update %s ignored: malformed", update.update_id)
            return
        await queue.submit(inbound.chat_id, inbound)

    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(_log_error)
    return application


STORE_DOWN = (
    "Sorry — a technical problem on my side is holding up my reply. I've kept your message and "
    "will answer as soon as it's fixed; there's no need to send it again."
)


async def _tell(bot: LeanBot, chat: int) -> None:
    try:
        await bot.send_message(chat, STORE_DOWN)
    except TelegramError as error:
        logger.info("could not say that a reply is delayed: %s", type(error).__name__)


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
