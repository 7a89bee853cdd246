"""Sessions are plain, versioned JSON: small, exact round trips, clear errors when corrupt."""

from __future__ import annotations

import json

import pytest

from bot.dialogue import Session, SessionFormatError
from tests.support.engine import real_engine, walk_to
from tests.test_dialogue_graph import PATHS


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
