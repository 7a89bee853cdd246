"""The one triage decision: which sign rules fire, how urgent that is, whether exercises are
safe, and which unanswered question could still raise the urgency.

Urgency comes from the runner's signs (``knowledge/red_flags.yaml``), never from which cause
looks likely. The question planner, the assessment and the dialogue engine all ask this module;
none of them reads the rules itself.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from operator import attrgetter

from bot.knowledge import Knowledge, RedFlagRule, Urgency

Answers = Mapping[str, bool | None]
"""Finding id → True (present), False (absent) or None (the runner is not sure)."""

_rank = attrgetter("rank")


@dataclass(frozen=True, slots=True)
class Decision:
    """The urgency for a set of answers, and everything that follows from it."""

    urgency: Urgency
    rules: tuple[RedFlagRule, ...]
    """The rules that fire, most urgent first."""
    exercises_withheld: bool

    @property
    def ends_interview(self) -> bool:
        """Urgent or worse: the runner should act now, not answer more questions."""
        return self.urgency.rank >= Urgency.URGENT.rank


def fires(rule: RedFlagRule, answers: Answers) -> bool:
    """Whether ``rule`` holds for these answers."""
    return _RuleSets(rule).fires(_present(answers))


def completing(rule: RedFlagRule, answers: Answers) -> tuple[str, ...]:
    """Unanswered findings any one of which, answered yes, would make ``rule`` fire."""
    return _RuleSets(rule).completing(_present(answers), _absent(answers), answers)


def _present(answers: Answers) -> frozenset[str]:
    """The findings answered "yes"."""
    return frozenset([f for f, value in answers.items() if value is True])


def _absent(answers: Answers) -> frozenset[str]:
    """The findings answered "no"."""
    return frozenset([f for f, value in answers.items() if value is False])


class _RuleSets:
    """One rule's findings as sets, for :meth:`Triage.fired`."""

    __slots__ = ("all_of", "any_of", "none_of", "rule")

    def __init__(self, rule: RedFlagRule) -> None:
        self.rule = rule
        self.all_of = frozenset(rule.all_of)
        self.any_of = frozenset(rule.any_of)
        self.none_of = frozenset(rule.none_of)

    def fires(self, present: frozenset[str]) -> bool:
        """Whether the rule holds when the findings answered "yes" are ``present`` (the only
        answers a rule reads to fire)."""
        return (
            self.all_of <= present
            and (not self.any_of or not self.any_of.isdisjoint(present))
            and self.none_of.isdisjoint(present)
        )

    def completing(
        self, present: frozenset[str], absent: frozenset[str], answers: Answers
    ) -> tuple[str, ...]:
        """:func:`completing`, given the findings answered "yes" and "no"."""
        if not self.all_of.isdisjoint(absent) or not self.none_of.isdisjoint(present):
            return ()
        missing = self.all_of - present
        any_met = not self.any_of or not self.any_of.isdisjoint(present)
        if len(missing) == 1 and any_met:
            [finding] = missing
            return (finding,) if finding not in answers else ()
        if not missing and not any_met:
            return tuple(f for f in self.rule.any_of if f not in answers)
        return ()


class Triage:
    """The sign rules of one knowledge base, indexed once; build once, share everywhere."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.rules = tuple(sorted(knowledge.red_flags, key=lambda r: -r.urgency.rank))
        by_finding: dict[str, list[RedFlagRule]] = {}
        for rule in self.rules:
            for finding in {*rule.all_of, *rule.any_of, *rule.none_of}:
                by_finding.setdefault(finding, []).append(rule)
        self._by_finding = {f: tuple(rules) for f, rules in by_finding.items()}
        self.findings = frozenset(self._by_finding)
        # Each rule as sets over the findings answered "yes" (the only answers a rule reads
        # to fire), so firing is three set operations instead of a loop over dict lookups.
        self._sets = {id(rule): _RuleSets(rule) for rule in self.rules}
        self._compiled = tuple(self._sets[id(rule)] for rule in self.rules)
        self._involved_ids = {
            f: frozenset(id(rule) for rule in rules) for f, rules in self._by_finding.items()
        }
        self._last: tuple[frozenset[str], tuple[RedFlagRule, ...]] | None = None
        """The last ``fired`` result: a turn asks for the same answers several times."""

    def _fired_for(self, present: frozenset[str]) -> tuple[RedFlagRule, ...]:
        last = self._last
        if last is not None and last[0] == present:
            return last[1]
        fired = tuple(sets.rule for sets in self._compiled if sets.fires(present))
        self._last = (present, fired)
        return fired

    @staticmethod
    def present(answers: Answers) -> frozenset[str]:
        """The findings answered "yes": all a rule reads to fire."""
        return _present(answers)

    def fired(self, answers: Answers) -> tuple[RedFlagRule, ...]:
        """Every rule that holds, most urgent first."""
        return self._fired_for(_present(answers))

    def urgency(self, answers: Answers) -> Urgency:
        """The highest urgency among the rules that hold (self-care when none does)."""
        return max([Urgency.SELF_CARE, *(r.urgency for r in self.fired(answers))], key=_rank)

    def urgency_if(
        self,
        answers: Answers,
        finding: str,
        value: bool | None,
        fired: tuple[RedFlagRule, ...] | None = None,
        *,
        present: frozenset[str] | None = None,
    ) -> Urgency:
        """The urgency once ``finding`` is answered ``value`` (``fired``: the rules that hold
        now, and ``present``: :meth:`present` of the answers, when the caller has them); only
        the rules the finding takes part in are re-read."""
        now = self.fired(answers) if fired is None else fired
        involved = self._by_finding.get(finding, ())
        if not involved:
            return max([Urgency.SELF_CARE, *(r.urgency for r in now)], key=_rank)
        ids = self._involved_ids[finding]
        kept = [rule.urgency for rule in now if id(rule) not in ids]
        if present is None:
            present = _present(answers)
        changed = present | {finding} if value is True else present - {finding}
        sets = self._sets
        kept += [rule.urgency for rule in involved if sets[id(rule)].fires(changed)]
        return max([Urgency.SELF_CARE, *kept], key=_rank)

    def raising_question(
        self,
        answers: Answers,
        *,
        above: Urgency | None = None,
        skip: Collection[str] = (),
    ) -> str | None:
        """An unanswered finding (not in ``skip``) whose "yes" would fire a rule more urgent
        than ``above`` (default: the current urgency), the most urgent rule first."""
        floor = self.urgency(answers) if above is None else above
        present, absent = _present(answers), _absent(answers)
        for sets in self._compiled:
            if sets.rule.urgency.rank <= floor.rank:
                break
            for finding in sets.completing(present, absent, answers):
                if finding not in skip:
                    return finding
        return None

    def raises(self, before: Answers, after: Answers, *, to: Urgency = Urgency.URGENT) -> bool:
        """Whether ``after`` fires a rule of at least ``to`` that ``before`` did not."""
        had = {rule.id for rule in self.fired(before)}
        return any(
            rule.urgency.rank >= to.rank and rule.id not in had for rule in self.fired(after)
        )

    def safety_reason(self, answers: Answers, finding: str) -> RedFlagRule | None:
        """The most urgent rule (urgent or worse) that asking about ``finding`` checks for,
        among those the runner already shows part of."""
        for rule in self._by_finding.get(finding, ()):
            shown = any(answers.get(f) is True for f in (*rule.all_of, *rule.any_of))
            if rule.urgency.rank >= Urgency.URGENT.rank and shown:
                return rule
        return None

    def decide(self, answers: Answers) -> Decision:
        """The triage decision for a set of answers."""
        rules = self.fired(answers)
        urgency = max([Urgency.SELF_CARE, *(r.urgency for r in rules)], key=_rank)
        withheld = urgency.rank >= Urgency.URGENT.rank or any(r.no_exercises for r in rules)
        return Decision(urgency=urgency, rules=rules, exercises_withheld=withheld)
