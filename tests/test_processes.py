"""The real ``python -m bot`` processes against the fake Bot API, SQLite and Redis."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import time
from pathlib import Path

import httpx
import pytest
import redis

from bot.channels.telegram import ALLOWED_UPDATES
from bot.dialogue import MENU
from tests.fakes.bot_api import FakeBotAPI
from tests.support.ports import free_port
from tests.support.processes import (
    SECRET,
    BotProcess,
    assert_no_secrets,
    bot_env,
    bot_process,
    run_bot,
    wait_until,
)
from tests.support.telegram import Action, Sent, as_sent, consultation

CHAT = 5150
OTHER_TOKEN = "987654321:AAother-token-the-fake-rejects_000"


def sent(api: FakeBotAPI) -> list[Sent]:
    return [as_sent(m) for m in api.sent_messages(CHAT)]


def push(api: FakeBotAPI, action: Action) -> None:
    """Send one action over polling: type the text, or tap the newest button with its data."""
    if action.kind == "text":
        api.push_text(CHAT, action.value)
        return
    message = next(
        m for m in reversed(api.sent_messages(CHAT)) if action.callback_data in as_sent(m).buttons
    )
    api.push_callback(CHAT, action.callback_data, message["message_id"])


def play(api: FakeBotAPI, action: Action, process: BotProcess) -> None:
    """Send one action over polling and check the bot answers exactly as expected."""
    before = len(api.sent_messages(CHAT))
    push(api, action)
    wanted = before + len(action.expected)
    wait_until(
        lambda: len(api.sent_messages(CHAT)) >= wanted or process.process.poll() is not None,
        f"the replies to {action}",
    )
    assert process.process.poll() is None, process.log
    assert sent(api)[before:] == action.expected


# -- (1) polling survives SIGKILL -----------------------------------------------------------------


def outbox_emptied(database: Path) -> bool:
    """Whether every stored conversation is at rest: its replies delivered and its outbox emptied.

    Between a reply reaching Telegram and its outbox being emptied, a SIGKILL sends that reply
    once more after the restart (docs/reliability.md: at most one duplicate), so a kill meant to
    come "after the reply" waits for this.
    """
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT data FROM sessions").fetchall()
    return bool(rows) and all('"outbox":' not in data for (data,) in rows)


@pytest.mark.parametrize("kill", ["after the reply", "before the reply"])
def test_polling_carries_on_after_sigkill(
    fake_bot_api_thread: FakeBotAPI, tmp_path: Path, kill: str, capsys: pytest.CaptureFixture[str]
) -> None:
    api = fake_bot_api_thread
    env = bot_env(api, STORE_URL=f"sqlite:///{tmp_path / 'sessions.db'}")
    actions = consultation()
    half = 7  # in the middle of the yes/no questions
    assert actions[half].kind == "tap" and actions[half].value == "no"
    interrupted = actions[half - 1]

    with bot_process(["polling"], env, tmp_path, "first") as first:
        api.wait_for_sync(method="getUpdates", timeout=20)
        assert [c.params["commands"] for c in api.calls("setMyCommands")] == [
            [{"command": name, "description": about} for name, about in MENU]
        ]
        for action in actions[: half - 1]:
            play(api, action, first)
        # the getUpdates call that would confirm the next update hangs, so that update is
        # still unconfirmed when the bot dies and Telegram sends it again after the restart
        api.delay_next("getUpdates", 30.0)
        if kill == "after the reply":  # saved and answered: the retry is a duplicate
            play(api, interrupted, first)
            wait_until(lambda: outbox_emptied(tmp_path / "sessions.db"), "the turn to finish")
        else:  # saved, its reply held at the Bot API (then failed): the retry sends it
            api.fail_next("sendMessage", status=502, delay=5)
            push(api, interrupted)
            api.wait_for_sync(lambda call: call.fault == 502, method="sendMessage", timeout=10)
        unconfirmed = api.pending_updates()
        assert len(unconfirmed) == 1
        assert first.kill(signal.SIGKILL) == -signal.SIGKILL
    polls = len(api.calls("getUpdates"))

    with bot_process(["polling"], env, tmp_path, "second") as second:
        api.wait_for_sync(polls + 1, method="getUpdates", timeout=20)
        wait_until(lambda: not api.pending_updates(), "the unconfirmed update to be fetched")
        replied = [m for action in actions[:half] for m in action.expected]
        wait_until(lambda: len(sent(api)) >= len(replied), "the interrupted update's reply")
        # nothing is answered twice, and the conversation goes on from the same question
        for action in actions[half:]:
            play(api, action, second)
        time.sleep(0.2)
        assert sent(api) == [m for action in actions for m in action.expected]
        assert second.kill(signal.SIGTERM) == 0

    for process in (first, second):
        assert_no_secrets(process.log, api.token)
        assert "Traceback" not in process.log
    with capsys.disabled():
        print(f"\nfaults: polling + SQLite killed (SIGKILL) {kill}, restarted: 1 faults "
              f"injected, 0 replies lost, 0 duplicated, {len(sent(api))} delivered")  # fmt: skip


# -- (2) two webhook replicas over one Redis ------------------------------------------------------


async def test_two_webhook_processes_keep_one_chat_in_order(
    fake_bot_api_thread: FakeBotAPI, redis_url: str, tmp_path: Path
) -> None:
    api = fake_bot_api_thread
    api.latency = 0.01
    ports = [free_port(), free_port()]
    actions = consultation()
    with (
        bot_process(
            ["webhook"],
            bot_env(api, STORE_URL=redis_url, WEBHOOK_SECRET=SECRET, WEBHOOK_PORT=str(ports[0])),
            tmp_path,
            "replica-a",
        ) as first,
        bot_process(
            ["webhook"],
            bot_env(api, STORE_URL=redis_url, WEBHOOK_SECRET=SECRET, WEBHOOK_PORT=str(ports[1])),
            tmp_path,
            "replica-b",
        ) as second,
    ):
        async with httpx.AsyncClient(timeout=30) as client:

            async def healthy(port: int) -> bool:
                try:
                    response = await client.get(f"http://127.0.0.1:{port}/healthz")
                except httpx.TransportError:
                    return False
                return response.status_code == 200

            async with asyncio.timeout(20):
                while not all([await healthy(port) for port in ports]):
                    assert first.process.poll() is None, first.log
                    assert second.process.poll() is None, second.log
                    await asyncio.sleep(0.05)

            async def post(number: int, action: Action) -> int:
                await asyncio.sleep(0.015 * number)  # in update order, several in flight
                if action.kind == "text":
                    update = api.make_text_update(CHAT, action.value)
                else:
                    update = api.make_callback_update(CHAT, action.callback_data, 1)
                response = await client.post(
                    f"http://127.0.0.1:{ports[number % 2]}/telegram",
                    json={"update_id": 10_000 + number, **update},
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                )
                return response.status_code

            statuses = await asyncio.gather(*(post(n, a) for n, a in enumerate(actions)))
            assert statuses == [200] * len(actions)
            # a retry of an early update to the other replica changes nothing
            assert await post(1, actions[1]) == 200

        assert sent(api) == [m for action in actions for m in action.expected]
        with redis.Redis.from_url(redis_url) as client_sync:
            raw = client_sync.get(f"hipbot:session:{CHAT}")
        assert raw is not None and json.loads(raw)["state"] == "result"

    for process in (first, second):
        assert_no_secrets(process.log, api.token, SECRET)
        assert "Traceback" not in process.log


# -- (3) set-webhook and delete-webhook -----------------------------------------------------------


def test_set_webhook_registers_and_delete_webhook_removes_it(
    fake_bot_api_thread: FakeBotAPI, tmp_path: Path
) -> None:
    api = fake_bot_api_thread
    env = bot_env(
        api,
        WEBHOOK_URL="https://hipbot.example.org/",
        WEBHOOK_PATH="/tg-updates",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_MAX_CONNECTIONS="12",
    )
    api.fail_next("setWebhook", status=429, retry_after=1)  # Telegram allows one a second
    result = run_bot(["set-webhook"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Webhook set to https://hipbot.example.org/tg-updates" in result.stdout
    calls = api.calls("setWebhook")
    assert [c.fault for c in calls] == [429, None]
    params = calls[-1].params
    assert params["url"] == "https://hipbot.example.org/tg-updates"
    assert params["secret_token"] == SECRET
    assert params["allowed_updates"] == list(ALLOWED_UPDATES)
    assert params["max_connections"] == 12
    assert api.calls("setMyCommands")
    info = httpx.get(f"{api.base_url}{api.token}/getWebhookInfo").json()["result"]
    assert info["url"] == "https://hipbot.example.org/tg-updates"
    assert info["allowed_updates"] == list(ALLOWED_UPDATES)

    result = run_bot(["delete-webhook"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Webhook deleted" in result.stdout
    assert len(api.calls("deleteWebhook")) == 1
    info = httpx.get(f"{api.base_url}{api.token}/getWebhookInfo").json()["result"]
    assert info["url"] == ""
    assert_no_secrets(result.stdout + result.stderr, api.token, SECRET)


def test_set_webhook_needs_a_public_https_url(
    fake_bot_api_thread: FakeBotAPI, tmp_path: Path
) -> None:
    result = run_bot(
        ["set-webhook"], bot_env(fake_bot_api_thread, WEBHOOK_SECRET=SECRET), tmp_path
    )
    assert result.returncode == 2
    assert "WEBHOOK_URL" in result.stderr
    assert fake_bot_api_thread.calls() == []


# -- (4) the token never reaches the logs ---------------------------------------------------------


def failed_start(api: FakeBotAPI, tmp_path: Path, command: str, **extra: str) -> str:
    """Run ``command``, expected to fail at start; its output, checked for a clean failure:
    exit status 1, no traceback, no connection pool left open, no secret shown."""
    env = bot_env(
        api,
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_URL="https://hipbot.example.org",
        WEBHOOK_PORT=str(free_port()),
        STORE_URL=f"sqlite:///{tmp_path / 'sessions.db'}",
        **extra,
    )
    result = run_bot([command], env, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert "Unclosed" not in output
    assert_no_secrets(output, env["TELEGRAM_BOT_TOKEN"], SECRET)
    return output


@pytest.mark.parametrize("command", ["polling", "set-webhook", "delete-webhook", "webhook"])
def test_a_rejected_token_is_reported_without_the_token(
    fake_bot_api_thread: FakeBotAPI, tmp_path: Path, command: str
) -> None:
    output = failed_start(fake_bot_api_thread, tmp_path, command, TELEGRAM_BOT_TOKEN=OTHER_TOKEN)
    assert "InvalidToken" in output
    assert "check TELEGRAM_BOT_TOKEN" in output


@pytest.mark.parametrize("command", ["polling", "webhook"])
def test_an_unreachable_bot_api_at_start_up_is_one_clear_line(
    fake_bot_api_thread: FakeBotAPI, tmp_path: Path, command: str
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/bot"  # nothing listens there
    output = failed_start(fake_bot_api_thread, tmp_path, command, TELEGRAM_API_BASE_URL=nowhere)
    assert "NetworkError: could not" in output


def test_debug_logs_of_a_polling_bot_with_errors_hold_no_token(
    fake_bot_api_thread: FakeBotAPI, tmp_path: Path
) -> None:
    api = fake_bot_api_thread
    env = bot_env(api, STORE_URL="memory://", LOG_LEVEL="DEBUG")
    greeting, start, *_ = consultation()
    with bot_process(["polling"], env, tmp_path, "debug") as process:
        api.wait_for_sync(method="getUpdates", timeout=20)
        api.fail_next("sendMessage", status=429, retry_after=1)
        play(api, greeting, process)
        api.fail_next("getUpdates", status=502)
        api.fail_next("sendMessage", status=500)
        play(api, start, process)
        assert process.kill(signal.SIGTERM) == 0
    log = process.log
    assert "DEBUG" in log  # the level really was DEBUG
    assert_no_secrets(log, api.token)
