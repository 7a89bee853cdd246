"""The real PTB application from ``build_application``, polling the fake Bot API over HTTP."""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.channels.telegram import (
    ALLOWED_UPDATES,
    TelegramChannel,
    keyboard,
    parse_callback,
    split_text,
)
from bot.dialogue import MENU, Incoming, Option, Reply, Session, Turn
from bot.runtime import build_application, build_service
from bot.service import ChatService
from bot.store import MemorySessionStore, StoreUnavailable
from tests.fakes.bot_api import FakeBotAPI
from tests.support.engine import dialogue_text, real_engine
from tests.support.polling import CHAT, Bot, polling, running_bot
from tests.support.telegram import JSON, Reference, Sent, consultation, settings_for

GROUP = -100_555
CALLBACK_DATA = re.compile(r"^\d+:[a-z0-9_]+$")


@pytest.fixture
async def bot(fake_bot_api: FakeBotAPI) -> AsyncIterator[Bot]:
    async with running_bot(fake_bot_api) as running:
        yield running


# -- a whole consultation -----------------------------------------------------------------------


class ClosingStore(MemorySessionStore):
    """A memory store that remembers being closed."""

    closed = False

    async def close(self) -> None:
        self.closed = True
        await super().close()


async def test_a_whole_consultation_over_polling(fake_bot_api: FakeBotAPI) -> None:
    api = fake_bot_api
    settings = settings_for(api)
    service = build_service(settings)
    store = service.store = ClosingStore()
    application = build_application(settings, TelegramChannel(service), with_updater=True)
    async with polling(application):
        commands = api.calls("setMyCommands")
        assert len(commands) == 1
        assert [(c["command"], c["description"]) for c in commands[0].params["commands"]] == [
            *MENU
        ]
        (first_poll,) = await api.wait_for(method="getUpdates")
        assert first_poll.params["allowed_updates"] == list(ALLOWED_UPDATES)

        bot = Bot(api, service)
        taps = 0
        actions = consultation()
        for action in actions:
            if action.kind == "text":
                got = await bot.say(action.value, len(action.expected))
            else:
                got = await bot.tap(action.callback_data, len(action.expected))
                taps += 1
            assert got == action.expected, action
        await bot.quiet(0.1)

        result = bot.sent()[-len(actions[-1].expected) :]
        assert len(result) == 3  # urgency and action, causes, what to do
        assert "See a professional" in result[0].text
        assert "gluteal" in " ".join(m.text for m in result).lower()
        session = await bot.session()
        assert session is not None and session.state == "result"

        sends = api.calls("sendMessage")
        assert sends and all(c.params["parse_mode"] == "HTML" for c in sends)
        for call in sends:
            rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
            for button in (b for row in rows for b in row):
                assert CALLBACK_DATA.match(button["callback_data"]), button
                assert len(button["callback_data"].encode()) <= 64
        await api.wait_for(taps, method="answerCallbackQuery")
        assert api.calls("sendChatAction") == []  # quick turns need no typing indicator
    assert store.closed  # post_shutdown closed the store


async def test_taps_and_text_sent_in_quick_succession_are_answered_in_order(
    fake_bot_api: FakeBotAPI, bot: Bot
) -> None:
    fake_bot_api.latency = 0.02
    reference = Reference()
    expected = reference.text("/start")
    await bot.say("/start", len(expected))
    # a tap and two typed answers arrive in one batch of getUpdates
    expected = reference.tap("start") + reference.text("none of these")
    expected += reference.text("my outer hip aches")
    before = len(fake_bot_api.sent_messages(CHAT))
    fake_bot_api.push_callback(CHAT, "1:start", bot.message_with("1:start"))
    fake_bot_api.push_text(CHAT, "none of these")
    fake_bot_api.push_text(CHAT, "my outer hip aches")
    got = (await bot.replies(before + len(expected)))[before:]
    assert got == expected
    session = await bot.session()
    assert session is not None and session.state == reference.state == "age"


# -- buttons ------------------------------------------------------------------------------------


async def test_an_old_button_has_moved_on_and_changes_nothing(bot: Bot) -> None:
    reference = Reference()
    await bot.say("/start", len(reference.text("/start")))
    await bot.tap("1:start", len(reference.tap("start")))
    old_message = bot.message_with("2:none")
    await bot.tap("2:none", len(reference.tap("none")))
    before = await bot.session()
    assert before is not None and before.state == "describe"

    expected = reference.tap("fever", step=2)
    got = await bot.tap("2:fever", len(expected), message_id=old_message)
    assert got == expected
    assert got[0].text.startswith("That question has moved on")
    after = await bot.session()
    assert after is not None
    assert after.state == "describe"
    assert after.answers == before.answers
    assert after.answers["fever"] is False

    # the conversation carries on normally from there
    expected = reference.text("my outer hip hurts when I lie on it")
    assert await bot.say("my outer hip hurts when I lie on it", len(expected)) == expected


@pytest.mark.parametrize("data", ["garbage", "x:yes", ":yes", "3:", "²:yes"])
async def test_malformed_callback_data_is_a_stale_tap(
    fake_bot_api: FakeBotAPI, bot: Bot, data: str
) -> None:
    got = await bot.tap(data, 1, message_id=999)
    assert got == [Sent(dialogue_text("moved_on"))]
    assert await bot.session() is None
    await fake_bot_api.wait_for(method="answerCallbackQuery")


# -- what is not a text message -----------------------------------------------------------------


def _message(api: FakeBotAPI, chat_id: int, **content: Any) -> JSON:
    update = api.make_text_update(chat_id, "placeholder")
    message = update["message"]
    del message["text"]
    message.update(content)
    return update


STICKER = {
    "sticker": {
        "file_id": "CAAC",
        "file_unique_id": "AgAD",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
}


@pytest.mark.parametrize(
    "content",
    [
        STICKER,
        {
            "photo": [{"file_id": "AgAC", "file_unique_id": "AQAD", "width": 90, "height": 90}],
            "caption": "my hip",
        },
    ],
    ids=["sticker", "photo"],
)
async def test_a_sticker_or_photo_gets_please_type(
    fake_bot_api: FakeBotAPI, bot: Bot, content: JSON
) -> None:
    fake_bot_api.push_update(_message(fake_bot_api, CHAT, **content))
    assert await bot.replies(1) == [Sent(dialogue_text("not_text"))]
    assert "type" in dialogue_text("not_text") and "tap" in dialogue_text("not_text")
    assert await bot.session() is None


async def test_an_edited_message_gets_no_reply(fake_bot_api: FakeBotAPI, bot: Bot) -> None:
    reference = Reference()
    await bot.say("/start", len(reference.text("/start")))
    update = fake_bot_api.make_text_update(CHAT, "I fell off my bike")
    update["edited_message"] = {**update.pop("message"), "edit_date": int(time.time())}
    fake_bot_api.push_update(update)
    # a later message is answered, and nothing came for the edit
    expected = reference.text("/help")
    before = len(fake_bot_api.sent_messages(CHAT))
    got = await bot.say("/help", len(expected))
    assert got == expected
    await bot.quiet(0.1)
    assert len(fake_bot_api.sent_messages(CHAT)) == before + len(expected)
    session = await bot.session()
    assert session is not None and "fall_or_injury" not in session.answers


# -- groups -------------------------------------------------------------------------------------


def _group_text(api: FakeBotAPI, text: str, **extra: Any) -> JSON:
    update = api.make_text_update(GROUP, text, user_id=555, chat_type="supergroup")
    update["message"].update(extra)
    return update


async def test_a_group_message_not_addressed_to_the_bot_gets_nothing(
    fake_bot_api: FakeBotAPI, bot: Bot
) -> None:
    for text in ("my hip hurts after running", "/start@some_other_bot", "hello @someone"):
        fake_bot_api.push_update(_group_text(fake_bot_api, text))
    fake_bot_api.push_update(_message(fake_bot_api, GROUP, **STICKER))
    await fake_bot_api.wait_for(lambda _: not fake_bot_api.pending_updates())
    await bot.quiet()
    assert fake_bot_api.sent_messages() == []
    assert fake_bot_api.calls("sendChatAction") == []
    assert await bot.service.store.load(str(GROUP)) is None


def _bot_message(api: FakeBotAPI) -> JSON:
    return {
        "message_id": 1,
        "from": api.bot_user,
        "chat": {"id": GROUP, "type": "supergroup", "title": "Runners"},
        "date": int(time.time()),
        "text": "an earlier bot message",
    }


@pytest.mark.parametrize(
    "how",
    ["mention", "mention in capitals", "command", "command with the bot's name", "reply"],
)
async def test_a_group_message_addressed_to_the_bot_gets_the_private_chat_suggestion(
    fake_bot_api: FakeBotAPI, bot: Bot, how: str
) -> None:
    update = {
        "mention": lambda: _group_text(fake_bot_api, "@hipbot_test_bot my hip hurts"),
        "mention in capitals": lambda: _group_text(fake_bot_api, "hey @HipBot_Test_Bot"),
        "command": lambda: _group_text(fake_bot_api, "/start"),
        "command with the bot's name": lambda: _group_text(fake_bot_api, "/help@hipbot_test_bot"),
        "reply": lambda: _group_text(
            fake_bot_api, "it hurts", reply_to_message=_bot_message(fake_bot_api)
        ),
    }[how]()
    fake_bot_api.push_update(update)
    (notice,) = await bot.replies(1, chat_id=GROUP)
    assert notice.text == dialogue_text("group_notice", link="https://t.me/hipbot_test_bot")
    assert notice.buttons == ()
    assert "?" not in notice.text  # no health question in a group
    await bot.quiet(0.1)
    assert len(fake_bot_api.sent_messages(GROUP)) == 1
    assert await bot.service.store.load(str(GROUP)) is None


# -- long replies, escaping, errors -------------------------------------------------------------


class _LongReplyEngine:
    """An engine stand-in whose every turn is one long reply with HTML special characters."""

    def __init__(self, text: str) -> None:
        self.text = text

    def step(self, session: Session | None, incoming: Incoming) -> Turn:
        step = (session.step if session else 0) + 1
        reply = Reply(self.text, (Option("Yes", "yes"), Option("No", "no")))
        return Turn(Session(state="questions", step=step, updated_at=incoming.at), (reply,))


PARAGRAPH = "Keep the load <b>low</b> & your knees soft, then rest for 2 > 1 days. " * 20
ESCAPED = re.compile(r"(?:[^&<>]|&(?:amp|lt|gt);)*")


@pytest.mark.parametrize(
    ("text", "count"),
    [("\n\n".join([PARAGRAPH] * 6), 3), ("&<" * 2600, 6), ("🏃" * 4097, 3)],
    ids=["paragraphs", "special characters only", "emoji"],
)
async def test_a_reply_over_4096_characters_is_split_and_escaped(
    fake_bot_api: FakeBotAPI, text: str, count: int
) -> None:
    service = ChatService(_LongReplyEngine(text), MemorySessionStore())  # type: ignore[arg-type]
    async with running_bot(fake_bot_api, service) as bot:
        bot.api.push_text(CHAT, "tell me everything")
        await bot.replies(count)
        await bot.quiet(0.1)
    sent = bot.sent()
    assert len(sent) == count
    for message in sent:
        assert ESCAPED.fullmatch(message.text), "an HTML entity was cut in two"
        assert len(message.text.encode("utf-16-le")) // 2 <= 4096
    assert [m.buttons for m in sent] == [()] * (count - 1) + [("1:yes", "1:no")]
    joined = "".join(html.unescape(m.text) for m in sent)
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", text)
    if "<b>" in text:
        assert all("&lt;b&gt;low&lt;/b&gt; &amp; your" in m.text for m in sent)


async def test_a_429_is_waited_out_and_the_message_delivered_once(
    fake_bot_api: FakeBotAPI, bot: Bot
) -> None:
    fake_bot_api.fail_next("sendMessage", status=429, retry_after=1)
    reference = Reference()
    expected = reference.text("/start")
    started = time.monotonic()
    got = await bot.say("/start", len(expected))
    assert got == expected
    assert time.monotonic() - started >= 1.0
    await bot.quiet(0.1)
    sends = fake_bot_api.calls("sendMessage")
    assert [c.fault for c in sends] == [429] + [None] * len(expected)
    assert sends[1].at - sends[0].at >= 1.0
    assert sends[0].params["text"] == sends[1].params["text"]


async def test_a_network_error_is_retried_and_the_message_delivered_once(
    fake_bot_api: FakeBotAPI, bot: Bot
) -> None:
    fake_bot_api.fail_next("sendMessage", status=502)
    reference = Reference()
    expected = reference.text("/help")
    assert await bot.say("/help", len(expected)) == expected
    await bot.quiet(0.1)
    assert [c.fault for c in fake_bot_api.calls("sendMessage")] == [502] + [None] * len(expected)


class _DownStore(MemorySessionStore):
    async def load(self, key: str) -> str | None:
        raise StoreUnavailable("the test store is down")


async def test_a_store_outage_is_reported_to_the_runner(fake_bot_api: FakeBotAPI) -> None:
    service = ChatService(real_engine(), _DownStore())
    async with running_bot(fake_bot_api, service) as bot:
        got = await bot.say("/start", 1)
        await bot.quiet(0.1)
    assert got == [Sent(dialogue_text("store_down"))]


# -- units --------------------------------------------------------------------------------------


def test_split_text_keeps_short_text_whole() -> None:
    assert split_text("Hello") == ["Hello"]
    assert split_text("x" * 4096) == ["x" * 4096]


def test_split_text_prefers_line_then_word_boundaries() -> None:
    lines = "\n".join(f"line {n:04d} " + "word " * 10 for n in range(200))
    pieces = split_text(lines, limit=500)
    assert all(len(p) <= 500 for p in pieces)
    assert all(p.startswith("line ") for p in pieces)
    words = "word " * 300
    pieces = split_text(words, limit=100)
    assert all(len(p) <= 100 and p.endswith("word") for p in pieces)
    assert " ".join(pieces).split() == words.split()


def test_split_text_cuts_a_long_word_hard() -> None:
    pieces = split_text("a" * 250, limit=100)
    assert pieces == ["a" * 100, "a" * 100, "a" * 50]


def test_split_text_counts_utf16_units_like_telegram() -> None:
    text = "🏃" * 3000  # 6000 UTF-16 code units
    pieces = split_text(text)
    assert pieces == ["🏃" * 2048, "🏃" * 952]


def test_split_text_leaves_room_for_html_escaping() -> None:
    text = "a < b & c > d " * 400
    pieces = split_text(text)
    assert len(pieces) > 1
    assert all(len(html.escape(p, quote=False)) <= 4096 for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_split_text_always_makes_progress() -> None:
    assert split_text("&&&", limit=2) == ["&", "&", "&"]


def test_split_text_never_yields_empty_pieces() -> None:
    assert split_text("") == [""]
    text = "a" * 100 + "\n\n\n\n" + "b" * 100
    assert all(p.strip() for p in split_text(text, limit=101))


def test_keyboard_callback_data_is_step_and_value() -> None:
    markup = keyboard([Option("Yes", "yes"), Option("Not sure", "not_sure")], 12)
    assert markup is not None
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert data == ["12:yes", "12:not_sure"]
    assert keyboard([], 3) is None
    assert keyboard([Option("Too long", "x" * 80)], 3) is None  # over Telegram's 64 bytes


@pytest.mark.parametrize(
    ("data", "parsed"),
    [
        ("12:yes", (12, "yes")),
        ("3:not_sure", (3, "not_sure")),
        ("3:a:b", (3, "a:b")),
        ("garbage", (None, None)),
        (":yes", (None, None)),
        ("3:", (None, None)),
        ("-1:yes", (None, None)),
        ("²:yes", (None, None)),
        ("١٢:yes", (None, None)),  # Arabic-Indic digits are decimal to Python, not to us
        ("999999999:yes", (999_999_999, "yes")),
        ("9" * 5_000 + ":yes", (None, None)),  # int() would refuse it with a ValueError
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_parse_callback(data: str | None, parsed: tuple[int | None, str | None]) -> None:
    assert parse_callback(data) == parsed


class SlowStore(MemorySessionStore):
    """A store that takes a while to load, like a busy database."""

    async def load(self, key: str) -> str | None:
        await asyncio.sleep(0.6)
        return await super().load(key)


async def test_typing_shows_while_a_slow_turn_is_being_worked_on(fake_bot_api: FakeBotAPI) -> None:
    service = ChatService(real_engine(), SlowStore())
    async with running_bot(fake_bot_api, service) as bot:
        await bot.say("/start", 1)
        typing = fake_bot_api.calls("sendChatAction")
        assert [c.params["action"] for c in typing] == ["typing"]
        assert typing[0].params["chat_id"] == CHAT
        first_reply = fake_bot_api.calls("sendMessage")[-1]
        assert typing[0].at < first_reply.at
