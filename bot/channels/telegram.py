"""Telegram as a thin transport: updates in, the engine's replies out.

python-telegram-bot handles the wire; the conversation state lives in our own engine and store
(not in ``ConversationHandler``). The same :class:`TelegramChannel` serves polling and the
webhook.
"""

from __future__ import annotations

import asyncio
import html
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import replace
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.constants import ChatAction, MessageLimit, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.channel import Channel, Incoming, SessionKey, clip
from bot.channels.inbound import MAX_CALLBACK_BYTES, Inbound, Kind
from bot.channels.lean_bot import LeanBot
from bot.channels.throttle import Throttle, retry_seconds
from bot.dialogue import MENU, Option, Reply, Turn
from bot.dialogue.markup import headed, open_elements, plain, visible_length
from bot.pictures import Pictures
from bot.service import ChatService, DeliveryFailed

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
SEND_ATTEMPTS = 4
SEND_BACKOFF_SECONDS = 0.4
UPDATE_BUDGET_SECONDS = 25.0
"""How long one update may spend waiting to deliver its replies (429s, retries). Telegram gives
a webhook 60 s and a proxy typically 55-60 s: past the budget the update is answered so that it
is retried later (the webhook: 502; polling: held), and the saved outbox delivers the replies."""
DRAIN_SECONDS = 5.0
TYPING_AFTER_SECONDS = 0.3
MAX_STEP_DIGITS = 9
ROW_CHARACTERS = 30
"""Buttons share a row while (buttons × the longest label) stays within this many characters."""
MAX_PER_ROW = 3
REMEMBERED_KEYBOARDS = 10_000
"""Chats whose last keyboard is remembered, to remove it when the runner types an answer."""
WebhookReply = dict[str, str]
"""A Bot API method call sent back as the body of the webhook response."""
PACK_LIMIT = 1200
"""Replies are packed into one message up to this length: about two phone screens."""
ESCAPED_LENGTH = {"&": len("&amp;"), "<": len("&lt;"), ">": len("&gt;")}


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split ``text`` at paragraph, line or word boundaries where possible, into pieces that
    stay within ``limit`` once HTML-escaped, counted in UTF-16 code units as Telegram does."""
    pieces: list[str] = []
    rest = text.strip()
    while _html_length(rest) > limit:
        window = rest[: max(1, _fitting(rest, limit))]
        cut = window.rfind("\n\n")
        for boundary in ("\n", " "):
            if cut < len(window) // 2:
                cut = window.rfind(boundary)
        if cut < len(window) // 2:
            cut = len(window)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:]
        rest = rest[1:] if rest.startswith(" ") else rest.lstrip("\n")
    pieces.append(rest)
    return [piece for piece in pieces if piece] or [""]


def message_texts(
    replies: Sequence[Reply],
    limit: int = MessageLimit.MAX_TEXT_LENGTH,
    pack: int = PACK_LIMIT,
) -> list[str]:
    """The HTML texts (and captions) of :func:`outgoing`."""
    return [message.text for message in outgoing(replies, limit, pack)]


def outgoing(
    replies: Sequence[Reply],
    limit: int = MessageLimit.MAX_TEXT_LENGTH,
    pack: int = PACK_LIMIT,
) -> list[Reply]:
    """One turn's replies as the messages to send, in HTML, a reply over ``limit`` split.

    Replies are packed together up to ``pack`` characters (fewer notifications on the runner's
    phone, fewer Bot API calls), except that a reply opening with a heading (a part of the
    result, the summary) is a message of its own, so that it can be read or forwarded alone,
    and so is a picture with its caption (a text too long for a caption follows the picture)."""
    messages: list[Reply] = []
    for reply in replies:
        if reply.picture is not None:
            text = reply.text if reply.formatted else html.escape(reply.text, quote=False)
            fits = visible_length(text) <= MessageLimit.CAPTION_LENGTH
            messages.append(Reply(text if fits else "", formatted=True, picture=reply.picture))
            if fits:
                continue
        for piece in _pieces(reply, limit):
            last = messages[-1] if messages else None
            if last is not None and _packs(last, piece, pack):
                messages[-1] = Reply(f"{last.text}\n\n{piece}", formatted=True)
            else:
                messages.append(Reply(piece, formatted=True))
    return messages


def _packs(message: Reply, piece: str, pack: int) -> bool:
    if message.picture is not None or headed(message.text) or headed(piece):
        return False
    return visible_length(message.text) + 2 + visible_length(piece) <= pack


def _pieces(reply: Reply, limit: int) -> list[str]:
    """A reply as HTML pieces within ``limit``: formatted text is cut only between paragraphs
    that close every tag, and a paragraph too long for one message loses its formatting."""
    if not reply.formatted:
        return [html.escape(p, quote=False) for p in split_text(reply.text, limit) if p.strip()]
    units: list[str] = []
    for paragraph in reply.text.split("\n\n"):
        if units and open_elements(units[-1]):
            units[-1] = f"{units[-1]}\n\n{paragraph}"
        else:
            units.append(paragraph)
    pieces: list[str] = []
    for unit in units:
        if visible_length(unit) > limit:
            pieces += [html.escape(p, quote=False) for p in split_text(plain(unit), limit)]
        elif pieces and visible_length(pieces[-1]) + 2 + visible_length(unit) <= limit:
            pieces[-1] = f"{pieces[-1]}\n\n{unit}"
        else:
            pieces.append(unit)
    return [piece for piece in pieces if piece.strip()]


def _html_cost(char: str) -> int:
    return ESCAPED_LENGTH.get(char, 2 if ord(char) > 0xFFFF else 1)


def _html_length(text: str) -> int:
    utf16_units = len(text.encode("utf-16-le")) // 2
    extra = sum((length - 1) * text.count(char) for char, length in ESCAPED_LENGTH.items())
    return utf16_units + extra


def _fitting(text: str, limit: int) -> int:
    """How many characters of ``text`` fit in ``limit`` (see :func:`split_text`)."""
    units = 0
    for index, char in enumerate(text):
        units += _html_cost(char)
        if units > limit:
            return index
    return len(text)


def keyboard(options: Sequence[Option], step: int) -> InlineKeyboardMarkup | None:
    """Inline buttons, each carrying the step it belongs to; short ones share a row (Yes / No /
    Not sure), as many as fit across a phone."""
    rows = _rows(tuple(options), len(str(step)))
    if not rows:
        return None
    buttons = [
        [InlineKeyboardButton(o.label, callback_data=f"{step}:{o.value}") for o in row]
        for row in rows
    ]
    return InlineKeyboardMarkup(buttons)


def keyboard_json(options: Sequence[Option], step: int) -> dict[str, Any] | None:
    """:func:`keyboard` as the Bot API's JSON, built without PTB's objects (every turn sends
    one, and building them took a tenth of a webhook turn)."""
    rows = _rows(tuple(options), len(str(step)))
    if not rows:
        return None
    buttons = [
        [{"callback_data": f"{step}:{o.value}", "text": o.label} for o in row] for row in rows
    ]
    return {"inline_keyboard": buttons}


@lru_cache(maxsize=256)
def _rows(options: tuple[Option, ...], step_digits: int) -> tuple[tuple[Option, ...], ...]:
    """The buttons' layout, the same for every step of as many digits (so a dialogue's few
    keyboards are laid out once): short labels share a row, as many as fit across a phone; a
    value too long for its callback data is left out."""
    rows: list[list[Option]] = []
    for option in options:
        data = f"{'9' * step_digits}:{option.value}"
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            logger.warning("button %r left out: its callback data is over 64 bytes", option.value)
            continue
        row = rows[-1] if rows else []
        widest = max([len(option.label), *(len(o.label) for o in row)])
        if row and len(row) < MAX_PER_ROW and (len(row) + 1) * widest <= ROW_CHARACTERS:
            row.append(option)
        else:
            rows.append([option])
    return tuple(tuple(row) for row in rows)


def parse_callback(data: str | None) -> tuple[int | None, str | None]:
    """``"12:yes"`` → ``(12, "yes")``; anything malformed → ``(None, None)``."""
    if not data or ":" not in data:
        return None, None
    step, _, value = data.partition(":")
    if not (step.isascii() and step.isdecimal() and len(step) <= MAX_STEP_DIGITS and value):
        return None, None
    return int(step), value


class OutOfTime(RetryAfter):
    """Waiting out a 429 (or a retry) would take the update past its time budget; nothing was
    sent."""


async def send_with_retry(
    call: Callable[[], Awaitable[Any]], *, attempts: int = SEND_ATTEMPTS,
    backoff: float = SEND_BACKOFF_SECONDS, throttle: Throttle | None = None,
    chat: int | None = None, deadline: float | None = None,
) -> Any:  # fmt: skip
    """Run one Bot API call, waiting out 429 ``retry_after`` and retrying network and server
    errors after ``backoff``, then twice, four times as long…

    With ``throttle``, a back-off that Telegram asked for ``chat`` (or the whole bot) is waited
    out first. With ``deadline`` (:func:`time.monotonic`), a wait that would end past it raises
    :class:`OutOfTime` instead. A call that may have been carried out (:class:`TimedOut`: sent,
    no answer) is never repeated here, so a timeout makes at most one copy per attempt.
    """
    for attempt in range(1, attempts + 1):
        if deadline is not None and time.monotonic() >= deadline:
            raise OutOfTime(1)  # a call now could end a read timeout past the budget
        if throttle is not None:
            await _pause(throttle.wait(chat), deadline)
        try:
            return await call()
        except RetryAfter as error:
            if attempt == attempts:
                raise
            await _pause(retry_seconds(error), deadline)
        except (Forbidden, BadRequest, TimedOut):
            raise
        except NetworkError:
            if attempt == attempts:
                raise
            await _pause(backoff * 2 ** (attempt - 1), deadline)
    return None


async def _pause(seconds: float, deadline: float | None) -> None:
    if seconds <= 0:
        return
    if deadline is not None and time.monotonic() + seconds > deadline:
        raise OutOfTime(max(1, math.ceil(seconds)))
    await asyncio.sleep(seconds)


class TelegramChannel:
    """Turns Telegram updates into engine input and engine replies into Telegram messages
    (a :class:`bot.channel.Channel` of :class:`Inbound` updates and HTML :class:`Reply`
    messages)."""

    name = "telegram"
    max_text = int(MessageLimit.MAX_TEXT_LENGTH)

    def __init__(
        self, service: ChatService, *, backoff: float = SEND_BACKOFF_SECONDS,
        throttle: Throttle | None = None, budget: float = UPDATE_BUDGET_SECONDS,
        pictures: Pictures | None = None,
    ) -> None:  # fmt: skip
        self.service = service
        self.backoff = backoff
        self.throttle = throttle if throttle is not None else Throttle()
        self.budget = budget
        self._pictures = pictures
        self._file_ids: dict[str, str] = {}
        """Each picture's Telegram ``file_id`` once it has been uploaded."""
        self._tasks: set[asyncio.Task[Any]] = set()
        self._keyboards: OrderedDict[int, int] = OrderedDict()
        """Per chat, the last message sent with buttons (this process's, most recent last)."""

    def key(self, chat_id: int) -> SessionKey:
        """The conversation of a Telegram chat."""
        return SessionKey(self.name, str(chat_id))

    def incoming(self, inbound: Inbound) -> Incoming | None:
        """A message or a tap in a private chat as the service handles it (its ``update_id``
        both dedupes and orders it); ``None`` for anything else."""
        if inbound.chat_id is None or not inbound.private:
            return None
        dedupe, order = str(inbound.update_id), inbound.update_id
        key = self.key(inbound.chat_id)
        if inbound.kind is Kind.MESSAGE and inbound.text is not None:
            text = clip(inbound.text, self.max_text)
            return Incoming(key, text=text, dedupe=dedupe, order=order)
        if inbound.kind is Kind.BUTTON:
            step, value = parse_callback(inbound.data)
            if value is not None:
                return Incoming(key, button=value, step=step, dedupe=dedupe, order=order)
        return None

    def render(self, replies: Sequence[Reply]) -> list[Reply]:
        """The replies as HTML messages within Telegram's limits (see :func:`outgoing`)."""
        return outgoing(replies)

    def _event(self, inbound: Inbound) -> Incoming:
        """An update that the bot answers with a notice, keyed and deduped as any other."""
        assert inbound.chat_id is not None
        key = self.key(inbound.chat_id)
        return Incoming(key, dedupe=str(inbound.update_id), order=inbound.update_id)

    @property
    def pictures(self) -> Pictures:
        """The exercises' pictures (by default drawn into the user's cache folder)."""
        if self._pictures is None:
            self._pictures = Pictures(self.service.engine.knowledge.exercises)
        return self._pictures

    async def handle(
        self, inbound: Inbound, bot: LeanBot, *, answer_in_reply: bool = False
    ) -> WebhookReply | None:
        """Process one update completely: the session is saved and the replies sent.

        With ``answer_in_reply`` (the webhook), a tapped button is not answered with a Bot API
        call of its own: the returned ``answerCallbackQuery`` goes back in the webhook response,
        which Telegram accepts and which saves a round trip per tap.

        Raises:
            StoreUnavailable: the session store is down; the update can be retried later.
            DeliveryFailed: the replies are saved but not (all) delivered within the budget.
        """
        deadline = time.monotonic() + self.budget
        if inbound.kind is Kind.BUTTON:
            if not answer_in_reply:
                # Answered on the side: waiting for it here would let a later message of the
                # same chat take the conversation's lock first.
                self._background(self._answer(bot, inbound.query_id))
            if inbound.chat_id is not None and inbound.message_id is not None:
                # The tapped question has moved on: its buttons go, so none is tapped twice.
                if self._keyboards.get(inbound.chat_id) == inbound.message_id:
                    del self._keyboards[inbound.chat_id]
                self._background(self._clear_keyboard(bot, inbound.chat_id, inbound.message_id))
            await self._button(inbound, bot, deadline)
            return {"method": "answerCallbackQuery", "callback_query_id": inbound.query_id} if (
                answer_in_reply
            ) else None  # fmt: skip
        if inbound.kind is Kind.MESSAGE:
            await self._message(inbound, bot, deadline)
        return None

    async def _message(self, inbound: Inbound, bot: LeanBot, deadline: float) -> None:
        assert inbound.chat_id is not None  # a message always has its chat
        if not inbound.private:
            if self._addressed(inbound, bot):
                texts = self.service.engine.render
                link = f"https://t.me/{bot.username}" if bot.username else None
                notice = texts.text("group_notice", link=link or texts.label("private_chat"))
                await self._notice(bot, inbound, [Reply(notice, formatted=True)], deadline)
            return
        if inbound.text is None:
            await self._notice(bot, inbound, [self._text("not_text")], deadline)
            return
        asked = self._keyboards.pop(inbound.chat_id, None)
        if asked is not None:  # a typed answer: the buttons of the question go as after a tap
            self._background(self._clear_keyboard(bot, inbound.chat_id, asked))
        incoming = self.incoming(inbound)
        assert incoming is not None  # a text in a private chat
        await self._converse(bot, inbound.chat_id, incoming, deadline)

    async def _notice(
        self, bot: LeanBot, inbound: Inbound, replies: list[Reply], deadline: float
    ) -> None:
        """Answer with ``replies`` and nothing else, once per update (a retry is not answered
        again)."""
        chat = inbound.chat_id
        assert chat is not None
        send = partial(self._send, bot, chat, replies, 0, deadline)
        await self.service.once(self._event(inbound), send)

    def _text(self, text_id: str) -> Reply:
        """A dialogue text the channel says on its own (not a turn of the conversation)."""
        return Reply(self.service.engine.render.text(text_id), formatted=True)

    async def drain(self) -> None:
        """Let the typing actions and callback answers still in flight finish (at shutdown)."""
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=DRAIN_SECONDS)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def _button(self, inbound: Inbound, bot: LeanBot, deadline: float) -> None:
        if inbound.chat_id is None or not inbound.private:
            return
        incoming = self.incoming(inbound)
        if incoming is None:
            await self._notice(bot, inbound, [self._text("moved_on")], deadline)
            return
        await self._converse(bot, inbound.chat_id, incoming, deadline)

    async def _converse(
        self, bot: LeanBot, chat_id: int, incoming: Incoming, deadline: float
    ) -> None:
        # Typing shows only when a turn is slow (a busy store): a turn normally takes a few
        # milliseconds, and an extra Bot API call per message would halve the throughput.
        typing = asyncio.get_running_loop().call_later(
            TYPING_AFTER_SECONDS,
            lambda: self._background(bot.send_chat_action(chat_id, ChatAction.TYPING)),
        )

        async def deliver(turn: Turn) -> None:
            typing.cancel()
            await self._send(bot, chat_id, turn.replies, turn.session.step, deadline)
            if turn.chart:
                await self._send_chart(bot, chat_id, turn)

        try:
            await self.service.receive(incoming, deliver)
        except Forbidden:
            await self.service.forget(incoming.key)  # blocked: keep nothing, plan nothing
            raise
        finally:
            typing.cancel()

    async def _send_chart(self, bot: LeanBot, chat_id: int, turn: Turn) -> None:
        """The ``/progress`` chart, drawn off the event loop; a failure costs only the picture."""
        from bot.chart import progress_chart  # matplotlib loads when the first chart is drawn

        runs = (turn.session.plan or {}).get("runs", [])
        try:
            engine = self.service.engine
            png = await asyncio.to_thread(
                progress_chart, runs, engine.knowledge, engine.dialogue.texts
            )
            caption = self.service.engine.render.label("chart_caption")
            await bot.send_png(chat_id, png, caption)
        except TelegramError as error:
            logger.info("could not send the progress chart: %s", type(error).__name__)

    async def check_in(self, bot: LeanBot, key: str, due: float) -> bool:
        """Send the check-in of chat ``key`` due at ``due`` through the service's outbox;
        whether it went out. A runner who blocked the bot is forgotten instead; the check-in
        of another channel's conversation is not Telegram's to send."""
        session_key = SessionKey.parse(key)
        if session_key.channel != self.name:
            return False
        chat_id, deadline = int(session_key.chat), time.monotonic() + self.budget

        async def deliver(turn: Turn) -> None:
            await self._send(bot, chat_id, turn.replies, turn.session.step, deadline)

        try:
            return await self.service.check_in(key, due, deliver)
        except Forbidden:
            await self.service.forget(key)  # blocked: keep nothing, plan nothing
            return False

    def _background(self, call: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.create_task(call)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            logger.info("a background Telegram call failed: %s", type(error).__name__)

    @staticmethod
    async def _answer(bot: LeanBot, query_id: str) -> None:
        try:
            await bot.answer_callback_query(query_id)
        except TelegramError as error:  # an expired query must not stop the answer itself
            logger.info("could not answer a callback query: %s", type(error).__name__)

    def _remember_keyboard(self, chat_id: int, message_id: int) -> None:
        self._keyboards[chat_id] = message_id
        self._keyboards.move_to_end(chat_id)
        if len(self._keyboards) > REMEMBERED_KEYBOARDS:
            self._keyboards.popitem(last=False)

    @staticmethod
    async def _clear_keyboard(bot: LeanBot, chat_id: int, message_id: int) -> None:
        try:
            await bot.remove_keyboard(chat_id, message_id)
        except TelegramError as error:  # already cleared, or the message is gone
            logger.info("could not remove a keyboard: %s", type(error).__name__)

    @staticmethod
    def _addressed(inbound: Inbound, bot: LeanBot) -> bool:
        text = inbound.text or ""
        username = (bot.username or "").lower()
        if username and f"@{username}" in text.lower():
            return True
        if text.startswith("/") and "@" not in text.split()[0]:
            return True
        return inbound.reply_to_user is not None and inbound.reply_to_user == bot.id

    async def _send(
        self, bot: LeanBot, chat_id: int, replies: Sequence[Reply], step: int, deadline: float
    ) -> None:
        """Send ``replies`` as few messages as possible, the buttons under the last one.

        Raises:
            DeliveryFailed: the Bot API kept failing, or the budget ran out; it names the
                messages not sent (the first of them perhaps sent once if ``uncertain``).
            Forbidden, BadRequest: Telegram refused the message (blocked by the user…).
        """
        messages = self.render(replies)
        options = replies[-1].options if replies else ()
        for index, message in enumerate(messages):
            last = index == len(messages) - 1
            if message.picture is None:
                lean = bot.callback_data_cache is None
                built = keyboard_json if lean else keyboard
                send = partial(bot.send_html, chat_id, message.text,
                               built(options, step) if last else None)  # fmt: skip
            else:
                markup = keyboard(options, step) if last else None
                send = partial(self._picture, bot, chat_id, message, markup)
            try:
                sent = await send_with_retry(
                    send, backoff=self.backoff, throttle=self.throttle, chat=chat_id,
                    deadline=deadline,
                )  # fmt: skip
                if last and options and isinstance(sent, int):
                    self._remember_keyboard(chat_id, sent)
            except (Forbidden, BadRequest):
                raise
            except TelegramError as error:
                maybe_sent = isinstance(error, TimedOut)
                unsent = [*messages[index:-1], replace(messages[-1], options=options)]
                reason = type(error).__name__
                raise DeliveryFailed(
                    unsent if index or maybe_sent else replies, reason, maybe_sent=maybe_sent
                ) from None

    async def _picture(
        self, bot: LeanBot, chat_id: int, message: Reply, markup: InlineKeyboardMarkup | None
    ) -> int | None:
        """Send a picture with ``message`` as its caption: uploaded the first time, then by the
        ``file_id`` Telegram gave it. Without a picture file, the text is sent alone."""
        assert message.picture is not None
        file_id = self._file_ids.get(message.picture)
        photo: str | bytes
        if file_id is not None:
            photo = file_id
        else:
            path = await asyncio.to_thread(self.pictures.path, message.picture)
            if path is None:
                return await bot.send_html(chat_id, message.text, markup)
            photo = await asyncio.to_thread(path.read_bytes)
        try:
            sent = await bot.send_photo(
                chat_id, photo, caption=message.text, parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )  # fmt: skip
        except BadRequest as error:
            if file_id is not None:  # no longer known to Telegram: upload it again
                del self._file_ids[message.picture]
                return await self._picture(bot, chat_id, message, markup)
            logger.warning("picture %s refused (%s): its text goes alone", message.picture, error)
            return await bot.send_html(chat_id, message.text, markup)
        if sent.photo:
            self._file_ids[message.picture] = sent.photo[-1].file_id
        return sent.message_id


if TYPE_CHECKING:

    def _is_a_channel(channel: TelegramChannel) -> Channel[Inbound, Reply]:
        return channel  # mypy checks that TelegramChannel implements the protocol


async def set_commands(bot: Bot) -> None:
    """Publish the commands menu (``setMyCommands``)."""
    await bot.set_my_commands([BotCommand(name, about) for name, about in MENU])
