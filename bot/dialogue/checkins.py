"""Check-ins: the opt-in offered at a self-care or see-a-professional result, and ``/checkins``.

The engine stays pure: a check-in is planned by storing its due time in the session
(``Session.checkin``, seconds since the epoch); the service mirrors it into the store's schedule.
A check-in is due a whole number of days after the consultation, so it arrives at the same time of
day as the runner was talking to the bot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.dialogue.messages import Option
from bot.knowledge import Urgency

if TYPE_CHECKING:
    from bot.dialogue.render import Renderer

PREFIX = "checkin_"
CANCEL = f"{PREFIX}cancel"
DECLINE = f"{PREFIX}no"
DAY = 24 * 60 * 60
OFFERS = (("offer_3_days", 3), ("offer_week", 7))
"""The offers' labels (dialogue texts) and the days each plans."""
OFFERED_AT = frozenset({Urgency.SELF_CARE, Urgency.SEE_PROFESSIONAL})


def offered(urgency: Urgency) -> bool:
    """Whether a result of this urgency offers a check-in (never for urgent or emergency)."""
    return urgency in OFFERED_AT


def offer_options(texts: Renderer) -> tuple[Option, ...]:
    """ "In 3 days", "In a week", "No thanks"."""
    return (
        *(Option(texts.label(label), f"{PREFIX}{days}") for label, days in OFFERS),
        Option(texts.label("offer_decline"), DECLINE),
    )


def cancel_option(texts: Renderer) -> Option:
    """The button under ``/checkins`` while one is planned."""
    return Option(texts.label("checkin_cancel"), CANCEL)


def days_of(value: str) -> int | None:
    """The days an offer button asks for (``"checkin_7"`` → 7), or ``None``."""
    days = value[len(PREFIX) :] if value.startswith(PREFIX) else ""
    allowed = {str(d): d for _, d in OFFERS}
    return allowed.get(days)


def due_at(at: float, days: int, *, day: float = DAY) -> float:
    """When a check-in asked for at ``at`` falls due: ``days`` days later, same time of day."""
    return at + days * day


def when_text(due: float, now: float, texts: Renderer, *, day: float = DAY) -> str:
    """How far away a planned check-in is, in words ("in 3 days", "in about 12 hours")."""
    left = max(0.0, due - now)
    days = round(left / day)
    if days >= 1:
        return texts.label("when_tomorrow") if days == 1 else texts.text("when_days", days=days)
    hours = max(1, round(left / day * 24))
    return texts.label("when_hour") if hours == 1 else texts.text("when_hours", hours=hours)
