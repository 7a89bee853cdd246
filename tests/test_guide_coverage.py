"""Everything in the guide the bot is built on is in the knowledge base and reachable in chat."""

from __future__ import annotations

import pytest

from bot.dialogue import Incoming, Turn
from tests.support.engine import real_engine, tap

# What the guide (shared/guide/hip-pain-guide.txt) covers, and where it lives in knowledge/.
GUIDE = {
    "causes": ["overuse_muscle_imbalance", "weak_core_poor_form", "hip_flexor_strain",
               "it_band_syndrome", "hip_osteoarthritis", "gluteal_tendinopathy_bursitis"],
    "indicators": ["pain_front", "pain_side", "stiffness", "worse_with_activity",
                   "numbness_tingling", "swelling"],
    "exercises": ["hip_abduction", "single_leg_squat", "plank", "glute_bridge",
                  "lunge_hip_flexor_stretch", "kneeling_hip_flexor_stretch",
                  "foam_roll_outer_thigh"],
    "advice": ["rest_days", "gradual_mileage", "coach_or_physio", "see_healthcare_professional"],
}  # fmt: skip


def test_guide_content_is_in_the_knowledge_base():
    knowledge = real_engine().knowledge
    assert set(GUIDE["causes"]) <= set(knowledge.causes)
    assert set(GUIDE["indicators"]) <= set(knowledge.findings)
    assert set(GUIDE["exercises"]) <= set(knowledge.exercises)
    assert set(GUIDE["advice"]) <= set(knowledge.topics)


def tap_menu(value: str) -> Turn:
    """Tap a ``/learn`` menu button (a topic, the exercise library) in a new conversation."""
    engine = real_engine()
    return tap(engine, engine.start(), value, offered=False)


@pytest.mark.parametrize("topic", list(real_engine().knowledge.topics))
def test_every_advice_topic_is_reachable(topic):
    knowledge = real_engine().knowledge
    text = tap_menu(f"topic:{topic}").replies[0].text
    for point in knowledge.topics[topic].points:
        assert point.text in text


@pytest.mark.parametrize("exercise", list(real_engine().knowledge.exercises))
def test_every_exercise_is_reachable_with_instructions(exercise):
    item = real_engine().knowledge.exercises[exercise]
    text = tap_menu(f"exercise:{exercise}").replies[0].text
    assert item.steps[0] in text and item.dose in text and item.stop_if[0] in text


def test_learn_menu_lists_every_topic():
    engine = real_engine()
    turn = engine.step(engine.start().session, Incoming(text="/learn", at=1.0))
    values = {o.value for o in turn.options}
    assert {f"topic:{t}" for t in engine.knowledge.topics} | {"library"} == values
