"""Reasoning: rank causes, set urgency, pick safe exercises and the next question."""

from bot.reasoning.assessment import (
    Assessment,
    AvoidedExercise,
    Band,
    RankedCause,
    assess,
    rank_causes,
)
from bot.reasoning.questions import QuestionPlanner
from bot.reasoning.triage import Answers, Decision, Triage

__all__ = [
    "Answers",
    "Assessment",
    "AvoidedExercise",
    "Band",
    "Decision",
    "QuestionPlanner",
    "RankedCause",
    "Triage",
    "assess",
    "rank_causes",
]
