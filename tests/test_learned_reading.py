"""The learned second reading: what it may change in the rules' reading, its file's checks, and
``hipbot learn`` that fits it on the labelled sets."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import paths
from bot.app import validate
from bot.knowledge import load_knowledge
from bot.learn import POLICY, fit, read_sets, write
from bot.problems import DataError
from bot.understanding import Lexicon, understand
from bot.understanding.explain import explain
from bot.understanding.learned import FILE_NAME, LearnedReading, Policy, load_learned
from bot.understanding.normalize import normalize_text

DATA = Path(__file__).parent / "data"
NEGATORS = frozenset({"no", "not", "never"})
POLICY_USED = Policy(fill=0.7, withdraw_present=0.4, withdraw_absent=0.8, min_words=3)


def tiny_model(weights: dict[str, list[float]], **policy: Any) -> LearnedReading:
    """A model over two findings, swelling (0) and fever (1), that leans on the given words."""
    return LearnedReading(
        ("swelling", "fever"),
        weights,
        ([-6.0, -6.0], [-6.0, -6.0]),
        negators=NEGATORS,
        window=6,
        policy=dataclasses.replace(POLICY_USED, **policy),
    )


# a word the rules do not know, that these models take for swelling
PUFFY = {"marmalade": [0, 9.0, 0.0]}
SWELLING_DENIED = {"~marmalade": [0, 0.0, 9.0]}


def test_fills_a_finding_the_rules_left_unplaced_when_sure():
    model = tiny_model(PUFFY)
    [change] = model.revise(normalize_text("the hip is marmalade"), {}, on_topic=True)
    assert (change.finding, change.before, change.after) == ("swelling", None, "present")
    assert change.chance > 0.9
    assert not model.revise(normalize_text("the hip is sore"), {}, on_topic=True)


def test_a_denial_is_never_filled_in_so_its_question_is_asked():
    model = tiny_model(SWELLING_DENIED)
    assert model.chances(normalize_text("it is not marmalade at all"))["swelling"][1] > 0.9
    assert not model.revise(normalize_text("it is not marmalade at all"), {}, on_topic=True)


def test_a_finding_that_can_switch_a_red_flag_off_is_never_filled_in():
    model = tiny_model(PUFFY, never_fill=frozenset({"swelling"}))
    assert not model.revise(normalize_text("the hip is marmalade"), {}, on_topic=True)


def test_nothing_is_filled_in_a_message_off_the_topic():
    model = tiny_model(PUFFY)
    assert not model.revise(normalize_text("my marmalade jacket is new"), {}, on_topic=False)
    # once the rules read something, the message is on the topic
    changes = model.revise(normalize_text("my marmalade hip"), {"fever": "absent"}, on_topic=False)
    assert [c.finding for c in changes] == ["swelling"]


def test_a_reading_of_present_is_taken_back_only_when_the_message_denies_something():
    model = tiny_model({"marmalade": [0, 0.0, 9.0]})  # wrongly sure the word is a denial
    assert not model.revise(normalize_text("the hip is marmalade"), {"swelling": "present"})
    [change] = model.revise(
        normalize_text("the hip is marmalade, no fever"), {"swelling": "present"}
    )
    assert (change.before, change.after) == ("present", None)  # not known: it will be asked


def test_a_reading_of_absent_is_taken_back_when_the_model_is_very_sure():
    model = tiny_model(PUFFY)
    [change] = model.revise(normalize_text("the hip is marmalade"), {"swelling": "absent"})
    assert (change.before, change.after) == ("absent", None)
    assert not tiny_model(PUFFY, withdraw_absent=0.9999).revise(
        normalize_text("the hip is marmalade"), {"swelling": "absent"}
    )


def test_hedged_findings_are_left_alone():
    model = tiny_model(PUFFY)
    assert not model.revise(normalize_text("the hip is marmalade"), {"swelling": "hedged"})


def lexicon_with(model: LearnedReading | None, *, rules_only: bool = False) -> Lexicon:
    knowledge = load_knowledge(paths.knowledge_dir())
    return Lexicon(
        knowledge.findings.values(),
        idioms=knowledge.idioms,
        learned=model,
        rules_only=rules_only,
    )


def test_understand_applies_the_revisions_and_explain_shows_them():
    text = "my hip hurts and it looks marmalade"
    model = tiny_model(PUFFY)
    assert "swelling" not in understand(text, lexicon_with(None, rules_only=True)).present
    heard = understand(text, lexicon_with(model))
    assert "swelling" in heard.present
    assert "learned reading: swelling not placed -> present" in explain(heard)


def test_short_replies_are_read_by_the_rules_alone():
    model = tiny_model(PUFFY)
    assert understand("marmalade", lexicon_with(model)).empty


def one_finding_model(finding: str, word: str, *, toward: str) -> LearnedReading:
    """A model of one finding that is sure ``word`` tells it present, or absent."""
    present, absent = (9.0, 0.0) if toward == "present" else (0.0, 9.0)
    return LearnedReading(
        (finding,),
        {word: [0, present, absent]},
        ([-6.0], [-6.0]),
        negators=NEGATORS,
        window=6,
        policy=POLICY_USED,
    )


def test_what_the_rules_drop_by_an_implication_is_not_filled_back():
    night = one_finding_model("pain_at_rest_or_night", "night", toward="present")
    side = understand("it hurts lying on my side in bed at night", lexicon_with(night))
    assert "pain_at_rest_or_night" not in side.present  # side-lying pain alone: not night pain
    awake = understand("my hip aches and keeps me up every night", lexicon_with(night))
    assert "pain_at_rest_or_night" in awake.present


def test_a_denial_the_next_clause_turns_round_is_not_taken_back():
    limp_denied = one_finding_model("limp", "~limping", toward="absent")
    now = understand("I wasn't limping before but I am now", lexicon_with(limp_denied))
    assert "limp" in now.present
    still = understand("I wasn't limping before and I'm still not", lexicon_with(limp_denied))
    assert "limp" in still.absent


def test_a_temperature_told_as_a_number_is_not_taken_back():
    fever_denied = one_finding_model("fever", "fever", toward="absent")
    heard = understand("fever 39 since last night, not eating", lexicon_with(fever_denied))
    assert "fever" in heard.present


def test_a_label_and_its_bare_answer_are_not_taken_back():
    redness_told = one_finding_model("redness_warmth", "~redness", toward="present")
    labelled = understand("Swelling: no. Redness: no. Fever: no.", lexicon_with(redness_told))
    assert "redness_warmth" in labelled.absent
    told = "There is no redness that I have seen on the hip at all"
    assert "redness_warmth" not in understand(told, lexicon_with(redness_told)).absent
    fever_denied = one_finding_model("fever", "fever", toward="absent")
    ticked = understand("fever ✅ not weight bearing ✅", lexicon_with(fever_denied))
    assert "fever" in ticked.present
    told = "I have had a fever since last night and not sleeping"
    assert "fever" not in understand(told, lexicon_with(fever_denied)).present
    weight_denied = one_finding_model("cannot_bear_weight", "weight", toward="absent")
    answered = understand(
        "Can you bear weight Y/N: N. Not sleeping well.", lexicon_with(weight_denied)
    )
    assert "cannot_bear_weight" in answered.present  # an ability's topic, answered no
    told = "I cannot put weight on it since the fall and not sleeping"
    assert "cannot_bear_weight" not in understand(told, lexicon_with(weight_denied)).present


def test_a_model_naming_an_unknown_finding_is_refused():
    model = LearnedReading(
        ("swelling", "no_such_finding"),
        {},
        ([0.0, 0.0], [0.0, 0.0]),
        negators=NEGATORS,
        window=6,
        policy=POLICY_USED,
    )
    with pytest.raises(DataError, match="no_such_finding"):
        lexicon_with(model)


# -- the shipped model and its file


def test_the_shipped_model_is_fitted_on_every_labelled_set():
    shipped = json.loads((paths.knowledge_dir() / FILE_NAME).read_text())
    messages = read_sets(sorted(DATA.glob("utterances*.yaml")))
    assert shipped["trained_on"]["messages"] == len(messages), "run `hipbot learn`"
    red_flags = load_knowledge(paths.knowledge_dir()).red_flags
    switch_off = sorted({f for rule in red_flags for f in rule.none_of})
    assert shipped["policy"] == {**POLICY, "never_fill": switch_off}
    assert "pain_improving" in switch_off  # "getting better" keeps a strain from being urgent
    assert load_learned(paths.knowledge_dir()) is not None


def test_the_shipped_model_leaves_ages_and_the_thigh_to_the_rules():
    shipped = load_learned(paths.knowledge_dir())
    assert shipped is not None
    assert not {"age_45_plus", "age_under_16", "pain_thigh"} & set(shipped.findings)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(paths.knowledge_dir(), tmp_path / "knowledge")
    shutil.copytree(paths.dialogues_dir(), tmp_path / "dialogues")
    return tmp_path


def broken(document: dict[str, Any], where: str) -> None:
    if where == "weights":
        document["weights"]["pain"] = [0, 1.0]
    elif where == "policy.fill":
        document["policy"]["fill"] = 1.5
    elif where == "findings[0]":
        document["findings"][0] = "no_such_finding"
    elif where == "bias.absent":
        document["bias"]["absent"] = document["bias"]["absent"][:-1]
    elif where == "features.negation_window":
        document["features"]["negation_window"] = "six"
    elif where == "policy":
        del document["policy"]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("weights", "weights.pain: must be triples"),
        ("policy.fill", "policy.fill: must be a chance between 0 and 1"),
        ("findings[0]", "findings[0]: 'no_such_finding' is not a finding"),
        ("bias.absent", "bias.absent: must be a list of"),
        ("features.negation_window", "features.negation_window: must be a whole number"),
        ("policy", "policy: is missing"),
    ],
)
def test_a_malformed_model_file_is_named_with_the_place_and_the_problem(project, where, message):
    path = project / "knowledge" / FILE_NAME
    document = json.loads(path.read_text())
    broken(document, where)
    path.write_text(json.dumps(document))
    problems = [str(p) for p in validate(project)]
    assert problems == [problems[0]] and problems[0].startswith(f"{FILE_NAME}: {message}")


def test_a_model_file_that_is_not_json_is_named(project):
    (project / "knowledge" / FILE_NAME).write_text("{not json")
    [problem] = [str(p) for p in validate(project)]
    assert problem.startswith(f"{FILE_NAME}: (file): is not valid JSON")


def test_without_a_model_file_the_rules_read_alone(project):
    (project / "knowledge" / FILE_NAME).unlink()
    assert validate(project) == []
    assert load_learned(project / "knowledge") is None


# -- fitting


def test_fitting_writes_a_model_that_loads_and_is_the_same_every_time(tmp_path):
    sets = [DATA / "utterances_fresh1.yaml", DATA / "utterances_fresh2.yaml"]
    findings = sorted(load_knowledge(paths.knowledge_dir()).findings)
    messages = read_sets(sets)
    first = write(fit(messages, findings), tmp_path)
    model = load_learned(tmp_path, known=frozenset(findings))
    assert model is not None and "swelling" in model.findings
    again = first.read_bytes()
    write(fit(messages, findings), tmp_path)
    assert first.read_bytes() == again
    swollen = model.chances(normalize_text("my hip is swollen and puffy"))["swelling"]
    denied = model.chances(normalize_text("no swelling at all"))["swelling"]
    assert swollen[0] > swollen[1] and denied[1] > denied[0]


def test_learn_names_a_set_that_is_not_a_list_of_messages(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"text": "not a list"}))
    out = tmp_path / "knowledge"
    out.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "learn", str(bad), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "bad.yaml: (top): must be a list of labelled messages" in result.stderr
    assert "Traceback" not in result.stderr
