"""Every red flag, from every state, in several phrasings and as buttons: never under-triaged.

For each rule in knowledge/red_flags.yaml with urgency urgent or emergency, its findings are typed
in natural phrasings (one message, or one message per finding) from every dialogue state, a
paused conversation and one coming back after the idle timeout. The result must come at once (or
after safety questions that could only make it an emergency), be at least the rule's urgency,
and offer no exercises anywhere: not in the result, not behind "Show exercises", /exercises or
the exercise library. Rules whose findings are all in the red-flag checklist are also tapped as
buttons. For see_professional rules the consultation is walked to the result answering "no":
a professional is always advised, and rules with ``no_exercises`` give none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from bot.dialogue import Engine, Incoming, Kind, Session, Turn
from bot.knowledge import RedFlagRule, Urgency
from tests.support.engine import PATHS, real_engine, tap, walk_to

# Natural ways a runner says each finding a red-flag rule needs (two or three each).
PHRASINGS: dict[str, tuple[str, ...]] = {
    "cannot_bear_weight": (
        "I can't put any weight on my leg", "cannot stand on my leg", "I can't walk on it at all",
    ),
    "fall_or_injury": (
        "I fell over on my run", "I had a fall yesterday", "I slipped and landed on my hip",
    ),
    "fever": ("I have a fever", "I've got a high temperature", "I feel hot and shivery"),
    "saddle_numbness_or_bladder": (
        "I'm numb between my legs", "I can't control my bladder", "I've wet myself",
    ),
    "swelling": ("my hip is swollen", "there's swelling around the hip", "it's puffy and swollen"),
    "redness_warmth": (
        "the skin over my hip is red and hot", "my hip feels warm to the touch",
        "the hip looks red",
    ),
    "limp": ("I'm limping", "I walk with a limp", "I've started limping"),
    "age_under_16": ("I'm 14", "I am 13 years old", "I'm a 15 year old"),
    "pain_front": ("pain in my groin", "the front of my hip hurts", "my groin hurts"),
    "pain_worsening": (
        "the pain keeps getting worse", "it's getting worse every day", "it's worse each week",
    ),
    "pain_at_rest_or_night": (
        "it hurts at night", "it aches even when I'm resting", "the pain wakes me up at night",
    ),
    "bone_stress_risk": (
        "I've had a stress fracture before", "I have low bone density",
        "I don't eat enough and my periods stopped",
    ),
    "numbness_tingling": ("I have pins and needles", "my thigh feels numb", "there's tingling"),
    "morning_stiffness": ("my hip is stiff in the morning", "morning stiffness for an hour"),
    "pain_down_leg": ("pain goes down my leg", "pain shoots down the back of my leg"),
    "sudden_onset": ("it came on suddenly", "I felt a sudden sharp pain"),
    "recent_training_increase": (
        "I've doubled my mileage recently", "I just started marathon training",
    ),
    "outer_knee_pain": ("the outside of my knee hurts", "pain on the outer side of my knee"),
    "pain_thigh": ("my thigh hurts", "pain in the front of my thigh", "my upper leg aches"),
    "pain_side": ("the outer side of my hip hurts", "pain on the outside of my hip"),
    "tender_to_touch": ("it's tender when I press on it", "sore to touch"),
    "worse_lying_on_side": ("it hurts to lie on that side", "I can't lie on that side"),
    "age_45_plus": ("I'm 52", "I am 60 years old"),
    "stiffness": ("my hip feels stiff", "the hip is stiff and tight"),
    "clicking_catching": ("my hip clicks and catches", "the hip locks sometimes"),
    "duration_over_2_weeks": ("it's been going on for six weeks", "I've had it for months"),
}  # fmt: skip
SPLIT = -1
"""The phrasing index meaning "one message per finding" (first phrasing of each)."""
IDLE = 31 * 60
MAX_SAFETY_QUESTIONS = 8
CHECKED: Counter[str] = Counter()


def _starts() -> dict[str, tuple[Session, float]]:
    """Where the runner is when they mention the red flag, and how long since their last turn."""
    engine = real_engine()
    starts = {state: (walk_to(engine, lines).session, 5.0) for state, lines in PATHS.items()}
    questions = starts["questions"][0]
    paused = engine.step(questions, Incoming(text="hi", at=questions.updated_at + IDLE)).session
    assert paused.paused
    starts["paused"] = (paused, 5.0)
    starts["back after a break"] = (questions, IDLE)
    return starts


STARTS = _starts()
KNOWLEDGE = real_engine().knowledge
SERIOUS = [r for r in KNOWLEDGE.red_flags if r.urgency.rank >= Urgency.URGENT.rank]
SEE_PROFESSIONAL = [r for r in KNOWLEDGE.red_flags if r.urgency is Urgency.SEE_PROFESSIONAL]
CHECKLIST = real_engine().dialogue.states["red_flag_screen"].findings
EXERCISE_WORDS = ("Dose:", "Form cues:", "Stop if:", "Exercises that may help")


def alternatives(rule: RedFlagRule) -> Iterator[tuple[str, ...]]:
    """Each smallest set of findings that makes ``rule`` fire."""
    if not rule.any_of:
        yield rule.all_of
    for extra in rule.any_of:
        yield (*rule.all_of, extra)


def messages(findings: tuple[str, ...], phrasing: int) -> list[str]:
    """The runner's message(s): one sentence per finding, rotating through the phrasings."""
    if phrasing == SPLIT:
        return [PHRASINGS[f][0] for f in findings]
    sentences = [PHRASINGS[f][(phrasing + i) % len(PHRASINGS[f])] for i, f in enumerate(findings)]
    return [". ".join(sentences)]


def cases(
    rules: list[RedFlagRule], phrasings: list[int]
) -> list[tuple[str, tuple[str, ...], int]]:
    return [
        (rule.id, findings, phrasing)
        for rule in rules
        for findings in alternatives(rule)
        for phrasing in phrasings
    ]


def case_id(case: tuple[str, tuple[str, ...], int]) -> str:
    rule, findings, phrasing = case
    return f"{rule}-{'+'.join(findings)}-{'split' if phrasing == SPLIT else phrasing}"


def type_text(engine: Engine, session: Session, text: str, wait: float) -> Turn:
    return engine.step(session, Incoming(text=text, at=session.updated_at + wait))


def answer_no(engine: Engine, turn: Turn) -> Turn:
    """Move on by the plainest answer each state allows: "no", "none", "skip", "not sure"."""
    state = engine.dialogue.states[turn.session.state]
    if turn.session.paused:
        return tap(engine, turn, "continue")
    by_kind = {Kind.CHECKLIST: "none", Kind.YES_NO: "no", Kind.PICK_ANSWER: "review"}
    if state.kind in by_kind:
        return tap(engine, turn, by_kind[state.kind])
    for value in ("start", "skip", "not_sure", "confirm"):
        if value in {o.value for o in turn.options}:
            return tap(engine, turn, value)
    raise AssertionError(f"no way on from {turn.session.state}: {turn.options}")


def answer_safety_question(engine: Engine, turn: Turn, start: str) -> Turn:
    """Before an urgent result only safety questions may come: the rest of the red-flag
    checklist, or a question whose answer could make it an emergency. Answer "none" / "no"."""
    state = engine.dialogue.states[turn.session.state]
    shown = (start, turn.session.state, [r.text[:80] for r in turn.replies])
    if state.kind is Kind.CHECKLIST:
        return tap(engine, turn, "none")
    question = turn.session.question
    assert turn.session.state == engine.dialogue.follow_up and question is not None, shown
    assert any(
        question in (*r.all_of, *r.any_of) and r.urgency is Urgency.EMERGENCY
        for r in engine.knowledge.red_flags
    ), (question, *shown)
    return tap(engine, turn, "no")


def check_no_exercises(engine: Engine, turn: Turn, *, library: bool = True) -> None:
    """No exercise in the result, behind its button, /exercises or (``library``) the library."""
    assessment = turn.assessment
    assert assessment is not None
    assert assessment.exercises == () and assessment.exercises_withheld
    names = [e.name for e in engine.knowledge.exercises.values()]
    assert "exercises" not in [o.value for o in turn.options], "a Show exercises button"
    stale_tap = engine.step(turn.session, Incoming(button="exercises", at=1e9))
    shown = [turn, stale_tap, type_text(engine, turn.session, "/exercises", 1)]
    if library:
        learn = type_text(engine, turn.session, "/learn", 1)
        shown.append(tap(engine, learn, "library"))
        for exercise_id in engine.knowledge.exercises:
            tapped = engine.step(turn.session, Incoming(button=f"exercise:{exercise_id}", at=1e9))
            shown.append(tapped)
    for each in shown:
        text = "\n".join(reply.text for reply in each.replies)
        assert not any(word in text for word in EXERCISE_WORDS), text[:300]
        assert not any(name in text for name in names), text[:300]
        assert all(not o.value.startswith("exercise:") for o in each.options)


def fires(rule_id: str, turn: Turn) -> bool:
    assert turn.assessment is not None
    return rule_id in {r.id for r in turn.assessment.red_flags}


# -- urgent and emergency rules --------------------------------------------------------------


def test_every_finding_in_a_rule_has_phrasings_that_are_understood() -> None:
    engine = real_engine()
    for rule in [*SERIOUS, *SEE_PROFESSIONAL]:
        for finding in (*rule.all_of, *rule.any_of):
            assert len(PHRASINGS.get(finding, ())) >= 2, f"write phrasings for {finding}"
    for finding, phrasings in PHRASINGS.items():
        for text in phrasings:
            turn = type_text(engine, STARTS["describe"][0], text, 5)
            assert turn.session.answers.get(finding) is True, (finding, text)


@pytest.mark.parametrize("case", cases(SERIOUS, [0, 1, 2, SPLIT]), ids=case_id)
def test_urgent_and_emergency_flags_typed_from_every_state(
    case: tuple[str, tuple[str, ...], int],
) -> None:
    rule_id, findings, phrasing = case
    engine = real_engine()
    rule = next(r for r in SERIOUS if r.id == rule_id)
    for start, (session, wait) in STARTS.items():
        turn: Turn | None = None
        for text in messages(findings, phrasing):
            turn = type_text(engine, session if turn is None else turn.session, text, wait)
            wait = 1.0
        assert turn is not None
        asked = 0
        while turn.session.state != engine.dialogue.result:
            turn = answer_safety_question(engine, turn, start)
            asked += 1
            assert asked <= MAX_SAFETY_QUESTIONS, start
        assert turn.assessment is not None
        assert turn.assessment.urgency.rank >= rule.urgency.rank, (start, turn.assessment)
        assert fires(rule_id, turn), start
        check_no_exercises(engine, turn, library=start == "describe")  # the library: once
        CHECKED["serious"] += 1


def button_cases() -> list[tuple[str, tuple[str, ...]]]:
    return [
        (rule.id, findings)
        for rule in SERIOUS
        for findings in alternatives(rule)
        if set(findings) <= set(CHECKLIST)
    ]


@pytest.mark.parametrize(("rule_id", "findings"), button_cases())
def test_checklist_red_flags_tapped_as_buttons(rule_id: str, findings: tuple[str, ...]) -> None:
    engine = real_engine()
    rule = next(r for r in SERIOUS if r.id == rule_id)
    assert button_cases(), "no rule can be tapped in the checklist"
    for order in (findings, findings[::-1]):
        turn = walk_to(engine, PATHS["red_flag_screen"])
        for value in order:
            if turn.session.state == "red_flag_screen":
                turn = tap(engine, turn, value)
        if turn.session.state == "red_flag_screen":
            turn = tap(engine, turn, "none")  # the rest of the checklist: none of these
        asked = 0
        while turn.session.state != engine.dialogue.result:
            turn = answer_safety_question(engine, turn, "red_flag_screen")
            asked += 1
            assert asked <= MAX_SAFETY_QUESTIONS
        assert turn.assessment is not None
        assert turn.assessment.urgency.rank >= rule.urgency.rank
        assert fires(rule_id, turn)
        check_no_exercises(engine, turn)
        CHECKED["buttons"] += 1


def test_a_red_flag_after_the_idle_timeout_is_not_lost() -> None:
    """It used to get "Welcome back" (twice, if typed again) and was never recorded."""
    engine = real_engine()
    questions = STARTS["questions"][0]
    text = "i fell and now i cannot put weight on it"
    turn = type_text(engine, questions, text, IDLE)
    assert turn.session.state == "result" and not turn.session.paused
    assert turn.assessment is not None and turn.assessment.urgency is Urgency.EMERGENCY
    # Anything else still gets "continue or start again?" first.
    for ordinary in ("my hip clicks", "no", "I'm 52"):
        assert type_text(engine, questions, ordinary, IDLE).session.paused, ordinary


# -- see_professional rules ------------------------------------------------------------------


@pytest.mark.parametrize("case", cases(SEE_PROFESSIONAL, [0, 1, 2, SPLIT]), ids=case_id)
def test_see_professional_flags_walked_to_the_result(
    case: tuple[str, tuple[str, ...], int],
) -> None:
    rule_id, findings, phrasing = case
    engine = real_engine()
    rule = next(r for r in SEE_PROFESSIONAL if r.id == rule_id)
    for start, (session, wait) in STARTS.items():
        for text in messages(findings, phrasing):
            turn = type_text(engine, session, text, wait)
            session, wait = turn.session, 1.0
        for _ in range(40):
            if turn.session.state == engine.dialogue.result:
                break
            turn = answer_no(engine, turn)
        assert turn.assessment is not None, start
        assessment = turn.assessment
        assert assessment.urgency.rank >= Urgency.SEE_PROFESSIONAL.rank, start
        assert assessment.see_professional, start
        assert fires(rule_id, turn), (start, turn.session.answers)
        if rule.no_exercises:
            check_no_exercises(engine, turn, library=start == "describe")
        CHECKED["see_professional"] += 1


def test_report_combinations_checked(capsys: pytest.CaptureFixture[str]) -> None:
    """Print the number of (rule, state, phrasing) combinations checked (run last)."""
    total = sum(CHECKED.values())
    with capsys.disabled():
        print(
            f"\nred-flag sweep: {total} (rule, state, phrasing) combinations checked — "
            f"{CHECKED['serious']} urgent/emergency typed, {CHECKED['buttons']} tapped, "
            f"{CHECKED['see_professional']} see_professional walked to the result"
        )
    assert total > 0
