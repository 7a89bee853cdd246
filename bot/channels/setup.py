"""Deploy-time Telegram calls: register or remove the webhook, publish the commands menu."""

from __future__ import annotations

from functools import partial

from telegram import Bot
from telegram.error import TelegramError

from bot.channels.failure import telegram_failure
from bot.channels.telegram import ALLOWED_UPDATES, send_with_retry, set_commands
from bot.config import Settings


def _bot(settings: Settings) -> Bot:
    if settings.telegram_api_base_url:
        return Bot(settings.token, base_url=settings.telegram_api_base_url)
    return Bot(settings.token)


async def set_webhook(settings: Settings) -> str:
    """Register ``WEBHOOK_URL`` + ``WEBHOOK_PATH`` with the secret; returns a status line."""
    url = settings.public_webhook_url
    try:
        async with _bot(settings) as bot:
            await send_with_retry(
                partial(
                    bot.set_webhook,
                    url=url,
                    secret_token=settings.secret,
                    allowed_updates=list(ALLOWED_UPDATES),
                    max_connections=settings.webhook_max_connections,
                )
            )
            await send_with_retry(partial(set_commands, bot))
            info = await bot.get_webhook_info()
    except TelegramError as error:
        raise telegram_failure(error, "set the webhook") from None
    return f"Webhook set to {info.url} (pending updates: {info.pending_update_count})."


async def delete_webhook(settings: Settings) -> str:
    """Remove the webhook registration; returns a status line."""
    try:
        async with _bot(settings) as bot:
            await send_with_retry(bot.delete_webhook)
    except TelegramError as error:
        raise telegram_failure(error, "delete the webhook") from None
    return "Webhook deleted; the bot can now be run with polling."
