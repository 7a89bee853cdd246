"""The check-in's readers and the return-to-running plan's pain rules, case by case."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.dialogue import followup
from bot.dialogue.running import Verdict, log_run, new_plan
from bot.knowledge.running import PainZones
from tests.support.engine import real_engine

RULES = real_engine().knowledge.running


@pytest.mark.parametrize(
    ("text", "pains"),
    [
        ("3 during, 2 next morning", (3, 2)),
        ("morning 1, during 4", (4, 1)),
        ("3 2", (3, 2)),
        ("during 3/10 and the next morning two", (3, 2)),
        ("2 the morning after and 5 during the run", (5, 2)),
        ("4", None),
        ("3 during", None),
        ("", None),
    ],
)
def test_read_log(text: str, pains: tuple[int, int] | None) -> None:
    assert followup.read_log(text) == pains


@pytest.mark.parametrize(
    ("text", "trend"),
    [
        ("a bit better thanks", followup.BETTER),
        ("no real change", followup.SAME),
        ("about the same", followup.SAME),
        ("worse if anything", followup.WORSE),
        ("not any better", followup.WORSE),
        ("hello", None),
    ],
)
def test_read_trend(text: str, trend: str | None) -> None:
    assert followup.read_trend(None, text) == trend


def test_read_pain_from_buttons_and_words() -> None:
    assert followup.read_pain(f"{followup.PAIN}7", None) == 7
    assert followup.read_pain(f"{followup.PAIN}11", None) is None
    assert followup.read_pain(None, "about 4/10") == 4
    assert followup.read_pain(None, "zero") == 0
    assert followup.read_pain(None, "none to speak of") is None
    assert followup.no_run(None, "I haven't run yet") and not followup.no_run(None, "3")


def test_safe_runs_in_a_row_advance_the_plan_and_the_last_step_finishes() -> None:
    plan, verdicts = new_plan(), []
    for _ in range(sum(step.runs for step in RULES.steps)):
        plan, verdict = log_run(plan, RULES, 2, 1)
        verdicts.append(verdict)
    assert verdicts.count(Verdict.ADVANCE) == len(RULES.steps) - 1
    assert verdicts[-1] is Verdict.FINISHED and plan["step"] == len(RULES.steps) - 1


@pytest.mark.parametrize(
    ("during", "morning", "verdict", "step"),
    [
        (3, 1, Verdict.SAFE, 1),  # at most 3 during, next morning not worse: safe
        (4, 1, Verdict.HOLD, 1),  # 4-5 acceptable: repeat the step
        (5, 1, Verdict.HOLD, 1),
        (6, 1, Verdict.BACK, 0),  # above 5: too much
        (2, 2, Verdict.BACK, 0),  # the next morning worse than before the run (1)
    ],
)
def test_pain_rules(during: int, morning: int, verdict: Verdict, step: int) -> None:
    plan = {"step": 1, "streak": 0, "runs": [[1, 1, 1]]}
    after, got = log_run(plan, RULES, during, morning)
    assert (got, after["step"]) == (verdict, step)
    assert plan["runs"] == [[1, 1, 1]]  # the plan given is left as it was


def test_only_the_last_runs_are_kept() -> None:
    plan = new_plan()
    for _ in range(100):
        plan, _ = log_run(plan, RULES, 4, 1)
    assert len(plan["runs"]) == 30


def test_pain_zones_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="acceptable_max"):
        PainZones(safe_max=5, acceptable_max=3, sources=("https://example.org/",))  # type: ignore[arg-type]
