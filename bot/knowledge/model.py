"""The shape of every file in ``knowledge/``, as strict pydantic models.

Every model forbids unknown keys, so a typo such as ``sorces:`` is reported instead of ignored.
Anything that states a medical fact carries ``sources``: one or more http(s) URLs.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, Self

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


Point = tuple[float, float]


class Pose(Strict):
    """A stick figure seen from the side: where each joint is (x to the right, y up from the
    floor; a standing runner is about 6 high). The ``2`` joints are the far arm and leg, drawn
    lighter; ``toe`` points draw the feet."""

    head: Point
    neck: Point
    hip: Point
    knee: Point
    foot: Point
    knee2: Point
    foot2: Point
    elbow: Point
    hand: Point
    elbow2: Point
    hand2: Point
    toe: Point | None = None
    toe2: Point | None = None


class PoseChange(Strict):
    """The joints that move from the start position (see :class:`Pose`)."""

    head: Point | None = None
    neck: Point | None = None
    hip: Point | None = None
    knee: Point | None = None
    foot: Point | None = None
    knee2: Point | None = None
    foot2: Point | None = None
    elbow: Point | None = None
    hand: Point | None = None
    elbow2: Point | None = None
    hand2: Point | None = None
    toe: Point | None = None
    toe2: Point | None = None


Joint = Literal[
    "head", "neck", "hip", "knee", "foot", "knee2", "foot2", "elbow", "hand", "elbow2", "hand2",
]  # fmt: skip


class Arrow(Strict):
    """An arrow from a joint, in the direction given in degrees (0 right, 90 up)."""

    at: Joint
    towards: float


class Picture(Strict):
    """An exercise's picture: the start and the end position side by side."""

    start: Pose
    end: PoseChange
    end_label: Literal["End", "Hold"] = "End"
    """"Hold" for an exercise that pushes without moving."""
    band: tuple[Joint, Joint] | None = None
    """A belt or band looped around these two joints."""
    arrows: tuple[Arrow, ...] = ()
    """Which way to push or move, shown in the end position."""
    step: bool = False
    """A step under the near foot."""
    roller: bool = False
    """A foam roller under the near thigh."""
    wall: float | None = None
    """A wall or rail to hold at this x."""
    floor: bool = True
    """False for a view from above."""

    def end_pose(self) -> Pose:
        """The end position: the start with what moves."""
        return self.start.model_copy(update=self.end.model_dump(exclude_none=True))


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
    picture: Picture
    video: Url | None = None
    """A video of the exercise: one of its sources."""
    sources: Sources

    @property
    def button_label(self) -> str:
        """What its button shows."""
        return self.button or self.name

    @model_validator(mode="after")
    def _fits_a_button(self) -> Self:
        if self.button is None and len(self.name) > BUTTON_LENGTH:
            raise ValueError("the name is too long for a button: add a `button:` label")
        if self.video is not None and self.video not in self.sources:
            raise ValueError("the video must be one of the sources")
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
