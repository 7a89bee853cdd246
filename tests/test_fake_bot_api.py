"""The fake Bot API, driven by a real python-telegram-bot ``Bot`` over real HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.bot_api_process import FakeBotAPIProcess

KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Left hip", callback_data="side:left")],
        [InlineKeyboardButton("Right hip", callback_data="side:right")],
    ]
)


@pytest.fixture
async def bot(fake_bot_api: FakeBotAPI) -> AsyncIterator[Bot]:
    """A real PTB Bot pointed at the fake, initialized (one getMe call)."""
    async with Bot(fake_bot_api.token, base_url=fake_bot_api.base_url) as bot:
        yield bot


async def test_initialize_calls_get_me(fake_bot_api: FakeBotAPI, bot: Bot) -> None:
    assert bot.username == "hipbot_test_bot"
    assert bot.id == fake_bot_api.bot_user["id"]
    assert [c.method for c in fake_bot_api.calls()] == ["getMe"]


async def test_send_message_round_trips_and_is_recorded(
    fake_bot_api: FakeBotAPI, bot: Bot
) -> None:
    first = await bot.send_message(42, "Which hip hurts? Zoë 🏃", reply_markup=KEYBOARD)
    second = await bot.send_message(42, "Second")

    assert first.text == "Which hip hurts? Zoë 🏃"
    assert first.chat.id == 42
    assert first.chat.type == "private"
    assert first.from_user is not None and first.from_user.is_bot
    assert first.reply_markup == KEYBOARD
    assert second.message_id > first.message_id
    assert abs(first.date.timestamp() - time.time()) < 5

    (call,) = fake_bot_api.calls("sendMessage")[:1]
    assert call.params["chat_id"] == 42
    assert call.params["text"] == "Which hip hurts? Zoë 🏃"
    assert call.params["reply_markup"] == KEYBOARD.to_dict()
    sent = fake_bot_api.sent_messages(42)
    assert [m["text"] for m in sent] == ["Which hip hurts? Zoë 🏃", "Second"]
    assert fake_bot_api.sent_messages(43) == []


async def test_a_keyboard_edit_changes_the_stored_message(
    fake_bot_api: FakeBotAPI, bot: Bot
) -> None:
    sent = await bot.send_message(42, "Pick a side", reply_markup=KEYBOARD)
    cleared = await bot.edit_message_reply_markup(42, sent.message_id, reply_markup=None)
    assert not isinstance(cleared, bool) and cleared.reply_markup is None
    assert cleared.edit_date is not None
    again = await bot.edit_message_reply_markup(42, sent.message_id, reply_markup=KEYBOARD)
    assert not isinstance(again, bool) and again.reply_markup == KEYBOARD
    current = fake_bot_api.message(42, sent.message_id)
    assert current is not None and current["reply_markup"] == KEYBOARD.to_dict()
    assert "reply_markup" in fake_bot_api.sent_messages(42)[0]  # as sent

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(42, sent.message_id, reply_markup=KEYBOARD)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_reply_markup(42, 9999, reply_markup=None)


async def test_bot_api_validation_errors(bot: Bot) -> None:
    long_data = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(42, "too long callback data", reply_markup=long_data)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(42, "x" * 4097)


async def test_simple_methods(fake_bot_api: FakeBotAPI, bot: Bot) -> None:
    assert await bot.send_chat_action(42, "typing")
    assert await bot.answer_callback_query("123", text="Saved")
    commands = [BotCommand("start", "Start over"), BotCommand("help", "What I can do")]
    assert await bot.set_my_commands(commands)
    assert [c["command"] for c in fake_bot_api.calls("setMyCommands")[0].params["commands"]] == [
        "start", "help",
    ]  # fmt: skip
    action = fake_bot_api.calls("sendChatAction")[0]
    assert action.params == {"chat_id": 42, "action": "typing"}


async def test_429_raises_retry_after(fake_bot_api: FakeBotAPI, bot: Bot) -> None:
    fake_bot_api.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(42, "hello")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    assert (await bot.send_message(42, "hello again")).text == "hello again"  # fault used up
    assert [c.fault for c in fake_bot_api.calls("sendMessage")] == [429, None]


async def test_500_raises_network_error(fake_bot_api: FakeBotAPI, bot: Bot) -> None:
    fake_bot_api.fail_next(status=500, times=2)  # any method
    with pytest.raises(NetworkError, match="Internal Server Error") as caught:
        await bot.send_message(42, "hello")
    assert isinstance(caught.value, TelegramError)
    with pytest.raises(NetworkError):
        await bot.send_chat_action(42, "typing")
    assert await bot.send_chat_action(42, "typing")


async def test_403_raises_forbidden(fake_bot_api: FakeBotAPI, bot: Bot) -> None:
    fake_bot_api.fail_next("sendMessage", status=403)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(42, "hello")


async def test_delay_next_holds_one_call(fake_bot_api: FakeBotAPI, bot: Bot) -> None:
    fake_bot_api.delay_next("sendMessage", 0.3)
    started = time.monotonic()
    await bot.send_message(42, "slow")
    assert time.monotonic() - started >= 0.3
    assert fake_bot_api.calls("sendMessage")[0].fault == 0


async def test_wrong_token_is_rejected(fake_bot_api: FakeBotAPI) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("987:wrong", base_url=fake_bot_api.base_url):
            pytest.fail("initialized with a wrong token")
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{fake_bot_api.base_url}987:wrong/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert fake_bot_api.calls() == []


async def test_unknown_method_is_404(fake_bot_api: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 42})
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{fake_bot_api.base_url}{fake_bot_api.token}/nope")
    assert response.status_code == 404
    assert response.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }


async def test_get_updates_returns_pushed_updates_parsed_by_ptb(
    fake_bot_api: FakeBotAPI, bot: Bot
) -> None:
    sent = await bot.send_message(42, "Which side?", reply_markup=KEYBOARD)
    fake_bot_api.push_text(42, "/start now", first_name="Zoë")
    fake_bot_api.push_callback(42, "side:left", sent.message_id)

    updates = await bot.get_updates(timeout=0)
    assert [type(u) for u in updates] == [Update, Update]
    text, button = updates
    assert button.update_id == text.update_id + 1
    assert text.message is not None and text.message.text == "/start now"
    assert text.effective_chat is not None and text.effective_chat.id == 42
    assert text.effective_user is not None and text.effective_user.first_name == "Zoë"
    assert text.message.entities[0].type == "bot_command"
    assert text.message.entities[0].length == len("/start")
    query = button.callback_query
    assert query is not None and query.data == "side:left"
    assert isinstance(query.message, Message)
    assert query.message.message_id == sent.message_id
    assert query.message.reply_markup == KEYBOARD

    # An offset past the last update confirms them all.
    assert await bot.get_updates(offset=button.update_id + 1, timeout=0) == ()
    assert fake_bot_api.pending_updates() == []


async def test_group_text_update(fake_bot_api: FakeBotAPI, bot: Bot) -> None:
    fake_bot_api.push_text(-100500, "hello", user_id=7, chat_type="supergroup")
    (update,) = await bot.get_updates()
    assert update.effective_chat is not None and update.effective_chat.type == "supergroup"
    assert update.effective_user is not None and update.effective_user.id == 7
    sent = await bot.send_message(-100500, "hi group")
    assert sent.chat.type == "supergroup"


async def test_get_updates_long_polls(fake_bot_api: FakeBotAPI, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=dtm.timedelta(seconds=0.3)) == ()
    assert 0.25 < time.monotonic() - started < 2

    async def push_later() -> None:
        await asyncio.sleep(0.2)
        fake_bot_api.push_text(42, "late")

    started = time.monotonic()
    _, updates = await asyncio.gather(push_later(), bot.get_updates(timeout=5))
    assert 0.15 < time.monotonic() - started < 2
    assert [u.message.text for u in updates if u.message] == ["late"]


async def test_a_second_poller_terminates_the_first(fake_bot_api: FakeBotAPI, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await fake_bot_api.wait_for(method="getUpdates")
    async with Bot(fake_bot_api.token, base_url=fake_bot_api.base_url) as other:
        assert await other.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await first


async def test_webhook_methods(fake_bot_api: FakeBotAPI, bot: Bot) -> None:
    assert (await bot.get_webhook_info()).url == ""
    fake_bot_api.push_text(42, "pending")
    assert await bot.set_webhook(
        "https://example.invalid/hook", secret_token="s3cret", allowed_updates=["message"]
    )
    info = await bot.get_webhook_info()
    assert info.url == "https://example.invalid/hook"
    assert info.pending_update_count == 1
    assert info.allowed_updates == ("message",)
    assert fake_bot_api.calls("setWebhook")[0].params["secret_token"] == "s3cret"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).pending_update_count == 0
    assert await bot.get_updates() == ()


async def test_latency_is_applied_concurrently(fake_bot_api: FakeBotAPI, bot: Bot) -> None:
    fake_bot_api.latency = 0.2
    started = time.monotonic()
    results = await asyncio.gather(*(bot.send_chat_action(42, "typing") for _ in range(10)))
    elapsed = time.monotonic() - started
    assert results == [True] * 10
    assert 0.2 <= elapsed < 1.0  # one latency, not ten (2 s)


async def test_json_form_and_multipart_bodies(fake_bot_api: FakeBotAPI) -> None:
    url = f"{fake_bot_api.base_url}{fake_bot_api.token}/sendMessage"
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    async with httpx.AsyncClient() as client:
        as_json = await client.post(url, json={"chat_id": 1, "text": "j", "reply_markup": markup})
        as_form = await client.post(
            url, data={"chat_id": "1", "text": "42", "disable_notification": "true"}
        )
        as_multipart = await client.post(
            url,
            data={"chat_id": "1", "text": "m"},
            files={"document": ("notes.txt", b"hello", "text/plain")},
        )
        as_query = await client.get(url, params={"chat_id": "1", "text": "q"})
    for response in (as_json, as_form, as_multipart, as_query):
        assert response.status_code == 200, response.text
        assert response.json()["ok"] is True
    params = [c.params for c in fake_bot_api.calls("sendMessage")]
    assert params[0] == {"chat_id": 1, "text": "j", "reply_markup": markup}
    assert params[1] == {"chat_id": 1, "text": "42", "disable_notification": True}
    assert params[2] == {
        "chat_id": 1,
        "text": "m",
        "document": {"filename": "notes.txt", "size": 5},
    }
    assert params[3] == {"chat_id": 1, "text": "q"}


async def test_method_names_are_case_insensitive(fake_bot_api: FakeBotAPI) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{fake_bot_api.base_url}{fake_bot_api.token}/GETME")
    assert response.json()["result"]["username"] == "hipbot_test_bot"
    assert fake_bot_api.calls()[0].method == "getMe"


async def test_wait_for_predicate_and_timeout(fake_bot_api: FakeBotAPI, bot: Bot) -> None:
    async def send_later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(42, "one")
        await bot.send_message(42, "two")

    task = asyncio.create_task(send_later())
    calls = await fake_bot_api.wait_for(lambda c: c.params.get("text") == "two", timeout=5)
    assert [c.params["text"] for c in calls] == ["two"]
    await task
    with pytest.raises(
        TimeoutError, match=r"for 1 call\(s\) of editMessageReplyMarkup; recorded: "
    ):
        await fake_bot_api.wait_for(method="editMessageReplyMarkup", timeout=0.05)
    with pytest.raises(ValueError, match="`count` is for predicates"):
        await fake_bot_api.wait_for(method="sendMessage", count=2)  # it would wait for one only


async def test_a_call_is_recorded_on_arrival_and_answered_after_its_delay(
    fake_bot_api: FakeBotAPI, bot: Bot
) -> None:
    sent = await bot.send_message(42, "Pick a side", reply_markup=KEYBOARD)
    fake_bot_api.delay_next("editMessageReplyMarkup", 0.3)
    edit = asyncio.create_task(bot.edit_message_reply_markup(42, sent.message_id))
    await fake_bot_api.wait_for(method="editMessageReplyMarkup")
    assert "reply_markup" in (fake_bot_api.message(42, sent.message_id) or {})  # not yet applied
    assert fake_bot_api.calls("editMessageReplyMarkup", answered=True) == []
    await fake_bot_api.wait_for(method="editMessageReplyMarkup", answered=True)
    assert "reply_markup" not in (fake_bot_api.message(42, sent.message_id) or {})
    await edit


async def test_application_polling_end_to_end(fake_bot_api: FakeBotAPI) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "Hi! Where does it hurt?")

    app = ApplicationBuilder().token(fake_bot_api.token).base_url(fake_bot_api.base_url).build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=1))
        await app.start()
        fake_bot_api.push_text(42, "/start")
        await fake_bot_api.wait_for(method="sendMessage", timeout=10)
        await app.updater.stop()
        await app.stop()
    assert [m["text"] for m in fake_bot_api.sent_messages(42)] == ["Hi! Where does it hurt?"]
    assert fake_bot_api.calls("deleteWebhook")  # run by the polling bootstrap
    assert fake_bot_api.pending_updates() == []  # confirmed on stop


def test_thread_mode_with_a_sync_client(fake_bot_api_thread: FakeBotAPI) -> None:
    api = fake_bot_api_thread
    with httpx.Client() as client:
        response = client.post(f"{api.base_url}{api.token}/getMe")
    assert response.json()["ok"] is True
    assert [c.method for c in api.wait_for_sync(1, method="getMe")] == ["getMe"]
    api.push_text(42, "hello")
    assert len(api.pending_updates()) == 1


async def test_separate_process_with_control_endpoints() -> None:
    with FakeBotAPIProcess(latency_ms=50) as api:
        async with Bot(api.token, base_url=api.base_url) as bot:
            pushed = api.push_text(42, "from another process")
            (update,) = await bot.get_updates(timeout=1)
            assert update.update_id == pushed["update_id"]
            assert update.message is not None and update.message.text == "from another process"
            started = time.monotonic()
            sent = await bot.send_message(42, "reply")
            assert time.monotonic() - started >= 0.05  # --latency-ms 50
            api.push_callback(42, "side:left", sent.message_id)
            api.fail_next("sendMessage", status=429, retry_after=2)
            with pytest.raises(RetryAfter):
                await bot.send_message(42, "too fast")
        methods = [c["method"] for c in api.wait_for(4)]
        assert methods[:4] == ["getMe", "getUpdates", "sendMessage", "sendMessage"]
        assert api.calls("sendMessage")[1]["fault"] == 429
        assert [m["text"] for m in api.sent_messages(42)] == ["reply"]
