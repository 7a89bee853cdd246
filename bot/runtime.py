"""Build the long-lived parts from settings: engine, store, service, PTB application."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.app import load_engine
from bot.channels.aiohttp_request import AiohttpRequest
from bot.channels.telegram import TelegramChannel, set_commands
from bot.config import Settings
from bot.service import ChatService
from bot.store import SessionStore, StoreUnavailable, open_store

logger = logging.getLogger(__name__)
RATE_LIMIT_RETRIES = 3
CONNECTION_POOL = 256


def build_service(settings: Settings, *, data: Path | None = None) -> ChatService:
    """The engine over the shipped (or given) data and the configured store."""
    store: SessionStore = open_store(settings.store_url, idle_ttl=settings.session_idle_seconds)
    return ChatService(load_engine(data), store)


def build_application(
    settings: Settings, channel: TelegramChannel, *, with_updater: bool
) -> Application:  # type: ignore[type-arg]
    """A PTB application that hands every update to ``channel``.

    Different chats are processed concurrently; one chat's updates stay in order because the
    service holds a per-chat lock for the whole turn.
    """
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .rate_limiter(
            AIORateLimiter(
                overall_max_rate=settings.telegram_max_messages_per_second,
                max_retries=RATE_LIMIT_RETRIES,
            )
        )
        .concurrent_updates(True)
        .request(AiohttpRequest(connection_pool_size=CONNECTION_POOL))
        .get_updates_request(AiohttpRequest(connection_pool_size=1, read_timeout=None))
        .post_init(_post_init)
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
    if with_updater:
        store = channel.service.store

        async def drain(application: Application) -> None:  # type: ignore[type-arg]
            await channel.drain()

        async def close_store(application: Application) -> None:  # type: ignore[type-arg]
            await store.close()

        builder = builder.post_stop(drain).post_shutdown(close_store)
    else:
        builder = builder.updater(None)
    application = builder.build()

    async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await channel.handle_update(update, context.bot)
        except StoreUnavailable as error:
            logger.error("session store unavailable, update %s not processed: %s",
                         update.update_id, error)  # fmt: skip
            chat = update.effective_chat
            if chat is not None:
                await context.bot.send_message(chat.id, STORE_DOWN)

    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(_log_error)
    return application


STORE_DOWN = (
    "Sorry — I couldn't save your answer because of a technical problem on my side. "
    "Please send it again in a minute."
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
