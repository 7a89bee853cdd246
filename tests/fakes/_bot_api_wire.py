"""The Bot API wire format for the fake: request parameters in, ``{"ok": ...}`` JSON out.

Parameters arrive as a query string, form-encoded, multipart or JSON; PTB JSON-encodes every
non-string value inside forms, so known typed fields are decoded here as the real server does.
Validation helpers raise :class:`ApiError` with the real server's error texts.
"""

from __future__ import annotations

import email.policy
import html
import json
import re
from email.parser import BytesParser
from typing import Any, Final
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

JSON = dict[str, Any]

_INT_FIELDS: Final = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "message_thread_id",
        "reply_to_message_id",
        "user_id",
        "offset",
        "limit",
        "cache_time",
        "max_connections",
        "update_id",
    }
)
_FLOAT_FIELDS: Final = frozenset({"timeout"})
_BOOL_FIELDS: Final = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "allow_paid_broadcast",
        "has_spoiler",
    }
)
_JSON_FIELDS: Final = frozenset(
    {"reply_markup", "commands", "scope", "allowed_updates", "media", "results"}
)
_JSON_SUFFIXES: Final = ("entities", "_markup", "_options", "_parameters")

_ERROR_TEXT: Final = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    """A Bot API error answer: HTTP ``status`` and the ``description`` text."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


async def read_params(request: Request) -> JSON:
    """All parameters of a Bot API request (query string plus body), decoded."""
    raw: JSON = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    body = await request.body()
    if body:
        if content_type.startswith("application/json"):
            try:
                loaded = json.loads(body)
            except ValueError:
                raise ValueError("can't parse JSON body") from None
            if not isinstance(loaded, dict):
                raise ValueError("JSON body must be an object")
            raw.update(loaded)
        elif content_type.startswith("multipart/form-data"):
            raw.update(parse_multipart(body, content_type))
        else:  # application/x-www-form-urlencoded, or no content type
            raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return {name: decode_param(name, value) for name, value in raw.items()}


def parse_multipart(body: bytes, content_type: str) -> JSON:
    """Form fields of a multipart body; a file becomes ``{"filename": ..., "size": ...}``."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields: JSON = {}
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition"))
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            fields[name] = {"filename": filename, "size": len(data)}
        else:
            fields[name] = data.decode("utf-8")
    return fields


def decode_param(name: str, value: Any) -> Any:
    """Decode a form string by field: ints, floats, booleans and JSON objects; else as is."""
    if not isinstance(value, str):
        return value
    try:
        if name in _INT_FIELDS and value.lstrip("-").isdigit():
            return int(value)
        if name in _FLOAT_FIELDS:
            return float(value)
        if name in _BOOL_FIELDS and value in ("true", "false"):
            return value == "true"
        if name in _JSON_FIELDS or name.endswith(_JSON_SUFFIXES):
            return json.loads(value)
    except ValueError:
        raise ValueError(f"can't parse {name}") from None
    return value


def error_response(status: int, description: str) -> Response:
    """``{"ok": false, "error_code": status, "description": ...}`` with that HTTP status."""
    body = {"ok": False, "error_code": status, "description": description}
    return JSONResponse(body, status_code=status)


def fault_response(status: int, *, retry_after: int, description: str | None) -> Response:
    """An injected error: 429 carries ``parameters.retry_after`` and ``Retry-After``."""
    if status == 429:
        description = description or f"Too Many Requests: retry after {retry_after}"
        body = {
            "ok": False,
            "error_code": 429,
            "description": description,
            "parameters": {"retry_after": retry_after},
        }
        headers = {"Retry-After": str(retry_after)}
        return JSONResponse(body, status_code=429, headers=headers)
    return error_response(status, description or _ERROR_TEXT.get(status, f"Error {status}"))


def not_modified() -> ApiError:
    """The error for an edit that changes nothing."""
    return ApiError(
        400,
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message",
    )


def int_param(p: JSON, name: str) -> int:
    """A required integer parameter."""
    value = p.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        problem = "is empty" if value is None else "is invalid"
        raise ApiError(400, f"Bad Request: {name} {problem}")
    return value


def chat_id_param(p: JSON) -> int:
    """``chat_id``; ``@username`` chats are unknown to the fake."""
    value = p.get("chat_id")
    if isinstance(value, str) and value.startswith("@"):
        raise ApiError(400, "Bad Request: chat not found")
    return int_param(p, "chat_id")


def text_param(p: JSON) -> str:
    """``text``: 1-4096 characters, not blank."""
    text = p.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(text) > 4096:
        raise ApiError(400, "Bad Request: message is too long")
    return text


def markup_param(p: JSON) -> JSON | None:
    """``reply_markup``, checking inline buttons (``callback_data`` is 1-64 UTF-8 bytes)."""
    markup = p.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if not button.get("text"):
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
    return markup


def set_markup(message: JSON, markup: JSON | None) -> None:
    """Attach an inline keyboard to a message, or remove it (as edits without one do)."""
    if markup is not None and "inline_keyboard" in markup and markup["inline_keyboard"]:
        message["reply_markup"] = markup
    else:
        message.pop("reply_markup", None)


def shown_text(text: str, parse_mode: Any) -> str:
    """The text a user sees: with ``parse_mode`` HTML, without its tags and entities."""
    if str(parse_mode).upper() != "HTML":
        return text
    return html.unescape(re.sub(r"<[^<>]*>", "", text))
