"""Understanding is measured on a labelled set of real-style messages, not judged by eye."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot import paths
from bot.knowledge import load_knowledge
from bot.understanding import Lexicon, understand

DATA = Path(__file__).parent / "data" / "utterances.yaml"
F1_BAR = 0.90


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    knowledge = load_knowledge(paths.knowledge_dir())
    return Lexicon(knowledge.findings.values(), idioms=knowledge.idioms)


def labelled() -> list[dict]:
    return yaml.safe_load(DATA.read_text())


def test_the_labelled_set_is_big_and_varied():
    items = labelled()
    assert len(items) >= 150
    assert sum(1 for i in items if i.get("absent")) >= 40
    assert sum(1 for i in items if not i.get("present") and not i.get("absent")) >= 20


def test_precision_recall_f1_and_no_negated_finding_reported_present(lexicon, capsys):
    true_pos = false_pos = false_neg = 0
    negated_as_present = []
    misses = []
    for item in labelled():
        gold = {(f, True) for f in item.get("present") or []}
        gold |= {(f, False) for f in item.get("absent") or []}
        heard = understand(item["text"], lexicon)
        got = {(f, True) for f in heard.present} | {(f, False) for f in heard.absent}
        true_pos += len(gold & got)
        false_pos += len(got - gold)
        false_neg += len(gold - got)
        negated_as_present += [
            (item["text"], f) for f in item.get("absent") or [] if f in heard.present
        ]
        if gold != got:
            misses.append((item["text"], sorted(gold - got), sorted(got - gold)))
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    f1 = 2 * precision * recall / (precision + recall)
    with capsys.disabled():
        print(
            f"\nunderstanding: precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f} "
            f"over {len(labelled())} messages; negated reported present: {len(negated_as_present)}"
        )
    report = "\n".join(f"  {t!r}: missed {m} extra {e}" for t, m, e in misses[:40])
    assert not negated_as_present, negated_as_present
    assert f1 >= F1_BAR, f"F1 {f1:.3f} below {F1_BAR}\n{report}"


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("no swelling but it clicks", {"clicking_catching"}, {"swelling"}),
        ("never had any tingling", set(), {"numbness_tingling"}),
        ("can walk fine", set(), {"cannot_bear_weight"}),
        ("Pins and needles down my leg", {"numbness_tingling", "pain_down_leg"}, set()),
        ("outer hip hurts", {"pain_side"}, set()),
        ("GROIN PAIN 😩", {"pain_front"}, set()),
        ("bit of numbnes and its stiif", {"numbness_tingling", "stiffness"}, set()),
        ("no numbness, tingling or pins and needles", set(), {"numbness_tingling"}),
        ("I haven't fallen and there's no fever", set(), {"fall_or_injury", "fever"}),
        ("swelling? no", set(), set()),
        ("swelling: none", set(), {"swelling"}),
        ("it isn't swollen however it does click", {"clicking_catching"}, {"swelling"}),
    ],
)
def test_examples_from_the_issue(lexicon, text, present, absent):
    heard = understand(text, lexicon)
    assert (set(heard.present), set(heard.absent)) == (present, absent)


@pytest.mark.parametrize(
    "text",
    [
        "maybe a bit swollen?",
        "not sure if it clicks",
        "what time is it",
        "i usually run on the side of the road with my dog in the morning before work",
        "all that stuff about shoes",
        "I love my new running club, we meet on Sundays at the front of the park",
        "",
        "   ",
        "🙂🙂🙂",
    ],
)
def test_hedges_and_off_topic_yield_nothing(lexicon, text):
    heard = understand(text, lexicon)
    assert not heard.present and not heard.absent
