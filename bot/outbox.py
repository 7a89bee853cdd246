"""What the service stores for a conversation: its session, and the replies not yet delivered.

With nothing pending (the usual case, and all that earlier versions stored) the record is the
plain session JSON. From the moment a turn is saved until its replies are delivered, and after a
delivery that failed, it is ``{"session": {...}, "outbox": {"id": "…", "replies": [...]}}``,
so a retried update sends those replies instead of being dropped as a duplicate. The outbox holds
only the bot's own texts (the engine never echoes what the runner typed) and is emptied as soon as
they are delivered, so at rest a record is the session alone, within its 4 KB budget.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.dialogue import Option, Reply, Session, SessionFormatError
from bot.dialogue.session import json_object


@dataclass(frozen=True, slots=True)
class Outbox:
    """Replies saved with their turn and not yet delivered; ``id`` tells outboxes apart."""

    id: str
    replies: tuple[Reply, ...]

    @classmethod
    def new(cls, replies: Sequence[Reply]) -> Outbox:
        """A fresh outbox for ``replies``."""
        return cls(secrets.token_hex(4), tuple(replies))


@dataclass(frozen=True, slots=True)
class Record:
    """One conversation as stored: no session yet, or a session and perhaps an outbox."""

    session: Session | None = None
    outbox: Outbox | None = None


def encode(session: Session | str, outbox: Outbox | None = None) -> str:
    """The stored JSON text: the plain session, or the session wrapped with its outbox.

    ``session`` may be given as its :meth:`~bot.dialogue.Session.to_json` text, so that a turn
    that is saved twice (with its outbox, then without) encodes its session once.
    """
    session_json = session if isinstance(session, str) else session.to_json()
    if outbox is None or not outbox.replies:
        return session_json
    replies = [
        {"text": r.text, "options": [[o.label, o.value] for o in r.options]}
        | ({"formatted": True} if r.formatted else {})
        | ({"picture": r.picture} if r.picture else {})
        for r in outbox.replies
    ]
    box = {"id": outbox.id, "replies": replies}
    box_json = json.dumps(box, separators=(",", ":"), ensure_ascii=False)
    return f'{{"session":{session_json},"outbox":{box_json}}}'


def decode(text: str) -> Record:
    """Read what :func:`encode` wrote (or a plain session stored by an earlier version).

    Raises:
        SessionFormatError: the text is not a session, or its outbox is malformed.
    """
    data = json_object(text)
    if "outbox" not in data:
        return Record(Session.from_dict(data))
    session, outbox = data.get("session"), data["outbox"]
    if not isinstance(session, dict) or not isinstance(outbox, dict):
        raise SessionFormatError("malformed record: session and outbox must be objects")
    return Record(Session.from_dict(session), _outbox(outbox))


def _outbox(data: dict[str, Any]) -> Outbox:
    box_id, replies = data.get("id"), data.get("replies")
    if not isinstance(box_id, str) or not isinstance(replies, list):
        raise SessionFormatError("malformed outbox: needs an id and a list of replies")
    try:
        return Outbox(box_id, tuple(_reply(reply) for reply in replies))
    except (TypeError, ValueError, KeyError) as error:
        raise SessionFormatError(f"malformed outbox reply: {error}") from error


def _reply(data: Any) -> Reply:
    text, options, formatted = data["text"], data["options"], data.get("formatted", False)
    picture = data.get("picture")
    pairs = all(isinstance(o, list) and len(o) == 2 for o in options)
    if not (
        isinstance(text, str)
        and pairs
        and all(isinstance(v, str) for o in options for v in o)
        and isinstance(formatted, bool)
        and isinstance(picture, str | None)
    ):
        raise ValueError("a reply needs a text and [label, value] options")
    return Reply(text, tuple(Option(label, value) for label, value in options), formatted, picture)
