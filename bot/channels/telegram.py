"""Telegram as a thin transport: updates in, the engine's replies out.

python-telegram-bot handles the wire; the conversation state lives in our own engine and store
(not in ``ConversationHandler``). The same :class:`TelegramChannel` serves polling and the
webhook.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatAction, ChatType, MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.dialogue import Option, Reply
from bot.service import ChatService

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
COMMANDS = (
    ("start", "Start a consultation"),
    ("help", "What I can do"),
    ("back", "Undo your last answer"),
    ("restart", "Start over"),
    ("why", "Why this question or this result"),
    ("summary", "A summary to share with a clinician"),
    ("exercises", "Your exercises, once you have a result"),
    ("forget", "Delete everything stored about this chat"),
)
NOT_TEXT = "I can only read text — please type your answer or tap one of the buttons."
GROUP_NOTICE = (
    "Hi! Health details are best kept private, so let's talk in a private chat: {link} "
    "— tap the link and send /start."
)
STALE_TAP = "That question has moved on."
SEND_ATTEMPTS = 4
MAX_CALLBACK_BYTES = 64


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` characters, at paragraph, line or word
    boundaries where possible."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    pieces.append(rest)
    return [piece for piece in pieces if piece] or [""]


def keyboard(options: Sequence[Option], step: int) -> InlineKeyboardMarkup | None:
    """Inline buttons, one per row; each carries the step it belongs to."""
    rows = []
    for option in options:
        data = f"{step}:{option.value}"
        if len(data.encode()) <= MAX_CALLBACK_BYTES:
            rows.append([InlineKeyboardButton(option.label, callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None


def parse_callback(data: str | None) -> tuple[int | None, str | None]:
    """``"12:yes"`` → ``(12, "yes")``; anything malformed → ``(None, None)``."""
    if not data or ":" not in data:
        return None, None
    step, _, value = data.partition(":")
    return (int(step), value) if step.isdigit() and value else (None, None)


async def send_with_retry(call: Callable[[], Awaitable[Any]]) -> Any:
    """Run one Bot API call, waiting out 429 ``retry_after`` and retrying network errors."""
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            return await call()
        except RetryAfter as error:
            if attempt == SEND_ATTEMPTS:
                raise
            delay = error.retry_after
            await asyncio.sleep(
                delay.total_seconds() if hasattr(delay, "total_seconds") else delay
            )
        except (Forbidden, BadRequest):
            raise
        except NetworkError:
            if attempt == SEND_ATTEMPTS:
                raise
            await asyncio.sleep(0.2 * 2**attempt)
    return None


class TelegramChannel:
    """Turns Telegram updates into engine input and engine replies into Telegram messages."""

    def __init__(self, service: ChatService) -> None:
        self.service = service

    async def handle_update(self, update: Update, bot: Bot) -> None:
        """Process one update completely: the session is saved and the replies sent.

        Raises:
            StoreUnavailable: the session store is down; the update can be retried later.
        """
        if update.callback_query is not None:
            await self._callback(update, update.callback_query, bot)
            return
        message = update.message
        if message is None:
            return  # edited messages, channel posts, member updates: nothing to do
        if message.chat.type != ChatType.PRIVATE:
            if self._addressed(message, bot):
                link = f"https://t.me/{bot.username}" if bot.username else "a private chat"
                await self._send(bot, message.chat_id, [Reply(GROUP_NOTICE.format(link=link))], 0)
            return
        if message.text is None:
            await self._send(bot, message.chat_id, [Reply(NOT_TEXT)], 0)
            return
        self._typing(bot, message.chat_id)
        handled = await self.service.handle(
            str(message.chat_id), text=message.text, update_id=update.update_id
        )
        if handled.turn is not None:
            turn = handled.turn
            await self._send(bot, message.chat_id, turn.replies, turn.session.step)

    async def _callback(self, update: Update, query: CallbackQuery, bot: Bot) -> None:
        message = query.message
        await self._answer(query)
        if message is None or message.chat.type != ChatType.PRIVATE:
            return
        step, value = parse_callback(query.data)
        chat_id = message.chat.id
        if value is None:
            await self._send(bot, chat_id, [Reply(STALE_TAP)], 0)
            return
        self._typing(bot, chat_id)
        handled = await self.service.handle(
            str(chat_id), button=value, step=step, update_id=update.update_id
        )
        if handled.turn is not None:
            await self._send(bot, chat_id, handled.turn.replies, handled.turn.session.step)

    @staticmethod
    async def _answer(query: CallbackQuery) -> None:
        try:
            await query.answer()
        except TelegramError as error:  # an expired query must not stop the answer itself
            logger.info("could not answer a callback query: %s", type(error).__name__)

    @staticmethod
    def _addressed(message: Message, bot: Bot) -> bool:
        text = message.text or ""
        username = (bot.username or "").lower()
        if username and f"@{username}" in text.lower():
            return True
        if text.startswith("/") and "@" not in text.split()[0]:
            return True
        replied = message.reply_to_message
        return bool(replied and replied.from_user and replied.from_user.id == bot.id)

    @staticmethod
    def _typing(bot: Bot, chat_id: int) -> None:
        task = asyncio.create_task(bot.send_chat_action(chat_id, ChatAction.TYPING))
        task.add_done_callback(lambda t: t.cancelled() or t.exception())

    @staticmethod
    async def _send(bot: Bot, chat_id: int, replies: Sequence[Reply], step: int) -> None:
        last = len(replies) - 1
        for index, reply in enumerate(replies):
            pieces = split_text(html.escape(reply.text, quote=False))
            for number, piece in enumerate(pieces):
                markup = None
                if index == last and number == len(pieces) - 1:
                    markup = keyboard(reply.options, step)
                await send_with_retry(
                    partial(
                        bot.send_message,
                        chat_id,
                        piece,
                        parse_mode=ParseMode.HTML,
                        reply_markup=markup,
                    )
                )


async def set_commands(bot: Bot) -> None:
    """Publish the commands menu (``setMyCommands``)."""
    await bot.set_my_commands([BotCommand(name, about) for name, about in COMMANDS])
