"""Reading updates from their Bot API JSON, and agreeing with python-telegram-bot's parse."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Bot, Update

from bot.channels.inbound import Inbound, Kind, parse_update

RUNNER = {"id": 7, "is_bot": False, "first_name": "Runner"}
BOT_USER = {"id": 4242, "is_bot": True, "first_name": "HipBot", "username": "hipbot"}
PRIVATE = {"id": 7, "type": "private", "first_name": "Runner"}
GROUP = {"id": -100, "type": "supergroup", "title": "Runners"}


GONE = object()
"""As a field's value: leave the field out."""


def _fields(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in {**base, **changes}.items() if v is not GONE}


def message(**changes: Any) -> dict[str, Any]:
    base = {"message_id": 3, "date": 1_700_000_000, "chat": PRIVATE, "from": RUNNER,
            "text": "my hip hurts"}  # fmt: skip
    return _fields(base, changes)


def button(**changes: Any) -> dict[str, Any]:
    base = {"id": "99", "from": RUNNER, "chat_instance": "c", "data": "4:yes",
            "message": message(**{"from": BOT_USER})}  # fmt: skip
    return _fields(base, changes)


UPDATES = {
    "text": ({"update_id": 1, "message": message()},
             Inbound(1, Kind.MESSAGE, chat_id=7, private=True, text="my hip hurts")),
    "photo": ({"update_id": 2, "message": message(text=GONE)},
              Inbound(2, Kind.MESSAGE, chat_id=7, private=True)),
    "group reply to the bot": (
        {"update_id": 3, "message": message(chat=GROUP, reply_to_message=message(
            chat=GROUP, **{"from": BOT_USER}))},
        Inbound(3, Kind.MESSAGE, chat_id=-100, text="my hip hurts", reply_to_user=4242)),
    "button": ({"update_id": 4, "callback_query": button()},
               Inbound(4, Kind.BUTTON, chat_id=7, private=True, query_id="99", data="4:yes",
                       message_id=3)),
    "button without data": ({"update_id": 5, "callback_query": button(data=GONE)},
                            Inbound(5, Kind.BUTTON, chat_id=7, private=True, query_id="99",
                                    message_id=3)),
    "button under a message Telegram no longer has": (
        {"update_id": 6, "callback_query": button(message=GONE)},
        Inbound(6, Kind.BUTTON, query_id="99", data="4:yes")),
    "edited message": ({"update_id": 7, "edited_message": message(edit_date=1)},
                       Inbound(7)),
    "nothing but an id": ({"update_id": 8}, Inbound(8)),
}  # fmt: skip


@pytest.mark.parametrize("data, expected", UPDATES.values(), ids=UPDATES.keys())
def test_reads_what_the_channel_needs(data: dict[str, Any], expected: Inbound) -> None:
    assert parse_update(data) == expected


@pytest.mark.parametrize("data, expected", UPDATES.values(), ids=UPDATES.keys())
def test_polling_reads_the_same_through_ptb(data: dict[str, Any], expected: Inbound) -> None:
    update = Update.de_json(data, Bot("123:abc"))
    assert Inbound.from_update(update) == expected


MALFORMED = {
    "not an object": [],
    "no update id": {"message": message()},
    "update id not an int": {"update_id": "1", "message": message()},
    "update id a bool": {"update_id": True, "message": message()},
    "message not an object": {"update_id": 1, "message": "hi"},
    "message without date": {"update_id": 1, "message": message(date=GONE)},
    "chat id a string": {"update_id": 1, "message": message(chat={"id": "7", "type": "private"})},
    "chat without type": {"update_id": 1, "message": message(chat={"id": 7})},
    "text not a string": {"update_id": 1, "message": message(text=["a"])},
    "from not a user": {"update_id": 1, "message": message(**{"from": "me"})},
    "reply not a message": {"update_id": 1, "message": message(reply_to_message=5)},
    "reply from not a user": {
        "update_id": 1, "message": message(reply_to_message={"from": {"id": "x"}})},
    "button data not a string": {"update_id": 1, "callback_query": button(data=7)},
    "button without id": {"update_id": 1, "callback_query": button(id=GONE)},
    "button without from": {"update_id": 1, "callback_query": button(**{"from": GONE})},
    "button message malformed": {"update_id": 1, "callback_query": button(message=3)},
}  # fmt: skip


@pytest.mark.parametrize("data", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_update_is_none(data: Any) -> None:
    assert parse_update(data) is None
