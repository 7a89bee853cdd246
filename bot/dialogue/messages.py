"""What crosses the engine's boundary: incoming messages, replies and buttons."""

from __future__ import annotations

from dataclasses import dataclass

from bot.dialogue.markup import plain


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing the runner did: typed ``text`` or tapped a button sending ``button``.

    ``step`` is the step number a tapped button was shown at (channels that keep old buttons
    on screen pass it, so a tap on an old question is recognised). ``at`` is the time in
    seconds since the epoch, used for the idle timeout.
    """

    text: str | None = None
    button: str | None = None
    step: int | None = None
    at: float = 0.0


@dataclass(frozen=True, slots=True)
class Option:
    """A button: what it shows and the value it sends back."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to the runner; ``options`` are buttons under it.

    A ``formatted`` text is markup (:mod:`bot.dialogue.markup`); any other text is plain. With
    a ``picture`` (an exercise id), the text is the caption of that exercise's picture."""

    text: str
    options: tuple[Option, ...] = ()
    formatted: bool = False
    picture: str | None = None

    @property
    def plain_text(self) -> str:
        """The text without markup, as a terminal shows it."""
        return plain(self.text) if self.formatted else self.text
