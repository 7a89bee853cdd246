"""Property tests: any text or button at any state yields a reply and never raises."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.dialogue import Incoming
from tests.support.engine import PATHS, real_engine, state_view, walk_to

STARTS = {state: walk_to(real_engine(), lines) for state, lines in PATHS.items()}

messages = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        ["/back@otherbot", "/start payload", "/why", "/summary", "/exercises", "/restart",
         "/unknown", "<b>bold</b>", "*not markdown*", "\u202eRTL text", "\x00\x07\x1b[31m",
         "   ", "🏃‍♀️🔥", "no", "yes", "not sure", "1", "99", "-1", "/forget", "none of these"]
    ),
)  # fmt: skip
buttons = st.one_of(st.text(max_size=40), st.sampled_from(["yes", "no", "none", "fever", "start"]))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(state=st.sampled_from(list(PATHS)), text=messages, button=st.none() | buttons,
       step=st.none() | st.integers(-5, 50))  # fmt: skip
def test_any_input_at_any_state_gets_a_reply(state, text, button, step):
    engine = real_engine()
    start = STARTS[state]
    incoming = Incoming(
        text=None if button is not None else text, button=button, step=step,
        at=start.session.updated_at + 5,
    )  # fmt: skip
    turn = engine.step(start.session, incoming)
    assert turn.replies and all(reply.text.strip() for reply in turn.replies)
    assert turn.session.state in engine.dialogue.states
    assert state_view(start.session) == state_view(STARTS[state].session)  # input not mutated


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(messages, max_size=15))
def test_random_conversations_never_raise_and_stay_small(lines):
    engine = real_engine()
    turn = engine.start(at=0.0)
    for line in lines:
        turn = engine.step(turn.session, Incoming(text=line, at=turn.session.updated_at + 1))
        assert turn.replies
    assert len(turn.session.to_json().encode()) < 4096


def test_a_100_kb_message_is_handled():
    engine = real_engine()
    text = "my outer hip hurts " * 6000
    start = STARTS["describe"].session
    turn = engine.step(start, Incoming(text=text, at=start.updated_at + 5))
    assert turn.replies
    assert turn.session.answers.get("pain_side") is True


@pytest.mark.parametrize("state", list(PATHS))
def test_every_state_answers_help(state):
    turn = real_engine().step(STARTS[state].session, Incoming(text="/help", at=2_000_000.0))
    assert "/restart" in turn.replies[0].text
