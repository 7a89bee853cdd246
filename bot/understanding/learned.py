"""The learned second reading: a linear model over a message's words, fitted on the labelled
sets, that gives each finding a chance of being told present or absent.

The rules read first. The model then fills in a finding present that the rules left unplaced
when it is sure (``policy.fill``), and takes back a reading the rules made when it firmly reads
the opposite (``policy.withdraw_present``, ``policy.withdraw_absent``): a finding taken back is
simply not known, so the conversation asks about it. The model lives in
``knowledge/learned_reading.json`` (written by ``hipbot learn``); its words are the features of
:func:`features`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any, TypeGuard

import numpy as np
import numpy.typing as npt

from bot import paths
from bot.problems import DataError, Problem
from bot.understanding.normalize import tokenize

FILE_NAME = "learned_reading.json"
MAX_FILE_BYTES = 16 * 1024 * 1024
NEGATED = "~"  # marks a word read inside a negation's window
BIGRAM = "_"

_CLAUSE_BREAK = re.compile(r"[.;!?,:\n()]|\b(?:but|though|however|except|although)\b")


def features(normalized: str, negators: frozenset[str], window: int) -> list[str]:
    """The words the model weighs: every word and every pair of neighbouring words, each
    marked when it follows a negator within ``window`` words of its clause."""
    out: list[str] = []
    for clause in _CLAUSE_BREAK.split(normalized):
        tokens = tokenize(clause)
        left = 0
        for i, token in enumerate(tokens):
            if token in negators:
                out.append(token)
                left = window
                continue
            mark = NEGATED if left > 0 else ""
            out.append(mark + token)
            if i:
                out.append(mark + tokens[i - 1] + BIGRAM + token)
            left -= 1
    return out


@dataclass(frozen=True)
class Policy:
    """How sure the model must be to change what the rules read."""

    fill: float
    withdraw_present: float
    withdraw_absent: float
    min_words: int
    never_fill: frozenset[str] = frozenset()
    """Findings whose presence can switch a red flag off (``none_of`` in red_flags.yaml)."""


@dataclass(frozen=True)
class Revision:
    """One change the model made to the rules' reading; ``after`` None: no longer known."""

    finding: str
    before: str | None
    after: str | None
    chance: float

    def __str__(self) -> str:
        told = {None: "not placed", "present": "present", "absent": "absent"}
        was = told.get(self.before, self.before)
        now = told.get(self.after, self.after)
        return (
            f"learned reading: {self.finding} {was} -> {now} "
            f"(the model's chance of {self.after or _opposite(self.before)}: {self.chance:.2f})"
        )


def _opposite(value: str | None) -> str:
    return "absent" if value == "present" else "present"


class LearnedReading:
    """The fitted model: per word, a weight toward present and toward absent for each finding."""

    def __init__(
        self,
        findings: tuple[str, ...],
        weights: Mapping[str, list[float]],
        bias: tuple[list[float], list[float]],
        *,
        negators: frozenset[str],
        window: int,
        policy: Policy,
    ) -> None:
        self.findings = findings
        self.negators = negators
        self.window = window
        self.policy = policy
        count = len(findings)
        self._row = {word: row for row, word in enumerate(weights)}
        triples = _triples(weights)
        rows = np.repeat(np.arange(len(weights)), [len(e) // 3 for e in weights.values()])
        columns = triples[:, 0].astype(np.intp)
        matrix = np.zeros((len(weights), 2 * count), dtype=np.float32)
        matrix[rows, columns] = triples[:, 1]
        matrix[rows, count + columns] = triples[:, 2]
        self._weights: npt.NDArray[np.float32] = matrix
        self._bias = np.asarray(bias[0] + bias[1], dtype=np.float64)
        self._least = min(policy.fill, policy.withdraw_present, policy.withdraw_absent)

    def check_findings(self, known: frozenset[str]) -> None:
        """Raise :class:`DataError` unless every finding the model names is in ``known``."""
        problems = [
            _problem(f"findings[{i}]", f"'{finding}' is not a finding in findings.yaml")
            for i, finding in enumerate(self.findings)
            if finding not in known
        ]
        problems += [
            _problem("policy.never_fill", f"'{finding}' is not a finding in findings.yaml")
            for finding in sorted(self.policy.never_fill - known)
        ]
        if problems:
            raise DataError(problems)

    def chances(self, normalized: str) -> dict[str, tuple[float, float]]:
        """Per finding, the model's chance that the message tells it present and absent."""
        present, absent = self._chances(features(normalized, self.negators, self.window))
        return {
            finding: (float(present[i]), float(absent[i]))
            for i, finding in enumerate(self.findings)
        }

    def _chances(self, words: list[str]) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        rows = [self._row[w] for w in set(words) if w in self._row]
        scores = self._bias + np.take(self._weights, rows, axis=0).sum(axis=0)
        odds = np.exp(scores)
        count = len(self.findings)
        total = 1.0 + odds[:count] + odds[count:]
        return odds[:count] / total, odds[count:] / total

    def revise(
        self,
        normalized: str,
        state: Mapping[str, str],
        *,
        on_topic: bool = True,
        dropped: frozenset[str] = frozenset(),
        settled: frozenset[str] = frozenset(),
    ) -> list[Revision]:
        """What the model changes in the rules' ``state`` (finding -> present/absent/hedged).

        Only a finding present is filled in, never one absent: a denial comes from the runner's
        words or answers, so a question about a red flag is never skipped on a guess. A message
        neither ``on_topic`` (it speaks of pain) nor read by the rules gets nothing filled; a
        reading of present is taken back only when the message has a negator; what the rules
        read and then ``dropped`` (implications such as "side-lying pain alone is not night
        pain", or a place told with no pain) is not filled back; what the rules ``settled`` from
        more than the words (a reply right after its question, "Red? No."; a denial turned round
        by the next clause, "I wasn't limping before but I am now"; a temperature told as a
        number, "fever 39") stays as they read it."""
        policy = self.policy
        words = features(normalized, self.negators, self.window)
        denies = any(word in self.negators for word in words)
        on_topic = on_topic or bool(state)
        presents, absents = self._chances(words)
        revisions = []
        for i in np.flatnonzero(np.maximum(presents, absents) > self._least).tolist():
            finding, present, absent = self.findings[i], float(presents[i]), float(absents[i])
            told = state.get(finding)
            if finding in dropped or finding in settled:
                continue
            if told is None:
                if on_topic and present > policy.fill and finding not in policy.never_fill:
                    revisions.append(Revision(finding, None, "present", present))
            elif told == "present" and denies and absent > policy.withdraw_present:
                revisions.append(Revision(finding, told, None, absent))
            elif told == "absent" and present > policy.withdraw_absent:
                revisions.append(Revision(finding, told, None, present))
        return revisions


def load_learned(directory: Path, known: frozenset[str] | None = None) -> LearnedReading | None:
    """The model in ``directory``, or None when there is none; ``known``: the finding ids it
    may name.

    Raises:
        DataError: the file is unreadable or malformed, naming the place inside it.
    """
    path = directory / FILE_NAME
    if not path.is_file():
        return None
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataError([_problem("(file)", f"cannot be read: {error.strerror}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise DataError([_problem("(file)", f"is larger than {MAX_FILE_BYTES} bytes")])
    try:
        document = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DataError([_problem("(file)", f"is not valid JSON: {error}")]) from None
    problems: list[Problem] = []
    model = _checked(document, known, problems)
    if problems or model is None:
        raise DataError(problems)
    return model


def _problem(where: str, message: str) -> Problem:
    return Problem(FILE_NAME, where, message)


def _checked(
    document: Any, known: frozenset[str] | None, problems: list[Problem]
) -> LearnedReading | None:
    def problem(where: str, message: str) -> None:
        problems.append(_problem(where, message))

    if not isinstance(document, dict):
        problem("(top)", "must be an object")
        return None
    for key in ("findings", "weights", "bias", "features", "policy"):
        if key not in document:
            problem(key, "is missing")
    if problems:
        return None
    findings = document["findings"]
    if not (isinstance(findings, list) and all(isinstance(f, str) for f in findings)):
        problem("findings", "must be a list of finding ids")
        return None
    count = len(findings)
    bias = document["bias"]
    for side in ("present", "absent"):
        values = bias.get(side) if isinstance(bias, dict) else None
        if not (isinstance(values, list) and len(values) == count and all(map(_number, values))):
            problem(f"bias.{side}", f"must be a list of {count} numbers, one per finding")
    policy = _policy(document["policy"], problem)
    shape = document["features"]
    negators = shape.get("negators") if isinstance(shape, dict) else None
    window = shape.get("negation_window") if isinstance(shape, dict) else None
    if not (isinstance(negators, list) and all(isinstance(n, str) for n in negators)):
        problem("features.negators", "must be a list of words")
    if not (isinstance(window, int) and 0 < window < 20):
        problem("features.negation_window", "must be a whole number from 1 to 19")
    weights = document["weights"]
    if not isinstance(weights, dict):
        problem("weights", "must map each word to its weights")
        return None
    if not _good_triples(weights, count):  # checked at once; the loop only names the word
        for word, entries in weights.items():
            if not _good_triples({word: entries}, count):
                problem(
                    f"weights.{word}",
                    "must be triples [finding index, toward present, toward absent]"
                    f" with an index below {count}",
                )
                break
    if problems or policy is None:
        return None
    model = LearnedReading(
        tuple(findings),
        weights,
        (bias["present"], bias["absent"]),
        negators=frozenset(negators or ()),
        window=int(window or 1),
        policy=policy,
    )
    if known is not None:
        try:
            model.check_findings(known)
        except DataError as error:
            problems += error.problems
            return None
    return model


def _triples(weights: Mapping[str, list[float]]) -> npt.NDArray[np.float64]:
    """Every word's [finding index, toward present, toward absent] triples, one per row."""
    flat = np.fromiter(
        chain.from_iterable(weights.values()),
        dtype=np.float64,
        count=sum(len(entries) for entries in weights.values()),
    )
    return flat.reshape(-1, 3)


def _good_triples(weights: Mapping[str, Any], count: int) -> bool:
    if not all(
        isinstance(entries, list) and entries and len(entries) % 3 == 0
        for entries in weights.values()
    ):
        return False
    if not all(_number(value) for entries in weights.values() for value in entries[::3]):
        return False
    try:
        triples = _triples(weights)
    except (TypeError, ValueError):
        return False
    index = triples[:, 0]
    return bool(
        np.isfinite(triples).all()
        and (index == np.floor(index)).all()
        and ((index >= 0) & (index < count)).all()
    )


def _number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _policy(raw: Any, problem: Callable[[str, str], None]) -> Policy | None:
    if not isinstance(raw, dict):
        problem("policy", "must be an object")
        return None
    values: dict[str, float] = {}
    for key in ("fill", "withdraw_present", "withdraw_absent"):
        value = raw.get(key)
        if _number(value) and 0 < value < 1:
            values[key] = float(value)
        else:
            problem(f"policy.{key}", "must be a chance between 0 and 1")
    words = raw.get("min_words")
    if not (isinstance(words, int) and not isinstance(words, bool) and words >= 0):
        problem("policy.min_words", "must be a whole number of words, 0 or more")
        return None
    never_fill = raw.get("never_fill", [])
    if not (isinstance(never_fill, list) and all(isinstance(f, str) for f in never_fill)):
        problem("policy.never_fill", "must be a list of finding ids")
        return None
    if len(values) < 3:
        return None
    return Policy(min_words=words, never_fill=frozenset(never_fill), **values)


@cache
def default_learned() -> LearnedReading | None:
    """The model shipped in ``knowledge/learned_reading.json``, if any."""
    return load_learned(paths.knowledge_dir())
