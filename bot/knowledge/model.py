"""The shape of every file in ``knowledge/``, as strict pydantic models.

Every model forbids unknown keys, so a typo such as ``sorces:`` is reported instead of ignored.
Anything that states a medical fact carries ``sources``: one or more http(s) URLs.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Sources = Annotated[tuple[Url, ...], Field(min_length=1)]
BUTTON_LENGTH = 24
"""The longest button label Telegram shows whole on a phone."""
ButtonLabel = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=BUTTON_LENGTH)
]


class Urgency(StrEnum):
    """How soon the runner should act, lowest first."""

    SELF_CARE = "self_care"
    SEE_PROFESSIONAL = "see_professional"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        """Position in the scale: 0 for self care up to 3 for an emergency."""
        return _URGENCY_RANK[self]


_URGENCY_RANK = {urgency: rank for rank, urgency in enumerate(Urgency)}


class Strict(BaseModel):
    """Base for every knowledge model: no unknown keys, immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Statement(Strict):
    """A medical statement in our own words, with where it comes from."""

    text: Text
    sources: Sources


class Finding(Strict):
    """Something the runner has or has not: a symptom, a sign, a bit of history."""

    id: Id
    label: Text
    absent_label: Text
    button: ButtonLabel | None = None
    """A short label for a checklist button; the message lists the full ``label``."""
    """How the finding reads when the runner does not have it ("no limp", "under 45")."""
    question: Text
    hint: Text | None = None
    phrases: Annotated[tuple[Text, ...], Field(min_length=1)]
    absent_phrases: tuple[Text, ...] = ()
    red_flag: bool = False


class FindingsFile(Strict):
    """``findings.yaml``."""

    version: Text
    findings: Annotated[tuple[Finding, ...], Field(min_length=1)]
    idioms: tuple[Text, ...] = ()
    """Phrases that look like a finding but are not ("fell in love"): read as nothing."""


class Referral(Strict):
    """Who to see, how soon, and when."""

    who: Text
    when: Text
    urgency: Urgency
    sources: Sources


class ExerciseCaution(Strict):
    """An exercise this cause makes unsafe, and why."""

    exercise: Id
    why: Text
    sources: Sources


class Cause(Strict):
    """A likely cause of hip pain after running."""

    id: Id
    name: Text
    summary: Statement
    prior: Annotated[float, Field(ge=0, le=5)] = 1.0
    supported_by: Annotated[dict[Id, Annotated[float, Field(gt=0, le=5)]], Field(min_length=1)]
    argued_against_by: dict[Id, Annotated[float, Field(gt=0, le=5)]] = Field(default_factory=dict)
    self_care: tuple[Statement, ...] = ()
    advice: tuple[Id, ...] = ()
    exercises: tuple[Id, ...] = ()
    avoid_exercises: tuple[ExerciseCaution, ...] = ()
    see_professional: Referral
    fracture_possible: bool = False


class CausesFile(Strict):
    """``causes.yaml``."""

    version: Text
    causes: Annotated[tuple[Cause, ...], Field(min_length=1)]


class Contraindication(Strict):
    """Findings that rule an exercise out, and why."""

    any_of: Annotated[tuple[Id, ...], Field(min_length=1)]
    why: Text
    sources: Sources


class Exercise(Strict):
    """An exercise with everything needed to do it safely."""

    id: Id
    name: Text
    button: ButtonLabel | None = None
    """A short label for the exercise library's button, needed when the name is too long."""
    purpose: Text
    steps: Annotated[tuple[Text, ...], Field(min_length=1)]
    dose: Text
    form_cues: Annotated[tuple[Text, ...], Field(min_length=1)]
    stop_if: Annotated[tuple[Text, ...], Field(min_length=1)]
    progression: Text | None = None
    avoid_when: tuple[Contraindication, ...] = ()
    sources: Sources

    @property
    def button_label(self) -> str:
        """What its button shows."""
        return self.button or self.name

    @model_validator(mode="after")
    def _fits_a_button(self) -> Self:
        if self.button is None and len(self.name) > BUTTON_LENGTH:
            raise ValueError("the name is too long for a button: add a `button:` label")
        return self


class ExercisesFile(Strict):
    """``exercises.yaml``."""

    version: Text
    general_rules: tuple[Statement, ...] = ()
    exercises: Annotated[tuple[Exercise, ...], Field(min_length=1)]


class RedFlagRule(Strict):
    """When all of ``all_of`` and at least one of ``any_of`` (if given) are present, and none
    of ``none_of`` is."""

    id: Id
    all_of: tuple[Id, ...] = ()
    any_of: tuple[Id, ...] = ()
    none_of: tuple[Id, ...] = ()
    suspects: tuple[Id, ...] = ()
    """Causes this rule points to: listed first in the result, for the clinician."""
    urgency: Urgency
    title: Text
    message: Text
    no_exercises: bool = True
    sources: Sources


class RedFlagsFile(Strict):
    """``red_flags.yaml``."""

    version: Text
    rules: Annotated[tuple[RedFlagRule, ...], Field(min_length=1)]


class UrgencyLevel(Strict):
    """What an urgency level asks the runner to do."""

    id: Urgency
    label: Text
    what_to_do: Text
    if_worse: Text
    sources: Sources


class AdviceTopic(Strict):
    """General advice that is not tied to one cause (rest days, mileage, when to get help)."""

    id: Id
    title: Text
    button: ButtonLabel | None = None
    """A short label for the /learn menu's button, needed when the title is too long."""
    points: Annotated[tuple[Statement, ...], Field(min_length=1)]

    @property
    def button_label(self) -> str:
        """What its button shows."""
        return self.button or self.title

    @model_validator(mode="after")
    def _fits_a_button(self) -> Self:
        if self.button is None and len(self.title) > BUTTON_LENGTH:
            raise ValueError("the title is too long for a button: add a `button:` label")
        return self


class AdviceFile(Strict):
    """``advice.yaml``: urgency levels and general advice."""

    version: Text
    urgency_levels: Annotated[tuple[UrgencyLevel, ...], Field(min_length=4, max_length=4)]
    topics: Annotated[tuple[AdviceTopic, ...], Field(min_length=1)]
