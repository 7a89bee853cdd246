"""Reasoning: rank causes, set urgency, pick safe exercises and the next question."""

from bot.reasoning.assessment import (
    Answers,
    Assessment,
    AvoidedExercise,
    Band,
    RankedCause,
    assess,
    matching_rules,
    rank_causes,
)
from bot.reasoning.questions import QuestionPlanner

__all__ = [
    "Answers",
    "Assessment",
    "AvoidedExercise",
    "Band",
    "QuestionPlanner",
    "RankedCause",
    "assess",
    "matching_rules",
    "rank_causes",
]
