"""The knowledge base: validated YAML about findings, causes, exercises and red flags."""

from bot.knowledge.catalog import Knowledge
from bot.knowledge.loader import CONTRACT_CAUSES, CONTRACT_FINDINGS, load_knowledge
from bot.knowledge.model import (
    AdviceTopic,
    Cause,
    Evidence,
    Exercise,
    Finding,
    RedFlagRule,
    Statement,
    Urgency,
    UrgencyLevel,
)

__all__ = [
    "CONTRACT_CAUSES",
    "CONTRACT_FINDINGS",
    "AdviceTopic",
    "Cause",
    "Evidence",
    "Exercise",
    "Finding",
    "Knowledge",
    "RedFlagRule",
    "Statement",
    "Urgency",
    "UrgencyLevel",
    "load_knowledge",
]
