"""One conversation's state as plain JSON: where we are, what the runner said, how to undo it."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

SESSION_FORMAT = 1
MAX_HISTORY = 40
MAX_JSON_BYTES = 4000
"""Stored sessions stay under this size (UTF-8 JSON); the oldest undo records go first."""


class SessionFormatError(ValueError):
    """Stored session JSON cannot be read (corrupt, or from an unknown format version)."""


def json_object(text: str) -> dict[str, Any]:
    """Parse stored JSON that must be an object; :class:`SessionFormatError` otherwise."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SessionFormatError(f"session is not JSON: {error}") from error
    if not isinstance(data, dict):
        raise SessionFormatError("session JSON must be an object")
    return data


@dataclass
class Undo:
    """What one turn changed, so ``/back`` can restore the exact earlier state."""

    state: str
    question: str | None
    answers: dict[str, bool | str | None]
    age: int | str | None
    asked: int
    unread: int


_UNSET = "-"  # in Undo.answers / Undo.age: the value did not exist before the turn
_NONE = type(None)
_SESSION_TYPES: dict[str, tuple[type, ...]] = {
    "state": (str,), "question": (str, _NONE), "answers": (dict,), "age": (int, _NONE),
    "asked": (list,), "unread": (int,), "step": (int,), "paused": (bool,),
    "updated_at": (int, float), "history": (list,), "checkin": (int, float, _NONE),
    "follow": (dict, _NONE), "plan": (dict, _NONE), "for_someone": (bool,),
}  # fmt: skip
_UNDO_TYPES: dict[str, tuple[type, ...]] = {
    "state": (str,), "question": (str, _NONE), "answers": (dict,), "age": (int, str, _NONE),
    "asked": (int,), "unread": (int,),
}  # fmt: skip


def _check_types(data: dict[str, Any], types: dict[str, tuple[type, ...]], where: str) -> None:
    """Raise :class:`SessionFormatError` if a known field of ``data`` has the wrong JSON type."""
    for key, value in data.items():
        if key in types and not isinstance(value, types[key]):
            kind = type(value).__name__
            raise SessionFormatError(f"malformed session: {where}{key} is a {kind}")


def _changed_nothing(record: Undo) -> bool:
    return not record.answers and record.age == _UNSET


@dataclass
class Session:
    """Everything the engine needs to carry a conversation over to the next message."""

    state: str
    question: str | None = None
    answers: dict[str, bool | None] = field(default_factory=dict)
    age: int | None = None
    asked: list[str] = field(default_factory=list)
    unread: int = 0
    step: int = 0
    paused: bool = False
    updated_at: float = 0.0
    history: list[Undo] = field(default_factory=list)
    checkin: float | None = None
    """When a check-in the runner asked for falls due (seconds since the epoch), if any."""
    follow: dict[str, Any] | None = None
    """The follow-up: when the consultation was, its urgency, and a check-in's open question."""
    plan: dict[str, Any] | None = None
    """The return-to-running plan: its step, safe runs in a row, and the runs logged."""
    for_someone: bool = False
    """The conversation is about someone the writer is writing for (a parent for a child): "he"
    and "she" are the runner."""

    def copy(self) -> Session:
        """An independent copy (the engine never mutates the caller's session); built field by
        field because :func:`dataclasses.replace` is slow and this runs every turn."""
        return Session(
            self.state, self.question, dict(self.answers), self.age, list(self.asked),
            self.unread, self.step, self.paused, self.updated_at,
            [Undo(u.state, u.question, dict(u.answers), u.age, u.asked, u.unread)
             for u in self.history],
            self.checkin,
            copy.deepcopy(self.follow) if self.follow is not None else None,
            copy.deepcopy(self.plan) if self.plan is not None else None,
            self.for_someone,
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form, with a format version (built by hand: this runs every turn)."""
        data: dict[str, Any] = {
            "state": self.state,
            "question": self.question,
            "answers": dict(self.answers),
            "age": self.age,
            "asked": list(self.asked),
            "unread": self.unread,
            "step": self.step,
            "paused": self.paused,
            "updated_at": self.updated_at,
            "history": [
                {
                    "state": u.state,
                    "question": u.question,
                    "answers": dict(u.answers),
                    "age": u.age,
                    "asked": u.asked,
                    "unread": u.unread,
                }
                for u in self.history
            ],
            "v": SESSION_FORMAT,
        }
        for name in ("checkin", "follow", "plan"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.for_someone:
            data["for_someone"] = True
        return data

    def to_json(self) -> str:
        """Compact JSON text for a session store."""
        return json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        """Rebuild a session from :meth:`to_dict` output."""
        if data.get("v") != SESSION_FORMAT:
            raise SessionFormatError(f"unsupported session format {data.get('v')!r}")
        _check_types(data, _SESSION_TYPES, "")
        history = data.get("history", [])
        if not all(isinstance(undo, dict) for undo in history):
            raise SessionFormatError("malformed session: history holds a non-object")
        for undo in history:
            _check_types(undo, _UNDO_TYPES, "history.")
        values = [*data.get("answers", {}).values()]
        values += [v for undo in history for v in undo.get("answers", {}).values()]
        if any(v not in (True, False, None, _UNSET) for v in values):
            raise SessionFormatError("malformed session: an answer is not true, false or null")
        if not all(isinstance(finding, str) for finding in data.get("asked", [])):
            raise SessionFormatError("malformed session: asked holds a non-string")
        try:
            fields = {k: v for k, v in data.items() if k != "v"}
            fields["history"] = [Undo(**u) for u in fields.get("history", [])]
            return cls(**fields)
        except TypeError as error:
            raise SessionFormatError(f"malformed session: {error}") from error

    @classmethod
    def from_json(cls, text: str) -> Session:
        """Rebuild a session from stored JSON text."""
        return cls.from_dict(json_object(text))

    def fit(self, limit: int = MAX_JSON_BYTES) -> str:
        """Drop the oldest undo records until :meth:`to_json` takes at most ``limit`` bytes;
        returns that JSON text."""
        text = self.to_json()
        while self.history and len(text.encode()) > limit:
            del self.history[0]
            text = self.to_json()
        return text

    def remember(self) -> Undo:
        """Start an undo record for the turn about to change this session."""
        record = Undo(self.state, self.question, {}, _UNSET, len(self.asked), self.unread)
        self.history.append(record)
        del self.history[:-MAX_HISTORY]
        return record

    def forget_if_unchanged(self, record: Undo) -> None:
        """Drop ``record`` (the latest) if its turn changed no answer, so ``/back`` skips it."""
        if self.history and self.history[-1] is record and _changed_nothing(record):
            self.history.pop()

    def has_answer(self, finding: str, value: bool | None) -> bool:
        """Whether ``finding`` is already answered with exactly ``value``."""
        return finding in self.answers and self.answers[finding] is value

    def set_answer(self, record: Undo, finding: str, value: bool | None) -> None:
        """Record an answer, noting its previous value in ``record`` for ``/back``."""
        if finding not in record.answers:
            record.answers[finding] = self.answers.get(finding, _UNSET)
        self.answers[finding] = value

    def set_age(self, record: Undo, age: int) -> None:
        """Record the runner's age, noting the previous value for ``/back``."""
        if record.age == _UNSET:
            record.age = self.age
        self.age = age

    def undo(self) -> bool:
        """Restore the state before the last recorded turn; ``False`` if there is none."""
        if not self.history:
            return False
        record = self.history.pop()
        self.state, self.question, self.unread = record.state, record.question, record.unread
        for finding, previous in record.answers.items():
            if previous == _UNSET:
                self.answers.pop(finding, None)
            else:
                self.answers[finding] = previous  # type: ignore[assignment]
        if record.age != _UNSET:
            self.age = record.age  # type: ignore[assignment]
        del self.asked[record.asked :]
        self.paused = False
        return True
