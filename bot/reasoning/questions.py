"""Choose the next question: safety first, then what best separates the remaining causes.

A question is worth asking only if one of its answers could change the result: the top causes
and their bands, or the urgency. When no unanswered finding can do that, the interview stops.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from operator import attrgetter, itemgetter

from bot.knowledge import Knowledge, RedFlagRule, Urgency
from bot.reasoning.assessment import (
    ABSENT_PENALTY,
    MAX_CAUSES_SHOWN,
    POSSIBLE_WITHIN,
    Answers,
    band_for,
    matching_rules,
    score_cause,
)

URGENCY_BONUS = 1.0
_rank = attrgetter("rank")


@dataclass(frozen=True, slots=True)
class _Effect:
    present: dict[str, float]
    absent: dict[str, float]


_NO_EFFECT = _Effect({}, {})


class QuestionPlanner:
    """Picks targeted questions for one knowledge base; build once, share across sessions."""

    def __init__(self, knowledge: Knowledge, *, skip: Collection[str] = ()) -> None:
        self.knowledge = knowledge
        self._effects: dict[str, _Effect] = {}
        for cause in knowledge.causes.values():
            for finding, weight in cause.supported_by.items():
                effect = self._effect(finding)
                effect.present[cause.id] = effect.present.get(cause.id, 0.0) + weight
                effect.absent[cause.id] = (
                    effect.absent.get(cause.id, 0.0) - ABSENT_PENALTY * weight
                )
            for finding, weight in cause.argued_against_by.items():
                effect = self._effect(finding)
                effect.present[cause.id] = effect.present.get(cause.id, 0.0) - weight
        self._order = [f for f in knowledge.findings if f not in skip]
        self._rules_by_finding: dict[str, list[RedFlagRule]] = {}
        for rule in knowledge.red_flags:
            for finding in {*rule.all_of, *rule.any_of}:
                self._rules_by_finding.setdefault(finding, []).append(rule)
        self._flagged = set(self._rules_by_finding)

    def _effect(self, finding: str) -> _Effect:
        return self._effects.setdefault(finding, _Effect({}, {}))

    @staticmethod
    def _shown(scores: dict[str, float]) -> tuple[tuple[str, str], ...]:
        """The causes a result would show, with their bands."""
        ranked = sorted(scores.items(), key=itemgetter(1), reverse=True)
        top = ranked[0][1]
        return tuple((cid, band_for(s, top).value) for cid, s in ranked[:MAX_CAUSES_SHOWN])

    def _urgency_if(self, answers: Answers, finding: str, value: bool, now: Urgency) -> Urgency:
        """The red-flag urgency once ``finding`` is answered (only its own rules can change)."""
        rules = self._rules_by_finding.get(finding)
        if not rules or not value:  # a rule is met only by findings that are present
            return now
        changed = {**answers, finding: value}
        met = [
            rule.urgency
            for rule in rules
            if all(changed.get(f) is True for f in rule.all_of)
            and (not rule.any_of or any(changed.get(f) is True for f in rule.any_of))
        ]
        return max([now, *met], key=_rank)

    def safety_question(
        self, answers: Answers, *, at_least: Urgency = Urgency.SEE_PROFESSIONAL
    ) -> str | None:
        """An unanswered finding that could complete a red-flag rule, most urgent rule first.

        Rules already partly met (one of their findings is present) are completed first; a
        rule that needs just one finding is asked about on its own only when it is urgent.
        """
        rules = sorted(self.knowledge.red_flags, key=lambda r: -r.urgency.rank)
        for rule in rules:
            if rule.urgency.rank < at_least.rank:
                continue
            if any(answers.get(f) is False for f in rule.all_of):
                continue
            findings = (*rule.all_of, *rule.any_of)
            started = any(answers.get(f) is True for f in findings)
            single = len(findings) == 1 and rule.urgency.rank >= Urgency.URGENT.rank
            if not (started or single):
                continue
            unknown_all = [f for f in rule.all_of if f not in answers]
            any_met = not rule.any_of or any(answers.get(f) is True for f in rule.any_of)
            unknown_any = [f for f in rule.any_of if f not in answers]
            if unknown_all and any_met:
                return unknown_all[0]
            if not unknown_all and not any_met and unknown_any:
                return unknown_any[0]
        return None

    def next_question(self, answers: Answers) -> str | None:
        """The most useful finding to ask about next, or ``None`` when nothing would change."""
        safety = self.safety_question(answers)
        if safety is not None:
            return safety
        scores = {c.id: score_cause(c, answers) for c in self.knowledge.causes.values()}
        rules = matching_rules(self.knowledge, answers)
        urgency = max([Urgency.SELF_CARE, *(r.urgency for r in rules)], key=_rank)
        shown_now = self._shown(scores)
        top = max(scores.values())
        contenders = {cid for cid, s in scores.items() if s >= top - POSSIBLE_WITHIN}
        best: tuple[float, str] | None = None
        for finding in self._order:
            if finding in answers:
                continue
            effect = self._effects.get(finding, _NO_EFFECT)
            if not contenders & effect.present.keys() and finding not in self._flagged:
                continue
            changes_urgency = False
            changes = False
            for delta, answer in ((effect.present, True), (effect.absent, False)):
                urgency_then = self._urgency_if(answers, finding, answer, urgency)
                changes_urgency = changes_urgency or urgency_then != urgency
                if not changes:
                    moved = {cid: s + delta.get(cid, 0.0) for cid, s in scores.items()}
                    changes = urgency_then != urgency or (
                        bool(delta) and self._shown(moved) != shown_now
                    )
            if not changes:
                continue
            spread = [effect.present.get(cid, 0.0) for cid in contenders]
            separation = max(spread) - min(spread) + (URGENCY_BONUS if changes_urgency else 0.0)
            if best is None or separation > best[0]:
                best = (separation, finding)
        return None if best is None else best[1]
