"""The shape of every file in ``knowledge/``, as strict pydantic models.

Every model forbids unknown keys, so a typo such as ``sorces:`` is reported instead of ignored.
Anything that states a medical fact carries ``sources``: one or more http(s) URLs.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Sources = Annotated[tuple[Url, ...], Field(min_length=1)]


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


class Evidence(Strict):
    """How much one finding counts for or against a cause, and the source that sets it.

    A weight is roughly the natural log of the finding's likelihood ratio where one is published
    (0.5 a weak hint, 1 typical, 2 strong, 3 nearly defining); ``why`` says in one short line
    what the sources state that sets it, or that they state it only in words ("typical").
    """

    weight: Annotated[float, Field(gt=0, le=5)]
    sources: Sources
    why: Text


class Cause(Strict):
    """A likely cause of hip pain after running."""

    id: Id
    name: Text
    summary: Statement
    prior: Annotated[float, Field(ge=0, le=5)]
    prior_sources: Sources
    """How common the cause is in runners: where that comes from."""
    prior_why: Text
    supported_by: Annotated[dict[Id, Evidence], Field(min_length=1)]
    argued_against_by: dict[Id, Evidence] = Field(default_factory=dict)
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
    purpose: Text
    steps: Annotated[tuple[Text, ...], Field(min_length=1)]
    dose: Text
    form_cues: Annotated[tuple[Text, ...], Field(min_length=1)]
    stop_if: Annotated[tuple[Text, ...], Field(min_length=1)]
    progression: Text | None = None
    avoid_when: tuple[Contraindication, ...] = ()
    sources: Sources


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
    points: Annotated[tuple[Statement, ...], Field(min_length=1)]


class AdviceFile(Strict):
    """``advice.yaml``: urgency levels and general advice."""

    version: Text
    urgency_levels: Annotated[tuple[UrgencyLevel, ...], Field(min_length=4, max_length=4)]
    topics: Annotated[tuple[AdviceTopic, ...], Field(min_length=1)]
