"""Rank the causes, and put them together with the triage decision into a result.

Scoring is additive and explainable: a cause earns the weight of each supporting finding that is
present, loses the weight of each arguing-against finding that is present, and loses a quarter of
the weight of each supporting finding the runner said is absent. The urgency is not decided here:
it comes from the runner's signs through ``triage.Triage``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from bot.knowledge import Cause, Knowledge, RedFlagRule, Urgency
from bot.reasoning.triage import Answers, Decision, Triage

ABSENT_PENALTY = 0.25
LIKELY_MIN_SCORE = 3.0
LIKELY_WITHIN = 1.0
POSSIBLE_MIN_SCORE = 2.0
POSSIBLE_WITHIN = 3.5
MAX_CAUSES_SHOWN = 3
MIN_CAUSES_SHOWN = 2
MAX_EXERCISES = 5


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
    """Supporting findings the runner has."""
    against: tuple[str, ...]
    """Findings the runner has that argue against this cause."""
    missing: tuple[str, ...] = ()
    """Supporting findings the runner said they do not have."""


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
    decision: Decision | None = None

    @property
    def shown_causes(self) -> tuple[RankedCause, ...]:
        """The causes worth showing: the top two or three, each at least possible."""
        return tuple(c for c in self.causes if c.band is not Band.LESS_LIKELY)[:MAX_CAUSES_SHOWN]

    @property
    def acts_now(self) -> bool:
        """Urgent or an emergency: the result is about the action, not self-care."""
        return self.urgency.rank >= Urgency.URGENT.rank


def score_cause(cause: Cause, answers: Answers) -> float:
    """The additive score of one cause given the answers."""
    score = cause.prior
    for finding, evidence in cause.supported_by.items():
        answer = answers.get(finding)
        if answer is True:
            score += evidence.weight
        elif answer is False:
            score -= ABSENT_PENALTY * evidence.weight
    for finding, evidence in cause.argued_against_by.items():
        if answers.get(finding) is True:
            score -= evidence.weight
    return score


def band_for(score: float, top: float, position: int = MIN_CAUSES_SHOWN) -> Band:
    """Which band a score falls in, relative to the best score; the first ``MIN_CAUSES_SHOWN``
    causes are always at least possible, so a result never rests on one unlikely cause."""
    if score >= LIKELY_MIN_SCORE and score >= top - LIKELY_WITHIN:
        return Band.LIKELY
    if position < MIN_CAUSES_SHOWN or (
        score >= POSSIBLE_MIN_SCORE and score >= top - POSSIBLE_WITHIN
    ):
        return Band.POSSIBLE
    return Band.LESS_LIKELY


def rank_causes(
    knowledge: Knowledge, answers: Answers, suspected: Collection[str] = ()
) -> tuple[RankedCause, ...]:
    """All causes, most likely first, each with its band and reasons; causes a firing rule
    suspects come first, whatever their score."""
    scored = sorted(
        ((score_cause(c, answers), c) for c in knowledge.causes.values()),
        key=lambda pair: (pair[1].id not in suspected, -pair[0]),
    )
    top = max(score for score, _ in scored)
    return tuple(
        RankedCause(
            cause=cause,
            score=score,
            band=band_for(score, top, position),
            for_=tuple(f for f in cause.supported_by if answers.get(f) is True),
            against=tuple(f for f in cause.argued_against_by if answers.get(f) is True),
            missing=tuple(f for f in cause.supported_by if answers.get(f) is False),
        )
        for position, (score, cause) in enumerate(scored)
    )


def assess(knowledge: Knowledge, answers: Answers, triage: Triage) -> Assessment:
    """Rank causes, take the triage decision, and choose safe exercises."""
    decision = triage.decide(answers)
    suspected = {cause for rule in decision.rules for cause in rule.suspects}
    causes = rank_causes(knowledge, answers, suspected)
    considered = [c for c in causes if c.band is not Band.LESS_LIKELY]
    likely = [c for c in considered if c.band is Band.LIKELY] or considered[:1]
    fracture_suspected = any(c.cause.fracture_possible for c in likely)
    withheld = decision.exercises_withheld or fracture_suspected
    exercises: list[str] = []
    avoided: list[AvoidedExercise] = []
    if not withheld:
        exercises, avoided = _choose_exercises(knowledge, answers, likely, considered)
    return Assessment(
        urgency=decision.urgency,
        red_flags=decision.rules,
        causes=causes,
        exercises=tuple(exercises),
        avoided=tuple(avoided),
        exercises_withheld=withheld,
        see_professional=decision.urgency.rank >= Urgency.SEE_PROFESSIONAL.rank,
        decision=decision,
    )


def _choose_exercises(
    knowledge: Knowledge,
    answers: Answers,
    likely: list[RankedCause],
    considered: list[RankedCause],
) -> tuple[list[str], list[AvoidedExercise]]:
    avoided: dict[str, AvoidedExercise] = {}
    for ranked in (r for r in considered if r.for_):
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
