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


class CueMeaning(StrEnum):
    """What a cue says about a finding mentioned in its scope (ConText's categories)."""

    NEGATED = "negated"
    RESOLVED = "resolved"
    HYPOTHETICAL = "hypothetical"
    OTHER_PERSON = "other_person"
    ELSEWHERE = "elsewhere"
    PSEUDO = "pseudo"


class CueDirection(StrEnum):
    """Which way a cue's scope reaches from the cue."""

    FORWARD = "forward"
    BACKWARD = "backward"
    BOTH = "both"


Words = tuple[Text, ...]


class CueGroup(Strict):
    """Cue phrases sharing a meaning, a direction and a reach."""

    means: CueMeaning
    direction: CueDirection
    window: Annotated[int, Field(ge=1, le=30)] = 8
    clause_end: bool = False
    only_for: tuple[Id, ...] = ()
    not_for: tuple[Id, ...] = ()
    phrases: Annotated[Words, Field(min_length=1)]


class Locations(Strict):
    """Location findings, which count only when pain is named near them."""

    findings: Annotated[tuple[Id, ...], Field(min_length=1)]
    blockers: Words = ()
    alone_words: Annotated[int, Field(ge=1)] = 7
    """A clause this short that names only a location counts without a pain word."""
    pained_by: tuple[Id, ...] = ()
    """Findings that are pain themselves: beside one, a location counts ("the outer hip when I
    lie on it")."""
    anchors: Words = ()
    """Words that make a location phrase the hip's own ("the outside of my hip"): such a
    location counts when the message tells a pain anywhere, unless a blocker is in its clause."""
    situations: tuple[Id, ...] = ()
    """Locations that are situations, not places ("when I sit"): ``situation_words`` in their
    clause say they hurt ("when I sit long in the office it is very bad")."""
    situation_words: Words = ()


class ActivityFrame(Strict):
    """Pain during or after an activity: ``hurts after fartlek``, ``lunges aggravate it``."""

    finding: Id
    words: Annotated[Words, Field(min_length=1)]
    links: Annotated[Words, Field(min_length=1)]
    pain_after_words: Words = ()
    not_with: tuple[Id, ...] = ()
    """Findings of an onset: in a sentence telling one, an activity is when it struck ("a stab
    mid-interval"), unless its clause has an ``ongoing_words`` word ("every jog since hurts")."""
    ongoing_words: Words = ()
    shares_with: dict[Id, Words] = Field(default_factory=dict)
    """Findings, with the words of theirs the frame may read as an activity too ("hurts when I
    kick the ball" is pain lifting the knee, and pain with sport; climbing stairs is not)."""
    struck_also: dict[Id, Words] = Field(default_factory=dict)
    """Other findings told by the same action as the onset ("a stab kicking the ball" is no
    pain on lifting the knee), with the words of that action."""
    unpained_with: tuple[Id, ...] = ()
    """Findings that, told in a clause with no word for pain, make an activity there theirs, not
    the pain's ("when I run the hip makes a click", "upped my hill reps, now the groin's sore")."""
    distance_links: Words = ()
    """Words that tie a distance to the pain as links do ("around 5 miles in", "by 2k"), too
    loose for other activity words ("about 15 miles a week")."""
    lead_words: Words = ()
    """A clause starting with one of these borrows the pain of its sentence ("only on runs")."""
    lead_openings: Words = ()
    """Words that may stand before a lead word at the start of its clause ("it's only
    sprinting")."""
    lead_not_before: Words = ()
    """Words after a lead word that make it no lead: "just back from a 10 mile run"."""
    not_before: Words = ()
    """An activity word followed by one of these is another verb: "runs down the leg"."""
    window: Annotated[int, Field(ge=1, le=20)] = 8


class EarlierFrame(Strict):
    """Pain that comes on earlier in each run: a distance told with a now word that is shorter
    than one told with a then word ("mile 4 now, it used to be mile 8")."""

    finding: Id
    now: Words = ()
    then: Words = ()
    then_ahead: Words = ()
    """Then words that reach only a distance after them: "after 3km instead of 15"."""
    reach: Annotated[int, Field(ge=1, le=80)] = 30
    """How many characters a distance may lie from its marker."""
    began: Words = ()
    """Words that tell how the pain began ("at first only after runs"): a later clause with a
    now word and a word of ``spread`` tells it reaches further now ("now it aches walking")."""
    spread: Words = ()
    not_spread: Words = ()
    """Words that make a now clause no spread: "now it's only stiff", "now it's better"."""


class ScoreFrame(Strict):
    """Pain scores out of ten: a lower one now than before (``improving``), a higher one
    (``worsening``), a higher one when active than when still (``activity``), and one told of
    rest or sitting (``still``: 0 denies the finding, more tells it)."""

    improving: Id
    worsening: Id
    activity: Id
    named_by: Words = ()
    """Words that make "a 4" or "from 7 to 3" scores in a message with none out of ten: "pain"."""
    scores: Words = ()
    """Words that make every number up to ten a score: "pain scores: running 6, walking 3"."""
    now: Words = ()
    then: Words = ()
    now_ahead: Words = ()
    """Now words that reach only a score after them: "down to 3", "it's a 4"."""
    then_ahead: Words = ()
    """Then words that reach only a score after them: "from an 8", "was a 7"."""
    active: Words = ()
    """Words of running or exercise a score is told of: "running", "on the hills"."""
    calm: Words = ()
    """Words of being easy a score is told of, which tell no finding: "walking", "on the flat"."""
    still: dict[Id, Words] = {}
    """Findings a score tells, by the words it is told of: rest, sitting."""
    reach: Annotated[int, Field(ge=1, le=80)] = 25
    """How many characters a score may lie from the word it is told of."""


class TrainingFrame(Strict):
    """A change in load: a verb of increase or novelty near a training noun."""

    finding: Id
    verbs: Annotated[Words, Field(min_length=1)]
    nouns: Annotated[Words, Field(min_length=1)]
    ignore_with: Words = ()
    not_before: Words = ()
    """A verb followed by one of these is a comparison, not a change ("more than")."""
    denied_after: Words = ()
    """A verb right after one of these is a change denied ("training has not changed")."""
    more_words: Words = ()
    more_not_before: Words = ()
    """A ``more_words`` verb followed by one of these tells more pain, not more load ("more
    after tempo runs")."""
    same_words: Words = ()
    added_to: Words = ()
    """Phrases that make a same-load word a base added to ("hills on top of my usual miles")."""
    events: Words = ()
    """Races or big days whose count in a short span is a load ("3 marathons in 8 weeks")."""
    events_span_days: Annotated[int, Field(ge=1, le=365)] = 90
    """The longest span in which two or more ``events`` still tell a recent load."""
    window: Annotated[int, Field(ge=1, le=20)] = 5


class DurationFrame(Strict):
    """How long the pain has gone on: ``for 6 weeks``, ``since March``, ``a couple of days``."""

    finding: Id
    threshold_days: Annotated[int, Field(ge=1)]
    units: Annotated[dict[Text, Annotated[int, Field(ge=1)]], Field(min_length=1)]
    counts: dict[Text, Annotated[float, Field(gt=0)]]
    lead_words: Words = ()
    onsets: Words = ()
    """When it started, as a day: "yesterday", "last Tuesday" (a short duration)."""
    onset_with: tuple[Id, ...] = ()
    other_symptoms: tuple[Id, ...] = ()
    told_of: tuple[Id, ...] = ()
    """Findings whose own time a duration in their clause tells, when the clause has no word
    for pain: "doubled my distance over the last month", "periods stopped 8 months ago"."""
    """Findings whose own short course ("shivers since last night") says nothing of how long
    the hip has hurt, when their clause has no word for pain."""
    """Findings that, like a word for pain, make a day in their clause the day it began
    ("fell on Sunday"); other symptoms do not ("shivers last night")."""
    long_since: Words = ()
    short_since: Words = ()
    not_about: Words = ()
    not_about_years: Words = ()
    """Words that make a duration of a year or more one of something else ("same shoes for a
    year"), where a shorter one may still be the pain's ("the same for 4 weeks")."""
    comparatives: Words = ()
    """Words that make a day beside them a comparison, not an onset: "much better this week",
    "last week was worse"."""


class WordPair(Strict):
    """A finding told by words of every group in one clause, in any order and wording: "can't
    hold my wee" and "my bladder has gone weird" both pair the bladder with a loss of control."""

    finding: Id
    all_of: Annotated[tuple[Annotated[Words, Field(min_length=1)], ...], Field(min_length=2)]
    denies: bool = False
    """The pair says the finding is absent ("walking's fine"); any cue over it leaves it
    unsaid rather than turning it round."""
    not_with: Words = ()
    """Phrases that stop the pair in their clause ("fine after a walk" is stiffness easing)."""
    shares_words: bool = False
    """Its words may also be another finding's ("no feeling down below" is numbness and saddle
    numbness); otherwise a pair gives way to a phrase already read at its words."""
    in_sentence: bool = False
    """Its groups may also stand in different clauses of one sentence, each told with no cue
    ("tight and hard to move, especially in the morning, after a short walk it's OK")."""


class AnswerWords(Strict):
    """A reply's opening words and what they say to a yes/no question."""

    affirm: Annotated[Words, Field(min_length=1)]
    deny: Annotated[Words, Field(min_length=1)]
    unsure: Annotated[Words, Field(min_length=1)]
    tail: Words = ()
    """Words that may follow an answer to a bare topic: "lying on it, not really a problem"."""
    asks_fine: Words = ()
    """Last words of a question that asks whether all is well ("bladder ok? yep"): a yes to it
    denies the finding the question names, a no tells it."""


class Becomes(StrEnum):
    """What an implication does to the other finding."""

    PRESENT = "present"
    ABSENT = "absent"
    UNSAID = "unsaid"


class Implication(Strict):
    """When ``when`` is heard as ``is``, ``then`` becomes ``becomes`` unless stated itself."""

    when: Id
    is_: Annotated[Literal["present", "absent"], Field(alias="is")]
    then: Id
    becomes: Becomes
    same_clause: bool = False
    same_sentence: bool = False
    """For ``unsaid``: ``then`` is dropped when heard only in the sentences that heard ``when``
    ("Can't sleep on that side, it wakes me when I roll over")."""
    unless_with: Words = ()
    """For ``unsaid``: ``then`` stays when its clause has one of these words ("pain also at
    night, not only when I lie on the side")."""
    only_by: Words = ()
    """If given, only when ``when`` was heard through one of these phrases."""
    then_by: Words = ()
    """For ``unsaid``: only ``then`` mentions heard through one of these phrases are dropped."""
    only_with: Words = ()
    """If given (or with ``only_by``), when a clause that says ``when`` has one of these words."""
    within: bool = False
    """For ``unsaid``: only ``then`` mentions told together with a ``when`` mention, no denial of
    their own between them, are dropped ("no numbness in the saddle area", not "no numbness, no
    weakness in either leg")."""
    moves: bool = False
    """``when`` is dropped when every clause that says it has an ``only_with`` word: the words
    narrow it to ``then`` ("no stiff in the morning" is about mornings only)."""


class DoubleNegatives(Strict):
    """Cues that a denial before them in the clause cancels: "can't sit without a twinge"."""

    cues: Words = ()
    after: Words = ()


class Grammar(Strict):
    """The small word classes the reading rules are built from."""

    negative_words: Annotated[Words, Field(min_length=1)]
    """A denial inside a phrase or between two mentions ("can't walk", "no numbness, no ...")."""
    inability_words: Words = ()
    """Words of an inability: a list item with one tells its own finding, and no denial is
    carried over the list into it ("not limping, cant take weight")."""
    flipping_words: Annotated[Words, Field(min_length=1)]
    """A denial right before an absent phrase turns it round ("not walking normally")."""
    flipping_phrases: Words = ()
    """Phrases that turn an absent phrase round as flipping words do ("no chance I can stand")."""
    auxiliaries: Words = ()
    """Words that may stand between a flipping word and its phrase ("not been eating well")."""
    denied_pain: Words = ()
    """Words that make a word for pain beside them no pain felt ("no pain with it")."""
    approximators: Words = ()
    """Words before a duration that make it rough, not hedged ("maybe five weeks ago")."""
    anaphors: Words = ()
    """Words that point back: a clause with one may close what came before ("that's gone")."""
    until_words: Words = ()
    """Words in an activity phrase that tell the pain itself ("fine till I run")."""
    summing_up: Words = ()
    """Openings of a sentence that may close the episode the sentence before told."""
    frame_denials: Words = ()
    """Denials that stop an activity driving pain ("running doesn't hurt")."""
    longer: Words = ()
    """Words before "than" that make a time no comparison ("more than three weeks")."""
    elliptic_auxiliaries: Words = ()
    """Verbs that may open a clause closing an episode: "doesn't anymore"."""
    onset_words: Words = ()
    """Words that make a day in their clause the day the pain began ("since Saturday")."""
    it_began: Words = ()
    """Openings that tell the pain itself began ("it started about two months ago")."""
    degree_words: Words = ()
    """Words of degree that affirm what follows: "no fever, a bit clicky"."""
    ended_words: Words = ()
    """Words that make a course phrase tell an end: "the front doesn't hurt anymore" denies
    the front."""
    moved: Words = ()
    """Words that tell the pain has moved ("it's moved to my bum"): where it was is over."""
    echoes: Words = ()
    """Words before a finding that make it as the one denied before it in its clause:
    "sitting's fine and so are stairs"."""
    echo_tails: Words = ()
    """Words ending a short clause that is as the clause before it: "redness too"."""
    echo_openings: Words = ()
    """Words opening a short clause that is as the clause before it: "so is the side"."""
    fresh_openings: Words = ()
    """Words opening a clause that says something new rather than going on with a list a denial
    began: "no worse than last week, if anything a touch easier"."""


class Tense(Strict):
    """Words that put a clause in the past, and words that bring it back to now: a finding
    told as over ("the swelling's gone down") stays absent beside clauses that tell it only in
    the past ("it was puffy for a few days")."""

    past: Words = ()
    now: Words = ()
    all_over: Words = ()
    """A clause naming no finding that says it is all over ("hip is totally fine now, all
    settled"): every finding told only in the past is over too ("was sore at the side")."""


class TemperatureRule(Strict):
    """A temperature told as a number: a fever from ``fever_from`` degrees Celsius, a normal
    reading below ``normal_below`` (a number of 50 or more is read as Fahrenheit)."""

    finding: Id
    words: Annotated[Words, Field(min_length=1)]
    """The words for temperature a reading follows, which alone tell no fever."""
    beliefs: Words = ()
    """Words of a clause that only believes in a fever, which a normal reading overrules."""
    fever_from: Annotated[float, Field(gt=35, lt=42)]
    normal_below: Annotated[float, Field(gt=35, lt=42)]
    sources: Sources


class EventScope(Strict):
    """Events a denial does not reach when a subordinate opener stands between them: "couldn't
    put my leg down after I tripped" tells a fall."""

    findings: tuple[Id, ...] = ()
    openers: Words = ()


class MereSituation(Strict):
    """A word that would end a denial's scope but, right before a situation of ``findings``
    after only pain and ``between`` words, says "even just": "I don't get any pain just resting
    on my back" denies rest pain; "no pain running, just sitting" does not."""

    words: Words = ()
    findings: tuple[Id, ...] = ()
    between: Words = ()


class Abilities(Strict):
    """Findings that are the loss of an ability, whose topic words name the ability
    (cannot_bear_weight: "weight bearing", "stand"). A bare denial after the topic, or a no to
    a question about it, tells the finding ("Weight bearing: no", "Can you bear weight? No"),
    and a bare yes denies those of ``yes_denies``; a clause with a word for pain keeps the usual
    reading ("pain standing? no")."""

    findings: tuple[Id, ...] = ()
    yes_denies: tuple[Id, ...] = ()
    """The findings of these a bare yes denies ("Could I bear weight? yes"); "can he walk? yes"
    says nothing of a limp."""
    denials: Words = ()
    """The cues after a topic, or the replies to a question about it, that answer no to it: not
    those that say all is well ("weight bearing ok", "Walking? Fine.") or leave it in doubt
    ("can I walk? barely")."""


class RegainedAbility(Strict):
    """An inability told in the past that a later clause says is over: "couldn't put weight on
    it for a day, but I can now". A clause with one of ``verbs``, one of ``times`` (in it or in
    the clause before it) and none of ``unless`` makes ``findings`` told present in its sentence
    or the one before absent, when their clause has one of ``past`` ("couldn't", "yesterday"):
    "can't put weight on it today and I'm hobbling" still tells the inability."""

    findings: tuple[Id, ...] = ()
    verbs: Words = ()
    times: Words = ()
    unless: Words = ()
    past: Words = ()


class PainAfterward(Strict):
    """A clause that says the pain comes after the activity the clause before it denied the
    pain in: "no pain while running, only after", "fine during the run, sore after". Such a
    clause holds one of ``words``, none of ``unless`` ("it's more after, when I've been
    sitting") and nothing but ``others``, words for pain and filler; the ``findings`` denied in
    the clause before, in its sentence, are present."""

    findings: tuple[Id, ...] = ()
    words: Words = ()
    others: Words = ()
    unless: Words = ()


class StartedNow(Strict):
    """A clause that says what the clause before it denied of the past happens now: "it never
    used to click but now it does", "I wasn't limping before but I am now". The clause opens
    with one of ``openings``; the clause before it, in its sentence, holds every word of one
    entry of ``before``; what that clause denied is present."""

    openings: Words = ()
    before: Words = ()


class NothingThen(Strict):
    """A clause that is only "nothing" after a clause that opens on a situation: "when I press
    on it, nothing". What the situation clause told is denied."""

    words: Words = ()
    situations: Words = ()


class EllipticDenial(Strict):
    """A clause that denies by leaving out its verb: "but the hip doesn't", "mine isn't". What
    the clauses before it in the sentence said (of the hip, another body part or someone else)
    is then denied of the hip."""

    subjects: Words = ()
    verbs: Words = ()
    not_for: tuple[Id, ...] = ()
    doubts: Words = ()
    """Clauses that doubt what the clauses before them in the sentence said (someone else's
    observation): "my wife reckons I'm limping, I don't think I am" leaves the limp unsaid."""
    not_me: Words = ()
    """Clauses that deny of the runner what was said of someone else or another body part
    before them in the sentence: "the kids have had a fever but I've been fine"."""
    not_pain: tuple[Id, ...] = ()
    """Findings that are no pain: an elliptic denial of a hurt leaves them standing ("it clicks
    when I put my socks on, but that doesn't hurt")."""
    summaries: Words = ()
    """Openings that deny a whole list said before them: "stairs, the car, none of that hurts"."""
    comparisons: Words = ()
    """Openings of a comparison: an elliptic denial after one denies only the comparison
    ("numb round my groin, like I've sat on a bike saddle for hours, even though I haven't")."""
    closing_tail: Words = ()
    """Words that may follow a clause that is only a resolution: "cleared up completely"."""
    closing_causes: Words = ()
    """Words that open what ended it, after a resolution and its tail: "that's all gone now
    after I started yoga"."""
    alone: Words = ()
    """Clauses that deny what came before only when they are the whole clause (trailing filler
    aside): "I pressed on the bony bit and it doesn't hurt", but not "it doesn't hurt to walk"."""
    filler: Words = ()
    """Words that may follow an ``alone`` clause: "at all", "though"."""
    across: Words = ()
    """Subjects of an elliptic denial opening a sentence that deny what the sentence before
    told of the hip: "My knee clicks, everything clicks. Hip doesn't though."."""
    fine: Words = ()
    """Clauses joined on without a contrast that say the pain told before is fine: "I roll
    onto that side and it's fine" (a symptom that is no pain stands: "it clicks, it's fine")."""
    redirects: Words = ()
    """Openings that put what the sentence said before them on another body part named there:
    "my wrist is the one that's puffy, not the hip"."""
    regained: RegainedAbility = Field(default_factory=lambda: RegainedAbility())
    afterward: PainAfterward = Field(default_factory=lambda: PainAfterward())
    started_now: StartedNow = Field(default_factory=lambda: StartedNow())
    nothing_then: NothingThen = Field(default_factory=lambda: NothingThen())


class Proxy(Strict):
    """A message written for someone else and told only of them ("writing for my daughter,
    she's 14 ... she's limping"): that person is the runner, so the words that name them are no
    ``other_person`` cues."""

    for_whom: Annotated[Words, Field(min_length=1)]
    """Phrases that say the message is for someone else: "my son", "asking for"."""
    for_whom_aged: Words = ()
    """Phrases that say it before a number: "my 10 year old", "she's 13"."""
    relatives: Words = ()
    """Phrases naming someone close ("my partner"): they say the message is written for that
    person only when it tells of their hip (``their_hip``) over more than one sentence, so "my
    partner has a fever" and "my wife has swelling on her hip" stay someone else's."""
    their_hip: Words = ()
    """Phrases that tell of another person's hip: "her hip", "his groin"."""
    one_of: Words = ()
    """Phrases that say it before one of ``people`` a few words on: "one of my U15 girls"."""
    people: Words = ()
    """Words for the people ``one_of`` picks one from: "athletes", "girls"."""
    roles: Words = ()
    """Words of the writer's role ("I'm their coach"): a clause with one and no pain in it may
    speak of the writer."""
    writer_as_object: Words = ()
    """Words of the writer that may follow a word naming the other ("she's staying with me")."""
    they: Annotated[Words, Field(min_length=1)]
    """``other_person`` cue phrases that name that person ("she", "my daughter")."""
    alone: Words = ()
    """Words that name the other alone ("he", "she"): a message with one is written for them
    when no ``writer`` word stands outside an ``asking`` phrase and no relative is named ("he
    cant put any weight on it", "hurts when she lies on it and when I press on it")."""
    writer: Annotated[Words, Field(min_length=1)]
    """Words of the writer: one outside a ``for_whom`` or an ``asking`` phrase makes the message
    the writer's own ("my daughter had a fever but I'm fine")."""
    asking: Words = ()
    """Phrases in which the writer only asks or says why they write: "should I", "I'm writing"."""
    writer_elsewhere: Words = ()
    """Body parts other than the hip: a clause of the writer's own that names one and no hip word
    is an aside ("my own lower back is killing me"), and the message stays written for the
    other."""
    writer_own: Words = ()
    """Phrases that say the message is about the writer's own hip ("mine", "my own", "about me"):
    without one, a message that tells no age of the writer's own takes the age told of someone
    it names ("kid is 13, boy, says ...") as the runner's."""


class Slip(Strict):
    """A real-word slip: ``word`` read as ``means`` before a finding, unless after a word in
    ``unless_after`` ("know swelling", but not "I know swelling")."""

    word: Text
    means: Text
    unless_after: Words = ()
    before: Words = ()
    """If given, the slip is read only before one of these words; else before a finding."""


class LanguageFile(Strict):
    """``language.yaml``: how free text is read around the phrases of findings."""

    version: Text
    transparent: tuple[Id, ...] = ()
    presuming_questions: Words = ()
    """Question openings that take what follows as true: "why does it click", "should I worry
    that it's swollen?"."""
    presuming_tails: Words = ()
    """Question endings that ask about what came before it, told as true: "hip pain + fever =
    should I be worried?"."""
    parts: dict[Id, tuple[Words, ...]] = Field(default_factory=dict)
    """Findings told by several things, with the words of each ("red or hot skin": red, warm):
    one thing told present stands beside another denied ("warm to the touch, but not red")."""
    opposites: tuple[tuple[Id, Id], ...] = ()
    """Findings that cannot both be present: when a message says both, the later one stands."""
    double_negatives: DoubleNegatives = Field(default_factory=lambda: DoubleNegatives())
    slips: tuple[Slip, ...] = ()
    spellings: dict[str, str] = Field(default_factory=dict)
    """Misspellings too short for typo tolerance, read as the words meant: "frnt", "nite"."""
    ellipsis: EllipticDenial = Field(default_factory=lambda: EllipticDenial())
    terminators: Words = ()
    mere_situation: MereSituation = Field(default_factory=lambda: MereSituation())
    abilities: Abilities = Field(default_factory=lambda: Abilities())
    events: EventScope = Field(default_factory=lambda: EventScope())
    tense: Tense = Field(default_factory=lambda: Tense())
    grammar: Grammar
    contrasts: Words = ()
    """Phrases that end every cue's scope, as terminators do: "it's more on the side"."""
    first_person: Words = ()
    hip_words: Words = ()
    cues: Annotated[tuple[CueGroup, ...], Field(min_length=1)]
    subjects: dict[Id, Words] = Field(default_factory=dict)
    """Words naming a finding's topic, which count only when denied or resolved."""
    pain_subjects: tuple[Id, ...] = ()
    exceptions: Words = ()
    """Openings of what a denial leaves out: "besides the stiffness it's fine", "other than the
    clicking, nothing" tell the stiffness and the clicking."""
    told_by_yes: tuple[Id, ...] = ()
    """Findings whose topic words, answered by a bare yes, tell them: "red: yes", "temp ✔"."""
    pain_words: Annotated[Words, Field(min_length=1)]
    locations: Locations
    activity: ActivityFrame
    training: TrainingFrame
    duration: DurationFrame
    earlier: EarlierFrame | None = None
    scores: ScoreFrame | None = None
    temperature: TemperatureRule | None = None
    proxy: Proxy | None = None
    pairs: tuple[WordPair, ...] = ()
    answers: AnswerWords
    implications: tuple[Implication, ...] = ()

    @model_validator(mode="after")
    def _proxy_names_other_people(self) -> Self:
        if self.proxy is None:
            return self
        others = {
            phrase
            for group in self.cues
            if group.means is CueMeaning.OTHER_PERSON
            for phrase in group.phrases
        }
        unknown = [phrase for phrase in self.proxy.they if phrase not in others]
        if unknown:
            raise ValueError(f"proxy.they: {unknown!r} are no other_person cue phrases")
        return self
