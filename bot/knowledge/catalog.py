"""The loaded knowledge base: every finding, cause, exercise, rule and advice topic by id."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.knowledge.model import (
    AdviceTopic,
    Cause,
    Exercise,
    Finding,
    RedFlagRule,
    Statement,
    Urgency,
    UrgencyLevel,
)
from bot.knowledge.running import RunningPlan


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Everything the bot knows, validated and cross-checked; build it with ``load_knowledge``."""

    version: str
    findings: Mapping[str, Finding]
    idioms: tuple[str, ...]
    causes: Mapping[str, Cause]
    exercises: Mapping[str, Exercise]
    exercise_rules: tuple[Statement, ...]
    red_flags: tuple[RedFlagRule, ...]
    urgency_levels: Mapping[Urgency, UrgencyLevel]
    topics: Mapping[str, AdviceTopic]
    running: RunningPlan
