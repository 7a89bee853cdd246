"""Fit the learned second reading (:mod:`bot.understanding.learned`) on labelled message sets.

Each set is a YAML list of ``{text, present: [ids], absent: [ids]}``, as in ``tests/data``. Per
finding, a multinomial logistic regression (scikit-learn, a ``dev`` extra) learns from the
features of :func:`~bot.understanding.learned.features` whether a message tells it present,
absent or not at all; weights too small to matter are dropped so the file stays small.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.problems import DataError, Problem, read_yaml
from bot.understanding.learned import FILE_NAME, features
from bot.understanding.normalize import normalize_text

NEGATORS = (
    "no", "not", "never", "nothing", "none", "nah", "nope", "without", "neither", "nor", "zero",
    "cannot", "nae", "aint", "ent", "doh",
)  # fmt: skip
NEGATION_WINDOW = 6
MIN_COUNT = 3  # a word must be in this many messages to be weighed
STRENGTH = 1.0  # scikit-learn's C: the inverse of the penalty on large weights
SMALLEST = 0.1  # weights smaller than this are dropped
POLICY = {"fill": 0.7, "withdraw_present": 0.4, "withdraw_absent": 0.8, "min_words": 3}
IGNORED = frozenset({"pain_thigh", "age_45_plus", "age_under_16"})
"""Read by the rules alone: the sets do not label the thigh, and an age is read from a number
(the conversation asks for it as one)."""


@dataclass(frozen=True)
class Labelled:
    """One message and what its writer says it tells."""

    text: str
    present: frozenset[str]
    absent: frozenset[str]


def read_sets(paths: Iterable[Path]) -> list[Labelled]:
    """Every labelled message in ``paths``.

    Raises:
        DataError: a file is not a list of labelled messages.
    """
    messages: list[Labelled] = []
    problems: list[Problem] = []
    for path in paths:
        document, found = read_yaml(path, shown_as=path.name)
        problems += found
        if found:
            continue
        if not isinstance(document, list):
            problems.append(Problem(path.name, "(top)", "must be a list of labelled messages"))
            continue
        for i, item in enumerate(document):
            if not (isinstance(item, dict) and isinstance(item.get("text"), str | int)):
                problems.append(Problem(path.name, f"[{i}]", "needs a text"))
                continue
            messages.append(
                Labelled(
                    str(item["text"]),
                    frozenset(item.get("present") or ()) - IGNORED,
                    frozenset(item.get("absent") or ()) - IGNORED,
                )
            )
    if problems:
        raise DataError(problems)
    return messages


def fit(
    messages: Sequence[Labelled], findings: Sequence[str], never_fill: Iterable[str] = ()
) -> dict[str, Any]:
    """The model file's content, fitted on ``messages`` for ``findings``; ``never_fill``: the
    findings whose presence can switch a red flag off, which the model must not fill in."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    negators = frozenset(NEGATORS)
    documents = [features(normalize_text(m.text), negators, NEGATION_WINDOW) for m in messages]
    vectorizer = CountVectorizer(
        analyzer=lambda words: words, min_df=MIN_COUNT, binary=True, lowercase=False
    )
    matrix = vectorizer.fit_transform(documents)
    vocabulary = vectorizer.get_feature_names_out()
    weights: dict[str, list[float]] = {}
    bias: dict[str, list[float]] = {"present": [], "absent": []}
    kept: list[str] = []
    for finding in findings:
        labels = np.array(
            [1 if finding in m.present else 2 if finding in m.absent else 0 for m in messages]
        )
        if len(set(labels.tolist())) < 3:
            continue  # a finding never labelled both ways cannot be learned
        model = LogisticRegression(C=STRENGTH, max_iter=5000).fit(matrix, labels)
        toward = model.coef_[1:] - model.coef_[0]  # softmax is unchanged by a common shift
        index = len(kept)
        kept.append(finding)
        bias["present"].append(round(float(model.intercept_[1] - model.intercept_[0]), 3))
        bias["absent"].append(round(float(model.intercept_[2] - model.intercept_[0]), 3))
        for column in np.flatnonzero(np.abs(toward).max(axis=0) >= SMALLEST):
            present, absent = (round(float(w), 3) for w in toward[:, column])
            weights.setdefault(str(vocabulary[column]), []).extend([index, present, absent])
    counts = Counter(f for m in messages for f in m.present | m.absent)
    return {
        "about": (
            "The learned second reading, written by `hipbot learn`; see docs/understanding.md. "
            "weights: word -> [finding index, toward present, toward absent] triples."
        ),
        "trained_on": {
            "messages": len(messages),
            "labels": {f: counts[f] for f in kept},
            "strength": STRENGTH,
            "min_count": MIN_COUNT,
            "smallest_weight": SMALLEST,
        },
        "features": {"negators": sorted(negators), "negation_window": NEGATION_WINDOW},
        "policy": {**POLICY, "never_fill": sorted(set(never_fill))},
        "findings": kept,
        "bias": bias,
        "weights": weights,
    }


def write(model: dict[str, Any], directory: Path) -> Path:
    """Write ``model`` as ``directory``/learned_reading.json; return the path."""
    path = directory / FILE_NAME
    path.write_text(json.dumps(model, separators=(",", ":"), sort_keys=False) + "\n")
    return path
