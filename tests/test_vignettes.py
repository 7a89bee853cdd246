"""Triage quality on written runners' stories, through the console's --json protocol with a
simulated patient that answers every question from the story's facts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.support.patient import ConsoleProcess, consult

VIGNETTES = yaml.safe_load((Path(__file__).parent / "data" / "vignettes.yaml").read_text())
LEVELS = ["self_care", "see_professional", "urgent", "emergency"]


@pytest.fixture(scope="module")
def console():
    process = ConsoleProcess()
    yield process
    process.close()


def test_vignette_set_is_big_enough():
    assert len(VIGNETTES) >= 30
    assert {v["expected"]["urgency"] for v in VIGNETTES} == set(LEVELS)


def test_urgency_and_causes_match_the_stories(console, capsys):
    urgency_ok = top3_ok = 0
    too_low, wrong, questions = [], [], []
    for vignette in VIGNETTES:
        consultation = consult(console, vignette)
        result, expected = consultation.result, vignette["expected"]
        questions.append(consultation.questions)
        matched = result["urgency"] == expected["urgency"]
        urgency_ok += matched
        in_top3 = not expected["causes"] or any(
            c in result["causes"][:3] for c in expected["causes"]
        )
        top3_ok += in_top3
        if expected["urgency"] in ("urgent", "emergency") and LEVELS.index(
            result["urgency"]
        ) < LEVELS.index(expected["urgency"]):
            too_low.append(vignette["id"])
        if not (matched and in_top3):
            wrong.append((vignette["id"], expected, result))
        if result["urgency"] in ("urgent", "emergency"):
            assert result["exercises"] == [], vignette["id"]
    n = len(VIGNETTES)
    with capsys.disabled():
        print(
            f"\nvignettes: urgency {urgency_ok}/{n} ({urgency_ok / n:.0%}), expected cause in top "
            f"three {top3_ok}/{n} ({top3_ok / n:.0%}), urgent/emergency under-triaged "
            f"{len(too_low)}; questions per consultation max {max(questions)}, "
            f"mean {sum(questions) / n:.1f}"
        )
    assert not too_low, too_low
    assert urgency_ok / n >= 0.90, wrong
    assert top3_ok / n >= 0.85, wrong
    assert max(questions) <= 12
