"""Triage quality on runners' stories, through the console's --json protocol with a simulated
patient that answers from each story's facts, by buttons and by free text.

`vignettes.yaml` was written alongside the rules; `vignettes_fresh1.yaml` to `_fresh7` were written blind (by
someone who had not read knowledge/ or the reasoning code) and scored once before any tuning
(README, "Triage quality")."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.support.patient import MODES, ConsoleProcess
from tests.support.triage_score import LEVELS, score

DATA = Path(__file__).parent / "data"
SETS = (
    "vignettes.yaml",
    "vignettes_fresh1.yaml",
    "vignettes_fresh2.yaml",
    "vignettes_fresh3.yaml",
    "vignettes_fresh4.yaml",
    "vignettes_fresh5.yaml",
    "vignettes_fresh6.yaml",
    "vignettes_fresh7.yaml",
)
MAX_OVER_TRIAGE = 0.05


def vignettes(name: str) -> list[dict]:
    return yaml.safe_load((DATA / name).read_text())


@pytest.fixture(scope="module")
def console():
    process = ConsoleProcess()
    yield process
    process.close()


@pytest.mark.parametrize("name", SETS)
def test_vignette_sets_cover_every_urgency(name):
    items = vignettes(name)
    assert len(items) >= 40
    assert {v["expected"]["urgency"] for v in items} == set(LEVELS)
    for v in items:
        overlap = set(v.get("present") or ()) & set(v.get("absent") or ())
        assert not overlap, (v["id"], overlap)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", SETS)
def test_urgency_and_causes_match_the_stories(console, capsys, name, mode):
    result = score(console, vignettes(name), mode)
    with capsys.disabled():
        print(f"\n{name} {result.summary()}")
    assert not result.unsafe_exercises, result.unsafe_exercises
    assert not result.under, (result.under, result.misses)
    assert result.exact / result.total >= 0.95, result.misses
    assert len(result.over) / result.total <= MAX_OVER_TRIAGE, result.over
    assert result.top3 / result.total >= 0.90, result.misses
    assert sorted(result.questions)[len(result.questions) // 2] <= 12
