"""The plain HTTP JSON chat, end to end: ``hipbot http-chat`` in its own process on 127.0.0.1,
talked to over real HTTP; it shares the webhook's hardening and the service's store rules."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.channel import SessionKey
from bot.channels.http_chat import HttpChat
from bot.channels.http_guard import MAX_BODY_BYTES
from tests.support.ports import HOST, free_port

SECRET = "test-secret_1"
HEADERS = {"X-Hipbot-Secret": SECRET, "Content-Type": "application/json"}


@pytest.fixture(scope="module")
def chat_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    db = tmp_path_factory.mktemp("http-chat") / "chat.db"
    env = {**os.environ, "HTTP_CHAT_SECRET": SECRET}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "http-chat", "--host", HOST, "--port", str(port),
         "--store", f"sqlite:///{db}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = f"http://{HOST}:{port}/chat"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "http-chat did not start"
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()
    assert Path(db).exists()


def post(url: str, body: object, headers: dict[str, str] = HEADERS) -> httpx.Response:
    return httpx.post(url, json=body, headers=headers, timeout=10)


def test_a_conversation_over_http(chat_url: str) -> None:
    first = post(chat_url, {"chat": "alice", "text": "/start", "id": "m1"})
    assert first.status_code == 200
    answer = first.json()
    assert answer["duplicate"] is False
    assert any("hip" in reply["text"].lower() for reply in answer["replies"])
    start = answer["options"][0]
    assert start["label"] == "Let's start"
    tapped = post(chat_url, {"chat": "alice", "button": start["value"], "id": "m2"}).json()
    assert "None of these" in [option["label"] for option in tapped["options"]]
    retried = post(chat_url, {"chat": "alice", "button": start["value"], "id": "m2"}).json()
    assert retried == {"replies": [], "options": [], "duplicate": True}  # applied once


def test_forget_erases_the_conversation_as_on_telegram(chat_url: str) -> None:
    post(chat_url, {"chat": "bob", "text": "/start"})
    gone = post(chat_url, {"chat": "bob", "text": "/forget"}).json()
    assert gone["replies"] and not gone["duplicate"]
    again = post(chat_url, {"chat": "bob", "text": "/summary"}).json()
    assert again["replies"]  # a new conversation: the greeting's prompt, not bob's summary


def test_chats_do_not_share_a_conversation(chat_url: str) -> None:
    post(chat_url, {"chat": "carol", "text": "/start"})
    other = post(chat_url, {"chat": "dave", "text": "/start"}).json()
    assert other["options"][0]["label"] == "Let's start"


@pytest.mark.parametrize(
    "headers, body, status",
    [
        ({**HEADERS, "X-Hipbot-Secret": "wrong"}, b'{"chat": "x", "text": "hi"}', 403),
        ({"Content-Type": "application/json"}, b'{"chat": "x", "text": "hi"}', 403),
        ({**HEADERS, "Content-Type": "text/plain"}, b'{"chat": "x", "text": "hi"}', 415),
        (HEADERS, b"x" * (MAX_BODY_BYTES + 1), 413),
        (HEADERS, b"not json", 400),
        (HEADERS, b'{"chat": "x"}', 400),
        (HEADERS, b'{"chat": "x", "text": "hi", "button": "y"}', 400),
        (HEADERS, b'{"chat": "no spaces", "text": "hi"}', 400),
    ],
    ids=["wrong secret", "no secret", "not json type", "too large", "not json", "no text",
         "text and button", "bad chat name"],
)  # fmt: skip
def test_the_webhook_hardening_applies(
    chat_url: str, headers: dict[str, str], body: bytes, status: int
) -> None:
    assert httpx.post(chat_url, content=body, headers=headers, timeout=10).status_code == status


def test_other_methods_and_paths(chat_url: str) -> None:
    assert httpx.get(chat_url, timeout=10).status_code == 405
    assert httpx.post(chat_url + "x", headers=HEADERS, timeout=10).status_code == 404


def test_the_channel_parses_into_keys_and_dedupe_ids() -> None:
    channel = HttpChat()
    incoming = channel.incoming({"chat": "a", "text": "x" * 5000, "id": "7"})
    assert incoming is not None
    assert incoming.key == SessionKey("http", "a") and str(incoming.key) == "http:a"
    assert incoming.dedupe == "http:a:7" and incoming.text == "x" * channel.max_text


def test_a_missing_secret_stops_the_command() -> None:
    env = {k: v for k, v in os.environ.items() if k != "HTTP_CHAT_SECRET"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "http-chat", "--port", "1"], env=env,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "HTTP_CHAT_SECRET" in done.stderr
