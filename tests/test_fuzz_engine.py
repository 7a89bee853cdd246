"""Hostile and odd input to the pure engine, from every state of the dialogue.

Every message (typed text, a button payload, or both; current, old or made-up step numbers;
clocks that jump) must give at least one non-empty reply, never an exception, a session that is
strict JSON under 4 KB at a known state, and never echo what the runner typed. The engine's own
texts contain neither ``<`` nor ``&``, so a reply holding either could only come from the user.

``tests/test_dialogue_properties.py`` has the first, smaller property test; this file goes wider
and counts every input it tries (printed at the end, for BENCHMARKS.md).
"""

from __future__ import annotations

import json
import math
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.dialogue import Engine, Incoming, Session, SessionFormatError, Turn
from bot.understanding.answers import read_choice
from tests.support.engine import PATHS, real_engine, state_view, walk_to
from tests.support.fuzz import fuzz_settings

MAX_SESSION_BYTES = 4096
FUZZ = fuzz_settings(HealthCheck.data_too_large)
TRIED: Counter[str] = Counter()
"""``steps``: inputs tried (each one a call of ``Engine.step``)."""


def _starts() -> dict[str, Session]:
    """Sessions to fuzz from: every dialogue state, plus a paused one and a red-flag result."""
    engine = real_engine()
    starts = {state: walk_to(engine, lines).session for state, lines in PATHS.items()}
    questions = starts["questions"]
    idle = engine.step(questions, Incoming(text="no", at=questions.updated_at + 31 * 60))
    assert idle.session.paused
    starts["paused"] = idle.session
    flagged = walk_to(engine, [*PATHS["describe"], "i fell and now i cannot put weight on it"])
    assert flagged.assessment is not None and flagged.assessment.exercises_withheld
    starts["result_red_flag"] = flagged.session
    return starts


STARTS = _starts()

# -- what a hostile or confused runner sends ---------------------------------------------------

BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
RTL = ["ألم في الورك بعد الجري", "כאב בירך אחרי ריצה", "\u202emy hip hurts\u202c", "درد لگن"]
EMOJI = [
    "🏃‍♀️", "👩‍👩‍👧‍👦", "🏳️‍🌈", "🤒🔥", "🦵🏽", "🇬🇧", "1️⃣", "🧑🏿‍🦽", "❤️‍🩹", "🫠" * 50,
    "\U0001f3c3\u200d\u2640\ufe0f" * 300,
]  # fmt: skip
INJECTION = [
    "<script>alert(1)</script>", "</b>", "<b>bold</b>", "<a href='javascript:x'>tap</a>",
    "&amp;", "&lt;b&gt;", "&#x3C;", "&", "<", "*_[", "**bold** _it_ [link](http://x.y)",
    "`code` ```block```", "||spoiler||", "\\", "{question}", "{0}", "%s %d", "${7*7}",
    "{{7*7}}", "'; DROP TABLE sessions; --", "<img src=x onerror=alert(1)>", "<!--", "]]>",
]  # fmt: skip
COMMANDS = [
    "/back@otherbot", "/start payload", "/BACK", "/ back", "//start", "/start@hipbot extra",
    "/Restart", "/forget@", "/help me", "/why?", "/summary\n\nplease", "\u200b/start", "／start",
    "/start\u202e", "/", "/1", "/_", "/exercises@", "/learn@x y z", "/unknown", "/start " * 50,
    "/back" * 20, " /back", "\n/why", "/WHY@HIPBOT", "/sum mary", "/forget please",
]  # fmt: skip
WHITESPACE = [
    "", " ", "\t\n", "\u00a0", "\u2003\u3000", "\u200b", "\ufeff", "\u2028\u2029", "\r\n" * 10,
]  # fmt: skip
CONTROL = ["\x00", "\x07\x1b[31mred\x1b[0m", "\x7f\x80\x9f", "a\x00b", "\x08" * 30, "\x1b]0;x\x07"]
DIGITS = ["0", "1", "99", "-1", "1.5", "1e9", "²", "①", "٣", "𝟐", "Ⅻ", "9" * 4000, "00001"]
HUGE = 100_000
LONG = [
    ("my outer hip hurts " * HUGE)[:HUGE], "a" * HUGE, "<b>&amp;" * (HUGE // 8), "\u202e" * HUGE,
    "e" + "\u0301" * HUGE, "ﷺ" * HUGE, "🏃‍♀️" * (HUGE // 4), " " * HUGE, "\x00" * HUGE,
    "/start " + "x" * HUGE, "no " * (HUGE // 3), "1" * HUGE,
]  # fmt: skip
ODD = [*RTL, *EMOJI, *INJECTION, *COMMANDS, *WHITESPACE, *CONTROL, *DIGITS, *LONG]

engine_values = sorted(
    {o.value for s in real_engine().dialogue.states.values() for o in s.options}
    | set(real_engine().dialogue.states["red_flag_screen"].findings)
    | {f"topic:{t}" for t in real_engine().knowledge.topics}
    | {f"exercise:{e}" for e in real_engine().knowledge.exercises}
    | {"yes", "no", "none", "not_sure", "continue", "restart", "library", "exercises", "summary"}
)
BUTTONS = [
    *engine_values, "topic:", "topic:nope", "exercise:", "exercise:../../etc/passwd", "library ",
    "YES", "", " ", "none\x00", "start" * 30, "😀", "<b>", "&amp;", "/start", "age", "42",
]  # fmt: skip

all_unicode = st.characters(exclude_categories=["Cs"])
controls = st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs", "Mn", "Me"])
texts = st.one_of(
    st.text(all_unicode, max_size=200),
    st.text(controls, max_size=50),
    st.text(st.sampled_from(BIDI + "abc <>&/"), max_size=60),
    st.sampled_from(ODD),
    st.tuples(st.sampled_from(ODD), st.text(all_unicode, max_size=30)).map("".join),
    st.tuples(st.sampled_from(INJECTION + COMMANDS), st.sampled_from(ODD)).map(" ".join),
    st.builds(lambda inner: f"<b>{inner}</b> &amp; {inner}", st.text(max_size=40)),
    st.sampled_from([t for t in ODD if t and t not in LONG]).map(
        lambda s: (s * (HUGE // len(s) + 1))[:HUGE]
    ),
)
buttons = st.one_of(st.sampled_from(BUTTONS), st.text(all_unicode, max_size=64))
steps = st.one_of(st.none(), st.integers(-3, 60), st.sampled_from([2**63, -(2**63)]))
delays = st.one_of(
    st.just(5.0),
    st.floats(-1e6, 1e7, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, 29 * 60, 31 * 60, 86_400 * 400]),
)


@st.composite
def incomings(draw: st.DrawFn, base: float) -> Incoming:
    """Typed text, a button, both or neither; a step number; a time near ``base``."""
    kind = draw(st.sampled_from(["text", "text", "button", "both", "neither"]))
    text = draw(texts) if kind in ("text", "both") else None
    button = draw(buttons) if kind in ("button", "both") else None
    return Incoming(text=text, button=button, step=draw(steps), at=base + draw(delays))


# -- what must always hold -----------------------------------------------------------------------


def _strict_constant(name: str) -> float:
    raise AssertionError(f"session JSON holds {name}, which is not valid JSON")


def check_turn(engine: Engine, incoming: Incoming, turn: Turn) -> None:
    """The invariants of every turn, whatever came in."""
    TRIED["steps"] += 1
    assert turn.replies, "no reply"
    for reply in turn.replies:
        assert reply.text.strip(), "an empty reply"
        for option in reply.options:
            assert option.label.strip() and option.value, option
    session = turn.session
    assert session.state in engine.dialogue.states
    assert engine._usable(session), "the next turn would throw this conversation away"
    raw = session.to_json()
    assert len(raw.encode()) < MAX_SESSION_BYTES, f"session is {len(raw.encode())} bytes"
    json.loads(raw, parse_constant=_strict_constant)
    assert Session.from_json(raw) == session
    assert math.isfinite(session.updated_at)
    if turn.forget:
        assert session.answers == {} and session.history == []
    if session.state == engine.dialogue.result:
        assert turn.assessment is not None
    check_no_echo(incoming.text, turn)
    check_no_echo(incoming.button, turn)


def check_no_echo(sent: str | None, turn: Turn) -> None:
    """Nothing the runner sent with ``<`` or ``&`` comes back, escaped or not."""
    if sent is None or not ("<" in sent or "&" in sent):
        return
    stripped = sent.strip()
    for reply in turn.replies:
        shown = [reply.plain_text, *(o.label for o in reply.options)]
        for text in shown:
            assert "<" not in text and "&" not in text, (sent, text)
            assert not stripped or stripped not in text, (sent, text)


def step(engine: Engine, session: Session | None, incoming: Incoming) -> Turn:
    before = None if session is None else state_view(session)
    turn = engine.step(session, incoming)
    check_turn(engine, incoming, turn)
    if session is not None:
        assert state_view(session) == before, "the caller's session was changed"
    return turn


# -- deterministic sweep: every odd input and every button from every state --------------------


@pytest.mark.parametrize("state", list(STARTS))
def test_every_odd_text_and_button_from_every_state(state: str) -> None:
    engine = real_engine()
    start = STARTS[state]
    at = start.updated_at + 5
    for text in ODD:
        step(engine, start, Incoming(text=text, at=at))
        step(engine, start, Incoming(text=text, step=start.step, at=at))
    for button in BUTTONS:
        step(engine, start, Incoming(button=button, at=at))
        step(engine, start, Incoming(button=button, step=start.step - 3, at=at))  # an old step
        step(engine, start, Incoming(button=button, step=start.step, at=at))


@pytest.mark.parametrize("text", ["", "   ", "<b>hi</b>", "/back@otherbot", "²"])
def test_no_session_yet(text: str) -> None:
    engine = real_engine()
    step(engine, None, Incoming(text=text, at=1_000.0))
    step(engine, None, Incoming(button=text, at=1_000.0))
    step(engine, None, Incoming(at=1_000.0))


def test_command_look_alikes_are_read_as_the_runner_means() -> None:
    engine = real_engine()
    questions = STARTS["questions"]
    at = questions.updated_at + 5

    def after(text: str) -> Turn:
        return step(engine, questions, Incoming(text=text, at=at))

    for text in ("/back@otherbot", "/BACK", "/back please"):
        assert after(text).replies[0].text.startswith("OK, going back"), text
    for text in ("/start payload", "/Restart", "/start@hipbot extra"):
        assert after(text).session.state == "greeting", text
    for text in ("/ back", "//start", "／start", "\u200b/start"):  # not commands: typed text
        turn = after(text)
        assert turn.session.state == "questions", text
        assert turn.session.history == questions.history, text
    assert after("/forget").forget and after("/FORGET@hipbot now").forget


def test_unicode_digits_never_crash_option_numbers() -> None:
    """``"²".isdigit()`` is true but ``int("²")`` raises: typing it used to crash every state."""
    labels = ["Yes", "No", "Not sure"]
    assert [read_choice(text, labels) for text in ("²", "①", "𝟐", "٣", "2", "0002")] == [
        None, None, 1, 2, 1, None,
    ]  # fmt: skip


def test_a_tap_on_an_old_question_is_recognised() -> None:
    engine = real_engine()
    questions = STARTS["questions"]
    for value in ("yes", "no", "fever", "start"):
        turn = step(engine, questions, Incoming(button=value, step=questions.step - 2, at=1e9))
        assert turn.session.answers == questions.answers
        assert turn.replies[0].text.startswith("That question has moved on")


def test_unknown_and_stale_payloads_change_nothing() -> None:
    engine = real_engine()
    for state, start in STARTS.items():
        for value in ("zzz", "topic:nope", "exercise:../../etc/passwd", "<b>", "front"):
            turn = step(engine, start, Incoming(button=value, at=start.updated_at + 5))
            if state == "location" and value == "front":
                continue  # a real button here (and nowhere else)
            assert turn.session.answers == start.answers, (state, value)
            assert turn.session.state == start.state, (state, value)


def test_the_engine_echoes_nothing_the_runner_types() -> None:
    """A made-up word typed anywhere never appears in any reply, in any state."""
    engine = real_engine()
    marker = "qzxvjkw"
    for start in STARTS.values():
        for template in ("{m}", "my hip {m} hurts", "/why {m}", "I'm {m}", "<b>{m}</b> &{m};"):
            text = template.format(m=marker)
            turn = step(engine, start, Incoming(text=text, at=start.updated_at + 5))
            assert all(marker not in reply.text for reply in turn.replies)
            turn = step(engine, start, Incoming(button=text, at=start.updated_at + 5))
            assert all(marker not in reply.text for reply in turn.replies)


# -- hypothesis: random input from random states -----------------------------------------------


@settings(FUZZ, max_examples=2000)
@given(state=st.sampled_from(list(STARTS)), data=st.data())
def test_any_single_input_from_any_state(state: str, data: st.DataObject) -> None:
    engine = real_engine()
    start = STARTS[state]
    step(engine, start, data.draw(incomings(start.updated_at)))


@settings(FUZZ, max_examples=300)
@given(state=st.sampled_from(list(STARTS)), data=st.data())
def test_random_conversations_from_any_state(state: str, data: st.DataObject) -> None:
    engine = real_engine()
    session = STARTS[state]
    for _ in range(data.draw(st.integers(1, 12))):
        session = step(engine, session, data.draw(incomings(session.updated_at))).session


finding_phrases = st.sampled_from(
    sorted({p for f in real_engine().knowledge.findings.values() for p in f.phrases})
)


@settings(FUZZ, max_examples=25)
@given(data=st.data())
def test_long_chatty_consultations_stay_under_4_kb(data: st.DataObject) -> None:
    """Runners who keep adding, denying and undoing findings: the session stays small."""
    engine = real_engine()
    session = STARTS["describe"]
    for i in range(60):
        phrases = data.draw(st.lists(finding_phrases, min_size=1, max_size=12))
        joined = ", ".join(phrases)
        text = data.draw(st.sampled_from([f"I have {joined}", f"no {joined}", "/back", "yes"]))
        session = step(engine, session, Incoming(text=text, at=session.updated_at + 1)).session
        assert i < 60


def test_alternating_every_finding_for_a_long_time_stays_under_4_kb() -> None:
    engine = real_engine()
    phrases = [f.phrases[0] for f in engine.knowledge.findings.values()]
    have, lack = "I have " + ", ".join(phrases), "I do not have " + ", ".join(phrases)
    session = STARTS["describe"]
    for i in range(120):
        text = have if i % 2 == 0 else lack
        session = step(engine, session, Incoming(text=text, at=session.updated_at + 1)).session
    back = step(engine, session, Incoming(text="/back", at=session.updated_at + 1))
    assert back.replies[0].text.startswith("OK, going back")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False)
    | st.text(max_size=20) | st.sampled_from(["-", "gone_finding", "questions", "fever"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip


def _paths(node: object, at: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    return [at, *(p for key, child in children for p in _paths(child, (*at, key)))]  # fmt: skip


@settings(FUZZ, max_examples=300)
@given(state=st.sampled_from(list(STARTS)), data=st.data())
def test_a_corrupted_stored_session_is_refused_or_handled(state: str, data: st.DataObject) -> None:
    """Whatever a store hands back (bit rot, an older version, a hand edit) either fails to load
    with ``SessionFormatError`` (the service then starts afresh) or is handled without error."""
    stored = json.loads(STARTS[state].to_json())
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(stored)[1:]))
        parent = stored
        for key in path[:-1]:
            parent = parent[key]  # type: ignore[index]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(json_values)  # type: ignore[index]
    try:
        session = Session.from_json(json.dumps(stored))
    except SessionFormatError:
        return
    engine = real_engine()
    for text in ("/why", "/summary", "no", "/back", "I have a fever"):
        step(engine, session, Incoming(text=text, at=session.updated_at + 5))


def test_sessions_naming_states_or_findings_that_are_gone_start_afresh() -> None:
    engine = real_engine()
    review = json.loads(STARTS["review"].to_json())
    for change in (
        {"question": "gone_finding", "state": "questions"},
        {"answers": {**review["answers"], "gone_finding": False}},
        {"asked": [*review["asked"], "gone_finding"]},
        {"history": [{**review["history"][-1], "state": "gone_state"}]},
    ):
        session = Session.from_json(json.dumps({**review, **change}))
        for text in ("/why", "/summary", "/back", "hello"):
            turn = step(engine, session, Incoming(text=text, at=session.updated_at + 5))
            assert turn.session.answers == {}, (change, text)


def test_report_inputs_tried(capsys: pytest.CaptureFixture[str]) -> None:
    """Print how many inputs this file tried (run last; the figure goes in BENCHMARKS.md)."""
    with capsys.disabled():
        print(f"\nengine fuzzing: {TRIED['steps']} inputs tried")
    assert TRIED["steps"] > 0
