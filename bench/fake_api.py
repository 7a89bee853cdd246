"""A lean fake Telegram Bot API for load tests: every call is answered after ``latency`` seconds.

Unlike ``tests/fakes/bot_api.py`` (strict, records everything, for correctness tests) this one
does the minimum per call so that the load generator, not the fake, is never the bottleneck.
It tells a listener about every message sent, with its chat id, text and buttons.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web

BOT_ID = 4242
Sent = Callable[[int, str, list[str]], None]


def _params(body: bytes, content_type: str) -> dict[str, Any]:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        data = json.loads(body)
        return data if isinstance(data, dict) else {}
    return {key: values[-1] for key, values in parse_qs(body.decode()).items()}


def _buttons(markup: Any) -> list[str]:
    if isinstance(markup, str):
        markup = json.loads(markup)
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard") or []
    return [button.get("callback_data", "") for row in rows for button in row]


class LeanBotAPI:
    """Serves ``/bot<token>/<method>`` on 127.0.0.1; counts calls; reports sent messages."""

    def __init__(self, *, token: str, latency: float, on_sent: Sent | None = None) -> None:
        self.token = token
        self.latency = latency
        self.on_sent = on_sent
        self.calls = 0
        self.sent = 0
        self._message_id = 0
        self._texts: dict[int, tuple[int, str]] = {}
        """message_id → (chat_id, text) of the messages sent, for the edits' answers."""
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        """PTB's ``base_url`` for this fake."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        """Serve on a free port."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=2048)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        self.calls += 1
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"].lower()
        params = _params(await request.read(), request.content_type)
        if self.latency:
            await asyncio.sleep(self.latency)
        return web.json_response({"ok": True, "result": self._result(method, params)})

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getme":
            return {"id": BOT_ID, "is_bot": True, "first_name": "HipBot", "username": "hipbot_bench_bot",
                    "can_join_groups": True, "can_read_all_group_messages": False,
                    "supports_inline_queries": False}  # fmt: skip
        if method == "editmessagereplymarkup":
            # Telegram answers an edit of a message (not an inline one) with the whole edited
            # message, as it does sendMessage, not with True.
            message_id = int(params.get("message_id", 0))
            chat_id, text = self._texts.pop(message_id, (int(params.get("chat_id", 0)), ""))
            return {
                "message_id": message_id,
                "date": int(time.time()),
                "edit_date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Runner"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "HipBot"},
                "text": text,
            }
        if method != "sendmessage":
            return True
        self.sent += 1
        self._message_id += 1
        chat_id = int(params.get("chat_id", 0))
        text = str(params.get("text", ""))
        buttons = _buttons(params.get("reply_markup"))
        if buttons:  # only a message with buttons is edited later (its keyboard removed)
            self._texts[self._message_id] = (chat_id, text)
        if self.on_sent is not None:
            self.on_sent(chat_id, text, buttons)
        return {
            "message_id": self._message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "HipBot"},
            "text": text,
        }
