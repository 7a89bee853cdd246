"""``knowledge/language.yaml`` compiled for matching: every phrase as a tuple of plain tokens."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from bot import paths
from bot.knowledge.loader import load_language
from bot.knowledge.model import CueDirection, CueMeaning, Implication, LanguageFile
from bot.understanding.earlier import EarlierOnset
from bot.understanding.normalize import normalize_text, tokenize
from bot.understanding.scores import PainScores

Phrase = tuple[str, ...]


def phrase_tokens(phrase: str) -> Phrase:
    """The tokens the reader sees for ``phrase``."""
    return tuple(tokenize(normalize_text(phrase)))


def phrase_set(phrases: Iterable[str]) -> frozenset[Phrase]:
    """Every phrase as tokens, empty ones dropped."""
    return frozenset(t for t in map(phrase_tokens, phrases) if t)


def word_set(phrases: Iterable[str]) -> frozenset[str]:
    """Every token of every phrase."""
    return frozenset(token for phrase in phrases for token in phrase_tokens(phrase))


def by_first_word(phrases: Iterable[Phrase]) -> dict[str, tuple[Phrase, ...]]:
    """``phrases`` filed under their first word, longest first."""
    filed: dict[str, list[Phrase]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):
        filed.setdefault(phrase[0], []).append(phrase)
    return {word: tuple(found) for word, found in filed.items()}


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue phrase and the scope it reaches."""

    tokens: Phrase
    means: CueMeaning
    direction: CueDirection
    window: int
    clause_end: bool
    only_for: frozenset[str]
    not_for: frozenset[str]

    def applies_to(self, finding: str) -> bool:
        """Whether this cue can change what ``finding`` means."""
        if self.only_for and finding not in self.only_for:
            return False
        return finding not in self.not_for


@dataclass(frozen=True, slots=True)
class Language:
    """The reading rules, ready to match against token lists."""

    cues: dict[str, tuple[Cue, ...]]
    cue_pairs: dict[tuple[str, str], tuple[Cue, ...]]
    """The cues of two words or more, by their first two words, longest first."""
    cue_words: dict[str, tuple[Cue, ...]]
    """The cues of one word."""
    terminators: frozenset[str]
    mere_words: frozenset[str]
    """Terminators that do not end a denial before a mere situation: ``MereSituation``."""
    mere_findings: frozenset[str]
    mere_between: frozenset[str]
    ability_findings: frozenset[str]
    """Findings that are the loss of an ability named by their topic words: ``Abilities``."""
    ability_denials: frozenset[Phrase]
    ability_yes_denies: frozenset[str]
    told_by_yes: frozenset[str]
    """Findings whose topic words, answered by a bare yes, tell them ("red: yes")."""
    exceptions: frozenset[Phrase]
    """Openings of what a denial leaves out ("besides the stiffness it's fine")."""
    exception_firsts: frozenset[str]
    """The first words of ``exceptions``, to look for one cheaply."""
    event_findings: frozenset[str]
    event_openers: frozenset[Phrase]
    past_words: frozenset[str]
    all_over: frozenset[Phrase]
    negative_words: frozenset[str]
    inability_words: frozenset[str]
    flipping_words: frozenset[str]
    flipping_phrases: tuple[Phrase, ...]
    auxiliaries: frozenset[str]
    denied_pain: frozenset[str]
    approximators: frozenset[str]
    anaphors: frozenset[str]
    until_words: frozenset[str]
    summing_up: frozenset[Phrase]
    frame_denials: frozenset[str]
    longer: frozenset[str]
    elliptic_auxiliaries: frozenset[str]
    onset_words: frozenset[str]
    it_began: frozenset[Phrase]
    degree_words: frozenset[str]
    """Words of degree that affirm what follows them: a list item opening with one does not
    take the denial before it ("no fever, a bit clicky")."""
    ended_words: frozenset[str]
    """Words that make a course phrase tell an end ("the front doesn't hurt anymore")."""
    moved: dict[str, tuple[Phrase, ...]]
    """The phrases that tell the pain has moved, by their first word."""
    parts: dict[str, tuple[frozenset[str], ...]]
    """Findings told by several things, with the words of each (``parts``)."""
    echoes: tuple[Phrase, ...]
    """Words that say a finding is as the one denied before it: "sitting's fine and so are
    stairs"."""
    echo_tails: tuple[Phrase, ...]
    """Words that end a short clause which is as the clause before it: "redness too"."""
    echo_openings: frozenset[Phrase]
    """Words that open a short clause which is as the clause before it: "so is the side"."""
    fresh_openings: frozenset[Phrase]
    """Words that open a clause saying something new, not one more item of a denied list."""
    now_words: frozenset[str]
    contrasts: frozenset[Phrase]
    contrasts_by_first: dict[str, tuple[Phrase, ...]]
    first_person: frozenset[str]
    hip_words: frozenset[str]
    subjects: dict[Phrase, str]
    pain_words: frozenset[str]
    pain_subjects: frozenset[str]
    locations: frozenset[str]
    location_blockers: frozenset[str]
    location_anchors: frozenset[str]
    situations: frozenset[str]
    situation_words: frozenset[str]
    rules: LanguageFile
    implications: tuple[Implication, ...]
    answers: dict[Phrase, str]
    transparent: frozenset[str]
    double_negatives: frozenset[Phrase]
    double_after: frozenset[str]
    vocabulary: frozenset[str]
    """Every word the rules use: never "corrected" into a finding's word."""
    slips: dict[str, tuple[str, frozenset[str], frozenset[str]]]
    elliptic_subjects: frozenset[Phrase]
    elliptic_verbs: frozenset[Phrase]
    elliptic_not_for: frozenset[str]
    elliptic_not_pain: frozenset[str]
    elliptic_not_me: frozenset[Phrase]
    elliptic_doubts: frozenset[Phrase]
    elliptic_summaries: frozenset[Phrase]
    elliptic_comparisons: frozenset[Phrase]
    presuming_questions: frozenset[Phrase]
    presuming_tails: frozenset[Phrase]
    elliptic_alone: frozenset[Phrase]
    elliptic_fine: frozenset[Phrase]
    elliptic_across: frozenset[Phrase]
    closing_tail: frozenset[str]
    closing_causes: frozenset[str]
    answer_tail: frozenset[str]
    fine_endings: frozenset[Phrase]
    """Last words of a question asking whether all is well ("bladder ok?"), each as a phrase."""
    unsure_answers: frozenset[Phrase]
    """Replies that say the runner does not know ("I don't remember"): never a denial."""
    pain_findings: frozenset[str]
    """Findings that are pain themselves: the locations and the pain subjects."""
    elliptic_filler: frozenset[str]
    earlier: EarlierOnset | None
    """Pain that comes on earlier in each run, told with two distances."""
    scores: PainScores | None
    """Pain scores out of ten, compared over time or between running and rest."""
    elliptic_redirects: frozenset[Phrase]
    regained_findings: frozenset[str]
    """Inabilities a later "but I can now" ends: ``RegainedAbility``."""
    regained_verbs: frozenset[Phrase]
    regained_times: frozenset[str]
    regained_unless: frozenset[str]
    regained_past: frozenset[str]
    closing_auxiliaries: frozenset[str]
    """Words that may stand before a cue that closes an episode ("has been totally fine since")."""
    afterward_findings: frozenset[str]
    """Activities a later "only after" ties the pain to: ``PainAfterward``."""
    afterward_words: frozenset[str]
    afterward_allowed: frozenset[str]
    """Every word such a clause may hold: its words, its others, words for pain and filler."""
    afterward_unless: frozenset[str]
    started_now_openings: frozenset[Phrase]
    """Openings that say a thing denied of the past happens now: ``StartedNow``."""
    started_now_before: tuple[frozenset[str], ...]
    """The words the clause before must hold, one entry of which is enough."""
    nothing_words: frozenset[Phrase]
    """Clauses that say only "nothing": after a clause opening on one of
    ``nothing_situations`` they deny what it told (``NothingThen``)."""
    nothing_situations: frozenset[str]
    proxy_for_whom: frozenset[Phrase]
    """Phrases that say a message is written for someone else ("my son", "asking for")."""
    proxy_relatives: frozenset[Phrase]
    """Phrases naming someone close ("my wife"): for them when the message tells of their hip."""
    proxy_relative_keys: frozenset[str]
    """The last word of each ``proxy_relatives`` phrase ("wife"): the cheap test."""
    proxy_their_hip: frozenset[Phrase]
    proxy_keys: frozenset[str]
    """A telling word of each ``proxy_for_whom`` phrase ("son", "behalf"): the cheap test."""
    proxy_phrases: dict[str, tuple[Phrase, ...]]
    """Those and the words in which the writer only asks ("should I"), by their first word."""
    proxy_for_whom_aged: dict[str, tuple[Phrase, ...]]
    """Phrases that say it too before an age ("my 10 year old", "she's 13"), by first word."""
    proxy_writer_own: frozenset[Phrase]
    """Phrases that say the message is about the writer's own hip ("mine", "my own")."""
    proxy_one_of: dict[str, tuple[Phrase, ...]]
    proxy_people: frozenset[str]
    proxy_roles: frozenset[str]
    proxy_writer_as_object: frozenset[str]
    proxy_they: frozenset[Phrase]
    proxy_writer: frozenset[str]
    proxy_writer_elsewhere: frozenset[str]
    """Body parts not the hip: the writer's aside about one keeps the message the other's."""
    proxy_alone: frozenset[str]
    """Words naming the other alone ("he"): with no writer word but in asking, no relative
    named, the message is theirs."""

    def for_someone_else(self) -> Language:
        """These rules for a message written for someone else, told only of them: the words
        that name them are no cues."""
        cues = {
            first: kept
            for first, group in self.cues.items()
            if (kept := tuple(c for c in group if not self._names_them(c)))
        }
        return replace(self, cues=cues, cue_pairs=_by_two_words(cues), cue_words=_one_word(cues))

    def _names_them(self, cue: Cue) -> bool:
        return cue.means is CueMeaning.OTHER_PERSON and cue.tokens in self.proxy_they

    @classmethod
    def compile(cls, rules: LanguageFile) -> Language:
        """Tokenize every phrase of ``rules`` once."""
        by_first: dict[str, list[Cue]] = {}
        for group in rules.cues:
            for tokens in phrase_set(group.phrases):
                cue = Cue(
                    tokens, group.means, group.direction, group.window, group.clause_end,
                    frozenset(group.only_for), frozenset(group.not_for),
                )  # fmt: skip
                by_first.setdefault(tokens[0], []).append(cue)
        answers = dict.fromkeys(phrase_set(rules.answers.affirm), "yes")
        answers |= dict.fromkeys(phrase_set(rules.answers.deny), "no")
        answers |= dict.fromkeys(phrase_set(rules.answers.unsure), "unsure")
        cues = {k: tuple(sorted(v, key=lambda c: -len(c.tokens))) for k, v in by_first.items()}
        return cls(
            cues=cues,
            cue_pairs=_by_two_words(cues),
            cue_words=_one_word(cues),
            terminators=word_set(rules.terminators),
            mere_words=word_set(rules.mere_situation.words),
            mere_findings=frozenset(rules.mere_situation.findings),
            mere_between=word_set(rules.mere_situation.between),
            ability_findings=frozenset(rules.abilities.findings),
            ability_denials=phrase_set(rules.abilities.denials),
            ability_yes_denies=frozenset(rules.abilities.yes_denies),
            told_by_yes=frozenset(rules.told_by_yes),
            exceptions=phrase_set(rules.exceptions),
            exception_firsts=frozenset(p[0] for p in phrase_set(rules.exceptions)),
            event_findings=frozenset(rules.events.findings),
            event_openers=phrase_set(rules.events.openers),
            past_words=word_set(rules.tense.past),
            all_over=phrase_set(rules.tense.all_over),
            negative_words=word_set(rules.grammar.negative_words),
            inability_words=word_set(rules.grammar.inability_words),
            flipping_words=word_set(rules.grammar.flipping_words),
            flipping_phrases=tuple(
                sorted(phrase_set(rules.grammar.flipping_phrases), key=lambda p: -len(p))
            ),
            auxiliaries=word_set(rules.grammar.auxiliaries),
            denied_pain=word_set(rules.grammar.denied_pain),
            approximators=word_set(rules.grammar.approximators),
            anaphors=word_set(rules.grammar.anaphors),
            until_words=word_set(rules.grammar.until_words),
            summing_up=phrase_set(rules.grammar.summing_up),
            frame_denials=word_set(rules.grammar.frame_denials),
            longer=word_set(rules.grammar.longer),
            elliptic_auxiliaries=word_set(rules.grammar.elliptic_auxiliaries),
            onset_words=word_set(rules.grammar.onset_words),
            it_began=phrase_set(rules.grammar.it_began),
            parts={f: tuple(word_set(g) for g in groups) for f, groups in rules.parts.items()},
            echoes=tuple(phrase_set(rules.grammar.echoes)),
            echo_tails=tuple(phrase_set(rules.grammar.echo_tails)),
            echo_openings=phrase_set(rules.grammar.echo_openings),
            fresh_openings=phrase_set(rules.grammar.fresh_openings),
            degree_words=word_set(rules.grammar.degree_words),
            ended_words=word_set(rules.grammar.ended_words),
            moved=by_first_word(phrase_set(rules.grammar.moved)),
            now_words=word_set(rules.tense.now),
            contrasts=phrase_set(rules.contrasts),
            contrasts_by_first=_by_first(phrase_set(rules.contrasts)),
            first_person=word_set(rules.first_person),
            hip_words=word_set(rules.hip_words),
            subjects={
                tokens: finding
                for finding, words in rules.subjects.items()
                for tokens in phrase_set(words)
            },
            pain_words=word_set(rules.pain_words),
            pain_subjects=frozenset(rules.pain_subjects),
            locations=frozenset(rules.locations.findings),
            location_blockers=word_set(rules.locations.blockers),
            location_anchors=word_set(rules.locations.anchors),
            situations=frozenset(rules.locations.situations),
            situation_words=word_set(rules.locations.situation_words),
            rules=rules,
            implications=rules.implications,
            answers=answers,
            transparent=frozenset(rules.transparent),
            double_negatives=phrase_set(rules.double_negatives.cues),
            double_after=word_set(rules.double_negatives.after),
            vocabulary=_vocabulary(rules),
            slips={
                s.word: (s.means, word_set(s.unless_after), word_set(s.before))
                for s in rules.slips
            },
            elliptic_subjects=phrase_set(rules.ellipsis.subjects),
            elliptic_verbs=phrase_set(rules.ellipsis.verbs),
            elliptic_not_for=frozenset(rules.ellipsis.not_for),
            elliptic_not_pain=frozenset(rules.ellipsis.not_pain),
            elliptic_not_me=phrase_set(rules.ellipsis.not_me),
            elliptic_doubts=phrase_set(rules.ellipsis.doubts),
            elliptic_summaries=phrase_set(rules.ellipsis.summaries),
            elliptic_comparisons=phrase_set(rules.ellipsis.comparisons),
            presuming_questions=phrase_set(rules.presuming_questions),
            presuming_tails=phrase_set(rules.presuming_tails),
            elliptic_alone=phrase_set(rules.ellipsis.alone),
            elliptic_fine=phrase_set(rules.ellipsis.fine),
            elliptic_across=phrase_set(rules.ellipsis.across),
            closing_tail=word_set(rules.ellipsis.closing_tail),
            closing_causes=word_set(rules.ellipsis.closing_causes),
            answer_tail=word_set(rules.answers.tail),
            fine_endings=frozenset((word,) for word in word_set(rules.answers.asks_fine)),
            unsure_answers=phrase_set(rules.answers.unsure),
            pain_findings=frozenset(rules.locations.findings) | frozenset(rules.pain_subjects),
            elliptic_filler=word_set(rules.ellipsis.filler),
            elliptic_redirects=phrase_set(rules.ellipsis.redirects),
            regained_findings=frozenset(rules.ellipsis.regained.findings),
            regained_verbs=phrase_set(rules.ellipsis.regained.verbs),
            regained_times=word_set(rules.ellipsis.regained.times),
            regained_unless=word_set(rules.ellipsis.regained.unless),
            regained_past=word_set(rules.ellipsis.regained.past),
            closing_auxiliaries=word_set(
                (
                    *rules.grammar.elliptic_auxiliaries,
                    *rules.grammar.auxiliaries,
                    *rules.ellipsis.closing_tail,
                )
            ),
            afterward_findings=frozenset(rules.ellipsis.afterward.findings),
            afterward_words=word_set(rules.ellipsis.afterward.words),
            afterward_allowed=word_set(
                (
                    *rules.ellipsis.afterward.words,
                    *rules.ellipsis.afterward.others,
                    *rules.pain_words,
                    *rules.ellipsis.filler,
                )
            ),
            afterward_unless=word_set(rules.ellipsis.afterward.unless),
            started_now_openings=phrase_set(rules.ellipsis.started_now.openings),
            started_now_before=tuple(
                frozenset(phrase_tokens(words)) for words in rules.ellipsis.started_now.before
            ),
            nothing_words=phrase_set(rules.ellipsis.nothing_then.words),
            nothing_situations=word_set(rules.ellipsis.nothing_then.situations),
            earlier=None if rules.earlier is None else EarlierOnset(rules.earlier),
            scores=None if rules.scores is None else PainScores(rules.scores),
            proxy_for_whom=phrase_set(rules.proxy.for_whom if rules.proxy else ()),
            proxy_relatives=phrase_set(rules.proxy.relatives if rules.proxy else ()),
            proxy_relative_keys=frozenset(
                p[-1] for p in phrase_set(rules.proxy.relatives if rules.proxy else ())
            ),
            proxy_their_hip=phrase_set(rules.proxy.their_hip if rules.proxy else ()),
            proxy_keys=frozenset(
                next((t for t in reversed(p) if t not in _COMMON), p[-1])
                for p in phrase_set(rules.proxy.for_whom if rules.proxy else ())
            )
            | frozenset(p[0] for p in phrase_set(rules.proxy.one_of if rules.proxy else ())),
            proxy_phrases=_by_first(
                phrase_set(
                    (*rules.proxy.for_whom, *rules.proxy.relatives, *rules.proxy.asking)
                    if rules.proxy
                    else ()
                )
            ),
            proxy_for_whom_aged=_by_first(
                phrase_set(rules.proxy.for_whom_aged if rules.proxy else ())
            ),
            proxy_one_of=_by_first(phrase_set(rules.proxy.one_of if rules.proxy else ())),
            proxy_people=word_set(rules.proxy.people if rules.proxy else ()),
            proxy_roles=word_set(rules.proxy.roles if rules.proxy else ()),
            proxy_writer_elsewhere=word_set(rules.proxy.writer_elsewhere if rules.proxy else ()),
            proxy_writer_as_object=word_set(rules.proxy.writer_as_object if rules.proxy else ()),
            proxy_they=phrase_set(rules.proxy.they if rules.proxy else ()),
            proxy_writer=word_set(rules.proxy.writer if rules.proxy else ()),
            proxy_alone=word_set(rules.proxy.alone if rules.proxy else ()),
            proxy_writer_own=phrase_set(rules.proxy.writer_own if rules.proxy else ()),
        )


def _one_word(cues: dict[str, tuple[Cue, ...]]) -> dict[str, tuple[Cue, ...]]:
    return {
        first: single
        for first, group in cues.items()
        if (single := tuple(c for c in group if len(c.tokens) == 1))
    }


def _by_two_words(cues: dict[str, tuple[Cue, ...]]) -> dict[tuple[str, str], tuple[Cue, ...]]:
    pairs: dict[tuple[str, str], list[Cue]] = {}
    for group in cues.values():
        for cue in group:
            if len(cue.tokens) > 1:
                first, second = cue.tokens[:2]
                pairs.setdefault((first, second), []).append(cue)  # stays longest first
    return {key: tuple(group) for key, group in pairs.items()}


_COMMON = frozenset({"for", "of", "on", "my", "our", "me", "i"})


def _by_first(phrases: Iterable[Phrase]) -> dict[str, tuple[Phrase, ...]]:
    by_first: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        by_first.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(group) for first, group in by_first.items()}


def _vocabulary(rules: LanguageFile) -> frozenset[str]:
    frames = (rules.activity.words, rules.training.verbs, rules.training.nouns)
    paired = [group for pair in rules.pairs for group in pair.all_of]
    groups = [g.phrases for g in rules.cues] + list(frames) + paired + [rules.pain_words]
    return frozenset(word for group in groups for word in word_set(group) if len(word) > 4)


@cache
def default_language() -> Language:
    """The rules shipped in ``knowledge/language.yaml``."""
    return Language.compile(load_language(paths.knowledge_dir()))
