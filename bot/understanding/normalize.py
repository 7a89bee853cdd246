"""Turn what a runner types into lowercase word tokens, grouped into clauses.

Spelling variants, contractions and a few emoji are mapped onto plain words first, so that the
matcher only ever sees one form: ``"Can't"``, ``"cant"`` and ``"can not"`` all become ``cannot``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

NORMALIZED_CACHE = 64
"""How many recent texts :func:`normalize_text` remembers (a turn reads one message)."""

EMOJI_WORDS = {
    "🤒": " fever ",
    "🥵": " fever ",
    "🌡": " temperature ",
    "🔥": " burning ",
    "⚡": " shooting ",
    "🦵": " leg ",
    "🩼": " crutches ",
    "👍": " yes ",
    "👎": " no ",
    "🚫": " no ",
}

_TICKS = frozenset("✅✔✓☑🗸")
_CROSSES = frozenset("❌✗✘✖☒❎")
_DOUBTS = frozenset("❓❔")
_MARK_WORDS = {**dict.fromkeys(_TICKS, "yes"), **dict.fromkeys(_CROSSES, "no"),
               **dict.fromkeys(_DOUBTS, "not sure")}  # fmt: skip
"""A checklist's marks: a tick tells, a cross denies, a question mark doubts."""
_THUMBS = re.compile("[\U0001f44d\U0001f44e][\U0001f3fb-\U0001f3ff]?\ufe0f?")
_THUMB_LIST = re.compile("^\\s*[\U0001f44d\U0001f44e]\\S*\\s+[a-z]", re.MULTILINE)
"""Thumbs that open a line of words, in a list of them, are its marks of good and bad ("👍
training the same 👎 hip sore on the side"), not a yes or a no; "👎" alone is a no."""
_MARK = re.compile("[" + "".join(sorted(_MARK_WORDS)) + "]\ufe0f?")

_CONTRACTIONS = [
    (r"\bcan\s+no\s+longer\b|\bno\s+longer\s+able\s+to\b|\bunable\s+to\b", "cannot"),
    (r"\bcan\s*['’]?\s*t\b|\bcan not\b", "cannot"),
    (r"\bwon\s*['’]?\s*t\b", "will not"),
    (r"\bain\s*['’]?\s*t\b", "is not"),
    (
        r"\b(do|does|did|is|was|are|were|have|has|had|could|should|would|must|need)"
        r"n\s*['’]?\s*t\b",
        r"\1 not",
    ),
    (r"(\d)\s*%", r"\1 percent"),
    (r"\b(\d{1,2})/52\b", r"\1 weeks"),  # a clinician's "x 3/52": three weeks
    (
        r"(?:(?<=\bx )|(?<=\bfor ))(\d{1,2})/12\b|\b(\d{1,2})/12(?= (?:hx|history|ago|of)\b)",
        r"\1\2 months",
    ),
    (
        r"(?:(?<=\bx )|(?<=\bfor ))(\d{1,2})/7\b|\b(\d{1,2})/7(?= (?:hx|history|ago|of)\b)",
        r"\1\2 days",
    ),
    (
        r"\b(?:pt|patient|note|client)\b:?\s*(\d{1,2}) ?[mf]\b"
        r"|(?<=: )(\d{1,2})[mf](?=,| runner| marathoner| sprinter| athlete| patient| with)",
        r"aged \1\2",
    ),  # "Pt 17F", "GP note 58M:", "shorthand: 31F"
    (r"\by/o\b", "year old"),
    (r"\bw/o(?:ut)?\b", "without"),
    (r"\bexcept for\b|\bexcept(?= (?:when|after|on|in|at|first thing)\b)", "apart from"),
    (r"\bw/(?=\s?[a-z])", "with "),
    (r"\bi\s*['’]\s*m\b|\bim\b", "i am"),
    (r"\bi\s*['’]\s*ve\b|\bive\b", "i have"),
    (r"\bit\s*['’]\s*s\b", "it is"),
    (r"\bthere\s*['’]\s*s\b", "there is"),
    (r"\b(that|there|what|here|he|she)s\b", r"\1 is"),
    (r"\b(let)'s\b", r"\1 us"),
    (r"([a-z])'s\b", r"\1 is"),
    (r"\b([a-z]{3,})in'(?=\W|$)", r"\1ing"),
    (r"\b(my|in the|the) but\b(?! (?:i|it|the|my|its|now|then|not)\b)", r"\1 butt"),
    (
        r"\b(the|a|an|my|this|that) ([a-z]+y), "
        r"([a-z]+(?:y|ing) (?:feeling|sensation|patch|ache))\b",
        r"\1 \2 \3",
    ),  # "the tingly, fuzzy feeling": two words for one thing, one clause
]
_CONTRACTION_PATTERNS = [(re.compile(p), r) for p, r in _CONTRACTIONS]

SPELLING = {
    "swolen": "swollen",
    "oedema": "edema",
    "haematoma": "hematoma",
    "tumour": "tumor",
    "orthopaedic": "orthopedic",
    "paediatric": "pediatric",
    "anaemia": "anemia",
    "centre": "center",
    "programme": "program",
    "colour": "color",
    "behaviour": "behavior",
    "favour": "favor",
    "mum": "mom",
    "arse": "butt",
    "bum": "butt",
    "buttocks": "buttock",
    "glutes": "glute",
    "kms": "km",
    "k": "km",
    "mileage": "miles",
    "tyre": "tire",
    "jogging": "running",
    "jog": "run",
    "jogs": "runs",
    "jogged": "ran",
    "falling": "fell",
    "fallen": "fell",
    "falls": "fall",
    "tumbled": "tumble",
    "hobbly": "hobbling",
    "limpy": "limping",
    "tingle": "tingling",
}

CLAUSE_BREAKS = frozenset({"but", "however", "although", "though", "except", "whereas"})
NEW_SUBJECTS = frozenset({"i", "it", "its", "my", "there", "the", "im", "he", "she", "his", "her"})
QUESTION_TURNS = frozenset({"should", "do", "can", "could", "would", "will", "is", "does"})
"""Words that turn a told sentence into a question when a subject follows them ("hip swollen
and red, do I need a doctor?"): what came before them is told, not asked."""
QUESTION_SUBJECTS = frozenset({"i", "we", "that", "this", "it", "you"})
QUESTION_WORDS = frozenset({"what", "why", "how", "when", "where", "which", "who", "whose"})
CONDITIONS = frozenset({"if", "whether", "unless", "suppose", "say"})
"""Openings of a condition that belongs to the question after it ("if I fell on it would that
matter?")."""
_SENTENCE_SPLIT = re.compile(r"[.!;\n]+|(\?)|[,()\[\]]|\s[-\u2013\u2014]+\s(?=[a-z][a-z ]{0,24}:)")
_COMMA_LIKE = frozenset(",()[]-\u2013\u2014")
"""Breaks inside a sentence: a comma, a bracket round an aside ("(is that normal?)"), or a dash
that opens a labelled item ("rest pain: no - fever: no"; not "swelling - no")."""
_LIST_NUMBER = re.compile(r"(?:^|(?<=\s))(\d{1,2})[.)]\s+(?=[a-z])")
"""A number that opens an item of a numbered list: "1. where", "2) how long"."""
_INTERVIEW_LABEL = re.compile(r"(?<![a-z0-9])(q|question|a|answer|ans)\s*:(?!\d)")
"""The labels of a "Q: any fever? A: no." list; ``a:`` ends the question even without a mark."""
_FIRST_PERSON = [
    (re.compile(p), r)
    for p, r in (
        (r"\bare you\b", "am i"),
        (r"\byou are\b", "i am"),
        (r"\byou\b", "i"),
        (r"\byour\b", "my"),
        (r"\byours\b", "mine"),
    )
]
_CHECKBOX = re.compile(r"\[( ?|[x\u2713\u2714] ?)\]")
"""A checklist's box, empty or ticked ("[ ]", "[x]")."""
_YES_NO_LABEL = re.compile(r"\(?\b(?:y\s*/\s*n|yes\s*/\s*no)\b\)?")
"""A form's "Y/N" after its question: the answer follows."""
_LETTER_ANSWER = re.compile(r"(?<=[:?=])[ \t]*([yn])\b(?![/'])|(?<=[a-z] )([yn])[ \t]*(?=\n|$)")
"""A form's one-letter answer: after its question ("Fever? N", "Swelling Y/N: N") or at the end of
a table's line ("limp N")."""
_QUESTION_NUMBER = re.compile(r"\bq ?\d{1,2}\b[.:)]?")
"""A form's numbered question ("Q3 Pain at night? N  Q4 ..."): each opens a sentence."""
_TOKEN = re.compile(r"[a-z0-9]+")
_QUESTION = "?"


@dataclass(frozen=True, slots=True)
class Clause:
    """A run of tokens that negation and hedges can reach; ``after_comma`` marks list items."""

    tokens: tuple[str, ...]
    question: bool = False
    after_comma: bool = False
    sentence: int = 0
    contrast: bool = False
    """Whether a word like "but" opened it."""
    reply: bool = False
    """Whether it opens the reply to the question before it in a "Q: … A: …" list."""


def _without_accents(text: str) -> str:
    """Letters without their accents ("escalofríos", "años", "müde"), so a word typed with
    them stays one word."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=NORMALIZED_CACHE)
def normalize_text(text: str) -> str:
    """Lowercase, fold unicode and emoji, and expand contractions.

    One message is read several ways in a turn (yes/no, a number, findings, an option); the
    last few texts are remembered, so each is normalised once however many readers ask."""
    text = unicodedata.normalize("NFKC", text).lower()
    if not text.isascii():
        text = _without_accents(text)
    if _THUMB_LIST.search(text) and len(_THUMBS.findall(text)) > 1:
        text = _THUMBS.sub("\n", text)
    for emoji, words in EMOJI_WORDS.items():
        text = text.replace(emoji, words)
    if _MARK.search(text):
        text = "\n".join(_marked_line(line) for line in text.split("\n"))
    text = text.replace("’", "'").replace("`", "'")
    for pattern, replacement in _CONTRACTION_PATTERNS:
        text = pattern.sub(replacement, text)
    if "[" in text:
        text = _CHECKBOX.sub(_checkbox_words, text)
    if "/" in text:
        text = _YES_NO_LABEL.sub(" ", text)
    if any(mark in text for mark in ":?=\n") or text.endswith((" y", " n")):
        text = _LETTER_ANSWER.sub(_letter_words, text)
    if "q" in text:
        text = _QUESTION_NUMBER.sub("\n", text)
    return _without_list_numbers(text)


def _checkbox_words(box: re.Match[str]) -> str:
    """A hand-typed checklist: "[ ] fever" denies, "[x] over 2 weeks" tells."""
    return "\n" if box.group(1).strip() else "\nno "


def _marked_line(line: str) -> str:
    """A line of a checklist typed with marks, each marked item a clause with its answer after
    it: a mark that opens the line stands before each item ("✔ buttock pain ✗ numb": "numb no"),
    otherwise after it ("Clicking: ✗", "Swelling (✗)")."""
    if not _MARK.match(line.lstrip()):
        return _MARK.sub(lambda mark: f" {_MARK_WORDS[mark.group(0)[0]]}\n", line)
    parts = _MARK.split(line.lstrip())[1:]
    marks = _MARK.findall(line)
    return "".join(
        f"\n{item} {_MARK_WORDS[mark[0]]}\n" for mark, item in zip(marks, parts, strict=True)
    )


def _letter_words(answer: re.Match[str]) -> str:
    """ "Fever? N" is "Fever? no", and a table's "limp N" is "limp no"."""
    letter = answer.group(1) or answer.group(2)
    return " yes" if letter == "y" else " no"


def _without_list_numbers(text: str) -> str:
    """A numbered list ("1. where - side of hip 2. how long - 2 months") with a sentence break
    for each number, so that "5. numbness - no 6. swelling - no" denies both."""
    numbers = [int(m.group(1)) for m in _LIST_NUMBER.finditer(text)]
    if len(numbers) < 2 or numbers[:2] != [1, 2]:
        return text
    expected = 1

    def next_in_list(match: re.Match[str]) -> str:  # "... 8. not tender. I'm 35. Started"
        nonlocal expected
        if int(match.group(1)) != expected:
            return match.group(0)
        expected += 1
        return ". "

    return _LIST_NUMBER.sub(next_in_list, text)


def tokenize(text: str) -> list[str]:
    """Word tokens of already-normalized text, with spelling variants unified."""
    return [SPELLING.get(token, token) for token in _TOKEN.findall(text)]


def _named_only(tokens: list[str]) -> bool:
    """Whether ``tokens`` only name something ("my bum", "the hip"): what follows "and" joins
    it ("my bum and the side are fine") rather than starting a clause of its own."""
    return len(tokens) == 2 and tokens[0] in ("my", "the")


_SAYING_WORDS = frozenset(
    {"is", "are", "was", "were", "has", "have", "had", "hurts", "hurt", "aches", "ache", "feels",
     "feel", "does", "do", "did", "not", "i", "it", "gets", "get", "got", "can", "cannot"}
)  # fmt: skip
"""Words that make a part before "and" say something of its own, not only name a thing."""


def _shared_predicate(current: list[str], rest: Sequence[str]) -> bool:
    """Whether "and" joins two names that share what follows: "side of the hip and the bum are
    both fine", "his groin and the inside of his knee hurt" (the first part names only, and a
    plural verb follows the second name)."""
    if not current or _SAYING_WORDS & set(current):
        return False
    return "are" in rest[1:4] or (0 < len(rest) <= 8 and rest[-1] in ("hurt", "ache"))


def without_interview_labels(normalized: str) -> str | None:
    """A "Q: … A: …" list without its labels, each question ending in "?"; None for other text."""
    labels = list(_INTERVIEW_LABEL.finditer(normalized))
    if {m.group(1)[0] for m in labels} != {"q", "a"}:
        return None
    parts, position, asking = [], 0, False
    for label in labels:
        text = normalized[position : label.start()]
        parts.append(_first_person(text) if asking else text)
        asking = label.group(1)[0] == "q"
        parts.append(". " if asking else "? ")
        position = label.end()
    parts.append(normalized[position:])
    return "".join(parts)


def _first_person(question: str) -> str:
    """A question put to the runner as the runner would say it: "can you walk?" is "can i
    walk?", which the reply then affirms or denies."""
    for pattern, replacement in _FIRST_PERSON:
        question = pattern.sub(replacement, question)
    return question


def split_interview(unlabelled: str) -> list[Clause]:
    """Split a "Q: … A: …" list, already without its labels (:func:`without_interview_labels`),
    into clauses, marking the first clause after each question as its reply."""
    clauses = split_normalized(unlabelled)
    return [
        replace(c, reply=True) if i and clauses[i - 1].question and not c.question else c
        for i, c in enumerate(clauses)
    ]


def asks_of_itself(tokens: tuple[str, ...]) -> bool:
    """Whether words open a question with its own verb and subject ("do I need a doctor"), not
    a topic asked about ("feeling rough?")."""
    return len(tokens) >= 2 and tokens[0] in QUESTION_TURNS and tokens[1] in QUESTION_SUBJECTS


def _turns_to_question(told: list[str], token: str, following: str) -> bool:
    """Whether a question starts at ``token`` after words told as true ("shivering and can't
    stand on his leg, should I take him to A&E?"); not after a question word ("how long should
    I rest?")."""
    return (
        asks_of_itself((token, following))
        and len(told) >= 2
        and told[0] not in QUESTION_WORDS
        and told[0] not in CONDITIONS
        and told[0] not in QUESTION_TURNS
    )


def split_normalized(normalized: str) -> list[Clause]:
    """Split normalized text into clauses at punctuation and words like "but"."""
    clauses: list[Clause] = []
    position = 0
    after_comma = False
    sentence = 0
    for match in _SENTENCE_SPLIT.finditer(normalized + "."):
        piece = normalized[position : match.start()]
        position = match.end()
        question = match.group(1) == _QUESTION
        current: list[str] = []
        contrast = False
        tokens = tokenize(piece)
        for index, token in enumerate(tokens):
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            if token == "now" and following in NEW_SUBJECTS and len(current) > 1:
                clauses.append(Clause(tuple(current), False, after_comma, sentence, contrast))
                current, after_comma, contrast = [token], False, False
                continue
            if question and _turns_to_question(current, token, following):
                clauses.append(Clause(tuple(current), False, after_comma, sentence, contrast))
                current, contrast = [token], False
                continue
            if token in CLAUSE_BREAKS or (
                token == "and"
                and following in NEW_SUBJECTS
                and not _named_only(current)
                and not _shared_predicate(current, tokens[index + 1 :])
            ):
                if current:
                    clauses.append(Clause(tuple(current), False, after_comma, sentence, contrast))
                current, after_comma = [], False
                contrast = token in CLAUSE_BREAKS
                continue
            current.append(token)
        if current:
            clauses.append(Clause(tuple(current), question, after_comma, sentence, contrast))
        after_comma = match.group(0).strip()[:1] in _COMMA_LIKE
        sentence += not after_comma
    return clauses
