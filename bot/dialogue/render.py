"""Turn an assessment and a session into the messages a runner reads."""

from __future__ import annotations

from collections.abc import Mapping

from bot.dialogue.session import Session
from bot.knowledge import AdviceTopic, Exercise, Knowledge
from bot.reasoning import Assessment, Band, RankedCause

BAND_WORDS = {Band.LIKELY: "likely", Band.POSSIBLE: "possible", Band.LESS_LIKELY: "less likely"}
URGENCY_ICONS = {"self_care": "🟢", "see_professional": "🟡", "urgent": "🟠", "emergency": "🔴"}


class Renderer:
    """Builds reply texts from the knowledge base and the dialogue's wording."""

    def __init__(self, knowledge: Knowledge, texts: Mapping[str, str]) -> None:
        self.knowledge = knowledge
        self.texts = texts

    def text(self, text_id: str, **values: object) -> str:
        """A dialogue text with ``{placeholders}`` filled in."""
        return self.texts[text_id].format(**values).strip()

    def labels(self, finding_ids: list[str]) -> str:
        """Finding ids as a readable, comma-separated list of labels."""
        return ", ".join(self.knowledge.findings[f].label for f in finding_ids)

    def absent_labels(self, finding_ids: list[str]) -> str:
        """Findings the runner does not have, phrased as absent ("no limp", "under 45")."""
        return ", ".join(self.knowledge.findings[f].absent_label for f in finding_ids)

    def against(self, ranked: RankedCause) -> str:
        """What does not fit a cause: findings that argue against it, then missing support."""
        parts = [self.labels(list(ranked.against)), self.absent_labels(list(ranked.missing))]
        return "; ".join(part for part in parts if part)

    def answers(self, session: Session) -> str:
        """What the runner has, does not have and is not sure about."""
        have = [
            f for f, v in session.answers.items() if v is True and f in self.knowledge.findings
        ]
        lacks = [f for f, v in session.answers.items() if v is False]
        unsure = [f for f, v in session.answers.items() if v is None]
        lines = []
        if session.age is not None:
            lines.append(self.text("summary_age", age=session.age))
        findings = self.knowledge.findings
        if have:
            items = "\n".join(f"  • {findings[f].label}" for f in have)
            lines.append(f"{self.text('summary_have')}\n{items}")
        if lacks:
            items = "\n".join(f"  • {findings[f].absent_label}" for f in lacks)
            lines.append(f"{self.text('summary_not')}\n{items}")
        if unsure:
            lines.append(f"{self.text('summary_unsure')} {self.labels(unsure)}")
        return "\n".join(lines) or self.text("no_answers")

    def result(self, assessment: Assessment) -> list[str]:
        """The result as a few messages: urgency, likely causes, what to do, exercises.

        Urgent and emergency results are one message: the action, what to do if it gets worse,
        and the causes to consider named for the clinician, with nothing that competes."""
        if assessment.acts_now:
            return [self._act_now(assessment)]
        level = self.knowledge.urgency_levels[assessment.urgency]
        icon = URGENCY_ICONS[assessment.urgency.value]
        head = [f"{icon} {level.label}"]
        head += [f"⚠️ {rule.title}: {rule.message}" for rule in assessment.red_flags]
        head.append(level.what_to_do)
        messages = ["\n\n".join(head)]

        causes = [self.text("causes_title")]
        for ranked in assessment.shown_causes:
            cause = ranked.cause
            lines = [f"• {cause.name} — {BAND_WORDS[ranked.band]}", f"  {cause.summary.text}"]
            if ranked.for_:
                lines.append(f"  {self.text('for_label')} {self.labels(list(ranked.for_))}")
            against = self.against(ranked)
            if against:
                lines.append(f"  {self.text('against_label')} {against}")
            causes.append("\n".join(lines))
        messages.append("\n\n".join(causes))

        top = assessment.shown_causes[0].cause
        todo = [self.text("self_care_title")]
        if not assessment.exercises_withheld:
            todo += [f"• {point.text}" for point in top.self_care]
        referral = top.see_professional
        todo.append(self.text("see_title", who=referral.who, when=referral.when))
        for topic_id in top.advice[:2]:
            topic = self.knowledge.topics[topic_id]
            todo.append(f"{topic.title}: " + " ".join(p.text for p in topic.points[:2]))
        messages.append("\n".join(todo))

        if assessment.exercises_withheld:
            messages.append(self.text("exercises_withheld"))
        elif assessment.exercises:
            names = ", ".join(self.knowledge.exercises[e].name for e in assessment.exercises)
            messages.append(self.text("exercises_offer", names=names))
        messages.append(
            "\n\n".join(
                [
                    f"{self.text('worse_title')} {level.if_worse}",
                    self.text("version_line", version=self.knowledge.version),
                    self.text("disclaimer"),
                ]
            )
        )
        return messages

    def _act_now(self, assessment: Assessment) -> str:
        """One message for an urgent or emergency result: the action and nothing else."""
        level = self.knowledge.urgency_levels[assessment.urgency]
        icon = URGENCY_ICONS[assessment.urgency.value]
        rules = [r for r in assessment.red_flags if r.urgency is assessment.urgency]
        parts = [f"{icon} {level.label}"]
        parts += [f"⚠️ {rule.title}: {rule.message}" for rule in rules] or [level.what_to_do]
        parts.append(f"{self.text('worse_title')} {level.if_worse}")
        names = ", ".join(r.cause.name for r in assessment.shown_causes)
        if names:
            parts.append(self.text("clinician_causes", causes=names))
        parts.append(self.text("disclaimer"))
        return "\n\n".join(parts)

    def exercise(self, exercise: Exercise) -> str:
        """Step-by-step instructions for one exercise."""
        steps = "\n".join(f"{i}. {step}" for i, step in enumerate(exercise.steps, 1))
        cues = "\n".join(f"• {cue}" for cue in exercise.form_cues)
        stops = "\n".join(f"• {stop}" for stop in exercise.stop_if)
        parts = [
            f"🏋️ {exercise.name}",
            exercise.purpose,
            steps,
            f"{self.text('dose_label')} {exercise.dose}",
            f"{self.text('form_label')}\n{cues}",
            f"{self.text('stop_label')}\n{stops}",
        ]
        if exercise.progression:
            parts.append(f"{self.text('progression_label')} {exercise.progression}")
        return "\n\n".join(parts)

    def topic(self, topic: AdviceTopic) -> str:
        """One advice topic as a message."""
        return "\n\n".join([f"📖 {topic.title}", *(f"• {p.text}" for p in topic.points)])

    def library_exercise(self, assessment: Assessment, exercise_id: str) -> str:
        """An exercise from the library, unless the current answers make it unsafe."""
        if assessment.exercises_withheld:
            return self.text("exercises_withheld")
        for avoided in assessment.avoided:
            if avoided.exercise == exercise_id:
                name = self.knowledge.exercises[exercise_id].name
                return self.text("library_avoid", name=name, why=avoided.why)
        return self.exercise(self.knowledge.exercises[exercise_id])

    def exercises(self, assessment: Assessment) -> list[str]:
        """Instructions for every offered exercise, then general rules and what to avoid."""
        if assessment.exercises_withheld:
            return [self.text("exercises_withheld")]
        messages = [self.exercise(self.knowledge.exercises[e]) for e in assessment.exercises]
        rules = [f"• {rule.text}" for rule in self.knowledge.exercise_rules]
        if rules:
            messages.append("\n".join([self.text("rules_title"), *rules]))
        if assessment.avoided:
            avoid = [
                f"• {self.knowledge.exercises[a.exercise].name}: {a.why}"
                for a in assessment.avoided
            ]
            messages.append("\n".join([self.text("avoid_title"), *avoid]))
        return messages

    def why_result(self, assessment: Assessment) -> str:
        """Why the result came out as it did."""
        lines = [self.text("why_result")]
        for rule in assessment.red_flags:
            lines.append(f"⚠️ {rule.title}")
        for ranked in assessment.shown_causes:
            reasons = self.labels(list(ranked.for_)) or "—"
            lines.append(f"• {ranked.cause.name} ({BAND_WORDS[ranked.band]}): {reasons}")
        return "\n".join(lines)

    def summary(self, session: Session, assessment: Assessment | None) -> str:
        """A text the runner can share with a clinician."""
        parts = [self.text("summary_title"), self.answers(session)]
        if assessment is not None:
            level = self.knowledge.urgency_levels[assessment.urgency]
            parts.append(f"{self.text('summary_result')} {level.label}")
            parts += [f"⚠️ {rule.title}" for rule in assessment.red_flags]
            parts += [f"• {r.cause.name} — {BAND_WORDS[r.band]}" for r in assessment.shown_causes]
            if assessment.exercises:
                names = ", ".join(self.knowledge.exercises[e].name for e in assessment.exercises)
                parts.append(f"{self.text('summary_exercises')} {names}")
        parts.append(self.text("version_line", version=self.knowledge.version))
        parts.append(self.text("disclaimer"))
        return "\n\n".join(parts)
