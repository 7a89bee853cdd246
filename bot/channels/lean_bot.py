"""The bot object: python-telegram-bot's :class:`~telegram.ext.ExtBot`, plus lean calls.

Every turn ends in ``sendMessage``, and most also remove the previous message's buttons with
``editMessageReplyMarkup``. PTB's :meth:`~telegram.Bot.send_message` and
:meth:`~telegram.Bot.edit_message_reply_markup` turn Telegram's answer into a
:class:`~telegram.Message` object tree that the bot never reads, which cost about as much CPU as
the dialogue turn itself; :meth:`LeanBot.send_html` and :meth:`LeanBot.remove_keyboard` make the
same requests (through the same rate limiter, errors and retries) and drop the answer.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.ext import ExtBot

TELEGRAM_API = "https://api.telegram.org/bot"
_OTHER_BUTTON_FIELDS = tuple(
    name for name in InlineKeyboardButton.__slots__ if name not in ("text", "callback_data")
)


def markup_json(markup: InlineKeyboardMarkup) -> dict[str, Any]:
    """``markup.to_dict()``, built directly when every button is only a text and its callback
    data (as all of hipbot's are): PTB's generic ``to_dict`` took a tenth of a webhook turn."""
    rows = []
    for row in markup.inline_keyboard:
        buttons = []
        for button in row:
            if (
                type(button) is not InlineKeyboardButton
                or not isinstance(button.callback_data, str)
                or button.api_kwargs
                or any(getattr(button, name) is not None for name in _OTHER_BUTTON_FIELDS)
            ):
                return markup.to_dict()
            buttons.append({"callback_data": button.callback_data, "text": button.text})
        rows.append(buttons)
    return markup.to_dict() if markup.api_kwargs else {"inline_keyboard": rows}


class LeanBot(ExtBot[int]):
    """An :class:`~telegram.ext.ExtBot` with :meth:`send_html`."""

    async def initialize(self) -> None:
        """As :meth:`~telegram.ext.ExtBot.initialize`, but a failure (Telegram unreachable, the
        token rejected) closes the connection pools it had opened before it is raised."""
        try:
            await super().initialize()
        except BaseException:
            await self.shutdown()
            raise

    async def send_html(
        self,
        chat_id: int,
        text: str,
        reply_markup: InlineKeyboardMarkup | dict[str, Any] | None = None,
    ) -> int | None:
        """``sendMessage`` of HTML ``text``, with buttons if given (PTB's markup, or its JSON);
        of Telegram's answer (the sent message) only the message id is read.

        Raises:
            telegram.error.TelegramError: as :meth:`~telegram.Bot.send_message` does.
        """
        sent = await self._post(
            "sendMessage",
            {
                "chat_id": chat_id,
                "text": text,
                "parse_mode": ParseMode.HTML,
                "reply_markup": (
                    markup_json(reply_markup)
                    if isinstance(reply_markup, InlineKeyboardMarkup)
                    and self.callback_data_cache is None
                    else reply_markup  # already the Bot API's JSON (``keyboard_json``), or None
                ),
            },
        )
        message_id = sent.get("message_id") if isinstance(sent, dict) else None
        return message_id if isinstance(message_id, int) else None

    async def remove_keyboard(self, chat_id: int, message_id: int) -> None:
        """``editMessageReplyMarkup`` without a markup (the same request as
        :meth:`~telegram.Bot.edit_message_reply_markup` with ``reply_markup=None``); Telegram
        answers with the whole edited message, which is not parsed.

        Raises:
            telegram.error.TelegramError: as :meth:`~telegram.Bot.edit_message_reply_markup`.
        """
        await self._post("editMessageReplyMarkup", {"chat_id": chat_id, "message_id": message_id})

    async def send_png(self, chat_id: int, png: bytes, caption: str) -> None:
        """``sendPhoto`` of a PNG (the ``/progress`` chart); the answer is not parsed."""
        photo = InputFile(png, filename="progress.png", attach=True)
        await self._post("sendPhoto", {"chat_id": chat_id, "photo": photo, "caption": caption})
