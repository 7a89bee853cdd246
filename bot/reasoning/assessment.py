"""Rank the causes and set the urgency from what is known about the runner.

Scoring is additive and explainable: a cause earns the weight of each supporting finding that is
present, loses the weight of each arguing-against finding that is present, and loses a quarter of
the weight of each supporting finding the runner said is absent. Red-flag rules override
everything: the highest urgency among matching rules and likely causes wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.knowledge import Cause, Knowledge, RedFlagRule, Urgency

ABSENT_PENALTY = 0.25
LIKELY_MIN_SCORE = 3.0
LIKELY_WITHIN = 1.0
POSSIBLE_MIN_SCORE = 2.0
POSSIBLE_WITHIN = 3.5
MAX_CAUSES_SHOWN = 3
MAX_EXERCISES = 5

Answers = Mapping[str, bool | None]
"""Finding id → True (present), False (absent) or None (the runner is not sure)."""


class Band(StrEnum):
    """A plain likelihood band: we never show made-up percentages."""

    LIKELY = "likely"
    POSSIBLE = "possible"
    LESS_LIKELY = "less likely"


@dataclass(frozen=True, slots=True)
class RankedCause:
    """One cause with its band and the answers for and against it."""

    cause: Cause
    score: float
    band: Band
    for_: tuple[str, ...]
    against: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AvoidedExercise:
    """An exercise left out on purpose, and why."""

    exercise: str
    why: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Assessment:
    """The result: ranked causes, urgency, red flags, exercises and who to see."""

    urgency: Urgency
    red_flags: tuple[RedFlagRule, ...]
    causes: tuple[RankedCause, ...]
    exercises: tuple[str, ...]
    avoided: tuple[AvoidedExercise, ...]
    exercises_withheld: bool
    see_professional: bool

    @property
    def shown_causes(self) -> tuple[RankedCause, ...]:
        """The causes worth showing: the top three that are at least possible."""
        worth = [c for c in self.causes if c.band is not Band.LESS_LIKELY]
        return tuple(worth[:MAX_CAUSES_SHOWN]) or self.causes[:1]


def score_cause(cause: Cause, answers: Answers) -> float:
    """The additive score of one cause given the answers."""
    score = cause.prior
    for finding, weight in cause.supported_by.items():
        answer = answers.get(finding)
        if answer is True:
            score += weight
        elif answer is False:
            score -= ABSENT_PENALTY * weight
    for finding, weight in cause.argued_against_by.items():
        if answers.get(finding) is True:
            score -= weight
    return score


def matching_rules(knowledge: Knowledge, answers: Answers) -> tuple[RedFlagRule, ...]:
    """Every red-flag rule whose findings are present, most urgent first."""
    matched = [
        rule
        for rule in knowledge.red_flags
        if all(answers.get(f) is True for f in rule.all_of)
        and (not rule.any_of or any(answers.get(f) is True for f in rule.any_of))
        and not any(answers.get(f) is True for f in rule.none_of)
    ]
    return tuple(sorted(matched, key=lambda rule: -rule.urgency.rank))


def band_for(score: float, top: float) -> Band:
    """Which band a score falls in, relative to the best score."""
    if score >= LIKELY_MIN_SCORE and score >= top - LIKELY_WITHIN:
        return Band.LIKELY
    if score >= POSSIBLE_MIN_SCORE and score >= top - POSSIBLE_WITHIN:
        return Band.POSSIBLE
    return Band.LESS_LIKELY


def rank_causes(knowledge: Knowledge, answers: Answers) -> tuple[RankedCause, ...]:
    """All causes, most likely first, each with its band and reasons."""
    scored = sorted(
        ((score_cause(c, answers), c) for c in knowledge.causes.values()),
        key=lambda pair: -pair[0],
    )
    top = scored[0][0]
    return tuple(
        RankedCause(
            cause=cause,
            score=score,
            band=band_for(score, top),
            for_=tuple(f for f in cause.supported_by if answers.get(f) is True),
            against=tuple(
                [f for f in cause.argued_against_by if answers.get(f) is True]
                + [f for f in cause.supported_by if answers.get(f) is False]
            ),
        )
        for score, cause in scored
    )


def assess(knowledge: Knowledge, answers: Answers) -> Assessment:
    """Rank causes, apply red flags, and choose safe exercises."""
    rules = matching_rules(knowledge, answers)
    causes = rank_causes(knowledge, answers)
    considered = [c for c in causes if c.band is not Band.LESS_LIKELY] or list(causes[:1])
    likely = [c for c in considered if c.band is Band.LIKELY] or considered[:1]

    urgency = max(
        [Urgency.SELF_CARE]
        + [rule.urgency for rule in rules]
        + [c.cause.see_professional.urgency for c in likely],
        key=lambda u: u.rank,
    )
    fracture_possible = any(c.cause.fracture_possible for c in considered)
    withheld = (
        urgency.rank >= Urgency.URGENT.rank
        or fracture_possible
        or any(rule.no_exercises for rule in rules)
    )
    exercises: list[str] = []
    avoided: list[AvoidedExercise] = []
    if not withheld:
        exercises, avoided = _choose_exercises(knowledge, answers, likely, considered)
    return Assessment(
        urgency=urgency,
        red_flags=rules,
        causes=causes,
        exercises=tuple(exercises),
        avoided=tuple(avoided),
        exercises_withheld=withheld,
        see_professional=urgency.rank >= Urgency.SEE_PROFESSIONAL.rank,
    )


def _choose_exercises(
    knowledge: Knowledge,
    answers: Answers,
    likely: list[RankedCause],
    considered: list[RankedCause],
) -> tuple[list[str], list[AvoidedExercise]]:
    avoided: dict[str, AvoidedExercise] = {}
    for ranked in considered:
        for caution in ranked.cause.avoid_exercises:
            avoided.setdefault(
                caution.exercise, AvoidedExercise(caution.exercise, caution.why, caution.sources)
            )
    for exercise in knowledge.exercises.values():
        for rule in exercise.avoid_when:
            if any(answers.get(f) is True for f in rule.any_of):
                avoided.setdefault(
                    exercise.id, AvoidedExercise(exercise.id, rule.why, rule.sources)
                )
    chosen: list[str] = []
    for ranked in likely + considered:
        for exercise_id in ranked.cause.exercises:
            if exercise_id not in avoided and exercise_id not in chosen:
                chosen.append(exercise_id)
    mentioned = {e for r in considered for e in r.cause.exercises} | {
        e for r in considered for e in (a.exercise for a in r.cause.avoid_exercises)
    }
    relevant_avoided = [a for a in avoided.values() if a.exercise in mentioned]
    return chosen[:MAX_EXERCISES], relevant_avoided
