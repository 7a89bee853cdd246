"""Graph checks over the dialogue YAML, and checks that hold from every state."""

from __future__ import annotations

import shutil

import pytest
import yaml

from bot import paths
from bot.app import validate
from bot.dialogue import CONDITION_NAMES, Kind
from bot.dialogue.spec import check_dialogue
from tests.support.engine import PATHS, real_engine, say, state_view, walk_to


def test_paths_reach_every_state():
    engine = real_engine()
    assert set(PATHS) == set(engine.dialogue.states)
    for state, lines in PATHS.items():
        assert walk_to(engine, lines).session.state == state, state


def test_real_dialogue_passes_graph_checks():
    engine = real_engine()
    problems = check_dialogue(
        engine.dialogue, engine.knowledge, CONDITION_NAMES, shown_as="consultation.yaml"
    )
    assert problems == []


@pytest.fixture
def project(tmp_path):
    shutil.copytree(paths.knowledge_dir(), tmp_path / "knowledge")
    shutil.copytree(paths.dialogues_dir(), tmp_path / "dialogues")
    return tmp_path


def break_dialogue(project, change):
    path = project / "dialogues" / "consultation.yaml"
    document = yaml.safe_load(path.read_text())
    change(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    return [str(p) for p in validate(project)]


def test_unreachable_state_is_reported(project):
    def change(doc):
        doc["states"]["orphan"] = {"kind": "free_text", "say": ["describe"], "why": "why_describe",
                                   "next": [{"to": "result"}]}  # fmt: skip

    assert break_dialogue(project, change) == [
        "dialogues/consultation.yaml: states.orphan: cannot be reached from the initial state"
    ]


def test_dead_end_is_reported(project):
    def change(doc):
        doc["states"]["trap"] = {"kind": "free_text", "say": ["describe"], "why": "why_describe",
                                 "next": [{"to": "trap"}]}  # fmt: skip
        doc["states"]["describe"]["next"].insert(0, {"to": "trap", "when": ["age_known"]})

    assert break_dialogue(project, change) == [
        "dialogues/consultation.yaml: states.trap: no path from here reaches the result"
    ]


def test_conditions_come_from_the_closed_registry(project):
    def change(doc):
        doc["states"]["describe"]["next"][0]["unless"] = ["run_shell"]
        doc["states"]["age"]["next"][0]["when"] = ["os.system"]

    problems = break_dialogue(project, change)
    assert problems == [
        "dialogues/consultation.yaml: states.age.next[0].when[0]: must be a snake_case id "
        "(lowercase letters, digits and _), got 'os.system'"
    ]
    del problems
    path = project / "dialogues" / "consultation.yaml"
    path.write_text(path.read_text().replace("os.system", "questions_remain"))
    [problem] = [str(p) for p in validate(project)]
    assert problem.startswith(
        "dialogues/consultation.yaml: states.describe.next[0].unless: unknown condition 'run_shell'"
    )


def test_unknown_state_text_and_finding(project):
    def change(doc):
        doc["states"]["age"]["next"][0]["to"] = "nowhere"
        doc["states"]["location"]["say"] = ["no_such_text"]
        doc["states"]["red_flag_screen"]["findings"].append("elbow_pain")

    problems = break_dialogue(project, change)
    assert (
        "dialogues/consultation.yaml: states.age.next[0].to: unknown state 'nowhere'" in problems
    )
    assert (
        "dialogues/consultation.yaml: states.location.say[0]: unknown text 'no_such_text'"
        in problems
    )
    assert (
        "dialogues/consultation.yaml: states.red_flag_screen.findings[4]: unknown finding 'elbow_pain'"
        in problems
    )


@pytest.mark.parametrize("state", list(PATHS))
@pytest.mark.parametrize(
    "message",
    ["i fell and now i cannot put weight on it", "numb down there and cannot control my bladder"],
)
def test_a_red_flag_from_any_state_escalates_with_no_exercises(state, message):
    engine = real_engine()
    turn = say(engine, walk_to(engine, PATHS[state]), message)
    assert turn.session.state == "result"
    assert turn.assessment is not None
    assert turn.assessment.urgency.value == "emergency"
    assert turn.assessment.exercises == ()
    assert "emergency" in " ".join(r.text for r in turn.replies).lower()


@pytest.mark.parametrize("state", [s for s in PATHS if s != "greeting"])
def test_back_after_any_step_restores_the_previous_state_exactly(state):
    engine = real_engine()
    lines = PATHS[state]
    turn = walk_to(engine, lines[:-1])
    before = state_view(turn.session)
    after = say(engine, turn, lines[-1])
    assert after.session.state == state
    undone = say(engine, after, "/back")
    assert state_view(undone.session) == before


def test_every_state_kind_is_used():
    kinds = {state.kind for state in real_engine().dialogue.states.values()}
    assert kinds == set(Kind)
