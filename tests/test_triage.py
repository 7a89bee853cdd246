"""The triage decision: urgency from signs, the questions that could still raise it, and the
safety rules it owns (exercises withheld, bone stress at any site, age and pace)."""

from __future__ import annotations

import random

import pytest

from bot.knowledge import RedFlagRule, Urgency
from bot.reasoning import Triage, assess
from bot.reasoning.triage import completing, fires
from tests.support.engine import real_engine

KNOWLEDGE = real_engine().knowledge
TRIAGE = Triage(KNOWLEDGE)


def rule(**fields: object) -> RedFlagRule:
    base: dict[str, object] = {
        "id": "r", "urgency": Urgency.URGENT, "title": "t", "message": "m",
        "sources": ("https://example.org",),
    }  # fmt: skip
    return RedFlagRule.model_validate({**base, **fields})


def test_a_rule_fires_on_all_of_any_of_and_none_of():
    r = rule(all_of=("a",), any_of=("b", "c"), none_of=("d",))
    assert fires(r, {"a": True, "c": True})
    assert fires(r, {"a": True, "c": True, "d": None})
    assert not fires(r, {"a": True, "c": True, "d": True})
    assert not fires(r, {"a": True, "b": False, "c": None})
    assert not fires(r, {"b": True})


def test_completing_names_the_one_answer_that_would_fire_a_rule():
    r = rule(all_of=("a",), any_of=("b", "c"))
    assert completing(r, {"b": True}) == ("a",)
    assert completing(r, {"a": True}) == ("b", "c")
    assert completing(r, {"a": True, "b": False}) == ("c",)
    assert completing(r, {}) == ()  # two answers away: not one question
    assert completing(r, {"a": False, "b": True}) == ()
    assert completing(rule(all_of=("a",), none_of=("d",)), {"d": True}) == ()


def test_no_signs_is_self_care_with_no_rule():
    decision = TRIAGE.decide({"pain_side": True, "worse_with_activity": True})
    assert decision.urgency is Urgency.SELF_CARE and decision.rules == ()
    assert not decision.exercises_withheld


@pytest.mark.parametrize(
    ("signs", "urgency"),
    [
        ({"pain_side": True, "tender_to_touch": True}, Urgency.SEE_PROFESSIONAL),
        ({"age_45_plus": True, "morning_stiffness": True}, Urgency.SEE_PROFESSIONAL),
        ({"pain_down_leg": True}, Urgency.SEE_PROFESSIONAL),
        ({"clicking_catching": True}, Urgency.SEE_PROFESSIONAL),
        ({"duration_over_2_weeks": True, "pain_improving": False}, Urgency.SEE_PROFESSIONAL),
        ({"duration_over_2_weeks": True, "pain_improving": True}, Urgency.SELF_CARE),
        ({"pain_at_rest_or_night": True}, Urgency.SEE_PROFESSIONAL),
        # bone stress away from the groin: the outer hip, the buttock, the thigh
        ({"pain_side": True, "recent_training_increase": True, "limp": True}, Urgency.URGENT),
        ({"pain_buttock": True, "bone_stress_risk": True, "pain_at_rest_or_night": True},
         Urgency.URGENT),
        ({"recent_training_increase": True, "pain_worsening": True}, Urgency.URGENT),
        ({"age_under_16": True, "outer_knee_pain": True}, Urgency.URGENT),
        ({"fever": True}, Urgency.URGENT),
        ({"sudden_onset": True, "cannot_bear_weight": True}, Urgency.EMERGENCY),
        ({"saddle_numbness_or_bladder": True}, Urgency.EMERGENCY),
    ],
)  # fmt: skip
def test_urgency_comes_from_signs(signs, urgency):
    assert TRIAGE.decide(signs).urgency is urgency


def test_an_older_runner_with_slowly_worsening_arthritis_signs_is_not_urgent():
    older = {
        "age_45_plus": True, "pain_front": True, "stiffness": True, "pain_worsening": True,
        "worse_with_activity": True, "limp": True, "recent_training_increase": False,
        "bone_stress_risk": False,
    }  # fmt: skip
    assert TRIAGE.decide(older).urgency is Urgency.SEE_PROFESSIONAL
    younger = {**older, "age_45_plus": False}
    assert TRIAGE.decide(younger).urgency is Urgency.URGENT


def test_urgent_results_withhold_exercises_and_name_the_suspected_cause_first():
    answers = {"pain_side": True, "recent_training_increase": True, "pain_at_rest_or_night": True}
    assessment = assess(KNOWLEDGE, answers, TRIAGE)
    assert assessment.urgency is Urgency.URGENT and assessment.exercises == ()
    assert assessment.exercises_withheld and assessment.acts_now
    assert assessment.shown_causes[0].cause.id == "stress_fracture"


def test_the_question_that_could_raise_the_urgency_is_asked_most_urgent_first():
    question = TRIAGE.raising_question({"fever": True})
    raises_to = TRIAGE.urgency_if({"fever": True}, question or "", True)
    assert raises_to is Urgency.EMERGENCY
    screened = dict.fromkeys(
        ("cannot_bear_weight", "fall_or_injury", "fever", "saddle_numbness_or_bladder"), False
    )
    after_load = TRIAGE.raising_question(
        {**screened, "redness_warmth": False, "recent_training_increase": True},
        above=Urgency.SEE_PROFESSIONAL,
    )
    assert after_load in {"pain_at_rest_or_night", "limp", "pain_worsening"}
    settled = dict.fromkeys(KNOWLEDGE.findings, False)
    assert TRIAGE.raising_question(settled) is None


def test_urgency_if_matches_a_full_recount_for_every_finding_and_answer():
    answers = {"pain_front": True, "recent_training_increase": True, "duration_over_2_weeks": True}
    for finding in KNOWLEDGE.findings:
        for value in (True, False, None):
            assert TRIAGE.urgency_if(answers, finding, value) is TRIAGE.urgency(
                {**answers, finding: value}
            ), (finding, value)


def test_fired_and_raising_question_agree_with_each_rule_read_on_its_own():
    rng = random.Random(7)
    findings = sorted(KNOWLEDGE.findings)
    for _ in range(2000):
        answers = {f: rng.choice((True, False, None)) for f in rng.sample(findings, 8)}
        for _ in range(2):  # the second call is answered from the remembered result
            assert TRIAGE.fired(answers) == tuple(r for r in TRIAGE.rules if fires(r, answers))
        floor = TRIAGE.urgency(answers)
        expected = next(
            (
                f
                for r in TRIAGE.rules
                if r.urgency.rank > floor.rank
                for f in completing(r, answers)
            ),
            None,
        )
        assert TRIAGE.raising_question(answers) == expected, answers


def test_a_result_shows_two_or_three_causes_never_one_unlikely_cause_alone():
    for answers in ({}, {"pain_side": True}, {"fever": True}, {"clicking_catching": True}):
        shown = assess(KNOWLEDGE, answers, TRIAGE).shown_causes
        assert 2 <= len(shown) <= 3, answers


def test_no_sign_rule_is_decided_outside_the_triage_module():
    import inspect

    from bot.dialogue import engine

    source = inspect.getsource(engine)
    assert "red_flags" not in source and "all_of" not in source and "any_of" not in source
