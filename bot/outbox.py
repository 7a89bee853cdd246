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
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.dialogue import Option, Reply, Session, SessionFormatError
from bot.dialogue.session import json_object

MAX_COPIES = 2
"""The most copies of one reply the runner may get (README: "at most twice")."""


@dataclass(frozen=True, slots=True)
class Outbox:
    """Replies saved with their turn and not yet delivered; ``id`` tells outboxes apart."""

    id: str
    replies: tuple[Reply, ...]
    tries: int = 0
    """Attempts to send the first reply that may have gone out: one in flight (saved before
    it is sent), cut short by a crash, or timed out without an answer. At :data:`MAX_COPIES`
    the first reply is not sent again, so no reply reaches the runner more than twice."""

    @classmethod
    def new(cls, replies: Sequence[Reply]) -> Outbox:
        """A fresh outbox for ``replies``, saved just before its first attempt."""
        # only told apart from the conversation's other outboxes, never a secret; secrets'
        # system randomness cost 90 µs a call here, on every update
        return cls(f"{random.getrandbits(32):08x}", tuple(replies), tries=1)

    def after(self, unsent: Sequence[Reply], *, maybe_sent: bool) -> Outbox | None:
        """What is left once an attempt failed with ``unsent`` not delivered (the first of them
        perhaps carried out if ``maybe_sent``), or ``None`` once nothing is."""
        unsent = tuple(unsent)
        tries = 1 if maybe_sent else 0
        if unsent[:1] == self.replies[:1]:  # the same first reply: this attempt was counted
            tries = self.tries - (0 if maybe_sent else 1)
        return Outbox(self.id, unsent, max(0, tries)).capped()

    def capped(self) -> Outbox | None:
        """Without its first reply once that may have gone out :data:`MAX_COPIES` times."""
        if self.tries < MAX_COPIES:
            return self if self.replies else None
        rest = self.replies[1:]
        return Outbox(self.id, rest) if rest else None

    def attempting(self) -> Outbox:
        """This outbox as saved before another attempt: one more try of its first reply."""
        return Outbox(self.id, self.replies, self.tries + 1)


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
    box: dict[str, Any] = {"id": outbox.id, "replies": replies}
    if outbox.tries:
        box["tries"] = outbox.tries
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
    box_id, replies, tries = data.get("id"), data.get("replies"), data.get("tries", 0)
    if not isinstance(box_id, str) or not isinstance(replies, list):
        raise SessionFormatError("malformed outbox: needs an id and a list of replies")
    if type(tries) is not int or not 0 <= tries <= MAX_COPIES:
        raise SessionFormatError(f"malformed outbox: tries must be from 0 to {MAX_COPIES}")
    try:
        return Outbox(box_id, tuple(_reply(reply) for reply in replies), tries)
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
