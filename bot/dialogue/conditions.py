"""The closed registry of named conditions a dialogue file may use in ``when`` / ``unless``.

Dialogue YAML names conditions from this table only; it can never point at arbitrary code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.dialogue.conversation import Conversation

LOCATION_FINDINGS = ("pain_front", "pain_side", "pain_buttock")
AGE_FINDINGS = ("age_under_16", "age_45_plus")
DURATION_FINDING = "duration_over_2_weeks"
SIGN_FINDINGS = (
    "swelling", "numbness_tingling", "pain_down_leg", "clicking_catching", "pain_at_rest_or_night",
)  # fmt: skip


def location_known(conversation: Conversation) -> bool:
    """The runner has said where it hurts."""
    answers = conversation.session.answers
    return any(answers.get(f) is True for f in LOCATION_FINDINGS)


def age_known(conversation: Conversation) -> bool:
    """The runner's age (or age band) is known, or they preferred not to say."""
    session = conversation.session
    return session.age is not None or any(f in session.answers for f in AGE_FINDINGS)


def duration_known(conversation: Conversation) -> bool:
    """The runner has said how long the pain has lasted, or that they are not sure."""
    return DURATION_FINDING in conversation.session.answers


def signs_known(conversation: Conversation) -> bool:
    """Every sign of the signs checklist is answered (from the story, or ticked)."""
    answers = conversation.session.answers
    return all(f in answers for f in SIGN_FINDINGS)


def questions_remain(conversation: Conversation) -> bool:
    """Another targeted question could still change the result."""
    return conversation.next_question() is not None


def chose_change(conversation: Conversation) -> bool:
    """The runner asked to change an answer."""
    return conversation.choice == "change"


def chose_confirm(conversation: Conversation) -> bool:
    """The runner confirmed their answers."""
    return conversation.choice == "confirm"


def answer_picked(conversation: Conversation) -> bool:
    """The runner picked one of their answers to change."""
    return conversation.session.question is not None


CONDITIONS: dict[str, Callable[[Conversation], bool]] = {
    "location_known": location_known,
    "age_known": age_known,
    "duration_known": duration_known,
    "signs_known": signs_known,
    "questions_remain": questions_remain,
    "chose_change": chose_change,
    "chose_confirm": chose_confirm,
    "answer_picked": answer_picked,
}
CONDITION_NAMES = frozenset(CONDITIONS)
