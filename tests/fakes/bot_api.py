"""A fake Telegram Bot API: a real HTTP server on 127.0.0.1 for offline end-to-end tests.

python-telegram-bot talks to it through ``base_url`` exactly as it talks to Telegram::

    async with FakeBotAPI() as api:                         # in the test's event loop
        app = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
        api.push_update(api.make_text_update(42, "/start"))   # served by getUpdates
        await api.wait_for(method="sendMessage")
        assert api.sent_messages(42)[0]["text"] == "..."

``with api.running_in_thread():`` serves from a background thread instead (for code that runs
its own event loop, such as ``Application.run_polling``). As a separate process::

    python -m tests.fakes.bot_api --port 0 --token T --latency-ms 50
    # prints: LISTENING http://127.0.0.1:PORT

and the control endpoints (no token, never delayed or recorded) are ``GET /_calls[?method=M]``,
``GET /_sent[?chat_id=C]``, ``POST /_updates`` (an update, a list of them, or a shorthand
``{"chat_id": C, "text": T}`` / ``{"chat_id": C, "callback_data": D, "message_id": M}``),
``POST /_faults`` (the arguments of :meth:`FakeBotAPI.fail_next`; ``"status": null`` = delay only),
``POST /_latency`` (``{"ms": 50}``), ``DELETE /_calls`` and ``GET /_health``.
:class:`tests.fakes.bot_api_process.FakeBotAPIProcess` wraps all of that.

Requests are parsed like the real server does: query string, form-encoded, multipart (files are
recorded as ``{"filename": ..., "size": ...}``) or JSON bodies; string values of known typed
fields are decoded (``chat_id`` → int, ``reply_markup`` → dict, ``disable_notification`` → bool),
everything else (``text``) stays a string. Responses, error texts and status codes follow the
Bot API and the telegram-bot-api server (see /work/shared/reference/telegram_facts.md).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Final

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.fakes._bot_api_wire import (
    JSON,
    ApiError,
    chat_id_param,
    error_response,
    fault_response,
    int_param,
    markup_param,
    not_modified,
    read_params,
    set_markup,
    shown_text,
    text_param,
)

DEFAULT_TOKEN: Final = "123456789:AAfake-token-for-hipbot-tests_0123456"
DEFAULT_BOT_ID: Final = 123456789
HOST: Final = "127.0.0.1"


@dataclass(frozen=True)
class Call:
    """One Bot API request as the fake received it, in arrival order."""

    method: str
    """The method name as the Bot API spells it (``sendMessage``), or as sent if unknown."""
    params: JSON
    """All parameters, decoded (see the module docstring)."""
    at: float
    """Arrival time, :func:`time.time`."""
    fault: int | None = None
    """The status of an injected fault that answered this call, if any (0 = delay only)."""


@dataclass
class _Fault:
    method: str | None
    status: int | None
    retry_after: int
    description: str | None
    delay: float
    times: int
    chat_id: int | None = None


@dataclass
class _Webhook:
    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    ip_address: str | None = None


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    answered: list[Call] = field(default_factory=list)
    """Calls whose answer has been decided (an edit applied, a fault chosen), in that order."""
    updates: list[JSON] = field(default_factory=list)
    next_update_id: int = 100_000
    next_message_id: int = 1
    next_callback_id: int = 1
    messages: dict[tuple[int, int], JSON] = field(default_factory=dict)
    sent: list[JSON] = field(default_factory=list)
    chats: dict[int, JSON] = field(default_factory=dict)
    faults: list[_Fault] = field(default_factory=list)
    webhook: _Webhook = field(default_factory=_Webhook)
    poll_generation: int = 0
    photos: dict[str, int] = field(default_factory=dict)
    """Uploaded photos: file_id → size in bytes."""


class _QuietServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to the host process (e.g. pytest)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class FakeBotAPI:
    """An in-memory Telegram Bot API served over real HTTP on 127.0.0.1.

    Args:
        token: The only token accepted in ``/bot<token>/<method>``; others get 401.
        latency: Seconds every Bot API call waits before it is answered (without blocking other
            calls). Settable later via the :attr:`latency` attribute.
        port: TCP port; 0 picks a free one (read :attr:`port` after start).
        bot_id, bot_username: What ``getMe`` returns.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        latency: float = 0.0,
        port: int = 0,
        bot_id: int = DEFAULT_BOT_ID,
        bot_username: str = "hipbot_test_bot",
    ) -> None:
        self.token = token
        self.latency = latency
        self._requested_port = port
        self.bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "HipBot",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self._state = _State()
        self._lock = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._port: int | None = None
        self._closing = False
        self._methods: dict[str, Callable[[JSON], Awaitable[Any]]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
        }
        self._by_lower = {name.lower(): name for name in self._methods}
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
                Route("/_health", self._ctl_health, methods=["GET"]),
                Route("/_calls", self._ctl_calls, methods=["GET", "DELETE"]),
                Route("/_sent", self._ctl_sent, methods=["GET"]),
                Route("/_updates", self._ctl_updates, methods=["POST"]),
                Route("/_faults", self._ctl_faults, methods=["POST"]),
                Route("/_latency", self._ctl_latency, methods=["POST"]),
            ]
        )

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound TCP port (only after start)."""
        if self._port is None:
            raise RuntimeError("FakeBotAPI is not running")
        return self._port

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: the root, where the control endpoints live."""
        return f"http://{HOST}:{self.port}"

    @property
    def base_url(self) -> str:
        """What to pass as PTB's ``base_url``: ``http://127.0.0.1:PORT/bot``."""
        return f"{self.url}/bot"

    async def start(self) -> None:
        """Start serving in the running event loop; returns once the port is bound."""
        if self._task is not None:
            raise RuntimeError("FakeBotAPI is already running")
        await self._serve(_QuietServer(self._config()))

    async def stop(self) -> None:
        """Stop serving: pending long polls return at once, then the server shuts down."""
        if self._task is None or self._loop is None:
            return
        self._request_exit()
        try:
            await self._task
        finally:
            self._task = None

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    @contextlib.contextmanager
    def running_in_thread(self, *, timeout: float = 10.0) -> Iterator[FakeBotAPI]:
        """Serve from a background thread with its own event loop for the ``with`` block."""
        started = threading.Event()
        failure: list[BaseException] = []

        async def main() -> None:
            try:
                await self.start()
            except BaseException as exc:
                failure.append(exc)
                raise
            finally:
                started.set()
            await self.stop_when_asked()

        thread = threading.Thread(
            target=asyncio.run, args=(main(),), name="fake-bot-api", daemon=True
        )
        thread.start()
        if not started.wait(timeout) or failure:
            raise RuntimeError("FakeBotAPI did not start") from (failure[0] if failure else None)
        try:
            yield self
        finally:
            loop = self._loop
            if loop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(self._request_exit)
            thread.join(timeout)

    async def stop_when_asked(self) -> None:
        """Wait until the server exits (used by the thread and CLI runners)."""
        if self._task is not None:
            try:
                await self._task
            finally:
                self._task = None

    def _config(self) -> uvicorn.Config:
        return uvicorn.Config(
            self.app,
            host=HOST,
            port=self._requested_port,
            log_config=None,
            access_log=False,
            lifespan="off",
            ws="none",
            timeout_graceful_shutdown=2,
        )

    async def _serve(self, server: uvicorn.Server) -> None:
        self._closing = False
        self._loop = asyncio.get_running_loop()
        self._wakeup = asyncio.Event()
        self._server = server
        self._task = asyncio.create_task(server.serve(), name="fake-bot-api")
        while not server.started:
            if self._task.done():
                task, self._task = self._task, None
                await task  # re-raise the start-up failure
                raise RuntimeError("FakeBotAPI exited during start-up")
            await asyncio.sleep(0.005)
        sockets = server.servers[0].sockets
        self._port = int(sockets[0].getsockname()[1])

    def _request_exit(self) -> None:
        self._closing = True
        self._fire_wakeup()
        if self._server is not None:
            self._server.should_exit = True

    # -- test helpers: recorded calls -------------------------------------------------------

    def calls(self, method: str | None = None, *, answered: bool = False) -> list[Call]:
        """All recorded calls in arrival order, or only those of ``method``; with ``answered``,
        only calls the fake has already answered (in the order their answers were decided)."""
        with self._lock:
            recorded = self._state.answered if answered else self._state.calls
            return [c for c in recorded if method is None or c.method == method]

    def clear_calls(self) -> None:
        """Forget the recorded calls (not the messages or updates)."""
        with self._lock:
            self._state.calls.clear()
            self._state.answered.clear()

    def sent_messages(self, chat_id: int | None = None) -> list[JSON]:
        """Messages returned by ``sendMessage`` (as sent, before any edit), oldest first."""
        with self._lock:
            return [
                copy.deepcopy(m)
                for m in self._state.sent
                if chat_id is None or m["chat"]["id"] == chat_id
            ]

    def message(self, chat_id: int, message_id: int) -> JSON | None:
        """The current state of a bot message (after edits), or ``None`` if unknown/deleted."""
        with self._lock:
            found = self._state.messages.get((chat_id, message_id))
            return copy.deepcopy(found) if found is not None else None

    async def wait_for(
        self,
        condition: int | Callable[[Call], bool] = 1,
        *,
        method: str | None = None,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - the error then lists what was recorded
        answered: bool = False,
    ) -> list[Call]:
        """Wait until enough calls are recorded; return the matching calls.

        ``condition`` is either a number of calls (of ``method`` if given) or a predicate; with a
        predicate, waits for ``count`` calls (of ``method``) for which it is true. A call is
        recorded when it arrives, before its answer; with ``answered``, waits until the fake has
        answered them, so their effect (an edit, a sent message) can be read. Raises
        :class:`TimeoutError` listing what was recorded. Safe from any event loop or thread.
        """
        deadline = time.monotonic() + timeout
        while True:
            found, enough = self._matching(condition, method, count, answered)
            if enough:
                return found
            if time.monotonic() >= deadline:
                raise self._timeout(condition, method, count, timeout)
            await asyncio.sleep(0.005)

    def wait_for_sync(
        self,
        condition: int | Callable[[Call], bool] = 1,
        *,
        method: str | None = None,
        count: int = 1,
        timeout: float = 5.0,
        answered: bool = False,
    ) -> list[Call]:
        """Blocking :meth:`wait_for` for threads that are not running the server's loop."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found, enough = self._matching(condition, method, count, answered)
                if enough:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise self._timeout(condition, method, count, timeout)
                self._lock.wait(remaining)

    def _matching(
        self,
        condition: int | Callable[[Call], bool],
        method: str | None,
        count: int,
        answered: bool,
    ) -> tuple[list[Call], bool]:
        calls = self.calls(method, answered=answered)
        if isinstance(condition, int):
            if count != 1:
                raise ValueError(
                    "a number of calls goes in `condition`; `count` is for predicates"
                )
            return calls, len(calls) >= condition
        found = [c for c in calls if condition(c)]
        return found, len(found) >= count

    def _timeout(
        self,
        condition: int | Callable[[Call], bool],
        method: str | None,
        count: int,
        timeout: float,
    ) -> TimeoutError:
        wanted = f"{condition} call(s)" if isinstance(condition, int) else f"{count} match(es)"
        seen = [c.method for c in self.calls()]
        return TimeoutError(
            f"waited {timeout:g} s for {wanted} of {method or 'any method'}; recorded: {seen}"
        )

    # -- test helpers: updates and faults ---------------------------------------------------

    def push_update(self, update: JSON) -> JSON:
        """Queue ``update`` for ``getUpdates``; assigns the next ``update_id``; returns it."""
        update = copy.deepcopy(update)
        with self._lock:
            update["update_id"] = self._state.next_update_id
            self._state.next_update_id += 1
            for chat in _chats_in(update):
                self._state.chats.setdefault(chat["id"], chat)
            self._state.updates.append(update)
            self._lock.notify_all()
        self._wake_pollers()
        return copy.deepcopy(update)

    def push_text(self, chat_id: int, text: str, **options: Any) -> JSON:
        """``push_update(make_text_update(chat_id, text, **options))``."""
        return self.push_update(self.make_text_update(chat_id, text, **options))

    def push_callback(self, chat_id: int, data: str, message_id: int, **options: Any) -> JSON:
        """``push_update(make_callback_update(chat_id, data, message_id, **options))``."""
        return self.push_update(self.make_callback_update(chat_id, data, message_id, **options))

    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by a ``getUpdates`` offset."""
        with self._lock:
            return copy.deepcopy(self._state.updates)

    def make_text_update(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Runner",
        username: str | None = "runner",
        language_code: str | None = "en",
    ) -> JSON:
        """A ``message`` update (no ``update_id`` yet) as Telegram sends it for typed text.

        A leading ``/command`` gets its ``bot_command`` entity, as Telegram adds it.
        """
        uid = user_id if user_id is not None else _default_user(chat_id)
        user = _user(uid, first_name, username, language_code)
        with self._lock:
            message_id = self._take_message_id()
            chat = self._chat(chat_id, chat_type, user)
        message: JSON = {
            "message_id": message_id,
            "from": user,
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            length = len(command.encode("utf-16-le")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"message": message}

    def make_callback_update(
        self,
        chat_id: int,
        data: str,
        message_id: int,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Runner",
        username: str | None = "runner",
        language_code: str | None = "en",
    ) -> JSON:
        """A ``callback_query`` update for pressing a button with ``data`` under a bot message.

        If the fake sent ``message_id`` to ``chat_id``, the update carries that message (with
        its current text and keyboard), as Telegram does.
        """
        uid = user_id if user_id is not None else _default_user(chat_id)
        user = _user(uid, first_name, username, language_code)
        with self._lock:
            query_id = f"{self._state.next_callback_id}{chat_id & 0xFFFF:05d}"
            self._state.next_callback_id += 1
            message = self._state.messages.get((chat_id, message_id))
            if message is None:
                message = {
                    "message_id": message_id,
                    "from": self.bot_user,
                    "chat": self._chat(chat_id, chat_type, user),
                    "date": int(time.time()),
                    "text": "",
                }
            message = copy.deepcopy(message)
        return {
            "callback_query": {
                "id": query_id,
                "from": user,
                "chat_instance": str(-abs(chat_id) * 7919),
                "data": data,
                "message": message,
            }
        }

    def fail_next(
        self,
        method: str | None = None,
        *,
        status: int = 429,
        retry_after: int = 1,
        description: str | None = None,
        delay: float = 0.0,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (``None`` = any) with an error; with
        ``chat_id``, only calls for that chat (a chat flooded with messages gets its own 429s).

        ``status`` 429 carries ``parameters.retry_after`` and a ``Retry-After`` header (PTB
        raises ``RetryAfter``); 403 → ``Forbidden``; 400 → ``BadRequest``; 5xx → ``NetworkError``.
        ``delay`` seconds pass before the error is sent.
        """
        self._add_fault(_Fault(method, status, retry_after, description, delay, times, chat_id))

    def delay_next(self, method: str | None, seconds: float, *, times: int = 1) -> None:
        """Hold the next ``times`` calls of ``method`` for ``seconds``, then answer normally."""
        self._add_fault(_Fault(method, None, 0, None, seconds, times))

    def _add_fault(self, fault: _Fault) -> None:
        if fault.method is not None:
            fault.method = self._by_lower.get(fault.method.lower(), fault.method)
        with self._lock:
            self._state.faults.append(fault)

    # -- HTTP: the Bot API ------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return error_response(401, "Unauthorized")
        sent_name = str(request.path_params["method"])
        method = self._by_lower.get(sent_name.lower(), sent_name)
        try:
            params = await read_params(request)
        except ValueError as exc:
            return error_response(400, f"Bad Request: {exc}")
        with self._lock:
            fault = self._take_fault(method, params)
            code = None if fault is None else (fault.status or 0)
            call = Call(method, params, time.time(), code)
            self._state.calls.append(call)
            self._lock.notify_all()
        try:
            return await self._answer(method, params, fault)
        finally:
            with self._lock:
                self._state.answered.append(call)
                self._lock.notify_all()

    async def _answer(self, method: str, params: JSON, fault: _Fault | None) -> Response:
        await asyncio.sleep(self.latency + (fault.delay if fault else 0.0))
        if fault is not None and fault.status is not None:
            return fault_response(
                fault.status, retry_after=fault.retry_after, description=fault.description
            )
        handler = self._methods.get(method)
        if handler is None:
            return error_response(404, "Not Found: method not found")
        try:
            result = await handler(params)
        except ApiError as exc:
            return error_response(exc.status, exc.description)
        return JSONResponse({"ok": True, "result": result})

    def _take_fault(self, method: str, params: JSON) -> _Fault | None:
        for fault in self._state.faults:
            if fault.chat_id is not None and str(params.get("chat_id")) != str(fault.chat_id):
                continue
            if fault.method is None or fault.method == method:
                fault.times -= 1
                if fault.times <= 0:
                    self._state.faults.remove(fault)
                return fault
        return None

    async def _get_me(self, _: JSON) -> JSON:
        return self.bot_user

    async def _get_updates(self, p: JSON) -> list[JSON]:
        offset, limit = p.get("offset"), int(p.get("limit") or 100)
        timeout = float(p.get("timeout") or 0)
        if not 1 <= limit <= 100:
            limit = 100
        with self._lock:
            if self._state.webhook.url:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            self._state.poll_generation += 1
            generation = self._state.poll_generation
            self._confirm(offset)
        self._fire_wakeup()  # an older long poll must end now
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            with self._lock:
                if generation != self._state.poll_generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; "
                        "make sure that only one bot instance is running",
                    )
                batch = copy.deepcopy(self._state.updates[:limit])
            remaining = deadline - loop.time()
            if batch or self._closing or remaining <= 0:
                return batch
            assert self._wakeup is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)

    def _confirm(self, offset: Any) -> None:
        if offset is None:
            return
        offset = int(offset)
        updates = self._state.updates
        if offset < 0:
            self._state.updates = updates[offset:]
        else:
            self._state.updates = [u for u in updates if u["update_id"] >= offset]

    async def _set_webhook(self, p: JSON) -> bool:
        url = p.get("url")
        if url is None:
            raise ApiError(400, "Bad Request: bad webhook: URL must be provided")
        with self._lock:
            if p.get("drop_pending_updates"):
                self._state.updates.clear()
            self._state.webhook = _Webhook(
                url=str(url),
                secret_token=p.get("secret_token"),
                max_connections=int(p.get("max_connections") or 40),
                allowed_updates=p.get("allowed_updates"),
                ip_address=p.get("ip_address"),
            )
            self._state.poll_generation += 1  # cancels a pending long poll
        self._fire_wakeup()
        return True

    async def _delete_webhook(self, p: JSON) -> bool:
        with self._lock:
            if p.get("drop_pending_updates"):
                self._state.updates.clear()
            self._state.webhook = _Webhook()
        return True

    async def _get_webhook_info(self, _: JSON) -> JSON:
        with self._lock:
            hook = self._state.webhook
            info: JSON = {
                "url": hook.url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._state.updates),
            }
            if hook.url:
                info["max_connections"] = hook.max_connections
                if hook.allowed_updates is not None:
                    info["allowed_updates"] = hook.allowed_updates
                if hook.ip_address:
                    info["ip_address"] = hook.ip_address
        return info

    async def _send_message(self, p: JSON) -> JSON:
        chat_id = chat_id_param(p)
        text = text_param(p)
        markup = markup_param(p)
        with self._lock:
            message: JSON = {
                "message_id": self._take_message_id(),
                "from": self.bot_user,
                "chat": self._chat(chat_id, None, None),
                "date": int(time.time()),
                "text": text,
            }
            if p.get("entities"):
                message["entities"] = p["entities"]
            if markup is not None and "inline_keyboard" in markup:
                message["reply_markup"] = markup
            self._state.messages[(chat_id, message["message_id"])] = message
            self._state.sent.append(copy.deepcopy(message))
            return copy.deepcopy(message)

    async def _send_photo(self, p: JSON) -> JSON:
        """An uploaded photo (a multipart file) gets a file_id; a known file_id is sent again."""
        chat_id = chat_id_param(p)
        photo, caption, markup = p.get("photo"), p.get("caption"), markup_param(p)
        if isinstance(photo, str) and photo.startswith("attach://"):
            photo = p.get(photo.removeprefix("attach://"))
        if caption is not None and len(shown_text(str(caption), p.get("parse_mode"))) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        with self._lock:
            if isinstance(photo, dict) and photo.get("size"):
                file_id = f"photo-{len(self._state.photos) + 1}"
                self._state.photos[file_id] = int(photo["size"])
            elif isinstance(photo, str) and photo in self._state.photos:
                file_id = photo
            else:
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
            size = {"width": 800, "height": 400, "file_size": self._state.photos[file_id]}
            message: JSON = {
                "message_id": self._take_message_id(),
                "from": self.bot_user,
                "chat": self._chat(chat_id, None, None),
                "date": int(time.time()),
                "photo": [{"file_id": file_id, "file_unique_id": f"u{file_id}", **size}],
            }
            if caption:
                message["caption"] = caption
            if markup is not None and "inline_keyboard" in markup:
                message["reply_markup"] = markup
            self._state.messages[(chat_id, message["message_id"])] = message
            self._state.sent.append(copy.deepcopy(message))
            return copy.deepcopy(message)

    async def _edit_message_reply_markup(self, p: JSON) -> JSON | bool:
        markup = markup_param(p)
        with self._lock:
            message = self._editable(p)
            if message.get("reply_markup") == markup:
                raise not_modified()
            set_markup(message, markup)
            message["edit_date"] = int(time.time())
            return copy.deepcopy(message)

    async def _answer_callback_query(self, p: JSON) -> bool:
        if not p.get("callback_query_id"):
            raise ApiError(400, "Bad Request: query_id is empty")
        if len(str(p.get("text") or "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    async def _send_chat_action(self, p: JSON) -> bool:
        chat_id_param(p)
        if not p.get("action"):
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _set_my_commands(self, p: JSON) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        return True  # the menu is checked through the recorded call

    # -- state helpers (call with self._lock held) ------------------------------------------

    def _take_message_id(self) -> int:
        message_id = self._state.next_message_id
        self._state.next_message_id += 1
        return message_id

    def _chat(self, chat_id: int, chat_type: str | None, user: JSON | None) -> JSON:
        known = self._state.chats.get(chat_id)
        if known is not None:
            return copy.deepcopy(known)
        chat_type = chat_type or ("private" if chat_id > 0 else "group")
        chat: JSON = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = (user or {}).get("first_name", "Runner")
            if user and user.get("username"):
                chat["username"] = user["username"]
        else:
            chat["title"] = "Test group"
        self._state.chats[chat_id] = chat
        return copy.deepcopy(chat)

    def _editable(self, p: JSON) -> JSON:
        message = self._state.messages.get((chat_id_param(p), int_param(p, "message_id")))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    # -- cross-thread wake-ups --------------------------------------------------------------

    def _wake_pollers(self) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._fire_wakeup()
        else:
            with contextlib.suppress(RuntimeError):  # loop closed meanwhile
                loop.call_soon_threadsafe(self._fire_wakeup)

    def _fire_wakeup(self) -> None:
        # Runs on the server loop: wake every waiter, then arm a fresh event for the next ones.
        if self._wakeup is not None:
            self._wakeup.set()
            self._wakeup = asyncio.Event()

    # -- HTTP: control endpoints for other processes ----------------------------------------

    async def _ctl_health(self, _: Request) -> Response:
        return PlainTextResponse("ok")

    async def _ctl_calls(self, request: Request) -> Response:
        if request.method == "DELETE":
            self.clear_calls()
            return JSONResponse({"ok": True})
        method = request.query_params.get("method")
        return JSONResponse([asdict(c) for c in self.calls(method)])

    async def _ctl_sent(self, request: Request) -> Response:
        chat_id = request.query_params.get("chat_id")
        return JSONResponse(self.sent_messages(None if chat_id is None else int(chat_id)))

    async def _ctl_updates(self, request: Request) -> Response:
        body = await request.json()
        items = body if isinstance(body, list) else [body]
        pushed = []
        for item in items:
            if "text" in item and "chat_id" in item:
                update = self.make_text_update(item["chat_id"], item["text"])
            elif "callback_data" in item and "chat_id" in item:
                update = self.make_callback_update(
                    item["chat_id"], item["callback_data"], item["message_id"]
                )
            else:
                update = item
            pushed.append(self.push_update(update))
        return JSONResponse(pushed)

    async def _ctl_faults(self, request: Request) -> Response:
        body = await request.json()
        if "status" in body and body["status"] is None:  # a delay, then a normal answer
            self.delay_next(body.get("method"), float(body["delay"]), times=body.get("times", 1))
        else:
            self.fail_next(**body)
        return JSONResponse({"ok": True})

    async def _ctl_latency(self, request: Request) -> Response:
        body = await request.json()
        self.latency = float(body["ms"]) / 1000
        return JSONResponse({"ok": True, "latency_ms": body["ms"]})


# -- update builders ----------------------------------------------------------------------


def _user(user_id: int, first_name: str, username: str | None, language_code: str | None) -> JSON:
    user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def _default_user(chat_id: int) -> int:
    return chat_id if chat_id > 0 else 777_000_001


def _chats_in(update: JSON) -> Iterator[JSON]:
    for value in update.values():
        if isinstance(value, dict):
            chat = value.get("chat") or (value.get("message") or {}).get("chat")
            if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                yield chat


# -- command line ---------------------------------------------------------------------------


async def _main(args: argparse.Namespace) -> None:
    api = FakeBotAPI(token=args.token, latency=args.latency_ms / 1000, port=args.port)
    config = api._config()
    await api._serve(uvicorn.Server(config))  # the CLI lets uvicorn handle SIGINT/SIGTERM
    print(f"LISTENING {api.url}", flush=True)
    await api.stop_when_asked()


def main(argv: list[str] | None = None) -> None:
    """Run the fake until SIGINT/SIGTERM; print ``LISTENING http://127.0.0.1:PORT`` when ready."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakes.bot_api",
        description="A fake Telegram Bot API on 127.0.0.1 (see tests/fakes/bot_api.py).",
    )
    parser.add_argument("--port", type=int, default=0, help="TCP port; 0 = any free port")
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="the accepted bot token")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay of every call")
    asyncio.run(_main(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
