"""Turn an assessment and a session into the messages a runner reads (in markup)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.dialogue.markup import Markup, escape, join, link, quote, visible_length
from bot.dialogue.messages import Option, Reply
from bot.dialogue.session import Session
from bot.knowledge import AdviceTopic, Exercise, Knowledge
from bot.knowledge.model import BUTTON_LENGTH
from bot.reasoning import Assessment, Band, RankedCause

BAND_TEXTS = {Band.LIKELY: "band_likely", Band.POSSIBLE: "band_possible",
              Band.LESS_LIKELY: "band_less_likely"}  # fmt: skip
"""The dialogue text naming each band."""
URGENCY_ICONS = {"self_care": "🟢", "see_professional": "🟡", "urgent": "🟠", "emergency": "🔴"}
MESSAGE_LIMIT = 1200
"""The longest message we send: about two phone screens."""
CAPTION_LIMIT = 1024
"""The longest caption under a picture."""
MAX_LABELS_SHOWN = 4
MIN_SUMMARY = 80
"""Characters of a cause's summary worth showing; fewer answers are listed to make room."""
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class Renderer:
    """Builds reply texts from the knowledge base and the dialogue's wording."""

    def __init__(self, knowledge: Knowledge, texts: Mapping[str, str]) -> None:
        self.knowledge = knowledge
        self.texts = texts

    def text(self, text_id: str, **values: object) -> Markup:
        """A dialogue text (markup) with ``{placeholders}`` filled in, each value escaped."""
        escaped = {
            key: escape(value if isinstance(value, str) else str(value))
            for key, value in values.items()
        }
        return Markup(self.texts[text_id].format(**escaped).strip())

    def band(self, band: Band) -> str:
        """A cause's band in words ("likely")."""
        return self.label(BAND_TEXTS[band])

    def label(self, text_id: str) -> str:
        """A dialogue text used as a button label (plain text, no placeholders)."""
        return self.texts[text_id].strip()

    def button(self, finding_id: str) -> str:
        """A finding's button label: its own short one, or its label cut to fit."""
        finding = self.knowledge.findings[finding_id]
        if finding.button is not None or len(finding.label) <= BUTTON_LENGTH:
            return finding.button or finding.label
        return finding.label[: BUTTON_LENGTH - 1].rstrip(" ,") + "…"

    def wording(self, option: Option) -> str:
        """What a typed answer is matched against: a finding's full label, else the button's."""
        finding = self.knowledge.findings.get(option.value)
        return option.label if finding is None else finding.label

    def checklist(self, finding_ids: Sequence[str]) -> Markup:
        """The full wording of a checklist's findings, one line each."""
        return join("\n", [f"• {self.knowledge.findings[f].label}" for f in finding_ids])

    def labels(self, finding_ids: Sequence[str], *, most: int | None = None) -> str:
        """Finding ids as a readable, comma-separated list of labels (the first ``most``)."""
        return self._listed([self.knowledge.findings[f].label for f in finding_ids], most)

    def absent_labels(self, finding_ids: Sequence[str], *, most: int | None = None) -> str:
        """Findings the runner does not have, phrased as absent ("no limp", "under 45")."""
        return self._listed([self.knowledge.findings[f].absent_label for f in finding_ids], most)

    def _listed(self, labels: Sequence[str], most: int | None) -> str:
        """``labels`` comma-separated; past ``most`` of them, how many more there are."""
        if most is None or len(labels) <= most:
            return ", ".join(labels)
        more = self.texts["more_items"].format(count=len(labels) - most).strip()
        return f"{', '.join(labels[:most])} {more}"

    def answers(self, session: Session, *, most: int | None = None) -> Markup:
        """What the runner has, does not have (the first ``most``) and is not sure about."""
        known = self.knowledge.findings
        have = [f for f, v in session.answers.items() if v is True and f in known]
        lacks = [f for f, v in session.answers.items() if v is False]
        unsure = [f for f, v in session.answers.items() if v is None]
        lines = []
        if session.age is not None:
            lines.append(self.text("summary_age", age=session.age))
        if have:
            items = "\n".join(f"  • {known[f].label}" for f in have)
            lines.append(join("\n", [self.text("summary_have"), items]))
        if lacks:
            absent = self.absent_labels(lacks, most=most)
            lines.append(join(" ", [self.text("summary_not"), absent]))
        if unsure:
            lines.append(join(" ", [self.text("summary_unsure"), self.labels(unsure)]))
        return join("\n", lines) if lines else self.text("no_answers")

    def result(self, assessment: Assessment, closing: Markup | None = None) -> list[Markup]:
        """The result as at most three messages: the urgency and what to do now, the likely
        causes, then self-care and when to see whom (``closing``, such as the check-in offer,
        ends the last one, with room kept for it).

        Urgent and emergency results are one message: the action, what to do if it gets worse,
        and the causes to consider named for the clinician, with nothing that competes."""
        if assessment.acts_now:
            return [self._act_now(assessment)]
        return [
            self._urgency(assessment),
            self._causes(assessment),
            self._todo(assessment, closing),
        ]

    def _heading(self, assessment: Assessment) -> Markup:
        level = self.knowledge.urgency_levels[assessment.urgency]
        icon = URGENCY_ICONS[assessment.urgency.value]
        return self.text("result_heading", icon=icon, label=level.label)

    def _urgency(self, assessment: Assessment) -> Markup:
        level = self.knowledge.urgency_levels[assessment.urgency]
        flags = [self.text("flag_line", title=rule.title) for rule in assessment.red_flags]
        heading = join("\n", [self._heading(assessment), *flags])
        return join("\n\n", [heading, level.what_to_do])

    def _causes(self, assessment: Assessment) -> Markup:
        """The causes one line each, each explanation in an expandable quote; as many whole
        sentences of each summary as the message has room for."""
        title = self.text("causes_title")
        shown = assessment.shown_causes
        for most in range(MAX_LABELS_SHOWN, 0, -1):
            parts = [(self._cause_line(ranked), self._details(ranked, most)) for ranked in shown]
            drafts = [join("\n", [line, *details]) for line, details in parts]
            fixed = visible_length(join("\n\n", [title, *drafts]))
            room = (MESSAGE_LIMIT - fixed) // max(1, len(shown)) - 2
            if room >= MIN_SUMMARY:
                break
        blocks = [
            join(
                "\n",
                [
                    line,
                    quote(
                        join("\n", [_sentences(r.cause.summary.text, room), *details]),
                        expandable=True,
                    ),
                ],
            )
            for r, (line, details) in zip(shown, parts, strict=True)
        ]
        return join("\n\n", [title, *blocks])

    def _cause_line(self, ranked: RankedCause) -> Markup:
        return self.text("cause_line", name=ranked.cause.name, band=self.band(ranked.band))

    def _details(self, ranked: RankedCause, most: int) -> list[Markup]:
        """What fits with a cause and what does not, at most ``most`` answers each."""
        details = []
        if ranked.for_:
            details.append(
                join(" ", [self.text("for_label"), self.labels(ranked.for_, most=most)])
            )
        labels = [self.knowledge.findings[f].label for f in ranked.against]
        labels += [self.knowledge.findings[f].absent_label for f in ranked.missing]
        if labels:
            details.append(join(" ", [self.text("against_label"), self._listed(labels, most)]))
        return details

    def _todo(self, assessment: Assessment, closing: Markup | None) -> Markup:
        level = self.knowledge.urgency_levels[assessment.urgency]
        top = assessment.shown_causes[0].cause
        referral = top.see_professional
        if assessment.exercises_withheld:
            exercises = self.text("exercises_withheld")
        elif assessment.exercises:
            names = ", ".join(self.knowledge.exercises[e].name for e in assessment.exercises)
            exercises = self.text("exercises_offer", names=names)
        else:
            exercises = Markup()
        tail = [
            self.text("see_title", who=referral.who, when=referral.when),
            join(" ", [self.text("worse_title"), level.if_worse]),
            exercises,
            self.text("version_line", version=self.knowledge.version),
            closing or Markup(),
        ]
        tail = [part for part in tail if part]
        todo = [self.text("self_care_title")]
        room = MESSAGE_LIMIT - sum(visible_length(part) + 2 for part in [*todo, *tail])
        if not assessment.exercises_withheld:
            for point in top.self_care:
                item = escape(f"• {point.text}")
                if visible_length(item) + 1 > room:
                    break
                todo.append(item)
                room -= visible_length(item) + 1
        return join("\n\n", [join("\n", todo), *tail] if len(todo) > 1 else tail)

    def _act_now(self, assessment: Assessment) -> Markup:
        """One message for an urgent or emergency result: the action and nothing else."""
        level = self.knowledge.urgency_levels[assessment.urgency]
        rules = [r for r in assessment.red_flags if r.urgency is assessment.urgency]
        flags = [self.text("flag_line", title=rule.title) for rule in rules]
        parts = [join("\n", [self._heading(assessment), *flags])]
        parts.append(escape(rules[0].message if rules else level.what_to_do))
        parts.append(join(" ", [self.text("worse_title"), level.if_worse]))
        names = ", ".join(r.cause.name for r in assessment.shown_causes)
        if names:
            parts.append(self.text("clinician_causes", causes=names))
        parts.append(self.text("disclaimer"))
        return join("\n\n", parts)

    def card(self, exercise: Exercise) -> Reply:
        """An exercise as one message: its picture, under it the steps, dose, form cues, when
        to stop and a video (or a guide) to follow; the purpose and progression are left out
        if the caption would be too long."""
        steps = "\n".join(f"{i}. {step}" for i, step in enumerate(exercise.steps, 1))
        cues = join("\n", [self.text("form_label"), *(f"• {cue}" for cue in exercise.form_cues)])
        stops = join("\n", [self.text("stop_label"), *(f"• {stop}" for stop in exercise.stop_if)])
        watch = self.text("video_link" if exercise.video else "guide_link")
        parts = {
            "title": self.text("exercise_title", name=exercise.name),
            "purpose": escape(exercise.purpose),
            "steps": escape(steps),
            "dose": join(" ", [self.text("dose_label"), exercise.dose]),
            "cues": quote(cues, expandable=True),
            "stops": stops,
            "progression": join(" ", [self.text("progression_label"), exercise.progression])
            if exercise.progression else Markup(),
            "watch": link(watch, exercise.video or exercise.sources[0]),
        }  # fmt: skip
        text = join("\n\n", [part for part in parts.values() if part])
        for optional in ("progression", "purpose"):
            if visible_length(text) <= CAPTION_LIMIT:
                break
            del parts[optional]
            text = join("\n\n", [part for part in parts.values() if part])
        return Reply(text, formatted=True, picture=exercise.id)

    def topic(self, topic: AdviceTopic) -> Markup:
        """One advice topic as a message."""
        points = [escape(f"• {p.text}") for p in topic.points]
        return join("\n\n", [self.text("topic_title", title=topic.title), *points])

    def library_exercise(self, assessment: Assessment, exercise_id: str) -> Markup | Reply:
        """An exercise from the library, unless the current answers make it unsafe."""
        if assessment.exercises_withheld:
            return self.text("exercises_withheld")
        for avoided in assessment.avoided:
            if avoided.exercise == exercise_id:
                name = self.knowledge.exercises[exercise_id].name
                return self.text("library_avoid", name=name, why=avoided.why)
        return self.card(self.knowledge.exercises[exercise_id])

    def exercises(self, assessment: Assessment) -> list[Markup | Reply]:
        """Instructions for every offered exercise, then general rules and what to avoid."""
        if assessment.exercises_withheld:
            return [self.text("exercises_withheld")]
        messages: list[Markup | Reply] = [
            self.card(self.knowledge.exercises[e]) for e in assessment.exercises
        ]
        rules = [escape(f"• {rule.text}") for rule in self.knowledge.exercise_rules]
        if rules:
            messages.append(join("\n", [self.text("rules_title"), *rules]))
        if assessment.avoided:
            avoid = [
                escape(f"• {self.knowledge.exercises[a.exercise].name}: {a.why}")
                for a in assessment.avoided
            ]
            messages.append(join("\n", [self.text("avoid_title"), *avoid]))
        return messages

    def why_result(self, assessment: Assessment) -> Markup:
        """Why the result came out as it did."""
        lines = [self.text("why_result")]
        for rule in assessment.red_flags:
            lines.append(self.text("warning_line", title=rule.title))
        for ranked in assessment.shown_causes:
            reasons = self.labels(ranked.for_) or "—"
            band = self.band(ranked.band)
            name = ranked.cause.name
            lines.append(self.text("why_cause_line", name=name, band=band, reasons=reasons))
        return join("\n", lines)

    def summary(self, session: Session, assessment: Assessment | None) -> Markup:
        """A text the runner can share with a clinician, within one message: past that, the
        answers the runner does not have are counted rather than listed."""
        tail = []
        if assessment is not None:
            level = self.knowledge.urgency_levels[assessment.urgency]
            result = [join(" ", [self.text("summary_result"), level.label])]
            result += [self.text("warning_line", title=r.title) for r in assessment.red_flags]
            result += [
                self.text("summary_cause_line", name=r.cause.name, band=self.band(r.band))
                for r in assessment.shown_causes
            ]
            if assessment.exercises:
                names = ", ".join(self.knowledge.exercises[e].name for e in assessment.exercises)
                result.append(join(" ", [self.text("summary_exercises"), names]))
            tail.append(join("\n", result))
        tail.append(self.text("version_line", version=self.knowledge.version))
        lacking = sum(1 for v in session.answers.values() if v is False)
        for most in range(lacking, -1, -1):
            summary = join(
                "\n\n", [self.text("summary_title"), self.answers(session, most=most), *tail]
            )
            if visible_length(summary) <= MESSAGE_LIMIT:
                break
        return summary


def _sentences(text: str, room: int) -> str:
    """The first sentences of ``text`` that fit in ``room`` characters, or its first words."""
    kept: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        if len(" ".join([*kept, sentence])) > room:
            break
        kept.append(sentence)
    if kept:
        return " ".join(kept)
    return text[: text.rfind(" ", 0, room - 1)] + "…"
