"""Choose the next question: can't-miss questions first, then what best separates the causes.

A question that could raise the urgency to urgent or an emergency is always asked, whatever the
question budget. Other questions are worth asking only if one of their answers could change the
result: the top causes and their bands, or the urgency. When none can, the interview stops.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from operator import attrgetter, itemgetter

from bot.knowledge import Knowledge, Urgency
from bot.reasoning.assessment import (
    ABSENT_PENALTY,
    MAX_CAUSES_SHOWN,
    POSSIBLE_WITHIN,
    band_for,
    score_cause,
)
from bot.reasoning.triage import Answers, Triage

URGENCY_BONUS = 3.0
_rank = attrgetter("rank")


@dataclass(frozen=True, slots=True)
class _Effect:
    present: dict[str, float]
    absent: dict[str, float]


_NO_EFFECT = _Effect({}, {})


class QuestionPlanner:
    """Picks targeted questions for one knowledge base; build once, share across sessions."""

    def __init__(
        self,
        knowledge: Knowledge,
        triage: Triage,
        *,
        skip: Collection[str] = (),
        first: Collection[str] = (),
        when_present: Mapping[str, Collection[str]] | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.triage = triage
        self._effects: dict[str, _Effect] = {}
        for cause in knowledge.causes.values():
            for finding, evidence in cause.supported_by.items():
                effect = self._effect(finding)
                effect.present[cause.id] = effect.present.get(cause.id, 0.0) + evidence.weight
                effect.absent[cause.id] = (
                    effect.absent.get(cause.id, 0.0) - ABSENT_PENALTY * evidence.weight
                )
            for finding, evidence in cause.argued_against_by.items():
                effect = self._effect(finding)
                effect.present[cause.id] = effect.present.get(cause.id, 0.0) - evidence.weight
        self._order = [f for f in knowledge.findings if f not in skip]
        self._first = tuple(f for f in first if f not in skip)
        self._when_present = {t: tuple(asked) for t, asked in (when_present or {}).items()}

    def _effect(self, finding: str) -> _Effect:
        return self._effects.setdefault(finding, _Effect({}, {}))

    @staticmethod
    def _shown(scores: dict[str, float]) -> tuple[tuple[str, str], ...]:
        """The causes a result would show, with their bands."""
        ranked = sorted(scores.items(), key=itemgetter(1), reverse=True)
        top = ranked[0][1]
        return tuple(
            (cid, band_for(s, top, i).value)
            for i, (cid, s) in enumerate(ranked[:MAX_CAUSES_SHOWN])
        )

    def must_ask(self, answers: Answers) -> str | None:
        """A question whose "yes" would make the result urgent or an emergency, if one is open
        (asked even about findings that have a state of their own, such as the age)."""
        floor = max(self.triage.urgency(answers), Urgency.SEE_PROFESSIONAL, key=_rank)
        return self.triage.raising_question(answers, above=floor)

    def next_question(self, answers: Answers, *, budget_left: bool = True) -> str | None:
        """The most useful finding to ask about next, or ``None`` when nothing would change.

        Without ``budget_left`` only a question that could make the result urgent is asked.
        """
        must = self.must_ask(answers)
        if must is not None or not budget_left:
            return must
        follow = next(
            (
                f
                for trigger, asked in self._when_present.items()
                if answers.get(trigger) is True
                for f in asked
                if f not in answers
            ),
            None,
        )
        if follow is not None:
            return follow
        early = next((f for f in self._first if f not in answers), None)
        if early is not None:
            return early
        scores = {c.id: score_cause(c, answers) for c in self.knowledge.causes.values()}
        fired = self.triage.fired(answers)
        urgency = max([Urgency.SELF_CARE, *(r.urgency for r in fired)], key=_rank)
        shown_now = self._shown(scores)
        top = max(scores.values())
        contenders = {cid for cid, s in scores.items() if s >= top - POSSIBLE_WITHIN}
        present = self.triage.present(answers)
        best: tuple[float, str] | None = None
        for finding in self._order:
            if finding in answers:
                continue
            effect = self._effects.get(finding, _NO_EFFECT)
            if not contenders & effect.present.keys() and finding not in self.triage.findings:
                continue
            # Only a "yes" can change the urgency: the finding is unanswered, so a "no" leaves
            # the findings answered "yes", all the rules read, as they are.
            urgency_then = self.triage.urgency_if(answers, finding, True, fired, present=present)
            changes_urgency = urgency_then != urgency
            changes = changes_urgency
            for delta in (effect.present, effect.absent):
                if not changes and delta:
                    moved = {cid: s + delta.get(cid, 0.0) for cid, s in scores.items()}
                    changes = self._shown(moved) != shown_now
            if not changes:
                continue
            spread = [effect.present.get(cid, 0.0) for cid in contenders]
            separation = max(spread) - min(spread) + (URGENCY_BONUS if changes_urgency else 0.0)
            if best is None or separation > best[0]:
                best = (separation, finding)
        return None if best is None else best[1]
