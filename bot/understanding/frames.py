"""Findings read from a frame of words rather than one phrase: pain tied to an activity, a change
in training load, and how long the pain has gone on."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.understanding.language import Language, Phrase, phrase_set, word_set

Span = tuple[int, int]
_FROM_TO = re.compile(
    r"\bfrom (?:like |about |around |maybe |roughly |running |doing )?"
    r"(\d+(?:\.\d+)?|nothing|zero|scratch)(?:k|km|mi)?"
    r" (?:[a-z]+ ){0,4}?(?:to|tae) (?:like |about |around )?(\d+(?:\.\d+)?|one|two|three|four"
    r"|five|six|seven)(?:k|km|mi)?\b"
)
_UP_TO_FROM = re.compile(r"\bup to (\d+)(?:k|km|mi)?\b(?: [a-z]+){0,3}? from (\d+)(?:k|km|mi)?\b")
"""The same told the other way round: "up to 80km/week from 50"."""
_NONE = frozenset({"nothing", "zero", "scratch"})
_WORDED = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
LINK_REACH = 4
DRIVE_REACH = 4
SINCE_REACH = 5
NOT_ABOUT_REACH = 9
YEAR_DAYS = 365
LEAD_REACH = 3
COMPARED_REACH = 3
IGNORE_REACH = 5
_COUNT_WORDS = frozenset(
    {"of", "the", "a", "an", "good", "whole", "solid", "best", "couple", "and"}
)
_NUMBER_UNIT = re.compile(r"^(\d+(?:\.\d+)?)([a-z]+)$")
_DISTANCE = re.compile(r"^\d+(?:k|km|mi|m)$")
MORE_THAN_SAME = frozenset({"from", "than", "twice", "double", "triple"})
"""Words just before a word for the usual load that make it a change: "more than normal"."""
PLACES = frozenset({("the", "first"), ("first", "few"), ("the", "last"), ("last", "few")})
"""Words before a training noun that make it a place in a run: "in the first mile"."""
UNSIZED_VERBS = frozenset({"instead", "more"})
"""Words of change that a bare distance after them does not make a load: "at 2k now instead of
8k" (the pain comes on earlier), "more and more bad, now after 3km"."""
HOW_OFTEN = frozenset({"some", "most", "many"})
"""Counts that open a clause telling how often, not how long: "some days", "most weeks"."""
FRAGMENT_WORDS = 3


@dataclass(frozen=True, slots=True)
class FrameHit:
    """A finding a frame found, where, and whether the frame itself denies it."""

    finding: str
    span: Span
    absent: bool
    why: str


PhraseIndex = dict[str, tuple[Phrase, ...]]


@dataclass(frozen=True, slots=True)
class PairHit:
    """A finding told by words of each group of a pair rule, one span per group."""

    finding: str
    parts: tuple[Span, ...]
    denies: bool = False
    shares: bool = False


def _pair_words(language: Language) -> dict[str, tuple[tuple[int, int, Phrase], ...]]:
    by_first: dict[str, list[tuple[int, int, Phrase]]] = {}
    for rule, pair in enumerate(language.rules.pairs):
        for group, words in enumerate(pair.all_of):
            for phrase in phrase_set(words):
                by_first.setdefault(phrase[0], []).append((rule, group, phrase))
    return {
        first: tuple(sorted(entries, key=lambda e: -len(e[2])))
        for first, entries in by_first.items()
    }


def _compared(tokens: tuple[str, ...], i: int, longer: frozenset[str]) -> bool:
    """A time in a comparison ("worse than last month"), not "more than three weeks"."""
    before = tokens[max(0, i - 4) : i]
    word = next((w for w in ("than", "as") if w in before), None)
    if word is None:
        return False  # "no better than a month ago", "same as it was a month ago"
    at = i - len(before) + before.index(word)
    return at == 0 or tokens[at - 1] not in longer


def _distance(tokens: tuple[str, ...], start: int, end: int) -> bool:
    """A distance: "8k", "5 miles", "mile 4"."""
    numbered = [tokens[i] for i in (start - 1, end) if 0 <= i < len(tokens)]
    return tokens[start][0].isdigit() or any(_NUMBER.match(t) for t in numbered)


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def index(phrases: Iterable[Phrase]) -> PhraseIndex:
    """Phrases by their first token, longest first."""
    by_first: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        by_first.setdefault(phrase[0], []).append(phrase)
    return {
        first: tuple(sorted(group, key=len, reverse=True)) for first, group in by_first.items()
    }


def spans(tokens: tuple[str, ...], phrases: PhraseIndex) -> list[Span]:
    """Where the phrases occur in ``tokens``, the longest at each position."""
    found = []
    for i, token in enumerate(tokens):
        for phrase in phrases.get(token, ()):
            if tokens[i : i + len(phrase)] == phrase:
                found.append((i, i + len(phrase)))
                break
    return found


@dataclass(frozen=True, slots=True)
class Frames:
    """The frame rules of a :class:`Language`, as token sets."""

    activity_finding: str
    activities: PhraseIndex
    links: frozenset[str]
    activity_not_with: frozenset[str]
    struck_also: dict[str, frozenset[str]]
    denials: frozenset[str]
    longer: frozenset[str]
    activity_shares_with: dict[str, frozenset[str]]
    unpained_with: frozenset[str]
    """Findings that, told in a clause with no word for pain, make an activity there theirs."""
    ongoing: frozenset[str]
    distance_links: frozenset[str]
    activity_leads: frozenset[str]
    lead_openings: frozenset[Phrase]
    lead_not_before: frozenset[str]
    activity_not_before: PhraseIndex
    pain_after: frozenset[str]
    activity_window: int
    training_finding: str
    verbs: PhraseIndex
    nouns: PhraseIndex
    ignore_with: frozenset[str]
    not_before: frozenset[str]
    denied_after: frozenset[str]
    more_words: frozenset[Phrase]
    more_not_before: frozenset[str]
    pain_words: frozenset[str]
    same_words: frozenset[str]
    added_to: PhraseIndex
    events: PhraseIndex
    events_span_days: int
    training_window: int
    duration_finding: str
    threshold: int
    units: dict[str, int]
    counts: dict[str, float]
    leads: frozenset[str]
    onsets: PhraseIndex
    onset_with: frozenset[str]
    other_symptoms: frozenset[str]
    told_of: frozenset[str]
    long_since: frozenset[str]
    short_since: frozenset[str]
    not_about: frozenset[str]
    not_about_years: frozenset[str]
    comparatives: frozenset[str]
    duration_words: frozenset[str]
    """Words without which a clause says nothing of how long: units, onsets, "since"."""
    pairs: tuple[tuple[str, int, bool, bool, PhraseIndex], ...]
    in_sentence: frozenset[str]
    """Findings whose pair may take its words from several clauses of one sentence."""
    across_groups: tuple[tuple[frozenset[str], ...], ...]
    """Of those pairs, the first words of each group's phrases."""
    """Each pair rule's finding, how many groups it has, whether it denies the finding or may
    share its words with another finding, and the words that stop it."""
    pair_words: dict[str, tuple[tuple[int, int, Phrase], ...]]
    """Every pair rule's phrases by first token: (rule, group, phrase), longest first."""

    @classmethod
    def compile(cls, language: Language) -> Frames:
        """Tokenize the frame rules once."""
        rules = language.rules
        activity, training, duration = rules.activity, rules.training, rules.duration
        return cls(
            activity_finding=activity.finding,
            activities=index(phrase_set(activity.words)),
            links=word_set(activity.links),
            activity_not_with=frozenset(activity.not_with),
            struck_also={f: word_set(words) for f, words in activity.struck_also.items()},
            denials=language.frame_denials,
            longer=language.longer,
            activity_shares_with={f: word_set(w) for f, w in activity.shares_with.items()},
            unpained_with=frozenset(activity.unpained_with),
            ongoing=word_set(activity.ongoing_words),
            distance_links=word_set(activity.distance_links),
            activity_leads=word_set(activity.lead_words),
            lead_openings=phrase_set(activity.lead_openings),
            lead_not_before=word_set(activity.lead_not_before),
            activity_not_before=index(phrase_set(activity.not_before)),
            pain_after=word_set(activity.pain_after_words),
            activity_window=activity.window,
            training_finding=training.finding,
            verbs=index(phrase_set(training.verbs)),
            nouns=index(phrase_set(training.nouns)),
            ignore_with=word_set(training.ignore_with),
            not_before=word_set(training.not_before),
            denied_after=word_set(training.denied_after),
            more_words=phrase_set(training.more_words),
            more_not_before=word_set(training.more_not_before),
            pain_words=language.pain_words,
            same_words=word_set(training.same_words),
            added_to=index(phrase_set(training.added_to)),
            events=index(phrase_set(training.events)),
            events_span_days=training.events_span_days,
            training_window=training.window,
            duration_finding=duration.finding,
            threshold=duration.threshold_days,
            units=dict(duration.units),
            counts=dict(duration.counts),
            leads=word_set(duration.lead_words),
            onsets=index(phrase_set(duration.onsets)),
            onset_with=frozenset(duration.onset_with),
            other_symptoms=frozenset(duration.other_symptoms),
            told_of=frozenset(duration.told_of),
            long_since=word_set(duration.long_since),
            short_since=word_set(duration.short_since),
            not_about=word_set(duration.not_about),
            not_about_years=word_set(duration.not_about_years),
            comparatives=word_set(duration.comparatives),
            duration_words=frozenset(duration.units)
            | word_set(duration.onsets)
            | frozenset({"since"}),
            pairs=tuple(
                (
                    pair.finding,
                    len(pair.all_of),
                    pair.denies,
                    pair.shares_words,
                    index(phrase_set(pair.not_with)),
                )
                for pair in language.rules.pairs
            ),
            pair_words=_pair_words(language),
            in_sentence=frozenset(p.finding for p in language.rules.pairs if p.in_sentence),
            across_groups=tuple(
                tuple(frozenset(t[0] for t in phrase_set(group)) for group in p.all_of)
                for p in language.rules.pairs
                if p.in_sentence
            ),
        )

    def may_pair_across(self, words: set[str]) -> bool:
        """Whether ``words`` (a sentence's, as typed) hold a word of every group of a pair that
        may take its words from several clauses: the cheap test before :meth:`paired_across`."""
        return any(all(group & words for group in groups) for groups in self.across_groups)

    def paired_across(self, tokens: tuple[str, ...]) -> list[PairHit]:
        """The pairs that may take their words from several clauses of a sentence, found in
        ``tokens`` (the sentence's clauses one after another)."""
        if not self.in_sentence:
            return []
        return [h for h in self.paired(tokens) if h.finding in self.in_sentence and not h.denies]

    def paired(self, tokens: tuple[str, ...]) -> list[PairHit]:
        """Findings whose pair rule has words of every group in the clause, each group at
        words no other group took (the first rule that fits for each finding and polarity)."""
        found: dict[tuple[int, int], list[Span]] = {}
        words = self.pair_words
        for i, token in enumerate(tokens):
            entries = words.get(token)
            if entries is None:
                continue
            for rule, group, phrase in entries:
                size = len(phrase)
                if size == 1 or tokens[i : i + size] == phrase:
                    found.setdefault((rule, group), []).append((i, i + size))
        if not found:
            return []
        hits = []
        done: set[tuple[str, bool]] = set()  # a denying rule is not shadowed by a telling one
        for rule in sorted({rule for rule, group in found if group == 0}):
            finding, groups, denies, shares, stops = self.pairs[rule]
            if (finding, denies) in done or any(
                (rule, group) not in found for group in range(groups)
            ):
                continue
            if stops and spans(tokens, stops):
                continue
            parts: list[Span] = []
            for group in range(groups):
                places = found.get((rule, group), ())
                free = [s for s in places if not any(_overlap(s, p) for p in parts)]
                free = [  # "could not hold my bowels": the longer words of a group win
                    s for s in free
                    if not any(_overlap(s, o) and o[1] - o[0] > s[1] - s[0] for o in free)
                ]  # fmt: skip
                if not free:
                    break
                near = parts[0][0] if parts else 0  # the words nearest the first group's
                parts.append(min(free, key=lambda s: abs(s[0] - near)))
            else:
                hits.append(PairHit(finding, tuple(parts), denies, shares))
                done.add((finding, denies))
        return hits

    def _leads(self, tokens: tuple[str, ...], start: int) -> bool:
        """Whether a lead word stands shortly before the activity at ``start`` ("only after
        10k"), not one that opens another verb ("just back from a 10 mile run")."""
        begin = max(0, start - LINK_REACH - 2)
        return any(
            tokens[i] in self.activity_leads and tokens[i + 1] not in self.lead_not_before
            for i in range(begin, start)
        )

    def led(self, tokens: tuple[str, ...]) -> int | None:
        """Where a clause's lead word is, when the clause starts with one, after an opening or
        none: "only on runs", "it's only sprinting"."""
        for opening in ((), *self.lead_openings):
            at = len(opening)
            if (
                tokens[:at] == opening
                and tokens[at : at + 1]
                and tokens[at] in self.activity_leads
            ):
                return at
        return None

    def _activities(self, tokens: tuple[str, ...]) -> list[Span]:
        """Activity words, and distances ("after 6k"), that are not another verb ("runs down
        the back of my leg")."""
        found = spans(tokens, self.activities)
        found += [
            (i, i + 1) for i, t in enumerate(tokens) if t[0].isdigit() and _DISTANCE.match(t)
        ]
        return sorted(
            (start, end)
            for start, end in found
            if not any(
                tokens[end : end + len(p)] == p
                for p in self.activity_not_before.get(tokens[end] if end < len(tokens) else "", ())
            )
        )

    def activity(
        self,
        tokens: tuple[str, ...],
        pain: Iterable[int],
        pain_in_sentence: bool,
        onset: bool,
        pain_in_message: bool = False,
        taken: frozenset[int] = frozenset(),
        felt_in_sentence: bool | None = None,
        contrasted: bool = False,
    ) -> list[FrameHit]:
        """Pain during or after an activity: "hurts after fartlek", "lunges set it off". Beside
        an onset or an injury ("felt a pull during sprints") only the activity hurting counts.
        A clause led by "only" borrows the pain of its sentence, or of the message when it is a
        fragment ("No pain sitting. Only running."). ``felt_in_sentence``: whether the sentence
        says it hurts, not only that it does not ("clunks on the track, no pain with it").
        ``contrasted``: the message has denied something before, so a clause led by "only"
        names what is left ("fine sitting, fine in bed, its only on the run at about 5k")."""
        pain_at = list(pain)
        felt = pain_in_sentence if felt_in_sentence is None else felt_in_sentence
        lead = self.led(tokens)
        fragment = len(tokens) - (lead or 0) <= FRAGMENT_WORDS and pain_in_message
        borrowed = lead is not None and (pain_in_sentence or fragment or contrasted)
        for start, end in self._activities(tokens):
            if taken.intersection(range(start, end)):
                continue  # "kick" already read as lifting the knee: another activity may follow
            alone = (start, end) == (0, len(tokens)) and end - start == 1
            doing = alone and (tokens[0].endswith("ing") or tokens[0] in ("run", "runs"))
            if doing and pain_in_message and not onset:  # "Groin. Runs. 3 weeks."
                return [FrameHit(self.activity_finding, (start, end), False, "activity alone")]
            linked_alone = start == 1 and end == len(tokens) and tokens[0] in self.links
            if linked_alone and pain_in_message and not onset:  # "outer hip - yes, after runs"
                return [FrameHit(self.activity_finding, (start, end), False, "activity alone")]
            if borrowed and start - (lead or 0) <= LEAD_REACH:
                return [FrameHit(self.activity_finding, (start, end), False, "activity frame")]
            linked = bool(self.links & set(tokens[max(0, start - LINK_REACH) : start]))
            if not linked and _distance(tokens, start, end):  # "around 5 miles in", "by 2k"
                reach = set(tokens[max(0, start - LINK_REACH) : start])
                linked = bool(self.distance_links & reach) or tokens[end : end + 1] == ("in",)
            if linked and self._leads(tokens, start) and not onset:
                return [FrameHit(self.activity_finding, (start, end), False, "only with activity")]
            near = any(abs(p - start) <= self.activity_window for p in pain_at)
            after = set(tokens[end : end + DRIVE_REACH + 1])
            drives = bool(self.pain_after & after) and not self.denials & after
            drives = drives and (
                not onset or (end < len(tokens) and tokens[end] in self.pain_after)
            )
            plain = not (self.pain_words | self.denials) & set(tokens[:start])
            if plain and self.pain_after & after and self.denials & after and not onset:
                why = "an activity that does not hurt"  # "running doesn't hurt at all"
                return [FrameHit(self.activity_finding, (start, end), True, why)]
            led = start > 1 and tokens[start - 1] in self.activity_leads  # "sore only running"
            pained = (start - 1 in pain_at or (led and start - 2 in pain_at)) and not onset
            if (linked and (near or felt) and not onset) or drives or pained:
                return [FrameHit(self.activity_finding, (start, end), False, "activity frame")]
        return []

    def training(self, tokens: tuple[str, ...], text: str) -> list[FrameHit]:
        """A recent change in load: "doubled my weekly kms", "first half marathon", "20 to 40"."""
        nouns = [  # "it comes on in the first mile": a place in a run, not a load
            n for n in spans(tokens, self.nouns) if tokens[max(0, n[0] - 2) : n[0]] not in PLACES
        ]
        distances = [
            (i, i + 1) for i, t in enumerate(tokens) if t[0].isdigit() and _DISTANCE.match(t)
        ]
        crowded = self._events_in_span(tokens)
        if crowded is not None:
            return [FrameHit(self.training_finding, crowded, False, "events close together")]
        if not nouns and not distances:
            return []
        added = bool(spans(tokens, self.added_to))  # "on top of my usual miles"
        numbers = _FROM_TO.search(text)  # "from 20 to 35 a week", "from nothing to 25 miles"
        before = after = 0.0
        if numbers is not None:
            before = 0.0 if numbers.group(1) in _NONE else float(numbers.group(1))
            after = _WORDED.get(numbers.group(2)) or float(numbers.group(2))
        turned = _UP_TO_FROM.search(text) if numbers is None else None
        if turned is not None:
            numbers, after, before = turned, float(turned.group(1)), float(turned.group(2))
        if numbers is not None and after > before:
            at = text[: numbers.start()].count(" ")  # the token "from" starts at
            return [FrameHit(self.training_finding, (at, at + 1), False, "from-to numbers")]
        for noun in nouns:
            window = tokens[max(0, noun[0] - 3) : noun[1] + 4]
            same = {  # "from nothing to four runs", "more than usual", "twice my usual"
                w
                for i, w in enumerate(window)
                if not MORE_THAN_SAME & set(window[max(0, i - 2) : i])
            }
            if self.same_words & same and not added:  # "from nothing to four runs" is a change
                return [FrameHit(self.training_finding, noun, True, "same load")]
        ignored = any(
            self.ignore_with & set(tokens[max(0, n[0] - IGNORE_REACH) : n[1] + IGNORE_REACH])
            for n in nouns
        )
        if ignored and not added:
            return []  # "cut back my mileage", not "started training and cut back on eating"
        for verb in spans(tokens, self.verbs):
            following = tokens[verb[1]] if verb[1] < len(tokens) else ""
            if following in self.not_before:
                continue
            if following in self.more_not_before and tokens[verb[0] : verb[1]] in self.more_words:
                continue  # "more after tempo runs": more pain, not more running
            if verb[0] > 0 and tokens[verb[0] - 1] in self.pain_words:
                continue  # "ached more on runs": more pain, not more running
            ahead = [d for d in distances if d[0] >= verb[1]]  # "increased to 10km"
            sized = tokens[verb[0]] not in UNSIZED_VERBS
            for noun in nouns + (ahead if sized else []):
                gap = noun[0] - verb[1] if noun[0] >= verb[1] else verb[0] - noun[1]
                between = tokens[min(verb[1], noun[1]) : max(verb[0], noun[0])]
                if self.pain_words & set(between):
                    continue  # "it started aching on long runs": the pain began, not a load
                if 0 <= gap < self.training_window:
                    span = (min(verb[0], noun[0]), max(verb[1], noun[1]))
                    if verb[0] > 0 and tokens[verb[0] - 1] in self.denied_after:
                        return [FrameHit(self.training_finding, span, True, "change denied")]
                    return [FrameHit(self.training_finding, span, False, "increase near load")]
        return []

    def _events_in_span(self, tokens: tuple[str, ...]) -> Span | None:
        """Where two or more races sit in a short span: "3 marathons in 8 weeks", "two halves
        in a month" (one word may stand between the count and the race: "3 hilly races")."""
        for start, end in spans(tokens, self.events):
            count_at = start - 1 if start >= 1 and self._count(tokens[start - 1]) else start - 2
            if count_at < 0 or (self._count(tokens[count_at]) or 0) < 2:
                continue
            rest = tokens[end : end + 5]
            if not rest or rest[0] != "in":
                continue
            at = end + 1 + (rest[1:2] in (("just",), ("only",), ("under",)))
            days = self._days(tokens, at + 1) if at + 1 < len(tokens) else None
            if days is not None and days <= self.events_span_days:
                return (count_at, at + 2)
        return None

    def _count(self, token: str) -> float | None:
        """A number told in digits or words ("3", "2.5", "three", "a")."""
        return float(token) if _NUMBER.match(token) else self.counts.get(token)

    def _days(self, tokens: tuple[str, ...], i: int) -> float | None:
        token = tokens[i]
        joined = _NUMBER_UNIT.match(token)
        if joined and joined.group(2) in self.units:
            return float(joined.group(1)) * self.units[joined.group(2)]
        if token not in self.units:
            return None
        unit = self.units[token]
        j = i - 1
        while j >= 0 and tokens[j] == "of":
            j -= 1
        if j < 0:
            return None
        count = tokens[j]
        if count == "half" and j >= 3 and tokens[j - 2] == "and" and tokens[j - 1] == "a":
            number = self._count(tokens[j - 3])
            if number is not None:
                return (number + 0.5) * unit
        number = self._count(count)
        if number is not None:
            return number * unit
        if count in {"for", "over", "past", "last", "few", "been"} and token.endswith("s"):
            return 2.0 * unit
        if count in {"past", "last"} and j > 0 and tokens[j - 1] in {"the", "this"}:
            return float(unit)  # "over the last month", "this past week"
        return None

    def _onset_at(self, tokens: tuple[str, ...], i: int) -> bool:
        return any(tokens[i : i + len(p)] == p for p in self.onsets.get(tokens[i], ()))

    def _led(self, tokens: tuple[str, ...], i: int) -> bool:
        if tokens[i + 1 : i + 2] in (("ago",), ("back",), ("now",)):
            return True  # "three weeks back", "2 months now"
        j = i - 1
        while j >= 0 and (
            tokens[j] in self.counts or tokens[j] in _COUNT_WORDS or _NUMBER.match(tokens[j])
        ):
            j -= 1
        if j < 0:
            return tokens[0] not in HOW_OFTEN  # "some days it's my bum": how often, not how long
        return tokens[j] in self.leads or tokens[j] in self.pain_words  # "pain 2 months"

    def duration(
        self, tokens: tuple[str, ...], began: bool, since: bool = False
    ) -> list[FrameHit]:
        """How long it has hurt: more than the threshold makes the finding present. A day
        ("yesterday") counts as the day it began only when ``began``: the clause has a word for
        pain, "since", or a finding that dates an onset ("fell on Sunday")."""
        if not self.duration_words & set(tokens) and not any(t[0].isdigit() for t in tokens):
            return []
        for i, token in enumerate(tokens):
            days = self._days(tokens, i)
            if days is not None and not self._led(tokens, i):
                days = None
            if token == "since" and i + 1 < len(tokens):
                following = set(tokens[i + 1 : i + SINCE_REACH])
                if self.short_since & following:
                    days = 1.0
                elif self.long_since & following:
                    days = float(self.threshold)
            counted = days is not None
            named = tokens[i + 1 : i + 3]
            named = named[1:] if named[:1] == ("is",) else named  # "Sunday's long run"
            session = bool(named) and named[0] in self.activities  # "my Sunday runs"
            if days is None and began and self._onset_at(tokens, i) and not session:
                days = 1.0
            onset = "since" in tokens[i + 1 :] and i + 1 < len(tokens) and tokens[i + 1] == "ago"
            if days is None or (counted and not onset and self._not_about(tokens, i, since)):
                continue
            if _compared(tokens, i, self.longer) and (not counted or days < self.threshold):
                continue  # "less sore than last week" says little; "no better than a month ago"
            near = set(tokens[max(0, i - COMPARED_REACH) : i + COMPARED_REACH + 1])
            if not counted and self.comparatives & near and "since" not in near:
                continue  # "much better this week", "last week was worse"
            over = bool({"over", "than"} & set(tokens[max(0, i - 3) : i]))
            more = tokens[i + 1 : i + 2] == ("plus",) or tokens[i + 1 : i + 3] == ("or", "more")
            over = over or more  # "a fortnight plus"
            longer = days >= self.threshold or (over and days >= self.threshold - 1)
            if not longer and days >= self.threshold - 1:
                continue  # "for a fortnight": on the line, so the question is asked
            why = f"duration of about {days:g} days"
            return [FrameHit(self.duration_finding, (i, i + 1), not longer, why)]
        return []

    def _not_about(self, tokens: tuple[str, ...], i: int, since: bool) -> bool:
        """Durations of something else: "running for 2 years", "30 years old", "years ago";
        but an event some weeks ago dates the pain when its sentence says "since"."""
        near = set(tokens[max(0, i - NOT_ABOUT_REACH) : i + 2])
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if following in ("ago", "back") and since:  # "a marathon 3 weeks ago, sore since"
            return self.units.get(tokens[i], 0) >= YEAR_DAYS
        years = self.units.get(tokens[i], 0) >= YEAR_DAYS
        long_ago = following in ("ago", "back") and years
        elsewhere = self.not_about & near or (years and self.not_about_years & near)
        return bool(elsewhere) or following in ("old", "young") or long_ago
