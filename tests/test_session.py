"""Sessions are plain, versioned JSON: small, exact round trips, clear errors when corrupt."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from bot.dialogue import Session, SessionFormatError
from bot.dialogue.session import Undo
from tests.support.engine import PATHS, real_engine, walk_to


def test_round_trip_is_exact_and_json_only():
    turn = walk_to(real_engine(), PATHS["result"])
    text = turn.session.to_json()
    assert json.loads(text)["v"] == 1
    assert Session.from_json(text) == turn.session
    assert Session.from_json(text).to_json() == text


def test_a_long_consultation_stays_under_4_kb():
    lines = [*PATHS["result"], "/back", "/back", "yes", "no", "my hip clicks and is stiff"]
    turn = walk_to(real_engine(), lines)
    assert len(turn.session.to_json().encode()) < 4096


@pytest.mark.parametrize(
    "text", ["", "not json", "[]", '{"v": 99, "state": "greeting"}', '{"v": 1, "bogus": 1}']
)
def test_corrupt_sessions_raise_a_clear_error(text):
    with pytest.raises(SessionFormatError):
        Session.from_json(text)


def test_copy_keeps_every_field_and_shares_nothing_mutable() -> None:
    undo = Undo(state="ask_side", question="q", answers={"night_pain": True}, age=41, asked=2,
                unread=1)  # fmt: skip
    values = {
        "state": "ask_more", "question": "night_pain", "answers": {"night_pain": False},
        "age": 41, "asked": ["night_pain"], "unread": 1, "step": 7, "paused": True,
        "updated_at": 12.5, "history": [undo], "checkin": 1_000_000.0,
        "follow": {"since": 5.0}, "plan": {"step": 1, "runs": [[2, 1]]}, "for_someone": True,
    }  # fmt: skip
    assert set(values) == {f.name for f in fields(Session)}  # a new field must be set here too
    original = Session(**values)  # type: ignore[arg-type]
    assert Session.from_json(original.to_json()) == original
    before = json.dumps(original.to_dict())
    copied = original.copy()
    assert copied == original
    copied.answers["x"] = True
    copied.asked.append("x")
    copied.history[0].answers["x"] = True
    copied.history.append(undo)
    assert copied.plan is not None and copied.follow is not None
    copied.plan["runs"].append([9, 9])
    copied.follow["since"] = 0.0
    assert json.dumps(original.to_dict()) == before


def test_a_planned_check_in_round_trips_and_is_left_out_when_there_is_none() -> None:
    session = Session(state="result", checkin=1_700_000_000.5)
    assert Session.from_json(session.to_json()).checkin == 1_700_000_000.5
    assert "checkin" not in Session(state="result").to_dict()
    with pytest.raises(SessionFormatError):
        Session.from_dict({**Session(state="result").to_dict(), "checkin": "soon"})
